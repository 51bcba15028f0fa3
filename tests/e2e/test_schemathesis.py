"""Schemathesis attacks the running mall (`make run`'s launcher) from its own published description.

Every operation of /openapi.json, with data generated from its schemas (valid and invalid), called with a token of
a role the operation names (a buyer for a buyer's route, the centre for the centre's): no 5xx, no status, content
type or body the description does not list, and nothing the description forbids accepted. The number of examples per
operation is bounded (SCHEMATHESIS_EXAMPLES, 3 in `make test`; `make contract-nightly` runs many more).
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.e2e.conftest import DEMO_USER_OF_ROLE, Mall, login

pytestmark = pytest.mark.slow

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "3"))
SITE = "liaocheng"


def rejected_or_refused(ctx: Any, response: Any, case: Any) -> bool | None:
    """negative_data_rejection, counting 413 and 414 as rejections too (a body over 64 KB, a URL over
    8,192 characters: refused unread, as API Gateway does)."""
    if response.status_code in (413, 414):
        return None
    return negative_data_rejection(ctx, response, case)


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    rejected_or_refused,
]


@pytest.fixture(scope="module")
def tokens(mall: Mall) -> dict[str, str]:
    return {role: login(mall, user) for role, user in DEMO_USER_OF_ROLE.items()}


@pytest.fixture(scope="module")
def published(mall: Mall) -> Any:
    return schemathesis.openapi.from_url(f"{mall.api}/openapi.json")


def _exercise(operation: Any, mode: GenerationMode, mall: Mall, tokens: dict[str, str], failures: list[str]) -> None:
    roles = operation.definition.raw.get("x-roles") or []
    headers = {"Authorization": f"Bearer {tokens[roles[0]]}"} if roles else {}

    @given(case=operation.as_strategy(generation_mode=mode), real_site=st.booleans())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,  # the same examples on every run: a failure is reproducible, not a flake
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def run(case: Any, real_site: bool) -> None:
        if real_site and "site_id" in (case.path_parameters or {}) and mode is GenerationMode.POSITIVE:
            case.path_parameters["site_id"] = SITE  # a site the token may act in, so calls get past the site check
        case.call_and_validate(base_url=mall.api, headers=headers, checks=CHECKS, timeout=60)

    try:
        run()
    except Unsatisfiable:
        return  # nothing to make invalid (an operation without parameters or body has no negative case)
    except (Exception, BaseExceptionGroup) as exc:  # one operation's failure is reported with the others
        failures.append(f"{operation.method.upper()} {operation.path} ({mode.value}): {_summary(exc)}")


def _summary(exc: BaseException) -> str:
    """The failure's title lines and its reproduction, without the generated payload's full length."""
    text = str(exc) if not hasattr(exc, "exceptions") else "\n".join(str(e) for e in exc.exceptions)
    keep = [line for line in text.splitlines() if line.strip()][:14]
    return "\n".join(line[:300] for line in keep)


def test_the_api_keeps_its_published_contract(published: Any, mall: Mall, tokens: dict[str, str]) -> None:
    failures: list[str] = []
    operations = [result.ok() for result in published.get_all_operations()]
    assert len(operations) > 150
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _exercise(operation, mode, mall, tokens, failures)
    assert not failures, f"{len(failures)} operations broke the contract:\n" + "\n\n".join(failures[:15])


def test_the_reads_of_a_real_site_answer_as_published(
    published: Any, mall: Mall, tokens: dict[str, str], listing_on_sale: None
) -> None:
    """Generated data rarely gets past a site's checks to a full answer, so every read that needs no more than a site
    is also called once on the demo site (its catalog, orders, plans, reports …) with a token of the role it names,
    and its 2xx body is held to the published schema by Schemathesis's own check."""
    failures: list[str] = []
    answered = []
    for operation in (result.ok() for result in published.get_all_operations()):
        path_names = {p.name for p in operation.path_parameters}
        query = CATALOG_QUERIES.get(operation.path, {})
        required_query = {p.name for p in operation.query if p.is_required}
        if operation.method.upper() != "GET" or path_names - {"site_id"} or required_query - set(query):
            continue
        roles = operation.definition.raw.get("x-roles") or []
        headers = {"Authorization": f"Bearer {tokens[roles[0]]}"} if roles else {}
        case = operation.Case(path_parameters={"site_id": SITE} if path_names else {}, query=query, headers=headers)
        try:
            response = case.call_and_validate(base_url=mall.api, checks=CHECKS[:-1], timeout=60)
        except (Exception, BaseExceptionGroup) as exc:
            failures.append(f"GET {operation.path}: {_summary(exc)}")
            continue
        if 200 <= response.status_code < 300:
            answered.append(operation.path)
    assert not failures, "\n\n".join(failures[:15])
    # Most answer in full on 聊城 with its own users and the listing put on sale (a few refuse the role's user, e.g.
    # a supplier's own page for a demo account that never registered as a supplier).
    assert len(answered) >= 30, answered
    assert {
        "/sites/{site_id}/catalog",
        "/sites/{site_id}/catalog/search",
        "/sites/{site_id}/orders",
        "/sites/{site_id}/plans",
    } <= set(answered)


ON_SALE: dict[str, Any] = {
    "category_id": "LC-0102",  # 胶带 → A05040401 文具
    "name": "契约 QY-1 封箱胶带 48mm",
    "brand": "契约",
    "model": "QY-1",
    "specs": [{"name": "宽度", "value": "48mm"}],
    "price_fen": 1250,
    "reference_price_fen": 1500,
    "reference_source": "京东自营 2026-11-20",
    "stock": 50,
    "images": [],
    "certificates": [],
}
# The catalog's reads want a category or words: those of the listing this test puts on sale itself (the session's
# launcher starts without a demo catalog), once the asynchronous projection shows it.
CATALOG_QUERIES = {
    "/sites/{site_id}/catalog": {"category": ON_SALE["category_id"]},
    "/sites/{site_id}/catalog/brands": {"category": ON_SALE["category_id"]},
    "/sites/{site_id}/catalog/search": {"q": ON_SALE["brand"]},
    "/sites/{site_id}/catalog/suggest": {"q": "文"},
}


@pytest.fixture(scope="module")
def listing_on_sale(mall: Mall, playwright: Any) -> None:
    from chalicelib.domain.uscc import make_uscc
    from tests.e2e.test_order_journey import register_listing_supplier
    from tests.e2e.test_supplier_journey import catalog_has

    api = playwright.request.new_context(base_url=mall.api)
    try:
        register_listing_supplier(
            api,
            mall,
            {
                "username": "qiyue.office",
                "password": "Qiyue2026shop",
                "uscc": make_uscc("91", "371502", "MA5C6D7E8"),
                "name": "聊城市契约办公用品有限公司",
                "legal_representative": "周契约",
                "registered_address": "聊城市东昌府区柳园南路 8 号",
                "home_district": "371502",
                "ownership": "private",
                "scale": "small",
                "declaration": {
                    "industry": "retail",
                    "employees": 12,
                    "revenue_fen": 300_000_000,
                    "assets_fen": 90_000_000,
                },
                "contact": {"name": "周契约", "phone": "13806351234", "email": "qiyue@example.com"},
            },
            ON_SALE,
        )
    finally:
        api.dispose()
    catalog_has(mall, ON_SALE["brand"], ON_SALE["name"], timeout=180)


def good_plan(name: str) -> dict[str, Any]:
    """A self-built plan for 文具 that 聊城 accepts at once, dated from today (China time)."""
    from datetime import timedelta

    from chalicelib.domain.clock import china_date, utc_now

    today = china_date(utc_now())
    return {
        "name": name,
        "business_year": today.year,
        "business_month": today.month,
        "purchase_method": "online_supermarket",
        "budget_category": "A05040401",
        "amount_fen": 300_000,
        "planned_date": (today + timedelta(days=3)).isoformat(),
        "note": "",
    }


STATEFUL_OPERATIONS = (
    "plans.create_plan",
    "plans.plan_detail",
    "plans.accept_plan",
    "orders.place_order",
    "orders.order_detail",
    "orders.cancel_order",
)


def test_a_plan_then_orders_against_it_keep_the_contract(published: Any, mall: Mall, tokens: dict[str, str]) -> None:
    """The description's links: a buyer creates a plan, reads and accepts it, orders against it, reads and cancels
    the order; Schemathesis follows them with what each response returned (its plan_no, its order_no)."""
    chain = published.include(operation_id=list(STATEFUL_OPERATIONS))
    seen: list[tuple[str, int]] = []
    base = chain.as_state_machine()

    class PlanToOrder(base):  # type: ignore[misc, valid-type]
        def before_call(self, case: Any) -> None:
            # The chain starts from a plan the site accepts (a generated one is almost always refused, and then
            # no link is followed); what follows gets its plan_no and order_no through the links.
            if case.operation.definition.raw["operationId"] == "plans.create_plan":
                case.body = good_plan(f"接口契约测试文具采购 {len(seen) + 1}")

        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            roles = case.operation.definition.raw.get("x-roles") or []
            case.path_parameters = {**(case.path_parameters or {}), "site_id": SITE}
            return {"base_url": mall.api, "headers": {"Authorization": f"Bearer {tokens[roles[0]]}"}, "timeout": 60}

        def validate_response(self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any) -> None:
            seen.append((case.operation.definition.raw["operationId"], response.status_code))
            case.validate_response(response, checks=CHECKS[:-1])

    PlanToOrder.run(
        settings=settings(
            max_examples=max(EXAMPLES * 3, 6),
            stateful_step_count=6,
            deadline=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
    )
    # The links were followed: a plan was created, then read or accepted by its own number, then ordered against.
    statuses = {(op, status) for op, status in seen}
    assert ("plans.create_plan", 201) in statuses, sorted(statuses)
    assert {op for op, status in seen if status < 400} >= {"plans.create_plan", "plans.plan_detail"}, sorted(statuses)
    assert any(op == "orders.place_order" for op, _ in seen), sorted(statuses)
