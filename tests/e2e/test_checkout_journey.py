"""A checkout with two suppliers and two plans in the browser: the mall proposes a plan of its own for each
supplier's order, says why a plan the buyer picks cannot pay (and blocks submission while it stands), and places
each order on its plan."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import APIRequestContext, Page, Playwright, expect

from chalicelib.domain.uscc import make_uscc
from tests.e2e.conftest import Mall
from tests.e2e.test_navigation import listing
from tests.e2e.test_order_journey import CHINA, call, register_listing_supplier, token_of
from tests.e2e.test_supplier_journey import catalog_has
from tests.e2e.test_web_shell import login

pytestmark = pytest.mark.browser

SITE = "liaocheng"
SELLERS = (
    ("boya.office", "Boya2026office", "MA6B7Y8A1", "聊城市博雅办公用品有限公司", "博雅 BY-48 封箱胶带 48mm×60m", 3_000),
    ("ruifeng.trade", "Ruifeng2026trade", "MA6R7F8G2", "聊城市瑞丰商贸有限公司", "瑞丰 RF-45 封箱胶带 45mm×50m", 2_500),
)


def seller(api: APIRequestContext, mall: Mall, entry: tuple[str, str, str, str, str, int]) -> None:
    username, password, subject, name, product, price = entry
    register_listing_supplier(
        api,
        mall,
        {
            "username": username,
            "password": password,
            "uscc": make_uscc("91", "371502", subject),
            "name": name,
            "legal_representative": "王" + name[4:6],
            "registered_address": "聊城市东昌府区柳园路 1 号",
            "home_district": "371502",
            "ownership": "private",
            "scale": "micro",
            "declaration": {"industry": "retail", "employees": 6, "revenue_fen": 120_000_000, "assets_fen": 40_000_000},
            "contact": {"name": "王经理", "phone": "13906350001", "email": f"{username}@example.com"},
        },
        {**listing(product, product.split()[1], price), "brand": product.split()[0]},
    )


def plan(api: APIRequestContext, name: str, amount_fen: int) -> str:
    today = datetime.now(CHINA).date()
    made = call(
        api,
        "POST",
        f"/sites/{SITE}/plans",
        token_of(api, "liaocheng.buyer"),
        {
            "name": name,
            "business_year": today.year,
            "business_month": today.month,
            "purchase_method": "online_supermarket",
            "budget_category": "A05040401",
            "amount_fen": amount_fen,
            "planned_date": today.isoformat(),
            "note": "",
        },
    )
    return str(made["plan_no"])


def add_to_cart(page: Page, mall: Mall, listing_id: str, quantity: int) -> None:
    page.goto(f"{mall.web}/#/catalog/{listing_id}")
    page.get_by_test_id("detail-quantity").locator("input").fill(str(quantity))
    page.get_by_test_id("detail-add-cart").click()
    expect(page.get_by_test_id("detail-go-cart")).to_contain_text(f"{quantity} 件")


def pick_plan(page: Page, group: Any, plan_no: str) -> None:
    group.get_by_test_id("checkout-plan").click()
    page.locator(".el-select-dropdown__item:visible", has_text=plan_no).click()


def test_two_suppliers_two_plans(page: Page, mall: Mall, artifacts: Path, playwright: Playwright) -> None:
    api = playwright.request.new_context(base_url=mall.api)
    for entry in SELLERS:
        seller(api, mall, entry)
    small = plan(api, "办公耗材采购（一季度）", 10_000)  # 100 元
    large = plan(api, "办公耗材采购（全年）", 500_000)  # 5,000 元
    ids = []
    for entry in SELLERS:
        catalog_has(mall, entry[4].split()[0], entry[4])
        found = call(api, "GET", f"/sites/{SITE}/catalog/search?q={entry[4].split()[0]}")
        ids.append(next(c["id"] for c in found["items"] if c["name"] == entry[4]))

    login(page, mall, "liaocheng.buyer")
    add_to_cart(page, mall, ids[0], 4)  # 120 元: only the large plan pays
    add_to_cart(page, mall, ids[1], 2)  # 50 元: the small plan, of its own
    page.goto(f"{mall.web}/#/checkout")
    groups = page.get_by_test_id("cart-group")
    expect(groups).to_have_count(2)
    boya, ruifeng = groups.nth(0), groups.nth(1)
    expect(boya.get_by_test_id("checkout-plan")).to_contain_text(large, timeout=30000)
    expect(ruifeng.get_by_test_id("checkout-plan")).to_contain_text(small)
    expect(page.get_by_text("系统推荐")).to_have_count(2)
    page.get_by_test_id("checkout-address").fill("聊城市东昌府区东昌西路 98 号 3 楼办公室")
    page.get_by_test_id("checkout-phone").fill("0635-8241234")
    page.screenshot(path=str(artifacts / "checkout-two-plans-1440.png"), full_page=True)

    # The buyer picks the small plan for the larger order: refused before anything is placed, with the reason.
    pick_plan(page, boya, small)
    expect(boya.get_by_test_id("checkout-problem")).to_contain_text("余额不足：可用 100.00 元，本单 120.00 元")
    expect(page.get_by_test_id("checkout-submit")).to_be_disabled()
    page.set_viewport_size({"width": 1024, "height": 768})
    page.screenshot(path=str(artifacts / "checkout-blocked-1024.png"), full_page=True)
    pick_plan(page, boya, large)
    expect(boya.get_by_test_id("checkout-problem")).to_have_count(0)
    expect(page.get_by_test_id("checkout-submit")).to_be_enabled()
    page.get_by_test_id("checkout-submit").click()
    expect(page.get_by_test_id("checkout-result-ok")).to_have_count(2, timeout=30000)

    orders = call(api, "GET", f"/sites/{SITE}/orders?limit=10", token_of(api, "liaocheng.buyer"))["items"]
    mine = (SELLERS[0][3], SELLERS[1][3])
    placed = {o["supplier"]["name"]: o["plan_no"] for o in orders if o["supplier"]["name"] in mine}
    assert placed == {SELLERS[0][3]: large, SELLERS[1][3]: small}
    api.dispose()
