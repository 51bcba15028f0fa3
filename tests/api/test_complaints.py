"""Violation reports and complaints on moto: a buyer reports the supplier of its order, the supplier answers, the
centre upholds it and the supplier's credit record gets the measure in the same write; a supplier questions a
bidding it took part in, in time, while one too late, one about another site's bidding and one from an outsider are
refused; an unanswered claim moves on at the end of its period. Nothing is written by a refusal."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from typing import Any

import boto3
import pytest

from chalicelib.config import get_tables
from chalicelib.domain.audit import new_event
from chalicelib.domain.clock import parse_iso, to_iso, utc_now
from chalicelib.domain.competitions import ENTITY_COMPETITION, Status
from chalicelib.domain.principals import SYSTEM_ACTOR
from chalicelib.lambdas import TIMER_FUNCTION
from chalicelib.store.competitions import DynamoCompetitionStore
from scheduled.emulation import acting_as
from tests.api.competition_support import launch_body, stock_sellers, stop_all
from tests.api.orders_support import COPY_PAPER, SITE, add_listing, add_plan, order_body, supplier_code
from tests.conftest import Api, Projection

BASE = f"/sites/{SITE}/complaints"
CENTER = "liaocheng.center"


def snapshot() -> list[str]:
    ddb = boto3.client("dynamodb")
    return sorted(
        json.dumps(i, sort_keys=True) for t in (get_tables().main, get_tables().audit)
        for i in ddb.scan(TableName=t)["Items"]
    )  # fmt: skip


@pytest.fixture
def stopped(aws: dict[str, str]) -> Any:
    yield
    stop_all(os.environ["DEADLINE_STATE_MACHINE_ARN"])
    stop_all(os.environ["COMPETITION_STATE_MACHINE_ARN"])


def test_a_violation_report_ends_in_the_suppliers_credit_record(api: Api, suppliers_seeded: int, stopped: Any) -> None:
    plan = add_plan(3, budget_fen=1_000_000)
    paper = add_listing("supplier.demo", COPY_PAPER, "得力 A4 复印纸 70g", "DL-7055", 2_500, 100)
    status, order = api.call(
        "POST", f"/sites/{SITE}/orders", order_body(plan, "supplier.demo", [(paper, 2)]), as_user="liaocheng.buyer"
    )
    assert status == 201
    report = {
        "ground": "goods_noncompliance",
        "order_no": order["order_no"],
        "facts": "送达的复印纸为 60g，与商品页标注的 70g 不符，要求更换",
        "evidence": "验收照片 3 张，包装标签显示 60g",
    }
    before = snapshot()
    for body, user, expected in (
        (report | {"order_no": ""}, "liaocheng.buyer", (400, "VALIDATION_FAILED")),
        (report | {"ground": "process"}, "liaocheng.buyer", (400, "COMPLAINT_INVALID")),
        (report | {"facts": "不合格"}, "liaocheng.buyer", (400, "COMPLAINT_INVALID")),
        (report, "liaocheng.buyer2", (404, "ORDER_NOT_FOUND")),  # another unit's order
    ):
        status, answer = api.call("POST", BASE, body, as_user=user)
        assert (status, answer["code"]) == expected, answer
    status, _ = api.call("POST", BASE, report, as_user=CENTER)
    assert status == 403
    assert snapshot() == before

    status, filed = api.call("POST", BASE, report, as_user="liaocheng.buyer")
    assert status == 201, filed
    assert (filed["kind_label"], filed["status_label"]) == ("违约举报", "待答复")
    assert filed["respondent"]["uscc"] == supplier_code("supplier.demo") and filed["actions"] == ["withdraw"]
    url = f"{BASE}/{filed['id']}"
    status, mine = api.call("GET", BASE, as_user="supplier.demo")
    assert [c["id"] for c in mine["items"]] == [filed["id"]] and mine["items"][0]["actions"] == ["answer"]
    status, _ = api.call("GET", url, as_user="supplier.lc02")
    assert status == 404  # not a party
    status, answer = api.call("POST", url + "/answer", {"text": "我方不认可"}, as_user="supplier.lc02")
    assert status == 404
    status, answer = api.call("POST", url + "/decision", {"uphold": True, "reason": "货不对板属实"}, as_user=CENTER)
    assert (status, answer["code"]) == (422, "ANSWER_PERIOD_OPEN")
    status, answered = api.call("POST", url + "/answer", {"text": "仓库发错批次，已安排更换"}, as_user="supplier.demo")
    assert status == 200 and answered["status_label"] == "待处理"

    before = snapshot()
    status, answer = api.call("POST", url + "/decision", {"uphold": True, "reason": "货不对板属实"}, as_user=CENTER)
    assert (status, answer["code"]) == (400, "LEGAL_BASIS_REQUIRED")
    too_much = {"rule_code": "XY06", "measure": "deduction", "points": 25}
    status, answer = api.call(
        "POST", url + "/decision", {"uphold": True, "reason": "货不对板属实", "credit": too_much}, as_user=CENTER
    )
    assert (status, answer["code"]) == (422, "SANCTION_EXCEEDS_RULE")
    assert snapshot() == before
    measure = {"rule_code": "XY06", "measure": "deduction", "points": 5}
    status, decided = api.call(
        "POST", url + "/decision", {"uphold": True, "reason": "货不对板属实", "credit": measure}, as_user=CENTER
    )
    assert status == 200 and decided["status_label"] == "成立" and decided["credit_entry"].startswith("XY")
    status, record = api.call("GET", "/credit/entries", as_user="supplier.demo")
    [entry] = record["items"]
    assert entry["id"] == decided["credit_entry"] and entry["status_label"] == "待申辩"
    assert entry["source"] == f"违约举报 {filed['id']}" and entry["description"] == "扣分（扣 5 分）"
    status, answer = api.call("POST", url + "/withdraw", {"text": "撤回"}, as_user="liaocheng.buyer")
    assert (status, answer["code"]) == (409, "COMPLAINT_STATUS_CONFLICT")


def _closed(competition_id: str, hours_ago: float) -> None:
    """The bidding closed (流标) some time ago, as its timer would have left it."""
    store = DynamoCompetitionStore()
    c = store.get(SITE, competition_id)
    assert c is not None
    now = utc_now()
    ended = c._replace(
        status=Status.FAILED, end_at=to_iso(now - timedelta(hours=hours_ago)), outcome="响应供应商不足，流标",
        reserved_fen=0, version=c.version + 1,
    )  # fmt: skip
    audit = new_event(tenant=SITE, entity_type=ENTITY_COMPETITION, entity_id=c.id, action="competition.failed",
                      summary="测试：项目截止", actor=SYSTEM_ACTOR, at=now)  # fmt: skip
    store.save(ended, c, audit, release_fen=c.reserved_fen)


def test_a_complaint_about_a_bidding_in_time_from_a_participant(
    api: Api, suppliers_seeded: int, projection: Projection, stopped: Any
) -> None:
    stock_sellers()
    projection.drain()
    plan_no = add_plan(8, budget_fen=5_000_000)
    status, competition = api.call("POST", f"/sites/{SITE}/competitions", launch_body(plan_no),
                                   as_user="liaocheng.buyer")  # fmt: skip
    assert status == 201, competition
    cid = competition["id"]
    objection = {"ground": "process", "competition_id": cid, "facts": "邀请范围未包含同品目全部入驻供应商，过程不公"}
    status, answer = api.call("POST", BASE, objection, as_user="supplier.demo")
    assert (status, answer["code"]) == (422, "COMPETITION_NOT_CLOSED")

    _closed(cid, hours_ago=30 * 24)
    before = snapshot()
    status, answer = api.call("POST", BASE, objection, as_user="supplier.demo")
    assert (status, answer["code"]) == (422, "COMPLAINT_OUT_OF_TIME") and "质疑期已于" in answer["message"]
    status, answer = api.call("POST", "/sites/weihai/complaints", objection, as_user="supplier.demo")
    assert (status, answer["code"]) == (404, "COMPETITION_NOT_FOUND")  # another site's bidding
    status, answer = api.call("POST", BASE, objection, as_user="supplier.lc11")
    assert (status, answer["code"]) == (403, "NOT_A_PARTICIPANT")
    assert snapshot() == before

    _closed(cid, hours_ago=1)
    status, filed = api.call("POST", BASE, objection, as_user="supplier.demo")
    assert status == 201, filed
    assert filed["kind_label"] == "质疑投诉" and filed["respondent"]["name"] == "聊城市教育和体育局"
    assert filed["subject_title"] == "竞价项目“A4 复印纸 200 箱”"

    # Nobody answers: at the end of the period the claim goes to the centre, once.
    from chalicelib.handlers.complaints import answer_deadline

    task = {"kind": "complaint_deadline", "site_id": SITE, "complaint_id": filed["id"]}
    with acting_as(TIMER_FUNCTION):
        assert answer_deadline(task, parse_iso(filed["answer_by"]) - timedelta(seconds=5)) == "early"
        assert answer_deadline(task, parse_iso(filed["answer_by"]) + timedelta(minutes=1)) == "applied"
        assert answer_deadline(task, parse_iso(filed["answer_by"]) + timedelta(minutes=2)) == "skipped"
    status, shown = api.call("GET", f"{BASE}/{filed['id']}", as_user=CENTER)
    assert shown["status_label"] == "待处理" and shown["actions"] == ["decide"]
    status, decided = api.call(
        "POST", f"{BASE}/{filed['id']}/decision", {"uphold": False, "reason": "邀请规则符合本站规定"}, as_user=CENTER
    )
    assert status == 200 and decided["status_label"] == "不成立" and decided["credit_entry"] == ""
    status, log = api.call("GET", f"/sites/{SITE}/audit?limit=10", as_user="liaocheng.finance")
    labels = [e["action_label"] for e in log["items"]]
    assert "逾期未答复" in labels and "投诉处理决定" in labels
