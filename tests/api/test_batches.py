"""批量采购 on moto: the operator opens a batch, buyers join from their plans (the amount reserved), the join window
closes (the deadline task), suppliers offer 优惠率, the best rate wins and each buyer gets an order at the discounted
price; too few buyers or no offer fail the batch and give the reservations back. Bad input writes nothing."""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

import boto3
import pytest

from chalicelib.domain.clock import china_date, to_iso, utc_now
from chalicelib.lambdas import TIMER_FUNCTION
from chalicelib.store.models import AuditItem, BatchEntryItem, OrderItem, PlanItem
from scheduled import demo_market
from scheduled.emulation import acting_as
from tests.api.orders_support import DELIVERY, SITE, supplier_code
from tests.conftest import Api

CENTER = "liaocheng.center"
BUYERS = ("liaocheng.buyer", "liaocheng.buyer2")
BASE = f"/sites/{SITE}/batches"
TAPE = "LC-0102"  # 胶带, A05040401: a decentralized category a self-built plan may buy


def self_built_plan(api: Api, buyer: str, amount_fen: int = 300_000) -> str:
    today = china_date(utc_now())
    status, plan = api.call(
        "POST",
        f"/sites/{SITE}/plans",
        {
            "name": "办公耗材批量采购（封箱胶带）",
            "business_year": today.year,
            "business_month": today.month,
            "purchase_method": "online_supermarket",
            "budget_category": "A05040401",
            "amount_fen": amount_fen,
            "planned_date": today.isoformat(),
            "note": "",
        },
        as_user=buyer,
    )
    assert status == 201 and plan["status"] == "accepted", plan
    return str(plan["plan_no"])


def committed(plan_no: str) -> int:
    return int(PlanItem.get(f"{SITE}#PLAN#{plan_no}", "PLAN").committed_fen)


def open_body(**changes: Any) -> dict[str, Any]:
    now = utc_now()
    body: dict[str, Any] = {
        "title": "封箱胶带 48mm 批量采购",
        "category_id": TAPE,
        "spec": "48mm×100m，透明，每卷不少于 100 米",
        "unit": "卷",
        "reference_price_fen": 1_000,  # 10 元/卷
        "min_buyers": 2,
        "join_until": to_iso(now + timedelta(minutes=10)),
        "offer_until": to_iso(now + timedelta(minutes=20)),
    }
    body.update(changes)
    return body


def join_body(plan_no: str, quantity: int) -> dict[str, Any]:
    expected = (china_date(utc_now()) + timedelta(days=5)).isoformat()
    return {"plan_no": plan_no, "quantity": quantity, "delivery": {**DELIVERY, "expected_date": expected}}


def close(site_id: str, batch_id: str, minutes_later: int) -> str:
    """The deadline task, run as the timer function would run it, at a time after the window."""
    from chalicelib.handlers.batches import close_window

    with acting_as(TIMER_FUNCTION):
        return close_window(
            {"kind": "batch_window", "site_id": site_id, "batch_id": batch_id},
            utc_now() + timedelta(minutes=minutes_later),
        )


def writes() -> tuple[int, int]:
    return sum(1 for _ in AuditItem.scan()), sum(1 for _ in OrderItem.scan())


@pytest.fixture
def market(api: Api, aws: dict[str, str]) -> dict[str, Any]:
    demo_market.seed_demo_suppliers(aws["USER_POOL_ID"])
    plans = {buyer: self_built_plan(api, buyer) for buyer in BUYERS}
    yield plans
    sfn = boto3.client("stepfunctions")
    for execution in sfn.list_executions(stateMachineArn=aws["DEADLINE_STATE_MACHINE_ARN"])["executions"]:
        if execution["status"] == "RUNNING":
            from tests.conftest import stop_execution

            stop_execution(execution["executionArn"])


def test_a_batch_from_joining_to_each_buyer_s_order(api: Api, market: dict[str, str]) -> None:
    status, batch = api.call("POST", BASE, open_body(), as_user=CENTER)
    assert status == 201, batch
    assert (
        batch["status_label"] == "报名中"
        and batch["method_label"] == "批量采购"
        and batch["mechanism_label"] == "优惠率"
    )
    bid = batch["id"]
    executions = boto3.client("stepfunctions").list_executions(
        stateMachineArn=os.environ["DEADLINE_STATE_MACHINE_ARN"]
    )["executions"]
    assert any(bid in e["name"] for e in executions)  # the join window's timer is armed

    first, second = market[BUYERS[0]], market[BUYERS[1]]
    status, joined = api.call("POST", f"{BASE}/{bid}/entries", join_body(first, 120), as_user=BUYERS[0])
    assert status == 201, joined
    assert committed(first) == 120_000  # 120 卷 × 10 元 reserved
    status, joined = api.call("POST", f"{BASE}/{bid}/entries", join_body(second, 80), as_user=BUYERS[1])
    assert status == 201 and joined["buyers"] == 2 and joined["quantity"] == 200
    # A buyer sees its own entry only.
    assert [e["plan_no"] for e in joined["entries"]] == [second]

    big = self_built_plan(api, BUYERS[0], amount_fen=50_000)
    before = writes()
    status, answer = api.call("POST", f"{BASE}/{bid}/entries", join_body(first, 1), as_user=BUYERS[0])
    assert (status, answer["code"]) == (409, "BATCH_ALREADY_JOINED")
    status, answer = api.call("POST", f"{BASE}/{bid}/entries", join_body(second, 1), as_user=BUYERS[0])
    assert (status, answer["code"]) == (404, "PLAN_NOT_FOUND")  # another unit's plan
    status, answer = api.call("POST", f"{BASE}/{bid}/entries", join_body(big, 51), as_user=BUYERS[0])
    assert (status, answer["code"]) == (422, "PLAN_BALANCE_INSUFFICIENT") and "510.00 元" in answer["message"]
    status, answer = api.call("PUT", f"{BASE}/{bid}/offer", {"rate": "10"}, as_user="supplier.demo")
    assert (status, answer["code"]) == (409, "BATCH_NOT_OFFERING")  # not before the join window closes
    assert writes() == before

    assert close(SITE, bid, 11) == "applied"
    status, shown = api.call("GET", f"{BASE}/{bid}", as_user=CENTER)
    assert shown["status_label"] == "报价中" and len(shown["entries"]) == 2
    status, answer = api.call("POST", f"{BASE}/{bid}/entries", join_body(big, 1), as_user=BUYERS[0])
    assert (status, answer["code"]) == (409, "BATCH_CLOSED")

    before = writes()
    for rate in ("100", "-1", "12.345", "abc", "101.5"):
        status, answer = api.call("PUT", f"{BASE}/{bid}/offer", {"rate": rate}, as_user="supplier.demo")
        assert (status, answer["code"]) == (400, "RATE_INVALID"), rate
    assert writes() == before
    for seller, rate in (("supplier.demo", "12.5"), ("supplier.lc02", "15"), ("supplier.lc04", "15")):
        status, view = api.call("PUT", f"{BASE}/{bid}/offer", {"rate": rate}, as_user=seller)
        assert status == 200, view
        assert view["my_offer"]["rate_text"] == f"{float(rate):.2f}%" and view["entries"] == []
    status, revised = api.call("PUT", f"{BASE}/{bid}/offer", {"rate": "12.75"}, as_user="supplier.demo")
    assert revised["my_offer"]["revision"] == 2
    # Others' rates are not shown while offers are open.
    status, other = api.call("GET", f"{BASE}/{bid}", as_user="supplier.lc05")
    assert "my_offer" not in other and other["rate_text"] == "" and other["offers_count"] is None

    assert close(SITE, bid, 25) == "applied"
    status, done = api.call("GET", f"{BASE}/{bid}", as_user=CENTER)
    # 15 % from two suppliers: the earlier offer (百汇, lc02) wins; 10 元 × 0.85 = 8.50 元.
    assert done["status_label"] == "已成交" and done["winner_uscc"] == supplier_code("supplier.lc02")
    assert done["rate_text"] == "15.00%" and done["unit_price_fen"] == 850 and done["orders_placed"] == 2
    orders = {o.data["plan_no"]: o.data for o in OrderItem.scan()}
    assert orders[first]["lines"][0]["quantity"] == 120 and orders[first]["lines"][0]["unit_price_fen"] == 850
    assert orders[first]["method"] == "batch" and orders[first]["mechanism"] == "discount_rate"
    assert orders[first]["source"] == {"kind": "batch", "refs": [bid]}
    assert committed(first) == 102_000 and committed(second) == 68_000  # the orders took the reservations' place
    status, shown = api.call("GET", f"/sites/{SITE}/orders/{orders[first]['order_no']}", as_user=BUYERS[0])
    assert (
        shown["method_label"] == "批量采购" and shown["mechanism_label"] == "优惠率" and shown["budget_fen"] == 120_000
    )
    # Running the task again places nothing more.
    assert close(SITE, bid, 30) == "skipped" and writes()[1] == 2
    outcomes = {i.sk: i.outcome for i in BatchEntryItem.query(f"{SITE}#BATCH#{bid}")}
    assert outcomes == {f"ENTRY#{first}": "ordered", f"ENTRY#{second}": "ordered"}


def test_too_few_buyers_or_no_offer_fail_and_release(api: Api, market: dict[str, str]) -> None:
    first, second = market[BUYERS[0]], market[BUYERS[1]]
    _, batch = api.call("POST", BASE, open_body(min_buyers=2), as_user=CENTER)
    bid = batch["id"]
    api.call("POST", f"{BASE}/{bid}/entries", join_body(first, 50), as_user=BUYERS[0])
    assert committed(first) == 50_000
    assert close(SITE, bid, 11) == "applied"
    _, failed = api.call("GET", f"{BASE}/{bid}", as_user=BUYERS[0])
    assert failed["status_label"] == "未成交" and "少于 2 家" in failed["outcome"]
    assert committed(first) == 0 and failed["entries"][0]["outcome"].startswith("报名采购人 1 家")

    _, batch = api.call("POST", BASE, open_body(min_buyers=1), as_user=CENTER)
    bid = batch["id"]
    api.call("POST", f"{BASE}/{bid}/entries", join_body(second, 30), as_user=BUYERS[1])
    assert close(SITE, bid, 11) == "applied" and close(SITE, bid, 25) == "applied"
    _status, failed = api.call("GET", f"{BASE}/{bid}", as_user=CENTER)
    assert failed["status_label"] == "未成交" and failed["outcome"] == "报价期内无供应商报价"
    assert committed(second) == 0 and sum(1 for _ in OrderItem.scan()) == 0
    actions = [a.data["action"] for a in AuditItem.scan() if a.data["entity_type"] == "batch"]
    assert actions.count("batch.failed") == 2 and actions.count("batch.entry_settled") == 2


def test_bad_batches_are_refused_and_write_nothing(api: Api, market: dict[str, str]) -> None:
    before = writes()
    now = utc_now()
    cases = [
        (open_body(category_id="NO-SUCH"), "CATEGORY_NOT_FOUND"),
        (open_body(join_until=to_iso(now + timedelta(seconds=10))), "WINDOW_INVALID"),
        (open_body(offer_until=to_iso(now + timedelta(minutes=10, seconds=20))), "WINDOW_INVALID"),
    ]
    for body, code in cases:
        status, answer = api.call("POST", BASE, body, as_user=CENTER)
        assert status in (400, 422) and answer["code"] == code, answer
    status, answer = api.call("POST", BASE, open_body(), as_user=BUYERS[0])
    assert status == 403
    assert writes() == before


def test_the_sweep_moves_a_batch_whose_timer_was_lost(api: Api, market: dict[str, str]) -> None:
    """A window that closed with no timer firing (a lost execution) is moved on by the 10-minute sweep."""
    from chalicelib.store.batches import DynamoBatchStore
    from tests.conftest import invoke

    now = utc_now()
    _, batch = api.call("POST", BASE, open_body(min_buyers=1), as_user=CENTER)
    bid = batch["id"]
    api.call("POST", f"{BASE}/{bid}/entries", join_body(market[BUYERS[0]], 10), as_user=BUYERS[0])
    assert invoke("sweep_batches", {}) == {"moved": 0}  # nothing due yet
    assert DynamoBatchStore().due(to_iso(now + timedelta(minutes=11))) == [(SITE, bid)]
    # Pretend the join window closed a while ago (as a stopped timer would leave it): move the deadline back.
    from chalicelib.store.models import BatchItem

    item = BatchItem.get(f"{SITE}#BATCH#{bid}", "BATCH")
    past = to_iso(now - timedelta(minutes=1))
    item.update(
        actions=[
            BatchItem.join_until.set(past),
            BatchItem.gsi2sk.set(f"{past}#{SITE}#{bid}"),
            BatchItem.data.set({**item.data, "join_until": past}),
        ]
    )
    assert invoke("sweep_batches", {}) == {"moved": 1}
    _, shown = api.call("GET", f"{BASE}/{bid}", as_user=CENTER)
    assert shown["status_label"] == "报价中"
    assert DynamoBatchStore().due(to_iso(now)) == []  # the offer window is 20 minutes out
