"""直购 in the browser: cart, checkout against a plan, the supplier confirms and ships, the buyer accepts and rates.

The set-up goes through the API (an active supplier with an approved listing, an accepted self-built plan);
everything the buyer and the supplier do with the order happens in the web UI.
"""

from __future__ import annotations

import json
import re
import urllib.request
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import APIRequestContext, Page, Playwright, expect

from chalicelib.domain.uscc import make_uscc
from scheduled.seed import DEMO_PASSWORD
from tests.e2e.conftest import Mall
from tests.e2e.test_supplier_journey import catalog_has, logout
from tests.e2e.test_web_shell import login

pytestmark = pytest.mark.browser

SITE = "liaocheng"
SUPPLIER = "jinghua.stationery"
SUPPLIER_PASSWORD = "Jinghua2026shop"
SUPPLIER_NAME = "临清市晶华文具有限公司"
USCC = make_uscc("91", "371581", "MA3P6Q7R8")
PRODUCT = "晶华 JH-18 透明封箱胶带 48mm×100m 6卷装"
KEYWORD = "晶华 胶带"
PRICE_FEN = 3650  # 36.50 元
QUANTITY = 3
CHINA = timezone(timedelta(hours=8))


def call(api: APIRequestContext, method: str, path: str, token: str = "", body: Any = None) -> Any:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body, ensure_ascii=False) if body is not None else None
    response = api.fetch(path, method=method, headers=headers, data=data)
    assert response.ok, f"{method} {path}: {response.status} {response.text()}"
    return response.json()


def token_of(api: APIRequestContext, username: str, password: str = DEMO_PASSWORD) -> str:
    return str(call(api, "POST", "/auth/login", body={"username": username, "password": password})["token"])


def register_listing_supplier(
    api: APIRequestContext, mall: Mall, registration: dict[str, Any], listing: dict[str, Any]
) -> None:
    """Register (the body of /suppliers/register), upload the licence (presigned POST), get approved by 聊城's
    centre, list the product (delivered to every district of 聊城) and get the listing approved."""
    supplier = register_supplier(api, registration)
    center = token_of(api, "liaocheng.center")
    with urllib.request.urlopen(f"{mall.api}/sites/{SITE}/config", timeout=10) as response:
        districts = [d["code"] for d in json.loads(response.read())["districts"]]
    listed = call(api, "POST", f"/sites/{SITE}/listings", supplier, {**listing, "delivery_districts": districts})
    call(api, "POST", f"/sites/{SITE}/listings/{listed['id']}/review", center, {"decision": "approve", "reason": ""})


def register_supplier(api: APIRequestContext, registration: dict[str, Any]) -> str:
    """Register, upload the licence and get approved by 聊城's centre (no listing); returns the supplier's token."""
    call(api, "POST", "/suppliers/register", body=registration)
    supplier = token_of(api, registration["username"], registration["password"])
    licence = b"%PDF-1.4\n% licence\n"
    started = call(
        api,
        "POST",
        "/suppliers/me/documents",
        supplier,
        {
            "kind": "business_license",
            "file_name": "营业执照.pdf",
            "content_type": "application/pdf",
            "size": len(licence),
        },
    )
    upload = started["upload"]
    form: dict[str, Any] = dict(upload["fields"])
    form["file"] = {"name": "营业执照.pdf", "mimeType": "application/pdf", "buffer": licence}
    posted = api.post(upload["url"], multipart=form)
    assert posted.ok, f"licence upload: {posted.status} {posted.text()}"
    call(api, "POST", f"/suppliers/me/documents/{started['doc_id']}/confirm", supplier, {})

    center = token_of(api, "liaocheng.center")
    call(api, "POST", f"/suppliers/{registration['uscc']}/review", center, {"decision": "approve", "reason": ""})
    return supplier


def active_supplier_with_listing(api: APIRequestContext, mall: Mall) -> None:
    """晶华 with its 胶带 (A05040401) on sale."""
    register_listing_supplier(
        api,
        mall,
        {
            "username": SUPPLIER,
            "password": SUPPLIER_PASSWORD,
            "uscc": USCC,
            "name": SUPPLIER_NAME,
            "legal_representative": "孟晶华",
            "registered_address": "临清市青年街道新华路 66 号",
            "home_district": "371581",
            "ownership": "private",
            "scale": "micro",
            "declaration": {"industry": "retail", "employees": 6, "revenue_fen": 120_000_000, "assets_fen": 40_000_000},
            "contact": {"name": "孟晶华", "phone": "13906352468", "email": "jinghua@example.com"},
        },
        {
            "category_id": "LC-0102",  # 胶带 → A05040401 文具, 二级品目 A05040000
            "name": PRODUCT,
            "brand": "晶华",
            "model": "JH-18",
            "specs": [{"name": "宽度", "value": "48mm"}, {"name": "长度", "value": "100m"}],
            "price_fen": PRICE_FEN,
            "reference_price_fen": 4200,
            "reference_source": "京东自营 2026-11-20",
            "stock": 200,
            "images": [],
            "certificates": [],
        },
    )


def accepted_plan(api: APIRequestContext) -> str:
    """A self-built plan starts accepted: 文具 A05040401, the same 二级品目 as the listing."""
    today = datetime.now(CHINA).date()
    plan = call(
        api,
        "POST",
        f"/sites/{SITE}/plans",
        token_of(api, "liaocheng.buyer"),
        {
            "name": "办公耗材采购（封箱胶带）",
            "business_year": today.year,
            "business_month": today.month,
            "purchase_method": "online_supermarket",
            "budget_category": "A05040401",
            "amount_fen": 500_000,
            "planned_date": today.isoformat(),
            "note": "",
        },
    )
    assert plan["status"] == "accepted"
    return str(plan["plan_no"])


def open_order(page: Page, order_no: str) -> None:
    page.locator(".el-menu .el-menu-item", has_text="订单管理").click()
    page.get_by_test_id("orders-table").locator("tr", has_text=order_no).get_by_test_id("order-no").click()
    expect(page.get_by_test_id("order-detail-no")).to_have_text(order_no)


def reason_dialog(page: Page, text: str) -> None:
    dialog = page.get_by_test_id("reason-dialog")
    dialog.get_by_test_id("reason-input").fill(text)
    dialog.get_by_test_id("reason-confirm").click()
    expect(dialog).to_be_hidden()


def test_buyer_orders_from_the_cart_and_the_supplier_fulfils(
    page: Page, mall: Mall, artifacts: Path, playwright: Playwright
) -> None:
    api = playwright.request.new_context(base_url=mall.api)
    try:
        active_supplier_with_listing(api, mall)
        plan_no = accepted_plan(api)
    finally:
        api.dispose()
    catalog_has(mall, KEYWORD, PRODUCT)

    # 1. The buyer finds the product and puts three into the cart.
    login(page, mall, "liaocheng.buyer")
    page.locator(".el-menu .el-menu-item", has_text="网上超市").click()
    page.get_by_test_id("catalog-search-input").fill(KEYWORD)
    page.get_by_test_id("catalog-search-button").click()
    page.get_by_test_id("catalog-item").filter(has_text="JH-18").get_by_test_id("catalog-item-link").click()
    expect(page.get_by_test_id("product-name")).to_have_text(PRODUCT)
    page.get_by_test_id("detail-quantity").locator("input").fill(str(QUANTITY))
    page.get_by_test_id("detail-add-cart").click()
    expect(page.get_by_test_id("detail-go-cart")).to_contain_text(f"{QUANTITY} 件")
    page.screenshot(path=str(artifacts / "order-1-product.png"), full_page=True)

    # 2. The cart groups by supplier; 3 × 36.50 = 109.50 元.
    page.locator(".el-menu .el-menu-item", has_text="购物车").click()
    group = page.get_by_test_id("cart-group")
    expect(group.get_by_test_id("cart-group-supplier")).to_have_text(SUPPLIER_NAME)
    expect(page.get_by_test_id("cart-total")).to_have_text("¥109.50")
    page.screenshot(path=str(artifacts / "order-2-cart.png"), full_page=True)

    # 3. Checkout against the plan: one order for the one supplier.
    page.get_by_test_id("cart-checkout").click()
    page.get_by_test_id("checkout-plan").click()
    page.locator(".el-select-dropdown__item:visible", has_text=plan_no).click()
    expect(page.get_by_test_id("checkout-problem")).to_have_count(0)  # the forecast finds nothing to refuse
    page.get_by_test_id("checkout-address").fill("聊城市东昌府区东昌西路 98 号 3 楼办公室")
    page.get_by_test_id("checkout-contact").fill("张敏")
    page.get_by_test_id("checkout-phone").fill("0635-8241234")
    page.get_by_test_id("checkout-note").fill("请工作日送货")
    page.evaluate("window.scrollTo(0, 0)")  # the sticky header stays on top in a full-page shot
    page.screenshot(path=str(artifacts / "order-3-checkout.png"), full_page=True)
    page.get_by_test_id("checkout-submit").click()
    order_link = page.get_by_test_id("checkout-result-ok").get_by_test_id("checkout-order-no")
    expect(order_link).to_have_text(re.compile(r"^YC\d{18}$"), timeout=15000)
    order_no = order_link.inner_text()
    expect(page.get_by_test_id("checkout-go-orders")).to_be_visible()  # the cart is empty now
    page.screenshot(path=str(artifacts / "order-4-placed.png"), full_page=True)
    logout(page)

    # 4. The supplier confirms and ships.
    login(page, mall, SUPPLIER, password=SUPPLIER_PASSWORD)
    open_order(page, order_no)
    expect(page.get_by_test_id("order-status")).to_have_text("待确认")
    page.get_by_test_id("order-action-confirm").click()
    page.locator(".el-message-box").get_by_role("button", name="确定").click()
    expect(page.get_by_test_id("order-status")).to_have_text("已确认")
    expect(page.get_by_test_id("order-document-confirmation")).to_be_visible()
    page.get_by_test_id("order-action-ship").click()
    ship = page.get_by_test_id("ship-dialog")
    ship.get_by_test_id("ship-carrier").click()
    page.get_by_role("option", name="顺丰速运").click()
    ship.get_by_test_id("ship-waybill").fill("SF1402675318")
    ship.get_by_test_id("ship-confirm").click()
    expect(ship).to_be_hidden()
    expect(page.get_by_test_id("order-status")).to_have_text("已发货")
    page.screenshot(path=str(artifacts / "order-5-shipped.png"), full_page=True)
    logout(page)

    # 5. The buyer accepts and rates the supplier.
    login(page, mall, "liaocheng.buyer")
    open_order(page, order_no)
    page.get_by_test_id("order-action-accept").click()
    accept = page.get_by_test_id("accept-dialog")
    accept.get_by_test_id("accept-opinion").fill("货物完好，数量无误")
    accept.get_by_test_id("accept-confirm").click()
    expect(accept).to_be_hidden()
    expect(page.get_by_test_id("order-status")).to_have_text("已验收")
    expect(page.get_by_test_id("order-document-acceptance")).to_be_visible()
    page.get_by_test_id("order-action-rate-supplier").click()
    rating = page.get_by_test_id("rating-dialog")
    rating.locator(".el-rate__item").nth(4).click()
    rating.get_by_test_id("rating-comment").fill("送货及时，包装完好")
    rating.get_by_test_id("rating-confirm").click()
    expect(page.get_by_test_id("order-ratings")).to_contain_text("送货及时，包装完好")
    expect(page.get_by_test_id("order-action-rate-supplier")).to_have_count(0)
    expect(page.get_by_test_id("order-action-rate-mall")).to_be_visible()

    # The order shows 已验收 with its whole history, each step with who and when.
    timeline = page.get_by_test_id("order-timeline")
    for step in (
        "直购下单",
        "供应商确认订单",
        "供应商发货：顺丰速运 SF1402675318",
        "采购人验收合格：货物完好，数量无误",
        "采购人评价供应商：5 星",
    ):
        expect(timeline).to_contain_text(step)
    expect(timeline).to_contain_text("状态：已发货 → 已验收")
    expect(timeline).to_contain_text(SUPPLIER_NAME)
    expect(page.get_by_test_id("order-lines")).to_contain_text("109.50")
    page.screenshot(path=str(artifacts / "order-6-accepted.png"), full_page=True)
