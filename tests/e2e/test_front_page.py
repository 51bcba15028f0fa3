"""The front page without signing in (阳光采购): notices, training material and the FAQ the centre publishes
(searchable, shown as text even when they hold markup), the best sellers, search suggestions by alias, and the
product page; pages that need an account still send a visitor to the login."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, Playwright, expect

from chalicelib.domain.uscc import make_uscc
from tests.e2e.conftest import Mall
from tests.e2e.test_navigation import listing
from tests.e2e.test_order_journey import call, register_listing_supplier, token_of
from tests.e2e.test_supplier_journey import catalog_has

pytestmark = pytest.mark.browser

SITE = "liaocheng"
PRODUCT = "恒泰 HT-60 封箱胶带 60mm×100m"
NOTICE = "关于网上商城元旦期间订单确认时限顺延的通知"
SNEAKY = "<img src=x onerror=window.__xss=1>系统维护通知"
FAQ = "如何修改收货地址？"


def test_a_visitor_browses_the_front_page(page: Page, mall: Mall, artifacts: Path, playwright: Playwright) -> None:
    api = playwright.request.new_context(base_url=mall.api)
    center = token_of(api, "liaocheng.center")
    call(
        api,
        "POST",
        f"/sites/{SITE}/bulletins",
        center,
        {
            "kind": "notice",
            "title": NOTICE,
            "pinned": True,
            "body": "元旦期间订单确认时限顺延至 1 月 4 日，请各供应商及时处理待确认订单。",
        },
    )
    call(
        api,
        "POST",
        f"/sites/{SITE}/bulletins",
        center,
        {
            "kind": "notice",
            "title": SNEAKY,
            "body": "<script>window.__xss = 1</script>本周六 22:00 至 24:00 系统维护。",
        },
    )
    call(
        api,
        "POST",
        f"/sites/{SITE}/bulletins",
        center,
        {"kind": "faq", "title": FAQ, "body": "在结算页点击收货信息即可修改，订单提交后不可更改。"},
    )
    register_listing_supplier(
        api,
        mall,
        {
            "username": "hengtai.pack",
            "password": "Hengtai2026pack",
            "uscc": make_uscc("91", "371502", "MA7H8T9P1"),
            "name": "聊城市恒泰包装材料有限公司",
            "legal_representative": "孙恒泰",
            "registered_address": "聊城市东昌府区光岳路 12 号",
            "home_district": "371502",
            "ownership": "private",
            "scale": "small",
            "declaration": {
                "industry": "wholesale",
                "employees": 18,
                "revenue_fen": 1_800_000_000,
                "assets_fen": 200_000_000,
            },
            "contact": {"name": "孙恒泰", "phone": "13906353333", "email": "hengtai@example.com"},
        },
        {**listing(PRODUCT, "HT-60", 1_280), "brand": "恒泰"},
    )
    catalog_has(mall, "恒泰", PRODUCT)

    page.goto(f"{mall.web}/#/")
    expect(page.get_by_test_id("visitor-bar")).to_be_visible(timeout=30000)
    expect(page.get_by_test_id("site-title")).to_contain_text("聊城")
    board = page.get_by_test_id("bulletins")
    expect(board.get_by_test_id("bulletin-item").first).to_contain_text(NOTICE)  # pinned first
    expect(page.get_by_test_id("shelf-hot")).to_contain_text(PRODUCT)
    expect(page.get_by_test_id("category-menu")).to_contain_text("办公用品")
    page.screenshot(path=str(artifacts / "front-page-visitor-1440.png"), full_page=True)

    # Markup in a notice is shown as text and runs nowhere.
    board.get_by_text(SNEAKY).click()
    dialog = page.get_by_test_id("bulletin-dialog")
    expect(dialog.get_by_test_id("bulletin-body")).to_contain_text("<script>window.__xss = 1</script>")
    assert page.evaluate("window.__xss") is None
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    # The FAQ knowledge base is searchable.
    board.get_by_role("tab", name="常见问题").click()
    search = board.get_by_placeholder("搜索公告、培训资料、常见问题")
    search.fill("收货地址")
    search.press("Enter")
    expect(board.get_by_test_id("bulletin-item")).to_have_count(1)
    expect(board.get_by_test_id("bulletin-item")).to_contain_text(FAQ)

    # The search box suggests what an alias means; a search opens the catalog.
    box = page.get_by_placeholder("搜索商品名称、品牌、型号，如 A4纸、碳粉、dell")
    box.fill("a4")
    expect(page.locator(".el-autocomplete-suggestion li").filter(has_text="a4纸")).to_contain_text("即 复印纸")
    box.fill("恒泰")
    box.press("Enter")
    expect(page.get_by_test_id("catalog-grid")).to_contain_text(PRODUCT, timeout=30000)

    # At 1024 px the front page keeps its columns; a product opens without an account, the cart asks for one.
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(f"{mall.web}/#/")
    expect(page.get_by_test_id("shelf-hot")).to_contain_text(PRODUCT, timeout=30000)
    page.screenshot(path=str(artifacts / "front-page-visitor-1024.png"), full_page=True)
    page.get_by_test_id("shelf-hot").get_by_text(PRODUCT).click()
    expect(page.get_by_test_id("detail-visitor")).to_contain_text("登录")
    page.goto(f"{mall.web}/#/orders")
    expect(page).to_have_url(f"{mall.web}/#/login?redirect=/orders", timeout=30000)
    api.dispose()


def test_the_centre_publishes_a_notice_from_its_page(page: Page, mall: Mall, artifacts: Path) -> None:
    from tests.e2e.test_supplier_journey import logout
    from tests.e2e.test_web_shell import login

    title = "关于开展办公用品集中采购需求征集的通知"
    login(page, mall, "liaocheng.center")
    page.locator(".el-menu .el-menu-item", has_text="公告管理").click()
    page.get_by_test_id("bulletin-new").click()
    form = page.get_by_test_id("bulletin-form")
    form.get_by_test_id("bulletin-title").fill(title)
    form.get_by_test_id("bulletin-body-input").fill("请各采购单位于本月底前报送下季度办公用品采购需求。")
    page.get_by_test_id("bulletin-save").click()
    expect(page.get_by_test_id("bulletin-table")).to_contain_text(title, timeout=15000)
    page.screenshot(path=str(artifacts / "bulletins-centre-1440.png"), full_page=True)
    logout(page)
    page.goto(f"{mall.web}/#/")
    expect(page.get_by_test_id("bulletins")).to_contain_text(title, timeout=30000)
