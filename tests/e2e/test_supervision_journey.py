"""Supervision in the browser, on the real launcher and its stream consumers.

1. 聊城's centre opens an inspection of 台式计算机: the pre-check flags a ceiling lamp listed as a desktop and a
   desktop without its energy-saving certificate; the inspector records both with evidence; the desktop's supplier
   submits its correction in its browser and the inspector accepts it; the lamp is delisted; the figures say so.
2. The centre sets the site's 化整为零 limit to 1 万元 in the browser; a county unit places three orders of 4,000 元
   of packing tape (API); the alert appears in the queue with the three orders behind it and is turned into a finding.

Suppliers, listings, the plan and the orders are set up through the API; every supervisory act is in the web UI.
"""

from __future__ import annotations

import json
import time
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import APIRequestContext, Page, Playwright, expect

from chalicelib.domain.uscc import make_uscc
from tests.e2e.conftest import Mall
from tests.e2e.test_order_journey import CHINA, call, register_listing_supplier, token_of
from tests.e2e.test_supplier_journey import logout
from tests.e2e.test_web_shell import login

pytestmark = pytest.mark.browser

SITE = "liaocheng"
PASSWORD = "Xunjian2026check"
PRECHECK_TIMEOUT = 120_000  # ms: the stream, the queue and the pre-check on a loaded machine
DESKTOP_SPECS = [
    {"name": "处理器", "value": "Intel 酷睿 i5-12500"},
    {"name": "内存", "value": "16GB DDR4"},
    {"name": "硬盘", "value": "512GB 固态"},
]
LAMP = "雷士 NVC-X24 LED 吸顶灯 24W"
DESKTOP = "浪潮 英政 CE520A 台式计算机"
TAPE = "永冠 YG-48 封箱胶带 48mm×60m 6卷装"


def _registration(username: str, name: str, uscc: str, contact: str, phone: str) -> dict[str, Any]:
    return {
        "username": username,
        "password": PASSWORD,
        "uscc": uscc,
        "name": name,
        "legal_representative": contact,
        "registered_address": "聊城市东昌府区花园北路 18 号",
        "home_district": uscc[2:8],
        "ownership": "private",
        "scale": "small",
        "declaration": {"industry": "retail", "employees": 20, "revenue_fen": 800_000_000, "assets_fen": 150_000_000},
        "contact": {"name": contact, "phone": phone, "email": f"{username}@example.com"},
    }


def _listing(name: str, brand: str, model: str, price_fen: int, **changes: Any) -> dict[str, Any]:
    return {
        "category_id": "LC-0302",  # 台式计算机, A02010105
        "name": name,
        "brand": brand,
        "model": model,
        "specs": DESKTOP_SPECS,
        "price_fen": price_fen,
        "reference_price_fen": price_fen + 20_000,
        "reference_source": "京东自营 2026-12",
        "stock": 30,
        "images": [],
        "certificates": [],
        **changes,
    }


def _set_up_inspection(api: APIRequestContext, mall: Mall) -> None:
    register_listing_supplier(
        api,
        mall,
        _registration(
            "xj.light", "聊城市壬子照明电器有限公司", make_uscc("91", "371502", "MA3X1J1A1"), "钱壬", "13806351101"
        ),
        _listing(LAMP, "雷士", "NVC-X24", 18_900),
    )
    register_listing_supplier(
        api,
        mall,
        _registration(
            "xj.pc", "聊城市癸丑电脑科技有限公司", make_uscc("91", "371502", "MA3X1J2B2"), "孙癸", "13806351102"
        ),
        _listing(DESKTOP, "浪潮", "CE520A", 468_000),
    )


def test_a_campaign_from_its_opening_to_a_delisting_and_a_correction(
    page: Page, mall: Mall, artifacts: Path, playwright: Playwright
) -> None:
    api = playwright.request.new_context(base_url=mall.api)
    try:
        _set_up_inspection(api, mall)
    finally:
        api.dispose()

    # 1. The centre opens the campaign; the pre-check queues what it flags.
    login(page, mall, "liaocheng.center")
    page.locator(".el-menu .el-menu-item", has_text="监督巡检").click()
    page.get_by_test_id("inspection-new").click()
    dialog = page.get_by_test_id("inspection-dialog")
    dialog.get_by_test_id("inspection-title").fill("2026 年台式计算机常规巡检")
    dialog.get_by_test_id("inspection-categories").click()
    page.locator(".el-select-dropdown__item:visible", has_text="台式计算机").first.click()
    page.keyboard.press("Escape")
    dialog.get_by_test_id("inspection-submit").click()
    expect(page.get_by_test_id("inspection-status")).to_have_text("巡检中", timeout=PRECHECK_TIMEOUT)
    flags = page.get_by_test_id("flags-table")
    lamp_flag = flags.locator("tr", has_text=LAMP)
    expect(lamp_flag).to_contain_text("商品名称含“吸顶灯”，应归入“室内照明灯具”")
    expect(flags.locator("tr", has_text=DESKTOP)).to_contain_text("未提供节能产品认证证书")
    page.screenshot(path=str(artifacts / "inspection-1-flags.png"), full_page=True)

    # 2. Both are recorded as findings, each with its evidence (the form refuses none).
    for name, evidence in (
        (LAMP, "2026-12-07 商品页截图：吸顶灯发布于台式计算机品目"),
        (DESKTOP, "商品资质页未见节能产品认证证书"),
    ):
        flags.locator("tr", has_text=name).get_by_test_id("flag-record").click()
        form = page.get_by_test_id("finding-dialog")
        form.get_by_test_id("finding-submit").click()
        expect(form.get_by_text("须附证据")).to_be_visible()  # no evidence, no finding
        form.get_by_test_id("finding-evidence").fill(evidence)
        form.get_by_test_id("finding-submit").click()
        expect(form).to_be_hidden()
        expect(flags.locator("tr", has_text=name)).to_contain_text("已登记")
    page.get_by_role("tab", name="巡检问题（2）").click()
    findings = page.get_by_test_id("findings-table")
    expect(findings.get_by_test_id("finding-status")).to_have_text(["待整改", "待整改"])
    logout(page)

    # 3. The desktop's supplier reads the notice and submits its correction.
    login(page, mall, "xj.pc", password=PASSWORD)
    page.locator(".el-menu .el-menu-item", has_text="整改与信用").click()
    mine = page.get_by_test_id("my-findings-table").locator("tr", has_text=DESKTOP)
    expect(mine).to_contain_text("未提供节能产品认证证书")
    mine.get_by_test_id("finding-correct").click()
    reason = page.get_by_test_id("reason-dialog")
    reason.get_by_test_id("reason-input").fill("已补充上传节能产品认证证书 CQC2026ES0815")
    reason.get_by_test_id("reason-confirm").click()
    expect(mine.get_by_test_id("my-finding-status")).to_have_text("已整改待复核")
    page.screenshot(path=str(artifacts / "inspection-2-supplier.png"), full_page=True)
    logout(page)

    # 4. The inspector accepts the correction and delists the lamp.
    login(page, mall, "liaocheng.center")
    page.locator(".el-menu .el-menu-item", has_text="监督巡检").click()
    page.get_by_test_id("inspections-table").locator("tr", has_text="2026 年台式计算机常规巡检").locator(
        "a"
    ).first.click()
    page.get_by_role("tab", name="巡检问题（2）").click()
    findings = page.get_by_test_id("findings-table")
    findings.locator("tr", has_text=DESKTOP).get_by_test_id("finding-close").click()
    reason = page.get_by_test_id("reason-dialog")
    reason.get_by_test_id("reason-input").fill("证书已核验有效")
    reason.get_by_test_id("reason-confirm").click()
    expect(findings.locator("tr", has_text=DESKTOP).get_by_test_id("finding-status")).to_have_text("整改完成")
    findings.locator("tr", has_text=LAMP).get_by_test_id("finding-delist").click()
    reason = page.get_by_test_id("reason-dialog")
    reason.get_by_test_id("reason-input").fill("混淆品目分类上架")
    reason.get_by_test_id("reason-confirm").click()
    expect(findings.locator("tr", has_text=LAMP).get_by_test_id("finding-status")).to_have_text("已下架")
    figures = page.get_by_test_id("inspection-figures")
    expect(figures).to_contain_text("已整改（件）1")
    expect(figures).to_contain_text("已下架（件）1")
    page.screenshot(path=str(artifacts / "inspection-3-done.png"), full_page=True)
    _leaves_the_catalog(mall, "NVC-X24", LAMP)


def _leaves_the_catalog(mall: Mall, keyword: str, name: str, timeout: float = 90) -> None:
    """The catalog follows the delisting through the stream projection: wait until the listing is gone."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"{mall.api}/sites/{SITE}/catalog/search?q={keyword}", timeout=10) as response:
            if all(card["name"] != name for card in json.loads(response.read())["items"]):
                return
        time.sleep(0.5)
    raise AssertionError(f"{name} still in the catalog after {timeout}s")


def _set_up_orders(api: APIRequestContext, mall: Mall) -> list[str]:
    uscc = make_uscc("91", "371502", "MA3X1J3C3")
    register_listing_supplier(
        api,
        mall,
        _registration("xj.tape", "聊城市甲寅包装用品有限公司", uscc, "周甲", "13806351103"),
        {
            "category_id": "LC-0102",  # 胶带, A05040401 文具
            "name": TAPE,
            "brand": "永冠",
            "model": "YG-48",
            "specs": [{"name": "宽度", "value": "48mm"}, {"name": "长度", "value": "60m"}],
            "price_fen": 2_500,
            "reference_price_fen": 2_900,
            "reference_source": "京东自营 2026-12",
            "stock": 2_000,
            "images": [],
            "certificates": [],
        },
    )
    buyer = token_of(api, "liaocheng.buyer2")
    today = datetime.now(CHINA).date()
    plan = call(
        api,
        "POST",
        f"/sites/{SITE}/plans",
        buyer,
        {
            "name": "年度办公耗材采购（封箱胶带）",
            "business_year": today.year,
            "business_month": today.month,
            "purchase_method": "online_supermarket",
            "budget_category": "A05040401",
            "amount_fen": 5_000_000,
            "planned_date": today.isoformat(),
            "note": "",
        },
    )
    listings = call(api, "GET", f"/sites/{SITE}/listings/mine", token_of(api, "xj.tape", PASSWORD))["items"]
    tape = next(x["id"] for x in listings if x["name"] == TAPE)
    expected = (today + timedelta(days=3)).isoformat()
    orders = []
    for _ in range(3):
        placed = call(
            api,
            "POST",
            f"/sites/{SITE}/orders",
            buyer,
            {
                "plan_no": plan["plan_no"],
                "supplier_uscc": uscc,
                "lines": [{"listing_id": tape, "quantity": 160}],  # 4,000 元
                "delivery": {
                    "address": "冠县清泉街道红旗路 8 号",
                    "contact": "孙丽",
                    "phone": "0635-5212345",
                    "expected_date": expected,
                },
                "note": "",
            },
        )
        orders.append(placed["order_no"])
    return orders


def test_three_orders_raise_a_splitting_alert_turned_into_a_finding(
    page: Page, mall: Mall, artifacts: Path, playwright: Playwright
) -> None:
    # 1. The centre sets the limit in the browser.
    login(page, mall, "liaocheng.center")
    page.locator(".el-menu .el-menu-item", has_text="动态预警").click()
    page.get_by_test_id("alert-rules").click()
    rules = page.get_by_test_id("alert-rules-dialog")
    limit = rules.locator(".el-form-item", has_text="化整为零金额标准").locator("input")
    limit.fill("10000")
    rules.get_by_role("button", name="保存").click()
    expect(rules).to_be_hidden()

    api = playwright.request.new_context(base_url=mall.api)
    try:
        orders = _set_up_orders(api, mall)
    finally:
        api.dispose()

    # 2. The alert reaches the queue (the detection runs behind the order stream).
    row = page.get_by_test_id("alerts-table").locator("tr.el-table__row", has_text="化整为零")
    deadline = time.monotonic() + PRECHECK_TIMEOUT / 1000
    while row.count() == 0 and time.monotonic() < deadline:
        page.get_by_role("button", name="刷新").click()
        page.wait_for_timeout(1000)
    expect(row).to_contain_text("下单 3 笔，单笔均低于 1.00 万元，合计 1.20 万元")
    row.locator(".el-table__expand-icon").click()
    for order_no in orders:
        expect(page.get_by_text(order_no)).to_be_visible()
    page.screenshot(path=str(artifacts / "alert-1-queue.png"), full_page=True)

    # 3. Turned into a finding with its conclusion.
    row.get_by_test_id("alert-finding").click()
    reason = page.get_by_test_id("reason-dialog")
    reason.get_by_test_id("reason-input").fill("经核查，同一批办公用纸需求拆分为三笔下单，认定化整为零，责令整改")
    reason.get_by_test_id("reason-confirm").click()
    expect(reason).to_be_hidden()
    page.get_by_test_id("alert-status-filter").get_by_text("已立案").click()
    expect(page.get_by_test_id("alerts-table").locator("tr.el-table__row", has_text="化整为零")).to_be_visible()
    page.screenshot(path=str(artifacts / "alert-2-finding.png"), full_page=True)
