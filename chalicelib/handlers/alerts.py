"""动态预警 over HTTP (the site's queue, the thresholds) and on the asynchronous side (the detection).

Rules in domain.alerts. `supervision_alerts` is a queued consumer of orders and competitions: a placed order is
read against the buyer's and the supplier's recent purchases (化整为零, 采购集中, 特供专供), a closed bidding against
the site's recent biddings (围标陪标). It reads a bounded window and writes only alerts.
"""

from __future__ import annotations

from typing import Any

from chalice.app import Blueprint

from chalicelib.domain import alerts
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.principals import Role
from chalicelib.domain.site_admin import load_site
from chalicelib.http import RequestContext, api_route
from chalicelib.lambdas import Change, document_of, stream_consumer
from chalicelib.observability import logger, metrics
from chalicelib.wiring import stores

bp = Blueprint(__name__)

SUPERVISORS = frozenset({Role.CENTER_ADMIN, Role.FINANCE, Role.PROVINCE_ADMIN})
OPERATORS = frozenset({Role.CENTER_ADMIN, Role.PROVINCE_ADMIN})
BASE = "/sites/{site_id}/alerts"


def _names() -> dict[str, str]:
    from chalicelib.store.reference import catalog_names

    return catalog_names()


@api_route(bp, BASE, roles=SUPERVISORS, response="supervision:AlertList")
def queue(ctx: RequestContext, site_id: str) -> dict[str, Any]:
    """The site's alerts of one status (待处理 by default), newest first."""
    raw = ctx.query_params.get("status", "open") if ctx.query_params else "open"
    try:
        status = alerts.AlertStatus(raw)
    except ValueError:
        raise InvalidInput(
            "状态无效", code="VALIDATION_FAILED", details=[{"field": "status", "message": "无效"}]
        ) from None
    found = stores().alerts.queue(site_id, status)
    return {"items": [alerts.view(a, ctx.user) for a in found]}


@api_route(bp, BASE + "/{alert_id}", roles=SUPERVISORS, response="supervision:AlertView")
def one(ctx: RequestContext, site_id: str, alert_id: str) -> dict[str, Any]:
    from chalicelib.domain.errors import NotFound

    found = stores().alerts.get(site_id, alert_id) if alert_id.startswith("YJ") and len(alert_id) == 18 else None
    if found is None:
        raise NotFound("预警不存在", code="ALERT_NOT_FOUND")
    return alerts.view(found, ctx.user)


@api_route(bp, BASE + "/{alert_id}/handle", methods=("POST",), roles=SUPERVISORS, response="supervision:AlertView")
def handle(ctx: RequestContext, site_id: str, alert_id: str) -> dict[str, Any]:
    from chalicelib.schemas.supervision import AlertHandleBody

    body = ctx.body(AlertHandleBody)
    found = stores().alerts.get(site_id, alert_id) if alert_id.startswith("YJ") and len(alert_id) == 18 else None
    done = alerts.handle(stores().alerts, found, ctx.user, body.action, body.reason, ctx.now)
    return alerts.view(done, ctx.user)


@api_route(bp, "/sites/{site_id}/alert-rules", roles=SUPERVISORS, response="supervision:AlertRulesView")
def thresholds(ctx: RequestContext, site_id: str) -> dict[str, Any]:
    site = load_site(stores().sites, site_id)
    return alerts.rules_view(stores().alerts.rules(site_id), site.limits.per_order_cap_fen)


@api_route(bp, "/sites/{site_id}/alert-rules", methods=("PUT",), roles=OPERATORS, response="supervision:AlertRulesView")
def revise_thresholds(ctx: RequestContext, site_id: str) -> dict[str, Any]:
    from chalicelib.schemas.supervision import AlertRulesBody

    body = ctx.body(AlertRulesBody)
    site = load_site(stores().sites, site_id)
    changes = body.model_dump(exclude={"version"}, exclude_none=True)
    revised = alerts.revise_rules(stores().alerts, ctx.user, site_id, changes, body.version, ctx.now)
    return alerts.rules_view(revised, site.limits.per_order_cap_fen)


# ---------------------------------------------------------------- detection


@stream_consumer(
    "supervision_alerts",
    table="MainTable",
    kinds=("order", "competition", "listing"),
    needs=("MainTable:write", "AuditTable:append"),
    queued=True,
)
def detect(change: Change) -> None:
    """A placed order, a bidding that has just been ranked, a listing's new price: the patterns it completes."""
    new, old = document_of(change.new), document_of(change.old)
    if new is None:
        return
    if change.kind == "order":
        raised = _after_order(old, new)
    elif change.kind == "listing":
        raised = _after_listing(change)
    else:
        raised = _after_competition(old, new)
    if raised:
        metrics.add_metric(name="AlertsRaised", unit="Count", value=raised)


def _after_order(old: dict[str, Any] | None, new: dict[str, Any]) -> int:
    from chalicelib.domain.clock import parse_iso
    from chalicelib.domain.orders import order_from_dict
    from chalicelib.store.documents import fields_of
    from chalicelib.store.sites import cached_site

    if old is not None:
        return 0  # only a placed order adds to a pattern
    order = order_from_dict(fields_of("order", new))
    if order.is_imported:
        return 0
    site = cached_site(order.site_id)
    rules = stores().alerts.rules(order.site_id)
    now = parse_iso(order.created_at)
    placed = alerts.purchase_of(order)
    days = max(rules.split_window_days, rules.concentration_window_days)
    since = alerts.window_start(now, days)
    mine = [alerts.purchase_of(o) for o in stores().alerts.buyer_orders_since(order.site_id, order.buyer_uscc, since)]
    if placed.order_no not in {p.order_no for p in mine}:
        mine.append(placed)
    found = [
        alerts.splitting(order.site_id, placed, mine, rules, site.limits.per_order_cap_fen, _names(), now),
        alerts.concentration(order.site_id, placed, mine, rules, now),
    ]
    sellers = stores().alerts.supplier_orders_since(
        order.site_id, order.supplier_uscc, alerts.window_start(now, rules.exclusive_window_days)
    )
    theirs = [alerts.purchase_of(o) for o in sellers]
    if placed.order_no not in {p.order_no for p in theirs}:
        theirs.append(placed)
    names = {line.listing_id: line.name for line in order.lines}
    found += alerts.exclusive(order.site_id, placed, theirs, names, rules, now)
    found.append(_padded(order, rules, now))
    return _raise([a for a in found if a is not None], now)


def _padded(order: Any, rules: alerts.AlertRules, now: Any) -> alerts.Alert | None:
    """抬高选配件价格: each line's product against the mall's recent transaction median (one Query a line)."""
    from chalicelib.domain import prices

    if len(order.lines) < 2:
        return None
    start = alerts.window_start(now, prices.RECENT_DAYS)
    medians = {}
    for line in order.lines[:20]:
        product = prices.product_key(line.brand, line.model)
        if product not in medians:
            medians[product] = prices.recent_median(stores().alerts.observations(product, start), now)
    return prices.padded_accessories(order, medians, rules, now)


def _after_competition(old: dict[str, Any] | None, new: dict[str, Any]) -> int:
    from chalicelib.domain.clock import parse_iso
    from chalicelib.domain.competitions import competition_from_dict

    before = competition_from_dict(old) if old else None
    c = competition_from_dict(new)
    if not c.ranking or (before is not None and before.ranking):
        return 0  # only the close, when the ranking first appears
    closed = alerts.meeting_of(c)
    if closed is None:
        return 0
    rules = stores().alerts.rules(c.site_id)
    now = parse_iso(c.updated_at)
    recent = stores().alerts.competitions_since(c.site_id, alerts.window_start(now, rules.circle_window_days))
    meetings = [m for m in (alerts.meeting_of(x) for x in recent) if m is not None]
    if closed.competition_id not in {m.competition_id for m in meetings}:
        meetings.append(closed)
    found = alerts.circle(c.site_id, closed, meetings, rules, _names(), now)
    return _raise([found] if found else [], now)


def _after_listing(change: Change) -> int:
    """A listing put on sale or repriced: above the mall's transaction prices, or raised near a deal."""
    from chalicelib.domain import prices
    from chalicelib.domain.clock import parse_iso
    from chalicelib.domain.listings import ListingStatus
    from chalicelib.store.listings import listing_from_image

    if change.new is None or change.old is None or "data" not in change.old:
        return 0
    before, after = listing_from_image(change.old), listing_from_image(change.new)
    if after.status is not ListingStatus.ACTIVE:
        return 0
    repriced = before.draft.price_fen != after.draft.price_fen
    if not repriced and before.status is ListingStatus.ACTIVE:
        return 0  # only a new price, or a listing that has just gone on sale
    rules = stores().alerts.rules(after.site_id)
    now = parse_iso(after.updated_at)
    product = prices.product_key(after.draft.brand, after.draft.model)
    seen = stores().alerts.observations(product, alerts.window_start(now, prices.RECENT_DAYS))
    found = [prices.above_market(after, seen, rules, now)]
    if repriced and after.draft.price_fen > before.draft.price_fen:
        start = alerts.window_start(now, rules.raise_window_days)
        sold = [
            {"order_no": o.order_no, "at": o.created_at, "title": o.buyer_name}
            for o in stores().alerts.supplier_orders_since(after.site_id, after.supplier.uscc, start)
            if any(line.listing_id == after.id for line in o.lines)
        ]
        invited = [
            {"competition_id": c.id, "at": c.created_at, "title": c.title}
            for c in stores().alerts.open_invitations(after.supplier.uscc, after.site_id, start)
            if c.item.category_id == after.draft.category_id
        ]
        found.append(prices.raised_near_a_deal(before, after, sold, invited, rules, now))
    return _raise([a for a in found if a is not None], now)


@stream_consumer("price_observations", table="MainTable", kinds=("order",), needs=("MainTable:write",))
def observe_prices(change: Change) -> None:
    """Inline, within DynamoDB: each deal's lines become the product's transaction prices (a deal terminated or
    cancelled takes them back). Idempotent: an observation's key is its deal line."""
    from chalicelib.domain import prices
    from chalicelib.domain.orders import order_from_dict
    from chalicelib.store.documents import fields_of

    new, old = document_of(change.new), document_of(change.old)
    if new is None:
        return
    before = order_from_dict(fields_of("order", old)) if old else None
    add, remove = prices.deal_change(before, order_from_dict(fields_of("order", new)))
    if add or remove:
        stores().alerts.observe(add, remove)


@api_route(bp, "/sites/{site_id}/listings/{listing_id}/prices", roles=None, response="supervision:PriceHistory")
def listing_prices(ctx: RequestContext, site_id: str, listing_id: str) -> dict[str, Any]:
    """A listing's price beside what the mall paid for the same product (brand + model) across sites this year."""
    from chalicelib.domain import prices
    from chalicelib.domain.errors import NotFound
    from chalicelib.domain.listings import ListingStatus

    listing = stores().listings.get(site_id, listing_id) if 1 <= len(listing_id) <= 40 else None
    if listing is None or listing.status is not ListingStatus.ACTIVE:
        raise NotFound("商品不存在或已下架", code="LISTING_NOT_FOUND")
    product = prices.product_key(listing.draft.brand, listing.draft.model)
    seen = stores().alerts.observations(product, alerts.window_start(ctx.now, prices.HISTORY_DAYS))
    return prices.intelligence(listing, seen, ctx.now)


def _raise(found: list[alerts.Alert], now: Any) -> int:
    raised = 0
    for alert in found:
        if alerts.raise_alert(stores().alerts, alert, now):
            raised += 1
            logger.info("alert raised", extra={"alert": alert.id, "kind": alert.kind.value, "site": alert.site_id})
    return raised
