"""A supplier's credit record (诚信评价): proposed measures, the supplier's statement, the decision, the score.

A supplier registers once for the province, so its record is province-wide: every site's centre (and the
province) adds to the same record, and every site's buyers read the same standing. A measure is always one rule
of the rule table (`CreditRule`: the situation, its legal basis, the measures it allows and their maxima), so no
sanction is given without a basis or beyond what the rule allows. The supplier may state its case (申辩) within
the rule's working days; the operator decides after the statement or after the period; an upheld measure takes
effect then: a 警示通报 is published on the site, points are deducted, trading is suspended (in the site, or
province-wide when the province decides) or the supplier is expelled (清退, the province only).

The score is 100 less the points of the measures upheld in the last 365 days; its grade (A ≥ 90, B ≥ 75,
C ≥ 60, D) is an assumption [A] until the province's own scale is known.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, NamedTuple, Protocol

from chalicelib.domain.audit import AuditEvent, new_event
from chalicelib.domain.clock import china_date, parse_iso, to_iso
from chalicelib.domain.errors import Conflict, Forbidden, InvalidInput, NotFound, RuleViolation, field_problem
from chalicelib.domain.principals import PROVINCE_SCOPE, Principal, Role
from chalicelib.domain.suppliers import SiteSuspension, Supplier, SupplierStatus
from chalicelib.domain.workdays import WorkCalendar, after_working_days

ENTITY_CREDIT = "credit_entry"
ENTITY_RULES = "credit_rules"
ENTRY_ID_PATTERN = re.compile(r"^XY\d{18}$")
RULE_CODE_PATTERN = re.compile(r"^[A-Z]{2}\d{2,4}$")
FULL_SCORE = 100
SCORE_WINDOW = timedelta(days=365)
MAX_RULE_POINTS = 100
MAX_RULE_DAYS = 1095  # 政府采购法第七十七条: barred from government procurement for one to three years
MAX_STATEMENT_DAYS = 30


class Measure(StrEnum):
    RISK_REMINDER = "risk_reminder"
    WARNING_NOTICE = "warning_notice"
    DEDUCTION = "deduction"
    SUSPENSION = "suspension"
    EXPULSION = "expulsion"

    @property
    def label(self) -> str:
        return MEASURE_LABELS[self]


MEASURE_LABELS: dict[Measure, str] = {
    Measure.RISK_REMINDER: "风险提醒",
    Measure.WARNING_NOTICE: "警示通报",
    Measure.DEDUCTION: "扣分",
    Measure.SUSPENSION: "暂停交易",
    Measure.EXPULSION: "清退",
}


class EntryStatus(StrEnum):
    PROPOSED = "proposed"  # the supplier may state its case until statement_until
    UPHELD = "upheld"  # decided: the measure has taken effect
    WITHDRAWN = "withdrawn"  # decided: the measure was dropped (the statement convinced, or the facts did not hold)

    @property
    def label(self) -> str:
        return {"proposed": "待申辩", "upheld": "已生效", "withdrawn": "已撤销"}[self.value]


class CreditRule(NamedTuple):
    code: str
    title: str  # the situation (情形)
    basis: str  # its legal basis
    measures: tuple[Measure, ...]
    max_points: int
    max_days: int  # the longest suspension it allows (0: none)
    statement_days: int  # working days the supplier has to state its case


class RuleTable(NamedTuple):
    version: int
    rules: tuple[CreditRule, ...]

    def get(self, code: str) -> CreditRule | None:
        return next((r for r in self.rules if r.code == code), None)


class Statement(NamedTuple):
    text: str
    by: str
    at: str


class Decision(NamedTuple):
    upheld: bool
    reason: str
    by: str
    at: str


class CreditEntry(NamedTuple):
    id: str
    supplier_uscc: str
    supplier_name: str
    site_id: str  # where it was decided: a city site, or shandong for the province
    rule: CreditRule  # as it stood when the measure was proposed
    measure: Measure
    points: int
    days: int
    facts: str
    source: str  # what it came from, e.g. "finding XJ…/F…", "" when entered directly
    status: EntryStatus
    statement_until: str
    statement: Statement | None
    decision: Decision | None
    created_by: str
    created_at: str
    updated_at: str
    version: int

    @property
    def published(self) -> bool:
        """A 警示通报 upheld is public on its site (and in the supplier's standing everywhere)."""
        return self.status is EntryStatus.UPHELD and self.measure is Measure.WARNING_NOTICE

    def counts_at(self, now: datetime) -> bool:
        decided = self.decision.at if self.decision else self.created_at
        return self.status is EntryStatus.UPHELD and parse_iso(decided) > now - SCORE_WINDOW


class Proposal(NamedTuple):
    supplier_uscc: str
    rule_code: str
    measure: str
    points: int
    days: int
    facts: str
    source: str = ""


class CreditStore(Protocol):
    def rules(self) -> RuleTable: ...

    def save_rules(self, table: RuleTable, expected_version: int, audit: AuditEvent) -> None: ...

    def get(self, uscc: str, entry_id: str) -> CreditEntry | None: ...

    def record_of(self, uscc: str) -> list[CreditEntry]: ...

    def create(self, entry: CreditEntry, audit: AuditEvent) -> None: ...

    def decide(
        self,
        entry: CreditEntry,
        expected_version: int,
        audit: AuditEvent,
        supplier: tuple[Supplier, int] | None,
        also: tuple[AuditEvent, ...],
    ) -> None:
        """The entry under its version, and (for a suspension or an expulsion) the supplier under its version, in one
        transaction: a measure never takes effect without its record, nor the record without the measure."""

    def save(self, entry: CreditEntry, expected_version: int, audit: AuditEvent) -> None: ...


# ---------------------------------------------------------------- the rule table


def rule_problems(rules: Sequence[CreditRule]) -> list[dict[str, str]]:
    found: list[dict[str, str]] = []
    codes = [r.code for r in rules]
    if not rules or len(set(codes)) != len(codes):
        found.append(field_problem("rules", "至少一条规则，规则编号不能重复"))
    for n, r in enumerate(rules):
        at = f"rules.{n}"
        if not RULE_CODE_PATTERN.match(r.code):
            found.append(field_problem(f"{at}.code", "规则编号为两个大写字母加 2–4 位数字，如 XY01"))
        if len(r.basis.strip()) < 4:
            found.append(field_problem(f"{at}.basis", "须写明依据（制度名称与条款）"))
        if not r.measures:
            found.append(field_problem(f"{at}.measures", "至少一种处理措施"))
        if not 0 <= r.max_points <= MAX_RULE_POINTS:
            found.append(field_problem(f"{at}.max_points", f"扣分上限须在 0–{MAX_RULE_POINTS} 分之间"))
        if Measure.DEDUCTION in r.measures and r.max_points < 1:
            found.append(field_problem(f"{at}.max_points", "允许扣分的规则须有扣分上限"))
        if not 0 <= r.max_days <= MAX_RULE_DAYS or ((Measure.SUSPENSION in r.measures) != (r.max_days > 0)):
            found.append(
                field_problem(f"{at}.max_days", f"允许暂停交易的规则须有 1–{MAX_RULE_DAYS} 天的暂停上限，其余为 0")
            )
        if not 1 <= r.statement_days <= MAX_STATEMENT_DAYS:
            found.append(field_problem(f"{at}.statement_days", f"申辩期须在 1–{MAX_STATEMENT_DAYS} 个工作日之间"))
    return found


def revise_rules(
    store: CreditStore, actor: Principal, rules: Sequence[CreditRule], expected_version: int, now: datetime
) -> RuleTable:
    if actor.role is not Role.PROVINCE_ADMIN:
        raise Forbidden("信用规则全省统一，须由省级管理员修订", code="PROVINCE_ONLY")
    problems = rule_problems(rules)
    if problems:
        raise InvalidInput(
            "信用规则有误：" + "；".join(p["message"] for p in problems[:3]), code="RULES_INVALID", details=problems
        )
    current = store.rules()
    table = RuleTable(current.version + 1, tuple(rules))
    audit = new_event(
        tenant=PROVINCE_SCOPE,
        entity_type=ENTITY_RULES,
        entity_id="table",
        action="credit.rules_revised",
        summary=f"修订信用信息应用规则（第 {table.version} 版，{len(rules)} 条）",
        actor=actor.as_actor(),
        at=now,
        before=rules_to_dict(current),
        after=rules_to_dict(table),
    )
    store.save_rules(table, expected_version, audit)
    return table


# ---------------------------------------------------------------- proposing, stating, deciding


def _decider_scope(actor: Principal) -> str:
    if actor.role is Role.PROVINCE_ADMIN:
        return PROVINCE_SCOPE
    if actor.role is Role.CENTER_ADMIN:
        return actor.tenant
    raise Forbidden("只有采购中心或省级管理员可以给予信用处理", code="FORBIDDEN_ROLE")


def check_proposal(table: RuleTable, proposal: Proposal, scope: str) -> tuple[CreditRule, Measure]:
    """The rule exists, allows the measure, and the points and days are within its maxima."""
    rule = table.get(proposal.rule_code) if proposal.rule_code else None
    if rule is None:
        raise InvalidInput(
            "信用处理须依据信用规则表中的一条规则" + (f"：{proposal.rule_code} 不存在" if proposal.rule_code else ""),
            code="LEGAL_BASIS_REQUIRED",
            details=[field_problem("rule_code", "请选择处理依据")],
        )
    try:
        measure = Measure(proposal.measure)
    except ValueError:
        raise InvalidInput(
            "处理措施无效", code="VALIDATION_FAILED", details=[field_problem("measure", "无效")]
        ) from None
    found: list[dict[str, str]] = []
    if measure not in rule.measures:
        allowed = "、".join(m.label for m in rule.measures)
        found.append(field_problem("measure", f"规则 {rule.code}“{rule.title}”只允许：{allowed}"))
    if measure is Measure.EXPULSION and scope != PROVINCE_SCOPE:
        found.append(field_problem("measure", "清退在全省生效，须由省级管理员决定"))
    if not 0 <= proposal.points <= rule.max_points or (measure is Measure.DEDUCTION and proposal.points < 1):
        found.append(
            field_problem("points", f"扣分须在 {1 if measure is Measure.DEDUCTION else 0}–{rule.max_points} 分之间")
        )
    if measure is Measure.SUSPENSION and not 1 <= proposal.days <= rule.max_days:
        found.append(field_problem("days", f"暂停交易须在 1–{rule.max_days} 天之间"))
    if measure is not Measure.SUSPENSION and proposal.days:
        found.append(field_problem("days", "只有暂停交易填写天数"))
    if found:
        raise RuleViolation(
            "超出规则允许的处理：" + "；".join(p["message"] for p in found), code="SANCTION_EXCEEDS_RULE", details=found
        )
    return rule, measure


def draft(
    table: RuleTable,
    calendar: WorkCalendar,
    actor: Principal,
    supplier: Supplier | None,
    proposal: Proposal,
    now: datetime,
) -> tuple[CreditEntry, AuditEvent]:
    """A proposed measure and its audit event, checked against the rule table, not yet written."""
    scope = _decider_scope(actor)
    if supplier is None:
        raise NotFound(f"供应商 {proposal.supplier_uscc} 不存在", code="SUPPLIER_NOT_FOUND")
    rule, measure = check_proposal(table, proposal, scope)
    if len(proposal.facts.strip()) < 4:
        raise InvalidInput("须写明事实与证据", code="FACTS_REQUIRED", details=[field_problem("facts", "至少 4 个字")])
    entry = CreditEntry(
        id=f"XY{china_date(now):%Y%m%d}{uuid.uuid4().int % 10**10:010d}",
        supplier_uscc=supplier.uscc,
        supplier_name=supplier.profile.name,
        site_id=scope,
        rule=rule,
        measure=measure,
        points=proposal.points,
        days=proposal.days if measure is Measure.SUSPENSION else 0,
        facts=proposal.facts.strip(),
        source=proposal.source,
        status=EntryStatus.PROPOSED,
        statement_until=to_iso(after_working_days(calendar, now, rule.statement_days).ends_at),
        statement=None,
        decision=None,
        created_by=actor.display_name,
        created_at=to_iso(now),
        updated_at=to_iso(now),
        version=1,
    )
    summary = f"拟对供应商 {supplier.profile.name} 给予{describe(entry)}（依据 {rule.code}）"
    return entry, _event(entry, "credit.proposed", summary, actor.as_actor(), now)


def propose(
    store: CreditStore,
    calendar: WorkCalendar,
    actor: Principal,
    supplier: Supplier | None,
    proposal: Proposal,
    now: datetime,
) -> CreditEntry:
    entry, audit = draft(store.rules(), calendar, actor, supplier, proposal, now)
    store.create(entry, audit)
    return entry


def state_case(store: CreditStore, entry: CreditEntry, supplier: Principal, text: str, now: datetime) -> CreditEntry:
    """The supplier's statement (申辩), once, within its period."""
    if supplier.role is not Role.SUPPLIER or supplier.org_id != entry.supplier_uscc:
        raise NotFound("信用记录不存在", code="CREDIT_ENTRY_NOT_FOUND")
    if entry.status is not EntryStatus.PROPOSED or entry.statement is not None:
        raise Conflict("该处理已申辩或已决定", code="STATEMENT_CLOSED")
    if now > parse_iso(entry.statement_until):
        raise RuleViolation(
            f"申辩期已于 {_china_day(entry.statement_until)} 届满，不能再提交申辩", code="STATEMENT_LATE"
        )
    if len(text.strip()) < 4:
        raise InvalidInput(
            "申辩内容至少 4 个字", code="VALIDATION_FAILED", details=[field_problem("text", "至少 4 个字")]
        )
    updated = entry._replace(
        statement=Statement(text.strip(), supplier.display_name, to_iso(now)),
        updated_at=to_iso(now),
        version=entry.version + 1,
    )
    summary = f"供应商 {entry.supplier_name} 对{describe(entry)}提出申辩"
    store.save(updated, entry.version, _event(updated, "credit.stated", summary, supplier.as_actor(), now, entry))
    return updated


def decide(
    store: CreditStore,
    actor: Principal,
    entry: CreditEntry,
    supplier: Supplier,
    uphold: bool,
    reason: str,
    now: datetime,
) -> tuple[CreditEntry, Supplier | None]:
    """Uphold (the measure takes effect) or withdraw. Returns the entry and the supplier when its trading changed."""
    scope = _decider_scope(actor)
    if entry.site_id != scope:
        raise Forbidden("该信用处理由其他单位作出，本单位不能决定", code="FORBIDDEN_TENANT")
    if entry.status is not EntryStatus.PROPOSED:
        raise Conflict("该处理已作出决定", code="CREDIT_DECIDED")
    if entry.statement is None and now <= parse_iso(entry.statement_until):
        raise RuleViolation(
            f"申辩期至 {_china_day(entry.statement_until)}，供应商申辩或申辩期届满后方可决定",
            code="STATEMENT_PERIOD_OPEN",
        )
    if len(reason.strip()) < 2:
        raise InvalidInput("须填写决定理由", code="REASON_REQUIRED", details=[field_problem("reason", "必填")])
    decided = entry._replace(
        status=EntryStatus.UPHELD if uphold else EntryStatus.WITHDRAWN,
        decision=Decision(uphold, reason.strip(), actor.display_name, to_iso(now)),
        updated_at=to_iso(now),
        version=entry.version + 1,
    )
    sanctioned = _sanctioned(supplier, decided, now) if uphold else None
    verb = "决定给予" if uphold else "撤销拟给予的"
    summary = f"{verb}供应商 {entry.supplier_name} {describe(entry)}：{reason.strip()}"
    audit = _event(decided, "credit.upheld" if uphold else "credit.withdrawn", summary, actor.as_actor(), now, entry)
    also: tuple[AuditEvent, ...] = ()
    if sanctioned is not None:
        action = (
            "supplier.expelled"
            if entry.measure is Measure.EXPULSION
            else ("supplier.suspended" if scope == PROVINCE_SCOPE else "supplier.site_suspended")
        )
        also = (
            new_event(
                tenant=scope,
                entity_type="supplier",
                entity_id=supplier.uscc,
                action=action,
                summary=f"{summary}（信用记录 {entry.id}）",
                actor=actor.as_actor(),
                at=now,
                before=_trading(supplier),
                after=_trading(sanctioned),
            ),
        )
    store.decide(decided, entry.version, audit, (sanctioned, supplier.version) if sanctioned else None, also)
    return decided, sanctioned


def _trading(supplier: Supplier) -> dict[str, Any]:
    return {"status": supplier.status.value, "suspended_sites": [s.site_id for s in supplier.site_suspensions]}


def _sanctioned(supplier: Supplier, entry: CreditEntry, now: datetime) -> Supplier | None:
    """The supplier as an upheld suspension or expulsion leaves it; None for measures that do not touch trading."""
    if entry.measure not in (Measure.SUSPENSION, Measure.EXPULSION):
        return None
    reason = f"信用处理 {entry.id}：{entry.rule.title}"
    touched = supplier._replace(updated_at=to_iso(now), version=supplier.version + 1)
    if entry.measure is Measure.EXPULSION:
        return touched._replace(status=SupplierStatus.EXPELLED, status_reason=reason, status_until=None)
    until = to_iso(_end_of_days(now, entry.days))
    if entry.site_id == PROVINCE_SCOPE:
        if supplier.status is not SupplierStatus.ACTIVE:
            raise Conflict("该供应商当前不是正常状态，不能暂停交易", code="SUPPLIER_STATUS_CONFLICT")
        return touched._replace(status=SupplierStatus.SUSPENDED, status_reason=reason, status_until=until)
    if supplier.suspension_in(entry.site_id) is not None:
        raise Conflict("该供应商已被本站暂停交易，请先恢复或撤销本处理", code="SUPPLIER_SUSPENDED_IN_SITE")
    suspension = SiteSuspension(entry.site_id, reason, until, entry.decision.by if entry.decision else "", to_iso(now))
    return touched._replace(site_suspensions=(*supplier.site_suspensions, suspension))


def _end_of_days(now: datetime, days: int) -> datetime:
    """A suspension of N days ends at 00:00 China time N days after today (the reinstatement timer wakes then)."""
    from chalicelib.domain.clock import china_midnight

    return china_midnight(china_date(now) + timedelta(days=days + 1))


# ---------------------------------------------------------------- standing


class Standing(NamedTuple):
    score: int
    grade: str
    warnings: tuple[CreditEntry, ...]  # 警示通报 in force (the last 365 days)
    upheld: int  # measures upheld in the last 365 days


def standing(record: Iterable[CreditEntry], now: datetime) -> Standing:
    counted = [e for e in record if e.counts_at(now)]
    score = max(0, FULL_SCORE - sum(e.points for e in counted))
    grade = "A" if score >= 90 else "B" if score >= 75 else "C" if score >= 60 else "D"
    warnings = tuple(sorted((e for e in counted if e.published), key=lambda e: e.updated_at, reverse=True))
    return Standing(score, grade, warnings, len(counted))


GRADE_LABELS = {"A": "守信", "B": "基本守信", "C": "失信风险", "D": "严重失信"}


def public_standing(supplier: Supplier, record: Iterable[CreditEntry], now: datetime) -> dict[str, Any]:
    """What a buyer sees of a supplier in the catalog and before an award: score, grade, notices, trading."""
    s = standing(record, now)
    return {
        "uscc": supplier.uscc,
        "name": supplier.profile.name,
        "score": s.score,
        "grade": s.grade,
        "grade_label": GRADE_LABELS[s.grade],
        "upheld_count": s.upheld,
        "warnings": [
            {
                "id": e.id,
                "title": e.rule.title,
                "site_id": e.site_id,
                "at": e.decision.at if e.decision else e.updated_at,
            }
            for e in s.warnings
        ],
        "status": supplier.status.value,
        "status_label": supplier.status.label,
        "suspended_sites": [x.site_id for x in supplier.site_suspensions],
    }


def _decided_at(entry: CreditEntry) -> str:
    return entry.decision.at if entry.decision else entry.updated_at


def describe(entry: CreditEntry) -> str:
    extra = f"扣 {entry.points} 分" if entry.points else ""
    if entry.measure is Measure.SUSPENSION:
        extra = "，".join(x for x in (f"{entry.days} 天", extra) if x)
    return entry.measure.label + (f"（{extra}）" if extra else "")


def visible_to(entry: CreditEntry, viewer: Principal) -> bool:
    if viewer.role is Role.SUPPLIER:
        return viewer.org_id == entry.supplier_uscc
    if viewer.role is Role.PROVINCE_ADMIN:
        return True
    if viewer.role in (Role.CENTER_ADMIN, Role.FINANCE):
        return entry.site_id == viewer.tenant or entry.published or entry.status is EntryStatus.UPHELD
    return entry.published  # buyers: the public notices only


def view(entry: CreditEntry, viewer: Principal, now: datetime) -> dict[str, Any]:
    scope = viewer.tenant if viewer.role is Role.CENTER_ADMIN else PROVINCE_SCOPE
    can_decide = (
        viewer.role in (Role.CENTER_ADMIN, Role.PROVINCE_ADMIN)
        and entry.site_id == scope
        and entry.status is EntryStatus.PROPOSED
        and (entry.statement is not None or now > parse_iso(entry.statement_until))
    )
    can_state = (
        viewer.role is Role.SUPPLIER
        and entry.status is EntryStatus.PROPOSED
        and entry.statement is None
        and now <= parse_iso(entry.statement_until)
    )
    return entry_to_dict(entry) | {
        "measure_label": entry.measure.label,
        "status_label": entry.status.label,
        "description": describe(entry),
        "published": entry.published,
        "can_decide": can_decide,
        "can_state": can_state,
    }


def _event(
    entry: CreditEntry, action: str, summary: str, actor: Mapping[str, str], now: datetime, before: Any = None
) -> AuditEvent:
    return new_event(
        tenant=entry.site_id,
        entity_type=ENTITY_CREDIT,
        entity_id=entry.id,
        action=action,
        summary=summary,
        actor=actor,
        at=now,
        before=entry_to_dict(before) if isinstance(before, CreditEntry) else before,
        after=entry_to_dict(entry),
    )


def _china_day(iso: str) -> str:
    return china_date(parse_iso(iso)).isoformat()


# ---------------------------------------------------------------- (de)serialisation


def rule_to_dict(rule: CreditRule) -> dict[str, Any]:
    return rule._asdict() | {"measures": [m.value for m in rule.measures]}


def rule_from_dict(raw: Mapping[str, Any]) -> CreditRule:
    return CreditRule(
        code=str(raw["code"]),
        title=str(raw["title"]),
        basis=str(raw["basis"]),
        measures=tuple(Measure(m) for m in raw["measures"]),
        max_points=int(raw["max_points"]),
        max_days=int(raw.get("max_days", 0)),
        statement_days=int(raw.get("statement_days", 5)),
    )


def rules_to_dict(table: RuleTable) -> dict[str, Any]:
    return {"version": table.version, "rules": [rule_to_dict(r) for r in table.rules]}


def rules_from_dict(raw: Mapping[str, Any]) -> RuleTable:
    return RuleTable(int(raw.get("version", 1)), tuple(rule_from_dict(r) for r in raw.get("rules", ())))


def rule_view(rule: CreditRule) -> dict[str, Any]:
    return rule_to_dict(rule) | {"measure_labels": [m.label for m in rule.measures]}


def entry_to_dict(entry: CreditEntry) -> dict[str, Any]:
    raw = entry._asdict()
    raw["rule"] = rule_to_dict(entry.rule)
    raw["measure"] = entry.measure.value
    raw["status"] = entry.status.value
    raw["statement"] = entry.statement._asdict() if entry.statement else None
    raw["decision"] = entry.decision._asdict() if entry.decision else None
    return raw


def entry_from_dict(raw: Mapping[str, Any]) -> CreditEntry:
    statement, decision = raw.get("statement"), raw.get("decision")
    return CreditEntry(
        **{k: raw[k] for k in ("id", "supplier_uscc", "supplier_name", "site_id", "facts", "source")},
        rule=rule_from_dict(raw["rule"]),
        measure=Measure(raw["measure"]),
        points=int(raw["points"]),
        days=int(raw["days"]),
        status=EntryStatus(raw["status"]),
        statement_until=str(raw["statement_until"]),
        statement=Statement(**statement) if statement else None,
        decision=Decision(**decision) if decision else None,
        created_by=str(raw["created_by"]),
        created_at=str(raw["created_at"]),
        updated_at=str(raw["updated_at"]),
        version=int(raw["version"]),
    )


def day_of(iso: str) -> date:
    return china_date(parse_iso(iso))
