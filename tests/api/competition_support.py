"""Set-up for the 竞价 / 反拍 tests: qualified suppliers with listings in the catalog, an accepted plan, and a way to
move a competition's deadline close (what an operator's shortening does: a new timer generation)."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from typing import Any

import boto3

from chalicelib.domain.audit import new_event
from chalicelib.domain.clock import china_date, to_iso, utc_now
from chalicelib.domain.competitions import ENTITY_COMPETITION, Competition
from chalicelib.domain.principals import SYSTEM_ACTOR
from chalicelib.store.competitions import DynamoCompetitionStore, StepFunctionsCompetitionTimer
from tests.api.orders_support import COPY_PAPER, DELIVERY, SITE, add_listing

SELLERS = ("supplier.demo", "supplier.lc02", "supplier.lc04")


def stock_sellers(sellers: tuple[str, ...] = SELLERS) -> dict[str, str]:
    """A copy-paper listing from each seller (every district of 聊城); username -> listing id."""
    return {
        name: add_listing(name, COPY_PAPER, f"A4 复印纸 70g {i}", f"CP-{i:03d}", 2_500 + i, 500)
        for i, name in enumerate(sellers)
    }


def launch_body(plan_no: str, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "bidding",
        "title": "A4 复印纸 200 箱",
        "plan_no": plan_no,
        "category_id": COPY_PAPER,
        "spec": "A4 70g，500 张/包，5 包/箱，白度不低于 92%",
        "quantity": 200,
        "unit": "箱",
        "ceiling_fen": 200 * 12_000,  # 120 元/箱
        "delivery": {
            **DELIVERY,
            "district": "371500",
            "expected_date": (china_date(utc_now()) + timedelta(days=10)).isoformat(),
        },
    }
    body.update(changes)
    return body


def shorten(site_id: str, competition_id: str, seconds: float) -> Competition:
    """Move the deadline to `seconds` from now under a new timer generation, and arm that timer (the old one,
    if it wakes, is told it was superseded)."""
    store = DynamoCompetitionStore()
    c = store.get(site_id, competition_id)
    assert c is not None
    now = utc_now()
    moved = c._replace(
        end_at=to_iso(now + timedelta(seconds=seconds)), generation=c.generation + 1, version=c.version + 1
    )
    audit = new_event(
        tenant=site_id,
        entity_type=ENTITY_COMPETITION,
        entity_id=competition_id,
        action="competition.deadline_moved",
        summary="测试：截止时间提前",
        actor=SYSTEM_ACTOR,
        at=now,
    )
    store.save(moved, c, audit)
    StepFunctionsCompetitionTimer().arm(moved, moved.end_at)
    return moved


def executions(machine_arn: str) -> list[dict[str, Any]]:
    return list(boto3.client("stepfunctions").list_executions(stateMachineArn=machine_arn)["executions"])


def history_states(arn: str) -> list[str]:
    events = boto3.client("stepfunctions").get_execution_history(executionArn=arn, maxResults=1000)["events"]
    return [e["stateEnteredEventDetails"]["name"] for e in events if "stateEnteredEventDetails" in e]


def wait_for(condition: Any, timeout: float = 60, what: str = "condition") -> Any:
    """Poll until `condition()` is truthy (a busy machine gets a minute), returning its value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"{what} not reached within {timeout}s")


def wait_for_status(site_id: str, competition_id: str, status: str, timeout: float = 60) -> Competition:
    store = DynamoCompetitionStore()

    def reached() -> Competition | None:
        c = store.get(site_id, competition_id)
        return c if c is not None and c.status.value == status else None

    found: Competition = wait_for(reached, timeout, f"status {status}")
    return found


def stop_all(machine_arn: str) -> None:
    from tests.conftest import stop_execution

    for execution in executions(machine_arn):
        if execution["status"] == "RUNNING":
            stop_execution(execution["executionArn"])


def record_of(aws: dict[str, str], key: str) -> dict[str, Any]:
    body = boto3.client("s3").get_object(Bucket=aws.get("REPORTS_BUCKET") or _bucket(), Key=key)["Body"].read()
    document: dict[str, Any] = json.loads(body)
    return document


def _bucket() -> str:
    import os

    return os.environ["REPORTS_BUCKET"]


__all__ = ["SITE"]
