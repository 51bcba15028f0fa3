"""Supervision on moto: an inspection campaign of 台式计算机 in 聊城 (seed 000 §(四)), from its pre-check to a
correction and a delisting, and a finding escalated to the supplier's credit record: statement, decision, the
published 警示通报 and the standing a buyer reads. Bad input is refused with nothing written."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import boto3
import pytest
import time_machine

from chalicelib.config import get_tables
from chalicelib.domain.clock import parse_iso, utc_now
from chalicelib.lambdas import TIMER_FUNCTION
from scheduled.emulation import acting_as
from tests.api.orders_support import add_plan, order_body, supplier_code
from tests.api.test_notifications import inbox
from tests.conftest import Api, Projection, stop_execution

SITE = "liaocheng"
CENTER = "liaocheng.center"
DESKTOP = "LC-0302"  # 台式计算机, A02010105

DESKTOP_BODY: dict[str, Any] = {
    "category_id": DESKTOP,
    "name": "联想 启天 M437 台式计算机",
    "brand": "联想",
    "model": "启天M437",
    "specs": [
        {"name": "处理器", "value": "Intel 酷睿 i5-12500"},
        {"name": "内存", "value": "16GB DDR4"},
        {"name": "硬盘", "value": "512GB 固态"},
    ],
    "price_fen": 480_000,
    "reference_price_fen": 560_000,
    "reference_source": "京东自营 2026-11",
    "stock": 20,
    "delivery_districts": ["371500", "371502"],
    "images": [],
    "certificates": [{"kind": "energy_saving", "number": "CQC2025ES0001", "expires_on": "2028-12-31"}],
}


def snapshot() -> dict[str, list[str]]:
    ddb = boto3.client("dynamodb")
    return {
        t: sorted(json.dumps(i, sort_keys=True) for i in ddb.scan(TableName=t)["Items"])
        for t in (get_tables().main, get_tables().audit)
    }


def publish(api: Api, seller: str, **changes: Any) -> str:
    status, made = api.call("POST", f"/sites/{SITE}/listings", {**DESKTOP_BODY, **changes}, as_user=seller)
    assert status == 201, made
    status, done = api.call(
        "POST", f"/sites/{SITE}/listings/{made['id']}/review", {"decision": "approve"}, as_user=CENTER
    )
    assert status == 200, done
    return str(made["id"])


@pytest.fixture
def market(api: Api, suppliers_seeded: int, projection: Projection, aws: dict[str, str]) -> Iterator[dict[str, str]]:
    listings = {
        # In order, clean; listed by two suppliers, so the mall has a median for the model.
        "fair": publish(api, "supplier.demo"),
        # The same model at 6,800 元: 17.2 % above the median of 5,800.
        "dear": publish(api, "supplier.lc02", price_fen=680_000, reference_price_fen=700_000),
        # A ceiling lamp put under 台式计算机, with a vague parameter and no energy-saving certificate.
        "lamp": publish(
            api,
            "supplier.lc04",
            name="欧普 LED 吸顶灯 24W 客厅",
            brand="欧普",
            model="MX420",
            price_fen=19_900,
            reference_price_fen=25_900,
            specs=[*DESKTOP_BODY["specs"], {"name": "色温", "value": "见详情"}],
            certificates=[],
        ),
        # Out of scope: copy paper.
        "paper": publish(
            api,
            "supplier.demo",
            category_id="LC-0107",
            name="得力 A4 复印纸 70g",
            brand="得力",
            model="DL-7005",
            specs=[{"name": "规格", "value": "A4 70g"}, {"name": "包装", "value": "500张/包 8包/箱"}],
            price_fen=2_500,
            reference_price_fen=2_900,
            certificates=[],
        ),
    }
    projection.drain()
    yield listings
    sfn = boto3.client("stepfunctions")
    for execution in sfn.list_executions(stateMachineArn=aws["DEADLINE_STATE_MACHINE_ARN"])["executions"]:
        if execution["status"] == "RUNNING":
            stop_execution(execution["executionArn"])


def campaign_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "2026 年台式计算机常规巡检",
        "catalog_codes": ["A02010105"],
        "checks": ["category", "certificate", "specs", "price"],
        "correction_days": 5,
    }
    return body | changes


def finding_body(listing_id: str, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "site_id": SITE,
        "listing_id": listing_id,
        "checks": ["category"],
        "description": "吸顶灯上架于台式计算机品目，混淆品目分类",
        "evidence": {"text": "2026-12-07 商品详情页截图：名称为吸顶灯，所在品目台式计算机"},
    }
    return body | changes


def deadline(finding: dict[str, Any], later: timedelta) -> str:
    """The deadline task, as the timer function runs it, at a time after the correction period."""
    from chalicelib.handlers.supervision import finding_deadline

    task = {"kind": "finding_deadline", "campaign_id": finding["campaign_id"], "finding_id": finding["id"]}
    with acting_as(TIMER_FUNCTION):
        return finding_deadline(task, parse_iso(finding["correct_by"]) + later)


def test_a_campaign_from_its_precheck_to_correction_and_delisting(
    api: Api, market: dict[str, str], projection: Projection, aws: dict[str, str]
) -> None:
    before = snapshot()
    for body, code in (
        (campaign_body(catalog_codes=["A99999999"]), "CATEGORY_UNKNOWN"),
        (campaign_body(correction_days=30), "CAMPAIGN_INVALID"),
        (campaign_body(checks=["colour"]), "CAMPAIGN_INVALID"),
    ):
        status, answer = api.call("POST", "/inspections", body, as_user=CENTER)
        assert (status, answer["code"]) == (400, code), answer
    status, answer = api.call("POST", "/inspections", campaign_body(sites=["weihai"]), as_user=CENTER)
    assert (status, answer["code"]) == (403, "FORBIDDEN_TENANT")
    status, _ = api.call("POST", "/inspections", campaign_body(), as_user="liaocheng.buyer")
    assert status == 403
    assert snapshot() == before

    status, campaign = api.call("POST", "/inspections", campaign_body(), as_user=CENTER)
    assert status == 201, campaign
    assert campaign["status_label"] == "预检中" and campaign["catalog"] == [{"code": "A02010105", "name": "台式计算机"}]
    cid = campaign["id"]
    projection.drain()  # the pre-check runs on the asynchronous side
    status, campaign = api.call("GET", f"/inspections/{cid}", as_user=CENTER)
    assert campaign["status_label"] == "巡检中" and campaign["figures"]["checked"] == 3  # paper is out of scope
    flags = {f["listing_id"]: f for f in campaign["flags"]}
    assert set(flags) == {market["dear"], market["lamp"]}
    lamp = {p["check_label"]: p["message"] for p in flags[market["lamp"]]["problems"]}
    assert lamp["品目归类"].startswith("商品名称含“吸顶灯”，应归入“室内照明灯具”（A02061908）")
    assert lamp["节能环保证书"] == "属节能产品政府采购品目清单，未提供节能产品认证证书"
    assert lamp["规格参数"] == "参数填写不规范（色温 未写明具体值）"
    [dear] = flags[market["dear"]]["problems"]
    assert dear["message"] == "售价 6,800.00 元高于商城同型号在售中位价 5,800.00 元 17.2%（阈值 10%）"
    # Another city's operator does not see 聊城's campaign.
    status, answer = api.call("GET", f"/inspections/{cid}", as_user="weihai.center")
    assert (status, answer["code"]) == (404, "INSPECTION_NOT_FOUND")
    status, listed = api.call("GET", "/inspections", as_user="liaocheng.finance")
    assert [c["id"] for c in listed["items"]] == [cid]

    before = snapshot()
    no_evidence = finding_body(market["lamp"], evidence={"text": ""})
    for body, expected in (
        (no_evidence, (400, "EVIDENCE_REQUIRED")),
        (finding_body(market["paper"]), (422, "LISTING_OUT_OF_SCOPE")),
        (finding_body("LNOSUCH"), (404, "LISTING_NOT_FOUND")),
        (finding_body(market["lamp"], checks=["weather"]), (400, "FINDING_INVALID")),
    ):
        status, answer = api.call("POST", f"/inspections/{cid}/findings", body, as_user=CENTER)
        assert (status, answer["code"]) == expected, answer
    status, answer = api.call(
        "POST", f"/inspections/{cid}/findings", finding_body(market["lamp"]), as_user="weihai.center"
    )
    assert status == 404
    assert snapshot() == before

    status, lamp_finding = api.call(
        "POST", f"/inspections/{cid}/findings", finding_body(market["lamp"]), as_user=CENTER
    )
    assert status == 201, lamp_finding
    assert lamp_finding["status_label"] == "待整改" and lamp_finding["supplier_uscc"] == supplier_code("supplier.lc04")
    status, answer = api.call("POST", f"/inspections/{cid}/findings", finding_body(market["lamp"]), as_user=CENTER)
    assert (status, answer["code"]) == (409, "FINDING_EXISTS")
    dear_body = finding_body(
        market["dear"], checks=["price"], description="售价高于同型号中位价 17.2%", evidence={"text": "预检比价结果"}
    )
    status, dear_finding = api.call("POST", f"/inspections/{cid}/findings", dear_body, as_user=CENTER)
    assert status == 201
    executions = boto3.client("stepfunctions").list_executions(stateMachineArn=aws["DEADLINE_STATE_MACHINE_ARN"])
    assert any(lamp_finding["id"] in e["name"] for e in executions["executions"])  # the correction deadline is armed

    projection.drain()
    notice = next(n for n in inbox(api, "supplier.lc04")["items"] if n["kind"] == "finding_notified")
    assert "吸顶灯" in notice["body"] and lamp_finding["correct_by_day"] in notice["body"]

    # The supplier sees its own findings only, and answers one.
    status, mine = api.call("GET", "/findings", as_user="supplier.lc02")
    assert [f["id"] for f in mine["items"]] == [dear_finding["id"]] and mine["items"][0]["actions"] == ["correct"]
    url = f"/inspections/{cid}/findings/{lamp_finding['id']}/correction"
    status, answer = api.call("POST", url, {"text": "已改正"}, as_user="supplier.lc02")
    assert (status, answer["code"]) == (404, "FINDING_NOT_FOUND")
    dear_url = f"/inspections/{cid}/findings/{dear_finding['id']}"
    status, corrected = api.call(
        "POST", dear_url + "/correction", {"text": "已按厂商官方价调整为 5,600 元"}, as_user="supplier.lc02"
    )
    assert status == 200 and corrected["status_label"] == "已整改待复核"
    status, answer = api.call("POST", dear_url + "/review", {"action": "close", "reason": "价格已调整"}, as_user=CENTER)
    assert status == 200 and answer["status_label"] == "整改完成"

    # The lamp's supplier does nothing: at the end of the period the timer delists it, once.
    assert deadline(lamp_finding, timedelta(seconds=-5)) == "early"
    assert deadline(lamp_finding, timedelta(minutes=1)) == "applied"
    assert deadline(lamp_finding, timedelta(minutes=2)) == "skipped"
    status, listing = api.call("GET", f"/sites/{SITE}/listings/{market['lamp']}/review", as_user=CENTER)
    assert listing["status"] == "delisted" and "逾期未整改" in listing["status_reason"]

    status, campaign = api.call("GET", f"/inspections/{cid}", as_user=CENTER)
    assert campaign["figures"] == {
        "checked": 3,
        "flagged": 2,
        "findings": 2,
        "suppliers_with_findings": 2,
        "corrected": 1,
        "delisted": 1,
        "open": 0,
    }
    # The supplier's record is the province's: another city's centre reads its findings everywhere.
    status, theirs = api.call("GET", f"/findings?supplier={supplier_code('supplier.lc04')}", as_user="weihai.center")
    assert status == 200 and [f["listing_id"] for f in theirs["items"]] == [market["lamp"]]
    status, log = api.call("GET", f"/sites/{SITE}/audit?limit=20", as_user="liaocheng.finance")
    actions = [e["action_label"] for e in log["items"]]
    assert "逾期未整改下架" in actions and "确认整改完成" in actions and "登记巡检问题" in actions
    assert all(e["entity_label"] != "其他" for e in log["items"])


def test_a_finding_becomes_a_credit_measure_with_statement_and_decision(
    api: Api, market: dict[str, str], projection: Projection
) -> None:
    _, campaign = api.call("POST", "/inspections", campaign_body(), as_user=CENTER)
    cid = campaign["id"]
    projection.drain()
    _, finding = api.call("POST", f"/inspections/{cid}/findings", finding_body(market["lamp"]), as_user=CENTER)
    url = f"/inspections/{cid}/findings/{finding['id']}/escalate"
    facts = "吸顶灯上架于台式计算机品目（巡检截图）"

    before = snapshot()
    for body, expected in (
        ({"measure": "warning_notice", "points": 2, "facts": facts}, (400, "LEGAL_BASIS_REQUIRED")),
        ({"rule_code": "XY99", "measure": "warning_notice", "facts": facts}, (400, "LEGAL_BASIS_REQUIRED")),
        (
            {"rule_code": "XY01", "measure": "warning_notice", "points": 5, "facts": facts},
            (422, "SANCTION_EXCEEDS_RULE"),
        ),
        ({"rule_code": "XY01", "measure": "suspension", "days": 30, "facts": facts}, (422, "SANCTION_EXCEEDS_RULE")),
        ({"rule_code": "XY07", "measure": "expulsion", "facts": facts}, (422, "SANCTION_EXCEEDS_RULE")),
    ):
        status, answer = api.call("POST", url, body, as_user=CENTER)
        assert (status, answer["code"]) == expected, (body, answer)
    assert snapshot() == before

    status, entry = api.call(
        "POST", url, {"rule_code": "XY01", "measure": "warning_notice", "points": 2, "facts": facts}, as_user=CENTER
    )
    assert status == 201, entry
    assert entry["status_label"] == "待申辩" and entry["description"] == "警示通报（扣 2 分）"
    assert entry["source"] == f"巡检 {cid} 问题 {finding['id']}" and entry["can_decide"] is False
    lc04 = supplier_code("supplier.lc04")
    decision = f"/credit/entries/{lc04}/{entry['id']}/decision"
    status, answer = api.call("POST", decision, {"uphold": True, "reason": "事实清楚"}, as_user=CENTER)
    assert (status, answer["code"]) == (422, "STATEMENT_PERIOD_OPEN")

    projection.drain()
    told = next(n for n in inbox(api, "supplier.lc04")["items"] if n["kind"] == "credit_proposed")
    assert "警示通报（扣 2 分）" in told["body"] and "申辩" in told["body"]
    statement = f"/credit/entries/{lc04}/{entry['id']}/statement"
    status, answer = api.call("POST", statement, {"text": "误选品目"}, as_user="supplier.lc02")
    assert status == 404
    status, stated = api.call("POST", statement, {"text": "系误选品目，已下架重新发布"}, as_user="supplier.lc04")
    assert status == 200 and stated["statement"]["text"] == "系误选品目，已下架重新发布"
    status, answer = api.call("POST", statement, {"text": "补充说明"}, as_user="supplier.lc04")
    assert (status, answer["code"]) == (409, "STATEMENT_CLOSED")
    status, answer = api.call("POST", decision, {"uphold": True, "reason": "事实清楚"}, as_user="weihai.center")
    assert (status, answer["code"]) == (403, "FORBIDDEN_TENANT")
    status, upheld = api.call("POST", decision, {"uphold": True, "reason": "事实清楚，申辩理由不成立"}, as_user=CENTER)
    assert status == 200 and upheld["status_label"] == "已生效" and upheld["published"] is True

    status, notices = api.call("GET", f"/sites/{SITE}/credit-notices")  # public, like the bulletins
    assert status == 200 and [n["id"] for n in notices["items"]] == [entry["id"]]
    status, standing = api.call("GET", f"/suppliers/{lc04}/credit", as_user="liaocheng.buyer")
    assert (standing["score"], standing["grade"], standing["grade_label"]) == (98, "A", "守信")
    assert [w["title"] for w in standing["warnings"]] == ["混淆品目分类上架商品"]
    status, again = api.call(
        "POST", url, {"rule_code": "XY01", "measure": "risk_reminder", "facts": facts}, as_user=CENTER
    )
    assert (status, again["code"]) == (409, "FINDING_ESCALATED")


def test_a_suspension_from_the_record_stops_trading_in_the_site(
    api: Api, market: dict[str, str], projection: Projection
) -> None:
    lc02 = supplier_code("supplier.lc02")
    body = {
        "supplier_uscc": lc02,
        "rule_code": "XY05",
        "measure": "suspension",
        "days": 30,
        "points": 10,
        "facts": "无正当理由拒绝签订合同（订单 YC…，采购人投诉）",
    }
    status, entry = api.call("POST", "/credit/entries", body, as_user=CENTER)
    assert status == 201, entry
    status, answer = api.call("POST", "/credit/entries", body | {"days": 181}, as_user=CENTER)
    assert (status, answer["code"]) == (422, "SANCTION_EXCEEDS_RULE")

    # No statement came: after the period (5 working days) the centre decides; a late statement is refused.
    later = parse_iso(entry["statement_until"]) + timedelta(hours=1)
    with time_machine.travel(later, tick=False):
        late = Api(api.client)
        url = f"/credit/entries/{lc02}/{entry['id']}"
        status, answer = late.call("POST", url + "/statement", {"text": "迟到的申辩"}, as_user="supplier.lc02")
        assert (status, answer["code"]) == (422, "STATEMENT_LATE")
        status, upheld = late.call("POST", url + "/decision", {"uphold": True, "reason": "逾期未申辩"}, as_user=CENTER)
        assert status == 200 and upheld["status_label"] == "已生效"
        status, standing = late.call("GET", f"/suppliers/{lc02}/credit", as_user="liaocheng.buyer")
        assert standing["score"] == 90 and standing["suspended_sites"] == [SITE]
        # Suspended in 聊城: its listings there leave the catalog and it cannot be ordered from.
        projection.drain()
        plan = add_plan(9, budget_fen=10_000_000, catalog_code="A02010000")
        body = order_body(plan, "supplier.lc02", [(market["dear"], 1)])
        status, refused = late.call("POST", f"/sites/{SITE}/orders", body, as_user="liaocheng.buyer")
        assert (status, refused["code"]) == (409, "SUPPLIER_NOT_ACTIVE"), refused
        status, catalog = late.call("GET", f"/sites/{SITE}/catalog?category={DESKTOP}&limit=60")
        assert market["dear"] not in [c["id"] for c in catalog["items"]]
        assert market["fair"] in [c["id"] for c in catalog["items"]]
    assert utc_now() < later  # the travel ended


def test_the_rule_table_is_the_provinces_and_checked(api: Api) -> None:
    status, table = api.call("GET", "/credit/rules", as_user="liaocheng.buyer")
    assert status == 200 and table["version"] == 0 and table["rules"][0]["code"] == "XY01"
    rules = [{k: r[k] for k in ("code", "title", "basis", "measures", "max_points", "max_days", "statement_days")}
             for r in table["rules"]]  # fmt: skip
    status, answer = api.call("PUT", "/credit/rules", {"version": 0, "rules": rules}, as_user=CENTER)
    assert (status, answer["code"]) == (403, "FORBIDDEN_ROLE")
    bad = [rules[0] | {"max_points": 101}, rules[1] | {"basis": "无"}, rules[2] | {"statement_days": 0}]
    before = snapshot()
    status, answer = api.call("PUT", "/credit/rules", {"version": 0, "rules": bad}, as_user="province.admin")
    assert (status, answer["code"]) == (400, "RULES_INVALID")
    assert {d["field"] for d in answer["details"]} == {"rules.0.max_points", "rules.1.basis", "rules.2.statement_days"}
    assert snapshot() == before
    revised = [rules[0] | {"max_points": 3}, *rules[1:]]
    status, table = api.call("PUT", "/credit/rules", {"version": 0, "rules": revised}, as_user="province.admin")
    assert status == 200 and table["version"] == 1 and table["rules"][0]["max_points"] == 3
    status, answer = api.call("PUT", "/credit/rules", {"version": 0, "rules": revised}, as_user="province.admin")
    assert (status, answer["code"]) == (409, "RULES_CHANGED")


def test_a_manufacturers_new_price_is_followed_within_five_working_days(
    api: Api, market: dict[str, str], projection: Projection
) -> None:
    notice = {
        "brand": "联想",
        "model": "启天M437",
        "official_price_fen": 500_000,
        "basis": "联想官网 2026-12-07 调价公告",
    }
    before = snapshot()
    for body, code in (
        (notice | {"official_price_fen": 0}, "PRICE_NOTICE_INVALID"),
        (notice | {"basis": " "}, "VALIDATION_FAILED"),
    ):
        status, answer = api.call("POST", "/price-notices", body, as_user=CENTER)
        assert (status, answer["code"]) == (400, code), answer
    assert snapshot() == before
    status, campaign = api.call("POST", "/price-notices", notice, as_user=CENTER)
    assert status == 201 and campaign["title"] == "厂商调价：联想 启天M437 调至 5,000.00 元"
    projection.drain()
    status, campaign = api.call("GET", f"/inspections/{campaign['id']}", as_user=CENTER)
    # The fair desktop (4,800) is under the new price; the dear one (6,800) must follow.
    assert (campaign["figures"]["checked"], campaign["figures"]["flagged"]) == (2, 1)
    [finding] = campaign["findings"]
    assert finding["listing_id"] == market["dear"] and finding["status_label"] == "待整改"
    assert "须在 5 个工作日内调价" in finding["problems"][0]["message"]
    projection.drain()
    told = next(n for n in inbox(api, "supplier.lc02")["items"] if n["kind"] == "finding_notified")
    assert "5,000.00 元" in told["body"]

    # The supplier reprices in time: at the deadline the finding closes itself; nothing is delisted.
    body = {"price_fen": 499_000, "reference_price_fen": 520_000, "reference_source": "联想官网 2026-12"}
    status, _ = api.call("PUT", f"/sites/{SITE}/listings/{market['dear']}/price", body, as_user="supplier.lc02")
    assert status == 200
    assert deadline(finding, timedelta(minutes=1)) == "applied"
    status, campaign = api.call("GET", f"/inspections/{campaign['id']}", as_user=CENTER)
    assert campaign["findings"][0]["status_label"] == "整改完成"
    assert campaign["findings"][0]["outcome"] == "已按厂商调价将售价调至 4,990.00 元"
    status, listing = api.call("GET", f"/sites/{SITE}/listings/{market['dear']}/review", as_user=CENTER)
    assert listing["status"] == "active"
