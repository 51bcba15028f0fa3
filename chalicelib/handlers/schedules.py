"""Scheduled functions, each declared once with its rate and its needs."""

from __future__ import annotations

from typing import Any

from chalicelib.domain import site_admin, suppliers
from chalicelib.domain.clock import to_iso, utc_now
from chalicelib.lambdas import entry_point, schedule
from chalicelib.observability import logger
from chalicelib.wiring import stores


@schedule(
    "sweep_due_changes",
    rate="rate(10 minutes)",
    needs=("MainTable:write", "AuditTable:append"),
    timeout_s=120,
)
@entry_point("sweep_due_changes")
def sweep_due_changes(event: Any, context: Any) -> dict[str, int]:
    """Safety net for the timers: apply whatever is due (site changes, ends of suspensions)."""

    now = utc_now()
    counts = site_admin.sweep_due_changes(stores().sites, now)
    store = stores().suppliers
    reinstated = sum(
        suppliers.reinstate_if_due(store, s.uscc, now) == "applied" for s in store.due_reinstatements(to_iso(now))
    )
    counts["reinstated"] = reinstated
    if counts["applied"] or reinstated:
        logger.warning("sweep applied what a timer had not", extra=counts)
    return counts
