"""Purchase plans: pushed by the provincial platform (HMAC), accepted or returned; self-built within limits."""

from __future__ import annotations

import json
import secrets
import time
from typing import Any

import boto3
import pytest

from chalicelib.config import get_settings, get_tables
from chalicelib.domain.orgs import OrgKind
from chalicelib.domain.signing import sign
from chalicelib.domain.uscc import make_uscc
from scheduled.seed import demo_uscc
from tests.conftest import Api

BUREAU = demo_uscc("聊城市教育和体育局", "371500", OrgKind.AGENCY)  # liaocheng.buyer's unit
YEAR = time.gmtime().tm_year


def plan_body(number: int = 15, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "plan_no": "",  # set below from the division
        "name": "台式计算机采购项目",
        "business_year": YEAR,
        "business_month": 11,
        "purchase_method": "online_supermarket",
        "division_code": "371500",
        "buyer": {"uscc": BUREAU, "name": "聊城市教育和体育局"},
        "funding_department": "教科文科",
        "planned_date": f"{YEAR}-11-25",
        "deadline_date": f"{YEAR}-12-31",
        "funds": {"general_budget": 30_000_000, "self_raised": 5_000_000},
        "line": {
            "catalog_code": "A02010105",
            "item_name": "台式计算机",
            "quantity": 70,
            "unit": "台",
            "unit_price_fen": 500_000,
            "amount_fen": 35_000_000,
        },
    }
    body.update(changes)
    body["plan_no"] = f"{body['division_code']}2001{'01'}{YEAR}{number:04d}"
    return body


def push(
    api: Api,
    body: dict[str, Any] | bytes,
    *,
    nonce: str | None = None,
    timestamp: int | None = None,
    secret: str | None = None,
    signature: str | None = None,
) -> tuple[int, Any]:
    raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    secret = (
        secret
        or boto3.client("secretsmanager").get_secret_value(SecretId=get_settings().integration_secret_id)[
            "SecretString"
        ]
    )
    nonce = nonce or secrets.token_hex(16)
    ts = str(timestamp if timestamp is not None else int(time.time()))
    headers = {
        "X-Yuncai-Timestamp": ts,
        "X-Yuncai-Nonce": nonce,
        "X-Yuncai-Signature": signature or sign(secret, ts, nonce, raw),
    }
    return api.call("POST", "/integration/plans", raw=raw, headers=headers)


def test_a_pushed_plan_waits_for_its_buyer(api: Api) -> None:
    status, body = push(api, plan_body())
    assert status == 201, body
    assert body == {"plan_no": plan_body()["plan_no"], "site_id": "liaocheng", "status": "pending_acceptance"}
    status, listed = api.call("GET", "/sites/liaocheng/plans?status=pending_acceptance", as_user="liaocheng.buyer")
    [plan] = listed["items"]
    assert plan["budget_fen"] == 35_000_000 and plan["balance_fen"] == 35_000_000
    assert plan["funds"]["self_raised"] == 5_000_000 and plan["line"]["catalog_name"] == "台式计算机"
    assert plan["status_label"] == "待接收" and plan["district_name"] == "市本级"
    # Same plan again: acknowledged, not duplicated.
    status, again = push(api, plan_body())
    assert status == 200 and again["status"] == "pending_acceptance"
    status, body = push(api, plan_body(name="另一个名称"))
    assert (status, body["code"]) == (409, "PLAN_EXISTS")


def test_accept_and_return_by_the_buyer_of_that_unit(api: Api) -> None:
    push(api, plan_body(1))
    push(api, plan_body(2))
    first, second = plan_body(1)["plan_no"], plan_body(2)["plan_no"]
    status, body = api.call("POST", f"/sites/liaocheng/plans/{first}/accept", {}, as_user="weihai.buyer")
    assert status == 403  # another site's buyer
    status, accepted = api.call("POST", f"/sites/liaocheng/plans/{first}/accept", {}, as_user="liaocheng.buyer")
    assert status == 200 and accepted["status"] == "accepted"
    status, body = api.call(
        "POST", f"/sites/liaocheng/plans/{first}/return", {"reason": "x"}, as_user="liaocheng.buyer"
    )
    assert (status, body["code"]) == (409, "PLAN_STATUS_CONFLICT")
    status, body = api.call(
        "POST", f"/sites/liaocheng/plans/{second}/return", {"reason": ""}, as_user="liaocheng.buyer"
    )
    assert status == 400
    status, returned = api.call(
        "POST",
        f"/sites/liaocheng/plans/{second}/return",
        {"reason": "数量有误，请修改后重新推送"},
        as_user="liaocheng.buyer",
    )
    assert status == 200 and returned["status"] == "returned" and returned["return_reason"].startswith("数量有误")
    status, audit = api.call("GET", "/sites/liaocheng/audit?limit=2", as_user="liaocheng.finance")
    assert [e["action"] for e in audit["items"]] == ["plan.returned", "plan.accepted"]


def test_pushed_plans_register_an_unknown_buyer_unit(api: Api) -> None:
    unit = make_uscc("12", "371525", "MB0G5521X")
    body = plan_body(3, division_code="371525", buyer={"uscc": unit, "name": "冠县第一中学"})
    assert push(api, body)[0] == 201
    status, orgs = api.call("GET", "/sites/liaocheng/orgs?district=371525", as_user="liaocheng.center")
    assert status == 200
    assert [o["name"] for o in orgs["items"]] == ["冠县第一中学"] and orgs["items"][0]["kind"] == "事业单位"


def test_buyers_see_only_their_own_units_plans(api: Api) -> None:
    other = make_uscc("11", "371522", "MB0H1234K")
    push(api, plan_body(4, division_code="371522", buyer={"uscc": other, "name": "莘县财政局"}))
    status, mine = api.call("GET", "/sites/liaocheng/plans", as_user="liaocheng.buyer")
    assert mine["items"] == []
    plan_no = plan_body(4, division_code="371522")["plan_no"]
    status, body = api.call("GET", f"/sites/liaocheng/plans/{plan_no}", as_user="liaocheng.buyer")
    assert (status, body["code"]) == (404, "PLAN_NOT_FOUND")
    status, all_plans = api.call("GET", "/sites/liaocheng/plans", as_user="liaocheng.finance")
    assert [p["plan_no"] for p in all_plans["items"]] == [plan_no]


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"funds": {"general_budget": 30_000_000}}, "各资金来源合计 300,000.00 元与明细金额 350,000.00 元不一致"),
        (
            {
                "line": {
                    "catalog_code": "A02010105",
                    "item_name": "台式计算机",
                    "quantity": 70,
                    "unit": "台",
                    "unit_price_fen": 500_000,
                    "amount_fen": 34_000_000,
                }
            },
            "不等于数量 70 × 单价 5,000.00 元",
        ),
        (
            {
                "line": {
                    "catalog_code": "A99999999",
                    "item_name": "x",
                    "quantity": 1,
                    "unit": "台",
                    "unit_price_fen": 35_000_000,
                    "amount_fen": 35_000_000,
                }
            },
            "不在 2022 版品目分类目录中",
        ),
        ({"funds": {"general_budget": 35_000_000, "lottery": 0}}, "未知的资金来源：lottery"),
    ],
)
def test_plans_that_do_not_add_up_are_refused(api: Api, changes: dict[str, Any], fragment: str) -> None:
    before = boto3.client("dynamodb").scan(TableName=get_tables().main, Select="COUNT")["Count"]
    status, body = push(api, plan_body(5, **changes))
    assert (status, body["code"]) == (400, "VALIDATION_FAILED"), body
    assert fragment in body["message"]
    assert boto3.client("dynamodb").scan(TableName=get_tables().main, Select="COUNT")["Count"] == before


def test_bad_signatures_stale_and_replayed_pushes(api: Api) -> None:
    body = plan_body(6)
    status, answer = push(api, body, secret="not-the-secret")
    assert (status, answer["code"]) == (401, "SIGNATURE_INVALID")
    status, answer = push(api, body, timestamp=int(time.time()) - 3600)
    assert (status, answer["code"]) == (401, "REQUEST_STALE")
    status, answer = api.call("POST", "/integration/plans", body)
    assert (status, answer["code"]) == (401, "SIGNATURE_MISSING")
    nonce = secrets.token_hex(16)
    assert push(api, body, nonce=nonce)[0] == 201
    status, answer = push(api, body, nonce=nonce)
    assert (status, answer["code"]) == (401, "REQUEST_REPLAYED")
    status, answer = push(api, plan_body(7, division_code="370202"))  # 青岛市南区: no site here
    assert (status, answer["code"]) == (422, "SITE_NOT_FOUND_FOR_DIVISION")


def test_self_built_plans_stay_within_the_limits(api: Api) -> None:
    new = {
        "name": "办公文具采购",
        "business_year": YEAR,
        "business_month": 11,
        "purchase_method": "online_supermarket",
        "budget_category": "A05040401",
        "amount_fen": 60_000_000,
        "planned_date": f"{YEAR}-11-30",
        "note": "",
    }
    status, plan = api.call("POST", "/sites/liaocheng/plans", new, as_user="liaocheng.buyer")
    assert status == 201, plan
    assert plan["source"] == "self_built" and plan["status"] == "accepted" and plan["plan_no"].startswith("ZJ371500")
    assert len(plan["plan_no"]) == 20 and plan["budget_category_name"] == "文具" and plan["level2_name"] == "办公用品"
    # The per-plan cap of 聊城 is 100 万元.
    status, body = api.call(
        "POST", "/sites/liaocheng/plans", {**new, "amount_fen": 120_000_000}, as_user="liaocheng.buyer"
    )
    assert (status, body["code"]) == (422, "LIMIT_EXCEEDED")
    assert "超出单个采购计划限额：限额 100.00 万元" in body["message"]
    # The annual cap per 二级品目 (办公用品) is 200 万元: 60 + 100 is fine, 60 + 100 + 60 is not.
    status, _ = api.call(
        "POST",
        "/sites/liaocheng/plans",
        {**new, "amount_fen": 100_000_000, "budget_category": "A05040402"},
        as_user="liaocheng.buyer",
    )
    assert status == 201
    status, body = api.call("POST", "/sites/liaocheng/plans", new, as_user="liaocheng.buyer")
    assert (status, body["code"]) == (422, "LIMIT_EXCEEDED")
    assert "已用 160.00 万元，剩余 40.00 万元" in body["message"] and "办公用品" in body["message"]
    assert body["details"]["left_fen"] == 40_000_000
    # Not a 分散采购品目 of the site.
    status, body = api.call(
        "POST", "/sites/liaocheng/plans", {**new, "budget_category": "A02010105"}, as_user="liaocheng.buyer"
    )
    assert status == 400 and body["details"][0]["field"] == "budget_category"


def test_accepting_a_pushed_plan_counts_against_the_annual_cap(api: Api) -> None:
    push(api, plan_body(8, funds={"general_budget": 35_000_000}))
    big = {
        "catalog_code": "A02010105",
        "item_name": "台式计算机",
        "quantity": 350,
        "unit": "台",
        "unit_price_fen": 500_000,
        "amount_fen": 175_000_000,
    }
    push(api, plan_body(9, funds={"general_budget": 175_000_000}, line=big))
    api.call("POST", f"/sites/liaocheng/plans/{plan_body(8)['plan_no']}/accept", {}, as_user="liaocheng.buyer")
    status, body = api.call(
        "POST", f"/sites/liaocheng/plans/{plan_body(9)['plan_no']}/accept", {}, as_user="liaocheng.buyer"
    )
    assert (status, body["code"]) == (422, "LIMIT_EXCEEDED")
    assert "单个采购计划限额" in body["message"]  # 175 万元 is above the 100 万元 per plan


def test_roles(api: Api) -> None:
    status, body = api.call("POST", "/sites/liaocheng/plans", {}, as_user="liaocheng.finance")
    assert (status, body["code"]) == (403, "FORBIDDEN_ROLE")
    status, body = api.call("GET", "/sites/liaocheng/plans", as_user="supplier.demo")
    assert (status, body["code"]) == (403, "FORBIDDEN_ROLE")


def test_a_self_built_plan_is_numbered_by_the_china_date(api: Api) -> None:
    """01:30 in Beijing on 6 March is still 5 March in UTC: the number carries 20240306."""
    from datetime import UTC, datetime

    from chalicelib.domain import plans as plan_rules
    from chalicelib.domain.principals import Principal, Role
    from chalicelib.store.plans import DynamoPlanStore
    from chalicelib.store.reference import national_catalog
    from chalicelib.store.sites import DynamoSiteStore

    site = DynamoSiteStore().get("liaocheng")
    assert site is not None
    buyer = Principal("u1", "liaocheng.buyer", "张敏", Role.BUYER, "liaocheng", BUREAU, "聊城市教育和体育局", "371500")
    new = plan_rules.NewSelfBuiltPlan(
        "办公文具采购", 2024, 3, plan_rules.PlanMethod.ONLINE_SUPERMARKET, "A05040401", 100_000, "2024-03-06", ""
    )
    early_morning = datetime(2024, 3, 5, 17, 30, tzinfo=UTC)
    plan = plan_rules.create_self_built(DynamoPlanStore(), site, buyer, new, national_catalog(), early_morning)
    assert plan.plan_no == "ZJ371500202403060001"
