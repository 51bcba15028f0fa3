"""批量采购 (batch purchase, priced by 优惠率): buyers pool their quantities, suppliers compete on a discount rate.

The site's operator opens a batch for one of its categories, with a specification, a reference unit price (参考单价)
and two windows. While it is 报名中, buyers join with a quantity from an accepted plan; what they may pay at most
(quantity × reference price) is reserved on the plan in the same transaction as their entry, and the batch's pooled
quantity and count grow by `ADD` under the condition that it is still open. When the join window closes (the deadline
state machine wakes `close_joining`), too few buyers fail the batch and every reservation is given back; otherwise
suppliers offer a discount rate on the reference price for the pooled quantity until the offer window closes. Then
the best rate wins (ties to the earlier offer), and each buyer's order is created at reference × (1 − rate), rounded
down to the fen, through the one commit every order uses, taking its amount from the plan in place of its
reservation. No offer fails the batch and releases the reservations.

Seed 000 §(一): 批量集采 grew 233 % in 2024; anchors.md B5 [A]: 批量 priced by 优惠率 × list price.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, NamedTuple, Protocol

from chalicelib.domain.audit import AuditEvent, new_event
from chalicelib.domain.clock import china_date, parse_iso, to_iso
from chalicelib.domain.errors import Conflict, DomainError, InvalidInput, RuleViolation, field_problem
from chalicelib.domain.money import format_yuan
from chalicelib.domain.orders import (
    Delivery,
    NewOrder,
    Order,
    OrderInputs,
    OrderLine,
    Priced,
    check_expected_date,
    check_plan,
    commit,
    plan_problem,
)
from chalicelib.domain.plans import Plan, balance_refusal
from chalicelib.domain.principals import SYSTEM_ACTOR, Principal, Role
from chalicelib.domain.purchase import BuyingMode, Mechanism, OrderSource, SourceKind
from chalicelib.domain.sites import PurchaseMethod, SiteConfig, require_method

ENTITY_BATCH = "batch"
BATCH_ID_PATTERN = re.compile(r"^PL\d{18}$")
RATE_PATTERN = re.compile(r"^\d{1,2}(\.\d{1,2})?$")
MIN_WINDOW = timedelta(minutes=1)
CLOCK_SLACK = timedelta(seconds=15)  # a deadline chosen as "1 minute from now" arrives a moment later
MAX_WINDOW = timedelta(days=30)
DEFAULT_MIN_BUYERS = 2


class BatchStatus(StrEnum):
    JOINING = "joining"
    OFFERING = "offering"
    AWARDED = "awarded"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return {
            "joining": "报名中",
            "offering": "报价中",
            "awarded": "已成交",
            "failed": "未成交",
            "cancelled": "已撤销",
        }[self.value]


class Batch(NamedTuple):
    id: str
    site_id: str
    title: str
    category_id: str
    category_name: str
    catalog_code: str
    spec: str
    unit: str
    reference_price_fen: int  # 参考单价: the price the discount rate applies to
    min_buyers: int
    join_until: str
    offer_until: str
    status: BatchStatus
    version: int
    created_at: str
    updated_at: str
    created_by: str
    buyers: int = 0  # top-level counters, added to by each join
    quantity: int = 0
    winner_uscc: str = ""
    winner_name: str = ""
    rate_bp: int = 0  # the winning 优惠率, in basis points (1250 = 12.50 %)
    unit_price_fen: int = 0
    outcome: str = ""
    orders_placed: int = 0

    @property
    def open_to_join(self) -> bool:
        return self.status is BatchStatus.JOINING


class Participation(NamedTuple):
    batch_id: str
    site_id: str
    buyer_uscc: str
    buyer_name: str
    buyer_user: str
    buyer_district: str
    plan_no: str
    quantity: int
    reserved_fen: int
    delivery: Delivery
    joined_at: str
    order_no: str = ""
    outcome: str = ""  # "" waiting, "ordered", or why no order came of it


class Offer(NamedTuple):
    batch_id: str
    supplier_uscc: str
    supplier_name: str
    rate_bp: int
    submitted_at: str
    revision: int


class NewBatch(NamedTuple):
    title: str
    category_id: str
    spec: str
    unit: str
    reference_price_fen: int
    min_buyers: int
    join_until: datetime
    offer_until: datetime


class BatchTimer(Protocol):
    def start(self, name: str, due_at: str, payload: dict[str, Any]) -> None: ...


class BatchStore(Protocol):
    def get(self, site_id: str, batch_id: str) -> Batch | None: ...

    def create(self, batch: Batch, audit: AuditEvent) -> None: ...

    def join(self, batch: Batch, entry: Participation, plan_budget_fen: int, audit: AuditEvent, now: str) -> None:
        """The entry, the plan's reservation and the batch's counters at once, while it is open to join."""

    def offer(self, batch: Batch, offer: Offer, previous: Offer | None, audit: AuditEvent, now: str) -> None:
        """The supplier's offer (or its revision), while the batch takes offers."""

    def move(self, batch: Batch, previous: Batch, audit: AuditEvent) -> None:
        """A new state on the version read."""

    def entries(self, site_id: str, batch_id: str) -> list[Participation]: ...

    def offers(self, site_id: str, batch_id: str) -> list[Offer]: ...

    def settle_entry(self, entry: Participation, release_fen: int, audit: AuditEvent) -> None:
        """Record what came of an entry (once); give back `release_fen` of its plan's reservation (0: an order
        took it)."""


# ---------------------------------------------------------------- helpers


def _refuse(message: str, code: str, field: str = "") -> RuleViolation:
    return RuleViolation(message, code=code, details=[field_problem(field, message)] if field else None)


def new_batch_id(now: datetime) -> str:
    return f"PL{china_date(now):%Y%m%d}{uuid.uuid4().int % 10**10:010d}"


def parse_rate(text: str) -> int:
    """优惠率 as typed ("12.5", "8", "12.35" percent) → basis points; 0 ≤ rate < 100 with at most two decimals."""
    cleaned = str(text).strip().removesuffix("%").strip()
    if not RATE_PATTERN.match(cleaned):
        raise InvalidInput(
            "优惠率须为 0 到 100 之间（不含 100）的百分数，最多两位小数，如 12.5",
            code="RATE_INVALID",
            details=[field_problem("rate", "最多两位小数，0 ≤ 优惠率 < 100")],
        )
    try:
        return int(Decimal(cleaned) * 100)
    except InvalidOperation as error:  # unreachable after the pattern, kept for safety
        raise InvalidInput("优惠率格式不正确", code="RATE_INVALID") from error


def rate_text(rate_bp: int) -> str:
    return f"{rate_bp / 100:.2f}%"


def discounted(reference_fen: int, rate_bp: int) -> int:
    """Reference × (1 − rate), rounded down to the fen: the buyer never pays the rounding."""
    return reference_fen * (10_000 - rate_bp) // 10_000


def _event(b: Batch, action: str, summary: str, actor: dict[str, str], now: datetime, **extra: Any) -> AuditEvent:
    return new_event(
        tenant=b.site_id,
        entity_type=ENTITY_BATCH,
        entity_id=b.id,
        action=action,
        summary=summary,
        actor=actor,
        at=now,
        after=batch_to_dict(b),
        **extra,
    )


def _touched(b: Batch, now: datetime, **changes: Any) -> Batch:
    return b._replace(version=b.version + 1, updated_at=to_iso(now), **changes)


# ---------------------------------------------------------------- the operator opens


def open_batch(
    store: BatchStore,
    timer: BatchTimer,
    site: SiteConfig,
    operator: Principal,
    new: NewBatch,
    now: datetime,
    request_id: str = "",
) -> Batch:
    require_method(site.short_name, site.methods, PurchaseMethod.BATCH, "发起批量采购")
    category = next((c for c in site.leaf_categories() if c.id == new.category_id), None)
    if category is None:
        raise InvalidInput(
            "商城品目不存在或不是末级品目",
            code="CATEGORY_NOT_FOUND",
            details=[field_problem("category_id", "请选择末级品目")],
        )
    if new.reference_price_fen <= 0:
        raise InvalidInput(
            "参考单价须大于 0", code="VALIDATION_FAILED", details=[field_problem("reference_price_fen", "须大于 0")]
        )
    if not now + MIN_WINDOW - CLOCK_SLACK <= new.join_until <= now + MAX_WINDOW:
        raise _refuse("报名截止时间须在 1 分钟到 30 天之后", "WINDOW_INVALID", "join_until")
    if not new.join_until + MIN_WINDOW - CLOCK_SLACK <= new.offer_until <= new.join_until + MAX_WINDOW:
        raise _refuse("报价截止时间须在报名截止 1 分钟到 30 天之后", "WINDOW_INVALID", "offer_until")
    if not 1 <= new.min_buyers <= 100:
        raise _refuse("最少报名采购人数须在 1 到 100 之间", "VALIDATION_FAILED", "min_buyers")
    batch = Batch(
        id=new_batch_id(now),
        site_id=site.id,
        title=new.title.strip(),
        category_id=category.id,
        category_name=category.name,
        catalog_code=category.catalog_code,
        spec=new.spec.strip(),
        unit=new.unit.strip(),
        reference_price_fen=new.reference_price_fen,
        min_buyers=new.min_buyers,
        join_until=to_iso(new.join_until),
        offer_until=to_iso(new.offer_until),
        status=BatchStatus.JOINING,
        version=1,
        created_at=to_iso(now),
        updated_at=to_iso(now),
        created_by=operator.username,
    )
    summary = (
        f"发起批量采购“{batch.title}”（{category.name}），"
        f"参考单价 {format_yuan(batch.reference_price_fen)} 元/{batch.unit}，"
        f"报名截止 {batch.join_until}，报价截止 {batch.offer_until}"
    )
    store.create(batch, _event(batch, "batch.opened", summary, operator.as_actor(), now, request_id=request_id))
    arm(timer, batch, "join")
    arm(timer, batch, "offer")
    return batch


def arm(timer: BatchTimer, b: Batch, stage: str) -> None:
    """One deadline execution per batch and stage; a repeated start is a no-op (the name is the same)."""
    due = b.join_until if stage == "join" else b.offer_until
    timer.start(
        f"batch-{b.site_id}-{b.id}-{stage}", due, {"kind": "batch_window", "site_id": b.site_id, "batch_id": b.id}
    )


# ---------------------------------------------------------------- buyers join


class JoinRequest(NamedTuple):
    plan_no: str
    quantity: int
    delivery: Delivery


def join(
    store: BatchStore,
    b: Batch,
    site: SiteConfig,
    plan: Plan | None,
    buyer: Principal,
    request: JoinRequest,
    now: datetime,
    request_id: str = "",
) -> Participation:
    if b.status is not BatchStatus.JOINING or parse_iso(b.join_until) <= now:
        raise Conflict(f"批量采购“{b.title}”已截止报名", code="BATCH_CLOSED")
    plan = check_plan(plan, buyer)
    outside = plan_problem(plan, b.catalog_code, b.title, b.category_name)
    if outside is not None:
        raise RuleViolation(outside[1], code=outside[0])
    if request.quantity <= 0:
        raise InvalidInput("数量须大于 0", code="VALIDATION_FAILED", details=[field_problem("quantity", "须大于 0")])
    reserved = request.quantity * b.reference_price_fen
    if reserved > plan.balance_fen:
        raise balance_refusal(plan, reserved, "按参考单价须预留")
    if reserved > site.limits.per_order_cap_fen:
        raise _refuse(
            f"按参考单价须预留 {format_yuan(reserved)} 元，"
            f"超过单笔订单限额 {format_yuan(site.limits.per_order_cap_fen)} 元",
            "LIMIT_EXCEEDED",
            "quantity",
        )
    left = plan.quantity_left
    if left is not None and request.quantity > left:
        raise _refuse(
            f"超出采购计划所列数量：还可采购 {left} {plan.line.unit if plan.line else ''}",
            "PLAN_QUANTITY_EXCEEDED",
            "quantity",
        )
    check_expected_date(request.delivery.expected_date, china_date(now))
    entry = Participation(
        batch_id=b.id,
        site_id=b.site_id,
        buyer_uscc=buyer.org_id,
        buyer_name=buyer.org_name,
        buyer_user=buyer.username,
        buyer_district=buyer.district,
        plan_no=plan.plan_no,
        quantity=request.quantity,
        reserved_fen=reserved,
        delivery=request.delivery,
        joined_at=to_iso(now),
    )
    summary = (
        f"{buyer.org_name} 报名批量采购“{b.title}”，数量 {request.quantity} {b.unit}，"
        f"预留 {format_yuan(reserved)} 元（计划 {plan.plan_no}）"
    )
    audit = new_event(
        tenant=b.site_id,
        entity_type=ENTITY_BATCH,
        entity_id=b.id,
        action="batch.joined",
        summary=summary,
        actor=buyer.as_actor(),
        at=now,
        after=entry_to_dict(entry),
        request_id=request_id,
    )
    store.join(b, entry, plan.budget_fen, audit, to_iso(now))
    return entry


# ---------------------------------------------------------------- suppliers offer


def offer(
    store: BatchStore,
    b: Batch,
    supplier: Principal,
    supplier_name: str,
    trading: bool,
    rate_bp: int,
    previous: Offer | None,
    now: datetime,
    request_id: str = "",
) -> Offer:
    if b.status is not BatchStatus.OFFERING or parse_iso(b.offer_until) <= now:
        raise Conflict(f"批量采购“{b.title}”当前不在报价期", code="BATCH_NOT_OFFERING")
    if not trading:
        raise Conflict("贵公司当前不可在本站点交易", code="SUPPLIER_NOT_ACTIVE")
    made = Offer(b.id, supplier.org_id, supplier_name, rate_bp, to_iso(now), (previous.revision + 1) if previous else 1)
    summary = f"{supplier_name} {'修改' if previous else '提交'}批量采购“{b.title}”的优惠率"
    audit = new_event(
        tenant=b.site_id,
        entity_type=ENTITY_BATCH,
        entity_id=b.id,
        action="batch.offer_revised" if previous else "batch.offered",
        summary=summary,  # the rate itself is in the event's after, not its summary (others read the log)
        actor=supplier.as_actor(),
        at=now,
        after=made._asdict(),
        request_id=request_id,
    )
    store.offer(b, made, previous, audit, to_iso(now))
    return made


# ---------------------------------------------------------------- the windows close


def best_offer(offers: Sequence[Offer]) -> Offer | None:
    """The highest rate; of equal rates, the one submitted first."""
    return min(offers, key=lambda o: (-o.rate_bp, o.submitted_at, o.supplier_uscc), default=None)


class OrderPort(Protocol):
    def inputs(
        self, site_id: str, plan_no: str, supplier_uscc: str, listing_ids: list[str], buyer_uscc: str, year: int
    ) -> OrderInputs: ...

    def get(self, site_id: str, order_no: str) -> Order | None: ...


def batch_order_no(b: Batch, entry: Participation) -> str:
    """YC + the batch's day + 10 digits of a hash of batch and plan: the same entry, the same order."""
    digits = int(hashlib.sha256(f"{b.id}|{entry.plan_no}".encode()).hexdigest(), 16) % 10**10
    return f"YC{b.id[2:10]}{digits:010d}"


def _buyer(entry: Participation) -> Principal:
    return Principal(
        "", entry.buyer_user, "", Role.BUYER, entry.site_id, entry.buyer_uscc, entry.buyer_name, entry.buyer_district
    )


def _settle(
    store: BatchStore, b: Batch, entry: Participation, release_fen: int, actor: dict[str, str], now: datetime
) -> None:
    released = f"，释放计划 {entry.plan_no} 预留的 {format_yuan(release_fen)} 元" if release_fen else ""
    what = f"已生成订单 {entry.order_no}" if entry.outcome == "ordered" else entry.outcome
    summary = f"{entry.buyer_name} 的报名：{what}{released}"
    audit = new_event(
        tenant=b.site_id,
        entity_type=ENTITY_BATCH,
        entity_id=b.id,
        action="batch.entry_settled",
        summary=summary,
        actor=actor,
        at=now,
        after=entry_to_dict(entry),
    )
    store.settle_entry(entry, release_fen, audit)


def _fail(store: BatchStore, b: Batch, why: str, now: datetime) -> str:
    for entry in store.entries(b.site_id, b.id):
        if not entry.outcome:
            _settle(store, b, entry._replace(outcome=why), entry.reserved_fen, SYSTEM_ACTOR, now)
    failed = _touched(b, now, status=BatchStatus.FAILED, outcome=why)
    store.move(
        failed,
        b,
        _event(
            failed, "batch.failed", f"批量采购“{b.title}”未成交：{why}，已释放各采购计划的预留金额", SYSTEM_ACTOR, now
        ),
    )
    return "failed"


def advance(store: BatchStore, orders_store: Any, site: SiteConfig, b: Batch, now: datetime) -> str:
    """What a deadline does: early (woken before it), offering, awarded, failed, or skipped (already moved).

    Both windows' timers are armed when the batch opens (a timer task may not start timers: its role would depend
    on the machine that invokes it). Whichever wakes after a deadline moves the batch as far as the time allows, so
    the offer window's timer, or the sweep, also closes a join window whose own timer was lost."""
    if b.status is BatchStatus.JOINING:
        if now < parse_iso(b.join_until):
            return "early"
        if b.buyers < b.min_buyers:
            return _fail(store, b, f"报名采购人 {b.buyers} 家，少于 {b.min_buyers} 家", now)
        offering = _touched(b, now, status=BatchStatus.OFFERING)
        summary = f"批量采购“{b.title}”报名截止：{b.buyers} 家采购人，合计 {b.quantity} {b.unit}，进入报价"
        store.move(offering, b, _event(offering, "batch.joining_closed", summary, SYSTEM_ACTOR, now))
        if now < parse_iso(offering.offer_until):
            return "offering"
        b = offering
    if b.status is BatchStatus.OFFERING:
        if now < parse_iso(b.offer_until):
            return "early"
        winner = best_offer(store.offers(b.site_id, b.id))
        if winner is None:
            return _fail(store, b, "报价期内无供应商报价", now)
        return _award(store, orders_store, site, b, winner, now)
    return "skipped"


def _award(store: BatchStore, orders_store: Any, site: SiteConfig, b: Batch, winner: Offer, now: datetime) -> str:
    unit = discounted(b.reference_price_fen, winner.rate_bp)
    placed = 0
    for entry in store.entries(b.site_id, b.id):
        if entry.outcome:
            placed += entry.outcome == "ordered"
            continue
        order_no = batch_order_no(b, entry)
        try:
            if orders_store.get(b.site_id, order_no) is None:
                _place(orders_store, site, b, entry, winner, unit, order_no, now)
        except DomainError as refused:
            # One buyer's order refused (its plan or annual limit changed meanwhile): the others still stand.
            _settle(
                store, b, entry._replace(outcome=f"未能下单：{refused.message}"), entry.reserved_fen, SYSTEM_ACTOR, now
            )
            continue
        _settle(store, b, entry._replace(order_no=order_no, outcome="ordered"), 0, SYSTEM_ACTOR, now)
        placed += 1
    awarded = _touched(
        b,
        now,
        status=BatchStatus.AWARDED,
        winner_uscc=winner.supplier_uscc,
        winner_name=winner.supplier_name,
        rate_bp=winner.rate_bp,
        unit_price_fen=unit,
        orders_placed=placed,
    )
    summary = (
        f"批量采购“{b.title}”成交：{winner.supplier_name}，优惠率 {rate_text(winner.rate_bp)}，"
        f"成交单价 {format_yuan(unit)} 元/{b.unit}，生成订单 {placed} 张"
    )
    store.move(awarded, b, _event(awarded, "batch.awarded", summary, SYSTEM_ACTOR, now))
    return "awarded"


def _place(
    orders_store: Any,
    site: SiteConfig,
    b: Batch,
    entry: Participation,
    winner: Offer,
    unit: int,
    order_no: str,
    now: datetime,
) -> None:
    inputs: OrderInputs = orders_store.inputs(
        site.id, entry.plan_no, winner.supplier_uscc, [], entry.buyer_uscc, china_date(now).year
    )
    buyer = _buyer(entry)
    plan = check_plan(inputs.plan, buyer)
    supplier = inputs.supplier
    if supplier is None or not supplier.can_trade_in(site.id):
        raise Conflict("成交供应商当前不可交易", code="SUPPLIER_NOT_ACTIVE")
    line = OrderLine(
        listing_id="",
        name=b.title,
        brand="",
        model=b.spec[:60],
        category_id=b.category_id,
        catalog_code=b.catalog_code,
        unit_price_fen=unit,
        quantity=entry.quantity,
        tracks_stock=False,  # delivered against the batch's award, not from a listing's stock
    )
    priced = Priced((line,), BuyingMode.BATCH, Mechanism.DISCOUNT_RATE, OrderSource(SourceKind.BATCH, (b.id,)))
    new = NewOrder(
        entry.plan_no, winner.supplier_uscc, (), entry.delivery, f"批量采购 {b.id}，优惠率 {rate_text(winner.rate_bp)}"
    )
    commit(
        orders_store,
        site,
        plan,
        supplier,
        buyer,
        priced,
        new,
        inputs.spent_fen,
        now,
        reserved_fen=entry.reserved_fen,
        order_no=order_no,
        actor=SYSTEM_ACTOR,
    )


def cancel(store: BatchStore, b: Batch, operator: Principal, reason: str, now: datetime) -> Batch:
    if b.status not in (BatchStatus.JOINING, BatchStatus.OFFERING):
        raise Conflict(f"批量采购当前为“{b.status.label}”，不能撤销", code="BATCH_STATUS_CONFLICT")
    for entry in store.entries(b.site_id, b.id):
        if not entry.outcome:
            _settle(
                store,
                b,
                entry._replace(outcome=f"批量采购已撤销：{reason}"),
                entry.reserved_fen,
                operator.as_actor(),
                now,
            )
    cancelled = _touched(b, now, status=BatchStatus.CANCELLED, outcome=reason)
    store.move(
        cancelled,
        b,
        _event(cancelled, "batch.cancelled", f"撤销批量采购“{b.title}”：{reason}", operator.as_actor(), now),
    )
    return cancelled


# ---------------------------------------------------------------- views


def batch_to_dict(b: Batch) -> dict[str, Any]:
    shown = b._asdict()
    shown["status"] = b.status.value
    return shown


def batch_from_dict(raw: dict[str, Any]) -> Batch:
    fields = {k: raw[k] for k in Batch._fields if k in raw}
    fields["status"] = BatchStatus(raw["status"])
    return Batch(**fields)


def entry_to_dict(e: Participation) -> dict[str, Any]:
    shown = e._asdict()
    shown["delivery"] = e.delivery._asdict()
    return shown


def entry_from_dict(raw: dict[str, Any]) -> Participation:
    fields = {k: raw[k] for k in Participation._fields if k in raw}
    fields["delivery"] = Delivery(**raw["delivery"])
    return Participation(**fields)


def view_for(
    b: Batch,
    principal: Principal,
    now: datetime,
    entries: Sequence[Participation] = (),
    own: Offer | None = None,
    offers: int = 0,
) -> dict[str, Any]:
    """What the caller sees: a buyer its own entries, a supplier its own offer (rates of others stay hidden until the
    award; the winning rate is public then), the operator every entry."""
    shown = batch_to_dict(b)
    shown.update(
        status_label=b.status.label,
        method_label=BuyingMode.BATCH.label,
        mechanism_label=Mechanism.DISCOUNT_RATE.label,
        rate_text=rate_text(b.rate_bp) if b.status is BatchStatus.AWARDED else "",
        server_time=to_iso(now),
        reserve_per_unit_fen=b.reference_price_fen,
        offers_count=offers
        if principal.role in (Role.CENTER_ADMIN, Role.PROVINCE_ADMIN, Role.FINANCE)
        or b.status is not BatchStatus.OFFERING
        else None,
    )
    if principal.role is Role.BUYER:
        entries = [e for e in entries if e.buyer_uscc == principal.org_id]
    elif principal.role is Role.SUPPLIER:
        entries = []
    shown["entries"] = [entry_to_dict(e) for e in entries]
    if own is not None:
        shown["my_offer"] = {
            "rate_bp": own.rate_bp,
            "rate_text": rate_text(own.rate_bp),
            "submitted_at": own.submitted_at,
            "revision": own.revision,
        }
    actions = []
    if principal.role is Role.BUYER and b.status is BatchStatus.JOINING and now < parse_iso(b.join_until):
        actions.append("join")
    if principal.role is Role.SUPPLIER and b.status is BatchStatus.OFFERING and now < parse_iso(b.offer_until):
        actions.append("offer")
    if principal.role in (Role.CENTER_ADMIN, Role.PROVINCE_ADMIN) and b.status in (
        BatchStatus.JOINING,
        BatchStatus.OFFERING,
    ):
        actions.append("cancel")
    shown["actions"] = actions
    return shown
