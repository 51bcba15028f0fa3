"""No input gets a 500: random bodies, query strings and path values on every route."""

from __future__ import annotations

import json
import urllib.parse
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chalicelib.domain.principals import Role
from chalicelib.http import ROUTE_POLICIES, RoutePolicy
from tests.conftest import Api

USER_FOR_ROLE = {
    Role.BUYER: "liaocheng.buyer",
    Role.CENTER_ADMIN: "liaocheng.center",
    Role.FINANCE: "liaocheng.finance",
    Role.SUPPLIER: "supplier.demo",
    Role.PROVINCE_ADMIN: "province.admin",
}
# Field names the app knows, so that random bodies also reach the deeper checks.
KNOWN_FIELDS = [
    "per_order_cap_fen",
    "per_plan_cap_fen",
    "annual_category_cap_fen",
    "effective_date",
    "expected_version",
    "methods",
    "uscc",
    "name",
    "district",
    "kind",
    "contact_name",
    "contact_phone",
    "username",
    "password",
]
SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
BODIES = st.one_of(
    st.dictionaries(st.sampled_from(KNOWN_FIELDS), JSON_VALUES, max_size=8),
    JSON_VALUES,
).map(lambda v: json.dumps(v)) | st.binary(max_size=200)
QUERIES = st.dictionaries(st.sampled_from(["limit", "cursor", "district", "x"]), st.text(max_size=30), max_size=3)
PATH_VALUES = st.text(min_size=1, max_size=60) | st.sampled_from(["liaocheng", "weihai", "0" * 32, "a" * 200])

ROUTES = [(p, m) for p in ROUTE_POLICIES for m in p.methods]
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _user(policy: RoutePolicy) -> str | None:
    if policy.roles is None:
        return None
    return USER_FOR_ROLE[sorted(policy.roles, key=lambda r: r.value)[0]]


def _assert_clean(status: int, body: Any, context: Any) -> None:
    assert status < 500, (context, body)
    if status >= 400:
        assert isinstance(body, dict) and {"code", "message"} <= set(body), (context, body)


@FUZZ
@given(route=st.sampled_from(ROUTES), body=BODIES, query=QUERIES)
def test_random_bodies_and_queries_never_500(
    api: Api, route: tuple[RoutePolicy, str], body: Any, query: dict[str, str]
) -> None:
    policy, method = route
    path = policy.path.replace("{site_id}", "liaocheng").replace("{change_id}", "0" * 32)
    if query:
        path += "?" + urllib.parse.urlencode(query)
    status, answer = api.call(method, path, as_user=_user(policy), raw=body)
    _assert_clean(status, answer, (method, path, body))


@FUZZ
@given(route=st.sampled_from([r for r in ROUTES if "{" in r[0].path]), value=PATH_VALUES, other=PATH_VALUES)
def test_random_path_values_never_500(api: Api, route: tuple[RoutePolicy, str], value: str, other: str) -> None:
    policy, method = route
    path = policy.path.replace("{site_id}", urllib.parse.quote(value, safe="")).replace(
        "{change_id}", urllib.parse.quote(other, safe="")
    )
    status, answer = api.call(method, path, {}, as_user=_user(policy))
    _assert_clean(status, answer, (method, path))


def test_deeply_nested_json_is_a_clean_400(api: Api) -> None:
    status, body = api.call("PUT", "/sites/liaocheng/limits", as_user="liaocheng.center", raw="[" * 30_000)
    assert (status, body["code"]) == (400, "MALFORMED_JSON")


def test_usernames_cognito_cannot_hold_are_a_failed_login(api: Api) -> None:
    for username in ("has space", "tab\there", "\u0000null"):
        status, body = api.call("POST", "/auth/login", {"username": username, "password": "x"})
        assert (status, body["code"]) == (401, "LOGIN_FAILED"), username
