"""The centre's one queue (待办): everything waiting for the site's operator, each with its deadline.

Seed 000 §(五)三: "对实质性响应审查和终止项目申请进行审核把关" — the reviews of 定制类 biddings' substantive
responses and of orders' termination requests sit in the same queue as the supervision work: corrected findings to
check, complaints to decide, credit measures whose statement period is over, open alerts and unanswered questions.
Rows are sorted by deadline, overdue first; each links to the page where it is handled.

Deadlines the mall's rules do not fix are assumptions [A], stated here: a termination request is reviewed within
`REVIEW_WORKING_DAYS` working days of the request, a responsiveness check within the same after it was submitted.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, NamedTuple

from chalicelib.domain.clock import parse_iso, to_iso
from chalicelib.domain.workdays import WorkCalendar, after_working_days

REVIEW_WORKING_DAYS = 5


class QueueItem(NamedTuple):
    kind: str
    kind_label: str
    title: str
    detail: str
    due_at: str  # UTC ISO; "" when nothing fixes one
    link: str

    def view(self, now: datetime) -> dict[str, Any]:
        overdue = bool(self.due_at) and parse_iso(self.due_at) < now
        return self._asdict() | {"overdue": overdue}


def _due(calendar: WorkCalendar, since: str) -> str:
    return to_iso(after_working_days(calendar, parse_iso(since), REVIEW_WORKING_DAYS).ends_at) if since else ""


def terminations(calendar: WorkCalendar, orders: Iterable[dict[str, Any]]) -> list[QueueItem]:
    """Order documents (as stored) whose buyer asked to terminate."""
    return [
        QueueItem(
            "termination",
            "终止申请审核",
            f"订单 {o['order_no']}（{o.get('supplier_name', '')}）",
            f"{o.get('buyer_name', '')}：{o['termination'].get('reason', '')}",
            _due(calendar, o["termination"].get("requested_at", "")),
            f"/orders/{o['order_no']}",
        )
        for o in orders
        if o.get("termination", {}).get("status") == "requested"
    ]


def responsiveness_reviews(calendar: WorkCalendar, competitions: Iterable[Any]) -> list[QueueItem]:
    """定制类 biddings whose buyer submitted the substantive-response check (实质性响应审查) for the centre's review."""
    return [
        QueueItem(
            "responsiveness",
            "实质性响应审查复核",
            c.title,
            f"{c.buyer_name}提交的符合性审查结果",
            _due(calendar, c.updated_at),
            f"/competitions/{c.id}",
        )
        for c in competitions
        if c.status.value == "reviewing"
    ]


def findings(found: Iterable[Any]) -> list[QueueItem]:
    items = []
    for f in found:
        if f.status.value == "corrected":
            items.append(
                QueueItem(
                    "finding",
                    "整改复核",
                    f.listing_name,
                    f"{f.supplier_name}已提交整改：{f.correction.text if f.correction else ''}",
                    "",
                    f"/inspections/{f.campaign_id}",
                )
            )
        elif f.status.value == "notified":
            items.append(
                QueueItem(
                    "finding_wait",
                    "待供应商整改",
                    f.listing_name,
                    f"{f.supplier_name}整改期限内",
                    f.correct_by,
                    f"/inspections/{f.campaign_id}",
                )
            )
    return items


def complaints(found: Iterable[Any], now: datetime) -> list[QueueItem]:
    items = []
    for c in found:
        if c.status.value == "awaiting_decision" or (c.status.value == "filed" and parse_iso(c.answer_by) < now):
            items.append(
                QueueItem(
                    "complaint",
                    f"{c.kind.label}处理",
                    c.subject_title,
                    f"{c.complainant.name}：{c.ground.label}",
                    c.decide_by,
                    f"/complaints?id={c.id}",
                )
            )
        elif c.status.value == "filed":
            items.append(
                QueueItem(
                    "complaint_wait",
                    "待被投诉方答复",
                    c.subject_title,
                    f"{c.respondent.name}答复期限内",
                    c.answer_by,
                    f"/complaints?id={c.id}",
                )
            )
    return items


def credit_entries(found: Iterable[Any], now: datetime) -> list[QueueItem]:
    return [
        QueueItem(
            "credit",
            "信用处理决定",
            e.supplier_name,
            f"{e.rule.title}（{'已申辩' if e.statement else '申辩期满'}）",
            "",
            "/credit",
        )
        for e in found
        if e.status.value == "proposed" and (e.statement is not None or parse_iso(e.statement_until) < now)
    ]


def alerts(found: Iterable[Any]) -> list[QueueItem]:
    return [QueueItem("alert", f"{a.kind.label}预警", a.subject_name, a.explanation, "", "/alerts") for a in found]


def tickets(found: Iterable[Any]) -> list[QueueItem]:
    return [
        QueueItem(
            "ticket",
            "咨询待答复",
            t.question[:40],
            f"{t.asker_name}（{t.category.label}）",
            t.target_at,
            "/service-desk",
        )
        for t in found
        if t.status.value == "open"
    ]


def ordered(items: Iterable[QueueItem], now: datetime) -> list[dict[str, Any]]:
    """Overdue first, then by deadline, then those without one."""
    rows = [i.view(now) for i in items]
    return sorted(rows, key=lambda r: (not r["overdue"], r["due_at"] == "", r["due_at"]))
