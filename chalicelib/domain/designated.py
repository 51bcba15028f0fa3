"""定点采购 (designated-point purchase): services bought from suppliers a site has designated, at negotiated rates.

Seed 002 lists 定点采购 beside 超市 and 批量: a city's centre designates suppliers for services bought again and again
(vehicle fuelling and repair, insurance, printing, conferences), each with its negotiated rates (协议价), the
districts it serves and a validity. A buyer orders from a designation against an accepted plan: the service at its
rate, in the buyer's district, while the designation is in force; the order goes through the one commit every
order uses (采购方式 定点采购, 价格形成方式 直购 at the agreed rate, source = the designation).
"""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any, NamedTuple, Protocol

from chalicelib.domain.audit import AuditEvent, new_event
from chalicelib.domain.catalog import NationalCatalog
from chalicelib.domain.clock import china_date, to_iso
from chalicelib.domain.errors import Conflict, InvalidInput, NotFound, RuleViolation, field_problem
from chalicelib.domain.orders import (
    Delivery,
    NewOrder,
    Order,
    OrderLine,
    OrderStore,
    Priced,
    check_expected_date,
    check_plan,
    commit,
    plan_problem,
)
from chalicelib.domain.principals import Principal
from chalicelib.domain.purchase import BuyingMode, Mechanism, OrderSource, SourceKind
from chalicelib.domain.sites import PurchaseMethod, SiteConfig, require_method

ENTITY_DESIGNATION = "designation"
DESIGNATION_ID_PATTERN = re.compile(r"^DD\d{18}$")
ITEM_CODE_PATTERN = re.compile(r"^[A-Za-z0-9-]{1,20}$")
MAX_TERM_DAYS = 3 * 366


class DesignationStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    TERMINATED = "terminated"

    @property
    def label(self) -> str:
        return {"active": "有效", "suspended": "已暂停", "terminated": "已终止"}[self.value]


class RateItem(NamedTuple):
    """A negotiated rate: one service at one price per unit (e.g. 小型客车常规保养 380 元/次)."""

    code: str
    name: str
    unit: str
    price_fen: int
    note: str = ""


class Designation(NamedTuple):
    id: str
    site_id: str
    service: str  # what is designated, in words: 公务车辆维修保养
    catalog_code: str
    supplier_uscc: str
    supplier_name: str
    districts: tuple[str, ...]  # the site's districts it serves
    valid_from: str
    valid_to: str
    items: tuple[RateItem, ...]
    status: DesignationStatus
    status_reason: str
    version: int
    created_at: str
    updated_at: str
    created_by: str


class NewDesignation(NamedTuple):
    service: str
    catalog_code: str
    supplier_uscc: str
    districts: tuple[str, ...]
    valid_from: str
    valid_to: str
    items: tuple[RateItem, ...]


class DesignationStore(Protocol):
    def get(self, site_id: str, designation_id: str) -> Designation | None: ...

    def for_site(self, site_id: str) -> list[Designation]: ...

    def create(self, d: Designation, audit: AuditEvent) -> None: ...

    def save(self, d: Designation, expected_version: int, audit: AuditEvent) -> None: ...


def _event(
    d: Designation, action: str, summary: str, actor: dict[str, str], now: datetime, before: Any = None
) -> AuditEvent:
    return new_event(
        tenant=d.site_id,
        entity_type=ENTITY_DESIGNATION,
        entity_id=d.id,
        action=action,
        summary=summary,
        actor=actor,
        at=now,
        before=before,
        after=to_dict(d),
    )


def _check(site: SiteConfig, new: NewDesignation, catalog: NationalCatalog) -> list[dict[str, str]]:
    found: list[dict[str, str]] = []
    entry = catalog.get(new.catalog_code)
    if entry is None:
        found.append(field_problem("catalog_code", f"品目编码 {new.catalog_code} 不在 2022 年品目分类目录中"))
    elif not new.catalog_code.startswith("C"):
        found.append(field_problem("catalog_code", "定点采购用于服务类品目（C 开头）"))
    unknown = [code for code in new.districts if site.district(code) is None]
    if not new.districts or unknown:
        found.append(
            field_problem(
                "districts", "服务区划须为本站点的区划" + (f"：{'、'.join(unknown)} 不属于本站点" if unknown else "")
            )
        )
    try:
        start, end = date.fromisoformat(new.valid_from), date.fromisoformat(new.valid_to)
        if end < start:
            found.append(field_problem("valid_to", "截止日期不能早于起始日期"))
        elif (end - start).days > MAX_TERM_DAYS:
            found.append(field_problem("valid_to", "定点期限不能超过 3 年"))
    except ValueError:
        found.append(field_problem("valid_from", "日期格式须为 YYYY-MM-DD"))
    codes = [i.code for i in new.items]
    if not new.items or len(set(codes)) != len(codes) or not all(ITEM_CODE_PATTERN.match(c) for c in codes):
        found.append(field_problem("items", "至少一项协议价，项目编号不能重复"))
    found += [
        field_problem(f"items.{n}.price_fen", "协议价须大于 0") for n, i in enumerate(new.items) if i.price_fen <= 0
    ]
    return found


def designate(
    store: DesignationStore,
    site: SiteConfig,
    operator: Principal,
    new: NewDesignation,
    supplier_name: str | None,
    catalog: NationalCatalog,
    now: datetime,
) -> Designation:
    """The centre designates a registered supplier for a service, at its negotiated rates."""
    found = _check(site, new, catalog)
    if supplier_name is None:
        found.append(field_problem("supplier_uscc", "该供应商未在商城注册或当前不可交易"))
    if found:
        unknown = any("品目分类目录" in p["message"] for p in found)
        raise InvalidInput(
            "定点信息有误：" + "；".join(p["message"] for p in found[:3]),
            code="CATEGORY_UNKNOWN" if unknown else "DESIGNATION_INVALID",
            details=found,
        )
    d = Designation(
        id=f"DD{china_date(now):%Y%m%d}{uuid.uuid4().int % 10**10:010d}",
        site_id=site.id,
        service=new.service.strip(),
        catalog_code=new.catalog_code,
        supplier_uscc=new.supplier_uscc,
        supplier_name=supplier_name or "",
        districts=new.districts,
        valid_from=new.valid_from,
        valid_to=new.valid_to,
        items=new.items,
        status=DesignationStatus.ACTIVE,
        status_reason="",
        version=1,
        created_at=to_iso(now),
        updated_at=to_iso(now),
        created_by=operator.username,
    )
    summary = f"确定“{d.service}”定点供应商 {d.supplier_name}，协议价 {len(d.items)} 项，{d.valid_from} 至 {d.valid_to}"
    store.create(d, _event(d, "designation.created", summary, operator.as_actor(), now))
    return d


_MOVES = {
    "suspend": ({DesignationStatus.ACTIVE}, DesignationStatus.SUSPENDED, "designation.suspended", "暂停"),
    "resume": ({DesignationStatus.SUSPENDED}, DesignationStatus.ACTIVE, "designation.resumed", "恢复"),
    "terminate": (
        {DesignationStatus.ACTIVE, DesignationStatus.SUSPENDED},
        DesignationStatus.TERMINATED,
        "designation.terminated",
        "终止",
    ),
}


def change_status(
    store: DesignationStore, d: Designation, action: str, reason: str, actor: Principal, now: datetime
) -> Designation:
    froms, to, audit_action, doing = _MOVES[action]
    if d.status not in froms:
        raise Conflict(f"定点当前为“{d.status.label}”，不能{doing}", code="DESIGNATION_STATUS_CONFLICT")
    changed = d._replace(status=to, status_reason=reason.strip(), version=d.version + 1, updated_at=to_iso(now))
    summary = f"{doing}“{d.service}”定点（{d.supplier_name}）：{reason.strip()}"
    store.save(changed, d.version, _event(changed, audit_action, summary, actor.as_actor(), now, to_dict(d)))
    return changed


def state_label(d: Designation, today: date) -> str:
    if d.status is not DesignationStatus.ACTIVE:
        return d.status.label
    day = today.isoformat()
    return "未生效" if day < d.valid_from else "已到期" if day > d.valid_to else "有效"


def order_problem(d: Designation, district: str, today: date) -> tuple[str, str] | None:
    """Why a buyer in this district cannot order from the designation today; None when it can."""
    if d.status is DesignationStatus.SUSPENDED:
        return "DESIGNATION_SUSPENDED", f"该定点已暂停：{d.status_reason}"
    if d.status is DesignationStatus.TERMINATED:
        return "DESIGNATION_TERMINATED", "该定点已终止"
    day = today.isoformat()
    if day < d.valid_from:
        return "DESIGNATION_NOT_STARTED", f"该定点自 {d.valid_from} 起生效"
    if day > d.valid_to:
        return "DESIGNATION_EXPIRED", f"该定点已于 {d.valid_to} 到期"
    if district not in d.districts:
        return "DISTRICT_NOT_SERVED", "该定点供应商不服务您所在的区划"
    return None


class DesignatedOrder(NamedTuple):
    plan_no: str
    lines: tuple[tuple[str, int], ...]  # (rate item code, quantity)
    delivery: Delivery
    note: str


def place_order(
    store: OrderStore,
    site: SiteConfig,
    d: Designation,
    buyer: Principal,
    request: DesignatedOrder,
    now: datetime,
    names: dict[str, str] | None = None,
    request_id: str = "",
) -> Order:
    require_method(site.short_name, site.methods, PurchaseMethod.DESIGNATED, "以定点采购方式下单")
    today = china_date(now)
    found = order_problem(d, buyer.district, today)
    if found is not None:
        raise RuleViolation(found[1], code=found[0])
    check_expected_date(request.delivery.expected_date, today, "服务")
    items = {i.code: i for i in d.items}
    codes = [code for code, _ in request.lines]
    if not request.lines or len(set(codes)) != len(codes):
        raise InvalidInput(
            "订单须有不重复的服务项目", code="VALIDATION_FAILED", details=[field_problem("lines", "服务项目重复或为空")]
        )
    missing = [code for code in codes if code not in items]
    if missing:
        raise NotFound(f"定点协议中没有服务项目 {'、'.join(missing)}", code="RATE_ITEM_NOT_FOUND")
    inputs = store.inputs(site.id, request.plan_no, d.supplier_uscc, [], buyer.org_id, today.year)
    plan = check_plan(inputs.plan, buyer)
    supplier = inputs.supplier
    if supplier is None or not supplier.can_trade_in(site.id):
        raise Conflict(f"定点供应商“{d.supplier_name}”当前不可交易", code="SUPPLIER_NOT_ACTIVE")
    outside = plan_problem(plan, d.catalog_code, d.service, (names or {}).get(d.catalog_code, ""))
    if outside is not None:
        raise RuleViolation(outside[1], code=outside[0])
    lines = tuple(
        OrderLine(
            "",
            items[code].name,
            "",
            f"计价单位：{items[code].unit}",
            "",
            d.catalog_code,
            items[code].price_fen,
            quantity,
            False,
        )
        for code, quantity in request.lines
    )
    priced = Priced(lines, BuyingMode.DESIGNATED, Mechanism.DIRECT, OrderSource(SourceKind.AGREEMENT, (d.id,)))
    new = NewOrder(request.plan_no, d.supplier_uscc, (), request.delivery, request.note)
    return commit(store, site, plan, supplier, buyer, priced, new, inputs.spent_fen, now, request_id)


def to_dict(d: Designation) -> dict[str, Any]:
    shown = d._asdict()
    shown["status"] = d.status.value
    shown["districts"] = list(d.districts)
    shown["items"] = [i._asdict() for i in d.items]
    return shown


def from_dict(raw: dict[str, Any]) -> Designation:
    fields = {k: raw[k] for k in Designation._fields}
    fields.update(
        status=DesignationStatus(raw["status"]),
        districts=tuple(raw["districts"]),
        items=tuple(RateItem(**i) for i in raw["items"]),
    )
    return Designation(**fields)


def view(
    d: Designation, site: SiteConfig, principal: Principal, now: datetime, names: dict[str, str]
) -> dict[str, Any]:
    today = china_date(now)
    shown = to_dict(d)
    problem = order_problem(d, principal.district, today) if principal.district else None
    shown.update(
        status_label=state_label(d, today),
        catalog_name=names.get(d.catalog_code, ""),
        district_names=[(site.district(c).name if site.district(c) else c) for c in d.districts],  # type: ignore[union-attr]
        can_order=problem is None,
        order_problem=problem[1] if problem else "",
    )
    return shown
