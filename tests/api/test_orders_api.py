"""Direct purchase: placing from a plan in one transaction, the lifecycle, documents, events, ratings, timeline."""

from __future__ import annotations

import json
import secrets
import time
from datetime import timedelta
from typing import Any, NamedTuple

import boto3
import pytest
import requests

from chalicelib.config import get_settings
from chalicelib.domain.clock import china_date, utc_now
from chalicelib.domain.signing import sign
from scheduled import demo_market
from tests.api.orders_support import (
    COPY_PAPER,
    PEN,
    SITE,
    add_listing,
    add_plan,
    ledger,
    order_body,
    supplier_code,
)
from tests.conftest import Api, Projection


class Shop(NamedTuple):
    plan_no: str
    paper: str  # supplier.demo, 25.00 元, stock 100
    pens: str  # supplier.demo, 2.50 元, stock 1000
    other: str  # supplier.lc02's paper, 24.00 元


@pytest.fixture
def shop(api: Api, aws: dict[str, str]) -> Shop:
    demo_market.seed_demo_suppliers(aws["USER_POOL_ID"])
    return Shop(
        plan_no=add_plan(1, budget_fen=1_000_000),  # 1 万元
        paper=add_listing("supplier.demo", COPY_PAPER, "得力 A4 复印纸 70g", "DL-7055", 2_500, 100),
        pens=add_listing("supplier.demo", PEN, "得力 中性笔 0.5mm", "DL-S01", 250, 1_000),
        other=add_listing("supplier.lc02", COPY_PAPER, "晨光 A4 复印纸 70g", "CG-APYVQ", 2_400, 50),
    )


SHIP = {"carrier": "顺丰速运", "waybill_no": "SF1234567890"}
ACCEPT = {"result": "passed", "opinion": "数量、规格与订单一致"}
STEP_BODIES: dict[str, dict[str, Any]] = {"confirm": {}, "ship": SHIP, "accept": ACCEPT}


def place(api: Api, shop: Shop, lines: list[tuple[str, int]], **headers: str) -> tuple[int, Any]:
    return api.call(
        "POST",
        f"/sites/{SITE}/orders",
        order_body(shop.plan_no, "supplier.demo", lines),
        as_user="liaocheng.buyer",
        headers=headers or None,
    )


def act(api: Api, order_no: str, action: str, body: Any, user: str) -> tuple[int, Any]:
    return api.call("POST", f"/sites/{SITE}/orders/{order_no}/{action}", body, as_user=user)


def pay(api: Api, body: dict[str, Any], nonce: str | None = None) -> tuple[int, Any]:
    raw = json.dumps(body, ensure_ascii=False).encode()
    key = boto3.client("secretsmanager").get_secret_value(SecretId=get_settings().payment_secret_id)["SecretString"]
    nonce = nonce or secrets.token_hex(16)
    ts = str(int(time.time()))
    headers = {"X-Yuncai-Timestamp": ts, "X-Yuncai-Nonce": nonce, "X-Yuncai-Signature": sign(key, ts, nonce, raw)}
    return api.call("POST", "/integration/payments", raw=raw, headers=headers)


def listen_to_order_events() -> str:
    """An SQS queue subscribed to the order bus, as the budget system would be."""
    sqs, events = boto3.client("sqs"), boto3.client("events")
    url = sqs.create_queue(QueueName="budget-system-inbox")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    bus = get_settings().event_bus_name
    events.put_rule(Name="to-budget-system", EventBusName=bus, EventPattern=json.dumps({"source": ["yuncai.mall"]}))
    events.put_targets(Rule="to-budget-system", EventBusName=bus, Targets=[{"Id": "inbox", "Arn": arn}])
    return url


def received(url: str) -> list[dict[str, Any]]:
    messages = boto3.client("sqs").receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    return [json.loads(m["Body"]) for m in messages]


# ---------------------------------------------------------------- the whole road


def test_an_order_from_plan_to_payment(api: Api, shop: Shop, projection: Projection) -> None:
    inbox = listen_to_order_events()
    before = ledger(shop.plan_no, [shop.paper, shop.pens])
    status, order = place(api, shop, [(shop.paper, 10), (shop.pens, 20)])
    assert status == 201, order
    total = 10 * 2_500 + 20 * 250
    assert order["total_fen"] == total and order["status"] == "pending_confirmation"
    assert order["order_no"].startswith("YC") and len(order["order_no"]) == 20
    assert order["actions"] == ["cancel"] and order["status_label"] == "待确认"
    after = ledger(shop.plan_no, [shop.paper, shop.pens])
    assert after.committed_fen == before.committed_fen + total
    assert after.spent_fen == before.spent_fen + total
    assert after.stock == {shop.paper: 90, shop.pens: 980}
    assert after.sales == {shop.paper: 10, shop.pens: 20}
    assert (after.orders, after.audit_events) == (1, before.audit_events + 1)
    status, plan = api.call("GET", f"/sites/{SITE}/plans/{shop.plan_no}", as_user="liaocheng.buyer")
    assert plan["balance_fen"] == 1_000_000 - total

    no = order["order_no"]
    status, mine = api.call("GET", f"/sites/{SITE}/orders", as_user="supplier.demo")
    assert status == 200 and [o["order_no"] for o in mine["items"]] == [no]
    assert mine["items"][0]["actions"] == ["confirm", "decline"]
    status, none = api.call("GET", f"/sites/{SITE}/orders", as_user="supplier.lc02")
    assert status == 200 and none["items"] == []

    assert act(api, no, "confirm", {}, "supplier.demo")[1]["status"] == "confirmed"
    assert act(api, no, "ship", SHIP, "supplier.demo")[1]["status"] == "shipped"
    status, accepted = act(api, no, "accept", ACCEPT, "liaocheng.buyer")
    assert status == 200 and accepted["status"] == "accepted" and accepted["acceptance_note"] == "数量、规格与订单一致"
    assert {d["kind"] for d in accepted["documents"]} == {"confirmation", "acceptance"}

    projection.drain()
    [event] = received(inbox)
    assert event["detail-type"] == "OrderAccepted" and event["source"] == "yuncai.mall"
    detail = event["detail"]
    assert detail["order_no"] == no and detail["amount_fen"] == total and detail["amount_yuan"] == "300.00"
    assert detail["plan_no"] == shop.plan_no and detail["event_id"] == f"{SITE}:{no}:accepted"
    assert detail["acceptance_document_key"] == f"orders/{SITE}/{no}/acceptance.html"
    assert [line["quantity"] for line in detail["lines"]] == [10, 20]

    for user in ("liaocheng.buyer", "supplier.demo", "liaocheng.finance"):
        status, link = api.call("GET", f"/sites/{SITE}/orders/{no}/documents/acceptance", as_user=user)
        assert status == 200, link
        page = requests.get(link["url"], timeout=10)
        assert page.status_code == 200
        html = page.content.decode("utf-8")
        assert "验收单" in html and "叁佰元整" in html and "数量、规格与订单一致" in html and no in html
    status, link = api.call("GET", f"/sites/{SITE}/orders/{no}/documents/confirmation", as_user="supplier.demo")
    assert status == 200 and "订单确认单" in requests.get(link["url"], timeout=10).content.decode("utf-8")

    body = {"site_id": SITE, "order_no": no, "paid_fen": total, "voucher_no": "ZF2026-000123", "paid_on": "2026-11-20"}
    status, paid = pay(api, body)
    assert status == 200 and paid["status"] == "settled", paid
    status, again = pay(api, body)
    assert status == 200 and again["status"] == "settled"  # the same notice twice is harmless
    projection.drain()
    assert [e["detail-type"] for e in received(inbox)] == ["OrderSettled"]

    status, detail_view = api.call("GET", f"/sites/{SITE}/orders/{no}", as_user="liaocheng.finance")
    assert status == 200 and detail_view["status_label"] == "已结算"
    actions = [e["action"] for e in detail_view["timeline"]]
    assert actions == ["order.placed", "order.confirmed", "order.shipped", "order.accepted", "order.settled"]


def test_the_timeline_says_who_did_what_before_and_after(api: Api, shop: Shop) -> None:
    status, order = place(api, shop, [(shop.paper, 2)])
    no = order["order_no"]
    act(api, no, "confirm", {}, "supplier.demo")
    for user in ("liaocheng.buyer", "supplier.demo", "liaocheng.center", "liaocheng.finance", "province.admin"):
        status, view = api.call("GET", f"/sites/{SITE}/orders/{no}", as_user=user)
        assert status == 200, (user, view)
        placed, confirmed = view["timeline"]
        assert placed["action"] == "order.placed" and placed["actor"]["username"] == "liaocheng.buyer"
        assert placed["before"] is None and placed["after"]["total_fen"] == 5_000
        assert confirmed["actor"]["username"] == "supplier.demo"
        assert confirmed["before"]["status"] == "pending_confirmation" and confirmed["after"]["status"] == "confirmed"
        assert confirmed["at"] >= placed["at"]
    for stranger in ("liaocheng.buyer2", "supplier.lc02"):
        status, body = api.call("GET", f"/sites/{SITE}/orders/{no}", as_user=stranger)
        assert (status, body["code"]) == (404, "ORDER_NOT_FOUND")
    status, body = api.call("GET", f"/sites/{SITE}/orders/{no}", as_user="jinan.center")
    assert status == 403


def test_a_retried_request_returns_the_first_order(api: Api, shop: Shop) -> None:
    key = {"Idempotency-Key": "checkout-7f3a9c21"}
    first = place(api, shop, [(shop.paper, 3)], **key)
    second = place(api, shop, [(shop.paper, 3)], **key)
    assert first[0] == second[0] == 201 and first[1]["order_no"] == second[1]["order_no"]
    assert ledger(shop.plan_no, [shop.paper]).committed_fen == 7_500
    status, body = place(api, shop, [(shop.paper, 4)], **key)
    assert (status, body["code"]) == (422, "IDEMPOTENCY_KEY_REUSED")


# ---------------------------------------------------------------- giving back


def test_a_declined_order_gives_back_budget_and_stock(api: Api, shop: Shop) -> None:
    before = ledger(shop.plan_no, [shop.paper])
    no = place(api, shop, [(shop.paper, 30)])[1]["order_no"]
    status, body = act(api, no, "decline", {"reason": " "}, "supplier.demo")
    assert status == 400
    status, declined = act(api, no, "decline", {"reason": "该型号暂时缺货"}, "supplier.demo")
    assert status == 200 and declined["status"] == "declined" and declined["status_reason"] == "该型号暂时缺货"
    after = ledger(shop.plan_no, [shop.paper])
    assert (after.committed_fen, after.spent_fen, after.stock, after.sales) == (
        before.committed_fen,
        before.spent_fen,
        before.stock,
        before.sales,
    )
    status, body = act(api, no, "confirm", {}, "supplier.demo")
    assert (status, body["code"]) == (409, "ORDER_STATUS_CONFLICT")


def test_the_buyer_cancels_before_confirmation_only(api: Api, shop: Shop) -> None:
    no = place(api, shop, [(shop.paper, 1)])[1]["order_no"]
    status, cancelled = act(api, no, "cancel", {"reason": "重复下单"}, "liaocheng.buyer")
    assert status == 200 and cancelled["status"] == "cancelled"
    no = place(api, shop, [(shop.paper, 1)])[1]["order_no"]
    act(api, no, "confirm", {}, "supplier.demo")
    status, body = act(api, no, "cancel", {"reason": "不需要了"}, "liaocheng.buyer")
    assert (status, body["code"]) == (409, "ORDER_STATUS_CONFLICT")
    assert "申请终止" in body["message"]


def test_termination_is_requested_by_the_buyer_and_decided_by_the_operator(api: Api, shop: Shop) -> None:
    before = ledger(shop.plan_no, [shop.paper])
    no = place(api, shop, [(shop.paper, 5)])[1]["order_no"]
    act(api, no, "confirm", {}, "supplier.demo")
    status, requested = act(api, no, "termination", {"reason": "供应商无法按期供货"}, "liaocheng.buyer")
    assert status == 200 and requested["termination"]["status"] == "requested"
    status, body = act(api, no, "ship", {}, "supplier.demo")
    assert (status, body["code"]) == (409, "TERMINATION_PENDING")
    status, body = act(api, no, "termination/decision", {"approve": True}, "liaocheng.buyer")
    assert status == 403
    status, body = act(api, no, "termination/decision", {"approve": False}, "liaocheng.center")
    assert (status, body["code"]) == (400, "REASON_REQUIRED")
    status, rejected = act(
        api, no, "termination/decision", {"approve": False, "decision": "供应商承诺三日内到货"}, "liaocheng.center"
    )
    assert status == 200 and rejected["status"] == "confirmed" and rejected["termination"]["status"] == "rejected"
    act(api, no, "termination", {"reason": "三日后仍未到货"}, "liaocheng.buyer")
    status, ended = act(api, no, "termination/decision", {"approve": True, "decision": "同意"}, "liaocheng.center")
    assert status == 200 and ended["status"] == "terminated" and ended["status_label"] == "已终止"
    after = ledger(shop.plan_no, [shop.paper])
    assert (after.committed_fen, after.stock) == (before.committed_fen, before.stock)


# ---------------------------------------------------------------- ratings


def _card(api: Api, listing_id: str) -> dict[str, Any]:
    status, page = api.call("GET", f"/sites/{SITE}/catalog?category={COPY_PAPER}&limit=60")
    assert status == 200, page
    return next(c for c in page["items"] if c["id"] == listing_id)


def test_ratings_after_acceptance_once_each_way(api: Api, shop: Shop, projection: Projection) -> None:
    projection.drain()
    earlier = _card(api, shop.paper)["supplier"]["rating"]  # the demo supplier has ratings from the old mall
    no = place(api, shop, [(shop.paper, 1)])[1]["order_no"]
    rating = {"target": "supplier", "stars": 5, "comment": "送货及时"}
    status, body = act(api, no, "ratings", rating, "liaocheng.buyer")
    assert (status, body["code"]) == (409, "ORDER_NOT_ACCEPTED")
    for step, user in (("confirm", "supplier.demo"), ("ship", "supplier.demo"), ("accept", "liaocheng.buyer")):
        assert act(api, no, step, STEP_BODIES[step], user)[0] == 200
    assert act(api, no, "ratings", rating, "liaocheng.buyer")[0] == 201
    status, body = act(api, no, "ratings", rating, "liaocheng.buyer")
    assert (status, body["code"]) == (409, "ALREADY_RATED")
    status, body = act(api, no, "ratings", {"target": "buyer", "stars": 5}, "liaocheng.buyer")
    assert (status, body["code"]) == (403, "NOT_ORDER_PARTY")
    assert (
        act(api, no, "ratings", {"target": "mall", "stars": 2, "comment": "页面加载太慢"}, "liaocheng.buyer")[0] == 201
    )
    assert act(api, no, "ratings", {"target": "buyer", "stars": 4, "comment": "验收爽快"}, "supplier.demo")[0] == 201
    status, body = act(api, no, "ratings", {"target": "supplier", "stars": 6}, "liaocheng.buyer")
    assert status == 400

    status, summary = api.call("GET", f"/sites/{SITE}/ratings/summary", as_user="liaocheng.center")
    assert status == 200
    assert summary["ratings"]["supplier"] == {"label": "采购人评价供应商", "total": 1, "good": 1, "rate": 1.0}
    assert summary["ratings"]["mall"]["rate"] == 0.0 and summary["ratings"]["buyer"]["good"] == 1

    status, queue = api.call("GET", f"/sites/{SITE}/followups", as_user="liaocheng.center")
    assert status == 200 and [(f["order_no"], f["target"], f["stars"]) for f in queue["items"]] == [(no, "mall", 2)]
    path = f"/sites/{SITE}/followups/{no}/mall/close"
    assert api.call("POST", path, {"note": ""}, as_user="liaocheng.center")[0] == 400
    status, answer = api.call("POST", path, {"note": "已电话回访，已优化页面"}, as_user="liaocheng.center")
    assert (status, answer["details"][0]["field"]) == (
        400,
        "satisfaction",
    )  # a call that reached someone says how it went
    body = {"note": "已电话回访，已优化页面", "reached": True, "satisfaction": "basically"}
    status, closed = api.call("POST", path, body, as_user="liaocheng.center")
    assert status == 200 and closed["status"] == "closed" and closed["satisfaction_label"] == "基本满意"
    status, body = api.call("POST", path, {"note": "再次回访"}, as_user="liaocheng.center")
    assert (status, body["code"]) == (409, "FOLLOWUP_CLOSED")
    assert api.call("GET", f"/sites/{SITE}/followups", as_user="liaocheng.center")[1]["items"] == []

    assert queue["items"][0]["buyer_name"] == "聊城市教育和体育局"
    status, view = api.call("GET", f"/sites/{SITE}/orders/{no}", as_user="supplier.demo")
    assert {r["target"] for r in view["ratings"]} == {"supplier", "mall", "buyer"}
    assert "rate" not in view["actions"]
    projection.drain()  # the supplier's new score reaches its catalog cards, with the sale
    card = _card(api, shop.paper)
    count = earlier["count"]
    average = round(((earlier["average"] or 0) * count + 5) / (count + 1), 2)
    assert card["supplier"]["rating"]["count"] == count + 1 and card["sales"] == 1
    assert card["supplier"]["rating"]["average"] == pytest.approx(average, abs=0.01)


# ---------------------------------------------------------------- refusals leave nothing behind


def refused(
    api: Api, shop: Shop, body: dict[str, Any], expected: tuple[int, str], user: str = "liaocheng.buyer"
) -> str:
    before = ledger(shop.plan_no, [shop.paper, shop.pens, shop.other])
    status, answer = api.call("POST", f"/sites/{SITE}/orders", body, as_user=user)
    assert (status, answer.get("code")) == expected, answer
    assert ledger(shop.plan_no, [shop.paper, shop.pens, shop.other]) == before
    return str(answer["message"])


def test_refusals_name_the_problem_and_write_nothing(api: Api, shop: Shop) -> None:
    good = order_body(shop.plan_no, "supplier.demo", [(shop.paper, 1)])
    message = refused(
        api, shop, order_body(shop.plan_no, "supplier.demo", [(shop.paper, 101)]), (422, "ORDER_LINES_REFUSED")
    )
    assert "库存不足" in message and "100" in message
    message = refused(
        api,
        shop,
        order_body(shop.plan_no, "supplier.demo", [(shop.paper, 1), (shop.other, 1)]),
        (422, "ORDER_LINES_REFUSED"),
    )
    assert "每个供应商单独下单" in message
    printer_paper = add_listing("supplier.demo", COPY_PAPER, "得力 彩色打印纸 整箱", "DL-BOX", 600_000, 5)
    message = refused(
        api,
        shop,
        order_body(shop.plan_no, "supplier.demo", [(printer_paper, 2)]),
        (422, "PLAN_BALANCE_INSUFFICIENT"),
    )
    assert "余额 10,000.00 元" in message
    refused(api, shop, {**good, "plan_no": "37150020010120269999"}, (404, "PLAN_NOT_FOUND"))
    refused(api, shop, good, (404, "PLAN_NOT_FOUND"), user="liaocheng.buyer2")  # another unit's plan
    refused(api, shop, {**good, "lines": [{"listing_id": shop.paper, "quantity": 0}]}, (400, "VALIDATION_FAILED"))
    refused(api, shop, {**good, "lines": [{"listing_id": shop.paper, "quantity": 1}] * 2}, (400, "VALIDATION_FAILED"))
    refused(api, shop, {**good, "lines": []}, (400, "VALIDATION_FAILED"))
    refused(api, shop, {**good, "total_fen": 1}, (400, "VALIDATION_FAILED"))
    yesterday = {**good["delivery"], "expected_date": (china_date(utc_now()) - timedelta(days=1)).isoformat()}
    message = refused(api, shop, {**good, "delivery": yesterday}, (400, "VALIDATION_FAILED"))
    assert "不能早于今天" in message
    refused(api, shop, {**good, "supplier_uscc": supplier_code("supplier.lc02")}, (422, "ORDER_LINES_REFUSED"))
    status, _body = api.call("POST", "/sites/jinan/orders", good, as_user="liaocheng.buyer")
    assert status == 403  # a foreign site
    status, _ = api.call("POST", f"/sites/{SITE}/orders", good, as_user="supplier.demo")
    assert status == 403


def test_a_delisted_product_or_suspended_supplier_cannot_be_ordered(api: Api, shop: Shop) -> None:
    status, _ = api.call(
        "POST", f"/sites/{SITE}/listings/{shop.pens}/delist", {"reason": "价格异常"}, as_user="liaocheng.center"
    )
    assert status == 200
    message = refused(
        api, shop, order_body(shop.plan_no, "supplier.demo", [(shop.pens, 1)]), (422, "ORDER_LINES_REFUSED")
    )
    assert "已下架" in message
    status, _ = api.call(
        "POST",
        f"/suppliers/{supplier_code('supplier.demo')}/suspend",
        {"reason": "投诉核查中"},
        as_user="liaocheng.center",
    )
    assert status == 200
    refused(api, shop, order_body(shop.plan_no, "supplier.demo", [(shop.paper, 1)]), (409, "SUPPLIER_NOT_ACTIVE"))


def test_limits_refuse_with_the_amount_left(api: Api, shop: Shop) -> None:
    big_plan = add_plan(2, budget_fen=90_000_000)  # 90 万元, above the 80 万元 per-order cap
    bulk = add_listing("supplier.demo", COPY_PAPER, "得力 A4 复印纸 整托", "DL-PALLET", 1_000_000, 100)
    body = order_body(big_plan, "supplier.demo", [(bulk, 81)])
    status, answer = api.call("POST", f"/sites/{SITE}/orders", body, as_user="liaocheng.buyer")
    assert (status, answer["code"]) == (422, "LIMIT_EXCEEDED")
    assert answer["details"]["limit"] == "per_order" and "80.00 万元" in answer["message"]
    pending = add_plan(3, budget_fen=100_000, accept=False)
    status, answer = api.call(
        "POST",
        f"/sites/{SITE}/orders",
        order_body(pending, "supplier.demo", [(shop.paper, 1)]),
        as_user="liaocheng.buyer",
    )
    assert (status, answer["code"]) == (409, "PLAN_NOT_ACCEPTED")


def test_transitions_out_of_order_are_refused(api: Api, shop: Shop) -> None:
    no = place(api, shop, [(shop.paper, 1)])[1]["order_no"]
    for action, user in (("ship", "supplier.demo"), ("accept", "liaocheng.buyer"), ("termination", "liaocheng.buyer")):
        body = {"reason": "x"} if action == "termination" else STEP_BODIES[action]
        status, answer = act(api, no, action, body, user)
        assert (status, answer["code"]) == (409, "ORDER_STATUS_CONFLICT"), action
    status, answer = act(api, no, "confirm", {}, "supplier.lc02")
    assert (status, answer["code"]) == (404, "ORDER_NOT_FOUND")
    status, answer = act(api, no, "confirm", {}, "liaocheng.buyer")
    assert status == 403
    status, answer = api.call("GET", f"/sites/{SITE}/orders/{no}/documents/acceptance", as_user="liaocheng.buyer")
    assert (status, answer["code"]) == (409, "DOCUMENT_NOT_DUE")
    status, answer = pay(
        api, {"site_id": SITE, "order_no": no, "paid_fen": 2_500, "voucher_no": "ZF-1", "paid_on": "2026-11-20"}
    )
    assert (status, answer["code"]) == (409, "ORDER_STATUS_CONFLICT")


def test_payment_notices_must_be_signed_fresh_and_exact(api: Api, shop: Shop) -> None:
    no = place(api, shop, [(shop.paper, 1)])[1]["order_no"]
    for step, user in (("confirm", "supplier.demo"), ("ship", "supplier.demo"), ("accept", "liaocheng.buyer")):
        act(api, no, step, STEP_BODIES[step], user)
    body = {"site_id": SITE, "order_no": no, "paid_fen": 2_499, "voucher_no": "ZF-2", "paid_on": "2026-11-20"}
    status, answer = pay(api, body)
    assert (status, answer["code"]) == (422, "PAYMENT_AMOUNT_MISMATCH")
    nonce = secrets.token_hex(16)
    status, answer = pay(api, {**body, "paid_fen": 2_500}, nonce=nonce)
    assert status == 200
    status, answer = pay(api, {**body, "paid_fen": 2_500}, nonce=nonce)
    assert (status, answer["code"]) == (401, "REQUEST_REPLAYED")
    raw = json.dumps(body).encode()
    status, answer = api.call(
        "POST",
        "/integration/payments",
        raw=raw,
        headers={
            "X-Yuncai-Timestamp": str(int(time.time())),
            "X-Yuncai-Nonce": "a" * 32,
            "X-Yuncai-Signature": "0" * 64,
        },
    )
    assert (status, answer["code"]) == (401, "SIGNATURE_INVALID")


def test_placing_is_one_transaction_after_two_reads_and_reading_is_two_queries(api: Api, shop: Shop) -> None:
    from bench.ddb_calls import count_dynamodb_calls

    place(api, shop, [(shop.paper, 1)])  # first use builds the clients
    with count_dynamodb_calls() as calls:
        status, order = place(api, shop, [(shop.paper, 1), (shop.pens, 2)])
    assert status == 201 and calls == ["BatchGetItem", "BatchGetItem", "TransactWriteItems"]
    with count_dynamodb_calls() as calls:
        status, _ = api.call("GET", f"/sites/{SITE}/orders/{order['order_no']}", as_user="liaocheng.buyer")
    assert status == 200 and calls == ["Query", "Query"]


# ---------------------------------------------------------------- evidence


def test_shipping_acceptance_and_poor_ratings_need_their_evidence(api: Api, shop: Shop) -> None:
    import requests

    no = place(api, shop, [(shop.paper, 2)])[1]["order_no"]
    act(api, no, "confirm", {}, "supplier.demo")
    before = ledger(shop.plan_no, [shop.paper])
    status, body = act(api, no, "ship", {}, "supplier.demo")  # goods: carrier and waybill
    assert (status, body["code"]) == (400, "SHIPMENT_INCOMPLETE")
    assert {d["field"] for d in body["details"]} == {"carrier", "waybill_no"} and "运单号" in body["message"]
    status, body = act(api, no, "ship", {"carrier": "顺丰速运", "waybill_no": "SF 12"}, "supplier.demo")
    assert status == 400 and [d["field"] for d in body["details"]] == ["waybill_no"]
    assert ledger(shop.plan_no, [shop.paper]) == before  # nothing written
    status, shipped = act(api, no, "ship", {"carrier": "顺丰速运", "waybill_no": "sf1402675318"}, "supplier.demo")
    assert status == 200 and shipped["shipment"] == {
        "carrier": "顺丰速运",
        "waybill_no": "SF1402675318",
        "delivery_note": "",
    }
    # 验收: an opinion is required; 不合格 sends it back to the supplier, with an uploaded photo attached.
    status, body = act(api, no, "accept", {"result": "passed", "opinion": " "}, "liaocheng.buyer")
    assert status == 400
    status, started = act(
        api,
        no,
        "attachments",
        {"file_name": "外包装破损.jpg", "content_type": "image/jpeg", "size": 12},
        "liaocheng.buyer",
    )
    assert status == 201, started
    upload = started["upload"]
    posted = requests.post(
        upload["url"],
        data=upload["fields"],
        files={"file": ("p.jpg", b"\xff\xd8\xff\xe0 photo", "image/jpeg")},
        timeout=10,
    )
    assert posted.status_code in (200, 204)
    status, body = act(
        api, no, "accept", {"result": "failed", "opinion": "外包装破损", "attachments": ["0" * 32]}, "liaocheng.buyer"
    )
    assert (status, body["code"]) == (400, "UPLOAD_NOT_FOUND")
    failed = {"result": "failed", "opinion": "外包装破损，3 包受潮", "attachments": [started["doc_id"]]}
    status, back = act(api, no, "accept", failed, "liaocheng.buyer")
    assert status == 200 and back["status"] == "confirmed" and back["status_reason"] == "外包装破损，3 包受潮"
    [rejected] = back["acceptances"]
    assert rejected["result_label"] == "不合格" and rejected["attachments"][0]["file_name"] == "外包装破损.jpg"
    status, detail = api.call("GET", f"/sites/{SITE}/orders/{no}", as_user="liaocheng.buyer")
    link = detail["acceptances"][0]["attachments"][0]["download_url"]
    assert requests.get(link, timeout=10).content == b"\xff\xd8\xff\xe0 photo"
    event = next(e for e in detail["timeline"] if e["action"] == "order.delivery_rejected")
    assert event["action_label"] == "验收不合格退回" and "外包装破损" in event["summary"]
    # Shipped again, then accepted as 合格.
    assert act(api, no, "ship", {"carrier": "顺丰速运", "waybill_no": "SF1402679999"}, "supplier.demo")[0] == 200
    status, accepted = act(api, no, "accept", {"result": "passed", "opinion": "更换后验收合格"}, "liaocheng.buyer")
    assert status == 200 and accepted["status"] == "accepted" and len(accepted["acceptances"]) == 2
    # A 1–2 star rating says what went wrong.
    status, body = act(api, no, "ratings", {"target": "supplier", "stars": 2, "comment": ""}, "liaocheng.buyer")
    assert (status, body["code"]) == (400, "COMMENT_REQUIRED") and "2 星评价须填写评语" in body["message"]
    poor = {"target": "supplier", "stars": 2, "comment": "首次送货包装破损，更换耽误两天"}
    assert act(api, no, "ratings", poor, "liaocheng.buyer")[0] == 201


def test_orders_are_searched_and_exported(api: Api, shop: Shop) -> None:
    import io

    import openpyxl
    import requests

    from chalicelib.domain.clock import china_date, utc_now

    first = place(api, shop, [(shop.paper, 1)])[1]["order_no"]
    second = place(api, shop, [(shop.pens, 4)])[1]["order_no"]
    act(api, second, "confirm", {}, "supplier.demo")

    def numbers(query: str, user: str = "liaocheng.buyer") -> list[str]:
        status, body = api.call("GET", f"/sites/{SITE}/orders?{query}", as_user=user)
        assert status == 200, body
        return [o["order_no"] for o in body["items"]]

    today = china_date(utc_now())
    assert numbers("") == [second, first]
    assert numbers(f"number={first[-6:]}") == [first]
    assert numbers(f"plan_no={shop.plan_no}&status=confirmed") == [second]
    assert numbers("supplier=鑫诚") == [second, first]
    assert numbers(f"first_day={today}&last_day={today}") == [second, first]
    assert numbers(f"last_day={today - timedelta(days=1)}") == []
    assert numbers("supplier=鑫诚", "liaocheng.center") == [second, first]
    assert numbers(f"number={first[-6:]}", "supplier.demo") == [first]
    assert numbers(f"number={first[-6:]}", "supplier.lc02") == []
    status, body = api.call("GET", f"/sites/{SITE}/orders?number=<b>", as_user="liaocheng.buyer")
    assert status == 400 and "编号：格式不正确" in body["message"]
    status, exported = api.call("POST", f"/sites/{SITE}/orders/export?format=xlsx", {}, as_user="liaocheng.buyer")
    assert status == 200 and exported["rows"] == 2, exported
    sheet = openpyxl.load_workbook(io.BytesIO(requests.get(exported["url"], timeout=10).content)).active
    assert sheet["A1"].value == "聊城订单清单"
    assert [c.value for c in sheet[4]][:3] == ["订单编号", "下单日期", "采购单位"]
    assert {sheet.cell(row=r, column=1).value for r in (5, 6)} == {first, second}
    assert sheet.cell(row=5, column=9).value == "已确认" and sheet.cell(row=5, column=8).value == 10.0
    status, exported = api.call("POST", f"/sites/{SITE}/orders/export?format=csv", {}, as_user="supplier.lc02")
    assert status == 200 and exported["rows"] == 0  # another supplier sees none of them
