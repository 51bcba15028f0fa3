"""The non-HTTP functions: deadline timer (Step Functions from the deploy's ASL), sweep, the stream and its queues."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from typing import Any

import boto3
import pytest

from chalicelib.config import get_settings
from chalicelib.domain.clock import to_iso, utc_now
from chalicelib.domain.principals import SYSTEM_ACTOR
from chalicelib.domain.site_admin import ChangeKind, ChangeStatus, ScheduledChange
from chalicelib.store.deadlines import StepFunctionsTimer
from chalicelib.store.sites import DynamoSiteStore
from tests.conftest import Api, Projection, invoke, stop_execution

LIMITS = {"per_order_cap_fen": 70_000_000, "per_plan_cap_fen": 90_000_000, "annual_category_cap_fen": 250_000_000}


def _pending_change(site_id: str, due_in: timedelta, change_id: str) -> ScheduledChange:
    """Store a pending change due at an exact instant (the API only takes whole days)."""
    from chalicelib.domain.audit import new_event

    now = utc_now()
    change = ScheduledChange(
        id=change_id,
        site_id=site_id,
        kind=ChangeKind.LIMITS,
        payload=LIMITS,
        effective_at=to_iso(now + due_in),
        status=ChangeStatus.PENDING,
        requested_by=SYSTEM_ACTOR,
        requested_at=to_iso(now),
    )
    audit = new_event(
        tenant=site_id,
        entity_type="site",
        entity_id=site_id,
        action="site.limits.scheduled",
        summary="test",
        actor=SYSTEM_ACTOR,
        at=now,
    )
    DynamoSiteStore().put_change(change, audit)
    return change


def _wait_for_execution(arn: str, timeout: float = 30) -> dict[str, Any]:
    sfn = boto3.client("stepfunctions")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        described = sfn.describe_execution(executionArn=arn)
        if described["status"] != "RUNNING":
            return dict(described)
        time.sleep(0.1)
    raise AssertionError(f"execution still running after {timeout}s")


def _executions(machine_arn: str) -> list[dict[str, Any]]:
    return list(boto3.client("stepfunctions").list_executions(stateMachineArn=machine_arn)["executions"])


def _history_states(arn: str) -> list[str]:
    events = boto3.client("stepfunctions").get_execution_history(executionArn=arn, maxResults=1000)["events"]
    return [e["stateEnteredEventDetails"]["name"] for e in events if "stateEnteredEventDetails" in e]


@pytest.mark.slow
def test_deadline_machine_applies_a_due_change_through_the_app_lambda(api: Api, aws: dict[str, str]) -> None:
    # 1.9 s: moto waits whole seconds and so fires early; the task must notice and wait again.
    change = _pending_change("liaocheng", timedelta(seconds=1.9), "a" * 32)
    StepFunctionsTimer().start(
        f"site-change-{change.id}",
        change.effective_at,
        {"kind": "site_change", "site_id": "liaocheng", "change_id": change.id},
    )
    [execution] = _executions(aws["DEADLINE_STATE_MACHINE_ARN"])
    result = _wait_for_execution(execution["executionArn"])
    assert result["status"] == "SUCCEEDED", result
    assert json.loads(result["output"])["result"] == {"status": "applied"}
    states = _history_states(execution["executionArn"])
    assert states[0] == "WaitUntilDue" and states[-1] == "Done"
    assert "PauseBeforeRetry" in states  # woken early at least once, then applied
    site = DynamoSiteStore().get("liaocheng")
    assert site is not None and site.limits.per_order_cap_fen == 70_000_000 and site.version == 1
    status, audit = api.call("GET", "/sites/liaocheng/audit?limit=1", as_user="liaocheng.finance")
    assert status == 200
    assert audit["items"][0]["action"] == "site.limits.changed"
    assert audit["items"][0]["actor"]["role"] == "system"
    assert audit["items"][0]["context"]["change_id"] == change.id


@pytest.mark.slow
def test_a_second_timer_for_the_same_change_is_not_started(api: Api, aws: dict[str, str]) -> None:
    change = _pending_change("weihai", timedelta(hours=1), "b" * 32)
    timer = StepFunctionsTimer()
    task = {"kind": "site_change", "site_id": "weihai", "change_id": change.id}
    timer.start(f"site-change-{change.id}", change.effective_at, task)
    timer.start(f"site-change-{change.id}", change.effective_at, task)
    executions = _executions(aws["DEADLINE_STATE_MACHINE_ARN"])
    assert len(executions) == 1
    stop_execution(executions[0]["executionArn"])


@pytest.mark.slow
def test_unknown_task_kind_fails_the_execution_loudly(api: Api, aws: dict[str, str]) -> None:
    StepFunctionsTimer().start("bogus-task", to_iso(utc_now()), {"kind": "no_such_task"})
    [execution] = _executions(aws["DEADLINE_STATE_MACHINE_ARN"])
    result = _wait_for_execution(execution["executionArn"])
    assert result["status"] == "FAILED"
    assert result.get("error") == "DeadlineTaskFailed"
    # Set aside with what it was and why, for an operator to look at.
    url = aws["DEADLINE_DEAD_LETTER_QUEUE_URL"]
    [message] = boto3.client("sqs").receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
    body = json.loads(message["Body"])
    assert body["task"] == {"kind": "no_such_task"} and body["error"]["Error"] == "UnknownDeadlineTask"
    assert "no_such_task" in body["error"]["Cause"]


def test_on_deadline_answers_early_before_the_deadline(api: Api) -> None:
    change = _pending_change("zibo", timedelta(minutes=5), "c" * 32)
    event = {"due_at": change.effective_at, "task": {"kind": "site_change", "site_id": "zibo", "change_id": change.id}}
    assert invoke("on_deadline", event) == {"status": "early"}
    assert DynamoSiteStore().get_change("zibo", change.id).status is ChangeStatus.PENDING  # type: ignore[union-attr]


def test_sweep_applies_due_changes_once(api: Api) -> None:
    from scheduled.pumps import scheduled_event

    due = _pending_change("jinan", timedelta(seconds=-5), "d" * 32)
    _pending_change("jinan", timedelta(days=3), "e" * 32)
    event = scheduled_event("sweep_due_changes")
    first = invoke("sweep_due_changes", event)
    second = invoke("sweep_due_changes", event)
    assert first == {"applied": 1, "skipped": 0, "conflict": 0, "reinstated": 0}
    assert second == {"applied": 0, "skipped": 0, "conflict": 0, "reinstated": 0}
    store = DynamoSiteStore()
    assert store.get_change("jinan", due.id).status is ChangeStatus.APPLIED  # type: ignore[union-attr]
    assert store.get_change("jinan", "e" * 32).status is ChangeStatus.PENDING  # type: ignore[union-attr]
    assert store.get("jinan").limits.per_plan_cap_fen == 90_000_000  # type: ignore[union-attr]


def test_site_configuration_is_published_to_the_web_bucket_through_its_queue(api: Api) -> None:
    projection = Projection()
    assert projection.drain() > 0  # the seeding writes
    status, _ = api.call("PUT", "/sites/rizhao/limits", LIMITS, as_user="rizhao.center")
    assert status == 200
    assert projection.drain() >= 2  # the stream record, then the queued message
    s3 = boto3.client("s3")
    published = json.loads(
        s3.get_object(Bucket=get_settings().web_bucket, Key="sites/rizhao/config.json")["Body"].read()
    )
    assert published["limits"] == LIMITS and published["version"] == 1
    assert published["look"]["title"] == "齐鲁云采·日照市政府采购网上商城"
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket=get_settings().web_bucket)["Contents"]}
    assert {f"sites/{s}/config.json" for s in ("liaocheng", "weihai", "jinan", "zibo", "rizhao", "linyi")} <= keys
