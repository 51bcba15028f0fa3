"""The service desk (咨询服务): questions from buyers and suppliers, the hotline's calls, answers, the month's figures.

Seed 000 §(七): "热线咨询量持续暴增，咨询内容以新版商城入驻申请、商品上架、框架协议采购等为主 … 日均接听坐席电话
40 通，接听率保持在 90% 以上"; §(五): "在聊城市网上商城首页发布商城常见问题知识库". So:
- a buyer or a supplier asks online, by category; the site's centre logs each hotline call (answered, or missed);
- the centre answers within the site's target (`ticket_target_hours`);
- the month's figures are computed from the tickets: received, answered, the answer rate, the answers on time, the
  mean response time, the hotline's calls a day and its answer rate (接听率), by category;
- an answered question can become an entry of the FAQ (常见问题) on the front page, so the knowledge base grows
  from what people really ask.
"""

from __future__ import annotations

import calendar
import re
import uuid
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, NamedTuple, Protocol

from chalicelib.domain.audit import AuditEvent, new_event
from chalicelib.domain.clock import china_date, parse_iso, to_iso
from chalicelib.domain.errors import Conflict, Forbidden, InvalidInput, NotFound, field_problem
from chalicelib.domain.principals import Principal, Role

ENTITY_TICKET = "ticket"
TICKET_ID_PATTERN = re.compile(r"^ZX\d{18}$")
MONTH_PATTERN = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
DEFAULT_TARGET_HOURS = 24


class Category(StrEnum):
    ONBOARDING = "onboarding"
    LISTING = "listing"
    FRAMEWORK = "framework"
    ORDERS = "orders"
    BIDDING = "bidding"
    PLANS = "plans"
    ACCOUNT = "account"
    OTHER = "other"

    @property
    def label(self) -> str:
        return CATEGORY_LABELS[self]


CATEGORY_LABELS: dict[Category, str] = {
    Category.ONBOARDING: "入驻申请",
    Category.LISTING: "商品上架",
    Category.FRAMEWORK: "框架协议采购",
    Category.ORDERS: "订单与履约",
    Category.BIDDING: "竞价与反拍",
    Category.PLANS: "采购计划",
    Category.ACCOUNT: "账号与登录",
    Category.OTHER: "其他",
}


class Channel(StrEnum):
    ONLINE = "online"
    HOTLINE = "hotline"

    @property
    def label(self) -> str:
        return {"online": "在线咨询", "hotline": "热线电话"}[self.value]


class TicketStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"
    MISSED = "missed"  # a hotline call nobody picked up

    @property
    def label(self) -> str:
        return {"open": "待答复", "answered": "已答复", "missed": "未接听"}[self.value]


class Answer(NamedTuple):
    text: str
    by: str
    at: str


class Ticket(NamedTuple):
    id: str
    site_id: str
    channel: Channel
    category: Category
    asker_name: str  # the unit (or the caller) who asked
    asker_role: str  # buyer / supplier / public
    asker_org: str  # the unit's code, "" for a caller the centre logged
    question: str
    status: TicketStatus
    target_at: str  # answered by then is on time
    answer: Answer | None
    faq_id: str  # the FAQ entry it became
    created_at: str
    updated_at: str
    version: int


class NewTicket(NamedTuple):
    category: str
    question: str


class HotlineCall(NamedTuple):
    category: str
    caller: str
    question: str
    answered: bool
    answer: str
    at: str  # when the call came in (UTC ISO); the centre may log it afterwards


class TicketStore(Protocol):
    def get(self, site_id: str, ticket_id: str) -> Ticket | None: ...

    def create(self, ticket: Ticket, audit: AuditEvent) -> None: ...

    def save(self, ticket: Ticket, expected_version: int, audit: AuditEvent) -> None: ...


def _category(code: str) -> Category:
    try:
        return Category(code)
    except ValueError:
        raise InvalidInput(
            "咨询类别无效", code="VALIDATION_FAILED", details=[field_problem("category", "无效")]
        ) from None


def _new_id(now: datetime) -> str:
    return f"ZX{china_date(now):%Y%m%d}{uuid.uuid4().int % 10**10:010d}"


def ask(store: TicketStore, asker: Principal, site_id: str, new: NewTicket, target_hours: int, now: datetime) -> Ticket:
    if asker.role not in (Role.BUYER, Role.SUPPLIER):
        raise Forbidden("在线咨询由采购人和供应商提出", code="FORBIDDEN_ROLE")
    category = _category(new.category)
    if len(new.question.strip()) < 5:
        raise InvalidInput(
            "请把问题说清楚（至少 5 个字）",
            code="VALIDATION_FAILED",
            details=[field_problem("question", "至少 5 个字")],
        )
    ticket = Ticket(
        id=_new_id(now),
        site_id=site_id,
        channel=Channel.ONLINE,
        category=category,
        asker_name=asker.org_name or asker.display_name,
        asker_role=asker.role.value,
        asker_org=asker.org_id,
        question=new.question.strip(),
        status=TicketStatus.OPEN,
        target_at=to_iso(now + timedelta(hours=target_hours)),
        answer=None,
        faq_id="",
        created_at=to_iso(now),
        updated_at=to_iso(now),
        version=1,
    )
    summary = f"{ticket.asker_name}在线咨询（{category.label}）：{ticket.question[:60]}"
    store.create(ticket, _event(ticket, "ticket.asked", summary, asker.as_actor(), now))
    return ticket


def log_call(
    store: TicketStore, operator: Principal, site_id: str, call: HotlineCall, target_hours: int, now: datetime
) -> Ticket:
    """The centre logs a hotline call: answered on the phone (with what was said), or missed."""
    _require_operator(operator, site_id)
    category = _category(call.category)
    found = []
    try:
        at = parse_iso(call.at) if call.at else now
    except ValueError:
        at, found = now, [field_problem("at", "时间格式不正确")]
    if at > now + timedelta(minutes=5) or at < now - timedelta(days=7):
        found.append(field_problem("at", "来电时间须在最近 7 天内"))
    if call.answered and len(call.answer.strip()) < 2:
        found.append(field_problem("answer", "已接听的来电须记录答复要点"))
    if len(call.question.strip()) < 2:
        found.append(field_problem("question", "请记录来电问题"))
    if found:
        raise InvalidInput(
            "来电记录有误：" + "；".join(p["message"] for p in found), code="VALIDATION_FAILED", details=found
        )
    ticket = Ticket(
        id=_new_id(at),
        site_id=site_id,
        channel=Channel.HOTLINE,
        category=category,
        asker_name=call.caller.strip() or "来电人",
        asker_role="public",
        asker_org="",
        question=call.question.strip(),
        status=TicketStatus.ANSWERED if call.answered else TicketStatus.MISSED,
        target_at=to_iso(at + timedelta(hours=target_hours)),
        answer=Answer(call.answer.strip(), operator.display_name, to_iso(at)) if call.answered else None,
        faq_id="",
        created_at=to_iso(at),
        updated_at=to_iso(now),
        version=1,
    )
    verb = "接听" if call.answered else "未接听"
    summary = f"热线来电（{category.label}，{verb}）：{ticket.question[:60]}"
    store.create(ticket, _event(ticket, "ticket.call_logged", summary, operator.as_actor(), now))
    return ticket


def answer(store: TicketStore, ticket: Ticket | None, operator: Principal, text: str, now: datetime) -> Ticket:
    if ticket is None:
        raise NotFound("咨询不存在", code="TICKET_NOT_FOUND")
    _require_operator(operator, ticket.site_id)
    if ticket.status is not TicketStatus.OPEN:
        raise Conflict(f"该咨询{ticket.status.label}", code="TICKET_ANSWERED")
    if len(text.strip()) < 2:
        raise InvalidInput("请填写答复", code="VALIDATION_FAILED", details=[field_problem("text", "必填")])
    done = ticket._replace(
        status=TicketStatus.ANSWERED,
        answer=Answer(text.strip(), operator.display_name, to_iso(now)),
        updated_at=to_iso(now),
        version=ticket.version + 1,
    )
    summary = f"答复咨询（{ticket.category.label}）：{ticket.question[:40]}"
    store.save(done, ticket.version, _event(done, "ticket.answered", summary, operator.as_actor(), now, ticket))
    return done


def faq_draft(ticket: Ticket | None, operator: Principal) -> tuple[str, str]:
    """The FAQ entry an answered question becomes: its title and body (the question, then the answer)."""
    if ticket is None:
        raise NotFound("咨询不存在", code="TICKET_NOT_FOUND")
    _require_operator(operator, ticket.site_id)
    if ticket.answer is None:
        raise Conflict("答复后的咨询才能加入常见问题", code="TICKET_NOT_ANSWERED")
    if ticket.faq_id:
        raise Conflict("该咨询已加入常见问题", code="TICKET_IN_FAQ")
    title = ticket.question if len(ticket.question) <= 60 else ticket.question[:59] + "…"
    return title, f"问：{ticket.question}\n答：{ticket.answer.text}"


def in_faq(store: TicketStore, ticket: Ticket, faq_id: str, operator: Principal, now: datetime) -> Ticket:
    done = ticket._replace(faq_id=faq_id, updated_at=to_iso(now), version=ticket.version + 1)
    summary = f"咨询加入常见问题：{ticket.question[:40]}"
    store.save(done, ticket.version, _event(done, "ticket.to_faq", summary, operator.as_actor(), now, ticket))
    return done


def _require_operator(operator: Principal, site_id: str) -> None:
    if operator.role is Role.PROVINCE_ADMIN or (operator.role is Role.CENTER_ADMIN and operator.tenant == site_id):
        return
    raise Forbidden("咨询由本站采购中心答复", code="FORBIDDEN_ROLE")


# ---------------------------------------------------------------- the month's figures


class MonthFigures(NamedTuple):
    month: str
    received: int
    answered: int
    answer_rate: str | None  # per cent, two decimals
    on_time: int
    on_time_rate: str | None
    mean_response_minutes: int | None  # online questions answered in the mall
    calls: int
    calls_answered: int
    call_answer_rate: str | None  # 接听率
    calls_per_day: str  # 日均来电
    by_category: list[dict[str, Any]]


def month_bounds(month: str) -> tuple[str, str]:
    """The month's first and last instants in China time, as UTC ISO (its tickets sort between them)."""
    from chalicelib.domain.clock import china_midnight

    year, number = (int(x) for x in month.split("-"))
    first = china_midnight(datetime(year, number, 1).date())
    days = calendar.monthrange(year, number)[1]
    last = china_midnight(datetime(year, number, days).date() + timedelta(days=1))
    return to_iso(first), to_iso(last)


def _pct(part: int, whole: int) -> str | None:
    if not whole:
        return None
    value = (part * 20000 + whole) // (2 * whole)
    return f"{value // 100}.{value % 100:02d}"


def figures(month: str, tickets: Iterable[Ticket], now: datetime) -> MonthFigures:
    found = list(tickets)
    online = [t for t in found if t.channel is Channel.ONLINE]
    calls = [t for t in found if t.channel is Channel.HOTLINE]
    answered = [t for t in found if t.answer is not None]
    on_time = [t for t in answered if t.answer is not None and t.answer.at <= t.target_at]
    waits = [
        (parse_iso(t.answer.at) - parse_iso(t.created_at)).total_seconds() / 60 for t in online if t.answer is not None
    ]
    year, number = (int(x) for x in month.split("-"))
    days = calendar.monthrange(year, number)[1]
    today = china_date(now)
    if (today.year, today.month) == (year, number):
        days = today.day  # the month so far
    counts = Counter(t.category for t in found)
    return MonthFigures(
        month=month,
        received=len(found),
        answered=len(answered),
        answer_rate=_pct(len(answered), len(found)),
        on_time=len(on_time),
        on_time_rate=_pct(len(on_time), len(answered)),
        mean_response_minutes=round(sum(waits) / len(waits)) if waits else None,
        calls=len(calls),
        calls_answered=sum(1 for t in calls if t.status is TicketStatus.ANSWERED),
        call_answer_rate=_pct(sum(1 for t in calls if t.status is TicketStatus.ANSWERED), len(calls)),
        calls_per_day=f"{len(calls) / max(days, 1):.1f}",
        by_category=[{"category": c.value, "label": c.label, "count": counts[c]} for c in Category if counts[c]],
    )


# ---------------------------------------------------------------- views and events


def visible(ticket: Ticket | None, viewer: Principal) -> Ticket:
    if ticket is None:
        raise NotFound("咨询不存在", code="TICKET_NOT_FOUND")
    if viewer.role in (Role.CENTER_ADMIN, Role.FINANCE, Role.PROVINCE_ADMIN) or viewer.org_id == ticket.asker_org:
        return ticket
    raise NotFound("咨询不存在", code="TICKET_NOT_FOUND")


def view(t: Ticket, viewer: Principal, now: datetime) -> dict[str, Any]:
    operator = viewer.role is Role.PROVINCE_ADMIN or (viewer.role is Role.CENTER_ADMIN and viewer.tenant == t.site_id)
    late = t.status is TicketStatus.OPEN and to_iso(now) > t.target_at
    return ticket_to_dict(t) | {
        "channel_label": t.channel.label,
        "category_label": t.category.label,
        "status_label": t.status.label,
        "late": late,
        "actions": [
            a
            for a, ok in (("answer", t.status is TicketStatus.OPEN), ("faq", t.answer is not None and not t.faq_id))
            if operator and ok
        ],
    }


def _event(
    t: Ticket, action: str, summary: str, actor: Mapping[str, str], now: datetime, before: Ticket | None = None
) -> AuditEvent:
    return new_event(
        tenant=t.site_id,
        entity_type=ENTITY_TICKET,
        entity_id=t.id,
        action=action,
        summary=summary,
        actor=actor,
        at=now,
        before={"status": before.status.value} if before else None,
        after={"status": t.status.value, "faq_id": t.faq_id},
    )


def ticket_to_dict(t: Ticket) -> dict[str, Any]:
    return t._asdict() | {
        "channel": t.channel.value,
        "category": t.category.value,
        "status": t.status.value,
        "answer": t.answer._asdict() if t.answer else None,
    }


def ticket_from_dict(raw: Mapping[str, Any]) -> Ticket:
    plain = (
        "id",
        "site_id",
        "asker_name",
        "asker_role",
        "asker_org",
        "question",
        "target_at",
        "faq_id",
        "created_at",
        "updated_at",
    )
    answer_raw = raw.get("answer")
    return Ticket(
        **{k: str(raw[k]) for k in plain},
        channel=Channel(raw["channel"]),
        category=Category(raw["category"]),
        status=TicketStatus(raw["status"]),
        answer=Answer(**answer_raw) if answer_raw else None,
        version=int(raw["version"]),
    )
