"""Detail pages follow their URL: from one product's or order's link to another's, and Back/Forward between them.

A detail view used to load only when it was mounted, and the router kept the same instance when only the
record's id changed, so the second URL showed the first record (and 加入购物车 added the first product).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import APIRequestContext, Page, Playwright, expect

from chalicelib.domain.uscc import make_uscc
from scheduled.sample_orders import DELIVERY
from tests.e2e.conftest import Mall
from tests.e2e.test_order_journey import CHINA, accepted_plan, call, register_listing_supplier, token_of
from tests.e2e.test_supplier_journey import catalog_has
from tests.e2e.test_web_shell import login

pytestmark = pytest.mark.browser

SITE = "liaocheng"
SUPPLIER = "hongyuan.office"
SUPPLIER_PASSWORD = "Hongyuan2026shop"
USCC = make_uscc("91", "371502", "MA7H8J9K1")
FIRST = "宏远 HY-60 长尾夹 41mm 24只装"
SECOND = "宏远 HY-88 文件夹 A4 双强力夹 10个装"


def listing(name: str, model: str, price_fen: int) -> dict[str, Any]:
    return {
        "category_id": "LC-0102",
        "name": name,
        "brand": "宏远",
        "model": model,
        "specs": [{"name": "规格", "value": model}],
        "price_fen": price_fen,
        "reference_price_fen": price_fen + 500,
        "reference_source": "京东自营 2026-11-20",
        "stock": 100,
        "images": [],
        "certificates": [],
    }


def second_listing(api: APIRequestContext, mall: Mall) -> None:
    supplier = token_of(api, SUPPLIER, SUPPLIER_PASSWORD)
    center = token_of(api, "liaocheng.center")
    config = call(api, "GET", f"/sites/{SITE}/config")
    districts = [d["code"] for d in config["districts"]]
    listed = call(
        api,
        "POST",
        f"/sites/{SITE}/listings",
        supplier,
        {**listing(SECOND, "HY-88", 2890), "delivery_districts": districts},
    )
    call(api, "POST", f"/sites/{SITE}/listings/{listed['id']}/review", center, {"decision": "approve", "reason": ""})


def catalog_id(api: APIRequestContext, name: str) -> str:
    found = call(api, "GET", f"/sites/{SITE}/catalog/search?q=宏远")
    return str(next(card["id"] for card in found["items"] if card["name"] == name))


def place_order(api: APIRequestContext, plan_no: str, listing_id: str) -> str:
    from datetime import datetime

    body = {
        "plan_no": plan_no,
        "supplier_uscc": USCC,
        "lines": [{"listing_id": listing_id, "quantity": 1}],
        "delivery": {**DELIVERY, "expected_date": (datetime.now(CHINA).date() + timedelta(days=3)).isoformat()},
        "note": "",
    }
    placed = call(api, "POST", f"/sites/{SITE}/orders", token_of(api, "liaocheng.buyer"), body)
    return str(placed["order_no"])


def test_detail_pages_follow_the_url_back_and_forward(
    page: Page, mall: Mall, artifacts: Path, playwright: Playwright
) -> None:
    api = playwright.request.new_context(base_url=mall.api)
    register_listing_supplier(
        api,
        mall,
        {
            "username": SUPPLIER,
            "password": SUPPLIER_PASSWORD,
            "uscc": USCC,
            "name": "聊城市宏远办公用品有限公司",
            "legal_representative": "陈宏远",
            "registered_address": "聊城市东昌府区柳园路 18 号",
            "home_district": "371502",
            "ownership": "private",
            "scale": "micro",
            "declaration": {"industry": "retail", "employees": 8, "revenue_fen": 150_000_000, "assets_fen": 50_000_000},
            "contact": {"name": "陈宏远", "phone": "13906351357", "email": "hongyuan@example.com"},
        },
        listing(FIRST, "HY-60", 1590),
    )
    second_listing(api, mall)
    catalog_has(mall, "宏远", FIRST)
    catalog_has(mall, "宏远", SECOND)
    first_id, second_id = catalog_id(api, FIRST), catalog_id(api, SECOND)
    plan_no = accepted_plan(api)
    first_order, second_order = place_order(api, plan_no, first_id), place_order(api, plan_no, second_id)

    login(page, mall, "liaocheng.buyer")
    name = page.get_by_test_id("product-name")
    page.goto(f"{mall.web}/#/catalog/{first_id}")
    expect(name).to_have_text(FIRST)
    page.goto(f"{mall.web}/#/catalog/{second_id}")  # a pasted link: same view, another record
    expect(name).to_have_text(SECOND)
    page.go_back()
    expect(name).to_have_text(FIRST)
    page.get_by_test_id("detail-add-cart").click()  # adds the product on screen, not the one shown before
    page.go_forward()
    expect(name).to_have_text(SECOND)
    page.screenshot(path=str(artifacts / "navigation-product-forward-1440.png"), full_page=True)

    number = page.get_by_test_id("order-detail-no")
    page.goto(f"{mall.web}/#/orders/{first_order}")
    expect(number).to_have_text(first_order)
    expect(page.get_by_test_id("order-lines")).to_contain_text(FIRST)
    page.goto(f"{mall.web}/#/orders/{second_order}")
    expect(number).to_have_text(second_order)
    expect(page.get_by_test_id("order-lines")).to_contain_text(SECOND)
    page.go_back()
    expect(number).to_have_text(first_order)
    expect(page.get_by_test_id("order-lines")).to_contain_text(FIRST)
    page.go_forward()
    expect(number).to_have_text(second_order)

    # A search by what the buyer calls it: 封箱带 is the site's synonym of 胶带, where these products are listed.
    page.goto(f"{mall.web}/#/catalog")
    page.get_by_test_id("catalog-search-input").fill("封箱带")
    page.get_by_test_id("catalog-search-button").click()
    expect(page.get_by_test_id("search-understood")).to_contain_text("已按“胶带”搜索“封箱带”")
    expect(page.get_by_test_id("matched-category")).to_contain_text("胶带")
    expect(page.get_by_test_id("search-total")).to_contain_text("件")
    expect(page.locator(".el-main")).to_contain_text(FIRST)
    page.screenshot(path=str(artifacts / "search-synonym-1440.png"), full_page=True)

    page.goto(f"{mall.web}/#/cart")
    cart = page.locator(".el-main")
    expect(cart).to_contain_text(FIRST)
    expect(cart).not_to_contain_text(SECOND)
    api.dispose()
