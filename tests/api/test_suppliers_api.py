"""Supplier registration, documents by presigned POST, review, suspension, expulsion."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import boto3
import requests
import time_machine

from chalicelib.config import get_tables
from chalicelib.domain.clock import china_date, utc_now
from chalicelib.domain.uscc import make_uscc
from tests.conftest import Api, invoke, stop_execution

USCC = make_uscc("91", "371525", "MA3N5T8P2")
REGISTRATION: dict[str, Any] = {
    "username": "guanxian.office",
    "password": "Guanxian2026ok",
    "uscc": USCC,
    "name": "冠县文达办公用品有限公司",
    "legal_representative": "石文达",
    "registered_address": "冠县清泉街道红旗北路 15 号",
    "home_district": "371525",
    "ownership": "private",
    "scale": "micro",
    "declaration": {"industry": "retail", "employees": 8, "revenue_fen": 150_000_000, "assets_fen": 60_000_000},
    "contact": {"name": "石文达", "phone": "13563580123", "email": "wenda@example.com"},
}


def _register(api: Api, **changes: Any) -> tuple[int, Any]:
    body = {**REGISTRATION, **changes}
    status, answer = api.call("POST", "/suppliers/register", body)
    if status == 201:
        api.token(body["username"], body["password"])  # later calls as_user= reuse this login
    return status, answer


def _counts() -> tuple[int, int]:
    ddb = boto3.client("dynamodb")
    main = ddb.scan(TableName=get_tables().main, Select="COUNT")["Count"]
    audit = ddb.scan(TableName=get_tables().audit, Select="COUNT")["Count"]
    return int(main), int(audit)


def _login_fails(api: Api, username: str, password: str) -> bool:
    status, _ = api.call("POST", "/auth/login", {"username": username, "password": password})
    return status == 401


def _upload_licence(api: Api, username: str) -> str:
    status, started = api.call(
        "POST",
        "/suppliers/me/documents",
        {"kind": "business_license", "file_name": "营业执照（副本）.pdf", "content_type": "application/pdf", "size": 9},
        as_user=username,
    )
    assert status == 201, started
    upload = started["upload"]
    # The browser posts straight to S3 with the policy's fields.
    response = requests.post(
        upload["url"],
        data=upload["fields"],
        files={"file": ("licence.pdf", b"%PDF-1.4\n", "application/pdf")},
        timeout=10,
    )
    assert response.status_code in (200, 204), response.text
    status, profile = api.call("POST", f"/suppliers/me/documents/{started['doc_id']}/confirm", {}, as_user=username)
    assert status == 200, profile
    return str(started["doc_id"])


def test_a_supplier_registers_once_and_can_log_in_at_once(api: Api) -> None:
    status, body = _register(api)
    assert status == 201, body
    supplier = body["supplier"]
    assert supplier["status"] == "pending" and supplier["status_label"] == "待审核"
    assert supplier["scale_label"] == "微型" and supplier["home_district_name"] == "冠县"
    status, me = api.call("GET", "/me", as_user="guanxian.office")
    assert me["user"]["role"] == "supplier" and me["user"]["tenant"] == "shandong" and me["user"]["org_id"] == USCC
    status, profile = api.call("GET", "/suppliers/me", as_user="guanxian.office")
    assert status == 200 and profile["uscc"] == USCC


def test_a_declared_scale_that_does_not_follow_is_refused_and_nothing_is_created(api: Api) -> None:
    before = _counts()
    status, body = _register(api, scale="small")
    assert (status, body["code"]) == (422, "SCALE_MISMATCH")
    assert body["details"]["computed_scale"] == "micro"
    assert "按零售业划型标准" in body["message"] and "应为微型企业" in body["message"]
    assert _counts() == before
    assert _login_fails(api, "guanxian.office", REGISTRATION["password"])


def test_bad_codes_weak_passwords_and_duplicates(api: Api) -> None:
    before = _counts()
    status, body = _register(api, uscc=USCC[:-1] + ("0" if USCC[-1] != "0" else "1"))
    assert (status, body["code"]) == (400, "VALIDATION_FAILED")
    assert body["details"] == [{"field": "uscc", "message": "统一社会信用代码校验位错误", "label": "统一社会信用代码"}]
    status, body = _register(api, password="alllowercase12")
    assert (status, body["code"]) == (400, "WEAK_PASSWORD")
    assert _counts() == before
    assert _login_fails(api, "guanxian.office", "alllowercase12")
    assert _register(api)[0] == 201
    status, body = _register(api, username="another.name")
    assert (status, body["code"]) == (409, "SUPPLIER_EXISTS")
    status, body = _register(api, uscc=make_uscc("91", "371525", "MA3N5T8P3"))
    assert (status, body["code"]) == (409, "USERNAME_TAKEN")


def test_review_needs_the_licence_and_a_reason_to_reject(api: Api) -> None:
    _register(api)
    status, body = api.call("POST", f"/suppliers/{USCC}/review", {"decision": "approve"}, as_user="liaocheng.center")
    assert (status, body["code"]) == (422, "LICENSE_MISSING")
    status, body = api.call("POST", f"/suppliers/{USCC}/review", {"decision": "reject"}, as_user="liaocheng.center")
    assert (status, body["code"]) == (400, "REASON_REQUIRED")
    _upload_licence(api, "guanxian.office")
    status, queue = api.call("GET", "/suppliers?status=pending", as_user="weihai.finance")
    assert status == 200 and [s["uscc"] for s in queue["items"]] == [USCC]
    status, detail = api.call("GET", f"/suppliers/{USCC}", as_user="liaocheng.center")
    [document] = detail["documents"]
    assert document["kind_label"] == "营业执照" and document["file_name"] == "营业执照（副本）.pdf"
    assert requests.get(document["download_url"], timeout=10).content == b"%PDF-1.4\n"
    status, approved = api.call(
        "POST", f"/suppliers/{USCC}/review", {"decision": "approve", "reason": "资质齐全"}, as_user="weihai.center"
    )
    assert status == 200 and approved["status"] == "active"
    status, detail = api.call("GET", f"/suppliers/{USCC}", as_user="province.admin")
    assert [e["action"] for e in detail["history"]] == [
        "supplier.approved",
        "supplier.document_added",
        "supplier.registered",
    ]
    assert detail["history"][0]["actor"]["org_name"] == "威海市政府采购中心"

    # 冠县 is in 聊城: its centre's log shows the registration, the licence and the approval; 威海's log the
    # approval its centre made; 济南's nothing.
    def site_log(site: str, user: str) -> list[str]:
        status, log = api.call("GET", f"/sites/{site}/audit", as_user=user)
        assert status == 200, log
        return [e["action"] for e in log["items"] if e["entity_id"] == USCC]

    assert site_log("liaocheng", "liaocheng.center") == [
        "supplier.approved",
        "supplier.document_added",
        "supplier.registered",
    ]
    assert site_log("weihai", "weihai.center") == ["supplier.approved"]
    assert site_log("jinan", "jinan.center") == []


def test_a_rejected_supplier_corrects_and_resubmits(api: Api) -> None:
    _register(api)
    api.call(
        "POST",
        f"/suppliers/{USCC}/review",
        {"decision": "reject", "reason": "营业执照不清晰"},
        as_user="liaocheng.center",
    )
    profile = {k: v for k, v in REGISTRATION.items() if k not in ("username", "password", "uscc")}
    status, updated = api.call(
        "PUT",
        "/suppliers/me",
        {**profile, "registered_address": "冠县清泉街道红旗北路 17 号"},
        as_user="guanxian.office",
    )
    assert status == 200 and updated["registered_address"].endswith("17 号")
    status, resubmitted = api.call("POST", "/suppliers/me/submit", {}, as_user="guanxian.office")
    assert status == 200 and resubmitted["status"] == "pending"
    status, body = api.call("POST", "/suppliers/me/submit", {}, as_user="guanxian.office")
    assert (status, body["code"]) == (409, "SUPPLIER_STATUS_CONFLICT")


def test_suspension_with_an_end_date_is_lifted_by_the_timer(api: Api, aws: dict[str, str]) -> None:
    _register(api)
    _upload_licence(api, "guanxian.office")
    api.call("POST", f"/suppliers/{USCC}/review", {"decision": "approve"}, as_user="liaocheng.center")
    tomorrow = china_date(utc_now() + timedelta(days=1))
    status, suspended = api.call(
        "POST",
        f"/suppliers/{USCC}/suspend",
        {"reason": "节能证书不合格", "until": tomorrow.isoformat()},
        as_user="province.admin",  # province-wide; a city's own suspensions are in test_site_sanctions.py
    )
    assert status == 200 and suspended["status"] == "suspended"
    status, body = api.call("POST", "/sites/liaocheng/listings", {}, as_user="guanxian.office")
    assert (status, body["code"]) == (400, "VALIDATION_FAILED")  # the body is checked first
    sfn = boto3.client("stepfunctions")
    [execution] = sfn.list_executions(stateMachineArn=aws["DEADLINE_STATE_MACHINE_ARN"])["executions"]
    event = json.loads(sfn.describe_execution(executionArn=execution["executionArn"])["input"])
    stop_execution(execution["executionArn"])
    assert invoke("on_deadline", event) == {"status": "early"}
    with time_machine.travel(utc_now() + timedelta(days=2), tick=False):
        assert invoke("on_deadline", event) == {"status": "applied"}
    status, profile = api.call("GET", "/suppliers/me", as_user="guanxian.office")
    assert profile["status"] == "active" and profile["status_reason"] == "暂停期满自动恢复"


def test_expelled_suppliers_wait_for_the_end_of_the_bar(api: Api) -> None:
    _register(api)
    _upload_licence(api, "guanxian.office")
    api.call("POST", f"/suppliers/{USCC}/review", {"decision": "approve"}, as_user="province.admin")
    until = china_date(utc_now() + timedelta(days=30)).isoformat()
    status, expelled = api.call(
        "POST", f"/suppliers/{USCC}/expel", {"reason": "串通报价", "until": until}, as_user="province.admin"
    )
    assert status == 200 and expelled["status"] == "expelled"
    status, body = api.call("POST", "/suppliers/me/submit", {}, as_user="guanxian.office")
    assert (status, body["code"]) == (409, "SUPPLIER_BARRED") and until in body["message"]
    status, body = api.call("POST", f"/suppliers/{USCC}/reinstate", {"reason": "误操作"}, as_user="province.admin")
    assert (status, body["code"]) == (409, "SUPPLIER_STATUS_CONFLICT")


def test_roles_and_unknown_suppliers(api: Api) -> None:
    _register(api)
    status, body = api.call("POST", f"/suppliers/{USCC}/review", {"decision": "approve"}, as_user="liaocheng.finance")
    assert (status, body["code"]) == (403, "FORBIDDEN_ROLE")
    status, body = api.call("GET", "/suppliers/91371525MA3N5T8P2X", as_user="liaocheng.finance")
    assert status == 404
    status, body = api.call("GET", "/suppliers/not-a-code", as_user="liaocheng.finance")
    assert status == 404
    status, body = api.call("POST", "/suppliers/me/documents/" + "0" * 32 + "/confirm", {}, as_user="guanxian.office")
    assert (status, body["code"]) == (404, "UPLOAD_NOT_FOUND")


def test_industries_list_the_thresholds_in_api_units(api: Api) -> None:
    status, body = api.call("GET", "/suppliers/industries")
    assert status == 200
    wholesale = next(i for i in body["items"] if i["code"] == "wholesale")
    assert wholesale["thresholds"]["medium"] == {"employees": 20, "revenue_fen": 5_000_000_000}
    assert wholesale["criteria"].startswith("从业人员 200 人以下")


def test_an_active_supplier_changes_its_details_and_renews_documents_under_review(api: Api) -> None:
    _register(api)
    _upload_licence(api, "guanxian.office")
    api.call("POST", f"/suppliers/{USCC}/review", {"decision": "approve"}, as_user="liaocheng.center")
    profile = {k: v for k, v in REGISTRATION.items() if k not in ("username", "password", "uscc")}
    new_contact = {**profile["contact"], "phone": "13963588888"}  # type: ignore[dict-item]
    status, asked = api.call("PUT", "/suppliers/me", {**profile, "contact": new_contact}, as_user="guanxian.office")
    assert status == 200, asked
    # Still trading on the approved details; the change waits for the centre.
    assert asked["status"] == "active" and asked["contact"]["phone"] == REGISTRATION["contact"]["phone"]  # type: ignore[index]
    rows = asked["pending_change"]["rows"]
    assert [(r["label"], r["after"]) for r in rows] == [("联系人信息·电话", "13963588888")]
    renewed = _upload_licence(api, "guanxian.office")  # a renewed licence joins the change
    status, queue = api.call("GET", "/suppliers/changes", as_user="liaocheng.center")
    [waiting] = [s for s in queue["items"] if s["uscc"] == USCC]
    assert renewed in waiting["pending_change"]["documents"]
    assert next(d for d in waiting["documents"] if d["doc_id"] == renewed)["under_review"]
    refused = api.call(
        "POST", f"/suppliers/{USCC}/changes/decision", {"decision": "reject"}, as_user="liaocheng.center"
    )
    assert refused[0] == 400 and refused[1]["code"] == "REASON_REQUIRED"
    assert (
        api.call("POST", f"/suppliers/{USCC}/changes/decision", {"decision": "approve"}, as_user="liaocheng.finance")[0]
        == 403
    )
    status, approved = api.call(
        "POST", f"/suppliers/{USCC}/changes/decision", {"decision": "approve"}, as_user="liaocheng.center"
    )
    assert status == 200 and approved["contact"]["phone"] == "13963588888" and approved["pending_change"] is None
    assert not any(d["under_review"] for d in approved["documents"])
    assert USCC not in [
        s["uscc"] for s in api.call("GET", "/suppliers/changes", as_user="liaocheng.center")[1]["items"]
    ]
    # A second change, rejected: the renewed document goes, the details stay as approved.
    other = _upload_licence(api, "guanxian.office")
    status, rejected = api.call(
        "POST",
        f"/suppliers/{USCC}/changes/decision",
        {"decision": "reject", "reason": "营业执照副本不清晰"},
        as_user="liaocheng.center",
    )
    assert status == 200 and other not in [d["doc_id"] for d in rejected["documents"]]
    assert rejected["contact"]["phone"] == "13963588888"
    status, log = api.call("GET", f"/sites/liaocheng/audit?entity_id={USCC}", as_user="liaocheng.center")
    actions = [e["action"] for e in log["items"]]
    assert {"supplier.change_requested", "supplier.change_approved", "supplier.change_rejected"} <= set(actions)
    none = api.call("POST", f"/suppliers/{USCC}/changes/decision", {"decision": "approve"}, as_user="liaocheng.center")
    assert none[0] == 409 and none[1]["code"] == "NO_PENDING_CHANGE"
