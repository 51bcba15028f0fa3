"""Purchase plans (采购计划单): the budget a buyer spends from (seed 003).

Plans inside the centralized catalog, or above the site's limit, are filed on
山东省政府采购信息平台 and pushed here (待接收 → 已接收 / 已退回 by the buyer).
Plans outside the catalog and below the limit are built in the mall itself
(自建计划单) against one of the site's 分散采购品目. A plan's balance is its
budget minus what orders have committed, and never goes below zero.

Purchase limits (采购限额标准) apply when a plan becomes usable: its budget may
not exceed the site's per-plan cap, and a buyer's plans per 二级品目 per year
may not exceed the annual cap (seed 001: 单个二级品目年度预算总额上限).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum
from typing import Any, NamedTuple, Protocol

from chalicelib.domain.audit import AuditEvent, new_event
from chalicelib.domain.catalog import NationalCatalog
from chalicelib.domain.clock import china_date, to_iso
from chalicelib.domain.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound, RuleViolation
from chalicelib.domain.money import format_wan, format_yuan
from chalicelib.domain.principals import SYSTEM_ACTOR, Principal, Role
from chalicelib.domain.sites import SiteConfig

ENTITY_PLAN = "plan"
PUSHED_PLAN_NO = re.compile(r"^\d{20}$")
PLAN_NO_PATTERN = re.compile(r"^(\d{20}|ZJ\d{18})$")


class PlanSource(StrEnum):
    PUSHED = "pushed"
    SELF_BUILT = "self_built"

    @property
    def label(self) -> str:
        return {PlanSource.PUSHED: "平台推送", PlanSource.SELF_BUILT: "自建"}[self]


class PlanStatus(StrEnum):
    PENDING_ACCEPTANCE = "pending_acceptance"
    ACCEPTED = "accepted"
    RETURNED = "returned"

    @property
    def label(self) -> str:
        return {PlanStatus.PENDING_ACCEPTANCE: "待接收", PlanStatus.ACCEPTED: "已接收", PlanStatus.RETURNED: "已退回"}[
            self
        ]


class PlanMethod(StrEnum):
    ONLINE_SUPERMARKET = "online_supermarket"
    DESIGNATED = "designated"
    BATCH = "batch"

    @property
    def label(self) -> str:
        return {
            PlanMethod.ONLINE_SUPERMARKET: "网上超市",
            PlanMethod.DESIGNATED: "定点采购",
            PlanMethod.BATCH: "批量集中采购",
        }[self]


FUND_SOURCES: dict[str, str] = {
    "general_budget": "预算内一般预算",
    "government_fund": "预算内政府性基金",
    "state_capital": "预算内国有资本运营",
    "fiscal_special": "财政专户资金",
    "self_raised": "自筹资金",
}


# Units that name a lump rather than a count: a line of "1 批" pays for the item, not for one unit of it.
LUMP_UNITS = frozenset({"批", "项", "宗", "年", "月", "期"})


class PlanLine(NamedTuple):
    """The one detail line a filed plan carries (一个计划只能有一条明细)."""

    catalog_code: str
    catalog_name: str
    item_name: str
    quantity: int
    unit: str
    unit_price_fen: int
    amount_fen: int


class Plan(NamedTuple):
    plan_no: str
    site_id: str
    source: PlanSource
    status: PlanStatus
    name: str
    business_year: int
    business_month: int
    purchase_method: PlanMethod
    buyer_uscc: str
    buyer_name: str
    district: str
    funding_department: str
    planned_date: str
    deadline_date: str
    funds: dict[str, int]
    budget_fen: int
    committed_fen: int
    line: PlanLine | None
    budget_category: str | None  # a 分散采购品目 code, for self-built plans
    level2_code: str  # the 二级品目 the annual cap counts against
    note: str
    return_reason: str
    created_at: str
    updated_at: str
    version: int
    ordered_quantity: int = 0  # of the line's quantity, what orders have taken (like committed_fen)

    @property
    def balance_fen(self) -> int:
        return self.budget_fen - self.committed_fen

    @property
    def counts_units(self) -> bool:
        """Whether the plan's line counts units an order can be held to (10 台), not a lump (1 批, 1 项)."""
        return self.line is not None and self.line.unit not in LUMP_UNITS

    @property
    def quantity_left(self) -> int | None:
        """What the plan's line still pays for, in its unit; None when it lists no countable quantity."""
        return max(self.line.quantity - self.ordered_quantity, 0) if self.line and self.counts_units else None


class CapUsage(NamedTuple):
    """How much of a buyer's annual cap for one 二级品目 its plans have taken."""

    buyer_uscc: str
    year: int
    level2_code: str
    used_fen: int


class PlanStore(Protocol):
    def get(self, site_id: str, plan_no: str) -> Plan | None: ...

    def usage(self, site_id: str, buyer_uscc: str, year: int, level2_code: str) -> CapUsage: ...

    def create(
        self, plan: Plan, audit: AuditEvent, cap: tuple[CapUsage, int] | None, nonce: tuple[str, int] | None = None
    ) -> None:
        """Put a new plan; with cap=(usage, limit) also add its budget to the usage,
        conditional on staying within the limit (Conflict LIMIT_RACE otherwise); with
        nonce=(value, expires_at) record the push's nonce, once (Conflict NONCE_USED)."""

    def nonce_used(self, nonce: str) -> bool: ...

    def save(self, plan: Plan, previous: Plan, audit: AuditEvent, cap: tuple[CapUsage, int] | None) -> None: ...

    def next_self_built_number(self, site_id: str, district: str, day: date) -> str: ...


class NewPushedPlan(NamedTuple):
    plan_no: str
    name: str
    business_year: int
    business_month: int
    purchase_method: PlanMethod
    division_code: str
    buyer_uscc: str
    buyer_name: str
    funding_department: str
    planned_date: str
    deadline_date: str
    funds: dict[str, int]
    line: PlanLine


class NewSelfBuiltPlan(NamedTuple):
    name: str
    business_year: int
    business_month: int
    purchase_method: PlanMethod
    budget_category: str
    amount_fen: int
    planned_date: str
    note: str


# ---------------------------------------------------------------- limits


def level2_of(code: str) -> str:
    """A09010203 -> A09010000; a level-2 or level-1 code is its own group."""
    return code[:5] + "0000" if len(code) == 9 else code


def check_limits(site: SiteConfig, plan_budget_fen: int, usage: CapUsage, level2_name: str) -> tuple[CapUsage, int]:
    """Refuse a plan the site's limits do not allow; returns the cap to write against."""
    limits = site.limits
    if plan_budget_fen > limits.per_plan_cap_fen:
        raise RuleViolation(
            f"超出单个采购计划限额：限额 {format_wan(limits.per_plan_cap_fen)} 万元，"
            f"本计划 {format_wan(plan_budget_fen)} 万元",
            code="LIMIT_EXCEEDED",
            details={
                "limit": "per_plan",
                "limit_label": "单个采购计划限额",
                "limit_fen": limits.per_plan_cap_fen,
                "used_fen": 0,
                "left_fen": limits.per_plan_cap_fen,
                "requested_fen": plan_budget_fen,
            },
        )
    cap = limits.annual_category_cap_fen
    left = cap - usage.used_fen
    if plan_budget_fen > left:
        raise RuleViolation(
            f"超出{usage.year}年度“{level2_name}”品目采购限额：限额 {format_wan(cap)} 万元，"
            f"已用 {format_wan(usage.used_fen)} 万元，剩余 {format_wan(max(left, 0))} 万元，"
            f"本计划 {format_wan(plan_budget_fen)} 万元",
            code="LIMIT_EXCEEDED",
            details={
                "limit": "annual_category",
                "limit_label": "年度品目采购限额",
                "level2_code": usage.level2_code,
                "limit_fen": cap,
                "used_fen": usage.used_fen,
                "left_fen": max(left, 0),
                "requested_fen": plan_budget_fen,
            },
        )
    return usage, cap


# ---------------------------------------------------------------- events


def _event(
    plan: Plan, action: str, summary: str, actor: dict[str, str], at: datetime, before: Any, after: Any
) -> AuditEvent:
    return new_event(
        tenant=plan.site_id,
        entity_type=ENTITY_PLAN,
        entity_id=plan.plan_no,
        action=action,
        summary=summary,
        actor=actor,
        at=at,
        before=before,
        after=after,
        context={"buyer": plan.buyer_uscc, "budget_fen": plan.budget_fen},
    )


# ---------------------------------------------------------------- pushed plans


def pushed_plan_problems(new: NewPushedPlan, catalog: NationalCatalog) -> list[dict[str, str]]:
    found: list[dict[str, str]] = []
    if not PUSHED_PLAN_NO.match(new.plan_no) or not new.plan_no.startswith(new.division_code):
        found.append({"field": "plan_no", "message": "计划编号应为 20 位数字，且以计划所属区划代码开头"})
    unknown = sorted(set(new.funds) - set(FUND_SOURCES))
    if unknown:
        found.append({"field": "funds", "message": f"未知的资金来源：{'、'.join(unknown)}"})
    line = new.line
    if catalog.get(line.catalog_code) is None:
        found.append(
            {"field": "line.catalog_code", "message": f"品目编码 {line.catalog_code} 不在 2022 版品目分类目录中"}
        )
    if line.quantity * line.unit_price_fen != line.amount_fen:
        found.append(
            {
                "field": "line.amount_fen",
                "message": (
                    f"明细金额 {format_yuan(line.amount_fen)} 元不等于"
                    f"数量 {line.quantity} × 单价 {format_yuan(line.unit_price_fen)} 元"
                ),
            }
        )
    total = sum(new.funds.values())
    if total != line.amount_fen:
        found.append(
            {
                "field": "funds",
                "message": f"各资金来源合计 {format_yuan(total)} 元与明细金额 {format_yuan(line.amount_fen)} 元不一致",
            }
        )
    if total <= 0:
        found.append({"field": "funds", "message": "预算金额须大于 0"})
    if new.deadline_date < new.planned_date:
        found.append({"field": "deadline_date", "message": "计划实施截止日期不能早于计划采购日期"})
    return found


def receive_pushed(
    store: PlanStore,
    site: SiteConfig,
    new: NewPushedPlan,
    catalog: NationalCatalog,
    now: datetime,
    nonce: tuple[str, int] | None = None,
) -> tuple[Plan, bool]:
    """Store a plan pushed by the provincial platform; returns (plan, created).

    The same plan pushed again with the same content is acknowledged; with
    different content it is refused (a revised plan gets a new number there).
    """
    problems = pushed_plan_problems(new, catalog)
    if problems:
        raise InvalidInput(
            "计划数据有误：" + "；".join(p["message"] for p in problems), code="VALIDATION_FAILED", details=problems
        )
    entry = catalog.get(new.line.catalog_code)
    line = new.line._replace(catalog_name=entry.name if entry else "")
    funds = {key: int(new.funds.get(key, 0)) for key in FUND_SOURCES}
    plan = Plan(
        plan_no=new.plan_no,
        site_id=site.id,
        source=PlanSource.PUSHED,
        status=PlanStatus.PENDING_ACCEPTANCE,
        name=new.name,
        business_year=new.business_year,
        business_month=new.business_month,
        purchase_method=new.purchase_method,
        buyer_uscc=new.buyer_uscc,
        buyer_name=new.buyer_name,
        district=new.division_code,
        funding_department=new.funding_department,
        planned_date=new.planned_date,
        deadline_date=new.deadline_date,
        funds=funds,
        budget_fen=sum(funds.values()),
        committed_fen=0,
        line=line,
        budget_category=None,
        level2_code=level2_of(line.catalog_code),
        note="",
        return_reason="",
        created_at=to_iso(now),
        updated_at=to_iso(now),
        version=1,
    )
    existing = store.get(site.id, plan.plan_no)
    if existing is not None:
        if _same_content(existing, plan):
            return existing, False
        raise Conflict(f"计划 {plan.plan_no} 已推送过且内容不同，请使用新的计划编号", code="PLAN_EXISTS")
    audit = _event(
        plan,
        "plan.received",
        f"接收省平台推送的采购计划 {plan.plan_no} {plan.name}",
        SYSTEM_ACTOR,
        now,
        None,
        plan_to_dict(plan),
    )
    store.create(plan, audit, None, nonce)
    return plan, True


def site_for_division(sites: list[SiteConfig], division_code: str) -> SiteConfig:
    """The city site a plan belongs to, by the district code it was filed under."""
    for site in sites:
        if division_code == site.division_code or site.district(division_code) is not None:
            return site
    raise RuleViolation(
        f"区划 {division_code} 不属于任何已开通的网上商城分站",
        code="SITE_NOT_FOUND_FOR_DIVISION",
        details=[{"field": "division_code", "message": "不属于已开通分站"}],
    )


def _same_content(a: Plan, b: Plan) -> bool:
    ignore = {"created_at", "updated_at", "status", "version", "committed_fen", "return_reason"}
    left = {k: v for k, v in plan_to_dict(a).items() if k not in ignore}
    right = {k: v for k, v in plan_to_dict(b).items() if k not in ignore}
    return left == right


def _own_pending(store: PlanStore, buyer: Principal, site_id: str, plan_no: str) -> Plan:
    plan = visible_plan(store, buyer, site_id, plan_no)
    if plan.buyer_uscc != buyer.org_id:
        raise Forbidden("只有计划所属采购单位可以接收或退回计划", code="NOT_PLAN_OWNER")
    if plan.status is not PlanStatus.PENDING_ACCEPTANCE:
        raise Conflict(f"计划当前状态为“{plan.status.label}”，不能再接收或退回", code="PLAN_STATUS_CONFLICT")
    return plan


def accept(store: PlanStore, site: SiteConfig, buyer: Principal, plan_no: str, level2_name: str, now: datetime) -> Plan:
    plan = _own_pending(store, buyer, site.id, plan_no)
    usage = store.usage(site.id, plan.buyer_uscc, plan.business_year, plan.level2_code)
    cap = check_limits(site, plan.budget_fen, usage, level2_name)
    updated = plan._replace(status=PlanStatus.ACCEPTED, updated_at=to_iso(now), version=plan.version + 1)
    audit = _event(
        plan,
        "plan.accepted",
        f"接收采购计划 {plan.plan_no}",
        buyer.as_actor(),
        now,
        {"status": plan.status.value},
        {"status": updated.status.value},
    )
    store.save(updated, plan, audit, cap)
    return updated


def return_plan(store: PlanStore, site_id: str, buyer: Principal, plan_no: str, reason: str, now: datetime) -> Plan:
    if not reason.strip():
        raise InvalidInput("退回须填写原因", code="REASON_REQUIRED", details=[{"field": "reason", "message": "必填"}])
    plan = _own_pending(store, buyer, site_id, plan_no)
    updated = plan._replace(
        status=PlanStatus.RETURNED, return_reason=reason, updated_at=to_iso(now), version=plan.version + 1
    )
    audit = _event(
        plan,
        "plan.returned",
        f"退回采购计划 {plan.plan_no}：{reason}",
        buyer.as_actor(),
        now,
        {"status": plan.status.value},
        {"status": updated.status.value, "reason": reason},
    )
    store.save(updated, plan, audit, None)
    return updated


# ---------------------------------------------------------------- self-built plans


def create_self_built(
    store: PlanStore, site: SiteConfig, buyer: Principal, new: NewSelfBuiltPlan, catalog: NationalCatalog, now: datetime
) -> Plan:
    if new.budget_category not in site.decentralized_categories:
        raise InvalidInput(
            f"预算品目 {new.budget_category} 不在{site.short_name}站点的分散采购品目中",
            code="VALIDATION_FAILED",
            details=[{"field": "budget_category", "message": "请从分散采购品目中选择"}],
        )
    if not buyer.org_id:
        raise Forbidden("账号未绑定采购单位", code="ORG_MISSING")
    level2 = level2_of(new.budget_category)
    level2_entry = catalog.get(level2)
    usage = store.usage(site.id, buyer.org_id, new.business_year, level2)
    cap = check_limits(site, new.amount_fen, usage, level2_entry.name if level2_entry else level2)
    plan = Plan(
        plan_no=store.next_self_built_number(site.id, buyer.district or site.division_code, china_date(now)),
        site_id=site.id,
        source=PlanSource.SELF_BUILT,
        status=PlanStatus.ACCEPTED,
        name=new.name,
        business_year=new.business_year,
        business_month=new.business_month,
        purchase_method=new.purchase_method,
        buyer_uscc=buyer.org_id,
        buyer_name=buyer.org_name,
        district=buyer.district or site.division_code,
        funding_department="",
        planned_date=new.planned_date,
        deadline_date=f"{new.business_year}-12-31",
        funds={key: (new.amount_fen if key == "general_budget" else 0) for key in FUND_SOURCES},
        budget_fen=new.amount_fen,
        committed_fen=0,
        line=None,
        budget_category=new.budget_category,
        level2_code=level2,
        note=new.note,
        return_reason="",
        created_at=to_iso(now),
        updated_at=to_iso(now),
        version=1,
    )
    category = catalog.get(new.budget_category)
    audit = _event(
        plan,
        "plan.created",
        f"自建采购计划 {plan.plan_no} {plan.name}（{category.name if category else ''}）",
        buyer.as_actor(),
        now,
        None,
        plan_to_dict(plan),
    )
    store.create(plan, audit, cap)
    return plan


# ---------------------------------------------------------------- reading


def visible_plan(store: PlanStore, principal: Principal, site_id: str, plan_no: str) -> Plan:
    plan = store.get(site_id, plan_no) if PLAN_NO_PATTERN.match(plan_no) else None
    if plan is None or (principal.role is Role.BUYER and plan.buyer_uscc != principal.org_id):
        raise NotFound("采购计划不存在", code="PLAN_NOT_FOUND")
    return plan


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    return {
        "plan_no": plan.plan_no,
        "site_id": plan.site_id,
        "source": plan.source.value,
        "status": plan.status.value,
        "name": plan.name,
        "business_year": plan.business_year,
        "business_month": plan.business_month,
        "purchase_method": plan.purchase_method.value,
        "buyer": {"uscc": plan.buyer_uscc, "name": plan.buyer_name},
        "district": plan.district,
        "funding_department": plan.funding_department,
        "planned_date": plan.planned_date,
        "deadline_date": plan.deadline_date,
        "funds": dict(plan.funds),
        "budget_fen": plan.budget_fen,
        "committed_fen": plan.committed_fen,
        "balance_fen": plan.balance_fen,
        "line": plan.line._asdict() if plan.line else None,
        "budget_category": plan.budget_category,
        "level2_code": plan.level2_code,
        "note": plan.note,
        "return_reason": plan.return_reason,
        "created_at": plan.created_at,
        "updated_at": plan.updated_at,
        "version": plan.version,
    }


def plan_from_dict(raw: dict[str, Any]) -> Plan:
    return Plan(
        plan_no=raw["plan_no"],
        site_id=raw["site_id"],
        source=PlanSource(raw["source"]),
        status=PlanStatus(raw["status"]),
        name=raw["name"],
        business_year=int(raw["business_year"]),
        business_month=int(raw["business_month"]),
        purchase_method=PlanMethod(raw["purchase_method"]),
        buyer_uscc=raw["buyer"]["uscc"],
        buyer_name=raw["buyer"]["name"],
        district=raw["district"],
        funding_department=raw.get("funding_department", ""),
        planned_date=raw["planned_date"],
        deadline_date=raw["deadline_date"],
        funds={k: int(v) for k, v in raw["funds"].items()},
        budget_fen=int(raw["budget_fen"]),
        committed_fen=int(raw.get("committed_fen", 0)),
        line=PlanLine(**raw["line"]) if raw.get("line") else None,
        budget_category=raw.get("budget_category"),
        level2_code=raw["level2_code"],
        note=raw.get("note", ""),
        return_reason=raw.get("return_reason", ""),
        created_at=raw["created_at"],
        updated_at=raw["updated_at"],
        version=int(raw["version"]),
    )


def balance_refusal(plan: Plan, requested_fen: int, what: str = "本订单") -> RuleViolation:
    """PLAN_BALANCE_INSUFFICIENT: one status, code and details shape for every method, whether the read-time
    check caught it or the write's condition did under a race (see after_race_refusal)."""
    balance = max(plan.balance_fen, 0)
    return RuleViolation(
        f"采购计划可用余额不足：余额 {format_yuan(balance)} 元，{what} {format_yuan(requested_fen)} 元",
        code="PLAN_BALANCE_INSUFFICIENT",
        details={"plan_no": plan.plan_no, "balance_fen": balance, "requested_fen": requested_fen},
    )


def quantity_refusal(plan: Plan, wanted: int) -> RuleViolation:
    """PLAN_QUANTITY_EXCEEDED: more units than the plan's line has left."""
    planned = plan.line.quantity if plan.line is not None else 0
    unit = plan.line.unit if plan.line is not None else ""
    return RuleViolation(
        f"超出采购计划所列数量：计划 {planned} {unit}，已下单 {plan.ordered_quantity} {unit}，本订单 {wanted} {unit}",
        code="PLAN_QUANTITY_EXCEEDED",
        details={"planned": planned, "ordered": plan.ordered_quantity, "requested": wanted},
    )


def after_race_refusal(plan: Plan | None, requested_fen: int, wanted: int = 0, what: str = "本订单") -> DomainError:
    """What the client is told when a plan's write condition failed: the plan as it is now, judged by the same
    rules as the read-time checks, so a race answers like the check it slipped past."""
    if plan is None:
        return NotFound("采购计划不存在", code="PLAN_NOT_FOUND")
    if plan.status is not PlanStatus.ACCEPTED:
        return Conflict(f"采购计划当前状态为“{plan.status.label}”，请刷新后重试", code="PLAN_NOT_ACCEPTED")
    left = plan.quantity_left
    if wanted and left is not None and wanted > left:
        return quantity_refusal(plan, wanted)
    return balance_refusal(plan, requested_fen, what)
