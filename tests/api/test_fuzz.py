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
    # orders and ratings
    "plan_no",
    "supplier_uscc",
    "lines",
    "listing_id",
    "quantity",
    "delivery",
    "expected_date",
    "reason",
    "note",
    "approve",
    "decision",
    "target",
    "stars",
    "comment",
    "paid_fen",
    "voucher_no",
    # pavilions
    "intro",
    "shown",
    "codes",
    # designated purchase
    "service",
    "districts",
    "items",
    "code",
    # batch purchases
    "reference_price_fen",
    "min_buyers",
    "join_until",
    "offer_until",
    "rate",
    # framework agreements
    "number",
    "agency",
    "catalog_codes",
    "valid_from",
    "valid_to",
    "rules",
    "members",
    "product_code",
    "catalog_code",
    "unit_price_fen",
    "method",
    "action",
    # competitions
    "title",
    "category_id",
    "spec",
    "unit",
    "ceiling_fen",
    "end_at",
    "starts_at",
    "custom",
    "draw_size",
    "step_bp",
    "unit_price_fen",
    "technical",
    "findings",
    "auction_minutes",
    # issue 11: bulletins, images, listings' terms, checkout
    "kind",
    "body",
    "pinned",
    "link",
    "files",
    "file_name",
    "content_type",
    "size",
    "lead_days",
    "warranty",
    "after_sales",
    "description",
    "groups",
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


# Path values that look right but name nothing, so that every route gets past its path checks.
PLAUSIBLE_PATH = {
    "site_id": "liaocheng",
    "change_id": "0" * 32,
    "doc_id": "0" * 32,
    "kind": "confirmation",
    "listing_id": "0" * 32,
    "order_no": "YC202611220000000001",
    "plan_no": "37150020010120260001",
    "target": "supplier",
    "uscc": "91371500MA3C4D5E6R",
    "competition_id": "JJ202612030000000001",
    "period": "2025",
    "job_id": "20250101000000abcdef",
    "day": "2025-03-15",
    "notice_id": "0" * 24,
    "username": "liaocheng.buyer2",
    "bulletin_id": "GG20261201000000abcdef",
    "image_id": "0" * 32,
    "agreement_no": "SDKJ-2026-FZ-001",
    "batch_id": "PL202612040000000001",
    "designation_id": "DD202612040000000001",
    "code": "lu-quality",
    "campaign_id": "XJ2026120700000001",
    "finding_id": "F261207000001",
    "entry_id": "XY202612070000000001",
    "alert_id": "YJ0000000000000000",
    "complaint_id": "TS202612070000000001",
    "ticket_id": "ZX202612070000000001",
}
# Bodies that are well-formed JSON with every known field of a wrong kind.
WRONG_KINDS: list[Any] = [
    {},
    [],
    "text",
    {field: [] for field in KNOWN_FIELDS},
    {field: -1 for field in KNOWN_FIELDS},
    {field: "１２３" * 400 for field in KNOWN_FIELDS},
    {"lines": [{"listing_id": None, "quantity": 1.5}], "delivery": {"expected_date": "2026-02-30"}, "stars": 6},
]


def test_every_route_answers_wrong_kinds_of_body_cleanly(api: Api) -> None:
    """A deterministic sweep next to the random ones: each route, each wrong body, no 500 and the error format.
    One test for all routes, so that the emulated AWS is set up once; the failures are listed together."""
    problems = []
    for policy, method in ROUTES:
        path = policy.path
        for name, value in PLAUSIBLE_PATH.items():
            path = path.replace("{" + name + "}", value)
        assert "{" not in path, f"no plausible value for a parameter of {policy.path}"
        for body in WRONG_KINDS:
            status, answer = api.call(method, path, as_user=_user(policy), raw=json.dumps(body, ensure_ascii=False))
            clean = status < 500 and (status < 400 or (isinstance(answer, dict) and {"code", "message"} <= set(answer)))
            if not clean:
                problems.append((method, path, str(body)[:80], status, answer))
    assert not problems, problems


def test_deeply_nested_json_is_a_clean_400(api: Api) -> None:
    status, body = api.call("PUT", "/sites/liaocheng/limits", as_user="liaocheng.center", raw="[" * 30_000)
    assert (status, body["code"]) == (400, "MALFORMED_JSON")


def test_usernames_cognito_cannot_hold_are_a_failed_login(api: Api) -> None:
    status, body = api.call("POST", "/auth/login", {"username": "has space", "password": "x"})
    assert (status, body["code"]) == (401, "LOGIN_FAILED")
    for username in ("tab\there", "\u0000null", "admin\u202e"):  # control characters: refused as input
        status, body = api.call("POST", "/auth/login", {"username": username, "password": "x"})
        assert (status, body["code"]) == (400, "VALIDATION_FAILED"), username
