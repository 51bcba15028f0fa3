"""Price intelligence (价格监控): what the mall itself paid for a product, and prices that should worry a supervisor.

A product is a brand and a model (compared after NFKC and case folding, as 框采 caps are). Every deal (an order its
supplier confirmed) leaves one observation per line: the unit price, the site, the day. From them a listing's page
shows its reference price beside the mall's own transaction prices for the same product across sites and over
time, with the monthly medians (the trend).

Three alerts join the 动态预警 queue (domain.alerts), each explained by the figures behind it:
- 价格偏高: a listing priced above the mall's recent (90 days) transaction median by more than the site's margin;
- 临期涨价: a supplier raising a listing's price within `raise_window_days` after an order of it (after winning) or
  while it is invited to a bidding of the listing's category (just before quoting).
- 抬高选配件价格 (SH): a purchase whose main item (its dearest unit) is at the market price while an accessory
  bought with it (a cheaper line of the same order: toner with a printer, a monitor with a desktop) is priced
  above the mall's median for that accessory by more than the margin, so the headline price looks fair and the
  padding hides in the rest.
A manufacturer's price change the listings must follow within 5 working days (anchors.md B5 [C, ZJ]) is a 厂商调价
campaign of domain.inspections.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from chalicelib.domain.alerts import Alert, AlertKind, AlertRules, make_alert
from chalicelib.domain.clock import china_date, parse_iso
from chalicelib.domain.listings import Listing, normalize
from chalicelib.domain.money import format_yuan

RECENT_DAYS = 90
HISTORY_DAYS = 365
DEAL_STATUSES = frozenset({"confirmed", "shipped", "accepted", "settled"})


class Observation(NamedTuple):
    product: str
    at: str  # the confirmation (UTC ISO)
    site_id: str
    order_no: str
    line: int
    listing_id: str
    supplier_name: str
    unit_price_fen: int
    quantity: int


def product_key(brand: str, model: str) -> str:
    return f"{normalize(brand)}|{normalize(model)}"


def observations_of(order: Any) -> list[Observation]:
    """One per line with a brand and a model (domain.orders.Order), dated at its confirmation."""
    at = order.milestones.get("confirmed") or order.updated_at
    return [
        Observation(
            product_key(line.brand, line.model),
            at,
            order.site_id,
            order.order_no,
            n,
            line.listing_id,
            order.supplier_name,
            line.unit_price_fen,
            line.quantity,
        )
        for n, line in enumerate(order.lines)
        if line.brand.strip() and line.model.strip()
    ]


def deal_change(old: Any | None, new: Any) -> tuple[list[Observation], list[Observation]]:
    """What a change of an order adds to the observations and what it takes away: it becomes a deal when its supplier
    confirms; a deal terminated or cancelled is no longer a price the mall paid."""
    if new.is_imported:
        return [], []
    was = old is not None and old.status.value in DEAL_STATUSES
    now_deal = new.status.value in DEAL_STATUSES
    if now_deal and not was:
        return observations_of(new), []
    if was and not now_deal:
        return [], observations_of(new)
    return [], []


def recent_median(observations: Iterable[Observation], now: datetime, days: int = RECENT_DAYS) -> int | None:
    start = now - timedelta(days=days)
    prices = [o.unit_price_fen for o in observations if parse_iso(o.at) >= start]
    return int(statistics.median(prices)) if prices else None


def monthly_medians(observations: Iterable[Observation]) -> list[dict[str, Any]]:
    by_month: dict[str, list[int]] = {}
    for o in observations:
        by_month.setdefault(china_date(parse_iso(o.at)).strftime("%Y-%m"), []).append(o.unit_price_fen)
    return [{"month": m, "median_fen": int(statistics.median(v)), "deals": len(v)} for m, v in sorted(by_month.items())]


def intelligence(listing: Listing, observations: Sequence[Observation], now: datetime) -> dict[str, Any]:
    """What a listing's page shows of its price: its reference, the mall's transaction prices and trend."""
    median = recent_median(observations, now)
    price = listing.draft.price_fen
    above = round((price - median) * 100 / median, 1) if median else None
    return {
        "price_fen": price,
        "reference_price_fen": listing.draft.reference_price_fen,
        "reference_source": listing.draft.reference_source,
        "median_90d_fen": median,
        "above_median_pct": above,
        "deals": len(observations),
        "sites": sorted({o.site_id for o in observations}),
        "trend": monthly_medians(observations),
        "recent": [o._asdict() for o in sorted(observations, key=lambda o: o.at, reverse=True)[:20]],
    }


# ---------------------------------------------------------------- alerts


def above_market(
    listing: Listing, observations: Sequence[Observation], rules: AlertRules, now: datetime
) -> Alert | None:
    median = recent_median(observations, now)
    price = listing.draft.price_fen
    if median is None or price * 10_000 <= median * (10_000 + rules.price_margin_bp):
        return None
    above = (price - median) * 100 / median
    deals = [o for o in observations if parse_iso(o.at) >= now - timedelta(days=RECENT_DAYS)]
    explanation = (
        f"商品“{listing.draft.name}”（{listing.supplier.name}）售价 {format_yuan(price)} 元，"
        f"高于商城近 {RECENT_DAYS} 日同型号成交中位价 {format_yuan(median)} 元 {above:.1f}%"
        f"（本站阈值 {rules.price_margin_bp / 100:g}%，成交 {len(deals)} 笔）"
    )
    return make_alert(
        listing.site_id,
        AlertKind.PRICE_HIGH,
        listing.id,
        f"{listing.draft.name}（{listing.supplier.name}）",
        explanation,
        tuple(_deal_row(o) for o in sorted(deals, key=lambda o: o.at)[-20:]),
        {"price_fen": price, "median_fen": median, "deals": len(deals)},
        now,
        key=(listing.id, f"{price}"),
    )


def raised_near_a_deal(
    before: Listing,
    after: Listing,
    recent_orders: Sequence[Mapping[str, Any]],
    invitations: Sequence[Mapping[str, Any]],
    rules: AlertRules,
    now: datetime,
) -> Alert | None:
    """A price raised within the window after an order of the listing, or while its supplier is invited to a bidding of
    the listing's category (recent_orders / invitations: {order_no|competition_id, at, title})."""
    old, new = before.draft.price_fen, after.draft.price_fen
    if new <= old or not (recent_orders or invitations):
        return None
    rise = (new - old) * 100 / old
    reasons = []
    if recent_orders:
        reasons.append(f"距最近一笔成交（{recent_orders[0]['order_no']}）不足 {rules.raise_window_days} 日")
    if invitations:
        reasons.append(f"该供应商正受邀参加同品目竞价“{invitations[0]['title']}”")
    explanation = (
        f"{after.supplier.name}将商品“{after.draft.name}”由 {format_yuan(old)} 元调至 {format_yuan(new)} 元"
        f"（上涨 {rise:.1f}%），{'；'.join(reasons)}，疑似临期涨价"
    )
    evidence = tuple({**row, "kind": "order"} for row in recent_orders) + tuple(
        {**row, "kind": "competition"} for row in invitations
    )
    return make_alert(
        after.site_id,
        AlertKind.PRICE_RAISE,
        after.id,
        f"{after.draft.name}（{after.supplier.name}）",
        explanation,
        evidence,
        {"old_price_fen": old, "new_price_fen": new},
        now,
        key=(after.id, str(after.version)),
    )


def padded_accessories(order: Any, medians: Mapping[str, int | None], rules: AlertRules, now: datetime) -> Alert | None:
    """An order (domain.orders.Order) whose main line sits within the margin of its median while a cheaper line
    (an accessory of the configuration) is above its own median by more than the margin."""
    lines = [line for line in order.lines if line.brand.strip() and line.model.strip()]
    if len(lines) < 2:
        return None
    main = max(lines, key=lambda line: line.unit_price_fen)  # the configuration's main item: its dearest unit

    def above(line: Any) -> int | None:
        """How far above its median, in basis points (None: no median)."""
        median = medians.get(product_key(line.brand, line.model))
        return (line.unit_price_fen - median) * 10_000 // median if median else None

    main_above = above(main)
    if main_above is None or main_above > rules.price_margin_bp:
        return None
    padded: list[tuple[Any, int]] = []
    for line in lines:
        bp = above(line) if line is not main else None
        if bp is not None and bp > rules.price_margin_bp:
            padded.append((line, bp))
    if not padded:
        return None
    words = "；".join(
        f"“{line.name}”单价 {format_yuan(line.unit_price_fen)} 元，高于商城成交中位价 "
        f"{format_yuan(medians[product_key(line.brand, line.model)] or 0)} 元 {bp / 100:.1f}%"
        for line, bp in padded
    )
    explanation = (
        f"订单 {order.order_no}（{order.supplier_name}）主商品“{main.name}”按市场价成交，"
        f"选配件{words}，疑似抬高选配件价格"
    )
    evidence = tuple(
        {
            "name": line.name,
            "unit_price_fen": line.unit_price_fen,
            "median_fen": medians.get(product_key(line.brand, line.model)),
            "quantity": line.quantity,
            "main": line is main,
        }
        for line in lines
    )
    return make_alert(
        order.site_id,
        AlertKind.ACCESSORY,
        order.order_no,
        f"订单 {order.order_no}（{order.supplier_name}）",
        explanation,
        evidence,
        {"padded_lines": len(padded), "total_fen": order.total_fen},
        now,
        key=(order.order_no,),
    )


def _deal_row(o: Observation) -> dict[str, Any]:
    return {
        "order_no": o.order_no,
        "at": o.at,
        "site_id": o.site_id,
        "supplier_name": o.supplier_name,
        "unit_price_fen": o.unit_price_fen,
        "quantity": o.quantity,
    }


def observation_from_dict(raw: Mapping[str, Any]) -> Observation:
    return Observation(
        **{k: raw[k] for k in ("product", "at", "site_id", "order_no", "listing_id", "supplier_name")},
        line=int(raw["line"]),
        unit_price_fen=int(raw["unit_price_fen"]),
        quantity=int(raw["quantity"]),
    )
