"""竞价 and 反拍 end to end on moto: the API, the competition state machine from its ASL file, the stream consumer."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import boto3
import pytest

from chalicelib.domain.clock import to_iso, utc_now
from chalicelib.domain.competitions import commitment, verify_chain
from chalicelib.store.models import AuditItem, CompetitionItem, OrderItem, PlanItem, QuoteItem
from scheduled import demo_market
from tests.api.competition_support import (
    SELLERS,
    history_states,
    launch_body,
    record_of,
    shorten,
    stock_sellers,
    stop_all,
    wait_for,
    wait_for_status,
)
from tests.api.orders_support import SITE, add_plan, supplier_code
from tests.conftest import Api, Projection

BUYER = "liaocheng.buyer"
BASE = f"/sites/{SITE}/competitions"


@pytest.fixture
def market(api: Api, aws: dict[str, str], projection: Projection) -> dict[str, Any]:
    demo_market.seed_demo_suppliers(aws["USER_POOL_ID"])
    listings = stock_sellers()
    projection.drain()  # the catalog index names who is qualified
    plan_no = add_plan(7, budget_fen=5_000_000)  # 5 万元
    yield {"plan_no": plan_no, "listings": listings}
    stop_all(aws["COMPETITION_STATE_MACHINE_ARN"])


def committed(plan_no: str) -> int:
    return int(PlanItem.get(f"{SITE}#PLAN#{plan_no}", "PLAN").committed_fen)


def launch(api: Api, plan_no: str, **changes: Any) -> dict[str, Any]:
    status, body = api.call("POST", BASE, launch_body(plan_no, **changes), as_user=BUYER)
    assert status == 201, body
    return dict(body)


def quote(api: Api, competition_id: str, seller: str, unit: int, **extra: Any) -> tuple[int, Any]:
    return api.call("PUT", f"{BASE}/{competition_id}/quote", {"unit_price_fen": unit, **extra}, as_user=seller)


@pytest.mark.slow
def test_a_bidding_from_plan_to_order(
    api: Api, aws: dict[str, str], market: dict[str, Any], projection: Projection
) -> None:
    plan_no = market["plan_no"]
    c = launch(api, plan_no)
    cid = c["id"]
    assert c["status"] == "open" and c["kind_label"] == "竞价" and c["invited_count"] == 3
    assert committed(plan_no) == 200 * 12_000  # the ceiling is reserved
    # Every qualified supplier is invited, and each sees it in its list.
    for seller in SELLERS:
        status, listed = api.call("GET", BASE, as_user=seller)
        assert status == 200 and [x["id"] for x in listed["items"]] == [cid]
    status, _ = api.call("GET", f"{BASE}/{cid}", as_user="supplier.lc05")
    assert status == 404  # not invited: not even visible

    receipts = {}
    for seller, unit in (("supplier.demo", 11_000), ("supplier.lc02", 10_500), ("supplier.lc04", 11_800)):
        status, receipt = quote(api, cid, seller, unit)
        assert status == 200, receipt
        receipts[seller] = receipt
    status, revised = quote(api, cid, "supplier.demo", 10_400)  # revised until the deadline
    assert status == 200 and revised["revision"] == 2
    receipts["supplier.demo"] = revised

    # Sealed: no amount in the item a table reader sees, nor in any view before the deadline.
    item = QuoteItem.get(f"{SITE}#COMP#{cid}", f"QUOTE#{supplier_code('supplier.lc02')}")
    assert "10500" not in item.sealed and "10500" not in str(item.data)
    for user in (BUYER, "liaocheng.center", "supplier.lc04"):
        status, view = api.call("GET", f"{BASE}/{cid}", as_user=user)
        assert status == 200 and view["ranking"] == [] and view["best_total_fen"] == 0, user
        assert "10500" not in str(view) and "10400" not in str(view)
    status, mine = api.call("GET", f"{BASE}/{cid}", as_user="supplier.demo")
    assert mine["my_quote"]["commitment"] == revised["commitment"] and mine["my_quote"]["revision"] == 2

    shorten(SITE, cid, 2)
    closed = wait_for_status(SITE, cid, "confirming")
    ranking = closed.ranking
    assert [e.supplier_uscc for e in ranking] == [
        supplier_code(s) for s in ("supplier.demo", "supplier.lc02", "supplier.lc04")
    ] or ranking[0].evaluated_fen <= ranking[1].evaluated_fen
    assert all(e.explanation.startswith(f"第 {i + 1} 名") for i, e in enumerate(ranking))
    assert closed.open_offer is not None and closed.open_offer.supplier_uscc == ranking[0].supplier_uscc
    winner = next(s for s in SELLERS if supplier_code(s) == ranking[0].supplier_uscc)

    # A quote after the deadline is refused, and nothing is written.
    before = sum(1 for _ in AuditItem.scan())
    status, late = quote(api, cid, "supplier.lc04", 9_000)
    assert status == 409 and late["code"] in ("DEADLINE_PASSED", "COMPETITION_STATUS_CONFLICT")
    assert sum(1 for _ in AuditItem.scan()) == before

    status, view = api.call("GET", f"{BASE}/{cid}", as_user=BUYER)
    assert [e["alias"] for e in view["ranking"]] == ["供应商#1", "供应商#2", "供应商#3"]
    assert view["close_digest"] and len(view["close_digest"]) == 64
    status, other = api.call("GET", f"{BASE}/{cid}", as_user="supplier.lc04")
    assert [e["mine"] for e in other["ranking"]].count(True) == 1
    assert all(e["supplier_uscc"] in ("", supplier_code("supplier.lc04")) for e in other["ranking"])

    status, done = api.call("POST", f"{BASE}/{cid}/confirm", as_user=winner)
    assert status == 200 and done["status"] == "confirmed", done
    projection.drain()  # the award consumer places the order and writes the record
    awarded = wait_for_status(SITE, cid, "awarded", timeout=5)
    order = OrderItem.get(f"{SITE}#ORDER#{awarded.order_no}", "ORDER").data
    assert order["mechanism"] == "bidding" and order["source"] == {"kind": "bidding", "refs": [cid]}
    assert order["supplier"]["uscc"] == ranking[0].supplier_uscc
    assert order["lines"][0]["unit_price_fen"] == ranking[0].unit_price_fen and not order["lines"][0]["tracks_stock"]
    assert committed(plan_no) == ranking[0].total_fen  # the reservation gave way to the order
    projection.drain()
    assert sum(1 for _ in OrderItem.scan()) == 1  # a second run of the consumer placed nothing more

    record = record_of(aws, awarded.record_key)
    entries = record["entries"]
    assert verify_chain(entries) and record["digest"] == entries[-1]["hash"] == awarded.record_digest
    assert record["close_digest"] in [e["hash"] for e in entries]  # the chain at the deadline is inside it
    # Each supplier checks its receipt against the opened record.
    opened = [e for e in entries if e.get("nonce")]
    for seller, receipt in receipts.items():
        line = next(e for e in opened if e["commitment"] == receipt["commitment"])
        assert (
            commitment(cid, supplier_code(seller), line["unit_price_fen"], line["at"], line["nonce"])
            == receipt["commitment"]
        )
    revisions = [e for e in entries if e["action"] == "quote.revised"]
    assert len(revisions) == 1
    tampered = [dict(e) for e in entries]
    tampered[2]["at"] = to_iso(utc_now())
    assert not verify_chain(tampered)
    status, view = api.call("GET", f"{BASE}/{cid}", as_user=BUYER)
    assert view["status_label"] == "已成交" and view["order_no"] == awarded.order_no and view["record_url"]


@pytest.mark.slow
def test_too_few_responders_fail_the_bidding_and_release_the_plan(
    api: Api, aws: dict[str, str], market: dict[str, Any], projection: Projection
) -> None:
    plan_no = market["plan_no"]
    cid = launch(api, plan_no)["id"]
    assert quote(api, cid, "supplier.demo", 11_000)[0] == 200
    assert quote(api, cid, "supplier.lc02", 11_500)[0] == 200
    status, refused = api.call("POST", f"{BASE}/{cid}/relaunch", {}, as_user=BUYER)
    assert status == 409 and refused["code"] == "COMPETITION_STATUS_CONFLICT"  # not failed: no relaunch
    shorten(SITE, cid, 1.5)
    failed = wait_for_status(SITE, cid, "failed")
    assert "少于本站点要求的 3 家" in failed.outcome
    assert committed(plan_no) == 0
    projection.drain()
    recorded = wait_for(lambda: CompetitionItem.get(f"{SITE}#COMP#{cid}", "STATE").data.get("record_key"), 5)
    assert recorded.endswith(f"{cid}.json")
    status, view = api.call("GET", f"{BASE}/{cid}", as_user=BUYER)
    assert view["can_buy_directly"] is True and "relaunch" in view["actions"]
    status, again = api.call("POST", f"{BASE}/{cid}/relaunch", {}, as_user=BUYER)
    assert status == 201 and again["relaunched_from"] == cid and again["status"] == "open"
    assert committed(plan_no) == 200 * 12_000
    status, refused = api.call("POST", f"{BASE}/{cid}/relaunch", {}, as_user=BUYER)
    assert status == 409


@pytest.mark.slow
def test_a_reverse_auction_to_its_award(
    api: Api, aws: dict[str, str], market: dict[str, Any], projection: Projection
) -> None:
    c = launch(api, market["plan_no"], kind="reverse_auction", title="A4 复印纸反拍")
    cid = c["id"]
    step = c["rule"]["step_fen"]
    assert step == 200 * 12_000 * 50 // 10_000  # 0.5 % of the ceiling
    status, first = api.call("POST", f"{BASE}/{cid}/bids", {"unit_price_fen": 12_000}, as_user="supplier.demo")
    assert status == 201, first  # the ceiling itself may open
    status, refused = api.call("POST", f"{BASE}/{cid}/bids", {"unit_price_fen": 11_990}, as_user="supplier.lc02")
    assert status == 422 and refused["code"] == "BID_NOT_A_STEP_BELOW"  # 2,000 fen below: less than a step
    status, second = api.call("POST", f"{BASE}/{cid}/bids", {"unit_price_fen": 11_900}, as_user="supplier.lc02")
    assert status == 201, second
    status, standing = api.call("GET", f"{BASE}/{cid}/standing", as_user="supplier.demo")
    assert standing["best_total_fen"] == 200 * 11_900 and standing["leading"] is False and standing["server_time"]
    status, buyer_view = api.call("GET", f"{BASE}/{cid}", as_user=BUYER)
    assert buyer_view["best_by"] == ""  # bidders stay anonymous until it ends
    shorten(SITE, cid, 2)
    closed = wait_for_status(SITE, cid, "confirming")
    assert closed.ranking[0].supplier_uscc == supplier_code("supplier.lc02") and closed.ranking[0].alias == "供应商#1"
    status, done = api.call("POST", f"{BASE}/{cid}/confirm", as_user="supplier.lc02")
    assert status == 200, done
    projection.drain()
    awarded = wait_for_status(SITE, cid, "awarded", timeout=5)
    order = OrderItem.get(f"{SITE}#ORDER#{awarded.order_no}", "ORDER").data
    assert order["mechanism"] == "reverse_auction" and order["lines"][0]["unit_price_fen"] == 11_900
    record = record_of(aws, awarded.record_key)
    assert [e["action"] for e in record["entries"]].count("bid.placed") == 2 and verify_chain(record["entries"])


@pytest.mark.slow
def test_a_late_bid_extends_the_auction_and_the_timer_follows(
    api: Api, aws: dict[str, str], market: dict[str, Any]
) -> None:
    c = launch(api, market["plan_no"], kind="reverse_auction", title="复印纸反拍（延时）")
    cid = c["id"]
    moved = shorten(SITE, cid, 3)
    status, bid = api.call("POST", f"{BASE}/{cid}/bids", {"unit_price_fen": 11_000}, as_user="supplier.lc04")
    assert status == 201
    assert bid["end_at"] > moved.end_at  # within the last 3 minutes: the end moved 5 minutes on
    machine = aws["COMPETITION_STATE_MACHINE_ARN"]
    current = next(
        e
        for e in boto3.client("stepfunctions").list_executions(stateMachineArn=machine)["executions"]
        if e["name"].endswith("-g2")
    )
    wait_for(lambda: "RearmDeadline" in history_states(current["executionArn"]), 30, "re-armed wait")
    stored = CompetitionItem.get(f"{SITE}#COMP#{cid}", "STATE")
    assert stored.status == "open" and stored.end_at == bid["end_at"]


@pytest.mark.slow
def test_a_custom_project_is_checked_by_the_buyer_and_reviewed_by_the_centre(
    api: Api, aws: dict[str, str], market: dict[str, Any]
) -> None:
    cid = launch(api, market["plan_no"], custom=True, title="定制文件柜")["id"]
    status, refused = quote(api, cid, "supplier.demo", 11_000)
    assert status == 400 and refused["code"] == "TECHNICAL_REQUIRED"
    for seller, unit in (("supplier.demo", 11_000), ("supplier.lc02", 10_000), ("supplier.lc04", 10_800)):
        assert quote(api, cid, seller, unit, technical="按图纸定制，冷轧钢板 0.8mm")[0] == 200
    shorten(SITE, cid, 1.5)
    closed = wait_for_status(SITE, cid, "evaluating")
    aliases = {e.supplier_uscc: e.alias for e in closed.ranking}
    lc02 = aliases[supplier_code("supplier.lc02")]
    findings = [
        {"alias": a, "responsive": a != lc02, "reason": "" if a != lc02 else "未提供板材检测报告"}
        for a in aliases.values()
    ]
    status, bad = api.call(
        "POST",
        f"{BASE}/{cid}/evaluation",
        {"findings": [{**f, "reason": ""} for f in findings]},
        as_user=BUYER,
    )
    assert status == 400 and bad["code"] == "EVALUATION_INCOMPLETE"
    status, submitted = api.call("POST", f"{BASE}/{cid}/evaluation", {"findings": findings}, as_user=BUYER)
    assert status == 200 and submitted["status"] == "reviewing"
    status, queue = api.call("GET", f"{BASE}?status=reviewing", as_user="liaocheng.center")
    assert [x["id"] for x in queue["items"]] == [cid]
    status, returned = api.call(
        "POST", f"{BASE}/{cid}/review", {"approve": False, "reason": "请补充不通过的依据"}, as_user="liaocheng.center"
    )
    assert status == 200 and returned["status"] == "evaluating" and returned["evaluation_note"]
    api.call("POST", f"{BASE}/{cid}/evaluation", {"findings": findings}, as_user=BUYER)
    # Two responsive of a minimum of three: the centre's approval ends it in 流标.
    status, reviewed = api.call("POST", f"{BASE}/{cid}/review", {"approve": True}, as_user="liaocheng.center")
    assert status == 200 and reviewed["status"] == "failed" and "实质性响应供应商 2 家" in reviewed["outcome"]
    assert committed(market["plan_no"]) == 0


@pytest.mark.slow
def test_cancelling_releases_the_plan_and_stops_the_timer(
    api: Api, aws: dict[str, str], market: dict[str, Any]
) -> None:
    cid = launch(api, market["plan_no"])["id"]
    machine = aws["COMPETITION_STATE_MACHINE_ARN"]
    [started] = boto3.client("stepfunctions").list_executions(stateMachineArn=machine)["executions"]
    wait_for(lambda: "WaitForDeadline" in history_states(started["executionArn"]), 30, "timer waiting")
    status, cancelled = api.call("POST", f"{BASE}/{cid}/cancel", {"reason": "需求变更"}, as_user=BUYER)
    assert status == 200 and cancelled["status"] == "cancelled"
    assert committed(market["plan_no"]) == 0
    sfn = boto3.client("stepfunctions")
    [execution] = sfn.list_executions(stateMachineArn=machine)["executions"]
    wait_for(lambda: sfn.describe_execution(executionArn=execution["executionArn"])["status"] == "ABORTED", 30)
    status, _ = quote(api, cid, "supplier.demo", 10_000)
    assert status == 409


def test_bad_launches_are_refused_and_write_nothing(api: Api, aws: dict[str, str], market: dict[str, Any]) -> None:
    plan_no = market["plan_no"]
    now = utc_now()
    cases = [
        ({"ceiling_fen": 6_000_000}, 422, "PLAN_BALANCE_INSUFFICIENT"),
        ({"end_at": to_iso(now - timedelta(minutes=5))}, 422, "DEADLINE_IN_PAST"),
        ({"end_at": to_iso(now + timedelta(minutes=10))}, 422, "DEADLINE_TOO_SOON"),
        ({"end_at": to_iso(now + timedelta(days=8))}, 422, "DEADLINE_TOO_LATE"),
        ({"category_id": "LC-0302"}, 422, "CATEGORY_OUTSIDE_PLAN"),
        ({"draw_size": 2}, 422, "DRAW_TOO_SMALL"),
        ({"kind": "reverse_auction", "custom": True}, 422, "CUSTOM_NEEDS_BIDDING"),
        ({"kind": "reverse_auction", "step_bp": 400}, 422, "STEP_OUT_OF_RANGE"),
        ({"plan": "37150020010120269999"}, 404, "PLAN_NOT_FOUND"),
        ({"ceiling_fen": 0}, 400, "VALIDATION_FAILED"),
        ({"quantity": "2"}, 400, "VALIDATION_FAILED"),
    ]
    before = (sum(1 for _ in AuditItem.scan()), sum(1 for _ in CompetitionItem.scan()), committed(plan_no))
    for change, code, machine_code in cases:
        chosen = change.pop("plan", plan_no)
        status, body = api.call("POST", BASE, launch_body(chosen, **change), as_user=BUYER)
        assert (status, body["code"]) == (code, machine_code), (change, body)
        assert body["message"] and not body["message"].isascii(), body
    after = (sum(1 for _ in AuditItem.scan()), sum(1 for _ in CompetitionItem.scan()), committed(plan_no))
    assert after == before
    status, body = api.call("POST", BASE, launch_body(plan_no), as_user="supplier.demo")
    assert status == 403


def test_bad_quotes_are_refused_and_write_nothing(api: Api, aws: dict[str, str], market: dict[str, Any]) -> None:
    cid = launch(api, market["plan_no"])["id"]
    before = sum(1 for _ in AuditItem.scan())
    cases = [
        ("supplier.demo", {"unit_price_fen": 12_001}, 422, "PRICE_ABOVE_CEILING"),
        ("supplier.demo", {"unit_price_fen": 0}, 400, "PRICE_NOT_POSITIVE"),
        ("supplier.demo", {"unit_price_fen": -5}, 400, "PRICE_NOT_POSITIVE"),
        ("supplier.demo", {"unit_price_fen": 1.5}, 400, "VALIDATION_FAILED"),
        ("supplier.lc05", {"unit_price_fen": 10_000}, 404, "COMPETITION_NOT_FOUND"),
    ]
    for seller, body, code, machine_code in cases:
        status, answer = api.call("PUT", f"{BASE}/{cid}/quote", body, as_user=seller)
        assert (status, answer["code"]) == (code, machine_code), (body, answer)
    status, answer = api.call("POST", f"{BASE}/{cid}/bids", {"unit_price_fen": 10_000}, as_user="supplier.demo")
    assert status == 409 and answer["code"] == "WRONG_KIND"
    assert sum(1 for _ in AuditItem.scan()) == before
    # Suspended in this site after being invited: refused.
    uscc = supplier_code("supplier.lc04")
    status, _ = api.call("POST", f"/suppliers/{uscc}/suspend", {"reason": "送货严重超时"}, as_user="liaocheng.center")
    assert status == 200
    before = sum(1 for _ in AuditItem.scan())
    status, answer = quote(api, cid, "supplier.lc04", 10_000)
    assert (status, answer["code"]) == (409, "SUPPLIER_NOT_ACTIVE"), answer
    assert sum(1 for _ in AuditItem.scan()) == before


def test_a_suspended_bidder_is_refused_by_the_bid_s_own_transaction(
    api: Api, aws: dict[str, str], market: dict[str, Any]
) -> None:
    cid = launch(api, market["plan_no"], kind="reverse_auction", title="复印纸反拍")["id"]
    uscc = supplier_code("supplier.lc02")
    status, _ = api.call("POST", f"/suppliers/{uscc}/suspend", {"reason": "送货严重超时"}, as_user="liaocheng.center")
    assert status == 200
    status, answer = api.call("POST", f"{BASE}/{cid}/bids", {"unit_price_fen": 11_000}, as_user="supplier.lc02")
    assert (status, answer["code"]) == (409, "SUPPLIER_NOT_ACTIVE"), answer
    assert CompetitionItem.get(f"{SITE}#COMP#{cid}", "STATE").bids == 0


def test_the_site_operator_sets_the_bidding_rules(api: Api) -> None:
    status, config = api.call("GET", f"/sites/{SITE}/config")
    rules = {**config["bidding"], "bidding_min_response_minutes": 30, "sme_deduction_bp": 1500}
    status, changed = api.call("PUT", f"/sites/{SITE}/bidding", rules, as_user="liaocheng.center")
    assert status == 200 and changed["applied"], changed
    status, config = api.call("GET", f"/sites/{SITE}/config")
    assert config["bidding"]["sme_deduction_bp"] == 1500 and config["bidding"]["bidding_min_response_minutes"] == 30
    status, refused = api.call(
        "PUT", f"/sites/{SITE}/bidding", {**rules, "sme_deduction_bp": 500}, as_user="liaocheng.center"
    )
    assert status == 422 and refused["code"] == "BIDDING_RULES_INVALID" and "10% 到 20%" in refused["message"]
    status, _ = api.call("PUT", f"/sites/{SITE}/bidding", rules, as_user="liaocheng.buyer")
    assert status == 403
    status, audit = api.call("GET", f"/sites/{SITE}/audit?limit=5", as_user="liaocheng.finance")
    assert any("竞价与反拍规则" in e["summary"] for e in audit["items"]), audit["items"]
