"""框架协议 in the browser: the province's agreement shows in 聊城 with its shortlist and caps; the buyer orders by
直接选定 (the order says 框架协议采购 · 直接选定 in the list and the detail), then launches a 二次竞价 among the
shortlisted, which the three suppliers answer and the state machine closes, and the award is a 框架协议 order.

The set-up goes through the API: three active suppliers, the agreement entered by the provincial operator, an
accepted plan, and the site's shortest response time set to one minute so the test waits a minute, not an hour.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import APIRequestContext, Page, expect

from chalicelib.domain.uscc import make_uscc
from tests.e2e.conftest import Mall
from tests.e2e.test_order_journey import CHINA, call, register_supplier, token_of
from tests.e2e.test_supplier_journey import logout
from tests.e2e.test_web_shell import login

pytestmark = pytest.mark.browser

SITE = "liaocheng"
PASSWORD = "Agreement2026ok"
NUMBER = "SDKJ-2026-FZ-901"
SUPPLIERS = (
    ("fz.paper.a", "聊城市丁未纸业有限公司", make_uscc("91", "371502", "MA3Q7R8A1"), 1_200),
    ("fz.paper.b", "阳谷县戊申文化用品有限公司", make_uscc("91", "371521", "MA3Q7R8B2"), 1_180),
    ("fz.paper.c", "高唐县己酉办公用品有限公司", make_uscc("91", "371526", "MA3Q7R8C3"), 1_250),
)
CLOSE_TIMEOUT = 240_000  # ms: the one-minute deadline, then the timer's wake on a loaded machine


def _supplier(api: APIRequestContext, i: int) -> None:
    username, name, uscc, _ = SUPPLIERS[i]
    register_supplier(
        api,
        {
            "username": username,
            "password": PASSWORD,
            "uscc": uscc,
            "name": name,
            "legal_representative": f"李{'甲乙丙'[i]}",
            "registered_address": "聊城市东昌府区柳园南路 9 号",
            "home_district": uscc[2:8],
            "ownership": "private",
            "scale": "small",
            "declaration": {
                "industry": "retail",
                "employees": 12,
                "revenue_fen": 300_000_000,
                "assets_fen": 80_000_000,
            },
            "contact": {"name": f"李{'甲乙丙'[i]}", "phone": f"1380635111{i}", "email": f"{username}@example.com"},
        },
    )


def set_up(api: APIRequestContext, mall: Mall) -> str:
    center = token_of(api, "liaocheng.center")
    config = call(api, "GET", f"/sites/{SITE}/config")
    changed = call(
        api, "PUT", f"/sites/{SITE}/bidding", center, {**config["bidding"], "bidding_min_response_minutes": 1}
    )
    assert changed["applied"], changed
    for i in range(len(SUPPLIERS)):
        _supplier(api, i)
    today = datetime.now(CHINA).date()
    province = token_of(api, "province.admin")
    call(
        api,
        "POST",
        "/agreements",
        province,
        {
            "number": NUMBER,
            "name": "山东省签字笔框架协议采购",
            "agency": "山东省政府采购中心",
            "catalog_codes": ["A05040402"],
            "sites": [],
            "valid_from": (today - timedelta(days=30)).isoformat(),
            "valid_to": (today + timedelta(days=200)).isoformat(),
            "rules": {"methods": ["direct_select", "secondary_bidding", "rotation"], "min_suppliers": 3},
            "members": [
                {
                    "uscc": uscc,
                    "name": name,
                    "rank": i + 1,
                    "products": [
                        {
                            "code": f"FZ9-{i + 1:02d}",
                            "name": "中性笔 0.5mm 黑色（12 支/盒）",
                            "brand": name[:4],
                            "model": f"FZ70-{i}",
                            "catalog_code": "A05040402",
                            "unit": "盒",
                            "cap_fen": cap,
                            "spec": "",
                        }
                    ],
                }
                for i, (_, name, uscc, cap) in enumerate(SUPPLIERS)
            ],
            "documents": [
                {"title": "框架协议文本（山东省政府采购信息公开平台）", "url": "https://www.ccgp-shandong.gov.cn/"}
            ],
        },
    )
    plan = call(
        api,
        "POST",
        f"/sites/{SITE}/plans",
        token_of(api, "liaocheng.buyer"),
        {
            "name": "签字笔框架协议采购",
            "business_year": today.year,
            "business_month": today.month,
            "purchase_method": "online_supermarket",
            "budget_category": "A05040402",
            "amount_fen": 2_000_000,
            "planned_date": today.isoformat(),
            "note": "",
        },
    )
    return str(plan["plan_no"])


def open_agreement(page: Page) -> None:
    page.locator(".el-menu .el-menu-item", has_text="框架协议").click()
    page.get_by_test_id("agreements-table").locator("tr", has_text=NUMBER).first.click()
    expect(page.get_by_test_id("agreement-title")).to_have_text("山东省签字笔框架协议采购")


def choose_plan(page: Page, test_id: str, plan_no: str) -> None:
    page.get_by_test_id(test_id).click()
    page.locator(".el-select-dropdown__item:visible", has_text=plan_no).click()


def test_direct_selection_and_a_secondary_bidding_to_framework_orders(
    page: Page, mall: Mall, artifacts: Path, playwright: Any
) -> None:
    api = playwright.request.new_context(base_url=mall.api)
    plan_no = set_up(api, mall)

    login(page, mall, "liaocheng.buyer")
    open_agreement(page)
    products = page.get_by_test_id("agreement-products")
    expect(products.locator("tbody tr")).to_have_count(3)
    expect(products).to_contain_text("11.80 / 盒")
    expect(page.get_by_test_id("agreement-stage2")).to_contain_text("直接选定")
    expect(page.get_by_test_id("rotation-next")).to_have_text(SUPPLIERS[0][1])
    page.screenshot(path=str(artifacts / "agreement-detail-buyer.png"), full_page=True)

    # 直接选定: 戊申's pens at 11.50 元 (its cap is 11.80), 20 盒.
    products.locator("tr", has_text=SUPPLIERS[1][1]).get_by_test_id("agreement-select").click()
    dialog = page.get_by_test_id("agreement-order-dialog")
    choose_plan(page, "agreement-plan", plan_no)
    dialog.get_by_test_id("agreement-quantity").locator("input").fill("20")
    dialog.get_by_test_id("agreement-price").fill("11.81")
    dialog.get_by_test_id("agreement-address").fill("聊城市东昌府区东昌路 1 号教育局 302 室")
    dialog.get_by_test_id("agreement-contact").fill("张敏")
    dialog.get_by_test_id("agreement-phone").fill("0635-8241234")
    dialog.get_by_test_id("agreement-order-submit").click()
    expect(page.get_by_text("高于入围限价").first).to_be_visible()  # refused by the server, nothing placed
    dialog.get_by_test_id("agreement-price").fill("11.5")
    expect(dialog.get_by_test_id("agreement-amount")).to_have_text("230.00 元")
    dialog.get_by_test_id("agreement-order-submit").click()
    expect(page.locator(".el-descriptions").get_by_text("框架协议采购 · 直接选定")).to_be_visible(timeout=15000)
    page.screenshot(path=str(artifacts / "agreement-direct-order.png"), full_page=True)
    page.locator(".el-menu .el-menu-item", has_text="订单管理").click()
    expect(page.get_by_test_id("order-row-method").first).to_have_text("框架协议采购 · 直接选定")

    # 二次竞价 among the three, two minutes to quote.
    open_agreement(page)
    page.get_by_test_id("agreement-compete").click()
    dialog = page.get_by_test_id("agreement-compete-dialog")
    choose_plan(page, "compete-plan", plan_no)
    dialog.get_by_test_id("compete-spec").fill("中性笔 0.5mm 黑色，12 支/盒，书写长度不低于 400 米")
    dialog.get_by_test_id("compete-quantity").locator("input").fill("50")
    dialog.get_by_test_id("compete-ceiling").fill("600")
    dialog.get_by_test_id("compete-minutes").locator("input").fill("2")
    dialog.get_by_test_id("compete-address").fill("聊城市东昌府区东昌路 1 号教育局 302 室")
    dialog.get_by_test_id("compete-contact").fill("张敏")
    dialog.get_by_test_id("compete-phone").fill("0635-8241234")
    dialog.get_by_test_id("compete-submit").click()
    title = page.get_by_test_id("competition-title")
    expect(title).to_contain_text("二次竞价", timeout=15000)
    competition_id = page.url.rsplit("/", 1)[-1]
    for i, unit in enumerate((1_160, 1_130, 1_190)):
        token = token_of(api, SUPPLIERS[i][0], PASSWORD)
        call(api, "PUT", f"/sites/{SITE}/competitions/{competition_id}/quote", token, {"unit_price_fen": unit})
    logout(page)

    # The winner (戊申, lowest at 11.30 元) confirms in its own browser session once the deadline has passed.
    login(page, mall, SUPPLIERS[1][0], password=PASSWORD)
    page.goto(f"{mall.web}/#/competitions/{competition_id}")
    confirm = page.get_by_test_id("award-confirm")
    expect(confirm).to_be_visible(timeout=CLOSE_TIMEOUT)
    confirm.click()
    expect(page.get_by_text("已确认成交").first).to_be_visible(timeout=15000)
    logout(page)

    login(page, mall, "liaocheng.buyer")
    page.goto(f"{mall.web}/#/competitions/{competition_id}")
    expect(page.get_by_text("已成交").first).to_be_visible(timeout=60_000)
    page.locator(".el-menu .el-menu-item", has_text="订单管理").click()
    row = page.locator("tr", has_text=SUPPLIERS[1][1]).filter(has_text="二次竞价").first
    expect(row).to_contain_text("框架协议采购 · 二次竞价", timeout=60_000)
    expect(row).to_contain_text("565.00")
    page.screenshot(path=str(artifacts / "agreement-orders.png"), full_page=True)
