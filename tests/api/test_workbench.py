"""工作台: each role's to-do counts, in step with the lists they link to."""

from __future__ import annotations

from tests.api.orders_support import COPY_PAPER, SITE, add_listing, add_plan, order_body
from tests.conftest import Api


def tiles(api: Api, user: str, site: str = SITE) -> dict[str, dict]:  # type: ignore[type-arg]
    status, body = api.call("GET", f"/sites/{site}/workbench", as_user=user)
    assert status == 200, body
    return {t["key"]: t for t in body["tiles"]}


def test_counts_follow_the_work(api: Api, suppliers_seeded: int) -> None:
    from tests.api.test_plans_api import plan_body, push

    buyer = tiles(api, "liaocheng.buyer")
    assert list(buyer) == ["plans_pending", "orders_to_accept", "orders_to_rate", "competitions_open"]
    assert buyer["plans_pending"]["label"] == "待接收计划" and buyer["plans_pending"]["count"] == 0
    assert buyer["plans_pending"]["link"] == "/plans?status=pending_acceptance"
    assert push(api, plan_body(31))[0] == 201
    assert tiles(api, "liaocheng.buyer")["plans_pending"]["count"] == 1

    plan = add_plan(1, budget_fen=1_000_000)
    paper = add_listing("supplier.demo", COPY_PAPER, "得力 A4 复印纸 70g", "DL-7055", 2_500, 100)
    supplier = tiles(api, "supplier.demo")
    assert supplier["orders_to_confirm"]["count"] == 0
    status, order = api.call(
        "POST", f"/sites/{SITE}/orders", order_body(plan, "supplier.demo", [(paper, 2)]), as_user="liaocheng.buyer"
    )
    assert status == 201
    no = order["order_no"]
    assert tiles(api, "supplier.demo")["orders_to_confirm"]["count"] == 1
    # The list the tile links to shows the same orders.
    status, listed = api.call("GET", f"/sites/{SITE}/orders?status=pending_confirmation", as_user="supplier.demo")
    assert [o["order_no"] for o in listed["items"]] == [no]
    assert api.call("POST", f"/sites/{SITE}/orders/{no}/confirm", {}, as_user="supplier.demo")[0] == 200
    after = tiles(api, "supplier.demo")
    assert (after["orders_to_confirm"]["count"], after["orders_to_ship"]["count"]) == (0, 1)
    ship = {"carrier": "顺丰速运", "waybill_no": "SF1402675318"}
    status, body = api.call("POST", f"/sites/{SITE}/orders/{no}/ship", ship, as_user="supplier.demo")
    assert status == 200, body
    assert tiles(api, "liaocheng.buyer")["orders_to_accept"]["count"] == 1
    # Another site's supplier work is not counted here.
    assert tiles(api, "supplier.demo", "weihai")["orders_to_ship"]["count"] == 0

    center = tiles(api, "liaocheng.center")
    assert list(center) == [
        "suppliers_pending",
        "supplier_changes",
        "listings_pending",
        "terminations_pending",
        "followups_open",
        "orders_overdue",
    ]
    assert center["suppliers_pending"]["count"] >= 1  # the demo's pending supplier
    finance = tiles(api, "liaocheng.finance")
    assert list(finance) == ["reports", "orders_terminated"]
    # A city's user has no workbench in another city.
    status, body = api.call("GET", "/sites/weihai/workbench", as_user="liaocheng.buyer")
    assert status == 403


def test_the_centres_warning_counts_orders_left_unconfirmed(api: Api, suppliers_seeded: int) -> None:
    """预警: orders placed three China days ago or earlier that the supplier has not confirmed; the tile opens the
    list with the same filter, and both show the same orders."""
    from datetime import timedelta

    from chalicelib.domain import orders as order_rules
    from chalicelib.domain.clock import utc_now
    from chalicelib.store.orders import DynamoOrderStore
    from scheduled.sample_orders import BUREAU_BUYER, new_order

    plan = add_plan(2, budget_fen=1_000_000)
    paper = add_listing("supplier.demo", COPY_PAPER, "得力 A4 复印纸 70g", "DL-7055", 2_500, 100)
    four_days_ago = utc_now() - timedelta(days=4)
    old = order_rules.place(
        DynamoOrderStore(), SITE, BUREAU_BUYER, new_order(plan, "supplier.demo", [(paper, 1)]), four_days_ago
    )
    status, _ = api.call(
        "POST", f"/sites/{SITE}/orders", order_body(plan, "supplier.demo", [(paper, 1)]), as_user="liaocheng.buyer"
    )
    assert status == 201
    tile = tiles(api, "liaocheng.center")["orders_overdue"]
    assert tile["label"] == "预警" and tile["count"] == 1
    status, listed = api.call(
        "GET",
        f"/sites/{SITE}{tile['link'].removeprefix('/orders').replace('?', '/orders?', 1)}",
        as_user="liaocheng.center",
    )
    assert status == 200 and [o["order_no"] for o in listed["items"]] == [old.order_no]
    assert api.call("POST", f"/sites/{SITE}/orders/{old.order_no}/confirm", {}, as_user="supplier.demo")[0] == 200
    assert tiles(api, "liaocheng.center")["orders_overdue"]["count"] == 0
