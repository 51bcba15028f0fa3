"""The asynchronous side of 竞价 and 反拍: the timer's task, the award consumer and the sweep, each declared once.

- `on_competition` is the competition state machine's one task
  (infra/statemachines/competition.asl.json). Only its role may decrypt the
  sealed quotes (QuoteKey:decrypt): it opens them at the deadline.
- `competition_outcomes` follows committed changes of competitions: a
  confirmed award becomes its order, an ended competition gets its record in S3.
- `sweep_competitions` finds running competitions whose deadline passed with
  no timer acting (a failed execution ends in its dead-letter queue) and arms a
  new timer generation, so that nothing stays stuck.
"""

from __future__ import annotations

from typing import Any

from chalicelib.domain.clock import to_iso, utc_now
from chalicelib.lambdas import Change, entry_point, machine_task, schedule, stream_consumer
from chalicelib.observability import logger, metrics
from chalicelib.wiring import stores

COMPETITION_TASK = "on_competition"


@machine_task(COMPETITION_TASK, needs=("MainTable:write", "AuditTable:append", "AuditTable:read", "QuoteKey:decrypt"))
@entry_point(COMPETITION_TASK)
def on_competition(event: dict[str, Any], context: Any) -> dict[str, str]:
    """Asked by the state machine at the time it was armed for: what next (see domain.competitions.advance)."""
    from chalicelib.domain.competitions import advance
    from chalicelib.store.reference import work_calendar

    answer = advance(
        stores().competitions,
        stores().sealer,
        work_calendar(),
        str(event["site_id"]),
        str(event["competition_id"]),
        int(event["generation"]),
        str(event.get("wake_at", "")),
        utc_now(),
    )
    logger.info("competition advanced", extra={"competition_id": event["competition_id"], "step": answer.step})
    return {"step": answer.step.value, "wake_at": answer.wake_at}


@stream_consumer(
    "competition_outcomes",
    table="MainTable",
    kinds=("competition",),
    needs=("MainTable:write", "AuditTable:append", "AuditTable:read", "ReportsBucket:put:competitions/*"),
    queued=True,
)
def follow_competition(change: Change) -> None:
    """A confirmed award → its order (once); an ended competition → its hash-chained record in S3."""
    from chalicelib.domain.awards import AwardInputs, place_award, record_ended
    from chalicelib.domain.clock import china_date
    from chalicelib.domain.competitions import Competition, Status
    from chalicelib.store.competitions import competition_from_image

    if change.new is None or "data" not in change.new:
        return
    c = competition_from_image(change.new)
    store = stores().competitions
    now = utc_now()

    def read(award: Competition) -> AwardInputs:
        winner = award.offers[-1].supplier_uscc
        inputs = stores().orders.inputs(
            award.site_id, award.plan_no, winner, [], award.buyer_uscc, china_date(now).year
        )
        return AwardInputs(inputs.site, inputs.plan, inputs.supplier, inputs.spent_fen)

    if c.status is Status.CONFIRMED:
        done = place_award(stores().orders, store, stores().records, read, c, now)
        if done is not None:
            metrics.add_metric(name="CompetitionAwarded", unit="Count", value=1)
            logger.info("competition awarded", extra={"competition_id": c.id, "order_no": done.order_no})
    elif c.status in (Status.FAILED, Status.CANCELLED):
        record_ended(stores().records, store, c, now)


@schedule(
    "sweep_competitions",
    rate="rate(10 minutes)",
    needs=("MainTable:write", "AuditTable:append", "CompetitionStateMachine:start"),
    timeout_s=120,
)
@entry_point("sweep_competitions")
def sweep_competitions(event: Any, context: Any) -> dict[str, int]:
    """Safety net: a running competition past its deadline gets a new timer generation that acts at once."""
    from chalicelib.domain.audit import new_event
    from chalicelib.domain.competitions import ENTITY_COMPETITION
    from chalicelib.domain.errors import Conflict
    from chalicelib.domain.principals import SYSTEM_ACTOR
    from chalicelib.store.competitions import due_competitions, next_due

    now = utc_now()
    moment = to_iso(now)
    store = stores().competitions
    rearmed = 0
    for site_id, competition_id in due_competitions(moment):
        c = store.get(site_id, competition_id)
        if c is None or not next_due(c) or next_due(c) > moment:
            continue
        moved = c._replace(generation=c.generation + 1, version=c.version + 1, updated_at=moment)
        audit = new_event(
            tenant=c.site_id,
            entity_type=ENTITY_COMPETITION,
            entity_id=c.id,
            action="timer.rearmed",
            summary=f"巡检发现已过截止时间未处理（第 {c.generation} 代计时器），重新计时处理",
            actor=SYSTEM_ACTOR,
            at=now,
            before={"generation": c.generation},
            after={"generation": moved.generation},
        )
        try:
            store.save(moved, c, audit)
        except Conflict:
            continue  # moved meanwhile: its own timer acts
        stores().competition_timer.arm(moved, moment)
        rearmed += 1
    if rearmed:
        logger.warning("sweep re-armed competition timers", extra={"rearmed": rearmed})
    return {"rearmed": rearmed}
