"""工作台 and 站内信 in the browser: each role's counts are the API's, a tile opens its filtered list, and the
supplier's confirmation reaches the buyer's message centre (through the stream, not the request)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, Playwright, expect

from chalicelib.domain.uscc import make_uscc
from tests.e2e.conftest import Mall
from tests.e2e.test_navigation import listing
from tests.e2e.test_order_journey import accepted_plan, call, register_listing_supplier, token_of
from tests.e2e.test_supplier_journey import catalog_has, logout
from tests.e2e.test_web_shell import login

pytestmark = pytest.mark.browser

SITE = "liaocheng"
SUPPLIER = "mingda.office"
PASSWORD = "Mingda2026shop"
USCC = make_uscc("91", "371503", "MA5M6N7P8")
PRODUCT = "明达 MD-20 订书机 24/6 20页"


def counts(api: Any, user: str, password: str | None = None) -> dict[str, str]:
    token = token_of(api, user, password) if password else token_of(api, user)
    body = call(api, "GET", f"/sites/{SITE}/workbench", token)
    return {t["key"]: t["count_text"] for t in body["tiles"]}


def test_workbench_counts_and_a_notice_reaching_the_buyer(
    page: Page, mall: Mall, artifacts: Path, playwright: Playwright
) -> None:
    api = playwright.request.new_context(base_url=mall.api)
    register_listing_supplier(
        api,
        mall,
        {
            "username": SUPPLIER,
            "password": PASSWORD,
            "uscc": USCC,
            "name": "聊城市明达办公设备有限公司",
            "legal_representative": "赵明达",
            "registered_address": "聊城市茌平区振兴路 9 号",
            "home_district": "371503",
            "ownership": "private",
            "scale": "micro",
            "declaration": {"industry": "retail", "employees": 7, "revenue_fen": 130_000_000, "assets_fen": 45_000_000},
            "contact": {"name": "赵明达", "phone": "13906352222", "email": "mingda@example.com"},
        },
        {**listing(PRODUCT, "MD-20", 2_680), "brand": "明达"},
    )
    catalog_has(mall, "明达", PRODUCT)
    found = call(api, "GET", f"/sites/{SITE}/catalog/search?q=明达")
    listing_id = next(card["id"] for card in found["items"] if card["name"] == PRODUCT)
    order_no = place_order_by(api, accepted_plan(api), listing_id)

    # The supplier's workbench shows what the API counts; the tile opens the filtered list.
    login(page, mall, SUPPLIER, password=PASSWORD)
    expected = counts(api, SUPPLIER, PASSWORD)
    assert expected["orders_to_confirm"] == "1"
    tile = page.get_by_test_id("workbench-orders_to_confirm")
    expect(tile.get_by_test_id("workbench-count")).to_have_text(expected["orders_to_confirm"])
    for key, text in expected.items():
        expect(page.get_by_test_id(f"workbench-{key}").get_by_test_id("workbench-count")).to_have_text(text)
    page.screenshot(path=str(artifacts / "workbench-supplier-1440.png"), full_page=True)
    tile.click()
    expect(page.get_by_test_id("orders-table")).to_contain_text(order_no)
    call(api, "POST", f"/sites/{SITE}/orders/{order_no}/confirm", token_of(api, SUPPLIER, PASSWORD), {})
    logout(page)

    # The buyer: the bell counts the notice once the stream has carried it; the message opens the order.
    page.set_viewport_size({"width": 1024, "height": 768})
    login(page, mall, "liaocheng.buyer")
    buyer = counts(api, "liaocheng.buyer")
    for key, text in buyer.items():
        expect(page.get_by_test_id(f"workbench-{key}").get_by_test_id("workbench-count")).to_have_text(text)
    page.screenshot(path=str(artifacts / "workbench-buyer-1024.png"), full_page=True)
    notice_arrived(api, order_no)  # the stream carried it; the page reads it on its next load
    page.reload()
    badge = page.get_by_test_id("inbox-badge")
    expect(badge.locator(".el-badge__content")).to_be_visible()
    page.get_by_test_id("inbox-bell").click()
    message = page.get_by_test_id("message").filter(has_text=f"订单已确认：{order_no}")
    expect(message).to_be_visible(timeout=30000)
    expect(badge).to_be_visible()
    page.screenshot(path=str(artifacts / "messages-buyer-1024.png"), full_page=True)
    message.click()
    expect(page.get_by_test_id("order-detail-no")).to_have_text(order_no)
    api.dispose()


def place_order_by(api: Any, plan_no: str, listing_id: str) -> str:
    from datetime import datetime, timedelta

    from scheduled.sample_orders import DELIVERY
    from tests.e2e.test_order_journey import CHINA

    body = {
        "plan_no": plan_no,
        "supplier_uscc": USCC,
        "lines": [{"listing_id": listing_id, "quantity": 2}],
        "delivery": {**DELIVERY, "expected_date": (datetime.now(CHINA).date() + timedelta(days=3)).isoformat()},
        "note": "",
    }
    return str(call(api, "POST", f"/sites/{SITE}/orders", token_of(api, "liaocheng.buyer"), body)["order_no"])


def notice_arrived(api: Any, order_no: str, timeout: float = 90) -> None:
    """Wait for the condition (the notice stored by the asynchronous side), not for a fixed time."""
    import time

    token = token_of(api, "liaocheng.buyer")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        box = call(api, "GET", "/me/notifications?unread=true", token)
        if any(n["link"] == f"/orders/{order_no}" and n["kind"] == "order_confirmed" for n in box["items"]):
            return
        time.sleep(0.5)
    raise AssertionError(f"no notice of {order_no}'s confirmation after {timeout}s")
