"""Deadline tasks: each kind declared once, run by the deadline state machine's one task function.

The state machine (infra/statemachines/deadline.asl.json) waits until `due_at`
and then invokes `on_deadline` with the task it was started with; the kind
picks the handler from `TIMER_TASKS`. The sweep schedule reaches the same work
for anything a timer missed.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from chalicelib.domain import site_admin, suppliers
from chalicelib.domain.clock import utc_now
from chalicelib.lambdas import TIMER_FUNCTION, TIMER_TASKS, entry_point, load_declarations, timer_task
from chalicelib.observability import logger, metrics
from chalicelib.wiring import stores


class UnknownDeadlineTask(ValueError):
    """The timer fired for a task kind this code does not know: fail the execution loudly."""


@timer_task("site_change", needs=("MainTable:write", "AuditTable:append"))
def apply_site_change(task: Mapping[str, Any], now: datetime) -> str:

    return site_admin.apply_due_change(stores().sites, str(task["site_id"]), str(task["change_id"]), now)


@timer_task("supplier_reinstatement", needs=("MainTable:write", "AuditTable:append"))
def reinstate_supplier(task: Mapping[str, Any], now: datetime) -> str:

    return suppliers.reinstate_if_due(stores().suppliers, str(task["uscc"]), now)


def run_task(task: Mapping[str, Any], now: datetime) -> str:
    """Early / applied / skipped / conflict; an unknown kind raises, which fails the execution."""
    load_declarations()
    declared = TIMER_TASKS.get(str(task.get("kind")))
    if declared is None:
        logger.error("unknown deadline task", extra={"task": dict(task)})
        raise UnknownDeadlineTask(f"unknown deadline task kind: {task.get('kind')!r}")
    return declared.run(task, now)


@entry_point(TIMER_FUNCTION)
def on_deadline(event: dict[str, Any], context: Any) -> dict[str, str]:
    """Called by the deadline state machine when a deadline is reached.

    Returns {"status": "early"} if woken before the deadline (the machine then
    waits and calls again), otherwise the task's outcome.
    """
    task = event.get("task") or {}
    logger.info("deadline fired", extra={"task": task, "due_at": event.get("due_at")})
    status = run_task(task, utc_now())
    if status == "applied":
        metrics.add_metric(name="DeadlineApplied", unit="Count", value=1)
    return {"status": status}
