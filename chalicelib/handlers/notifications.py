"""站内信: produced on the asynchronous side, read in the message centre.

- `notify`: a queued consumer of orders, plans, listings and competitions; each committed change becomes the
  notices of the units that must act (domain.notifications), stored once, then sent on the channels switched on.
- `remind_deadlines`: hourly, an invited supplier that has not quoted hears 24 hours before a competition closes.
- The message centre: the caller's unit's inbox, its unread count, read and read-all.
"""

from __future__ import annotations

from typing import Any

from chalice.app import Blueprint
from pydantic import Field

from chalicelib.domain.clock import to_iso, utc_now
from chalicelib.domain.errors import NotFound
from chalicelib.http import ALL_ROLES, RequestContext, api_route
from chalicelib.lambdas import Change, document_of, schedule, stream_consumer
from chalicelib.observability import logger, metrics
from chalicelib.validation import QueryParams
from chalicelib.wiring import stores

bp = Blueprint(__name__)

NOTICE_ID_LENGTH = 24


@stream_consumer(
    "notify",
    table="MainTable",
    kinds=("order", "plan", "listing", "competition", "supplier", "finding", "credit_entry", "complaint"),
    needs=("MainTable:write",),
    queued=True,
)
def notify(change: Change) -> None:
    """The notices a committed change causes; a replay stores nothing twice (ids are made from the cause)."""
    from chalicelib.domain import notifications
    from chalicelib.store.documents import fields_of

    new, old = document_of(change.new), document_of(change.old)
    if new is None:
        return
    if change.kind == "order":
        from chalicelib.domain.orders import order_from_dict

        before = order_from_dict(fields_of("order", old)) if old else None
        notices = notifications.for_order(before, order_from_dict(fields_of("order", new)))
    elif change.kind == "plan":
        from chalicelib.domain.plans import plan_from_dict

        notices = notifications.for_plan(
            plan_from_dict(fields_of("plan", old)) if old else None, plan_from_dict(fields_of("plan", new))
        )
    elif change.kind == "listing":
        from chalicelib.domain.listings import listing_from_dict

        notices = notifications.for_listing(
            listing_from_dict(fields_of("listing", old)) if old else None, listing_from_dict(fields_of("listing", new))
        )
    elif change.kind == "supplier":
        from chalicelib.domain.suppliers import supplier_from_dict

        notices = notifications.for_supplier(
            supplier_from_dict(fields_of("supplier", old)) if old else None,
            supplier_from_dict(fields_of("supplier", new)),
        )
    elif change.kind == "finding":
        from chalicelib.domain.inspections import finding_from_dict

        notices = notifications.for_finding(finding_from_dict(old) if old else None, finding_from_dict(new))
    elif change.kind == "complaint":
        from chalicelib.domain.complaints import complaint_from_dict

        notices = notifications.for_complaint(complaint_from_dict(old) if old else None, complaint_from_dict(new))
    elif change.kind == "credit_entry":
        from chalicelib.domain.credit import entry_from_dict

        notices = notifications.for_credit(entry_from_dict(old) if old else None, entry_from_dict(new))
    else:
        from chalicelib.domain.competitions import competition_from_dict

        notices = notifications.for_competition(competition_from_dict(old) if old else None, competition_from_dict(new))
    _deliver(notices)


def _deliver(notices: list[Any]) -> None:
    from chalicelib.store.notifications import channels

    if not notices:
        return
    stored = stores().inbox.deliver(notices)
    for channel in channels():
        for notice in notices:
            channel.send(notice)
    metrics.add_metric(name="NoticesStored", unit="Count", value=stored)
    logger.info(
        "notices", extra={"made": len(notices), "stored": stored, "kinds": sorted({n.kind.value for n in notices})}
    )


@schedule("remind_deadlines", rate="rate(1 hour)", needs=("MainTable:write",))
def remind_deadlines(event: Any = None, context: Any = None) -> dict[str, int]:
    """Every open competition closing within 24 hours: the invited suppliers that have not quoted."""
    from chalicelib.domain import notifications
    from chalicelib.store.competitions import due_competitions

    now = utc_now()
    reminded = 0
    horizon = to_iso(now + notifications.REMIND_BEFORE)
    store = stores().competitions
    for site_id, competition_id in due_competitions(horizon, limit=500):
        competition = store.get(site_id, competition_id)
        if competition is None:
            continue
        quoted = {q.supplier_uscc for q in store.quotes(competition)}
        found = notifications.deadline_reminders(competition, quoted, now)
        _deliver(found)
        reminded += len(found)
    return {"reminded": reminded}


# ---------------------------------------------------------------- the message centre


class InboxQuery(QueryParams):
    unread: bool = False
    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=2048)


def _unit(ctx: RequestContext) -> str:
    if not ctx.user.org_id:
        raise NotFound("账号未绑定单位，没有站内信", code="INBOX_NOT_FOUND")
    return ctx.user.org_id


@api_route(bp, "/me/notifications", roles=ALL_ROLES, response="site:NotificationPage")
def inbox(ctx: RequestContext) -> dict[str, Any]:
    query = ctx.query(InboxQuery)
    unit = _unit(ctx)
    found, cursor = stores().inbox.page(unit, query.unread, query.limit, query.cursor)
    return {"items": [n.to_dict() for n in found], "next_cursor": cursor, "unread": stores().inbox.unread_count(unit)}


@api_route(bp, "/me/notifications/unread", roles=ALL_ROLES, response="site:UnreadCount")
def unread(ctx: RequestContext) -> dict[str, Any]:
    """The header's badge: 0 for an account without a unit (it has no inbox)."""
    return {"unread": stores().inbox.unread_count(ctx.user.org_id) if ctx.user.org_id else 0}


@api_route(
    bp, "/me/notifications/{notice_id}/read", methods=("POST",), roles=ALL_ROLES, response="site:NotificationRead"
)
def read(ctx: RequestContext, notice_id: str) -> dict[str, Any]:
    if len(notice_id) != NOTICE_ID_LENGTH or not all(c in "0123456789abcdef" for c in notice_id):
        raise NotFound("消息不存在", code="NOTICE_NOT_FOUND")
    unit = _unit(ctx)
    notice = stores().inbox.mark_read(unit, notice_id, to_iso(ctx.now))
    return {**notice.to_dict(), "unread": stores().inbox.unread_count(unit)}


@api_route(bp, "/me/notifications/read-all", methods=("POST",), roles=ALL_ROLES, response="site:NotificationsMarked")
def read_all(ctx: RequestContext) -> dict[str, Any]:
    unit = _unit(ctx)
    marked = stores().inbox.mark_all_read(unit, to_iso(ctx.now))
    return {"marked": marked, "unread": stores().inbox.unread_count(unit)}
