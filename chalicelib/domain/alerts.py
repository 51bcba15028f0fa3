"""动态预警: patterns in the purchases that a supervisor should look at, each explained by the purchases behind it.

Seed 002 lists 动态预警 among what each city's mall runs, "杜绝质次价高、暗箱操作、特供专供、以次充好". The mall
raises four kinds, each with thresholds the site sets (`AlertRules`, within `RULE_RANGES`):

- 化整为零 (order splitting): one buyer's orders in the same 二级品目 within `split_window_days` that together
  exceed a limit (the site's 单笔订单限额 unless the site sets another) while each of them stays under it;
- 采购集中 (concentration): one supplier takes `concentration_share_bp` or more of one buyer's spending in
  `concentration_window_days`, above `concentration_min_fen`;
- 特供专供 (a listing for one buyer): `exclusive_min_orders` or more orders of a listing in the window, all
  from the same buyer and from no other;
- 围标陪标 (bidding circles): the same suppliers meeting in `circle_min_meetings` or more biddings of one 二级品目
  within `circle_window_days`, the wins rotating among them.

An alert is raised once per pattern (its id is made from what it is about), grows with the purchases that join it
while it is open, and goes to the site's queue, read by the centre and the finance bureau. Either acknowledges it
(跟踪中), dismisses it with a reason (已排除), or turns it into a finding (已立案) with its conclusion; each is
audited. The detection is pure: the consumer hands in the purchases it read.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, NamedTuple, Protocol

from chalicelib.domain.audit import AuditEvent, new_event
from chalicelib.domain.clock import china_date, parse_iso, to_iso
from chalicelib.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from chalicelib.domain.money import format_wan
from chalicelib.domain.principals import SYSTEM_ACTOR, Principal, Role

ENTITY_ALERT = "alert"
ENTITY_ALERT_RULES = "alert_rules"


class AlertKind(StrEnum):
    SPLITTING = "splitting"
    CONCENTRATION = "concentration"
    EXCLUSIVE = "exclusive"
    CIRCLE = "circle"
    PRICE_HIGH = "price_high"
    PRICE_RAISE = "price_raise"
    ACCESSORY = "accessory"

    @property
    def label(self) -> str:
        return {
            "splitting": "化整为零",
            "concentration": "采购集中",
            "exclusive": "特供专供",
            "circle": "围标陪标",
            "price_high": "价格偏高",
            "price_raise": "临期涨价",
            "accessory": "选配件加价",
        }[self.value]


class AlertStatus(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    DISMISSED = "dismissed"
    FINDING = "finding"

    @property
    def label(self) -> str:
        return {"open": "待处理", "acknowledged": "跟踪中", "dismissed": "已排除", "finding": "已立案"}[self.value]


class AlertRules(NamedTuple):
    version: int = 0
    split_window_days: int = 30
    split_limit_fen: int = 0  # 0: the site's 单笔订单限额
    split_min_orders: int = 2
    concentration_window_days: int = 90
    concentration_share_bp: int = 8000
    concentration_min_fen: int = 10_000_000  # 10 万元
    concentration_min_orders: int = 3
    exclusive_window_days: int = 180
    exclusive_min_orders: int = 3
    circle_window_days: int = 180
    circle_min_meetings: int = 3
    # Complaints (政府采购质疑和投诉办法, 财政部令第94号): the period to question a bidding after it closed, the
    # respondent's period to answer, the centre's to decide, in working days.
    complaint_days: int = 7
    answer_days: int = 7
    decide_days: int = 30
    ticket_target_hours: int = 24  # the service desk answers a question within this
    price_margin_bp: int = 1000  # 价格偏高: above the mall's recent transaction median by more than this
    raise_window_days: int = 7  # 临期涨价: a raise within this after an order, or while invited to a bidding


# field → (lowest, highest, how it is said)
RULE_RANGES: dict[str, tuple[int, int, str]] = {
    "split_window_days": (1, 366, "天"),
    "split_limit_fen": (0, 100_000_000_00, "分"),
    "split_min_orders": (2, 20, "笔"),
    "concentration_window_days": (7, 366, "天"),
    "concentration_share_bp": (5000, 10000, "‱"),
    "concentration_min_fen": (100_000, 100_000_000_00, "分"),
    "concentration_min_orders": (2, 100, "笔"),
    "exclusive_window_days": (30, 731, "天"),
    "exclusive_min_orders": (2, 100, "笔"),
    "circle_window_days": (30, 731, "天"),
    "circle_min_meetings": (2, 20, "次"),
    "complaint_days": (1, 15, "个工作日"),
    "answer_days": (1, 15, "个工作日"),
    "decide_days": (5, 30, "个工作日"),
    "ticket_target_hours": (1, 72, "小时"),
    "price_margin_bp": (0, 5000, "‱"),
    "raise_window_days": (1, 30, "天"),
}


class Purchase(NamedTuple):
    """What an alert needs of an order."""

    order_no: str
    at: str
    buyer_uscc: str
    buyer_name: str
    supplier_uscc: str
    supplier_name: str
    level2_code: str
    total_fen: int
    listing_ids: tuple[str, ...]
    ended: bool  # declined, cancelled or terminated: not a purchase any more


class Meeting(NamedTuple):
    """A closed bidding: who responded and who won."""

    competition_id: str
    at: str
    title: str
    level2_code: str
    participants: tuple[tuple[str, str], ...]  # (uscc, name), ranked
    winner: str


class Alert(NamedTuple):
    id: str
    site_id: str
    kind: AlertKind
    subject: str  # a buyer's uscc, a listing id, or the circle's suppliers joined by ","
    subject_name: str
    explanation: str  # in words, with the figures
    evidence: tuple[dict[str, Any], ...]  # the orders (or biddings) behind it, as shown
    figures: Mapping[str, int]
    status: AlertStatus
    raised_at: str
    updated_at: str
    handled_by: str
    handling: str  # the reason or the conclusion
    version: int


class AlertStore(Protocol):
    def rules(self, site_id: str) -> AlertRules: ...

    def save_rules(self, site_id: str, rules: AlertRules, expected_version: int, audit: AuditEvent) -> None: ...

    def get(self, site_id: str, alert_id: str) -> Alert | None: ...

    def raise_or_grow(self, alert: Alert, audit: AuditEvent) -> bool:
        """Put a new alert, or replace the evidence of an open one; False when it is handled already."""

    def save(self, alert: Alert, expected_version: int, audit: AuditEvent) -> None: ...


# ---------------------------------------------------------------- thresholds


def revise_rules(
    store: AlertStore, actor: Principal, site_id: str, changes: Mapping[str, int], expected_version: int, now: datetime
) -> AlertRules:
    if actor.role not in (Role.CENTER_ADMIN, Role.PROVINCE_ADMIN):
        raise Forbidden("预警阈值由采购中心设置", code="FORBIDDEN_ROLE")
    found = []
    for name, value in changes.items():
        low, high, _ = RULE_RANGES[name]
        if not low <= value <= high:
            found.append({"field": name, "message": f"须在 {_shown(name, low)}–{_shown(name, high)} 之间"})
    if found:
        raise InvalidInput(
            "预警阈值超出范围：" + "；".join(f"{RULE_WORDS[p['field']]}{p['message']}" for p in found),
            code="THRESHOLD_OUT_OF_RANGE",
            details=found,
        )
    current = store.rules(site_id)
    revised = current._replace(**changes, version=current.version + 1)
    audit = new_event(
        tenant=site_id,
        entity_type=ENTITY_ALERT_RULES,
        entity_id=site_id,
        action="alert.rules_changed",
        summary="修改预警阈值：" + "；".join(f"{RULE_WORDS[k]} {_shown(k, v)}" for k, v in changes.items()),
        actor=actor.as_actor(),
        at=now,
        before={k: getattr(current, k) for k in changes},
        after={k: getattr(revised, k) for k in changes},
    )
    store.save_rules(site_id, revised, expected_version, audit)
    return revised


# What each threshold is called: in messages, in the thresholds form and (domain.labels) in validation errors.
RULE_WORDS = {
    "split_window_days": "化整为零统计天数",
    "split_limit_fen": "化整为零金额标准",
    "split_min_orders": "化整为零最少笔数",
    "concentration_window_days": "采购集中统计天数",
    "concentration_share_bp": "采购集中占比",
    "concentration_min_fen": "采购集中起算金额",
    "concentration_min_orders": "采购集中最少笔数",
    "exclusive_window_days": "特供专供统计天数",
    "exclusive_min_orders": "特供专供最少笔数",
    "circle_window_days": "围标陪标统计天数",
    "circle_min_meetings": "围标陪标最少相遇次数",
    "complaint_days": "质疑期限",
    "answer_days": "答复期限",
    "decide_days": "投诉处理期限",
    "ticket_target_hours": "咨询答复时限",
    "price_margin_bp": "价格偏高幅度",
    "raise_window_days": "临期涨价天数",
}


def _shown(name: str, value: int) -> str:
    unit = RULE_RANGES[name][2]
    if unit == "分":
        return f"{format_wan(value)} 万元"
    if unit == "‱":
        return f"{value / 100:g}%"
    return f"{value} {unit}"


def rules_view(rules: AlertRules, per_order_cap_fen: int) -> dict[str, Any]:
    return rules._asdict() | {
        "effective_split_limit_fen": rules.split_limit_fen or per_order_cap_fen,
        "ranges": {k: {"min": lo, "max": hi, "label": RULE_WORDS[k]} for k, (lo, hi, _) in RULE_RANGES.items()},
    }


# ---------------------------------------------------------------- detection


def _id(*parts: str) -> str:
    return "YJ" + hashlib.sha256("|".join(parts).encode()).hexdigest()[:16].upper()


def _order_row(p: Purchase) -> dict[str, Any]:
    return {
        "order_no": p.order_no,
        "at": p.at,
        "buyer_name": p.buyer_name,
        "supplier_name": p.supplier_name,
        "level2_code": p.level2_code,
        "total_fen": p.total_fen,
    }


def window_start(now: datetime, days: int) -> str:
    return to_iso(now - timedelta(days=days))


def splitting(
    site_id: str,
    placed: Purchase,
    buyer_orders: Iterable[Purchase],
    rules: AlertRules,
    per_order_cap_fen: int,
    level2_names: Mapping[str, str],
    now: datetime,
) -> Alert | None:
    """The buyer's live orders of the placed order's 二级品目 in the window: each under the limit, together above."""
    limit = rules.split_limit_fen or per_order_cap_fen
    start = window_start(now, rules.split_window_days)
    group = sorted(
        (p for p in buyer_orders if p.level2_code == placed.level2_code and not p.ended and p.at >= start),
        key=lambda p: p.at,
    )
    total = sum(p.total_fen for p in group)
    if len(group) < rules.split_min_orders or total <= limit or any(p.total_fen >= limit for p in group):
        return None
    category = level2_names.get(placed.level2_code, placed.level2_code)
    explanation = (
        f"{placed.buyer_name}在 {rules.split_window_days} 日内于“{category}”（{placed.level2_code}）"
        f"下单 {len(group)} 笔，"
        f"单笔均低于 {format_wan(limit)} 万元，合计 {format_wan(total)} 万元，超过该标准，疑似化整为零规避采购限额"
    )
    return make_alert(
        site_id,
        AlertKind.SPLITTING,
        placed.buyer_uscc,
        placed.buyer_name,
        explanation,
        tuple(_order_row(p) for p in group),
        {"orders": len(group), "total_fen": total, "limit_fen": limit},
        now,
        key=(placed.buyer_uscc, placed.level2_code, group[0].order_no),
    )


def concentration(
    site_id: str, placed: Purchase, buyer_orders: Iterable[Purchase], rules: AlertRules, now: datetime
) -> Alert | None:
    start = window_start(now, rules.concentration_window_days)
    live = [p for p in buyer_orders if not p.ended and p.at >= start]
    total = sum(p.total_fen for p in live)
    theirs = [p for p in live if p.supplier_uscc == placed.supplier_uscc]
    share_fen = sum(p.total_fen for p in theirs)
    if total < rules.concentration_min_fen or len(theirs) < rules.concentration_min_orders:
        return None
    share_bp = share_fen * 10_000 // total
    if share_bp < rules.concentration_share_bp:
        return None
    month = china_date(now).strftime("%Y%m")
    explanation = (
        f"{placed.buyer_name}近 {rules.concentration_window_days} 日在商城采购 {format_wan(total)} 万元，"
        f"其中 {format_wan(share_fen)} 万元（{share_bp / 100:.1f}%，{len(theirs)} 笔）向 {placed.supplier_name} 采购，"
        f"超过 {rules.concentration_share_bp / 100:g}% 的集中度标准"
    )
    return make_alert(
        site_id,
        AlertKind.CONCENTRATION,
        placed.buyer_uscc,
        placed.buyer_name,
        explanation,
        tuple(_order_row(p) for p in sorted(theirs, key=lambda p: p.at)),
        {"orders": len(theirs), "total_fen": total, "share_fen": share_fen, "share_bp": share_bp},
        now,
        key=(placed.buyer_uscc, placed.supplier_uscc, month),
    )


def exclusive(
    site_id: str,
    placed: Purchase,
    supplier_orders: Iterable[Purchase],
    listing_names: Mapping[str, str],
    rules: AlertRules,
    now: datetime,
) -> list[Alert]:
    """Each listing of the placed order bought only by this buyer, often enough to look made for it."""
    start = window_start(now, rules.exclusive_window_days)
    live = [p for p in supplier_orders if not p.ended and p.at >= start]
    found = []
    for listing_id in placed.listing_ids:
        bought = [p for p in live if listing_id in p.listing_ids]
        buyers = {p.buyer_uscc for p in bought}
        if len(bought) < rules.exclusive_min_orders or buyers != {placed.buyer_uscc}:
            continue
        name = listing_names.get(listing_id, listing_id)
        explanation = (
            f"商品“{name}”（{placed.supplier_name}）近 {rules.exclusive_window_days} 日成交 {len(bought)} 笔，"
            f"全部来自{placed.buyer_name}，无其他采购人购买，疑似特供专供"
        )
        found.append(
            make_alert(
                site_id,
                AlertKind.EXCLUSIVE,
                listing_id,
                f"{name}（{placed.supplier_name}）",
                explanation,
                tuple(_order_row(p) for p in sorted(bought, key=lambda p: p.at)),
                {"orders": len(bought), "total_fen": sum(p.total_fen for p in bought)},
                now,
                key=(listing_id, placed.buyer_uscc),
            )
        )
    return found


def circle(
    site_id: str,
    closed: Meeting,
    meetings: Iterable[Meeting],
    rules: AlertRules,
    level2_names: Mapping[str, str],
    now: datetime,
) -> Alert | None:
    """Suppliers of the closed bidding that met again and again in the same 二级品目, the wins rotating among them."""
    start = window_start(now, rules.circle_window_days)
    mine = {u for u, _ in closed.participants}
    together = [
        m
        for m in meetings
        if m.level2_code == closed.level2_code and m.at >= start and len(mine & {u for u, _ in m.participants}) >= 2
    ]
    seen = Counter(u for m in together for u, _ in m.participants if u in mine)
    ring = {u for u, n in seen.items() if n >= rules.circle_min_meetings}
    met = [m for m in together if len(ring & {u for u, _ in m.participants}) >= 2]
    winners = {m.winner for m in met}
    if len(ring) < 2 or len(met) < rules.circle_min_meetings or not winners <= ring or len(winners) < 2:
        return None
    names = dict(p for m in met for p in m.participants)
    who = "、".join(names[u] for u in sorted(ring))
    category = level2_names.get(closed.level2_code, closed.level2_code)
    explanation = (
        f"{who}近 {rules.circle_window_days} 日在“{category}”竞价中相遇 {len(met)} 次，"
        f"由其中 {len(winners)} 家轮流中标，疑似围标陪标"
    )
    evidence = tuple(
        {
            "competition_id": m.competition_id,
            "at": m.at,
            "title": m.title,
            "winner": names.get(m.winner, m.winner),
            "participants": [n for _, n in m.participants],
        }
        for m in sorted(met, key=lambda m: m.at)
    )
    return make_alert(
        site_id,
        AlertKind.CIRCLE,
        ",".join(sorted(ring)),
        who,
        explanation,
        evidence,
        {"meetings": len(met), "suppliers": len(ring), "winners": len(winners)},
        now,
        key=(closed.level2_code, *sorted(ring)),
    )


def make_alert(
    site_id: str,
    kind: AlertKind,
    subject: str,
    subject_name: str,
    explanation: str,
    evidence: tuple[dict[str, Any], ...],
    figures: Mapping[str, int],
    now: datetime,
    key: Sequence[str],
) -> Alert:
    return Alert(
        id=_id(site_id, kind.value, *key),
        site_id=site_id,
        kind=kind,
        subject=subject,
        subject_name=subject_name,
        explanation=explanation,
        evidence=evidence,
        figures=dict(figures),
        status=AlertStatus.OPEN,
        raised_at=to_iso(now),
        updated_at=to_iso(now),
        handled_by="",
        handling="",
        version=1,
    )


def raise_alert(store: AlertStore, alert: Alert, now: datetime) -> bool:
    summary = f"{alert.kind.label}预警：{alert.explanation}"
    audit = new_event(
        tenant=alert.site_id,
        entity_type=ENTITY_ALERT,
        entity_id=alert.id,
        action="alert.raised",
        summary=summary,
        actor=SYSTEM_ACTOR,
        at=now,
        after={"status": alert.status.value, "figures": dict(alert.figures)},
    )
    return store.raise_or_grow(alert, audit)


# ---------------------------------------------------------------- handling

HANDLERS = frozenset({Role.CENTER_ADMIN, Role.FINANCE, Role.PROVINCE_ADMIN})
_MOVES = {
    "acknowledge": ({AlertStatus.OPEN}, AlertStatus.ACKNOWLEDGED, "确认预警，跟踪核查"),
    "dismiss": ({AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED}, AlertStatus.DISMISSED, "排除预警"),
    "finding": ({AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED}, AlertStatus.FINDING, "预警立案"),
}


def handle(store: AlertStore, alert: Alert | None, actor: Principal, action: str, note: str, now: datetime) -> Alert:
    """acknowledge (a note optional) · dismiss (the reason required) · finding (the conclusion required)."""
    if alert is None:
        raise NotFound("预警不存在", code="ALERT_NOT_FOUND")
    if actor.role not in HANDLERS:
        raise Forbidden("只有采购中心、财政局或省级管理员可以处理预警", code="FORBIDDEN_ROLE")
    if action not in _MOVES:
        raise InvalidInput("处理方式无效", code="VALIDATION_FAILED", details=[{"field": "action", "message": "无效"}])
    froms, to, verb = _MOVES[action]
    if alert.status not in froms:
        raise Conflict(f"该预警{alert.status.label}，不能{verb}", code="ALERT_STATUS_CONFLICT")
    if action != "acknowledge" and len(note.strip()) < 4:
        what = "排除理由" if action == "dismiss" else "认定的问题与依据"
        raise InvalidInput(
            f"请填写{what}（至少 4 个字）", code="REASON_REQUIRED", details=[{"field": "reason", "message": "必填"}]
        )
    updated = alert._replace(
        status=to,
        handled_by=f"{actor.role.label} {actor.display_name}",
        handling=note.strip(),
        updated_at=to_iso(now),
        version=alert.version + 1,
    )
    audit = new_event(
        tenant=alert.site_id,
        entity_type=ENTITY_ALERT,
        entity_id=alert.id,
        action=f"alert.{action}",
        summary=f"{verb}（{alert.kind.label}：{alert.subject_name}）" + (f"：{note.strip()}" if note.strip() else ""),
        actor=actor.as_actor(),
        at=now,
        before={"status": alert.status.value},
        after={"status": to.value, "handling": updated.handling},
    )
    store.save(updated, alert.version, audit)
    return updated


def actions_for(alert: Alert, viewer: Principal) -> list[str]:
    if viewer.role not in HANDLERS:
        return []
    return [a for a, (froms, _, _) in _MOVES.items() if alert.status in froms]


def view(alert: Alert, viewer: Principal) -> dict[str, Any]:
    return alert_to_dict(alert) | {
        "kind_label": alert.kind.label,
        "status_label": alert.status.label,
        "actions": actions_for(alert, viewer),
    }


# ---------------------------------------------------------------- (de)serialisation


def alert_to_dict(a: Alert) -> dict[str, Any]:
    return a._asdict() | {
        "kind": a.kind.value,
        "status": a.status.value,
        "evidence": list(a.evidence),
        "figures": dict(a.figures),
    }


def alert_from_dict(raw: Mapping[str, Any]) -> Alert:
    plain = (
        "id",
        "site_id",
        "subject",
        "subject_name",
        "explanation",
        "raised_at",
        "updated_at",
        "handled_by",
        "handling",
    )
    return Alert(
        **{k: str(raw[k]) for k in plain},
        kind=AlertKind(raw["kind"]),
        evidence=tuple(raw["evidence"]),
        figures={k: int(v) for k, v in raw["figures"].items()},
        status=AlertStatus(raw["status"]),
        version=int(raw["version"]),
    )


def rules_from_dict(raw: Mapping[str, Any]) -> AlertRules:
    return AlertRules(**{k: int(raw[k]) for k in AlertRules._fields if k in raw})


def purchase_of(order: Any) -> Purchase:
    """An order (domain.orders.Order) as the detection reads it."""
    from chalicelib.domain.orders import OrderStatus

    ended = order.status in (OrderStatus.DECLINED, OrderStatus.CANCELLED, OrderStatus.TERMINATED)
    return Purchase(
        order.order_no,
        order.created_at,
        order.buyer_uscc,
        order.buyer_name,
        order.supplier_uscc,
        order.supplier_name,
        order.level2_code,
        order.total_fen,
        tuple(line.listing_id for line in order.lines if line.listing_id),
        ended,
    )


def meeting_of(c: Any) -> Meeting | None:
    """A closed competition (domain.competitions.Competition) with a ranking: who met, who won."""
    if not c.ranking:
        return None
    confirmed = next((o.supplier_uscc for o in c.offers if o.outcome == "confirmed"), "")
    return Meeting(
        c.id,
        c.end_at or c.updated_at,
        c.title,
        c.item.catalog_code[:5] + "0000",
        tuple((r.supplier_uscc, r.supplier_name) for r in c.ranking),
        confirmed or c.ranking[0].supplier_uscc,
    )


def is_recent(iso: str, now: datetime, days: int) -> bool:
    return parse_iso(iso) >= now - timedelta(days=days)
