"""The published contract: /openapi.json describes every route the app registers, from the one route table and
the pydantic schemas, and the order events as JSON Schema. (Every answer of every API test is also held against
it: tests/contract.py, called by Api.call.)"""

from __future__ import annotations

import re

import pytest
from jsonschema import Draft202012Validator

from chalicelib.domain.order_events import event_for_transition
from chalicelib.domain.orders import OrderStatus
from chalicelib.event_schemas import OrderEventDetail
from chalicelib.http import ROUTE_POLICIES
from tests.conftest import Api
from tests.unit.test_orders_domain import make_order

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def served() -> dict:  # type: ignore[type-arg]
    from chalicelib.openapi import describe

    return describe()


def test_the_description_is_served_as_openapi_3_1(api: Api) -> None:
    status, description = api.call("GET", "/openapi.json")
    assert status == 200 and description["openapi"] == "3.1.0"
    assert description["info"]["title"] == "云采商城 接口"
    assert "/openapi.json" in description["paths"]


def test_every_registered_route_is_described_with_its_roles(served: dict) -> None:  # type: ignore[type-arg]
    described = {(path, method.upper()) for path, methods in served["paths"].items() for method in methods}
    registered = {(p.path, m) for p in ROUTE_POLICIES for m in p.methods}
    assert registered - described == set(), "routes missing from the description"
    assert described - registered == set(), "described routes the app does not have"
    for policy in ROUTE_POLICIES:
        for method in policy.methods:
            operation = served["paths"][policy.path][method.lower()]
            roles = sorted(r.value for r in policy.roles) if policy.roles is not None else []
            assert operation["x-roles"] == roles, (policy.path, method)
            assert operation["security"] == ([{"bearerAuth": []}] if roles else operation["security"])
            assert all(CJK.search(name) for name in operation["x-role-names"])


def test_bodies_and_queries_come_from_the_schemas_the_views_parse(served: dict) -> None:  # type: ignore[type-arg]
    order = served["paths"]["/sites/{site_id}/orders"]["post"]
    ref = order["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body = served["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    assert {"plan_no", "supplier_uscc", "lines", "delivery"} <= set(body["properties"])
    assert body["additionalProperties"] is False  # StrictBody: unknown fields are refused, and said to be
    assert any(p.get("$ref", "").endswith("IdempotencyKey") for p in order["parameters"])
    catalog = {p["name"]: p for p in served["paths"]["/sites/{site_id}/catalog"]["get"]["parameters"]}
    assert catalog["category"]["required"] and catalog["site_id"]["in"] == "path"
    assert "null" not in str(catalog["brand"]["schema"])  # a query string has no null
    # Every route whose view parses a body says so; a route that takes none describes none.
    for path, methods in served["paths"].items():
        for method, operation in methods.items():
            if "requestBody" in operation:
                assert method in ("post", "put", "patch"), (path, method)


def test_error_codes_carry_their_status_and_chinese_meaning(served: dict) -> None:  # type: ignore[type-arg]
    catalogue = served["x-error-codes"]
    assert len(catalogue) > 150
    for code, entry in catalogue.items():
        assert re.match(r"^[A-Z][A-Z0-9_]+$", code) and entry["status"] in range(400, 600), code
        assert CJK.search(entry["message"]), (code, entry)
    order = served["paths"]["/sites/{site_id}/orders"]["post"]["x-error-codes"]
    assert {"PLAN_BALANCE_INSUFFICIENT", "LIMIT_EXCEEDED", "PLAN_NOT_FOUND", "AUTH_REQUIRED", "SERVICE_BUSY"} <= set(
        order
    )
    assert order["PLAN_BALANCE_INSUFFICIENT"]["status"] == 422
    push = served["paths"]["/integration/plans"]["post"]
    assert push["security"] == [{"platformSignature": [], "platformTimestamp": [], "platformNonce": []}]
    assert "HMAC-SHA256" in served["components"]["securitySchemes"]["platformSignature"]["description"]


@pytest.mark.parametrize(
    "status", [OrderStatus.ACCEPTED, OrderStatus.SETTLED, OrderStatus.CANCELLED, OrderStatus.DECLINED]
)
def test_the_order_events_sent_match_their_published_schema(served: dict, status: OrderStatus) -> None:  # type: ignore[type-arg]
    previous = make_order(OrderStatus.SHIPPED if status is OrderStatus.ACCEPTED else OrderStatus.PENDING)
    changed = previous._replace(
        status=status,
        acceptance_note="数量、规格与订单一致",
        payment_voucher="ZF2026112200001",
        status_reason="不需要了",
        milestones={**previous.milestones, status.value: "2026-11-22T03:15:00.000Z"},
    )
    event = event_for_transition(previous, changed)
    assert event is not None
    schema = served["x-events"]["detail"]
    errors = list(Draft202012Validator(schema).iter_errors(event.detail))
    assert not errors, errors[0].message
    assert event.detail_type in served["x-events"]["detail_types"]
    OrderEventDetail.model_validate(event.detail)


def test_every_operation_publishes_its_answer(served: dict) -> None:  # type: ignore[type-arg]
    """Every route gives its 2xx body a named schema (chalicelib.schemas.responses); every API test and Schemathesis
    hold the answers to it. The schemas leave extra fields allowed without saying so, which keeps the typed client
    exact (tests: the frontend build)."""

    def answer(path: str, method: str) -> dict:  # type: ignore[type-arg]
        return served["components"]["schemas"][_answer_schema(served, path, method)["$ref"].rsplit("/", 1)[-1]]

    operations = [(p, m) for p, ops in served["paths"].items() for m in ops if m in ("get", "post", "put", "delete")]
    unpublished = [(m, p) for p, m in operations if "$ref" not in _answer_schema(served, p, m)]
    assert not unpublished, unpublished
    for path, method in operations:
        assert "additionalProperties" not in answer(path, method), (method, path)

    order = answer("/sites/{site_id}/orders/{order_no}", "get")
    assert {"order_no", "plan_no", "buyer", "supplier", "lines", "total_fen", "status", "status_label"} <= set(
        order["required"]
    )
    assert {"timeline", "ratings"} <= set(order["required"])
    placed = answer("/sites/{site_id}/orders", "post")
    assert set(placed["required"]) == set(order["required"]) - {"timeline", "ratings"}
    plan = answer("/sites/{site_id}/plans/{plan_no}", "get")
    assert {"plan_no", "budget_fen", "committed_fen", "balance_fen", "status_label"} <= set(plan["required"])
    assert answer("/health", "get")["required"] == ["status"]
    listing = answer("/sites/{site_id}/listings/{listing_id}", "get")
    assert {"price_fen", "supplier", "status_label", "image_urls"} <= set(listing["required"])


def _answer_schema(served: dict, path: str, method: str) -> dict:  # type: ignore[type-arg]
    return (
        served["paths"][path][method]["responses"]["2XX"]
        .get("content", {})
        .get("application/json", {})
        .get("schema", {})
    )
