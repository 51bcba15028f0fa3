"""Schemathesis attacks the running mall (`make run`'s launcher) from its own published description.

Every operation of /openapi.json, with data generated from its schemas (valid and invalid), called with a token of
a role the operation names (a buyer for a buyer's route, the centre for the centre's): no 5xx, no status, content
type or body the description does not list, and nothing the description forbids accepted. The number of examples per
operation is bounded (SCHEMATHESIS_EXAMPLES, 3 in `make test`; `make contract-nightly` runs many more).
"""

from __future__ import annotations

import json
import os
import urllib.request
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

from scheduled.seed import DEMO_PASSWORD
from tests.e2e.conftest import Mall

pytestmark = pytest.mark.slow

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "3"))
SITE = "liaocheng"
USER_OF_ROLE = {
    "buyer": f"{SITE}.buyer",
    "supplier": "supplier.demo",
    "center_admin": f"{SITE}.center",
    "finance": f"{SITE}.finance",
    "province_admin": "province.admin",
}


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


def _login(mall: Mall, username: str) -> str:
    request = urllib.request.Request(
        f"{mall.api}/auth/login",
        data=json.dumps({"username": username, "password": DEMO_PASSWORD}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return str(json.loads(response.read())["token"])


@pytest.fixture(scope="module")
def tokens(mall: Mall) -> dict[str, str]:
    return {role: _login(mall, user) for role, user in USER_OF_ROLE.items()}


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
