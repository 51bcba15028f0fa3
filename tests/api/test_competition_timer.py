"""The deadline belongs to the database, the award happens once, and a broken timer never leaves a competition stuck."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import boto3
import pytest

from chalicelib.domain import competitions as comp
from chalicelib.domain.clock import parse_iso, to_iso, utc_now
from chalicelib.domain.errors import Conflict
from chalicelib.store.competitions import DynamoCompetitionStore, KmsSealer, StepFunctionsCompetitionTimer
from chalicelib.store.models import AuditItem, QuoteItem
from scheduled import demo_market
from scheduled.pumps import scheduled_event
from scheduled.sample_orders import supplier_principal
from tests.api.competition_support import launch_body, stock_sellers, stop_all, wait_for
from tests.api.orders_support import SITE, add_plan, supplier_code
from tests.conftest import Api, Projection, invoke

BASE = f"/sites/{SITE}/competitions"


@pytest.fixture
def opened(api: Api, aws: dict[str, str], projection: Projection) -> Any:
    demo_market.seed_demo_suppliers(aws["USER_POOL_ID"])
    stock_sellers()
    projection.drain()
    plan_no = add_plan(8, budget_fen=5_000_000)
    status, body = api.call("POST", BASE, launch_body(plan_no), as_user="liaocheng.buyer")
    assert status == 201, body
    for seller, unit in (("supplier.demo", 11_000), ("supplier.lc02", 10_500), ("supplier.lc04", 11_800)):
        status, _ = api.call("PUT", f"{BASE}/{body['id']}/quote", {"unit_price_fen": unit}, as_user=seller)
        assert status == 200
    stop_all(aws["COMPETITION_STATE_MACHINE_ARN"])  # these tests drive the task themselves
    yield body["id"]
    stop_all(aws["COMPETITION_STATE_MACHINE_ARN"])


def _past_deadline(cid: str) -> comp.Competition:
    """The deadline moved one second into the past, with no timer armed (as if the timer were lost)."""
    store = DynamoCompetitionStore()
    c = store.get(SITE, cid)
    assert c is not None
    moved = c._replace(end_at=to_iso(utc_now() - timedelta(seconds=1)), version=c.version + 1)
    store.save(moved, c, comp._event(c, "test.moved", "测试：截止时间已过", {"role": "system"}, utc_now(), None, None))
    return moved


def _actions(cid: str) -> list[str]:
    return [i.data["action"] for i in AuditItem.query(f"{SITE}#competition#{cid}")]


def test_a_quote_one_millisecond_late_is_refused_by_the_write_itself(opened: str) -> None:
    store = DynamoCompetitionStore()
    c = store.get(SITE, opened)
    assert c is not None
    supplier = supplier_principal("supplier.lc04")
    late = parse_iso(c.end_at) + timedelta(milliseconds=1)
    # The rule refuses it…
    with pytest.raises(Conflict) as refused:
        comp.submit_quote(store, KmsSealer(), c, supplier, "x", False, True, None, 9_000, "", late)
    assert refused.value.code == "DEADLINE_PASSED"
    # …and so does DynamoDB when the caller's clock says it is in time but the write's `now` is late.
    quote = comp.SealedQuote(c.id, supplier.org_id, "x", False, "c2VhbGVk", "0" * 64, to_iso(late), 2, "")
    audit = comp._event(c, "quote.revised", "测试", supplier.as_actor(), late, None, None)
    before = len(list(AuditItem.scan()))
    with pytest.raises(Conflict) as refused:
        store.put_quote(c, quote, audit, to_iso(late))
    assert refused.value.code == "DEADLINE_PASSED"
    assert len(list(AuditItem.scan())) == before
    stored = QuoteItem.get(f"{SITE}#COMP#{c.id}", f"QUOTE#{supplier.org_id}")
    assert int(stored.revision) == 1  # the first quote stands


def test_two_revisions_at_once_one_wins(opened: str) -> None:
    store = DynamoCompetitionStore()
    c = store.get(SITE, opened)
    assert c is not None
    supplier = supplier_principal("supplier.demo")
    previous = store.quote_of(c, supplier.org_id)
    now = utc_now()
    comp.submit_quote(store, KmsSealer(), c, supplier, "x", False, True, previous, 10_000, "", now)
    with pytest.raises(Conflict) as second:
        comp.submit_quote(store, KmsSealer(), c, supplier, "x", False, True, previous, 9_900, "", now)
    assert second.value.code == "QUOTE_RACE"


def test_the_close_happens_once_however_often_the_task_runs(opened: str) -> None:
    c = _past_deadline(opened)
    event = {"site_id": SITE, "competition_id": opened, "generation": c.generation, "wake_at": c.end_at}
    first = invoke("on_competition", event)
    second = invoke("on_competition", event)  # a retry, or a second timer
    assert first["step"] == second["step"] == "confirming" and first["wake_at"] == second["wake_at"]
    assert _actions(opened).count("competition.closed") == 1
    stale = invoke("on_competition", {**event, "generation": c.generation - 1})
    assert stale == {"step": "superseded", "wake_at": ""}


@pytest.mark.slow
def test_a_broken_task_is_set_aside_and_the_sweep_finishes_the_competition(opened: str, aws: dict[str, str]) -> None:
    c = _past_deadline(opened)
    # A quote whose ciphertext cannot be opened: the task fails on every retry.
    item = QuoteItem.get(f"{SITE}#COMP#{opened}", f"QUOTE#{supplier_code('supplier.lc04')}")
    good = item.sealed
    item.sealed = "bm90IGEgY2lwaGVydGV4dA=="
    item.save()
    comp_timer = StepFunctionsCompetitionTimer()
    bumped = c._replace(generation=c.generation + 1, version=c.version + 1)
    DynamoCompetitionStore().save(
        bumped, c, comp._event(c, "test.rearm", "测试", {"role": "system"}, utc_now(), None, None)
    )
    comp_timer.arm(bumped, bumped.end_at)
    sfn = boto3.client("stepfunctions")
    arn = (
        aws["COMPETITION_STATE_MACHINE_ARN"].replace(":stateMachine:", ":execution:")
        + ":"
        + comp_timer.execution_name(bumped)
    )
    result = wait_for(
        lambda: (d := sfn.describe_execution(executionArn=arn))["status"] != "RUNNING" and d, 90, "the timer to fail"
    )
    assert result["status"] == "FAILED" and result["error"] == "CompetitionTimerBroken"
    [message] = boto3.client("sqs").receive_message(
        QueueUrl=aws["COMPETITION_DEAD_LETTER_QUEUE_URL"], MaxNumberOfMessages=10
    )["Messages"]
    assert json.loads(message["Body"])["competition_id"] == opened
    assert DynamoCompetitionStore().get(SITE, opened).status is comp.Status.OPEN  # type: ignore[union-attr]
    # Mended (here: the ciphertext restored), the sweep re-arms a timer that closes it.
    item.refresh()
    item.sealed = good
    item.save()
    assert invoke("sweep_competitions", scheduled_event("sweep_competitions")) == {"rearmed": 1}
    closed = wait_for(
        lambda: (
            (x := DynamoCompetitionStore().get(SITE, opened)) is not None and x.status is comp.Status.CONFIRMING and x
        ),
        60,
        "the sweep's timer to close it",
    )
    assert closed.generation == bumped.generation + 1
    assert "timer.rearmed" in _actions(opened)


def test_running_competitions_get_their_timers_back_after_a_restore(opened: str) -> None:
    from chalicelib.store.competitions import rearm_competition_timers

    class Recorder:
        def __init__(self) -> None:
            self.armed: list[tuple[str, str]] = []

        def arm(self, c: comp.Competition, wake_at: str) -> None:
            self.armed.append((c.id, wake_at))

    recorder = Recorder()
    store = DynamoCompetitionStore()
    assert rearm_competition_timers(store, recorder) == 1  # type: ignore[arg-type]
    c = store.get(SITE, opened)
    assert c is not None and recorder.armed == [(opened, c.end_at)]
