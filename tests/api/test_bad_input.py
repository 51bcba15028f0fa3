"""Bad input on every endpoint: a clear Chinese 4xx, and nothing written."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from chalicelib.config import get_tables
from tests.conftest import Api

WRITE_ROUTES = [
    ("PUT", "/sites/liaocheng/limits", "liaocheng.center"),
    ("PUT", "/sites/liaocheng/methods", "liaocheng.center"),
    ("POST", "/sites/liaocheng/orgs", "liaocheng.center"),
    ("POST", "/auth/login", None),
]

GENERIC_BAD_BODIES: list[tuple[str, Any, int, str]] = [
    ("malformed JSON", b'{"per_order_cap_fen": 1,', 400, "MALFORMED_JSON"),
    ("not an object", b"[1, 2, 3]", 400, "MALFORMED_JSON"),
    ("a bare string", b'"hello"', 400, "MALFORMED_JSON"),
    ("empty", b"", 400, "BODY_REQUIRED"),
    ("invalid UTF-8", b'{"name": "\xff\xfe"}', 400, "MALFORMED_JSON"),
    ("oversize", b'{"x": "' + b"a" * 70_000 + b'"}', 413, "PAYLOAD_TOO_LARGE"),
    ("unknown fields only", b'{"hack": true}', 400, "VALIDATION_FAILED"),
]

FIELD_CASES = {
    "/sites/liaocheng/limits": [
        (
            {"per_order_cap_fen": "8000", "per_plan_cap_fen": 2, "annual_category_cap_fen": 3},
            "per_order_cap_fen",
            "类型错误",
        ),
        ({"per_order_cap_fen": 1.5, "per_plan_cap_fen": 2, "annual_category_cap_fen": 3}, "per_order_cap_fen", "整数"),
        (
            {"per_order_cap_fen": -1, "per_plan_cap_fen": 2, "annual_category_cap_fen": 3},
            "per_order_cap_fen",
            "须大于 0",
        ),
        (
            {"per_order_cap_fen": True, "per_plan_cap_fen": 2, "annual_category_cap_fen": 3},
            "per_order_cap_fen",
            "类型错误",
        ),
        ({"per_plan_cap_fen": 2, "annual_category_cap_fen": 3}, "per_order_cap_fen", "必填"),
        (
            {"per_order_cap_fen": 1, "per_plan_cap_fen": 2, "annual_category_cap_fen": 3, "tenant": "weihai"},
            "tenant",
            "不支持的字段",
        ),
        (
            {"per_order_cap_fen": 1, "per_plan_cap_fen": 2, "annual_category_cap_fen": 10**14},
            "annual_category_cap_fen",
            "须不大于",
        ),
        (
            {
                "per_order_cap_fen": 1,
                "per_plan_cap_fen": 2,
                "annual_category_cap_fen": 3,
                "effective_date": "2027-13-01",
            },
            "effective_date",
            "日期",
        ),
        (
            {"per_order_cap_fen": 1, "per_plan_cap_fen": 2, "annual_category_cap_fen": 3, "expected_version": -1},
            "expected_version",
            "不小于",
        ),
    ],
    "/sites/liaocheng/methods": [
        ({"methods": []}, "methods", "至少需要 1 项"),
        ({"methods": ["direct", "lottery"]}, "methods.1", "取值无效"),
        ({"methods": "direct"}, "methods", "类型错误"),
    ],
    "/sites/liaocheng/orgs": [
        (
            {
                "uscc": "123",
                "name": "某单位",
                "district": "371502",
                "kind": "机关",
                "contact_name": "张三",
                "contact_phone": "13800000000",
            },
            "uscc",
            "长度不能少于 18",
        ),
        (
            {
                "uscc": "11371500MB2853182X",
                "name": "某单位",
                "district": "371502",
                "kind": "公司",
                "contact_name": "张三",
                "contact_phone": "13800000000",
            },
            "kind",
            "取值无效",
        ),
        ({"name": "某单位"}, "uscc", "必填"),
    ],
    "/auth/login": [
        ({"username": "", "password": "x"}, "username", "长度不能少于 1"),
        ({"username": "a", "password": 12345}, "password", "类型错误"),
    ],
}


def _snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every item of every table (tests may scan; the app never does)."""
    ddb = boto3.client("dynamodb")
    tables = get_tables()
    found = {}
    for name in (tables.main, tables.audit, tables.idempotency):
        items = ddb.scan(TableName=name)["Items"]
        found[name] = sorted(items, key=lambda i: json.dumps(i, sort_keys=True))
    return found


def _assert_chinese(message: str) -> None:
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message


@pytest.mark.parametrize(("method", "path", "user"), WRITE_ROUTES, ids=lambda v: str(v))
def test_generic_bad_bodies_are_refused_and_nothing_is_written(
    api: Api, method: str, path: str, user: str | None
) -> None:
    if user:
        api.token(user)
    before = _snapshot()
    for label, raw, status, code in GENERIC_BAD_BODIES:
        got_status, body = api.call(method, path, as_user=user, raw=raw)
        assert (got_status, body["code"]) == (status, code), (label, body)
        assert set(body) == {"code", "message", "details"}
        _assert_chinese(body["message"])
    assert _snapshot() == before


@pytest.mark.parametrize(("method", "path", "user"), WRITE_ROUTES[:3], ids=lambda v: str(v))
def test_non_json_content_type_is_415(api: Api, method: str, path: str, user: str) -> None:
    api.token(user)
    before = _snapshot()
    status, body = api.call(method, path, as_user=user, raw="a=1", headers={"Content-Type": "text/plain"})
    assert status == 415, body
    assert body["code"] == "UNSUPPORTED_MEDIA_TYPE"
    _assert_chinese(body["message"])
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("path", "case"),
    [(path, case) for path, cases in FIELD_CASES.items() for case in cases],
    ids=lambda v: v if isinstance(v, str) else v[1],
)
def test_field_errors_name_the_field_in_chinese(api: Api, path: str, case: tuple[dict[str, Any], str, str]) -> None:
    body_in, field, fragment = case
    method, _, user = next(r for r in WRITE_ROUTES if r[1] == path)
    if user:
        api.token(user)
    before = _snapshot()
    status, body = api.call(method, path, body_in, as_user=user)
    assert (status, body["code"]) == (400, "VALIDATION_FAILED"), body
    errors = {e["field"]: e["message"] for e in body["details"]}
    assert field in errors, body
    assert fragment in errors[field], errors
    _assert_chinese(body["message"])
    assert _snapshot() == before


def test_unknown_query_parameters_and_bad_values(api: Api) -> None:
    status, body = api.call("GET", "/sites/liaocheng/audit?limit=1000", as_user="liaocheng.finance")
    assert (status, body["code"]) == (400, "VALIDATION_FAILED")
    assert body["details"][0] == {"field": "limit", "label": "每页条数", "message": "须不大于 100"}
    assert body["message"] == "查询参数有误：每页条数：须不大于 100"  # the field by its name, not its key
    status, body = api.call("GET", "/sites/liaocheng/audit?limit=abc", as_user="liaocheng.finance")
    assert status == 400 and body["details"][0]["field"] == "limit"
    status, body = api.call("GET", "/sites/liaocheng/orgs?tenant=weihai", as_user="liaocheng.finance")
    assert (status, body["code"]) == (400, "VALIDATION_FAILED")
    assert body["details"][0] == {"field": "tenant", "label": "tenant", "message": "不支持的字段"}


def test_wrong_method_is_answered_in_the_house_format(api: Api) -> None:
    status, body = api.call("DELETE", "/sites/liaocheng/config")
    assert status == 405
    assert body == {"code": "METHOD_NOT_ALLOWED", "message": "不支持该请求方法", "details": None}


def test_tenant_in_the_body_cannot_redirect_a_write(api: Api) -> None:
    limits = {"per_order_cap_fen": 1, "per_plan_cap_fen": 2, "annual_category_cap_fen": 3}
    status, body = api.call(
        "PUT", "/sites/liaocheng/limits", {**limits, "site_id": "weihai"}, as_user="liaocheng.center"
    )
    assert status == 400 and body["details"][0]["field"] == "site_id"


HIDDEN = [
    ("NUL in a name", {"name": "聊城市\x00教育局"}, "name", "U+0000"),
    ("bidi override", {"name": "聊城市\u202e局育教"}, "name", "U+202E"),
    ("zero-width space", {"contact_name": "张\u200b敏"}, "contact_name", "U+200B"),
    ("line break in a name", {"name": "聊城市\n教育局"}, "name", "U+000A"),
    ("byte-order mark", {"contact_phone": "\ufeff0635-8888888"}, "contact_phone", "U+FEFF"),
]


@pytest.mark.parametrize(("case", "change", "field", "code_point"), HIDDEN, ids=[h[0] for h in HIDDEN])
def test_hidden_characters_are_refused_and_nothing_is_written(
    api: Api, case: str, change: dict[str, str], field: str, code_point: str
) -> None:
    body = {
        "uscc": "11371500MB1234567Q",
        "name": "聊城市测试局",
        "district": "371502",
        "kind": "机关",
        "contact_name": "张敏",
        "contact_phone": "0635-8888888",
        **change,
    }
    before = _count_items()
    status, answer = api.call("POST", "/sites/liaocheng/orgs", body, as_user="liaocheng.center")
    assert (status, answer["code"]) == (400, "VALIDATION_FAILED"), answer
    [detail] = [d for d in answer["details"] if d["field"] == field]
    assert "控制字符" in detail["message"] and code_point in detail["message"]
    assert _count_items() == before


def test_a_file_name_that_hides_its_extension_is_refused(api: Api, suppliers_seeded: int) -> None:
    body = {
        "kind": "business_license",
        "file_name": "营业执照\u202egpj.exe",
        "content_type": "image/jpeg",
        "size": 1000,
    }
    status, answer = api.call("POST", "/suppliers/me/documents", body, as_user="supplier.demo")
    assert (status, answer["code"]) == (400, "VALIDATION_FAILED"), answer
    assert "U+202E" in answer["message"]


def test_free_text_may_break_lines_but_not_hide_characters(api: Api) -> None:
    status, answer = api.call("GET", "/sites/liaocheng/orgs?district=37150\u202e2", as_user="liaocheng.center")
    assert (status, answer["code"]) == (400, "VALIDATION_FAILED")
    from chalicelib.validation import refuse_hidden_characters

    refuse_hidden_characters({"note": "第一行\n第二行\t备注"}, "请求参数")  # allowed: a note is free text


def _count_items() -> int:
    return int(boto3.client("dynamodb").scan(TableName=get_tables().main, Select="COUNT")["Count"])
