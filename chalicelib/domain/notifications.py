"""站内信: what a party must act on or should know, derived from a committed change, never from the request.

A notice goes to a unit (a buyer's 统一社会信用代码, or a supplier's), so that every account of that unit sees
it: a buyer unit's several 经办人, a supplier's staff. Each notice has an id made from what caused it (the
entity, its version and the kind of notice), so that a replayed stream record or a repeated sweep adds nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, NamedTuple, Protocol

from chalicelib.domain.clock import CHINA_TZ, parse_iso, to_iso
from chalicelib.domain.competitions import Competition
from chalicelib.domain.competitions import Status as CompetitionStatus
from chalicelib.domain.complaints import Complaint
from chalicelib.domain.credit import CreditEntry, describe
from chalicelib.domain.credit import EntryStatus as CreditEntryStatus
from chalicelib.domain.inspections import Finding, FindingStatus
from chalicelib.domain.listings import Listing, ListingStatus
from chalicelib.domain.money import format_yuan
from chalicelib.domain.orders import Order, OrderStatus, TerminationStatus
from chalicelib.domain.plans import Plan, PlanSource, PlanStatus
from chalicelib.domain.principals import PROVINCE_SCOPE
from chalicelib.domain.suppliers import Supplier, SupplierStatus

REMIND_BEFORE = timedelta(hours=24)


class NoticeKind(StrEnum):
    PLAN_PUSHED = "plan_pushed"
    ORDER_PLACED = "order_placed"
    ORDER_CONFIRMED = "order_confirmed"
    ORDER_DECLINED = "order_declined"
    ORDER_SHIPPED = "order_shipped"
    ORDER_ACCEPTED = "order_accepted"
    ORDER_CANCELLED = "order_cancelled"
    TERMINATION_REQUESTED = "termination_requested"
    ORDER_TERMINATED = "order_terminated"
    LISTING_APPROVED = "listing_approved"
    LISTING_REJECTED = "listing_rejected"
    LISTING_DELISTED = "listing_delisted"
    INVITED = "invited"
    DEADLINE_SOON = "deadline_soon"
    AWARD_OFFERED = "award_offered"
    AWARDED = "awarded"
    COMPETITION_FAILED = "competition_failed"
    SUPPLIER_APPROVED = "supplier_approved"
    SUPPLIER_REJECTED = "supplier_rejected"
    CHANGE_APPROVED = "change_approved"
    CHANGE_REJECTED = "change_rejected"
    FINDING_NOTIFIED = "finding_notified"
    FINDING_REVIEWED = "finding_reviewed"
    CREDIT_PROPOSED = "credit_proposed"
    CREDIT_DECIDED = "credit_decided"
    COMPLAINT_FILED = "complaint_filed"
    COMPLAINT_DECIDED = "complaint_decided"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS: dict[NoticeKind, str] = {
    NoticeKind.PLAN_PUSHED: "计划待接收",
    NoticeKind.ORDER_PLACED: "新订单",
    NoticeKind.ORDER_CONFIRMED: "订单已确认",
    NoticeKind.ORDER_DECLINED: "订单被拒",
    NoticeKind.ORDER_SHIPPED: "订单已发货",
    NoticeKind.ORDER_ACCEPTED: "订单已验收",
    NoticeKind.ORDER_CANCELLED: "订单已撤销",
    NoticeKind.TERMINATION_REQUESTED: "终止申请",
    NoticeKind.ORDER_TERMINATED: "订单已终止",
    NoticeKind.LISTING_APPROVED: "商品审核通过",
    NoticeKind.LISTING_REJECTED: "商品被驳回",
    NoticeKind.LISTING_DELISTED: "商品被下架",
    NoticeKind.INVITED: "报价邀请",
    NoticeKind.DEADLINE_SOON: "截止提醒",
    NoticeKind.AWARD_OFFERED: "成交通知",
    NoticeKind.AWARDED: "已成交",
    NoticeKind.COMPETITION_FAILED: "项目流标",
    NoticeKind.SUPPLIER_APPROVED: "入驻审核通过",
    NoticeKind.SUPPLIER_REJECTED: "入驻被驳回",
    NoticeKind.CHANGE_APPROVED: "资料变更通过",
    NoticeKind.CHANGE_REJECTED: "资料变更被驳回",
    NoticeKind.FINDING_NOTIFIED: "整改通知",
    NoticeKind.FINDING_REVIEWED: "整改复核结果",
    NoticeKind.CREDIT_PROPOSED: "信用处理告知",
    NoticeKind.CREDIT_DECIDED: "信用处理决定",
    NoticeKind.COMPLAINT_FILED: "投诉待答复",
    NoticeKind.COMPLAINT_DECIDED: "投诉处理结果",
}


class Notice(NamedTuple):
    id: str
    recipient: str  # a unit's 统一社会信用代码
    site_id: str
    kind: NoticeKind
    title: str
    body: str
    link: str  # a path of the web client, e.g. /orders/YC…
    at: str
    read_at: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "recipient": self.recipient,
            "site_id": self.site_id,
            "kind": self.kind.value,
            "kind_label": self.kind.label,
            "title": self.title,
            "body": self.body,
            "link": self.link,
            "at": self.at,
            "read_at": self.read_at,
            "read": bool(self.read_at),
        }


def notice_from_dict(raw: dict[str, Any]) -> Notice:
    return Notice(
        id=str(raw["id"]),
        recipient=str(raw["recipient"]),
        site_id=str(raw["site_id"]),
        kind=NoticeKind(raw["kind"]),
        title=str(raw["title"]),
        body=str(raw["body"]),
        link=str(raw["link"]),
        at=str(raw["at"]),
        read_at=str(raw.get("read_at") or ""),
    )


class Inbox(Protocol):
    def deliver(self, notices: Iterable[Notice]) -> int:
        """Store each notice once (an id already stored is skipped); returns how many were new."""


class Channel(Protocol):
    """Delivery outside the mall (SMS, e-mail): best effort, after the notice is stored."""

    def send(self, notice: Notice) -> None: ...


def _id(*parts: object) -> str:
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:24]


def _notice(
    cause: str, recipient: str, site_id: str, kind: NoticeKind, title: str, body: str, link: str, at: str
) -> Notice:
    return Notice(_id(cause, recipient, kind.value), recipient, site_id, kind, title, body, link, at)


# ---------------------------------------------------------------- from changes


def for_plan(old: Plan | None, new: Plan) -> list[Notice]:
    if old is not None or new.source is not PlanSource.PUSHED or new.status is not PlanStatus.PENDING_ACCEPTANCE:
        return []
    return [
        _notice(
            f"plan:{new.site_id}:{new.plan_no}",
            new.buyer_uscc,
            new.site_id,
            NoticeKind.PLAN_PUSHED,
            f"采购计划待接收：{new.name}",
            f"备案平台推送了采购计划 {new.plan_no}（{format_yuan(new.budget_fen)} 元），请核对后接收或退回。",
            f"/plans?plan={new.plan_no}",
            new.created_at,
        )
    ]


def for_order(old: Order | None, new: Order) -> list[Notice]:
    """The party who must act next, or who should know, on each move of an order."""
    if new.is_imported:
        return []
    link = f"/orders/{new.order_no}"
    money = f"{format_yuan(new.total_fen)} 元"
    at = new.updated_at
    cause = f"order:{new.site_id}:{new.order_no}:{new.version}"

    def to(recipient: str, kind: NoticeKind, title: str, body: str) -> Notice:
        return _notice(cause, recipient, new.site_id, kind, title, body, link, at)

    if old is None:
        return [
            to(
                new.supplier_uscc,
                NoticeKind.ORDER_PLACED,
                f"新订单待确认：{new.order_no}",
                f"{new.buyer_name}下单 {money}，请及时确认或拒单。",
            )
        ]
    found: list[Notice] = []
    if new.status is not old.status:
        moves = {
            OrderStatus.CONFIRMED: (new.buyer_uscc, NoticeKind.ORDER_CONFIRMED, "已确认订单，备货发货中"),
            OrderStatus.DECLINED: (new.buyer_uscc, NoticeKind.ORDER_DECLINED, f"拒绝了订单：{new.status_reason}"),
            OrderStatus.SHIPPED: (new.buyer_uscc, NoticeKind.ORDER_SHIPPED, "已发货，收货后请验收"),
            OrderStatus.ACCEPTED: (new.supplier_uscc, NoticeKind.ORDER_ACCEPTED, "采购人已验收"),
            OrderStatus.CANCELLED: (new.supplier_uscc, NoticeKind.ORDER_CANCELLED, "采购人撤销了订单"),
        }
        move = moves.get(new.status)
        if move is not None:
            recipient, kind, what = move
            party = new.supplier_name if recipient == new.buyer_uscc else new.buyer_name
            found.append(to(recipient, kind, f"{kind.label}：{new.order_no}", f"{party}{what}（{money}）。"))
        if new.status is OrderStatus.TERMINATED:
            for recipient in (new.buyer_uscc, new.supplier_uscc):
                found.append(
                    to(
                        recipient,
                        NoticeKind.ORDER_TERMINATED,
                        f"订单已终止：{new.order_no}",
                        f"采购中心已批准终止订单（{money}）。",
                    )
                )
    requested = new.termination.status is TerminationStatus.REQUESTED
    if requested and old.termination.status is not TerminationStatus.REQUESTED:  # only the buyer asks
        found.append(
            to(
                new.supplier_uscc,
                NoticeKind.TERMINATION_REQUESTED,
                f"终止申请：{new.order_no}",
                f"{new.buyer_name}申请终止订单：{new.termination.reason}（待采购中心审核）。",
            )
        )
    return found


def for_listing(old: Listing | None, new: Listing) -> list[Notice]:
    if old is None or old.status is new.status:
        return []
    cause = f"listing:{new.site_id}:{new.id}:{new.version}"
    link = "/my-listings"
    name = new.draft.name
    if new.status is ListingStatus.ACTIVE and old.status is ListingStatus.PENDING:
        kind, body = NoticeKind.LISTING_APPROVED, f"商品「{name}」已审核通过并上架。"
    elif new.status is ListingStatus.REJECTED:
        kind, body = NoticeKind.LISTING_REJECTED, f"商品「{name}」未通过审核：{new.status_reason}。修改后可重新提交。"
    elif new.status is ListingStatus.DELISTED:
        kind, body = NoticeKind.LISTING_DELISTED, f"商品「{name}」被采购中心下架：{new.status_reason}。"
    else:
        return []
    return [_notice(cause, new.supplier.uscc, new.site_id, kind, f"{kind.label}：{name}", body, link, new.updated_at)]


def for_supplier(old: Supplier | None, new: Supplier) -> list[Notice]:
    """A supplier hears how its registration and its changes were decided (province-wide: no site)."""
    if old is None:
        return []
    cause = f"supplier:{new.uscc}:{new.version}"
    link = "/supplier-profile"
    if old.status is SupplierStatus.PENDING and new.status is SupplierStatus.ACTIVE:
        kind, body = NoticeKind.SUPPLIER_APPROVED, "入驻申请已审核通过，可在全省各市站点发布商品。"
    elif old.status is SupplierStatus.PENDING and new.status is SupplierStatus.REJECTED:
        kind, body = NoticeKind.SUPPLIER_REJECTED, f"入驻申请未通过：{new.status_reason}。修改后可重新提交。"
    elif old.pending_change is not None and new.pending_change is None:
        approved = new.profile == old.pending_change.profile or old.pending_change.profile is None
        kept = {d.doc_id for d in new.documents}
        approved = approved and all(d in kept for d in old.pending_change.documents)
        if approved:
            kind, body = NoticeKind.CHANGE_APPROVED, "企业资料变更已审核通过，商城已使用新资料。"
        else:
            kind, body = NoticeKind.CHANGE_REJECTED, "企业资料变更未通过审核，原资料继续有效；可修改后重新提交。"
    else:
        return []
    return [_notice(cause, new.uscc, PROVINCE_SCOPE, kind, kind.label, body, link, new.updated_at)]


def for_finding(old: Finding | None, new: Finding) -> list[Notice]:
    """The supplier hears of a finding (and of a new period when its correction was sent back) and how it ended."""
    if old is not None and old.status is new.status:
        return []
    cause = f"finding:{new.campaign_id}:{new.id}:{new.version}"
    link = "/my-findings"
    last_day = (parse_iso(new.correct_by) - timedelta(seconds=1)).astimezone(CHINA_TZ).date().isoformat()
    if new.status is FindingStatus.NOTIFIED:
        what = "; ".join(p.message for p in new.problems[:1])
        again = f"整改未通过（{new.outcome}），" if old is not None else ""
        kind = NoticeKind.FINDING_NOTIFIED
        body = (
            f"巡检发现商品「{new.listing_name}」{what}。{again}"
            f"请于 {last_day} 前整改并提交整改说明，逾期未整改的商品将被下架。"
        )
    elif new.status in (FindingStatus.CLOSED, FindingStatus.DELISTED) and old is not None:
        kind, body = NoticeKind.FINDING_REVIEWED, f"商品「{new.listing_name}」巡检问题：{new.outcome}。"
    else:
        return []
    return [
        _notice(
            cause, new.supplier_uscc, new.site_id, kind, f"{kind.label}：{new.listing_name}", body, link, new.updated_at
        )
    ]


def for_credit(old: CreditEntry | None, new: CreditEntry) -> list[Notice]:
    """The supplier is told of a proposed measure (with its statement period) and of the decision."""
    if old is not None and old.status is new.status:
        return []
    cause = f"credit:{new.supplier_uscc}:{new.id}:{new.version}"
    link = "/my-findings?tab=credit"
    what = f"{describe(new)}（依据 {new.rule.code}“{new.rule.title}”）"
    if new.status is CreditEntryStatus.PROPOSED:
        until = _china_minute(new.statement_until)[:10]
        kind, body = NoticeKind.CREDIT_PROPOSED, f"拟对贵单位给予{what}。如有异议，请于 {until} 前提交申辩。"
    else:
        verdict = "决定给予" if new.status is CreditEntryStatus.UPHELD else "撤销了拟给予的"
        reason = new.decision.reason if new.decision else ""
        kind, body = NoticeKind.CREDIT_DECIDED, f"{verdict}{what}：{reason}。"
    site = new.site_id
    return [_notice(cause, new.supplier_uscc, site, kind, kind.label, body, link, new.updated_at)]


def for_complaint(old: Complaint | None, new: Complaint) -> list[Notice]:
    """The respondent must answer a new claim; both parties hear the decision."""
    cause = f"complaint:{new.site_id}:{new.id}:{new.version}"
    link = f"/complaints?id={new.id}"
    if old is None:
        until = (parse_iso(new.answer_by) - timedelta(seconds=1)).astimezone(CHINA_TZ).date().isoformat()
        what = f"{new.kind.label}（{new.ground.label}）"
        body = f"{new.complainant.name}就{new.subject_title}提出{what}，请于 {until} 前答复。"
        return [
            _notice(
                cause,
                new.respondent.uscc,
                new.site_id,
                NoticeKind.COMPLAINT_FILED,
                f"{new.kind.label}待答复",
                body,
                link,
                new.updated_at,
            )
        ]
    if old.status is new.status or new.upheld is None or new.decision is None:
        return []
    verdict = "成立" if new.upheld else "不成立"
    body = f"{new.kind.label}（{new.subject_title}）经采购中心处理，认定{verdict}：{new.decision.text}"
    return [
        _notice(
            cause,
            party,
            new.site_id,
            NoticeKind.COMPLAINT_DECIDED,
            f"{new.kind.label}处理结果",
            body,
            link,
            new.updated_at,
        )
        for party in (new.complainant.uscc, new.respondent.uscc)
    ]


def for_competition(old: Competition | None, new: Competition) -> list[Notice]:
    link = f"/competitions/{new.id}"
    cause = f"competition:{new.site_id}:{new.id}:{new.generation}"
    what = "竞价" if new.kind.value == "bidding" else "反拍"
    found: list[Notice] = []
    was_invited = set(old.invitation.invited) if old is not None and old.generation == new.generation else set()
    if new.status is CompetitionStatus.OPEN:
        deadline = _china_minute(new.end_at)
        for uscc in sorted(set(new.invitation.invited) - was_invited):
            found.append(
                _notice(
                    cause,
                    uscc,
                    new.site_id,
                    NoticeKind.INVITED,
                    f"{what}邀请：{new.title}",
                    f"{new.buyer_name}邀请贵单位参加{what}，截止时间 {deadline}（北京时间）。",
                    link,
                    new.updated_at,
                )
            )
    offered_before = {o.supplier_uscc for o in old.offers} if old is not None else set()
    for offer in new.offers:
        if offer.supplier_uscc not in offered_before and offer.outcome == "pending":
            found.append(
                _notice(
                    f"{cause}:{offer.offered_at}",
                    offer.supplier_uscc,
                    new.site_id,
                    NoticeKind.AWARD_OFFERED,
                    f"成交通知：{new.title}",
                    f"贵单位为{what}项目的成交候选人，请在 {_china_minute(offer.confirm_by)} 前确认成交。",
                    link,
                    offer.offered_at,
                )
            )
    if old is not None and old.status is not new.status:
        if new.status is CompetitionStatus.AWARDED:
            found.append(
                _notice(
                    cause,
                    new.buyer_uscc,
                    new.site_id,
                    NoticeKind.AWARDED,
                    f"{what}已成交：{new.title}",
                    f"项目已成交，订单 {new.order_no} 已生成。" if new.order_no else "项目已成交。",
                    f"/orders/{new.order_no}" if new.order_no else link,
                    new.updated_at,
                )
            )
        elif new.status is CompetitionStatus.FAILED:
            found.append(
                _notice(
                    cause,
                    new.buyer_uscc,
                    new.site_id,
                    NoticeKind.COMPETITION_FAILED,
                    f"{what}流标：{new.title}",
                    f"项目流标：{new.outcome or '响应供应商不足'}。可重新发起。",
                    link,
                    new.updated_at,
                )
            )
    return found


def deadline_reminders(competition: Competition, quoted: set[str], now: datetime) -> list[Notice]:
    """24 hours before a 竞价 closes: every invited supplier that has not quoted yet. (A 反拍 is a live round of
    minutes: its invitation names the time, and no one can bid early.)"""
    if competition.status is not CompetitionStatus.OPEN or not competition.end_at:
        return []
    if competition.kind.value != "bidding":
        return []
    end = parse_iso(competition.end_at)
    if not now < end <= now + REMIND_BEFORE:
        return []
    what = "竞价" if competition.kind.value == "bidding" else "反拍"
    cause = f"deadline:{competition.site_id}:{competition.id}:{competition.generation}"
    return [
        _notice(
            cause,
            uscc,
            competition.site_id,
            NoticeKind.DEADLINE_SOON,
            f"报价即将截止：{competition.title}",
            f"{what}项目将于 {_china_minute(competition.end_at)}（北京时间）截止，贵单位尚未报价。",
            f"/competitions/{competition.id}",
            to_iso(now),
        )
        for uscc in sorted(set(competition.invitation.invited) - quoted)
    ]


def _china_minute(iso: str) -> str:
    try:
        return parse_iso(iso).astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso
