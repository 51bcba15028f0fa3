"""Listings (商品): a supplier's product in one city site's leaf mall category.

待审核 → 已上架 / 驳回 by the site operator; the supplier may take an active
listing down (下架) and resubmit; the operator may delist it with a reason.
A price may never exceed the reference market price the supplier cites, an
energy-saving or environmental certificate must be valid, and the same
supplier may not list the same brand and model twice in one category.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Callable
from datetime import date, datetime
from enum import StrEnum
from typing import Any, NamedTuple, Protocol

from chalicelib.domain.audit import AuditEvent, new_event
from chalicelib.domain.clock import china_date, to_iso
from chalicelib.domain.errors import Conflict, InvalidInput, NotFound, RuleViolation
from chalicelib.domain.lifecycle import Move, Party, Subject, allowed, check, move
from chalicelib.domain.money import format_yuan
from chalicelib.domain.principals import Principal, Role
from chalicelib.domain.sites import MallCategory, SiteConfig
from chalicelib.domain.suppliers import Supplier, require_active

ENTITY_LISTING = "listing"
LISTING_ID_PATTERN = re.compile(r"^[0-9a-f]{32}$")
MAX_SPECS = 30
MAX_IMAGES = 8


class ListingStatus(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    DELISTED = "delisted"

    @property
    def label(self) -> str:
        return {
            ListingStatus.PENDING: "待审核",
            ListingStatus.ACTIVE: "已上架",
            ListingStatus.REJECTED: "驳回",
            ListingStatus.WITHDRAWN: "已下架",
            ListingStatus.DELISTED: "已下架（采购中心）",
        }[self]


class CertificateKind(StrEnum):
    ENERGY_SAVING = "energy_saving"
    ENVIRONMENTAL = "environmental"

    @property
    def label(self) -> str:
        return {CertificateKind.ENERGY_SAVING: "节能", CertificateKind.ENVIRONMENTAL: "环保"}[self]


class Spec(NamedTuple):
    name: str
    value: str


class Certificate(NamedTuple):
    kind: CertificateKind
    number: str
    expires_on: str  # YYYY-MM-DD


class ListingDraft(NamedTuple):
    """What the supplier submits."""

    category_id: str
    name: str
    brand: str
    model: str
    specs: tuple[Spec, ...]
    price_fen: int
    reference_price_fen: int
    reference_source: str
    stock: int
    delivery_districts: tuple[str, ...]
    images: tuple[str, ...]
    certificates: tuple[Certificate, ...]
    unit: str = "件"  # 计量单位
    lead_days: int = 3  # 交货期：下单后几日内送达
    warranty: str = ""  # 质保期，如"整机 3 年"
    after_sales: str = ""  # 售后服务条款
    description: str = ""  # 商品介绍


# 计量单位 a listing is sold by (the form offers these; the plan and the order count in them).
UNITS = (
    "件", "个", "支", "盒", "包", "箱", "台", "套", "把", "张", "本", "卷", "瓶", "桶", "袋", "组", "副", "只",
    "块", "条", "双", "令", "米", "千克", "升", "次", "项", "人·次", "平方米", "月", "年",
)  # fmt: skip
MAX_LEAD_DAYS = 90


class SupplierRef(NamedTuple):
    """The supplier as a listing carries it (kept fresh by the catalog projection)."""

    uscc: str
    name: str
    scale: str


class Listing(NamedTuple):
    id: str
    site_id: str
    supplier: SupplierRef
    draft: ListingDraft
    category_name: str
    catalog_code: str
    status: ListingStatus
    status_reason: str
    sales: int
    created_at: str
    updated_at: str
    version: int
    # 特色场馆 the site's operator has put the listing in (domain.pavilions): curation, not the supplier's content.
    pavilions: tuple[str, ...] = ()

    @property
    def unique_key(self) -> str:
        """Same supplier, category, brand and model: one listing only."""
        return "#".join(
            [self.supplier.uscc, self.draft.category_id, normalize(self.draft.brand), normalize(self.draft.model)]
        )


class ListingStore(Protocol):
    def get(self, site_id: str, listing_id: str) -> Listing | None: ...

    def create(self, listing: Listing, audit: AuditEvent) -> None:
        """Raise Conflict(DUPLICATE_LISTING) when the unique key is taken."""

    def save(self, listing: Listing, previous: Listing, audit: AuditEvent) -> None:
        """Conditional on previous.version; moves the unique key when it changed."""


def normalize(text: str) -> str:
    """Full-width to half-width, lower case, single spaces: 'ＡＢＣ　Ｘ' -> 'abc x'."""
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


# ---------------------------------------------------------------- validation


def _leaf_category(site: SiteConfig, category_id: str) -> MallCategory:
    leaves = {c.id: c for c in site.leaf_categories()}
    if category_id not in leaves:
        known = {c.id for c in site.categories}
        why = "不是末级品目，请选择具体品目" if category_id in known else f"不是{site.short_name}站点的商城品目"
        raise InvalidInput(
            f"品目 {category_id} {why}",
            code="UNKNOWN_CATEGORY",
            details=[{"field": "category_id", "message": why}],
        )
    return leaves[category_id]


def draft_problems(site: SiteConfig, draft: ListingDraft, today: date) -> list[dict[str, str]]:
    """Field problems that make a draft unacceptable (400); price and certificates are checked after."""
    found: list[dict[str, str]] = []
    district_codes = {d.code for d in site.districts}
    outside = [d for d in draft.delivery_districts if d not in district_codes]
    if outside:
        found.append(
            {"field": "delivery_districts", "message": f"区划 {'、'.join(outside)} 不属于{site.short_name}站点"}
        )
    if len(set(draft.delivery_districts)) != len(draft.delivery_districts):
        found.append({"field": "delivery_districts", "message": "配送区划重复"})
    names = [normalize(s.name) for s in draft.specs]
    if len(set(names)) != len(names):
        found.append({"field": "specs", "message": "规格参数名称重复"})
    if any(not image.startswith(f"listing-images/{site.id}/") for image in draft.images):
        found.append({"field": "images", "message": "图片须先通过上传接口上传"})
    if draft.unit not in UNITS:
        found.append({"field": "unit", "message": f"计量单位须为{'、'.join(UNITS[:8])}等常用单位"})
    if not 1 <= draft.lead_days <= MAX_LEAD_DAYS:
        found.append({"field": "lead_days", "message": f"交货期须为 1 至 {MAX_LEAD_DAYS} 天"})
    found.extend(_missing_specs(site, draft))
    return found


def _missing_specs(site: SiteConfig, draft: ListingDraft) -> list[dict[str, str]]:
    from chalicelib.domain.spec_templates import required_specs

    category = next((c for c in site.categories if c.id == draft.category_id), None)
    if category is None:
        return []
    stated = {normalize(s.name) for s in draft.specs if s.value.strip()}
    missing = [p.name for p in required_specs(category.catalog_code) if normalize(p.name) not in stated]
    if not missing:
        return []
    return [{"field": "specs", "message": f"{category.name}须填写规格参数：{'、'.join(missing)}"}]


# 框采 items: (brand, model, catalog code) → the agreement's name and the cap its supplier won, or None.
PriceCaps = Callable[[str, str, str], tuple[str, int] | None]


def check_draft(site: SiteConfig, draft: ListingDraft, today: date, caps: PriceCaps | None = None) -> MallCategory:
    category = _leaf_category(site, draft.category_id)
    problems = draft_problems(site, draft, today)
    if problems:
        raise InvalidInput(
            "商品信息有误：" + "；".join(p["message"] for p in problems), code="VALIDATION_FAILED", details=problems
        )
    check_price(draft.price_fen, draft.reference_price_fen)
    check_cap(draft.price_fen, draft.brand, draft.model, category.catalog_code, caps)
    for cert in draft.certificates:
        if date.fromisoformat(cert.expires_on) < today:
            raise RuleViolation(
                f"{cert.kind.label}认证证书 {cert.number} 已于 {cert.expires_on} 过期，请更新证书后再提交",
                code="CERTIFICATE_EXPIRED",
                details={"number": cert.number, "expires_on": cert.expires_on},
            )
    return category


def check_price(price_fen: int, reference_price_fen: int) -> None:
    if price_fen > reference_price_fen:
        raise RuleViolation(
            f"报价 {format_yuan(price_fen)} 元高于参考市场价 {format_yuan(reference_price_fen)} 元，"
            "商城价格不得高于市场价",
            code="PRICE_ABOVE_REFERENCE",
            details={"price_fen": price_fen, "reference_price_fen": reference_price_fen},
        )


def check_cap(price_fen: int, brand: str, model: str, catalog_code: str, caps: PriceCaps | None) -> None:
    """A shortlisted product (框采) may not be listed above the cap its supplier won (入围限价): blocked outright."""
    found = caps(brand, model, catalog_code) if caps is not None else None
    if found is not None and price_fen > found[1]:
        name, cap = found
        raise RuleViolation(
            f"该商品为框架协议“{name}”的入围产品，报价 {format_yuan(price_fen)} 元高于入围限价 {format_yuan(cap)} 元",
            code="PRICE_ABOVE_CAP",
            details={"price_fen": price_fen, "cap_fen": cap, "agreement": name},
        )


# ---------------------------------------------------------------- events


def _event(
    listing: Listing,
    action: str,
    summary: str,
    actor: Principal | dict[str, str],
    at: datetime,
    before: Any,
    after: Any,
) -> AuditEvent:
    return new_event(
        tenant=listing.site_id,
        entity_type=ENTITY_LISTING,
        entity_id=listing.id,
        action=action,
        summary=summary,
        actor=actor.as_actor() if isinstance(actor, Principal) else actor,
        at=at,
        before=before,
        after=after,
        context={"supplier": listing.supplier.uscc, "category_id": listing.draft.category_id},
    )


def _status_view(listing: Listing) -> dict[str, Any]:
    return {"status": listing.status.value, "reason": listing.status_reason}


_P, _R, _A, _W, _D = (
    ListingStatus.PENDING,
    ListingStatus.REJECTED,
    ListingStatus.ACTIVE,
    ListingStatus.WITHDRAWN,
    ListingStatus.DELISTED,
)
# Every status move of a listing, once: the guards below and the `actions` a listing view offers read it.
LISTING_MOVES: dict[str, Move] = {
    "edit": move([_P, _R, _W, _D], Party.SUPPLIER, _P, "修改（已上架商品请先下架，价格和库存可直接调整）"),
    "withdraw": move([_A, _P], Party.SUPPLIER, _W, "下架"),
    "resubmit": move([_W, _D, _R], Party.SUPPLIER, _P, "重新提交"),
    "review": move([_P], Party.OPERATOR, _A, "审核"),
    "delist": move([_A], Party.OPERATOR, _D, "下架", needs_reason=True),
}
_LISTING = Subject("商品", "LISTING_STATUS_CONFLICT", "NOT_LISTING_OWNER")


def listing_party(listing: Listing, principal: Principal) -> Party | None:
    if principal.role is Role.SUPPLIER and principal.org_id == listing.supplier.uscc:
        return Party.SUPPLIER
    if principal.role in (Role.CENTER_ADMIN, Role.PROVINCE_ADMIN):
        return Party.OPERATOR
    return None


def _guard(listing: Listing, principal: Principal, action: str) -> None:
    check(
        LISTING_MOVES,
        action,
        listing,
        listing.status,
        listing_party(listing, principal),
        listing.status.label,
        _LISTING,
    )


def listing_actions(listing: Listing, principal: Principal) -> list[str]:
    """The status moves this caller may make now (price and stock changes are not moves)."""
    return allowed(LISTING_MOVES, listing, listing.status, listing_party(listing, principal))


def _require_owner(listing: Listing | None, principal: Principal) -> Listing:
    if listing is None or listing.supplier.uscc != principal.org_id:
        raise NotFound("商品不存在", code="LISTING_NOT_FOUND")
    return listing


def _require_reason(reason: str, doing: str) -> None:
    if not reason.strip():
        raise InvalidInput(
            f"{doing}须填写原因", code="REASON_REQUIRED", details=[{"field": "reason", "message": "必填"}]
        )


def _touched(listing: Listing, now: datetime, **changes: Any) -> Listing:
    return listing._replace(**changes, updated_at=to_iso(now), version=listing.version + 1)


def _move(
    store: ListingStore,
    listing: Listing,
    status: ListingStatus,
    reason: str,
    action: str,
    summary: str,
    actor: Principal | dict[str, str],
    now: datetime,
) -> Listing:
    """A status change: the new state and its audit event (status and reason, before and after), saved together."""
    updated = _touched(listing, now, status=status, status_reason=reason)
    audit = _event(listing, action, summary, actor, now, _status_view(listing), _status_view(updated))
    store.save(updated, listing, audit)
    return updated


# ---------------------------------------------------------------- supplier actions


def create(
    store: ListingStore,
    site: SiteConfig,
    supplier: Supplier,
    actor: Principal,
    draft: ListingDraft,
    now: datetime,
    caps: PriceCaps | None = None,
) -> Listing:
    require_active(supplier, site.id)
    category = check_draft(site, draft, china_date(now), caps)
    listing = Listing(
        id=uuid.uuid4().hex,
        site_id=site.id,
        supplier=SupplierRef(uscc=supplier.uscc, name=supplier.profile.name, scale=supplier.profile.scale.value),
        draft=draft,
        category_name=category.name,
        catalog_code=category.catalog_code,
        status=ListingStatus.PENDING,
        status_reason="",
        sales=0,
        created_at=to_iso(now),
        updated_at=to_iso(now),
        version=1,
    )
    audit = _event(
        listing, "listing.created", f"发布商品 {draft.name}（待审核）", actor, now, None, listing_to_dict(listing)
    )
    store.create(listing, audit)
    return listing


def edit(
    store: ListingStore,
    site: SiteConfig,
    supplier: Supplier,
    actor: Principal,
    listing_id: str,
    draft: ListingDraft,
    now: datetime,
    caps: PriceCaps | None = None,
) -> Listing:
    require_active(supplier, site.id)
    listing = _require_owner(store.get(site.id, listing_id), actor)
    _guard(listing, actor, "edit")
    category = check_draft(site, draft, china_date(now), caps)
    updated = _touched(
        listing,
        now,
        draft=draft,
        category_name=category.name,
        catalog_code=category.catalog_code,
        status=ListingStatus.PENDING,
        status_reason="",
    )
    audit = _event(
        listing,
        "listing.edited",
        f"修改商品 {draft.name} 并提交审核",
        actor,
        now,
        listing_to_dict(listing),
        listing_to_dict(updated),
    )
    store.save(updated, listing, audit)
    return updated


def change_price(
    store: ListingStore,
    supplier: Supplier,
    actor: Principal,
    site_id: str,
    listing_id: str,
    price_fen: int,
    reference_price_fen: int,
    reference_source: str,
    expected_version: int | None,
    now: datetime,
    caps: PriceCaps | None = None,
) -> Listing:
    require_active(supplier, site_id)
    listing = _require_owner(store.get(site_id, listing_id), actor)
    if expected_version is not None and expected_version != listing.version:
        raise Conflict(
            "商品已被修改，请刷新后重试", code="VERSION_CONFLICT", details={"current_version": listing.version}
        )
    check_price(price_fen, reference_price_fen)
    check_cap(price_fen, listing.draft.brand, listing.draft.model, listing.catalog_code, caps)
    draft = listing.draft._replace(
        price_fen=price_fen, reference_price_fen=reference_price_fen, reference_source=reference_source
    )
    updated = _touched(listing, now, draft=draft)
    before = {
        "price_fen": listing.draft.price_fen,
        "reference_price_fen": listing.draft.reference_price_fen,
        "reference_source": listing.draft.reference_source,
    }
    after = {"price_fen": price_fen, "reference_price_fen": reference_price_fen, "reference_source": reference_source}
    summary = f"调价：{format_yuan(listing.draft.price_fen)} 元 → {format_yuan(price_fen)} 元"
    store.save(updated, listing, _event(listing, "listing.price_changed", summary, actor, now, before, after))
    return updated


def set_pavilions(
    store: ListingStore,
    actor: Principal,
    listing: Listing,
    codes: tuple[str, ...],
    names: dict[str, str],
    now: datetime,
) -> Listing:
    """The site's operator puts a listing in (or takes it out of) its 特色场馆; no review: it is the centre's own."""
    unknown = [code for code in codes if code not in names]
    if unknown:
        raise InvalidInput(
            f"特色场馆 {'、'.join(unknown)} 不存在",
            code="PAVILION_NOT_FOUND",
            details=[{"field": "codes", "message": "场馆不存在"}],
        )
    chosen = tuple(dict.fromkeys(codes))
    if chosen == listing.pavilions:
        return listing
    updated = _touched(listing, now, pavilions=chosen)
    shown = "、".join(names[c] for c in chosen) or "无"
    audit = _event(
        listing,
        "listing.pavilions_changed",
        f"调整商品 {listing.draft.name} 所在特色场馆：{shown}",
        actor,
        now,
        {"pavilions": list(listing.pavilions)},
        {"pavilions": list(chosen)},
    )
    store.save(updated, listing, audit)
    return updated


def change_stock(
    store: ListingStore, supplier: Supplier, actor: Principal, site_id: str, listing_id: str, stock: int, now: datetime
) -> Listing:
    require_active(supplier, site_id)
    listing = _require_owner(store.get(site_id, listing_id), actor)
    updated = _touched(listing, now, draft=listing.draft._replace(stock=stock))
    audit = _event(
        listing,
        "listing.stock_changed",
        f"库存：{listing.draft.stock} → {stock}",
        actor,
        now,
        {"stock": listing.draft.stock},
        {"stock": stock},
    )
    store.save(updated, listing, audit)
    return updated


def withdraw(
    store: ListingStore, supplier: Supplier, actor: Principal, site_id: str, listing_id: str, now: datetime
) -> Listing:
    listing = _require_owner(store.get(site_id, listing_id), actor)
    _guard(listing, actor, "withdraw")
    summary = f"供应商下架商品 {listing.draft.name}"
    return _move(store, listing, ListingStatus.WITHDRAWN, "", "listing.withdrawn", summary, actor, now)


def resubmit(
    store: ListingStore,
    site: SiteConfig,
    supplier: Supplier,
    actor: Principal,
    listing_id: str,
    now: datetime,
    caps: PriceCaps | None = None,
) -> Listing:
    require_active(supplier, site.id)
    listing = _require_owner(store.get(site.id, listing_id), actor)
    _guard(listing, actor, "resubmit")
    check_draft(site, listing.draft, china_date(now), caps)  # certificates may have expired, a cap been lowered
    summary = f"重新提交商品 {listing.draft.name}"
    return _move(store, listing, ListingStatus.PENDING, "", "listing.resubmitted", summary, actor, now)


# ---------------------------------------------------------------- operator actions


def review(
    store: ListingStore,
    reviewer: Principal,
    site: SiteConfig,
    supplier: Supplier | None,
    listing_id: str,
    approve: bool,
    reason: str,
    now: datetime,
) -> Listing:
    listing = store.get(site.id, listing_id)
    if listing is None:
        raise NotFound("商品不存在", code="LISTING_NOT_FOUND")
    _guard(listing, reviewer, "review")
    if approve:
        if supplier is None or not supplier.can_trade_in(site.id):
            raise Conflict("该商品的供应商当前不可交易，不能审核通过", code="SUPPLIER_NOT_ACTIVE")
        check_draft(site, listing.draft, china_date(now))
        summary = f"审核通过商品 {listing.draft.name}，已上架"
        return _move(store, listing, ListingStatus.ACTIVE, reason, "listing.approved", summary, reviewer, now)
    _require_reason(reason, "驳回")
    summary = f"驳回商品 {listing.draft.name}：{reason}"
    return _move(store, listing, ListingStatus.REJECTED, reason, "listing.rejected", summary, reviewer, now)


def delist(
    store: ListingStore, operator: Principal, site_id: str, listing_id: str, reason: str, now: datetime
) -> Listing:
    listing = store.get(site_id, listing_id)
    if listing is None:
        raise NotFound("商品不存在", code="LISTING_NOT_FOUND")
    _guard(listing, operator, "delist")
    _require_reason(reason, "下架")
    summary = f"采购中心下架商品 {listing.draft.name}：{reason}"
    return _move(store, listing, ListingStatus.DELISTED, reason, "listing.delisted", summary, operator, now)


def delist_for_inspection(
    store: ListingStore, listing: Listing, reason: str, actor: Principal | dict[str, str], now: datetime
) -> Listing | None:
    """An inspection's finding ends in delisting (by the inspector, or by the timer when the correction is late);
    None when the listing is no longer on sale (the supplier withdrew it, or it was delisted already)."""
    if listing.status is not ListingStatus.ACTIVE:
        return None
    summary = f"巡检下架商品 {listing.draft.name}：{reason}"
    return _move(store, listing, ListingStatus.DELISTED, reason, "listing.delisted", summary, actor, now)


def block_above_cap(
    store: ListingStore, listing: Listing, agreement: str, cap_fen: int, actor: dict[str, str], now: datetime
) -> Listing | None:
    """A 框采 listing left above a cap the province lowered is taken off sale at once (the supplier may reprice and
    resubmit); None when it was not on sale or is within the cap."""
    if listing.status is not ListingStatus.ACTIVE or listing.draft.price_fen <= cap_fen:
        return None
    reason = (
        f"价格 {format_yuan(listing.draft.price_fen)} 元高于框架协议“{agreement}”的入围限价 {format_yuan(cap_fen)} 元，"
        "系统自动下架；调价后可重新提交"
    )
    summary = f"商品 {listing.draft.name} 高于入围限价，自动下架"
    return _move(store, listing, ListingStatus.DELISTED, reason, "listing.blocked_above_cap", summary, actor, now)


# ---------------------------------------------------------------- (de)serialisation


def draft_to_dict(draft: ListingDraft) -> dict[str, Any]:
    return {
        "category_id": draft.category_id,
        "name": draft.name,
        "brand": draft.brand,
        "model": draft.model,
        "specs": [s._asdict() for s in draft.specs],
        "price_fen": draft.price_fen,
        "reference_price_fen": draft.reference_price_fen,
        "reference_source": draft.reference_source,
        "stock": draft.stock,
        "delivery_districts": list(draft.delivery_districts),
        "images": list(draft.images),
        "certificates": [
            {"kind": c.kind.value, "number": c.number, "expires_on": c.expires_on} for c in draft.certificates
        ],
        "unit": draft.unit,
        "lead_days": draft.lead_days,
        "warranty": draft.warranty,
        "after_sales": draft.after_sales,
        "description": draft.description,
    }


def draft_from_dict(raw: dict[str, Any]) -> ListingDraft:
    return ListingDraft(
        category_id=raw["category_id"],
        name=raw["name"],
        brand=raw["brand"],
        model=raw["model"],
        specs=tuple(Spec(s["name"], s["value"]) for s in raw.get("specs", [])),
        price_fen=int(raw["price_fen"]),
        reference_price_fen=int(raw["reference_price_fen"]),
        reference_source=raw.get("reference_source", ""),
        stock=int(raw["stock"]),
        delivery_districts=tuple(raw.get("delivery_districts", [])),
        images=tuple(raw.get("images", [])),
        certificates=tuple(
            Certificate(CertificateKind(c["kind"]), c["number"], c["expires_on"]) for c in raw.get("certificates", [])
        ),
        unit=raw.get("unit", "件"),
        lead_days=int(raw.get("lead_days", 3)),
        warranty=raw.get("warranty", ""),
        after_sales=raw.get("after_sales", ""),
        description=raw.get("description", ""),
    )


def listing_to_dict(listing: Listing) -> dict[str, Any]:
    return {
        "id": listing.id,
        "site_id": listing.site_id,
        **draft_to_dict(listing.draft),
        "category_name": listing.category_name,
        "catalog_code": listing.catalog_code,
        "supplier": listing.supplier._asdict(),
        "status": listing.status.value,
        "status_reason": listing.status_reason,
        "sales": listing.sales,
        "created_at": listing.created_at,
        "updated_at": listing.updated_at,
        "version": listing.version,
        "pavilions": list(listing.pavilions),
    }


def listing_from_dict(raw: dict[str, Any]) -> Listing:
    return Listing(
        id=raw["id"],
        site_id=raw["site_id"],
        supplier=SupplierRef(**raw["supplier"]),
        draft=draft_from_dict(raw),
        category_name=raw["category_name"],
        catalog_code=raw["catalog_code"],
        status=ListingStatus(raw["status"]),
        status_reason=raw.get("status_reason", ""),
        sales=int(raw.get("sales", 0)),
        created_at=raw["created_at"],
        updated_at=raw["updated_at"],
        version=int(raw["version"]),
        pavilions=tuple(raw.get("pavilions", ())),
    )
