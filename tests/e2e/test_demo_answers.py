"""The demo mall (`make run`'s full demo data: hundreds of listings, orders and plans in every state) read through
every GET it can reach, with a token of each role the operation names, and every 2xx answer held to the schema the
description publishes for it.

The API tests hold the answers of the data they make; this run holds those of data nobody wrote for a test, which
is how a field that is null only in some states (a listing without deals has no median price) shows. It starts a
launcher of its own with the demo data and waits for its catalog to be indexed (under a minute here, bounded at 15).
"""

from __future__ import annotations

import itertools
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from tests import contract
from tests.e2e.conftest import DEMO_USER_OF_ROLE, Mall, login, start_mall, stop_mall

pytestmark = pytest.mark.slow

SITE = "liaocheng"
WORDS = urllib.parse.quote("复印纸")  # words of two characters or more: the index keeps bigrams
# Where a list's items give the path parameter of the detail below it.
ITEM_PARAMETER = {
    "/sites/{site_id}/competitions": "competition_id",
    "/sites/{site_id}/batches": "batch_id",
    "/sites/{site_id}/complaints": "complaint_id",
    "/sites/{site_id}/alerts": "alert_id",
    "/inspections": "campaign_id",
    "/sites/{site_id}/bulletins": "bulletin_id",
    "/sites/{site_id}/designations": "designation_id",
    "/sites/{site_id}/pavilions": "code",
    "/sites/{site_id}/catalog/search": "listing_id",
    "/sites/{site_id}/orders": "order_no",
    "/sites/{site_id}/plans": "plan_no",
    "/suppliers": "uscc",
    "/agreements": "agreement_no",
    "/sites/{site_id}/reports": "period",
    "/province/reports": "period",
}
ITEM_KEY = {"order_no": "order_no", "plan_no": "plan_no", "uscc": "uscc", "agreement_no": "number", "period": "period"}
MOST_PER_PARAMETER = 3


@pytest.fixture(scope="module")
def demo_mall(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Mall]:
    folder = tmp_path_factory.mktemp("demo-mall")
    running = start_mall(folder / "state", folder / "launcher.log", "--fresh", "--demo", "full")
    try:
        _wait_for_the_catalog(running)
        yield running
    finally:
        if running.process.poll() is None:
            stop_mall(running)


def _get(mall: Mall, path: str, token: str | None = None) -> tuple[int, str, Any]:
    """Status, content type and decoded body (None for an error: only answers are held here)."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    request = urllib.request.Request(mall.api + path, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.headers.get("Content-Type", ""), json.loads(response.read() or b"null")
    except urllib.error.HTTPError as err:
        return err.code, "", None


def _wait_for_the_catalog(mall: Mall, timeout: float = 900) -> None:
    """The demo listings reach the catalog through the stream projection: wait until a search finds some."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, _, found = _get(mall, f"/sites/{SITE}/catalog/search?q={WORDS}")
        if status == 200 and found["items"]:
            return
        time.sleep(2)
    raise AssertionError(f"the demo catalog was not indexed in {timeout:.0f} s")


class Crawl:
    """The GET operations of the description, called with whatever identifiers earlier answers gave."""

    def __init__(self, mall: Mall, description: dict[str, Any], tokens: dict[str, str]) -> None:
        self.mall = mall
        self.description = description
        self.tokens = tokens
        self.known: dict[str, list[str]] = {"site_id": [SITE], "kind": ["confirmation", "acceptance"]}
        self.answered: set[str] = set()
        self.problems: list[str] = []

    def run(self, rounds: int = 3) -> None:
        operations = [
            (path, op) for path, ops in self.description["paths"].items() for m, op in ops.items() if m == "get"
        ]
        for _ in range(rounds):  # details become reachable once their lists have been read
            for path, operation in operations:
                self._read(path, operation)

    def _read(self, template: str, operation: dict[str, Any]) -> None:
        names = re.findall(r"\{(\w+)\}", template)
        choices = [self.known.get(name, [])[:MOST_PER_PARAMETER] for name in names]
        for values in itertools.product(*choices):
            path = template
            for name, value in zip(names, values, strict=True):
                path = path.replace("{" + name + "}", urllib.parse.quote(value, safe=""))
            for role in operation.get("x-roles") or [None]:
                token = self.tokens.get(role) if role else None
                status, content_type, body = _get(self.mall, path + self._query(template), token)
                if 200 <= status < 300:
                    self.answered.add(template)
                    self._hold(path, status, content_type, body)
                    self._learn(template, body)

    def _query(self, template: str) -> str:
        category = self.known.get("category_id", [""])[0]
        listings = self.known.get("listing_id", [])
        return {
            "/sites/{site_id}/catalog": f"?category={category}",
            "/sites/{site_id}/catalog/brands": f"?category={category}",
            "/sites/{site_id}/catalog/search": f"?q={WORDS}",
            "/sites/{site_id}/catalog/suggest": f"?q={WORDS}",
            "/sites/{site_id}/catalog/compare": f"?ids={','.join(listings[:2])}",
        }.get(template, "")

    def _hold(self, path: str, status: int, content_type: str, body: Any) -> None:
        """The answer against the description, by the API tests' own check (tests/contract.py)."""
        try:
            contract.check("GET", path, status, content_type, body)
        except AssertionError as problem:
            self.problems.append(f"{path}: {problem}")

    def _learn(self, template: str, body: Any) -> None:
        parameter = ITEM_PARAMETER.get(template)
        if parameter is None or not isinstance(body, dict):
            return
        for item in (body.get("items") or [])[:MOST_PER_PARAMETER]:
            value = item.get(ITEM_KEY.get(parameter, "id")) or item.get("code")
            if isinstance(value, str) and value and value not in self.known.setdefault(parameter, []):
                self.known[parameter].append(value)
            category = item.get("category_id")
            if isinstance(category, str) and category not in self.known.setdefault("category_id", []):
                self.known["category_id"].append(category)


def test_the_demo_malls_answers_keep_their_published_schemas(demo_mall: Mall) -> None:
    status, _, description = _get(demo_mall, "/openapi.json")
    assert status == 200
    tokens = {role: login(demo_mall, user) for role, user in DEMO_USER_OF_ROLE.items()}
    crawl = Crawl(demo_mall, description, tokens)
    crawl.run()
    assert not crawl.problems, f"{len(crawl.problems)} answers break their schema:\n" + "\n".join(crawl.problems[:40])
    # The demo data reaches most reads, lists and details (a few need a state it does not hold, e.g. a job).
    reads = sum(1 for ops in description["paths"].values() if "get" in ops)
    assert len(crawl.answered) >= reads * 0.8, sorted(set(description["paths"]) - crawl.answered)
    assert {"/sites/{site_id}/orders/{order_no}", "/sites/{site_id}/plans/{plan_no}", "/suppliers/{uscc}"} <= (
        crawl.answered
    )
