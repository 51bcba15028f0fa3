"""批量采购 in the browser, on the real launcher and its deadline state machine: a buyer joins 聊城's batch from its
plan (the reservation shown), a second unit joins too, the join window closes by itself, a supplier offers its 优惠率
in its browser and another by the API, the offer window closes, and each buyer has its order at the discounted price
(批量采购 · 优惠率 in the order list).

The batch is opened through the API with short windows (75 s to join, 60 s to offer) so the test waits minutes.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
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
PASSWORD = "Batch2026pooled"
SUPPLIERS = (
    ("pl.tape.a", "聊城市庚戌包装材料有限公司", make_uscc("91", "371502", "MA3R8T9A1")),
    ("pl.tape.b", "冠县辛亥文具有限公司", make_uscc("91", "371525", "MA3R8T9B2")),
)
WINDOW_TIMEOUT = 240_000  # ms: a window, then the timer's wake on a loaded machine


def _supplier(api: APIRequestContext, i: int) -> None:
    username, name, uscc = SUPPLIERS[i]
    register_supplier(
        api,
        {
            "username": username,
            "password": PASSWORD,
            "uscc": uscc,
            "name": name,
            "legal_representative": f"赵{'甲乙'[i]}",
            "registered_address": "聊城市东昌府区建设路 6 号",
            "home_district": uscc[2:8],
            "ownership": "private",
            "scale": "small",
            "declaration": {
                "industry": "retail",
                "employees": 15,
                "revenue_fen": 500_000_000,
                "assets_fen": 90_000_000,
            },
            "contact": {"name": f"赵{'甲乙'[i]}", "phone": f"1370635222{i}", "email": f"{username}@example.com"},
        },
    )


def _plan(api: APIRequestContext, buyer: str) -> str:
    today = datetime.now(CHINA).date()
    plan = call(
        api,
        "POST",
        f"/sites/{SITE}/plans",
        token_of(api, buyer),
        {
            "name": "办公干电池批量采购",
            "business_year": today.year,
            "business_month": today.month,
            "purchase_method": "online_supermarket",
            "budget_category": "A02061510",
            "amount_fen": 500_000,
            "planned_date": today.isoformat(),
            "note": "",
        },
    )
    return str(plan["plan_no"])


def _delivery() -> dict[str, str]:
    expected = (datetime.now(CHINA).date() + timedelta(days=5)).isoformat()
    return {"address": "聊城市冠县清泉街道 8 号", "contact": "孙丽", "phone": "0635-5262222", "expected_date": expected}


def test_a_batch_from_joining_to_each_buyer_s_order(page: Page, mall: Mall, artifacts: Path, playwright: Any) -> None:
    api = playwright.request.new_context(base_url=mall.api)
    for i in range(len(SUPPLIERS)):
        _supplier(api, i)
    mine, theirs = _plan(api, "liaocheng.buyer"), _plan(api, "liaocheng.buyer2")
    now = datetime.now(UTC)
    batch = call(
        api,
        "POST",
        f"/sites/{SITE}/batches",
        token_of(api, "liaocheng.center"),
        {
            "title": "5 号碱性干电池批量采购",
            "category_id": "LC-0502",  # 干电池, A02061510: not the 胶带 other journeys buy
            "spec": "5 号（AA）碱性电池，1.5V，10 节/盒",
            "unit": "盒",
            "reference_price_fen": 1_200,
            "min_buyers": 2,
            "join_until": (now + timedelta(seconds=75)).isoformat(),
            "offer_until": (now + timedelta(seconds=135)).isoformat(),
        },
    )
    batch_id = batch["id"]
    call(
        api,
        "POST",
        f"/sites/{SITE}/batches/{batch_id}/entries",
        token_of(api, "liaocheng.buyer2"),
        {"plan_no": theirs, "quantity": 60, "delivery": _delivery()},
    )

    # The buyer joins in the browser: 100 盒 reserve 1,200.00 元 of its plan.
    login(page, mall, "liaocheng.buyer")
    page.locator(".el-menu .el-menu-item", has_text="批量采购").click()
    page.get_by_test_id("batches-table").locator("tr", has_text=batch_id).click()
    page.get_by_test_id("batch-join").click()
    dialog = page.get_by_test_id("batch-join-dialog")
    dialog.get_by_test_id("batch-plan").click()
    page.locator(".el-select-dropdown__item:visible", has_text=mine).click()
    dialog.get_by_test_id("batch-quantity").locator("input").fill("100")
    dialog.get_by_test_id("batch-quantity").locator("input").blur()
    expect(dialog.get_by_test_id("batch-reserve")).to_have_text("1,200.00 元")
    dialog.get_by_test_id("batch-address").fill("聊城市东昌府区东昌路 1 号教育局 302 室")
    dialog.get_by_test_id("batch-contact").fill("张敏")
    dialog.get_by_test_id("batch-phone").fill("0635-8241234")
    dialog.get_by_test_id("batch-join-submit").click()
    expect(page.get_by_test_id("batch-pooled")).to_have_text("2 家采购人，合计 160 盒")
    page.screenshot(path=str(artifacts / "batch-joined.png"), full_page=True)
    logout(page)

    # When the join window closes, a supplier offers 12.5 % in its browser; another offers 10 % by the API.
    login(page, mall, SUPPLIERS[0][0], password=PASSWORD)
    page.goto(f"{mall.web}/#/batches/{batch_id}")
    offer = page.get_by_test_id("batch-offer")
    expect(offer).to_be_visible(timeout=WINDOW_TIMEOUT)
    offer.click()
    page.get_by_test_id("batch-rate").fill("12.345")
    expect(page.get_by_text("最多两位小数").first).to_be_visible()
    page.get_by_test_id("batch-rate").fill("12.5")
    expect(page.get_by_test_id("batch-rate-price")).to_have_text("10.50 元 / 盒")
    page.get_by_test_id("batch-offer-submit").click()
    expect(page.get_by_test_id("batch-my-offer")).to_contain_text("12.50%")
    token = token_of(api, SUPPLIERS[1][0], PASSWORD)
    call(api, "PUT", f"/sites/{SITE}/batches/{batch_id}/offer", token, {"rate": "10"})
    logout(page)

    # The offer window closes by itself: the best rate wins, and the buyer has its order at 10.50 元.
    login(page, mall, "liaocheng.buyer")
    page.goto(f"{mall.web}/#/batches/{batch_id}")
    expect(page.get_by_test_id("batch-award")).to_contain_text(SUPPLIERS[0][1], timeout=WINDOW_TIMEOUT)
    expect(page.get_by_test_id("batch-award")).to_contain_text("优惠率 12.50%，成交单价 10.50 元 / 盒，生成订单 2 张")
    page.screenshot(path=str(artifacts / "batch-awarded.png"), full_page=True)
    page.get_by_test_id("batch-entry-order").click()
    expect(page.locator(".el-descriptions").get_by_text("批量采购 · 优惠率")).to_be_visible()
    expect(page.get_by_text("¥1,050.00").first).to_be_visible()
    page.locator(".el-menu .el-menu-item", has_text="订单管理").click()
    expect(page.locator("tr", has_text=SUPPLIERS[0][1]).first).to_contain_text("批量采购 · 优惠率")
