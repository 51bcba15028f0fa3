"""Buyer organisations: create (idempotent), duplicates, validation, listing by district."""

from __future__ import annotations

import boto3

from chalicelib.config import get_tables
from chalicelib.domain.uscc import make_uscc
from tests.conftest import Api

NEW_ORG = {
    "uscc": make_uscc("12", "371524", "MB0D7751X"),
    "name": "东阿县人民医院",
    "district": "371524",
    "kind": "事业单位",
    "contact_name": "孙丽",
    "contact_phone": "0635-3281234",
}


def _count(table: str) -> int:
    return int(boto3.client("dynamodb").scan(TableName=table, Select="COUNT")["Count"])


def test_operator_registers_a_buyer_unit(api: Api) -> None:
    status, body = api.call("POST", "/sites/liaocheng/orgs", NEW_ORG, as_user="liaocheng.center")
    assert status == 201, body
    assert body["district_name"] == "东阿县" and body["created_by"] == "liaocheng.center"
    status, listed = api.call("GET", "/sites/liaocheng/orgs?district=371524", as_user="liaocheng.finance")
    assert status == 200 and [o["uscc"] for o in listed["items"]] == [NEW_ORG["uscc"]]
    status, audit = api.call("GET", "/sites/liaocheng/audit?limit=1", as_user="liaocheng.finance")
    assert audit["items"][0]["action"] == "buyer_org.created"
    assert audit["items"][0]["after"]["name"] == "东阿县人民医院"


def test_same_idempotency_key_returns_the_first_result_once(api: Api) -> None:
    headers = {"Idempotency-Key": "4f6c1a9e-2b0d-4c52-9d7e-0d1f2e3a4b5c"}
    main, audit = get_tables().main, get_tables().audit
    before = (_count(main), _count(audit))
    first = api.call("POST", "/sites/liaocheng/orgs", NEW_ORG, as_user="liaocheng.center", headers=headers)
    second = api.call("POST", "/sites/liaocheng/orgs", NEW_ORG, as_user="liaocheng.center", headers=headers)
    assert first[0] == second[0] == 201
    assert first[1] == second[1]
    assert (_count(main), _count(audit)) == (before[0] + 1, before[1] + 1)


def test_same_key_with_a_different_body_is_refused(api: Api) -> None:
    headers = {"Idempotency-Key": "key-for-one-request-only"}
    api.call("POST", "/sites/liaocheng/orgs", NEW_ORG, as_user="liaocheng.center", headers=headers)
    other = {**NEW_ORG, "name": "东阿县中医院"}
    status, body = api.call("POST", "/sites/liaocheng/orgs", other, as_user="liaocheng.center", headers=headers)
    assert (status, body["code"]) == (422, "IDEMPOTENCY_KEY_REUSED")


def test_keys_are_scoped_to_the_caller(api: Api) -> None:
    headers = {"Idempotency-Key": "shared-key-000001"}
    status, _ = api.call("POST", "/sites/liaocheng/orgs", NEW_ORG, as_user="liaocheng.center", headers=headers)
    assert status == 201
    # Another operator reusing the key is a new request, refused here as a duplicate unit.
    status, body = api.call("POST", "/sites/liaocheng/orgs", NEW_ORG, as_user="province.admin", headers=headers)
    assert (status, body["code"]) == (409, "ORG_EXISTS")


def test_a_failed_create_is_not_remembered_by_its_key(api: Api) -> None:
    headers = {"Idempotency-Key": "retry-after-fix-01"}
    bad = {**NEW_ORG, "district": "370102"}  # 济南's 历下区, not a 聊城 district
    status, body = api.call("POST", "/sites/liaocheng/orgs", bad, as_user="liaocheng.center", headers=headers)
    assert (status, body["code"]) == (400, "VALIDATION_FAILED")
    assert body["details"] == [{"field": "district", "message": "区划 370102 不属于聊城站点", "label": "所属区划"}]
    status, _ = api.call("POST", "/sites/liaocheng/orgs", NEW_ORG, as_user="liaocheng.center", headers=headers)
    assert status == 201


def test_malformed_idempotency_key(api: Api) -> None:
    status, body = api.call(
        "POST", "/sites/liaocheng/orgs", NEW_ORG, as_user="liaocheng.center", headers={"Idempotency-Key": "short"}
    )
    assert (status, body["code"]) == (400, "INVALID_IDEMPOTENCY_KEY")


def test_duplicate_code_wrong_check_digit_and_bad_phone(api: Api) -> None:
    api.call("POST", "/sites/liaocheng/orgs", NEW_ORG, as_user="liaocheng.center")
    status, body = api.call("POST", "/sites/liaocheng/orgs", NEW_ORG, as_user="liaocheng.center")
    assert (status, body["code"]) == (409, "ORG_EXISTS")
    broken = {
        **NEW_ORG,
        "uscc": NEW_ORG["uscc"][:-1] + ("0" if NEW_ORG["uscc"][-1] != "0" else "1"),
        "contact_phone": "1234567",
    }
    status, body = api.call("POST", "/sites/liaocheng/orgs", broken, as_user="liaocheng.center")
    assert status == 400
    assert {e["field"]: e["message"] for e in body["details"]} == {
        "uscc": "统一社会信用代码校验位错误",
        "contact_phone": "联系电话应为手机号或带区号的固定电话",
    }


def test_listing_by_an_unknown_district(api: Api) -> None:
    status, body = api.call("GET", "/sites/liaocheng/orgs?district=370102", as_user="liaocheng.center")
    assert (status, body["code"]) == (404, "DISTRICT_NOT_FOUND")
    status, body = api.call("GET", "/sites/liaocheng/orgs", as_user="liaocheng.center")
    assert status == 200 and len(body["items"]) == 11  # seed 000's ten largest buyers plus the bureau


def test_the_centre_keeps_a_units_contact_current(api: Api) -> None:
    assert api.call("POST", "/sites/liaocheng/orgs", NEW_ORG, as_user="liaocheng.center")[0] == 201
    path = f"/sites/liaocheng/orgs/{NEW_ORG['uscc']}/contact"
    change = {"contact_name": "王建国", "contact_phone": "13906351111"}
    status, body = api.call("PUT", path, change, as_user="liaocheng.center")
    assert status == 200 and (body["contact_name"], body["contact_phone"]) == ("王建国", "13906351111")
    status, audit = api.call("GET", f"/sites/liaocheng/audit?entity_id={NEW_ORG['uscc']}", as_user="liaocheng.center")
    updated = next(e for e in audit["items"] if e["action"] == "buyer_org.updated")
    assert updated["action_label"] == "修改采购单位"
    assert {c["label"] for c in updated["changes"]} == {"联系人", "联系电话"}
    main = _count(get_tables().main)
    bad = api.call("PUT", path, {"contact_name": "王建国", "contact_phone": "12345"}, as_user="liaocheng.center")
    assert bad[0] == 400 and bad[1]["details"][0]["label"] == "联系电话"
    assert api.call("PUT", path, change, as_user="liaocheng.finance")[0] == 403
    assert api.call("PUT", path.replace("liaocheng", "weihai", 1), change, as_user="liaocheng.center")[0] == 403
    missing = f"/sites/liaocheng/orgs/{make_uscc('12', '371524', 'MB0D7759X')}/contact"
    assert api.call("PUT", missing, change, as_user="liaocheng.center")[1]["code"] == "ORG_NOT_FOUND"
    assert _count(get_tables().main) == main
