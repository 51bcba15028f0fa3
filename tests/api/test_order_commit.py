"""Placing is pricing, then one commit for every purchase method; every order says how it was bought."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from chalicelib.domain import orders
from chalicelib.domain.clock import china_date, utc_now
from chalicelib.domain.orders import Delivery, NewOrder, OrderLine, Priced
from chalicelib.domain.principals import Principal, Role
from chalicelib.domain.purchase import BuyingMode, Mechanism, OrderSource, SourceKind
from chalicelib.store.orders import DynamoOrderStore
from scheduled import demo_market
from scheduled.sample_orders import BUREAU, add_listing, supplier_code
from tests.api.orders_support import COPY_PAPER, SITE, add_plan, ledger, order_body
from tests.conftest import Api


def _buyer() -> Principal:
    return Principal("u", "liaocheng.buyer", "张敏", Role.BUYER, SITE, BUREAU, "聊城市教育和体育局", "371500")


def test_a_direct_purchase_records_its_method_mechanism_and_source(api: Api, aws: dict[str, str]) -> None:
    demo_market.seed_demo_suppliers(aws["USER_POOL_ID"])
    plan_no = add_plan(1, budget_fen=1_000_000)
    paper = add_listing("supplier.demo", COPY_PAPER, "得力 A4 复印纸 70g", "DL-7055", 2_500, 100)
    status, order = api.call(
        "POST", f"/sites/{SITE}/orders", order_body(plan_no, "supplier.demo", [(paper, 2)]), as_user="liaocheng.buyer"
    )
    assert status == 201, order
    assert (order["method"], order["mechanism"]) == ("supermarket", "direct")
    assert (order["method_label"], order["mechanism_label"]) == ("超市采购", "直购")
    assert order["source"] == {"kind": "listing", "refs": [paper]} and order["source_label"] == "商城商品"
    status, log = api.call("GET", f"/sites/{SITE}/orders/{order['order_no']}", as_user="liaocheng.buyer")
    assert status == 200 and log["timeline"][-1]["summary"].startswith("超市采购·直购下单")


def test_one_commit_for_every_method_takes_stock_only_where_a_line_has_it(api: Api, aws: dict[str, str]) -> None:
    """An awarded line (a bidding's winning quote, later) is committed like any order, without a listing's stock."""
    demo_market.seed_demo_suppliers(aws["USER_POOL_ID"])
    plan_no = add_plan(2, budget_fen=1_000_000)
    paper = add_listing("supplier.demo", COPY_PAPER, "得力 A4 复印纸 70g", "DL-7055", 2_500, 100)
    store = DynamoOrderStore()
    now = utc_now()
    inputs = store.inputs(SITE, plan_no, supplier_code("supplier.demo"), [paper], BUREAU, now.year)
    assert inputs.site and inputs.plan and inputs.supplier
    awarded = OrderLine(paper, "复印纸（竞价成交）", "得力", "DL-7055", COPY_PAPER, "A05040101", 2_300, 40, False)
    priced = Priced((awarded,), BuyingMode.SUPERMARKET, Mechanism.BIDDING, OrderSource(SourceKind.BIDDING, ("JJ1",)))
    day = china_date(now + timedelta(days=3)).isoformat()
    new = NewOrder(
        plan_no, inputs.supplier.uscc, ((paper, 40),), Delivery("东昌路 1 号", "张敏", "0635-8241234", day), ""
    )
    before = ledger(plan_no, [paper])
    order = orders.commit(store, inputs.site, inputs.plan, inputs.supplier, _buyer(), priced, new, 0, now)
    after = ledger(plan_no, [paper])
    assert after.committed_fen - before.committed_fen == 92_000 == order.total_fen  # 40 × 23.00 元
    assert after.spent_fen - before.spent_fen == 92_000
    assert after.stock == before.stock and after.sales == before.sales  # no listing stock taken
    assert (after.orders, after.audit_events) == (before.orders + 1, before.audit_events + 1)
    stored: Any = store.get(SITE, order.order_no)
    assert (stored.mechanism, stored.source) == (Mechanism.BIDDING, OrderSource(SourceKind.BIDDING, ("JJ1",)))


def test_orders_stored_before_methods_were_recorded_read_as_direct_purchases() -> None:
    from tests.unit.test_orders_domain import make_order

    stored = orders.order_to_dict(make_order())
    for key in ("method", "mechanism", "source"):
        stored.pop(key)
    for line in stored["lines"]:
        line.pop("tracks_stock")
    old = orders.order_from_dict(stored)
    assert (old.method, old.mechanism) == (BuyingMode.SUPERMARKET, Mechanism.DIRECT)
    assert old.source == OrderSource(SourceKind.LISTING, ("a" * 32, "b" * 32))
    assert all(line.tracks_stock for line in old.lines)
