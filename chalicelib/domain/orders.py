"""Orders (订单): direct purchase (直购) from a plan, fulfilment, acceptance, settlement, termination.

One order per supplier. Placing it is one all-or-nothing write: the order,
the plan's committed amount (never above its budget), the buyer's yearly
spending in the plan's 二级品目 (never above the site's cap), each listing's
stock (never below zero, and only while on sale), a check that the supplier
is still active, and the audit event. Declining, cancelling or terminating an
order gives the budget, the cap and the stock back in the same way.

    待确认 → 已确认 (supplier) → 已发货 → 已验收 (buyer) → 已结算 (payment)
    待确认 → 已拒单 (supplier, reason) | 已撤销 (buyer)
    已确认/已发货 → 终止申请 (buyer) → 已终止 (operator approves) | back (operator rejects)
"""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any, NamedTuple, Protocol

from chalicelib.domain.audit import AuditEvent, new_event
from chalicelib.domain.clock import china_date, china_days_window, to_iso
from chalicelib.domain.errors import Conflict, InvalidInput, NotFound, RuleViolation, field_problem
from chalicelib.domain.lifecycle import Condition, Move, Party, Subject, allowed, check, move, required_reason
from chalicelib.domain.listings import Listing, ListingStatus
from chalicelib.domain.money import format_wan, format_yuan
from chalicelib.domain.plans import Plan, PlanStatus, balance_refusal, level2_of, quantity_refusal
from chalicelib.domain.principals import SYSTEM_ACTOR, Principal, Role
from chalicelib.domain.purchase import BuyingMode, Mechanism, OrderSource, SourceKind
from chalicelib.domain.sites import SiteConfig, require_method
from chalicelib.domain.suppliers import Supplier

ENTITY_ORDER = "order"
# YC: placed in the mall; LS: imported from the old mall (历史导入), derived from the old order number.
ORDER_NO_PATTERN = re.compile(r"^(YC|LS)\d{18}$")
MAX_LINES = 20


class OrderStatus(StrEnum):
    PENDING = "pending_confirmation"
    CONFIRMED = "confirmed"
    SHIPPED = "shipped"
    ACCEPTED = "accepted"
    SETTLED = "settled"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    TERMINATED = "terminated"

    @property
    def label(self) -> str:
        return {
            OrderStatus.PENDING: "待确认",
            OrderStatus.CONFIRMED: "已确认",
            OrderStatus.SHIPPED: "已发货",
            OrderStatus.ACCEPTED: "已验收",
            OrderStatus.SETTLED: "已结算",
            OrderStatus.DECLINED: "已拒单",
            OrderStatus.CANCELLED: "已撤销",
            OrderStatus.TERMINATED: "已终止",
        }[self]

    @property
    def releases_budget(self) -> bool:
        return self in (OrderStatus.DECLINED, OrderStatus.CANCELLED, OrderStatus.TERMINATED)


class TerminationStatus(StrEnum):
    NONE = "none"
    REQUESTED = "requested"
    REJECTED = "rejected"
    APPROVED = "approved"


class OrderLine(NamedTuple):
    listing_id: str
    name: str
    brand: str
    model: str
    category_id: str
    catalog_code: str
    unit_price_fen: int
    quantity: int
    # A line bought from a listing takes its stock; an awarded or agreed line (a bidding, a framework
    # agreement) is delivered against the award, not from a listing's stock.
    tracks_stock: bool = True
    # An imported line's amount as the old mall recorded it (its unit price need not divide it); 0: price × quantity.
    recorded_amount_fen: int = 0

    @property
    def amount_fen(self) -> int:
        return self.recorded_amount_fen or self.unit_price_fen * self.quantity


class Delivery(NamedTuple):
    address: str
    contact: str
    phone: str
    expected_date: str  # YYYY-MM-DD


class Termination(NamedTuple):
    status: TerminationStatus = TerminationStatus.NONE
    reason: str = ""
    requested_at: str = ""
    decision: str = ""
    decided_at: str = ""


class ImportedFacts(NamedTuple):
    """What a purchase imported from the old mall (历史导入) carries that the mall would otherwise look up:
    the supplier as the old mall recorded it, and the old order's own number."""

    old_order_no: str
    supplier_scale: str  # micro | small | medium | large
    supplier_district: str  # the supplier's registered location (GB/T 2260 code)
    batch: str  # the import file's digest: which import brought it


class OrderFilter(NamedTuple):
    """What a list of orders is narrowed to; every field optional. Days are China calendar days."""

    status: OrderStatus | None = None
    number: str = ""  # part of an order number
    plan_no: str = ""
    supplier: str = ""  # a supplier's 统一社会信用代码, or part of its name
    first_day: date | None = None
    last_day: date | None = None

    def window(self) -> tuple[str, str] | None:
        return china_days_window(self.first_day, self.last_day)


class Shipment(NamedTuple):
    """发货凭证: goods go by a carrier with a waybill number; a service or works is delivered with a note."""

    carrier: str = ""
    waybill_no: str = ""
    delivery_note: str = ""

    def text(self) -> str:
        return f"{self.carrier} {self.waybill_no}".strip() if self.carrier else self.delivery_note


class Attachment(NamedTuple):
    doc_id: str
    file_name: str
    key: str
    size: int = 0


class Acceptance(NamedTuple):
    """验收: 合格 or 不合格, the buyer's opinion, and its attachments (photos, a signed acceptance form)."""

    passed: bool = True
    opinion: str = ""
    attachments: tuple[Attachment, ...] = ()
    at: str = ""

    @property
    def result_label(self) -> str:
        return "合格" if self.passed else "不合格"


class Order(NamedTuple):
    order_no: str
    site_id: str
    plan_no: str
    level2_code: str
    year: int
    buyer_uscc: str
    buyer_name: str
    buyer_district: str
    buyer_user: str
    supplier_uscc: str
    supplier_name: str
    lines: tuple[OrderLine, ...]
    delivery: Delivery
    note: str
    status: OrderStatus
    status_reason: str
    termination: Termination
    acceptance_note: str
    payment_voucher: str
    created_at: str
    updated_at: str
    version: int
    milestones: dict[str, str]  # status → when it was reached (for documents and the timeline)
    method: BuyingMode = BuyingMode.SUPERMARKET
    mechanism: Mechanism = Mechanism.DIRECT
    source: OrderSource = OrderSource(SourceKind.LISTING, ())
    # The amount set aside for the purchase (预算金额, for 节约资金 = budget − deal amount): a competition's
    # ceiling, the old mall's budget for imported purchases; 0 when it is the deal amount itself (直购 at the
    # listed price saves nothing).
    budget_fen: int = 0
    imported: ImportedFacts | None = None
    shipment: Shipment = Shipment()
    acceptances: tuple[Acceptance, ...] = ()  # every inspection, the last one decides
    # Units counted against the plan's line (a plan listing 10 便携式计算机 pays for 10); 0 when it lists none.
    counted_quantity: int = 0

    @property
    def is_goods(self) -> bool:
        """Goods (货物, catalog codes A…) travel with a carrier; services and works (B…, C…) do not."""
        return any(line.catalog_code.startswith("A") for line in self.lines)

    @property
    def total_fen(self) -> int:
        return sum(line.amount_fen for line in self.lines)

    @property
    def is_imported(self) -> bool:
        return self.source.kind is SourceKind.HISTORY


class OrderInputs(NamedTuple):
    """Everything placing an order reads: the site and the plan together, then the rest together."""

    site: SiteConfig | None
    plan: Plan | None
    supplier: Supplier | None
    listings: dict[str, Listing]
    spent_fen: int  # the buyer's orders this year in the plan's 二级品目


class Release(NamedTuple):
    """What an order gives back when it ends early."""

    plan_no: str
    buyer_uscc: str
    year: int
    level2_code: str
    amount_fen: int
    stock: tuple[tuple[str, int], ...]  # (listing id, quantity) to put back; empty once shipped
    quantity: int = 0  # units given back to the plan's line


class AgreementGuard(NamedTuple):
    """What an order bought under a framework agreement re-checks when it is written: the agreement as read
    (its version: suspended, revised or a supplier paused since, the order is refused) and, for 顺序轮候, the
    turn it takes (the counter as read, and what it becomes)."""

    number: str
    version: int
    rotation_code: str = ""  # the catalog code whose turn this order takes; "" for none
    turn_seen: int = 0
    turn_next: int = 0


class OrderStore(Protocol):
    def inputs(
        self, site_id: str, plan_no: str, supplier_uscc: str, listing_ids: list[str], buyer_uscc: str, year: int
    ) -> OrderInputs:
        """The site's rules and the plan (one read), then the supplier, the listings and the
        buyer's spending this year in the plan's 二级品目 (one read)."""

    def place(
        self,
        order: Order,
        annual_cap_fen: int,
        plan_budget_fen: int,
        audit: AuditEvent,
        reserved_fen: int = 0,
        plan_quantity: int | None = None,
        guard: AgreementGuard | None = None,
    ) -> None:
        """The order and everything it takes, in one transaction; Conflict names what ran out.
        `plan_quantity`: the plan line's quantity, which the order's counted units must stay within.
        `reserved_fen` of the plan was held by a competition and goes back as the order takes its amount."""

    def get(self, site_id: str, order_no: str) -> Order | None: ...

    def transition(
        self,
        order: Order,
        previous: Order,
        audit: AuditEvent,
        release: Release | None = None,
        nonce: tuple[str, int] | None = None,
    ) -> None:
        """Save a new state conditional on the previous version, releasing budget and stock if given,
        and remembering a signed request's nonce (until the given time) in the same write."""


class NewOrder(NamedTuple):
    plan_no: str
    supplier_uscc: str
    lines: tuple[tuple[str, int], ...]  # (listing id, quantity)
    delivery: Delivery
    note: str


# ---------------------------------------------------------------- placing


def line_problem(
    site_id: str, listing: Listing | None, supplier_uscc: str, quantity: int, district: str, plan: Plan | None
) -> tuple[str, str] | None:
    """Why a listing cannot be a line of an order to this supplier, paid from this plan (a code and the message),
    the first that applies; None when it can. Placing refuses on it; the checkout forecast shows it beforehand
    (with no plan: it judges plans on their own)."""
    if listing is None or listing.site_id != site_id:
        return "LISTING_NOT_FOUND", "商品不存在"
    name = listing.draft.name
    if listing.status is not ListingStatus.ACTIVE:
        return "LISTING_NOT_ACTIVE", f"“{name}”已下架，不能下单"
    if listing.supplier.uscc != supplier_uscc:
        return "LISTING_NOT_FOUND", f"“{name}”不是该供应商的商品（每个供应商单独下单）"
    outside = plan_problem(plan, listing.catalog_code, name, listing.category_name) if plan is not None else None
    if outside is not None:
        return outside
    if listing.draft.stock < quantity:
        return "OUT_OF_STOCK", f"“{name}”库存不足：现有 {listing.draft.stock}，需要 {quantity}"
    if district and district not in listing.draft.delivery_districts:
        return "NOT_DELIVERED", f"“{name}”不配送到您所在的区划"
    return None


def plan_problem(plan: Plan, catalog_code: str, name: str, category_name: str) -> tuple[str, str] | None:
    """Why a plan does not pay for this catalog code: outside its 二级品目, or not the item its line lists."""
    if level2_of(catalog_code) != plan.level2_code:
        return "PLAN_MISMATCH", f"“{name}”（{catalog_code}）不属于采购计划的品目（{plan.level2_code}）"
    if plan.line is not None and not covers(plan.line.catalog_code, catalog_code):
        line = plan.line
        return (
            "PLAN_MISMATCH",
            f"“{name}”（{category_name}）不是采购计划所列的品目（{line.catalog_name} {line.catalog_code}）",
        )
    return None


def check_expected_date(expected_date: str, today: date, what: str = "到货") -> None:
    """Every purchase's delivery (or service) date is today or later, in China's calendar."""
    if expected_date < today.isoformat():
        raise InvalidInput(
            f"要求{what}日期不能早于今天",
            code="VALIDATION_FAILED",
            details=[field_problem("delivery.expected_date", "不能早于今天")],
        )


def check_plan(plan: Plan | None, buyer: Principal) -> Plan:
    """The buyer's own accepted plan, or the reason it cannot pay."""
    if plan is None or plan.buyer_uscc != buyer.org_id:
        raise NotFound("采购计划不存在", code="PLAN_NOT_FOUND")
    if plan.status is not PlanStatus.ACCEPTED:
        raise Conflict(f"采购计划当前状态为“{plan.status.label}”，接收后才能下单", code="PLAN_NOT_ACCEPTED")
    return plan


def _lines(site: SiteConfig, new: NewOrder, inputs: OrderInputs, plan: Plan, district: str) -> list[OrderLine]:
    problems: list[dict[str, str]] = []
    lines: list[OrderLine] = []
    for index, (listing_id, quantity) in enumerate(new.lines):
        listing = inputs.listings.get(listing_id)
        found = line_problem(site.id, listing, new.supplier_uscc, quantity, district, plan)
        if found is not None:
            problems.append(field_problem(f"lines.{index}", found[1]))
        elif listing is not None:
            draft = listing.draft
            lines.append(
                OrderLine(
                    listing_id,
                    draft.name,
                    draft.brand,
                    draft.model,
                    draft.category_id,
                    listing.catalog_code,
                    draft.price_fen,
                    quantity,
                )
            )
    if problems:
        raise RuleViolation("；".join(p["message"] for p in problems), code="ORDER_LINES_REFUSED", details=problems)
    return lines


class Priced(NamedTuple):
    """What a pricer makes of the buyer's request: the lines at their price, and how and whence they were priced."""

    lines: tuple[OrderLine, ...]
    method: BuyingMode
    mechanism: Mechanism
    source: OrderSource


def price_direct(site: SiteConfig, new: NewOrder, inputs: OrderInputs, plan: Plan, district: str) -> Priced:
    """直购 in the 超市: each line at its listing's price, from its stock."""
    lines = tuple(_lines(site, new, inputs, plan, district))
    return Priced(lines, BuyingMode.SUPERMARKET, Mechanism.DIRECT, OrderSource(SourceKind.LISTING, new_ids(new)))


def new_ids(new: NewOrder) -> tuple[str, ...]:
    return tuple(listing_id for listing_id, _ in new.lines)


def _check_money(site: SiteConfig, plan: Plan, total: int, spent: int) -> None:
    cap = site.limits.per_order_cap_fen
    if total > cap:
        raise RuleViolation(
            f"超出单笔订单限额：限额 {format_wan(cap)} 万元，本订单 {format_wan(total)} 万元",
            code="LIMIT_EXCEEDED",
            details={
                "limit": "per_order",
                "limit_label": "单笔订单限额",
                "limit_fen": cap,
                "used_fen": 0,
                "left_fen": cap,
                "requested_fen": total,
            },
        )
    if total > plan.balance_fen:
        raise balance_refusal(plan, total)
    annual = site.limits.annual_category_cap_fen
    if spent + total > annual:
        raise RuleViolation(
            f"超出本年度该品目采购限额：限额 {format_wan(annual)} 万元，已采购 {format_wan(spent)} 万元，"
            f"剩余 {format_wan(max(annual - spent, 0))} 万元",
            code="LIMIT_EXCEEDED",
            details={
                "limit": "annual_category",
                "limit_label": "年度品目采购限额",
                "limit_fen": annual,
                "used_fen": spent,
                "left_fen": max(annual - spent, 0),
                "requested_fen": total,
            },
        )


def covers(plan_code: str, catalog_code: str) -> bool:
    """Whether a plan line's catalog code pays for a listing's: the same code, or one below a group code."""
    if plan_code == catalog_code:
        return True
    stem = plan_code.rstrip("0")
    return plan_code.endswith("00") and len(stem) >= 3 and catalog_code.startswith(stem)


def _check_quantity(plan: Plan, lines: tuple[OrderLine, ...]) -> int:
    """Units the order counts against the plan's line (0 when the plan lists none), within what is left."""
    if plan.line is None or not plan.counts_units:
        return 0
    wanted = sum(line.quantity for line in lines)
    left = plan.quantity_left or 0
    if wanted > left:
        raise quantity_refusal(plan, wanted)
    return wanted


def new_order_no(now: datetime) -> str:
    """YC + yyyymmdd + 10 digits: 20 characters, unique by a random part (writes check absence)."""
    return f"YC{china_date(now):%Y%m%d}{uuid.uuid4().int % 10**10:010d}"


def place(
    store: OrderStore, site_id: str, buyer: Principal, new: NewOrder, now: datetime, request_id: str = ""
) -> Order:
    """Check everything the order needs, then write it all at once; returns the order placed."""
    if not 1 <= len(new.lines) <= MAX_LINES or len({lid for lid, _ in new.lines}) != len(new.lines):
        raise InvalidInput(
            f"一张订单须有 1 至 {MAX_LINES} 种不同的商品",
            code="VALIDATION_FAILED",
            details=[field_problem("lines", "商品重复或种数不对")],
        )
    today = china_date(now)
    check_expected_date(new.delivery.expected_date, today)
    inputs = store.inputs(site_id, new.plan_no, new.supplier_uscc, list(new_ids(new)), buyer.org_id, today.year)
    site = inputs.site
    if site is None:
        raise NotFound(f"站点 {site_id} 不存在", code="SITE_NOT_FOUND")
    require_mechanism(site, Mechanism.DIRECT)
    plan = check_plan(inputs.plan, buyer)
    supplier = inputs.supplier
    if supplier is None or not supplier.can_trade_in(site.id):
        raise Conflict("该供应商当前不可交易", code="SUPPLIER_NOT_ACTIVE")
    priced = price_direct(site, new, inputs, plan, buyer.district)
    return commit(store, site, plan, supplier, buyer, priced, new, inputs.spent_fen, now, request_id)


def require_mechanism(site: SiteConfig, mechanism: Mechanism) -> None:
    require_method(site.short_name, site.methods, mechanism.site_method, f"以{mechanism.label}方式下单")


def commit(
    store: OrderStore,
    site: SiteConfig,
    plan: Plan,
    supplier: Supplier,
    buyer: Principal,
    priced: Priced,
    new: NewOrder,
    spent_fen: int,
    now: datetime,
    request_id: str = "",
    *,
    reserved_fen: int = 0,
    order_no: str = "",
    actor: dict[str, str] | None = None,
    guard: AgreementGuard | None = None,
    budget_fen: int = 0,
) -> Order:
    """The one way an order comes to be, whatever priced it: within the limits, then one transaction
    (the order, the plan's committed amount, the annual cap, the stock of lines that have stock, the audit).

    An award passes what its competition reserved of the plan (given back as the order takes its amount), the
    order number derived from the competition (so that a second run finds it placed) and the system as actor."""
    total = sum(line.amount_fen for line in priced.lines)
    _check_money(site, plan._replace(committed_fen=plan.committed_fen - reserved_fen), total, spent_fen)
    counted = _check_quantity(plan, priced.lines)
    order = Order(
        order_no=order_no or new_order_no(now),
        site_id=site.id,
        plan_no=plan.plan_no,
        level2_code=plan.level2_code,
        year=china_date(now).year,
        buyer_uscc=buyer.org_id,
        buyer_name=buyer.org_name,
        buyer_district=buyer.district,
        buyer_user=buyer.username,
        supplier_uscc=supplier.uscc,
        supplier_name=supplier.profile.name,
        lines=priced.lines,
        delivery=new.delivery,
        note=new.note,
        status=OrderStatus.PENDING,
        status_reason="",
        termination=Termination(),
        acceptance_note="",
        payment_voucher="",
        created_at=to_iso(now),
        updated_at=to_iso(now),
        version=1,
        milestones={OrderStatus.PENDING.value: to_iso(now)},
        method=priced.method,
        mechanism=priced.mechanism,
        source=priced.source,
        budget_fen=max(reserved_fen, budget_fen) if max(reserved_fen, budget_fen) > total else 0,
        counted_quantity=counted,
    )
    audit = _event(
        order,
        "order.placed",
        f"{priced.method.label}·{priced.mechanism.label}下单，金额 {format_yuan(total)} 元（计划 {plan.plan_no}）",
        actor or buyer.as_actor(),
        now,
        None,
        order_to_dict(order),
        request_id,
    )
    store.place(
        order,
        site.limits.annual_category_cap_fen,
        plan.budget_fen,
        audit,
        reserved_fen,
        plan_quantity=plan.line.quantity if plan.line else None,
        guard=guard,
    )
    return order


# ---------------------------------------------------------------- after placing


def _event(
    order: Order,
    action: str,
    summary: str,
    actor: dict[str, str],
    at: datetime,
    before: Any,
    after: Any,
    request_id: str = "",
) -> AuditEvent:
    return new_event(
        tenant=order.site_id,
        entity_type=ENTITY_ORDER,
        entity_id=order.order_no,
        action=action,
        summary=summary,
        actor=actor,
        at=at,
        before=before,
        after=after,
        request_id=request_id,
        context={"buyer": order.buyer_uscc, "supplier": order.supplier_uscc, "total_fen": order.total_fen},
    )


def _view_state(order: Order) -> dict[str, Any]:
    return {"status": order.status.value, "reason": order.status_reason, "termination": order.termination.status.value}


def check_visible(order: Order, principal: Principal) -> None:
    """An order is seen by its buyer unit, its supplier, and the site's operator and finance.

    Others are told it does not exist, so that order numbers cannot be probed.
    """
    allowed = (
        principal.role in (Role.CENTER_ADMIN, Role.FINANCE, Role.PROVINCE_ADMIN)
        or (principal.role is Role.BUYER and order.buyer_uscc == principal.org_id)
        or (principal.role is Role.SUPPLIER and order.supplier_uscc == principal.org_id)
    )
    if not allowed:
        raise NotFound("订单不存在", code="ORDER_NOT_FOUND")


def visible_order(store: OrderStore, principal: Principal, site_id: str, order_no: str) -> Order:
    order = store.get(site_id, order_no) if ORDER_NO_PATTERN.match(order_no) else None
    if order is None:
        raise NotFound("订单不存在", code="ORDER_NOT_FOUND")
    check_visible(order, principal)
    return order


def _no_pending_termination(order: Order) -> bool:
    return order.termination.status is not TerminationStatus.REQUESTED


def _termination_pending(order: Order) -> bool:
    return order.termination.status is TerminationStatus.REQUESTED


_NOT_WHILE_TERMINATING = Condition(
    _no_pending_termination, "订单有待审核的终止申请，处理前不能继续", "TERMINATION_PENDING"
)
_PENDING, _CONFIRMED, _SHIPPED, _ACCEPTED = (
    OrderStatus.PENDING,
    OrderStatus.CONFIRMED,
    OrderStatus.SHIPPED,
    OrderStatus.ACCEPTED,
)
# Every move of an order: who may make it, from where, to where. The guards of the transitions below and the
# actions the API offers are both read from here, so the UI never offers a button that would be refused.
ORDER_MOVES: dict[str, Move] = {
    "confirm": move([_PENDING], Party.SUPPLIER, _CONFIRMED, "确认", conditions=[_NOT_WHILE_TERMINATING]),
    "decline": move(
        [_PENDING], Party.SUPPLIER, OrderStatus.DECLINED, "拒单", needs_reason=True, conditions=[_NOT_WHILE_TERMINATING]
    ),
    "ship": move([_CONFIRMED], Party.SUPPLIER, _SHIPPED, "发货", conditions=[_NOT_WHILE_TERMINATING]),
    "cancel": move(
        [_PENDING],
        Party.BUYER,
        OrderStatus.CANCELLED,
        "撤销（供应商确认后请申请终止）",
        needs_reason=True,
        conditions=[_NOT_WHILE_TERMINATING],
    ),
    "accept": move([_SHIPPED], Party.BUYER, _ACCEPTED, "验收", conditions=[_NOT_WHILE_TERMINATING]),
    # 验收不合格: back to the supplier, who delivers again (and ships with new evidence).
    "reject_delivery": move(
        [_SHIPPED], Party.BUYER, _CONFIRMED, "验收不合格", needs_reason=True, conditions=[_NOT_WHILE_TERMINATING]
    ),
    "request_termination": move(
        [_CONFIRMED, _SHIPPED], Party.BUYER, None, "申请终止", needs_reason=True, conditions=[_NOT_WHILE_TERMINATING]
    ),
    "decide_termination": move(
        list(OrderStatus),
        Party.OPERATOR,
        OrderStatus.TERMINATED,
        "审核终止申请",
        conditions=[Condition(_termination_pending, "该订单没有待审核的终止申请", "NO_TERMINATION_REQUEST")],
    ),
    "settle": move([_ACCEPTED], Party.SYSTEM, OrderStatus.SETTLED, "结算", conditions=[_NOT_WHILE_TERMINATING]),
}
_ORDER = Subject("订单", "ORDER_STATUS_CONFLICT", "NOT_ORDER_PARTY")


def party_of(order: Order, principal: Principal | None) -> Party | None:
    """The caller's part in this order (None: none at all)."""
    if principal is None:
        return Party.SYSTEM
    if principal.role is Role.BUYER and principal.org_id == order.buyer_uscc:
        return Party.BUYER
    if principal.role is Role.SUPPLIER and principal.org_id == order.supplier_uscc:
        return Party.SUPPLIER
    if principal.role in (Role.CENTER_ADMIN, Role.PROVINCE_ADMIN):
        return Party.OPERATOR
    return None


def _guard(order: Order, principal: Principal | None, action: str) -> Move:
    return check(ORDER_MOVES, action, order, order.status, party_of(order, principal), order.status.label, _ORDER)


def check_can(order: Order, principal: Principal, action: str) -> None:
    """Refuse now what `action` would refuse (an upload for an acceptance that cannot happen)."""
    _guard(order, principal, action)


def _release(order: Order, restock: bool) -> Release:
    stock = tuple((line.listing_id, line.quantity) for line in order.lines if line.tracks_stock) if restock else ()
    return Release(
        order.plan_no, order.buyer_uscc, order.year, order.level2_code, order.total_fen, stock, order.counted_quantity
    )


def _touched(order: Order, now: datetime, **changes: Any) -> Order:
    status = changes.get("status", order.status)
    milestones = order.milestones if status is order.status else {**order.milestones, status.value: to_iso(now)}
    return order._replace(**changes, updated_at=to_iso(now), version=order.version + 1, milestones=milestones)


def _noted(text: str, note: str) -> str:
    return f"{text}：{note}" if note else text


def _move(
    store: OrderStore,
    order: Order,
    actor: dict[str, str],
    action: str,
    summary: str,
    now: datetime,
    *,
    release: Release | None = None,
    nonce: tuple[str, int] | None = None,
    shown: dict[str, Any] | None = None,
    **changes: Any,
) -> Order:
    """One transition: the new state and its audit event (status, reason and termination before and after, plus
    `shown` after), saved on the previous version together with any budget and stock given back."""
    updated = _touched(order, now, **changes)
    audit = _event(order, action, summary, actor, now, _view_state(order), {**_view_state(updated), **(shown or {})})
    store.transition(updated, order, audit, release, nonce)
    return updated


def confirm(store: OrderStore, supplier: Principal, order: Order, now: datetime) -> Order:
    _guard(order, supplier, "confirm")
    actor = supplier.as_actor()
    return _move(store, order, actor, "order.confirmed", "供应商确认订单", now, status=OrderStatus.CONFIRMED)


def decline(store: OrderStore, supplier: Principal, order: Order, reason: str, now: datetime) -> Order:
    _guard(order, supplier, "decline")
    why = required_reason(reason, "拒单")
    summary = f"供应商拒单：{why}（释放预算 {format_yuan(order.total_fen)} 元）"
    return _move(
        store,
        order,
        supplier.as_actor(),
        "order.declined",
        summary,
        now,
        release=_release(order, restock=True),
        status=OrderStatus.DECLINED,
        status_reason=why,
    )


def cancel(store: OrderStore, buyer: Principal, order: Order, reason: str, now: datetime) -> Order:
    _guard(order, buyer, "cancel")
    why = required_reason(reason, "撤销")
    return _move(
        store,
        order,
        buyer.as_actor(),
        "order.cancelled",
        f"采购人撤销订单：{why}",
        now,
        release=_release(order, restock=True),
        status=OrderStatus.CANCELLED,
        status_reason=why,
    )


def ship(store: OrderStore, supplier: Principal, order: Order, shipment: Shipment, now: datetime) -> Order:
    """发货 with its evidence: a carrier and waybill number for goods, a delivery note for services and works."""
    _guard(order, supplier, "ship")
    shipment = Shipment(shipment.carrier.strip(), shipment.waybill_no.strip().upper(), shipment.delivery_note.strip())
    _check_shipment(order, shipment)
    summary = f"供应商发货：{shipment.text()}" if order.is_goods else f"供应商交付：{shipment.delivery_note}"
    return _move(
        store,
        order,
        supplier.as_actor(),
        "order.shipped",
        summary,
        now,
        shown={"shipment": shipment._asdict()},
        status=OrderStatus.SHIPPED,
        status_reason=shipment.text(),
        shipment=shipment,
    )


WAYBILL_PATTERN = re.compile(r"^[A-Z0-9-]{6,30}$")


def _check_shipment(order: Order, shipment: Shipment) -> None:
    problems = []
    if order.is_goods:
        if not 2 <= len(shipment.carrier) <= 30:
            problems.append({"field": "carrier", "message": "请填写承运物流公司（2–30 个字）"})
        if not WAYBILL_PATTERN.match(shipment.waybill_no):
            problems.append({"field": "waybill_no", "message": "运单号为 6–30 位字母、数字或连字符"})
    elif len(shipment.delivery_note) < 4:
        problems.append({"field": "delivery_note", "message": "请填写交付说明（服务或工程的完成情况，至少 4 个字）"})
    if problems:
        raise InvalidInput(
            "发货信息不完整：" + "；".join(p["message"] for p in problems), code="SHIPMENT_INCOMPLETE", details=problems
        )


def accept(store: OrderStore, buyer: Principal, order: Order, acceptance: Acceptance, now: datetime) -> Order:
    """验收: 合格 closes the delivery (the order waits for payment); 不合格 sends it back to the supplier."""
    opinion = acceptance.opinion.strip()
    if len(opinion) < 2:
        raise InvalidInput(
            "请填写验收意见", code="VALIDATION_FAILED", details=[{"field": "opinion", "message": "请填写验收意见"}]
        )
    if len(acceptance.attachments) > MAX_ATTACHMENTS:
        raise InvalidInput(f"验收附件最多 {MAX_ATTACHMENTS} 个", code="TOO_MANY_ATTACHMENTS")
    done = acceptance._replace(opinion=opinion, at=to_iso(now))
    files = "、".join(a.file_name for a in done.attachments)
    shown = {"acceptance": {"result": done.result_label, "opinion": opinion, "attachments": files}}
    if done.passed:
        _guard(order, buyer, "accept")
        summary = f"采购人验收合格：{opinion}"
        return _move(
            store,
            order,
            buyer.as_actor(),
            "order.accepted",
            summary,
            now,
            shown=shown,
            status=OrderStatus.ACCEPTED,
            acceptance_note=opinion,
            acceptances=(*order.acceptances, done),
        )
    _guard(order, buyer, "reject_delivery")
    return _move(
        store,
        order,
        buyer.as_actor(),
        "order.delivery_rejected",
        f"采购人验收不合格，退回供应商重新交付：{opinion}",
        now,
        shown=shown,
        status=OrderStatus.CONFIRMED,
        status_reason=opinion,
        acceptances=(*order.acceptances, done),
    )


MAX_ATTACHMENTS = 10


def request_termination(store: OrderStore, buyer: Principal, order: Order, reason: str, now: datetime) -> Order:
    _guard(order, buyer, "request_termination")
    why = required_reason(reason, "申请终止")
    return _move(
        store,
        order,
        buyer.as_actor(),
        "order.termination_requested",
        f"采购人申请终止订单：{why}",
        now,
        termination=Termination(TerminationStatus.REQUESTED, why, to_iso(now)),
    )


def decide_termination(
    store: OrderStore, operator: Principal, order: Order, approve: bool, decision: str, now: datetime
) -> Order:
    _guard(order, operator, "decide_termination")
    reason = decision.strip()
    if approve:
        termination = order.termination._replace(
            status=TerminationStatus.APPROVED, decision=reason, decided_at=to_iso(now)
        )
        return _move(
            store,
            order,
            operator.as_actor(),
            "order.terminated",
            f"采购中心同意终止订单（释放预算 {format_yuan(order.total_fen)} 元）",
            now,
            # Goods already shipped are not back on the shelf: only unshipped stock is restored.
            release=_release(order, restock=order.status is OrderStatus.CONFIRMED),
            status=OrderStatus.TERMINATED,
            status_reason=order.termination.reason,
            termination=termination,
        )
    why = required_reason(reason, "驳回终止申请")
    termination = order.termination._replace(status=TerminationStatus.REJECTED, decision=why, decided_at=to_iso(now))
    return _move(
        store,
        order,
        operator.as_actor(),
        "order.termination_rejected",
        f"采购中心驳回终止申请：{why}",
        now,
        termination=termination,
    )


def settle(
    store: OrderStore, order: Order, paid_fen: int, voucher: str, now: datetime, nonce: tuple[str, int] | None = None
) -> Order:
    """The payment system reports the order paid (国库集中支付)."""
    if order.status is OrderStatus.SETTLED and order.payment_voucher == voucher:
        return order  # the same report again
    _guard(order, None, "settle")
    if paid_fen != order.total_fen:
        raise RuleViolation(
            f"支付金额 {format_yuan(paid_fen)} 元与订单金额 {format_yuan(order.total_fen)} 元不一致",
            code="PAYMENT_AMOUNT_MISMATCH",
        )
    return _move(
        store,
        order,
        SYSTEM_ACTOR,
        "order.settled",
        f"支付完成，凭证号 {voucher}，金额 {format_yuan(paid_fen)} 元",
        now,
        nonce=nonce,
        shown={"voucher": voucher},
        status=OrderStatus.SETTLED,
        payment_voucher=voucher,
    )


def available_actions(order: Order, principal: Principal, rated: frozenset[str] | None = None) -> list[str]:
    """What this caller may do with the order now (the UI shows these buttons; the API checks again).

    The moves come from ORDER_MOVES, the same table the transitions are guarded by. `rated` is the rating
    targets already given, when known (the order's detail reads them; a list does not, and offers `rate`
    until the caller looks).
    """
    if order.is_imported:
        return []  # the old mall's record, kept for the statistics and the buyer's history: nothing to do
    party = party_of(order, principal)
    actions = allowed(ORDER_MOVES, order, order.status, party)
    if order.status in (OrderStatus.ACCEPTED, OrderStatus.SETTLED) and party in (Party.BUYER, Party.SUPPLIER):
        mine = {"supplier", "mall"} if party is Party.BUYER else {"buyer"}
        if rated is None or mine - rated:
            actions.append("rate")
    return actions


# ---------------------------------------------------------------- (de)serialisation


def order_to_dict(order: Order) -> dict[str, Any]:
    return {
        "order_no": order.order_no,
        "site_id": order.site_id,
        "plan_no": order.plan_no,
        "level2_code": order.level2_code,
        "year": order.year,
        "buyer": {
            "uscc": order.buyer_uscc,
            "name": order.buyer_name,
            "district": order.buyer_district,
            "user": order.buyer_user,
        },
        "supplier": {"uscc": order.supplier_uscc, "name": order.supplier_name},
        "lines": [{**line._asdict(), "amount_fen": line.amount_fen} for line in order.lines],
        "total_fen": order.total_fen,
        "delivery": order.delivery._asdict(),
        "note": order.note,
        "status": order.status.value,
        "status_reason": order.status_reason,
        "termination": {**order.termination._asdict(), "status": order.termination.status.value},
        "acceptance_note": order.acceptance_note,
        "payment_voucher": order.payment_voucher,
        "created_at": order.created_at,
        "updated_at": order.updated_at,
        "version": order.version,
        "milestones": dict(order.milestones),
        "method": order.method.value,
        "mechanism": order.mechanism.value,
        "source": {"kind": order.source.kind.value, "refs": list(order.source.refs)},
        "budget_fen": order.budget_fen,
        "counted_quantity": order.counted_quantity,
        **({"imported": order.imported._asdict()} if order.imported else {}),
        "shipment": order.shipment._asdict(),
        "acceptances": [
            {**a._asdict(), "attachments": [x._asdict() for x in a.attachments]} for a in order.acceptances
        ],
    }


def _source(raw: dict[str, Any]) -> OrderSource:
    source = raw.get("source")
    if not source:
        return OrderSource(SourceKind.LISTING, tuple(str(line["listing_id"]) for line in raw["lines"]))
    return OrderSource(SourceKind(source["kind"]), tuple(source.get("refs", ())))


def order_from_dict(raw: dict[str, Any]) -> Order:
    termination = raw.get("termination") or {}
    return Order(
        order_no=raw["order_no"],
        site_id=raw["site_id"],
        plan_no=raw["plan_no"],
        level2_code=raw["level2_code"],
        year=int(raw["year"]),
        buyer_uscc=raw["buyer"]["uscc"],
        buyer_name=raw["buyer"]["name"],
        buyer_district=raw["buyer"].get("district", ""),
        buyer_user=raw["buyer"].get("user", ""),
        supplier_uscc=raw["supplier"]["uscc"],
        supplier_name=raw["supplier"]["name"],
        lines=tuple(OrderLine(**{k: v for k, v in line.items() if k != "amount_fen"}) for line in raw["lines"]),
        delivery=Delivery(**raw["delivery"]),
        note=raw.get("note", ""),
        status=OrderStatus(raw["status"]),
        status_reason=raw.get("status_reason", ""),
        termination=Termination(
            TerminationStatus(termination.get("status", "none")),
            termination.get("reason", ""),
            termination.get("requested_at", ""),
            termination.get("decision", ""),
            termination.get("decided_at", ""),
        ),
        acceptance_note=raw.get("acceptance_note", ""),
        payment_voucher=raw.get("payment_voucher", ""),
        created_at=raw["created_at"],
        updated_at=raw["updated_at"],
        version=int(raw["version"]),
        # Orders stored before methods were recorded were all bought from listings: 超市采购 / 直购.
        method=BuyingMode(raw.get("method", BuyingMode.SUPERMARKET.value)),
        mechanism=Mechanism(raw.get("mechanism", Mechanism.DIRECT.value)),
        source=_source(raw),
        milestones=dict(raw.get("milestones") or {}),
        budget_fen=int(raw.get("budget_fen", 0)),
        counted_quantity=int(raw.get("counted_quantity", 0)),
        imported=ImportedFacts(**raw["imported"]) if raw.get("imported") else None,
        shipment=Shipment(**raw.get("shipment") or {}),
        acceptances=tuple(
            Acceptance(
                bool(a["passed"]),
                str(a["opinion"]),
                tuple(Attachment(**x) for x in a.get("attachments", ())),
                str(a.get("at", "")),
            )
            for a in raw.get("acceptances") or ()
        ),
    )
