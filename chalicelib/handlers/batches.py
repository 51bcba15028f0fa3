"""批量采购 over HTTP, and its two windows on the deadline state machine. Rules in domain.batches."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from chalice.app import Blueprint

from chalicelib.domain import batches
from chalicelib.domain.errors import NotFound
from chalicelib.domain.orders import Delivery
from chalicelib.domain.principals import Role
from chalicelib.domain.site_admin import load_site
from chalicelib.http import Reply, RequestContext, api_route
from chalicelib.lambdas import entry_point, schedule, timer_task
from chalicelib.observability import logger, metrics
from chalicelib.wiring import stores

bp = Blueprint(__name__)

READERS = frozenset({Role.BUYER, Role.SUPPLIER, Role.CENTER_ADMIN, Role.FINANCE, Role.PROVINCE_ADMIN})
OPERATORS = frozenset({Role.CENTER_ADMIN, Role.PROVINCE_ADMIN})
BUYER = frozenset({Role.BUYER})
SUPPLIER = frozenset({Role.SUPPLIER})
BASE = "/sites/{site_id}/batches"


def _batch(site_id: str, batch_id: str) -> batches.Batch:
    found = stores().batches.get(site_id, batch_id) if batches.BATCH_ID_PATTERN.match(batch_id) else None
    if found is None:
        raise NotFound("批量采购不存在", code="BATCH_NOT_FOUND")
    return found


def _view(ctx: RequestContext, b: batches.Batch, detailed: bool = True) -> dict[str, Any]:
    """A list shows the batch alone; a detail also reads its entries and offers (one Query): view_for decides
    what of them the caller sees."""
    if not detailed:
        return batches.view_for(b, ctx.user, ctx.now)
    entries, offers = stores().batches.contents(b.site_id, b.id)
    own = (
        next((o for o in offers if o.supplier_uscc == ctx.user.org_id), None)
        if ctx.user.role is Role.SUPPLIER
        else None
    )
    return batches.view_for(b, ctx.user, ctx.now, entries, own, len(offers))


@api_route(bp, BASE, methods=("POST",), roles=OPERATORS, response="procurement:BatchView")
def open_batch(ctx: RequestContext, site_id: str) -> Reply:
    from chalicelib.schemas.batches import NewBatchBody

    body = ctx.body(NewBatchBody)
    site = load_site(stores().sites, site_id)
    new = batches.NewBatch(
        body.title,
        body.category_id,
        body.spec,
        body.unit,
        body.reference_price_fen,
        body.min_buyers,
        body.join_until,
        body.offer_until,
    )
    b = batches.open_batch(stores().batches, stores().timer, site, ctx.user, new, ctx.now, ctx.request_id)
    metrics.add_metric(name="BatchOpened", unit="Count", value=1)
    return Reply(_view(ctx, b), status=201)


@api_route(bp, BASE, roles=READERS, response="procurement:BatchList")
def list_batches(ctx: RequestContext, site_id: str) -> dict[str, Any]:
    load_site(stores().sites, site_id)
    found = stores().batches.list_for_site(site_id)
    return {"items": [_view(ctx, b, detailed=False) for b in found]}


@api_route(bp, BASE + "/{batch_id}", roles=READERS, response="procurement:BatchView")
def one(ctx: RequestContext, site_id: str, batch_id: str) -> dict[str, Any]:
    return _view(ctx, _batch(site_id, batch_id))


@api_route(bp, BASE + "/{batch_id}/entries", methods=("POST",), roles=BUYER, response="procurement:BatchView")
def join(ctx: RequestContext, site_id: str, batch_id: str) -> Reply:
    from chalicelib.schemas.batches import JoinBody

    body = ctx.body(JoinBody)
    site = load_site(stores().sites, site_id)
    b = _batch(site_id, batch_id)
    plan = stores().plans.get(site_id, body.plan_no)
    d = body.delivery
    request = batches.JoinRequest(
        body.plan_no, body.quantity, Delivery(d.address, d.contact, d.phone, d.expected_date.isoformat())
    )
    batches.join(stores().batches, b, site, plan, ctx.user, request, ctx.now, ctx.request_id)
    return Reply(_view(ctx, _batch(site_id, batch_id)), status=201)


@api_route(bp, BASE + "/{batch_id}/offer", methods=("PUT",), roles=SUPPLIER, response="procurement:BatchView")
def offer(ctx: RequestContext, site_id: str, batch_id: str) -> dict[str, Any]:
    from chalicelib.schemas.batches import OfferBody

    body = ctx.body(OfferBody)
    b = _batch(site_id, batch_id)
    rate = batches.parse_rate(body.rate)
    supplier = stores().suppliers.get(ctx.user.org_id)
    trading = supplier is not None and supplier.can_trade_in(site_id)
    name = supplier.profile.name if supplier else ""
    previous = stores().batches.offer_of(site_id, b.id, ctx.user.org_id)
    batches.offer(stores().batches, b, ctx.user, name, trading, rate, previous, ctx.now, ctx.request_id)
    return _view(ctx, b)


@api_route(bp, BASE + "/{batch_id}/cancel", methods=("POST",), roles=OPERATORS, response="procurement:BatchView")
def cancel(ctx: RequestContext, site_id: str, batch_id: str) -> dict[str, Any]:
    from chalicelib.schemas.competitions import ReasonBody

    body = ctx.body(ReasonBody)
    done = batches.cancel(stores().batches, _batch(site_id, batch_id), ctx.user, body.reason.strip(), ctx.now)
    return _view(ctx, done)


# ---------------------------------------------------------------- the windows


# No timer is started here (both are armed at opening): the deadline machine invokes this task, so a grant to start
# that machine would make the task's role depend on the machine that depends on the task.
WINDOW_NEEDS = ("MainTable:write", "AuditTable:append")


def _advance(site_id: str, batch_id: str, now: datetime) -> str:
    b = stores().batches.get(site_id, batch_id)
    site = stores().sites.get(site_id)
    if b is None or site is None:
        return "skipped"
    outcome = batches.advance(stores().batches, stores().orders, site, b, now)
    logger.info("batch window", extra={"batch": batch_id, "outcome": outcome})
    return outcome


@timer_task("batch_window", needs=WINDOW_NEEDS)
def close_window(task: Mapping[str, Any], now: datetime) -> str:
    """A batch's join or offer window has closed: move it on (offers, orders, or failure and release)."""
    outcome = _advance(str(task["site_id"]), str(task["batch_id"]), now)
    return "early" if outcome == "early" else "applied" if outcome != "skipped" else "skipped"


@schedule("sweep_batches", rate="rate(10 minutes)", needs=WINDOW_NEEDS, timeout_s=300)
@entry_point("sweep_batches")
def sweep_batches(event: Any, context: Any) -> dict[str, int]:
    """Safety net for the timers: move on every batch whose window closed and that is still waiting."""
    from chalicelib.domain.clock import to_iso, utc_now
    from chalicelib.domain.errors import Conflict

    now = utc_now()
    moved = 0
    for site_id, batch_id in stores().batches.due(to_iso(now)):
        try:
            moved += _advance(site_id, batch_id, now) not in ("early", "skipped")
        except Conflict:  # a timer moved it meanwhile
            continue
    return {"moved": moved}
