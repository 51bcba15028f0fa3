"""Violation reports and complaints (举报与质疑投诉): claim → answer → decision, each step with its deadline.

Two ways in, after ProZorro's violation reports and complaints (anchors.md) and 政府采购质疑和投诉办法
(财政部令第94号):
- a buyer reports the supplier of one of its orders (违约举报): breach of contract (合同违约), refusal to sign or to
  confirm (拒绝签约), goods or services that do not comply (货物或服务不符合要求). The supplier answers.
- a supplier that took part in a 竞价 or 反拍 of a site questions its process or its result (质疑投诉), within the
  site's period after the bidding closed (`complaint_days` working days; 94号令: 7). The buyer answers.

The respondent has `answer_days` working days (94号令: 7) to answer; a timer moves an unanswered claim on to the
decision when they end. The site's centre decides within `decide_days` (94号令: 30 for a complaint), upheld or not,
with its reason; an upheld report ends in the supplier's credit record (a measure proposed under a rule of the
rule table, with the supplier's own statement period). Every step is audited and notified.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any, NamedTuple, Protocol

from chalicelib.domain.audit import AuditEvent, new_event
from chalicelib.domain.clock import china_date, parse_iso, to_iso
from chalicelib.domain.errors import Conflict, Forbidden, InvalidInput, NotFound, RuleViolation, field_problem
from chalicelib.domain.principals import SYSTEM_ACTOR, Principal, Role
from chalicelib.domain.workdays import WorkCalendar, after_working_days

ENTITY_COMPLAINT = "complaint"
COMPLAINT_ID_PATTERN = re.compile(r"^TS\d{18}$")
_ONE_SECOND_ISO = 1


class ComplaintKind(StrEnum):
    VIOLATION = "violation"
    OBJECTION = "objection"

    @property
    def label(self) -> str:
        return {"violation": "违约举报", "objection": "质疑投诉"}[self.value]


class Ground(StrEnum):
    CONTRACT_BREACH = "contract_breach"
    SIGNING_REFUSAL = "signing_refusal"
    GOODS_NONCOMPLIANCE = "goods_noncompliance"
    PROCESS = "process"
    RESULT = "result"

    @property
    def label(self) -> str:
        return GROUND_LABELS[self]

    @property
    def kind(self) -> ComplaintKind:
        return ComplaintKind.OBJECTION if self in (Ground.PROCESS, Ground.RESULT) else ComplaintKind.VIOLATION


GROUND_LABELS: dict[Ground, str] = {
    Ground.CONTRACT_BREACH: "合同违约（不按约定履约）",
    Ground.SIGNING_REFUSAL: "无正当理由拒绝签约或确认订单",
    Ground.GOODS_NONCOMPLIANCE: "货物或服务不符合约定要求",
    Ground.PROCESS: "竞价过程违规",
    Ground.RESULT: "成交结果使本单位权益受损",
}


class ComplaintStatus(StrEnum):
    FILED = "filed"  # the respondent may answer until answer_by
    AWAITING_DECISION = "awaiting_decision"
    UPHELD = "upheld"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return {
            "filed": "待答复",
            "awaiting_decision": "待处理",
            "upheld": "成立",
            "rejected": "不成立",
            "withdrawn": "已撤回",
        }[self.value]


class Party(NamedTuple):
    uscc: str
    name: str
    role: str  # buyer | supplier


class Reply(NamedTuple):
    text: str
    by: str
    at: str


class Complaint(NamedTuple):
    id: str
    site_id: str
    kind: ComplaintKind
    ground: Ground
    complainant: Party
    respondent: Party
    subject: str  # the order number or the competition id
    subject_title: str
    facts: str
    evidence: str
    status: ComplaintStatus
    answer_by: str
    decide_by: str
    answer: Reply | None
    decision: Reply | None
    upheld: bool | None
    credit_entry: str
    created_at: str
    updated_at: str
    version: int


class Deadlines(NamedTuple):
    complaint_days: int = 7
    answer_days: int = 7
    decide_days: int = 30


class NewComplaint(NamedTuple):
    ground: str
    facts: str
    evidence: str


class ComplaintStore(Protocol):
    def get(self, site_id: str, complaint_id: str) -> Complaint | None: ...

    def create(self, complaint: Complaint, audit: AuditEvent) -> None: ...

    def save(self, complaint: Complaint, expected_version: int, audit: AuditEvent) -> None: ...


class DeadlineTimer(Protocol):
    def start(self, name: str, due_at: str, payload: dict[str, Any]) -> None: ...


def _check_new(new: NewComplaint, kind: ComplaintKind) -> Ground:
    try:
        ground = Ground(new.ground)
    except ValueError:
        ground = None
    found = []
    if ground is None or ground.kind is not kind:
        allowed = "、".join(g.label for g in Ground if g.kind is kind)
        found.append(field_problem("ground", f"{kind.label}的事由须为：{allowed}"))
    if len(new.facts.strip()) < 10:
        found.append(field_problem("facts", "请写明事实与诉求（至少 10 个字）"))
    if found:
        raise InvalidInput(
            "投诉信息有误：" + "；".join(p["message"] for p in found), code="COMPLAINT_INVALID", details=found
        )
    assert ground is not None
    return ground


def report_violation(
    store: ComplaintStore,
    timer: DeadlineTimer,
    calendar: WorkCalendar,
    deadlines: Deadlines,
    buyer: Principal,
    order: Any,
    new: NewComplaint,
    now: datetime,
) -> Complaint:
    """A buyer reports the supplier of one of its own orders (domain.orders.Order)."""
    if buyer.role is not Role.BUYER:
        raise Forbidden("违约举报由订单的采购人提出", code="FORBIDDEN_ROLE")
    if order is None or order.buyer_uscc != buyer.org_id:
        raise NotFound("订单不存在", code="ORDER_NOT_FOUND")
    if order.is_imported:
        raise Conflict("历史导入的订单不能举报，请通过线下渠道反映", code="ORDER_IMPORTED")
    ground = _check_new(new, ComplaintKind.VIOLATION)
    complainant = Party(order.buyer_uscc, order.buyer_name, "buyer")
    respondent = Party(order.supplier_uscc, order.supplier_name, "supplier")
    title = f"订单 {order.order_no}（{order.supplier_name}）"
    return _file(
        store,
        timer,
        calendar,
        deadlines,
        buyer,
        order.site_id,
        ground,
        complainant,
        respondent,
        order.order_no,
        title,
        new,
        now,
    )


def object_to_bidding(
    store: ComplaintStore,
    timer: DeadlineTimer,
    calendar: WorkCalendar,
    deadlines: Deadlines,
    supplier: Principal,
    supplier_name: str,
    competition: Any,
    new: NewComplaint,
    now: datetime,
) -> Complaint:
    """A supplier that took part questions a bidding (domain.competitions.Competition) of this site, in time."""
    if supplier.role is not Role.SUPPLIER:
        raise Forbidden("质疑投诉由参加竞价的供应商提出", code="FORBIDDEN_ROLE")
    if competition is None:
        raise NotFound("竞价项目不在本站点", code="COMPETITION_NOT_FOUND")
    took_part = supplier.org_id in competition.invitation.invited or any(
        r.supplier_uscc == supplier.org_id for r in competition.ranking
    )
    if not took_part:
        raise Forbidden("只有受邀参加该项目的供应商可以提出质疑", code="NOT_A_PARTICIPANT")
    if competition.status.value == "open":
        raise RuleViolation("项目尚未截止，截止后方可对过程或结果提出质疑", code="COMPETITION_NOT_CLOSED")
    closed_at = parse_iso(competition.end_at)
    period = after_working_days(calendar, closed_at, deadlines.complaint_days)
    if now > period.ends_at:
        raise RuleViolation(
            f"质疑期已于 {period.last_day.isoformat()} 届满（项目截止后 {deadlines.complaint_days} 个工作日）",
            code="COMPLAINT_OUT_OF_TIME",
            details={"last_day": period.last_day.isoformat()},
        )
    ground = _check_new(new, ComplaintKind.OBJECTION)
    complainant = Party(supplier.org_id, supplier_name, "supplier")
    respondent = Party(competition.buyer_uscc, competition.buyer_name, "buyer")
    title = f"{competition.kind.label}项目“{competition.title}”"
    return _file(
        store,
        timer,
        calendar,
        deadlines,
        supplier,
        competition.site_id,
        ground,
        complainant,
        respondent,
        competition.id,
        title,
        new,
        now,
    )


def _file(
    store: ComplaintStore,
    timer: DeadlineTimer,
    calendar: WorkCalendar,
    deadlines: Deadlines,
    actor: Principal,
    site_id: str,
    ground: Ground,
    complainant: Party,
    respondent: Party,
    subject: str,
    title: str,
    new: NewComplaint,
    now: datetime,
) -> Complaint:
    answer_by = after_working_days(calendar, now, deadlines.answer_days).ends_at
    decide_by = after_working_days(calendar, answer_by, deadlines.decide_days).ends_at
    complaint = Complaint(
        id=f"TS{china_date(now):%Y%m%d}{uuid.uuid4().int % 10**10:010d}",
        site_id=site_id,
        kind=ground.kind,
        ground=ground,
        complainant=complainant,
        respondent=respondent,
        subject=subject,
        subject_title=title,
        facts=new.facts.strip(),
        evidence=new.evidence.strip(),
        status=ComplaintStatus.FILED,
        answer_by=to_iso(answer_by),
        decide_by=to_iso(decide_by),
        answer=None,
        decision=None,
        upheld=None,
        credit_entry="",
        created_at=to_iso(now),
        updated_at=to_iso(now),
        version=1,
    )
    summary = f"{complainant.name}就{title}提出{ground.kind.label}：{ground.label}"
    store.create(complaint, _event(complaint, "complaint.filed", summary, actor.as_actor(), now))
    timer.start(**answer_timer(complaint))
    return complaint


def answer_timer(c: Complaint) -> dict[str, Any]:
    return {
        "name": f"complaint-{c.id}",
        "due_at": c.answer_by,
        "payload": {"kind": "complaint_deadline", "site_id": c.site_id, "complaint_id": c.id},
    }


def answer(store: ComplaintStore, c: Complaint, respondent: Principal, text: str, now: datetime) -> Complaint:
    if respondent.org_id != c.respondent.uscc:
        raise Forbidden("只有被投诉方可以答复", code="NOT_RESPONDENT")
    if c.status is not ComplaintStatus.FILED:
        raise Conflict(f"该投诉{c.status.label}，不能再答复", code="COMPLAINT_STATUS_CONFLICT")
    if now > parse_iso(c.answer_by):
        raise RuleViolation("答复期限已过", code="ANSWER_LATE")
    if len(text.strip()) < 4:
        raise InvalidInput(
            "答复内容至少 4 个字", code="VALIDATION_FAILED", details=[field_problem("text", "至少 4 个字")]
        )
    done = c._replace(
        status=ComplaintStatus.AWAITING_DECISION,
        answer=Reply(text.strip(), respondent.display_name, to_iso(now)),
        updated_at=to_iso(now),
        version=c.version + 1,
    )
    summary = f"{c.respondent.name}答复{c.kind.label}（{c.subject_title}）"
    store.save(done, c.version, _event(done, "complaint.answered", summary, respondent.as_actor(), now, c))
    return done


def on_answer_deadline(store: ComplaintStore, c: Complaint | None, now: datetime) -> str:
    """The answer period ended without an answer: the claim goes on to the decision all the same."""
    if c is None or c.status is not ComplaintStatus.FILED:
        return "skipped"
    if now < parse_iso(c.answer_by):
        return "early"
    done = c._replace(status=ComplaintStatus.AWAITING_DECISION, updated_at=to_iso(now), version=c.version + 1)
    summary = f"{c.respondent.name}逾期未答复{c.kind.label}（{c.subject_title}），转采购中心处理"
    store.save(done, c.version, _event(done, "complaint.answer_overdue", summary, SYSTEM_ACTOR, now, c))
    return "applied"


def withdraw(store: ComplaintStore, c: Complaint, complainant: Principal, reason: str, now: datetime) -> Complaint:
    if complainant.org_id != c.complainant.uscc:
        raise Forbidden("只有投诉人可以撤回", code="NOT_COMPLAINANT")
    if c.status not in (ComplaintStatus.FILED, ComplaintStatus.AWAITING_DECISION):
        raise Conflict(f"该投诉{c.status.label}，不能撤回", code="COMPLAINT_STATUS_CONFLICT")
    done = c._replace(
        status=ComplaintStatus.WITHDRAWN,
        decision=Reply(f"投诉人撤回：{reason.strip()}", complainant.display_name, to_iso(now)),
        updated_at=to_iso(now),
        version=c.version + 1,
    )
    store.save(
        done,
        c.version,
        _event(done, "complaint.withdrawn", f"{c.complainant.name}撤回{c.kind.label}", complainant.as_actor(), now, c),
    )
    return done


def check_decidable(c: Complaint, operator: Principal, now: datetime) -> None:
    """The centre decides once the respondent answered or its period ended, and only once."""
    if operator.role not in (Role.CENTER_ADMIN, Role.PROVINCE_ADMIN):
        raise Forbidden("投诉由采购中心处理", code="FORBIDDEN_ROLE")
    waiting = c.status is ComplaintStatus.AWAITING_DECISION or (
        c.status is ComplaintStatus.FILED and now > parse_iso(c.answer_by)
    )
    if not waiting:
        if c.status is ComplaintStatus.FILED:
            raise RuleViolation("被投诉方答复后或答复期满后方可处理", code="ANSWER_PERIOD_OPEN")
        raise Conflict(f"该投诉{c.status.label}", code="COMPLAINT_STATUS_CONFLICT")


def decide(
    c: Complaint, operator: Principal, uphold: bool, reason: str, now: datetime, credit_entry: str = ""
) -> tuple[Complaint, AuditEvent]:
    """The centre's decision (the caller writes it, with the credit measure an upheld report leads to)."""
    check_decidable(c, operator, now)
    if len(reason.strip()) < 4:
        details = [field_problem("reason", "必填")]
        raise InvalidInput("请写明处理意见（至少 4 个字）", code="REASON_REQUIRED", details=details)
    done = c._replace(
        status=ComplaintStatus.UPHELD if uphold else ComplaintStatus.REJECTED,
        upheld=uphold,
        decision=Reply(reason.strip(), operator.display_name, to_iso(now)),
        credit_entry=credit_entry,
        updated_at=to_iso(now),
        version=c.version + 1,
    )
    verdict = "成立" if uphold else "不成立"
    summary = f"{c.kind.label}（{c.subject_title}）处理决定：{verdict}。{reason.strip()}"
    return done, _event(done, "complaint.decided", summary, operator.as_actor(), now, c)


def visible(c: Complaint | None, viewer: Principal) -> Complaint:
    if c is None:
        raise NotFound("投诉不存在", code="COMPLAINT_NOT_FOUND")
    if viewer.role in (Role.CENTER_ADMIN, Role.FINANCE, Role.PROVINCE_ADMIN):
        return c
    if viewer.org_id in (c.complainant.uscc, c.respondent.uscc):
        return c
    raise NotFound("投诉不存在", code="COMPLAINT_NOT_FOUND")


def actions(c: Complaint, viewer: Principal, now: datetime) -> list[str]:
    found = []
    open_ = c.status in (ComplaintStatus.FILED, ComplaintStatus.AWAITING_DECISION)
    if c.status is ComplaintStatus.FILED and viewer.org_id == c.respondent.uscc and now <= parse_iso(c.answer_by):
        found.append("answer")
    if open_ and viewer.org_id == c.complainant.uscc:
        found.append("withdraw")
    deciding = c.status is ComplaintStatus.AWAITING_DECISION or (
        c.status is ComplaintStatus.FILED and now > parse_iso(c.answer_by)
    )
    if deciding and viewer.role in (Role.CENTER_ADMIN, Role.PROVINCE_ADMIN):
        found.append("decide")
    return found


def view(c: Complaint, viewer: Principal, now: datetime) -> dict[str, Any]:
    overdue = c.status is ComplaintStatus.AWAITING_DECISION and now > parse_iso(c.decide_by)
    return complaint_to_dict(c) | {
        "kind_label": c.kind.label,
        "ground_label": c.ground.label,
        "status_label": c.status.label,
        "answer_by_day": _day_before(c.answer_by),
        "decide_by_day": _day_before(c.decide_by),
        "overdue": overdue,
        "actions": actions(c, viewer, now),
    }


def _day_before(iso: str) -> str:
    from datetime import timedelta

    return china_date(parse_iso(iso) - timedelta(seconds=_ONE_SECOND_ISO)).isoformat()


def _event(
    c: Complaint, action: str, summary: str, actor: Mapping[str, str], now: datetime, before: Complaint | None = None
) -> AuditEvent:
    def brief(x: Complaint) -> dict[str, Any]:
        return {"status": x.status.value, "upheld": x.upheld, "credit_entry": x.credit_entry}

    return new_event(
        tenant=c.site_id,
        entity_type=ENTITY_COMPLAINT,
        entity_id=c.id,
        action=action,
        summary=summary,
        actor=actor,
        at=now,
        before=brief(before) if before else None,
        after=brief(c),
    )


# ---------------------------------------------------------------- (de)serialisation


def complaint_to_dict(c: Complaint) -> dict[str, Any]:
    return c._asdict() | {
        "kind": c.kind.value,
        "ground": c.ground.value,
        "status": c.status.value,
        "complainant": c.complainant._asdict(),
        "respondent": c.respondent._asdict(),
        "answer": c.answer._asdict() if c.answer else None,
        "decision": c.decision._asdict() if c.decision else None,
    }


def complaint_from_dict(raw: Mapping[str, Any]) -> Complaint:
    plain = (
        "id",
        "site_id",
        "subject",
        "subject_title",
        "facts",
        "evidence",
        "answer_by",
        "decide_by",
        "credit_entry",
        "created_at",
        "updated_at",
    )
    answer_raw, decision_raw = raw.get("answer"), raw.get("decision")
    return Complaint(
        **{k: str(raw[k]) for k in plain},
        kind=ComplaintKind(raw["kind"]),
        ground=Ground(raw["ground"]),
        status=ComplaintStatus(raw["status"]),
        complainant=Party(**raw["complainant"]),
        respondent=Party(**raw["respondent"]),
        answer=Reply(**answer_raw) if answer_raw else None,
        decision=Reply(**decision_raw) if decision_raw else None,
        upheld=raw.get("upheld"),
        version=int(raw["version"]),
    )
