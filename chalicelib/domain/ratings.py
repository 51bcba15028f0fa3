"""好差评: after acceptance the buyer rates the supplier and the mall, the supplier rates the buyer.

Each rating is given once per order and direction. A poor rating (1–2 stars)
opens a follow-up (回访) for the site's operator; a good rating is 4–5 stars,
and a site's good-rating rate (好评率) is good ratings over all ratings.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, NamedTuple, Protocol

from chalicelib.domain.audit import AuditEvent, new_event
from chalicelib.domain.clock import to_iso
from chalicelib.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from chalicelib.domain.orders import ENTITY_ORDER, Order, OrderStatus
from chalicelib.domain.principals import Principal, Role

GOOD_STARS = 4
POOR_STARS = 2
MIN_POOR_COMMENT = 5  # a 1–2 star rating says what went wrong


class RatingTarget(StrEnum):
    SUPPLIER = "supplier"  # the buyer rates the supplier
    MALL = "mall"  # the buyer rates the mall's service
    BUYER = "buyer"  # the supplier rates the buyer

    @property
    def label(self) -> str:
        return {
            RatingTarget.SUPPLIER: "采购人评价供应商",
            RatingTarget.MALL: "采购人评价商城",
            RatingTarget.BUYER: "供应商评价采购人",
        }[self]

    @property
    def rater(self) -> Role:
        return Role.SUPPLIER if self is RatingTarget.BUYER else Role.BUYER


class Rating(NamedTuple):
    site_id: str
    order_no: str
    target: RatingTarget
    subject: str  # the rated party: a supplier's or buyer unit's code, or the site for the mall
    stars: int
    comment: str
    rated_by: dict[str, str]
    at: str

    @property
    def is_good(self) -> bool:
        return self.stars >= GOOD_STARS

    @property
    def needs_follow_up(self) -> bool:
        return self.stars <= POOR_STARS


class Followup(NamedTuple):
    site_id: str
    order_no: str
    target: RatingTarget
    stars: int
    comment: str
    opened_at: str
    status: str  # open / closed
    buyer_name: str = ""
    supplier_name: str = ""
    note: str = ""
    closed_by: str = ""
    closed_at: str = ""
    # The call's outcome: reached or not, and (reached) how satisfied the buyer is with how it was handled;
    # 回访满意率 = (满意 + 基本满意) ÷ reached, computed by the statistics, never typed.
    reached: bool | None = None
    satisfaction: str = ""


class RatingStore(Protocol):
    def add(self, rating: Rating, audit: AuditEvent, followup: Followup | None) -> None:
        """Raise Conflict(ALREADY_RATED) when this order was already rated in this direction."""

    def get_followup(self, site_id: str, order_no: str, target: RatingTarget) -> Followup | None: ...

    def close_followup(self, followup: Followup, audit: AuditEvent) -> None: ...


def rate(
    store: RatingStore,
    principal: Principal,
    order: Order,
    target: RatingTarget,
    stars: int,
    comment: str,
    now: datetime,
) -> Rating:
    if not 1 <= stars <= 5:
        raise InvalidInput(
            "评分须为 1 至 5 星", code="VALIDATION_FAILED", details=[{"field": "stars", "message": "1 至 5"}]
        )
    if stars <= POOR_STARS and len(comment.strip()) < MIN_POOR_COMMENT:
        # A poor rating is followed up by the centre: it must say what went wrong.
        raise InvalidInput(
            f"{stars} 星评价须填写评语（至少 {MIN_POOR_COMMENT} 个字），说明存在的问题",
            code="COMMENT_REQUIRED",
            details=[{"field": "comment", "message": f"{stars} 星评价须说明原因"}],
        )
    party = order.buyer_uscc if target.rater is Role.BUYER else order.supplier_uscc
    if principal.role is not target.rater or principal.org_id != party:
        raise Forbidden(
            f"只有订单的{'采购人' if target.rater is Role.BUYER else '供应商'}可以进行“{target.label}”",
            code="NOT_ORDER_PARTY",
        )
    if order.is_imported:
        raise Conflict("历史导入的订单不能评价", code="ORDER_IMPORTED")
    if order.status not in (OrderStatus.ACCEPTED, OrderStatus.SETTLED):
        raise Conflict(f"订单验收后才能评价（当前：{order.status.label}）", code="ORDER_NOT_ACCEPTED")
    subject = {RatingTarget.SUPPLIER: order.supplier_uscc, RatingTarget.BUYER: order.buyer_uscc}.get(
        target, order.site_id
    )
    rating = Rating(
        order.site_id, order.order_no, target, subject, stars, comment.strip(), principal.as_actor(), to_iso(now)
    )
    followup = None
    if rating.needs_follow_up:
        followup = Followup(
            order.site_id,
            order.order_no,
            target,
            stars,
            rating.comment,
            rating.at,
            "open",
            order.buyer_name,
            order.supplier_name,
        )
    audit = new_event(
        tenant=order.site_id,
        entity_type=ENTITY_ORDER,
        entity_id=order.order_no,
        action=f"order.rated.{target.value}",
        summary=f"{target.label}：{stars} 星" + (f"，{rating.comment}" if rating.comment else ""),
        actor=principal.as_actor(),
        at=now,
        after={"target": target.value, "stars": stars, "comment": rating.comment},
    )
    store.add(rating, audit, followup)
    return rating


SATISFACTION_LABELS = {"satisfied": "满意", "basically": "基本满意", "dissatisfied": "不满意"}
SATISFIED = frozenset({"satisfied", "basically"})


def close_followup(
    store: RatingStore,
    operator: Principal,
    site_id: str,
    order_no: str,
    target: RatingTarget,
    note: str,
    now: datetime,
    reached: bool = True,
    satisfaction: str = "",
) -> Followup:
    """The call is made: reached (with the buyer's satisfaction) or not reached after trying (with the note)."""
    followup = store.get_followup(site_id, order_no, target)
    if followup is None:
        raise NotFound("回访记录不存在", code="FOLLOWUP_NOT_FOUND")
    if followup.status != "open":
        raise Conflict("该差评已回访", code="FOLLOWUP_CLOSED")
    if not note.strip():
        raise InvalidInput("请填写回访情况", code="REASON_REQUIRED", details=[{"field": "note", "message": "必填"}])
    if reached and satisfaction not in SATISFACTION_LABELS:
        raise InvalidInput(
            "接通的回访须记录采购人的满意度",
            code="VALIDATION_FAILED",
            details=[{"field": "satisfaction", "message": "请选择满意、基本满意或不满意"}],
        )
    closed = followup._replace(
        status="closed",
        note=note.strip(),
        closed_by=operator.display_name,
        closed_at=to_iso(now),
        reached=reached,
        satisfaction=satisfaction if reached else "",
    )
    audit = new_event(
        tenant=site_id,
        entity_type=ENTITY_ORDER,
        entity_id=order_no,
        action="order.followup_closed",
        summary=f"差评回访（{_outcome(closed)}）：{closed.note}",
        actor=operator.as_actor(),
        at=now,
        before={"status": "open"},
        after={"status": "closed", "note": closed.note, "reached": reached, "satisfaction": closed.satisfaction},
    )
    store.close_followup(closed, audit)
    return closed


def _outcome(f: Followup) -> str:
    return f"已接通，{SATISFACTION_LABELS[f.satisfaction]}" if f.reached else "未接通"


def summary(counts: dict[str, int]) -> dict[str, Any]:
    """{target: {total, good, rate}} from the site's counters ({target}_total, {target}_good)."""
    found = {}
    for target in RatingTarget:
        total, good = counts.get(f"{target.value}_total", 0), counts.get(f"{target.value}_good", 0)
        found[target.value] = {
            "label": target.label,
            "total": total,
            "good": good,
            "rate": round(good / total, 4) if total else None,
        }
    return found


def rating_to_dict(rating: Rating) -> dict[str, Any]:
    return {**rating._asdict(), "target": rating.target.value, "target_label": rating.target.label}


def followup_to_dict(followup: Followup) -> dict[str, Any]:
    return {
        **followup._asdict(),
        "target": followup.target.value,
        "target_label": followup.target.label,
        "satisfaction_label": SATISFACTION_LABELS.get(followup.satisfaction, ""),
    }


def followup_from_dict(raw: dict[str, Any]) -> Followup:
    fields = {k: raw[k] for k in Followup._fields if k in raw}
    return Followup(**{**fields, "target": RatingTarget(raw["target"])})
