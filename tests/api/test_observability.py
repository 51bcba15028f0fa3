"""Structured logs (one JSON line per request, with tenant and user) and EMF metrics."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest

from chalicelib.observability import logger
from tests.conftest import Api


class LogTap:
    """A second handler on the app's logger, with powertools' own JSON formatter."""

    def __init__(self) -> None:
        self.stream = io.StringIO()
        self.handler = logging.StreamHandler(self.stream)
        self.handler.setFormatter(logger.registered_formatter)

    def requests(self) -> list[dict[str, Any]]:
        return [line for line in _json_lines(self.stream.getvalue()) if line.get("message") == "request"]


@pytest.fixture
def tap() -> Iterator[LogTap]:
    found = LogTap()
    target = logging.getLogger(logger.name)
    target.addHandler(found.handler)
    try:
        yield found
    finally:
        target.removeHandler(found.handler)


def _json_lines(text: str) -> list[dict[str, Any]]:
    found = []
    for line in text.splitlines():
        if line.startswith("{"):
            try:
                found.append(json.loads(line))
            except ValueError:
                continue
    return found


def test_each_request_logs_one_json_line_with_tenant_user_and_request_id(api: Api, tap: LogTap) -> None:
    api.token("liaocheng.center")
    tap.stream.truncate(0)
    tap.stream.seek(0)
    status, _ = api.call("GET", "/sites/liaocheng/changes", as_user="liaocheng.center")
    assert status == 200
    status, _ = api.call("GET", "/sites")
    assert status == 200
    lines = tap.requests()
    assert len(lines) == 2
    mine, public = lines
    assert mine["tenant"] == "liaocheng" and mine["user"] == "liaocheng.center" and mine["role"] == "center_admin"
    assert mine["status"] == 200 and mine["path"] == "/sites/{site_id}/changes" and mine["method"] == "GET"
    assert mine["request_id"] and "cold_start" in mine and mine["service"] == "yuncai-api"
    assert isinstance(mine["duration_ms"], float)
    # State is cleared between invocations: the next caller's line carries no one else's identity.
    assert "tenant" not in public and "user" not in public
    assert public["request_id"] != mine["request_id"]


def test_refusals_log_their_code(api: Api, tap: LogTap) -> None:
    api.call("GET", "/sites/qingdao/config")
    [line] = tap.requests()
    assert line["status"] == 404 and line["code"] == "SITE_NOT_FOUND"


def test_state_changes_emit_cloudwatch_metrics(api: Api, capfd: pytest.CaptureFixture[str]) -> None:
    capfd.readouterr()
    limits = {"per_order_cap_fen": 1, "per_plan_cap_fen": 2, "annual_category_cap_fen": 3}
    status, _ = api.call("PUT", "/sites/liaocheng/limits", limits, as_user="liaocheng.center")
    assert status == 200
    emf = [line for line in _json_lines(capfd.readouterr().out) if "_aws" in line]
    changed = [line for line in emf if "SiteConfigChanged" in line]
    assert changed, emf
    assert changed[0]["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "YunCai"
    assert changed[0]["SiteConfigChanged"] == [1.0]
