"""Competitions: 竞价 (a sealed request for quotations) and 反拍 (a real-time reverse auction).

Both start from an accepted plan, whose balance they reserve up to the ceiling
(最高限价) while they run, and both end in the orders lifecycle through the
pricing/commit split (mechanism 竞价 or 反拍, source = the competition).

The deadline is the rule everyone relies on, and it is held by the database:
a quote or bid is written only under the condition `end_at > now` on the
competition's item, so one that comes a millisecond late is refused whatever
the timer is doing. The state machine (infra/statemachines/competition.asl.json)
only wakes at the time the item gives and asks `advance` what is next.

竞价: every active supplier qualified for the category and district is invited
(or, where the site allows it, a random draw whose seed and pool are recorded so
the operator can replay it). Quotes are sealed (encrypted under a key only the
closing task may use) until the deadline, and may be revised until then. At the
deadline: fewer responders than the site's minimum → 流标; otherwise the quotes
are ranked by evaluated price (小微企业价格扣除), ties to the earlier quote. A
定制类 project is first checked for substantive responsiveness by the buyer and
that decision reviewed by the site's operator. The first ranked is offered the
award and confirms within the site's window (working days on China's calendar),
or the next ranked is offered it.

反拍: open and descending in real time. Every bid must be at least the step
below the best price so far (so the leader is always one supplier); a bid in
the last minutes moves the end (anti-sniping). Bidders are shown as 供应商#n
until it ends. One bidder is awarded; none fails it.
"""

from __future__ import annotations

import hashlib
import json
import random
import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, NamedTuple, Protocol

from chalicelib.domain.audit import AuditEvent, new_event
from chalicelib.domain.clock import china_date, parse_iso, to_iso
from chalicelib.domain.errors import Conflict, Forbidden, InvalidInput, NotFound, RuleViolation, field_problem
from chalicelib.domain.lifecycle import Condition, Move, Party, Subject, allowed, check, move, required_reason
from chalicelib.domain.money import format_yuan
from chalicelib.domain.orders import check_expected_date
from chalicelib.domain.plans import Plan, PlanStatus, balance_refusal, level2_of
from chalicelib.domain.principals import SYSTEM_ACTOR, Principal, Role
from chalicelib.domain.purchase import Mechanism
from chalicelib.domain.sites import MallCategory, SiteConfig, require_method
from chalicelib.domain.workdays import WorkCalendar, after_working_days

ENTITY_COMPETITION = "competition"
MAX_SPEC = 2000
MAX_TECHNICAL = 4000
RECORD_PREFIX = "competitions"
GENESIS = "0" * 64


class Kind(StrEnum):
    BIDDING = "bidding"
    AUCTION = "reverse_auction"

    @property
    def label(self) -> str:
        return "竞价" if self is Kind.BIDDING else "反拍"

    @property
    def mechanism(self) -> Mechanism:
        return Mechanism.BIDDING if self is Kind.BIDDING else Mechanism.REVERSE_AUCTION

    @property
    def prefix(self) -> str:
        return "JJ" if self is Kind.BIDDING else "FP"


class Status(StrEnum):
    OPEN = "open"
    EVALUATING = "evaluating"
    REVIEWING = "reviewing"
    CONFIRMING = "confirming"
    CONFIRMED = "confirmed"
    AWARDED = "awarded"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return {
            "open": "进行中",
            "evaluating": "待符合性审查",
            "reviewing": "待采购中心复核",
            "confirming": "待成交确认",
            "confirmed": "已确认成交",
            "awarded": "已成交",
            "failed": "流标",
            "cancelled": "已撤销",
        }[self.value]

    @property
    def ended(self) -> bool:
        return self in (Status.AWARDED, Status.FAILED, Status.CANCELLED)


class Step(StrEnum):
    """What the closing task tells the state machine (its Choice routes on these words)."""

    BIDDING = "bidding"  # still open: wait until wake_at (the end moved, or was not reached)
    EARLY = "early"  # woken before the time it was armed for: pause and ask again
    CONFIRMING = "confirming"  # an award is offered: wait until its window ends
    WAITING = "waiting"  # people decide next (定制类 review); their decision arms a new timer
    AWARDED = "awarded"
    FAILED = "failed"
    CANCELLED = "cancelled"
    SUPERSEDED = "superseded"  # a newer timer owns this competition


class Item(NamedTuple):
    category_id: str
    category_name: str
    catalog_code: str
    spec: str  # free-text specification (技术参数、服务要求)
    listing_id: str  # a listing given as the reference, or ""
    quantity: int
    unit: str


class Delivery(NamedTuple):
    district: str
    address: str
    contact: str
    phone: str
    expected_date: str  # YYYY-MM-DD


class Invitation(NamedTuple):
    """Who may respond, and how they were chosen (replayable from pool and seed)."""

    mode: str  # "all" or "draw"
    pool: tuple[str, ...]  # every qualified supplier, sorted
    seed: str  # the draw's seed ("" for all)
    invited: tuple[str, ...]  # sorted


class Rule(NamedTuple):
    """The numbers this competition runs by, taken from the site when it is launched."""

    min_suppliers: int
    confirm_working_days: int
    sme_deduction_bp: int
    step_fen: int  # 反拍: the minimal step; 0 for 竞价
    extension_window_s: int
    extension_s: int
    direct_after_failure: bool


class RankEntry(NamedTuple):
    supplier_uscc: str
    supplier_name: str
    alias: str  # 供应商#n, numbered by the ranking
    unit_price_fen: int
    total_fen: int
    small_micro: bool
    deduction_bp: int
    evaluated_fen: int
    submitted_at: str
    responsive: bool | None = None  # 定制类: the buyer's finding; None until made (or not needed)
    reason: str = ""
    explanation: str = ""
    nonce: str = ""  # 竞价: the sealed quote's random part, opened at the deadline (recomputes the receipt)


class Offer(NamedTuple):
    supplier_uscc: str
    offered_at: str
    confirm_by: str
    outcome: str  # pending / confirmed / declined / lapsed
    estimated: bool = False  # the window crossed a year whose holidays are not loaded


class Competition(NamedTuple):
    id: str
    site_id: str
    kind: Kind
    status: Status
    title: str
    plan_no: str
    buyer_uscc: str
    buyer_name: str
    buyer_user: str
    item: Item
    delivery: Delivery
    ceiling_fen: int
    reserved_fen: int
    custom: bool  # 定制类: needs a technical response and a responsiveness check
    invitation: Invitation
    rule: Rule
    starts_at: str
    end_at: str  # the deadline (反拍: moves with late bids)
    generation: int
    version: int
    created_at: str
    updated_at: str
    best_total_fen: int = 0  # 反拍: the best price so far (0: no bid yet)
    best_by: str = ""
    bids: int = 0
    ranking: tuple[RankEntry, ...] = ()
    offers: tuple[Offer, ...] = ()
    outcome: str = ""  # why it failed or was cancelled, in Chinese
    order_no: str = ""
    close_digest: str = ""  # the record's chain head at the deadline
    record_key: str = ""
    record_digest: str = ""
    relaunched_from: str = ""
    relaunched_as: str = ""
    evaluation_note: str = ""  # the operator's reason when returning a responsiveness check
    buyer_district: str = ""
    # 框架协议·二次竞价: the agreement whose shortlisted suppliers compete, and each one's unit cap (入围限价)
    agreement_no: str = ""
    caps: tuple[tuple[str, int], ...] = ()

    @property
    def open_offer(self) -> Offer | None:
        return self.offers[-1] if self.offers and self.offers[-1].outcome == "pending" else None

    @property
    def mechanism(self) -> Mechanism:
        return Mechanism.FRAMEWORK_BIDDING if self.agreement_no else self.kind.mechanism

    @property
    def label(self) -> str:
        """竞价, 反拍, or 二次竞价 for a framework agreement's mini-competition."""
        return self.mechanism.label


class SealedQuote(NamedTuple):
    """A 竞价 quote as stored: the amount only as ciphertext until the deadline."""

    competition_id: str
    supplier_uscc: str
    supplier_name: str
    small_micro: bool
    sealed: str
    commitment: str  # sha256 of what was sealed: the supplier's receipt
    submitted_at: str
    revision: int
    technical: str


# The audit event of each quote, revision and bid carries its line of the record under this key: the record is
# compiled from the immutable audit trail, so a bid is written once (no second copy to keep in step).
RECORD_ENTRY = "record_entry"


class LogEntry(NamedTuple):
    """One line of the competition's record, kept as it happens (amounts of sealed quotes as commitments)."""

    key: str  # sorts the record: time, then a tie-breaker
    at: str
    action: str
    supplier_uscc: str
    data: dict[str, Any]
    supplier_name: str = ""


class Candidate(NamedTuple):
    """A supplier that could be invited: active in the site, with a listing of the category delivering there."""

    uscc: str
    name: str
    small_micro: bool


class NewCompetition(NamedTuple):
    kind: Kind
    title: str
    plan_no: str
    category_id: str
    spec: str
    listing_id: str
    quantity: int
    unit: str
    ceiling_fen: int
    delivery: Delivery
    end_at: datetime | None  # 竞价: the response deadline (None: the site's default)
    starts_at: datetime | None  # 反拍: when bidding opens (None: now)
    custom: bool
    draw_size: int  # 0: invite every qualified supplier
    step_bp: int  # 反拍: 0 for the site's minimum


class FrameworkScope(NamedTuple):
    """二次竞价: only the agreement's shortlisted suppliers are invited, each held to its own cap."""

    agreement_no: str
    caps: dict[str, int]  # supplier → its unit cap for the item
    min_suppliers: int


class Sealer(Protocol):
    """Encrypts quote amounts so that only the closing task can read them (KMS in AWS)."""

    def seal(self, plaintext: bytes, context: Mapping[str, str]) -> str: ...

    def open(self, sealed: str, context: Mapping[str, str]) -> bytes: ...


class CompetitionTimer(Protocol):
    def arm(self, competition: Competition, wake_at: str) -> None: ...

    def stop(self, competition: Competition) -> None: ...


class CompetitionStore(Protocol):
    def get(self, site_id: str, competition_id: str) -> Competition | None: ...

    def create(self, competition: Competition, plan_budget_fen: int, audit: AuditEvent) -> None:
        """The competition, its plan reservation (committed_fen + ceiling, within the budget) and the audit, at once."""

    def quotes(self, competition: Competition) -> list[SealedQuote]: ...

    def log(self, competition: Competition) -> list[LogEntry]: ...

    def put_quote(self, competition: Competition, quote: SealedQuote, audit: AuditEvent, now: str) -> None:
        """Under the conditions: open, end_at > now, invited, and the quote's previous revision unchanged."""

    def put_bid(
        self,
        competition: Competition,
        total_fen: int,
        supplier_uscc: str,
        end_at: str,
        audit: AuditEvent,
        now: str,
    ) -> None:
        """Under the conditions: open, started, end_at > now, invited, best price at least a step above."""

    def save(self, competition: Competition, previous: Competition, audit: AuditEvent, release_fen: int = 0) -> None:
        """The new state on the previous version, giving `release_fen` of the reservation back to the plan."""

    def relaunch(
        self, failed: Competition, previous: Competition, new: Competition, audit: AuditEvent, plan_budget_fen: int
    ) -> None: ...


# ---------------------------------------------------------------- moves


def _has_open_offer(c: Competition) -> bool:
    return c.open_offer is not None


_NO_OFFER = Condition(_has_open_offer, "当前没有待确认的成交", "NO_OPEN_OFFER")

# Who may move a competition, from where, to where; the guards and the actions a view offers both read this.
COMPETITION_MOVES: dict[str, Move] = {
    "quote": move([Status.OPEN], Party.SUPPLIER, None, "报价"),
    "cancel": move([Status.OPEN], Party.BUYER, Status.CANCELLED, "撤销", needs_reason=True),
    "close": move([Status.OPEN], Party.SYSTEM, Status.CONFIRMING, "截止"),
    "submit_evaluation": move([Status.EVALUATING], Party.BUYER, Status.REVIEWING, "提交符合性审查"),
    "approve_evaluation": move([Status.REVIEWING], Party.OPERATOR, Status.CONFIRMING, "复核通过"),
    "return_evaluation": move([Status.REVIEWING], Party.OPERATOR, Status.EVALUATING, "退回审查", needs_reason=True),
    "confirm": move([Status.CONFIRMING], Party.SUPPLIER, Status.CONFIRMED, "确认成交", conditions=[_NO_OFFER]),
    "decline": move([Status.CONFIRMING], Party.SUPPLIER, None, "放弃成交", needs_reason=True, conditions=[_NO_OFFER]),
    "lapse": move([Status.CONFIRMING], Party.SYSTEM, None, "顺延成交", conditions=[_NO_OFFER]),
    "award": move([Status.CONFIRMED], Party.SYSTEM, Status.AWARDED, "生成订单"),
    "relaunch": move([Status.FAILED], Party.BUYER, None, "重新发起"),
}
_SUBJECT = Subject("项目", "COMPETITION_STATUS_CONFLICT", "NOT_COMPETITION_PARTY")


def party_of(c: Competition, principal: Principal | None) -> Party | None:
    if principal is None:
        return Party.SYSTEM
    if principal.role is Role.BUYER and principal.org_id == c.buyer_uscc:
        return Party.BUYER
    if principal.role is Role.SUPPLIER and principal.org_id in c.invitation.invited:
        return Party.SUPPLIER
    if principal.role is Role.CENTER_ADMIN or principal.role is Role.PROVINCE_ADMIN:
        return Party.OPERATOR
    return None


def _guard(c: Competition, principal: Principal | None, action: str) -> Move:
    return check(COMPETITION_MOVES, action, c, c.status, party_of(c, principal), c.status.label, _SUBJECT)


def actions_for(c: Competition, principal: Principal, now: datetime) -> list[str]:
    found = allowed(COMPETITION_MOVES, c, c.status, party_of(c, principal))
    if "relaunch" in found and c.relaunched_as:
        found.remove("relaunch")
    offer = c.open_offer
    if offer is not None and offer.supplier_uscc != principal.org_id:
        found = [a for a in found if a not in ("confirm", "decline")]
    if c.status is Status.OPEN and (to_iso(now) >= c.end_at or to_iso(now) < c.starts_at):
        found = [a for a in found if a != "quote"]
    if c.status is Status.OPEN and c.kind is Kind.AUCTION and "quote" in found:
        found[found.index("quote")] = "bid"
    return found


# ---------------------------------------------------------------- launching


def _refuse(message: str, code: str, field: str = "") -> RuleViolation:
    return RuleViolation(message, code=code, details=[field_problem(field, message)] if field else None)


def new_competition_id(kind: Kind, now: datetime) -> str:
    """JJ/FP + yyyymmdd + 10 digits: 20 characters, unique by a random part (writes check absence)."""
    return f"{kind.prefix}{china_date(now):%Y%m%d}{uuid.uuid4().int % 10**10:010d}"


def competition_id_valid(text: str) -> bool:
    return len(text) == 20 and text[:2] in ("JJ", "FP") and text[2:].isdigit()


def draw(pool: Sequence[str], size: int, seed: str) -> tuple[str, ...]:
    """A reproducible random draw: the same pool and seed always give the same suppliers."""
    ordered = sorted(pool)
    if size >= len(ordered):
        return tuple(ordered)
    return tuple(sorted(random.Random(seed).sample(ordered, size)))


def _category(site: SiteConfig, category_id: str) -> MallCategory:
    found = next((c for c in site.leaf_categories() if c.id == category_id), None)
    if found is None:
        raise InvalidInput(
            "商城品目不存在或不是末级品目",
            code="CATEGORY_NOT_FOUND",
            details=[field_problem("category_id", "请选择末级品目")],
        )
    return found


def _deadlines(site: SiteConfig, new: NewCompetition, now: datetime) -> tuple[datetime, datetime]:
    rules = site.bidding
    if new.kind is Kind.BIDDING:
        end = new.end_at or now + timedelta(hours=rules.bidding_response_hours)
        shortest = now + timedelta(minutes=rules.bidding_min_response_minutes)
        longest = now + timedelta(hours=rules.bidding_max_response_hours)
        if end < now:
            raise _refuse("报价截止时间已过，请重新选择", "DEADLINE_IN_PAST", "end_at")
        if end < shortest:
            raise _refuse(
                f"报价截止时间距现在至少 {rules.bidding_min_response_minutes} 分钟", "DEADLINE_TOO_SOON", "end_at"
            )
        if end > longest:
            raise _refuse(
                f"报价截止时间距现在不能超过 {rules.bidding_max_response_hours} 小时", "DEADLINE_TOO_LATE", "end_at"
            )
        return now, end
    start = new.starts_at or now
    if start < now - timedelta(minutes=1):
        raise _refuse("反拍开始时间已过，请重新选择", "DEADLINE_IN_PAST", "starts_at")
    if start > now + timedelta(hours=rules.bidding_max_response_hours):
        raise _refuse(
            f"反拍开始时间距现在不能超过 {rules.bidding_max_response_hours} 小时", "DEADLINE_TOO_LATE", "starts_at"
        )
    start = max(start, now)
    return start, start + timedelta(minutes=rules.auction_minutes)


def _step_fen(site: SiteConfig, ceiling_fen: int, step_bp: int) -> int:
    low, high = site.bidding.auction_min_step_bp, site.bidding.auction_max_step_bp
    chosen = step_bp or low
    if not low <= chosen <= high:
        raise _refuse(f"降价幅度须在 {low / 100:g}% 到 {high / 100:g}% 之间", "STEP_OUT_OF_RANGE", "step_bp")
    return max(1, ceiling_fen * chosen // 10_000)


def _check_ceiling(site: SiteConfig, plan: Plan, ceiling: int, spent_fen: int) -> None:
    if ceiling <= 0:
        raise InvalidInput(
            "最高限价须大于 0", code="VALIDATION_FAILED", details=[field_problem("ceiling_fen", "须大于 0")]
        )
    if ceiling > plan.balance_fen:
        raise balance_refusal(plan, ceiling, "本项目最高限价")
    if ceiling > site.limits.per_order_cap_fen:
        raise _refuse(
            f"最高限价超过单笔订单限额 {format_yuan(site.limits.per_order_cap_fen)} 元", "LIMIT_EXCEEDED", "ceiling_fen"
        )
    if spent_fen + ceiling > site.limits.annual_category_cap_fen:
        left = max(site.limits.annual_category_cap_fen - spent_fen, 0)
        raise _refuse(f"最高限价超出本年度该品目剩余采购限额 {format_yuan(left)} 元", "LIMIT_EXCEEDED", "ceiling_fen")


def _check_request(
    site: SiteConfig,
    plan: Plan | None,
    buyer: Principal,
    new: NewCompetition,
    spent_fen: int,
    now: datetime,
    framework: FrameworkScope | None = None,
) -> MallCategory:
    mechanism = Mechanism.FRAMEWORK_BIDDING if framework else new.kind.mechanism
    require_method(site.short_name, site.methods, mechanism.site_method, f"发起{mechanism.label}")
    if framework is not None:
        _check_caps(framework, new)
    if plan is None or plan.buyer_uscc != buyer.org_id or plan.site_id != site.id:
        raise NotFound("采购计划不存在", code="PLAN_NOT_FOUND")
    if plan.status is not PlanStatus.ACCEPTED:
        raise Conflict(
            f"采购计划当前状态为“{plan.status.label}”，接收后才能发起{new.kind.label}", code="PLAN_NOT_ACCEPTED"
        )
    category = _category(site, new.category_id)
    if level2_of(category.catalog_code) != plan.level2_code:
        raise _refuse(
            f"品目“{category.name}”（{category.catalog_code}）不属于采购计划的品目（{plan.level2_code}）",
            "CATEGORY_OUTSIDE_PLAN",
            "category_id",
        )
    if site.district(new.delivery.district) is None:
        raise InvalidInput(
            "送货区划不属于本站点",
            code="DISTRICT_UNKNOWN",
            details=[field_problem("delivery.district", "请选择本站点的区划")],
        )
    check_expected_date(new.delivery.expected_date, china_date(now))
    _check_ceiling(site, plan, new.ceiling_fen, spent_fen)
    if new.kind is Kind.AUCTION and new.custom:
        raise _refuse("定制类项目须以竞价方式采购（需审查技术响应）", "CUSTOM_NEEDS_BIDDING", "custom")
    return category


def _check_caps(framework: FrameworkScope, new: NewCompetition) -> None:
    if new.kind is not Kind.BIDDING or new.custom or new.draw_size:
        raise _refuse("二次竞价为价格竞争：须为竞价、不抽取、非定制类", "FRAMEWORK_BIDDING_ONLY", "kind")
    highest = max(framework.caps.values(), default=0)
    if new.ceiling_fen > highest * new.quantity:
        raise _refuse(
            f"最高限价不能高于入围限价之和：最高入围单价 {format_yuan(highest)} 元 × {new.quantity}",
            "CEILING_ABOVE_CAP",
            "ceiling_fen",
        )


def launch(
    store: CompetitionStore,
    timer: CompetitionTimer,
    site: SiteConfig,
    plan: Plan | None,
    buyer: Principal,
    new: NewCompetition,
    candidates: Sequence[Candidate],
    spent_fen: int,
    now: datetime,
    seed: str | None = None,
    request_id: str = "",
    relaunch_of: Competition | None = None,
    framework: FrameworkScope | None = None,
) -> Competition:
    """Check the request against the site and the plan, invite, reserve the ceiling, arm the timer."""
    category = _check_request(site, plan, buyer, new, spent_fen, now, framework)
    assert plan is not None
    ceiling = new.ceiling_fen
    starts, end = _deadlines(site, new, now)
    step = _step_fen(site, ceiling, new.step_bp) if new.kind is Kind.AUCTION else 0
    invitation = _invite(site, new, candidates, seed)
    rules = site.bidding
    minimum = rules.bidding_min_suppliers if new.kind is Kind.BIDDING else 1
    if framework is not None:
        minimum = min(minimum, framework.min_suppliers)
    competition = Competition(
        id=new_competition_id(new.kind, now),
        site_id=site.id,
        kind=new.kind,
        status=Status.OPEN,
        title=new.title.strip(),
        plan_no=plan.plan_no,
        buyer_uscc=buyer.org_id,
        buyer_name=buyer.org_name,
        buyer_user=buyer.username,
        item=Item(
            category.id,
            category.name,
            category.catalog_code,
            new.spec.strip(),
            new.listing_id,
            new.quantity,
            new.unit.strip(),
        ),
        delivery=new.delivery,
        ceiling_fen=ceiling,
        reserved_fen=ceiling,
        custom=new.custom,
        invitation=invitation,
        rule=Rule(
            minimum,
            rules.winner_confirm_working_days,
            rules.sme_deduction_bp,
            step,
            rules.auction_extension_window_minutes * 60,
            rules.auction_extension_minutes * 60,
            bool(rules.direct_after_failure),
        ),
        starts_at=to_iso(starts),
        end_at=to_iso(end),
        generation=1,
        version=1,
        created_at=to_iso(now),
        updated_at=to_iso(now),
        relaunched_from=relaunch_of.id if relaunch_of else "",
        buyer_district=buyer.district,
        agreement_no=framework.agreement_no if framework else "",
        caps=tuple(sorted(framework.caps.items())) if framework else (),
    )
    summary = (
        f"发起{competition.label}“{competition.title}”，最高限价 {format_yuan(ceiling)} 元，"
        f"邀请供应商 {len(invitation.invited)} 家"
        + (
            f"（从 {len(invitation.pool)} 家合格供应商中随机抽取，种子 {invitation.seed}）"
            if invitation.mode == "draw"
            else "（全部合格供应商）"
        )
        + f"，截止 {competition.end_at}"
    )
    audit = _event(
        competition,
        "competition.launched",
        summary,
        buyer.as_actor(),
        now,
        None,
        _public(competition),
        request_id,
        context={"pool": list(invitation.pool), "seed": invitation.seed, "invited": list(invitation.invited)},
    )
    if relaunch_of is None:
        store.create(competition, plan.budget_fen, audit)
    else:
        relaunched = relaunch_of._replace(
            relaunched_as=competition.id, version=relaunch_of.version + 1, updated_at=to_iso(now)
        )
        store.relaunch(relaunched, relaunch_of, competition, audit, plan.budget_fen)
    timer.arm(competition, competition.end_at)
    return competition


def _invite(site: SiteConfig, new: NewCompetition, candidates: Sequence[Candidate], seed: str | None) -> Invitation:
    pool = tuple(sorted({c.uscc for c in candidates}))
    minimum = site.bidding.bidding_min_suppliers if new.kind is Kind.BIDDING else 1
    if not pool:
        raise _refuse("该品目在送货区划内没有可邀请的合格供应商", "NO_QUALIFIED_SUPPLIERS", "category_id")
    if new.draw_size:
        allowed_from = site.bidding.bidding_draw_min
        if allowed_from == 0:
            raise _refuse(
                f"{site.short_name}站点不允许随机抽取供应商，须邀请全部合格供应商", "DRAW_NOT_ALLOWED", "draw_size"
            )
        if new.draw_size < max(allowed_from, minimum):
            raise _refuse(f"随机抽取至少 {max(allowed_from, minimum)} 家", "DRAW_TOO_SMALL", "draw_size")
        chosen_seed = seed or uuid.uuid4().hex
        return Invitation("draw", pool, chosen_seed, draw(pool, new.draw_size, chosen_seed))
    return Invitation("all", pool, "", pool)


# ---------------------------------------------------------------- quoting and bidding


def commitment(competition_id: str, uscc: str, unit_price_fen: int, at: str, nonce: str) -> str:
    """What a supplier's receipt is: anyone can recompute it from the opened record."""
    text = f"{competition_id}|{uscc}|{unit_price_fen}|{at}|{nonce}"
    return hashlib.sha256(text.encode()).hexdigest()


def seal_context(competition_id: str, uscc: str) -> dict[str, str]:
    """Bound into the ciphertext: a sealed amount cannot be moved to another competition or supplier."""
    return {"competition": competition_id, "supplier": uscc}


def _may_respond(c: Competition, supplier: Principal, trading: bool, now: datetime) -> None:
    if supplier.org_id not in c.invitation.invited:
        raise Forbidden("贵公司未被邀请参加本项目", code="NOT_INVITED")
    _guard(c, supplier, "quote")
    if not trading:
        raise Conflict("贵公司当前在本站点不可交易（已暂停或清退），不能报价", code="SUPPLIER_NOT_ACTIVE")
    moment = to_iso(now)
    if moment < c.starts_at:
        raise Conflict("尚未开始，请在开始后出价", code="NOT_STARTED")
    if moment >= c.end_at:
        raise Conflict("已过截止时间，不能再报价", code="DEADLINE_PASSED")


def _price_problems(c: Competition, unit_price_fen: int, uscc: str = "") -> int:
    if unit_price_fen <= 0:
        raise InvalidInput(
            "报价须大于 0", code="PRICE_NOT_POSITIVE", details=[field_problem("unit_price_fen", "须大于 0")]
        )
    cap = dict(c.caps).get(uscc)
    if cap is not None and unit_price_fen > cap:
        raise _refuse(
            f"报价单价 {format_yuan(unit_price_fen)} 元高于贵公司的入围限价 {format_yuan(cap)} 元",
            "PRICE_ABOVE_CAP",
            "unit_price_fen",
        )
    total = unit_price_fen * c.item.quantity
    if total > c.ceiling_fen:
        raise _refuse(
            f"报价总额 {format_yuan(total)} 元超过最高限价 {format_yuan(c.ceiling_fen)} 元",
            "PRICE_ABOVE_CEILING",
            "unit_price_fen",
        )
    return total


class Receipt(NamedTuple):
    competition_id: str
    submitted_at: str
    revision: int
    commitment: str
    total_fen: int
    end_at: str


def submit_quote(
    store: CompetitionStore,
    sealer: Sealer,
    c: Competition,
    supplier: Principal,
    supplier_name: str,
    small_micro: bool,
    trading: bool,
    previous: SealedQuote | None,
    unit_price_fen: int,
    technical: str,
    now: datetime,
    request_id: str = "",
) -> Receipt:
    """A 竞价 quote, or its revision: sealed, with a receipt the supplier can check against the record later."""
    if c.kind is not Kind.BIDDING:
        raise Conflict("反拍项目请在竞价大厅出价", code="WRONG_KIND")
    _may_respond(c, supplier, trading, now)
    total = _price_problems(c, unit_price_fen, supplier.org_id)
    if c.custom and not technical.strip():
        raise InvalidInput(
            "定制类项目须提交技术响应文件", code="TECHNICAL_REQUIRED", details=[field_problem("technical", "必填")]
        )
    at = to_iso(now)
    nonce = uuid.uuid4().hex
    payload = json.dumps({"unit_price_fen": unit_price_fen, "nonce": nonce}).encode()
    sealed = sealer.seal(payload, seal_context(c.id, supplier.org_id))
    receipt = commitment(c.id, supplier.org_id, unit_price_fen, at, nonce)
    revision = previous.revision + 1 if previous else 1
    quote = SealedQuote(
        c.id, supplier.org_id, supplier_name, small_micro, sealed, receipt, at, revision, technical.strip()
    )
    action = "quote.revised" if previous else "quote.submitted"
    entry = LogEntry(
        f"{at}#{supplier.org_id}#{revision:04d}",
        at,
        action,
        supplier.org_id,
        {"revision": revision, "commitment": receipt},
    )
    summary = f"供应商{'修改' if previous else '提交'}报价（第 {revision} 次，金额密封至截止）"
    after = {"revision": revision, "commitment": receipt, RECORD_ENTRY: entry._asdict()}
    audit = _event(c, action, summary, supplier.as_actor(), now, None, after, request_id)
    store.put_quote(c, quote, audit, at)
    return Receipt(c.id, at, revision, receipt, total, c.end_at)


def place_bid(
    store: CompetitionStore,
    c: Competition,
    supplier: Principal,
    supplier_name: str,
    trading: bool,
    unit_price_fen: int,
    now: datetime,
    request_id: str = "",
) -> Receipt:
    """A 反拍 bid: at least the step below the best so far; a bid near the end moves the end."""
    if c.kind is not Kind.AUCTION:
        raise Conflict("竞价项目请提交密封报价", code="WRONG_KIND")
    _may_respond(c, supplier, trading, now)
    total = _price_problems(c, unit_price_fen)
    best = c.best_total_fen or c.ceiling_fen + c.rule.step_fen  # the first bid may be the ceiling itself
    if total > best - c.rule.step_fen:
        most = best - c.rule.step_fen
        raise _refuse(
            f"出价须比当前最低价至少低 {format_yuan(c.rule.step_fen)} 元（总额不高于 {format_yuan(most)} 元）",
            "BID_NOT_A_STEP_BELOW",
            "unit_price_fen",
        )
    at = to_iso(now)
    end = parse_iso(c.end_at)
    if end - now <= timedelta(seconds=c.rule.extension_window_s):
        end = max(end, now + timedelta(seconds=c.rule.extension_s))
    receipt = commitment(c.id, supplier.org_id, unit_price_fen, at, "")
    entry = LogEntry(
        f"{at}#{supplier.org_id}",
        at,
        "bid.placed",
        supplier.org_id,
        {"unit_price_fen": unit_price_fen, "total_fen": total, "commitment": receipt, "end_at": to_iso(end)},
        supplier_name,
    )
    audit = _event(
        c,
        "bid.placed",
        f"供应商出价 {format_yuan(total)} 元",
        supplier.as_actor(),
        now,
        None,
        {"total_fen": total, "end_at": to_iso(end), RECORD_ENTRY: entry._asdict()},
        request_id,
    )
    store.put_bid(c, total, supplier.org_id, to_iso(end), audit, at)
    return Receipt(c.id, at, c.bids + 1, receipt, total, to_iso(end))


# ---------------------------------------------------------------- ranking


def deduction_bp(small_micro: bool, rule: Rule) -> int:
    return rule.sme_deduction_bp if small_micro else 0


def evaluated(total_fen: int, deduction: int) -> int:
    """评审价 = 报价 × (1 − 扣除比例), in whole fen (half up)."""
    return (total_fen * (10_000 - deduction) + 5_000) // 10_000


def rank(
    quotes: Iterable[tuple[str, str, bool, int, str, str]], quantity: int, rule: Rule, deduct: bool
) -> tuple[RankEntry, ...]:
    """(uscc, name, small/micro, unit price, submitted_at, nonce) → ranked by evaluated price, ties to the earlier
    quote."""
    entries = []
    for uscc, name, small_micro, unit, at, nonce in quotes:
        total = unit * quantity
        d = deduction_bp(small_micro, rule) if deduct else 0
        entries.append(RankEntry(uscc, name, "", unit, total, small_micro, d, evaluated(total, d), at, nonce=nonce))
    entries.sort(key=lambda e: (e.evaluated_fen, e.submitted_at, e.supplier_uscc))
    ranked = []
    for index, entry in enumerate(entries):
        ranked.append(entry._replace(alias=f"供应商#{index + 1}", explanation=_explain(entry, index, entries)))
    return tuple(ranked)


def _explain(entry: RankEntry, index: int, entries: Sequence[RankEntry]) -> str:
    price = f"报价 {format_yuan(entry.total_fen)} 元"
    if entry.deduction_bp:
        value = (
            f"{price}，小微企业价格扣除 {entry.deduction_bp / 100:g}%，评审价 {format_yuan(entry.total_fen)} × "
            f"(1 − {entry.deduction_bp / 100:g}%) = {format_yuan(entry.evaluated_fen)} 元"
        )
    else:
        value = f"{price}，不享受价格扣除，评审价 {format_yuan(entry.evaluated_fen)} 元"
    tie = ""
    same = [e for e in entries if e.evaluated_fen == entry.evaluated_fen and e is not entry]
    if same:
        tie = f"；与 {len(same)} 家评审价相同，按报价时间先后排序（本报价时间 {entry.submitted_at}）"
    return f"第 {index + 1} 名：{value}{tie}"


def opened_quotes(sealer: Sealer, quotes: Iterable[SealedQuote]) -> dict[str, tuple[int, str]]:
    """Only the closing task can do this: uscc → (unit price, nonce) of its last quote."""
    opened = {}
    for q in quotes:
        raw = json.loads(sealer.open(q.sealed, seal_context(q.competition_id, q.supplier_uscc)))
        opened[q.supplier_uscc] = (int(raw["unit_price_fen"]), str(raw["nonce"]))
    return opened


# ---------------------------------------------------------------- the timer's questions


class Advance(NamedTuple):
    step: Step
    wake_at: str


def _offer(c: Competition, calendar: WorkCalendar, now: datetime, passed: Iterable[str]) -> Competition:
    """Offer the award to the best ranked not yet passed over; 流标 if nobody is left."""
    done = set(passed)
    eligible = [e for e in c.ranking if e.responsive is not False and e.supplier_uscc not in done]
    if not eligible:
        return c._replace(status=Status.FAILED, outcome="成交候选人均未确认成交", reserved_fen=0)
    window = after_working_days(calendar, now, c.rule.confirm_working_days)
    offer = Offer(eligible[0].supplier_uscc, to_iso(now), to_iso(window.ends_at), "pending", window.estimated)
    return c._replace(status=Status.CONFIRMING, offers=(*c.offers, offer))


def _touched(c: Competition, now: datetime, **changes: Any) -> Competition:
    return c._replace(**changes, version=c.version + 1, updated_at=to_iso(now))


def advance(
    store: CompetitionStore,
    sealer: Sealer,
    calendar: WorkCalendar,
    site_id: str,
    competition_id: str,
    generation: int,
    woken_for: str,
    now: datetime,
) -> Advance:
    """What the state machine does next, always from the item as it now stands (a retried call answers the same)."""
    c = store.get(site_id, competition_id)
    if c is None or c.generation != generation:
        return Advance(Step.SUPERSEDED, "")
    moment = to_iso(now)
    if c.status is Status.OPEN:
        if moment < c.end_at:
            return Advance(Step.BIDDING if c.end_at > woken_for else Step.EARLY, c.end_at)
        return _settled(store, c, close(store, sealer, calendar, c, now))
    if c.status is Status.CONFIRMING:
        offer = c.open_offer
        if offer is not None and moment < offer.confirm_by:
            return Advance(Step.CONFIRMING if offer.confirm_by > woken_for else Step.EARLY, offer.confirm_by)
        return _settled(store, c, lapse(store, calendar, c, now))
    return _answer(c)


def _answer(c: Competition) -> Advance:
    if c.status is Status.CONFIRMING and c.open_offer is not None:
        return Advance(Step.CONFIRMING, c.open_offer.confirm_by)
    return Advance(
        {
            Status.EVALUATING: Step.WAITING,
            Status.REVIEWING: Step.WAITING,
            Status.CONFIRMED: Step.AWARDED,
            Status.AWARDED: Step.AWARDED,
            Status.FAILED: Step.FAILED,
            Status.CANCELLED: Step.CANCELLED,
        }.get(c.status, Step.WAITING),
        "",
    )


def _settled(store: CompetitionStore, before: Competition, after: Competition | None) -> Advance:
    if after is None:  # another call moved it first: answer from what is stored
        current = store.get(before.site_id, before.id)
        return _answer(current) if current else Advance(Step.SUPERSEDED, "")
    return _answer(after)


def close(
    store: CompetitionStore, sealer: Sealer, calendar: WorkCalendar, c: Competition, now: datetime
) -> Competition | None:
    """At the deadline: open the quotes (竞价) or take the bids (反拍), rank them, then 流标, review or offer."""
    _guard(c, None, "close")
    log = store.log(c)
    if c.kind is Kind.BIDDING:
        quotes = store.quotes(c)
        opened = opened_quotes(sealer, quotes)
        ranking = rank(
            (
                (
                    q.supplier_uscc,
                    q.supplier_name,
                    q.small_micro,
                    *opened[q.supplier_uscc][:1],
                    q.submitted_at,
                    opened[q.supplier_uscc][1],
                )
                for q in quotes
            ),
            c.item.quantity,
            c.rule,
            deduct=True,
        )
    else:
        best: dict[str, tuple[int, str]] = {}
        for entry in log:
            if entry.action == "bid.placed":
                unit = int(entry.data["unit_price_fen"])
                if entry.supplier_uscc not in best or unit < best[entry.supplier_uscc][0]:
                    best[entry.supplier_uscc] = (unit, entry.at)
        names = {e.supplier_uscc: e.supplier_name for e in log}
        ranking = rank(
            ((u, names.get(u, u), False, p, at, "") for u, (p, at) in best.items()),
            c.item.quantity,
            c.rule,
            deduct=False,
        )
    closed = _touched(c, now, ranking=ranking)
    responders = len(ranking)
    if responders < c.rule.min_suppliers or responders == 0:
        closed = closed._replace(
            status=Status.FAILED,
            reserved_fen=0,
            outcome=f"响应供应商 {responders} 家，少于本站点要求的 {c.rule.min_suppliers} 家，流标"
            if c.kind is Kind.BIDDING
            else "无供应商出价，流标",
        )
    elif c.custom:
        closed = closed._replace(status=Status.EVALUATING)
    else:
        closed = _offer(closed, calendar, now, ())
    record = record_entries(closed, log)
    closed = closed._replace(close_digest=record[-1]["hash"] if record else GENESIS)
    summary = f"{c.kind.label}截止：响应 {responders} 家；{_result_text(closed)}"
    audit = _event(
        c,
        "competition.closed",
        summary,
        SYSTEM_ACTOR,
        now,
        _state(c),
        _state(closed),
        context={"ranking": [e.explanation for e in ranking], "close_digest": closed.close_digest},
    )
    try:
        store.save(closed, c, audit, release_fen=c.reserved_fen if closed.status is Status.FAILED else 0)
    except Conflict:
        return None
    return closed


def _result_text(c: Competition) -> str:
    if c.status is Status.FAILED:
        return c.outcome
    if c.status is Status.EVALUATING:
        return "定制类项目，待采购人进行符合性审查"
    offer = c.open_offer
    if offer is not None:
        entry = next(e for e in c.ranking if e.supplier_uscc == offer.supplier_uscc)
        return f"{entry.alias}（{entry.supplier_name}）为成交候选人，须于 {offer.confirm_by} 前确认"
    return c.status.label


def lapse(store: CompetitionStore, calendar: WorkCalendar, c: Competition, now: datetime) -> Competition | None:
    """The offered supplier let its window pass: offer the next ranked."""
    _guard(c, None, "lapse")
    return _pass_over(store, calendar, c, now, "lapsed", SYSTEM_ACTOR, "成交确认期已过，顺延下一名")


def _pass_over(
    store: CompetitionStore,
    calendar: WorkCalendar,
    c: Competition,
    now: datetime,
    outcome: str,
    actor: Mapping[str, str],
    why: str,
    request_id: str = "",
) -> Competition | None:
    offer = c.open_offer
    assert offer is not None
    offers = (*c.offers[:-1], offer._replace(outcome=outcome))
    moved = _offer(_touched(c, now, offers=offers), calendar, now, (o.supplier_uscc for o in offers))
    audit = _event(
        c, f"award.{outcome}", f"{why}；{_result_text(moved)}", actor, now, _state(c), _state(moved), request_id
    )
    try:
        store.save(moved, c, audit, release_fen=c.reserved_fen if moved.status is Status.FAILED else 0)
    except Conflict:
        return None
    return moved


# ---------------------------------------------------------------- people's decisions


def cancel(
    store: CompetitionStore,
    timer: CompetitionTimer,
    buyer: Principal,
    c: Competition,
    reason: str,
    now: datetime,
    request_id: str = "",
) -> Competition:
    _guard(c, buyer, "cancel")
    reason = required_reason(reason, "撤销")
    if to_iso(now) >= c.end_at:
        raise Conflict("已过截止时间，不能撤销", code="DEADLINE_PASSED")
    cancelled = _touched(c, now, status=Status.CANCELLED, outcome=f"采购人撤销：{reason}", reserved_fen=0)
    audit = _event(
        c,
        "competition.cancelled",
        f"采购人撤销{c.kind.label}：{reason}",
        buyer.as_actor(),
        now,
        _state(c),
        _state(cancelled),
        request_id,
    )
    store.save(cancelled, c, audit, release_fen=c.reserved_fen)
    timer.stop(cancelled)
    return cancelled


class Finding(NamedTuple):
    alias: str
    responsive: bool
    reason: str


def submit_evaluation(
    store: CompetitionStore,
    buyer: Principal,
    c: Competition,
    findings: Sequence[Finding],
    now: datetime,
    request_id: str = "",
) -> Competition:
    """The buyer marks each response substantively responsive or not (a reason for each one refused)."""
    _guard(c, buyer, "submit_evaluation")
    by_alias = {f.alias: f for f in findings}
    problems = []
    for entry in c.ranking:
        found = by_alias.get(entry.alias)
        if found is None:
            problems.append(field_problem(entry.alias, "须作出审查结论"))
        elif not found.responsive and not found.reason.strip():
            problems.append(field_problem(entry.alias, "不通过须说明理由"))
    unknown = set(by_alias) - {e.alias for e in c.ranking}
    problems += [field_problem(a, "不是本项目的响应供应商") for a in sorted(unknown)]
    if problems:
        raise InvalidInput("符合性审查结论不完整", code="EVALUATION_INCOMPLETE", details=problems)
    ranking = tuple(
        e._replace(responsive=by_alias[e.alias].responsive, reason=by_alias[e.alias].reason.strip()) for e in c.ranking
    )
    moved = _touched(c, now, status=Status.REVIEWING, ranking=ranking, evaluation_note="")
    refused = sum(1 for e in ranking if e.responsive is False)
    audit = _event(
        c,
        "evaluation.submitted",
        f"采购人提交符合性审查：{len(ranking) - refused} 家通过，{refused} 家不通过",
        buyer.as_actor(),
        now,
        _state(c),
        _state(moved),
        request_id,
        context={"findings": [f._asdict() for f in findings]},
    )
    store.save(moved, c, audit)
    return moved


def review_evaluation(
    store: CompetitionStore,
    timer: CompetitionTimer,
    calendar: WorkCalendar,
    operator: Principal,
    c: Competition,
    approve: bool,
    reason: str,
    now: datetime,
    request_id: str = "",
) -> Competition:
    """The site's operator approves the buyer's findings (the award is offered) or returns them with a reason."""
    if approve:
        _guard(c, operator, "approve_evaluation")
        responsive = sum(1 for e in c.ranking if e.responsive)
        base = _touched(c, now, generation=c.generation + 1)
        if responsive < c.rule.min_suppliers:
            moved = base._replace(
                status=Status.FAILED,
                reserved_fen=0,
                outcome=f"实质性响应供应商 {responsive} 家，少于要求的 {c.rule.min_suppliers} 家，流标",
            )
        else:
            moved = _offer(base, calendar, now, ())
        audit = _event(
            c,
            "evaluation.approved",
            f"采购中心复核通过符合性审查；{_result_text(moved)}",
            operator.as_actor(),
            now,
            _state(c),
            _state(moved),
            request_id,
        )
        store.save(moved, c, audit, release_fen=c.reserved_fen if moved.status is Status.FAILED else 0)
        if moved.open_offer is not None:
            timer.arm(moved, moved.open_offer.confirm_by)
        return moved
    _guard(c, operator, "return_evaluation")
    reason = required_reason(reason, "退回")
    moved = _touched(c, now, status=Status.EVALUATING, evaluation_note=reason)
    audit = _event(
        c,
        "evaluation.returned",
        f"采购中心退回符合性审查：{reason}",
        operator.as_actor(),
        now,
        _state(c),
        _state(moved),
        request_id,
    )
    store.save(moved, c, audit)
    return moved


def confirm_award(
    store: CompetitionStore,
    supplier: Principal,
    c: Competition,
    now: datetime,
    request_id: str = "",
    trading: bool = True,
) -> Competition:
    """The offered supplier confirms; one suspended or expelled since it quoted cannot be awarded (its offer lapses
    at the end of the window and passes to the next ranked)."""
    _guard(c, supplier, "confirm")
    offer = c.open_offer
    assert offer is not None
    if offer.supplier_uscc != supplier.org_id:
        raise Forbidden("成交未提供给贵公司", code="NOT_OFFERED")
    if not trading:
        raise Conflict("贵公司当前在本站点不可交易（已暂停或清退），不能确认成交", code="SUPPLIER_NOT_ACTIVE")
    if to_iso(now) >= offer.confirm_by:
        raise Conflict("成交确认期已过", code="CONFIRM_WINDOW_PASSED")
    offers = (*c.offers[:-1], offer._replace(outcome="confirmed"))
    moved = _touched(c, now, status=Status.CONFIRMED, offers=offers)
    audit = _event(
        c,
        "award.confirmed",
        "成交供应商确认成交，生成订单",
        supplier.as_actor(),
        now,
        _state(c),
        _state(moved),
        request_id,
    )
    store.save(moved, c, audit)
    return moved


def decline_award(
    store: CompetitionStore,
    calendar: WorkCalendar,
    supplier: Principal,
    c: Competition,
    reason: str,
    now: datetime,
    request_id: str = "",
) -> Competition:
    _guard(c, supplier, "decline")
    offer = c.open_offer
    assert offer is not None
    if offer.supplier_uscc != supplier.org_id:
        raise Forbidden("成交未提供给贵公司", code="NOT_OFFERED")
    reason = required_reason(reason, "放弃成交")
    moved = _pass_over(
        store, calendar, c, now, "declined", supplier.as_actor(), f"成交候选人放弃成交：{reason}", request_id
    )
    if moved is None:
        raise Conflict("项目已被他人处理，请刷新后重试", code="VERSION_CONFLICT")
    return moved


def awarded_line(c: Competition) -> tuple[str, int, int]:
    """(winner, unit price, total) of a confirmed award."""
    offer = c.offers[-1]
    entry = next(e for e in c.ranking if e.supplier_uscc == offer.supplier_uscc)
    return entry.supplier_uscc, entry.unit_price_fen, entry.total_fen


def relaunch_request(c: Competition, end_at: datetime | None, starts_at: datetime | None) -> NewCompetition:
    return NewCompetition(
        c.kind,
        c.title,
        c.plan_no,
        c.item.category_id,
        c.item.spec,
        c.item.listing_id,
        c.item.quantity,
        c.item.unit,
        c.ceiling_fen,
        c.delivery,
        end_at,
        starts_at,
        c.custom,
        0 if c.invitation.mode == "all" else len(c.invitation.invited),
        0,
    )


def check_relaunch(c: Competition, buyer: Principal) -> None:
    _guard(c, buyer, "relaunch")
    if c.relaunched_as:
        raise Conflict(f"该项目已重新发起为 {c.relaunched_as}", code="ALREADY_RELAUNCHED")


# ---------------------------------------------------------------- the record


def canonical(entry: Mapping[str, Any]) -> str:
    return json.dumps(entry, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def chain(entries: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each entry carries the hash of the one before it; the last hash is the record's digest."""
    chained, previous = [], GENESIS
    for seq, entry in enumerate(entries, start=1):
        body = {**entry, "seq": seq, "prev": previous}
        digest = hashlib.sha256((previous + canonical(body)).encode()).hexdigest()
        chained.append({**body, "hash": digest})
        previous = digest
    return chained


def verify_chain(chained: Sequence[Mapping[str, Any]]) -> bool:
    previous = GENESIS
    for entry in chained:
        body = {k: v for k, v in entry.items() if k != "hash"}
        if body.get("prev") != previous:
            return False
        if hashlib.sha256((previous + canonical(body)).encode()).hexdigest() != entry.get("hash"):
            return False
        previous = str(entry["hash"])
    return True


def record_entries(
    c: Competition,
    log: Sequence[LogEntry],
    later: Sequence[Mapping[str, Any]] = (),
) -> list[dict[str, Any]]:
    """Every quote, revision and bid with its time (amounts opened), the ranking with its arithmetic, then what
    followed the deadline; hash-chained. Suppliers appear under their ranking alias."""
    alias = {e.supplier_uscc: e.alias for e in c.ranking}
    names = {e.supplier_uscc: e.supplier_name for e in c.ranking}
    entries: list[dict[str, Any]] = [
        {
            "at": c.created_at,
            "action": "competition.launched",
            "kind": c.kind.label,
            "ceiling_fen": c.ceiling_fen,
            "quantity": c.item.quantity,
            "end_at": c.end_at,
            "invitation": {
                "mode": c.invitation.mode,
                "seed": c.invitation.seed,
                "pool": len(c.invitation.pool),
                "invited": len(c.invitation.invited),
            },
        }
    ]
    revisions: dict[str, list[dict[str, Any]]] = {}
    for entry in sorted(log, key=lambda e: e.key):
        line: dict[str, Any] = {
            "at": entry.at,
            "action": entry.action,
            "supplier": alias.get(entry.supplier_uscc, "未排名供应商"),
            **entry.data,
        }
        revisions.setdefault(entry.supplier_uscc, []).append(line)
        entries.append(line)
    for ranked in c.ranking:
        if c.kind is not Kind.BIDDING:
            continue
        for line in revisions.get(ranked.supplier_uscc, [])[-1:]:
            # The revision in force is opened; earlier ones stay commitments only.
            line.update(unit_price_fen=ranked.unit_price_fen, nonce=ranked.nonce)
    entries.append(
        {
            "at": c.end_at,
            "action": "competition.closed",
            "ranking": [
                {
                    "alias": e.alias,
                    "supplier": names[e.supplier_uscc],
                    "unit_price_fen": e.unit_price_fen,
                    "total_fen": e.total_fen,
                    "small_micro": e.small_micro,
                    "deduction_bp": e.deduction_bp,
                    "evaluated_fen": e.evaluated_fen,
                    "submitted_at": e.submitted_at,
                    "explanation": e.explanation,
                }
                for e in c.ranking
            ],
        }
    )
    entries.extend(dict(x) for x in later)
    return chain(entries)


def later_entries(c: Competition) -> list[dict[str, Any]]:
    """What happened after the deadline, as the record tells it."""
    alias = {e.supplier_uscc: e.alias for e in c.ranking}
    found: list[dict[str, Any]] = []
    if c.custom and any(e.responsive is not None for e in c.ranking):
        found.append(
            {
                "action": "evaluation",
                "findings": [{"alias": e.alias, "responsive": e.responsive, "reason": e.reason} for e in c.ranking],
            }
        )
    for offer in c.offers:
        found.append(
            {
                "at": offer.offered_at,
                "action": "award.offered",
                "supplier": alias.get(offer.supplier_uscc),
                "confirm_by": offer.confirm_by,
                "outcome": offer.outcome,
            }
        )
    found.append(
        {"at": c.updated_at, "action": f"competition.{c.status.value}", "outcome": c.outcome, "order_no": c.order_no}
    )
    return found


def record_key(c: Competition) -> str:
    return f"{RECORD_PREFIX}/{c.site_id}/{c.id}.json"


def record_document(c: Competition, chained: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    return {
        "title": f"{c.kind.label}项目记录：{c.title}",
        "competition_id": c.id,
        "site_id": c.site_id,
        "kind": c.kind.value,
        "status": c.status.value,
        "close_digest": c.close_digest,
        "digest": chained[-1]["hash"] if chained else GENESIS,
        "how_to_verify": "每条记录的 hash = SHA-256(上一条的 hash + 本条去掉 hash 字段后按键排序的紧凑 JSON)，"
        "首条的上一条为 64 个 0；报价回执 = SHA-256(项目编号|统一社会信用代码|单价(分)|报价时间|随机数)。",
        "entries": list(chained),
    }


# ---------------------------------------------------------------- views and audit


def _state(c: Competition) -> dict[str, Any]:
    return {
        "status": c.status.value,
        "end_at": c.end_at,
        "offers": [o._asdict() for o in c.offers],
        "outcome": c.outcome,
        "version": c.version,
    }


def _public(c: Competition) -> dict[str, Any]:
    view = competition_to_dict(c)
    view.pop("ranking", None)
    return view


def _event(
    c: Competition,
    action: str,
    summary: str,
    actor: Mapping[str, str],
    now: datetime,
    before: Any,
    after: Any,
    request_id: str = "",
    context: Mapping[str, Any] | None = None,
) -> AuditEvent:
    return new_event(
        tenant=c.site_id,
        entity_type=ENTITY_COMPETITION,
        entity_id=c.id,
        action=action,
        summary=summary,
        actor=actor,
        at=now,
        before=before,
        after=after,
        request_id=request_id,
        context=context,
    )


def competition_to_dict(c: Competition) -> dict[str, Any]:
    return {
        "id": c.id,
        "site_id": c.site_id,
        "kind": c.kind.value,
        "status": c.status.value,
        "title": c.title,
        "plan_no": c.plan_no,
        "buyer_uscc": c.buyer_uscc,
        "buyer_name": c.buyer_name,
        "buyer_user": c.buyer_user,
        "item": c.item._asdict(),
        "delivery": c.delivery._asdict(),
        "ceiling_fen": c.ceiling_fen,
        "reserved_fen": c.reserved_fen,
        "custom": c.custom,
        "invitation": c.invitation._asdict(),
        "rule": c.rule._asdict(),
        "starts_at": c.starts_at,
        "end_at": c.end_at,
        "generation": c.generation,
        "version": c.version,
        "created_at": c.created_at,
        "updated_at": c.updated_at,
        "best_total_fen": c.best_total_fen,
        "best_by": c.best_by,
        "bids": c.bids,
        "ranking": [e._asdict() for e in c.ranking],
        "offers": [o._asdict() for o in c.offers],
        "outcome": c.outcome,
        "order_no": c.order_no,
        "close_digest": c.close_digest,
        "record_key": c.record_key,
        "record_digest": c.record_digest,
        "relaunched_from": c.relaunched_from,
        "relaunched_as": c.relaunched_as,
        "evaluation_note": c.evaluation_note,
        "buyer_district": c.buyer_district,
        "agreement_no": c.agreement_no,
        "caps": [list(pair) for pair in c.caps],
    }


def competition_from_dict(raw: Mapping[str, Any]) -> Competition:
    inv = raw["invitation"]
    return Competition(
        id=raw["id"],
        site_id=raw["site_id"],
        kind=Kind(raw["kind"]),
        status=Status(raw["status"]),
        title=raw["title"],
        plan_no=raw["plan_no"],
        buyer_uscc=raw["buyer_uscc"],
        buyer_name=raw["buyer_name"],
        buyer_user=raw["buyer_user"],
        item=Item(**raw["item"]),
        delivery=Delivery(**raw["delivery"]),
        ceiling_fen=int(raw["ceiling_fen"]),
        reserved_fen=int(raw["reserved_fen"]),
        custom=bool(raw["custom"]),
        invitation=Invitation(inv["mode"], tuple(inv["pool"]), inv["seed"], tuple(inv["invited"])),
        rule=Rule(**raw["rule"]),
        starts_at=raw["starts_at"],
        end_at=raw["end_at"],
        generation=int(raw["generation"]),
        version=int(raw["version"]),
        created_at=raw["created_at"],
        updated_at=raw["updated_at"],
        best_total_fen=int(raw.get("best_total_fen", 0)),
        best_by=raw.get("best_by", ""),
        bids=int(raw.get("bids", 0)),
        ranking=tuple(RankEntry(**e) for e in raw.get("ranking", ())),
        offers=tuple(Offer(**o) for o in raw.get("offers", ())),
        outcome=raw.get("outcome", ""),
        order_no=raw.get("order_no", ""),
        close_digest=raw.get("close_digest", ""),
        record_key=raw.get("record_key", ""),
        record_digest=raw.get("record_digest", ""),
        relaunched_from=raw.get("relaunched_from", ""),
        relaunched_as=raw.get("relaunched_as", ""),
        evaluation_note=raw.get("evaluation_note", ""),
        buyer_district=raw.get("buyer_district", ""),
        agreement_no=raw.get("agreement_no", ""),
        caps=tuple((str(u), int(f)) for u, f in raw.get("caps", ())),
    )


def view_for(c: Competition, principal: Principal, now: datetime, own: SealedQuote | None = None) -> dict[str, Any]:
    """What the caller may see: before the deadline no amount of a sealed quote, and bidders only as 供应商#n."""
    view = competition_to_dict(c)
    party = party_of(c, principal)
    closed = c.status is not Status.OPEN
    view.pop("invitation")
    view["invited_count"] = len(c.invitation.invited)
    view["invitation_mode"] = c.invitation.mode
    view["invitation_mode_label"] = "随机抽取" if c.invitation.mode == "draw" else "邀请全部合格供应商"
    if party is Party.OPERATOR or (party is Party.BUYER and closed):
        view["invitation"] = {
            "pool": list(c.invitation.pool),
            "seed": c.invitation.seed,
            "invited": list(c.invitation.invited),
        }
    view.update(
        kind_label=c.label,
        status_label=c.status.label,
        mechanism_label=c.mechanism.label,
        server_time=to_iso(now),
        actions=actions_for(c, principal, now),
    )
    if not closed:
        view["ranking"] = []
    elif party is Party.SUPPLIER or principal.role is Role.SUPPLIER:
        # Other suppliers stay 供应商#n; a supplier sees its own name and place.
        view["ranking"] = [
            {
                **e._asdict(),
                "supplier_uscc": e.supplier_uscc if e.supplier_uscc == principal.org_id else "",
                "supplier_name": e.supplier_name if e.supplier_uscc == principal.org_id else e.alias,
                "mine": e.supplier_uscc == principal.org_id,
            }
            for e in c.ranking
        ]
    if c.kind is Kind.AUCTION:
        # Until it ends, only the leader itself learns who leads.
        leader = principal.role is Role.SUPPLIER and c.best_by == principal.org_id
        view["leading"] = leader
        if not closed and not leader:
            view["best_by"] = ""
    else:
        view["best_total_fen"] = 0
    offer = c.open_offer
    view["offered_to_me"] = bool(offer and offer.supplier_uscc == principal.org_id)
    if principal.role is Role.SUPPLIER:
        view["offers"] = [
            o._asdict() | {"supplier_uscc": o.supplier_uscc if o.supplier_uscc == principal.org_id else ""}
            for o in c.offers
        ]
    if own is not None:
        view["my_quote"] = {
            "submitted_at": own.submitted_at,
            "revision": own.revision,
            "commitment": own.commitment,
            "technical": own.technical,
        }
    view["can_buy_directly"] = c.status is Status.FAILED and c.rule.direct_after_failure
    return view
