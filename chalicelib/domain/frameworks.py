"""Framework agreements (框架协议采购, 财政部令第110号): stage 1 run by the province, stage 2 in each city site.

Stage 1 is the province's: an open solicitation shortlists suppliers (入围供应商) for goods and services bought
repeatedly (液晶显示器, 复印纸, 车辆加油, 机动车保险 in seed 000 §(三)), each with its products and the price cap
(入围限价) it won. The agreement reaches the mall from the provincial platform (a signed push, like a filed plan)
or is entered by the provincial operator, with its documents (the award notice and the agreement text stay on the
platform; the mall keeps their addresses).

Stage 2 is a city buyer's, against an accepted plan, by one of the agreement's rules:

- 直接选定: the buyer picks a shortlisted supplier and product, at or below its cap;
- 二次竞价: a mini-competition among the shortlisted suppliers, price only, run by the bidding engine
  (domain.competitions) with each supplier held to its own cap;
- 顺序轮候: the order goes to the next supplier in the published order. The turn is a counter written in the
  order's own transaction under the value read, so two buyers at once never take the same turn and a refused
  order takes none.

Stage 2 is refused when the agreement is not in force (not yet started, expired, suspended, terminated), has fewer
active shortlisted suppliers than its rules require (default 3), or ends within the site's margin (default 7
days): ProZorro's selection rules (anchors.md B4) on 110号令's three methods.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from datetime import date, datetime
from enum import StrEnum
from typing import Any, NamedTuple, Protocol

from chalicelib.domain.audit import AuditEvent, new_event
from chalicelib.domain.catalog import NationalCatalog
from chalicelib.domain.clock import china_date, to_iso
from chalicelib.domain.errors import Conflict, InvalidInput, NotFound, RuleViolation, field_problem
from chalicelib.domain.listings import Listing, PriceCaps, normalize
from chalicelib.domain.money import format_yuan
from chalicelib.domain.orders import (
    AgreementGuard,
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
    require_mechanism,
)
from chalicelib.domain.principals import PROVINCE_SCOPE, Principal
from chalicelib.domain.purchase import BuyingMode, Mechanism, OrderSource, SourceKind
from chalicelib.domain.sites import SiteConfig
from chalicelib.domain.uscc import uscc_problem

ENTITY_AGREEMENT = "agreement"
# The province's agreement numbers, e.g. SDGP2024-KJXY-001: capitals, digits and hyphens.
AGREEMENT_NO_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{5,39}$")
PRODUCT_CODE_PATTERN = re.compile(r"^[A-Za-z0-9-]{1,20}$")
DOCUMENT_URL_PATTERN = re.compile(r"^https://[A-Za-z0-9.-]+(:\d+)?(/[^\s<>\"']*)?$")
DEFAULT_MIN_SUPPLIERS = 3
MAX_MEMBERS = 60
MAX_PRODUCTS = 30
MAX_TERM_DAYS = 4 * 366  # 110号令: at most two years for goods and services, ProZorro four; the mall allows four


class Stage2(StrEnum):
    DIRECT = "direct_select"
    BIDDING = "secondary_bidding"
    ROTATION = "rotation"

    @property
    def mechanism(self) -> Mechanism:
        return {
            Stage2.DIRECT: Mechanism.FRAMEWORK_DIRECT,
            Stage2.BIDDING: Mechanism.FRAMEWORK_BIDDING,
            Stage2.ROTATION: Mechanism.FRAMEWORK_ROTATION,
        }[self]

    @property
    def label(self) -> str:
        return self.mechanism.label


class AgreementStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    TERMINATED = "terminated"

    @property
    def label(self) -> str:
        return {"active": "有效", "suspended": "已暂停", "terminated": "已终止"}[self.value]


class MemberStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"

    @property
    def label(self) -> str:
        return {"active": "正常", "suspended": "已暂停"}[self.value]


class Product(NamedTuple):
    """A shortlisted product (or service) and the cap it won."""

    code: str  # the agreement's own item number
    name: str
    brand: str
    model: str
    catalog_code: str
    unit: str
    cap_fen: int  # 入围限价 per unit
    spec: str = ""


class Member(NamedTuple):
    """A shortlisted supplier (入围供应商): its place in the rotation and its products."""

    uscc: str
    name: str
    rank: int  # 顺序轮候: the published order, 1 first
    products: tuple[Product, ...]
    status: MemberStatus = MemberStatus.ACTIVE
    status_reason: str = ""


class Document(NamedTuple):
    title: str
    url: str


class Rules(NamedTuple):
    methods: tuple[Stage2, ...]
    min_suppliers: int = DEFAULT_MIN_SUPPLIERS


class Agreement(NamedTuple):
    number: str
    name: str
    agency: str  # who ran stage 1, e.g. 山东省政府采购中心
    catalog_codes: tuple[str, ...]
    sites: tuple[str, ...]  # the city sites it serves; empty: every site
    valid_from: str  # YYYY-MM-DD, China dates, both days included
    valid_to: str
    rules: Rules
    members: tuple[Member, ...]
    documents: tuple[Document, ...]
    status: AgreementStatus
    status_reason: str
    source: str  # "integration" (pushed by the platform) or "manual" (entered by the provincial operator)
    version: int
    created_at: str
    updated_at: str

    def active_members(self) -> list[Member]:
        return sorted((m for m in self.members if m.status is MemberStatus.ACTIVE), key=lambda m: m.rank)

    def member(self, uscc: str) -> Member | None:
        return next((m for m in self.members if m.uscc == uscc), None)

    def serves(self, site_id: str) -> bool:
        return not self.sites or site_id in self.sites


class NewAgreement(NamedTuple):
    """What the platform pushes or the operator enters: the agreement without its state."""

    number: str
    name: str
    agency: str
    catalog_codes: tuple[str, ...]
    sites: tuple[str, ...]
    valid_from: str
    valid_to: str
    rules: Rules
    members: tuple[Member, ...]
    documents: tuple[Document, ...]


class AgreementStore(Protocol):
    def get(self, number: str) -> Agreement | None: ...

    def all(self) -> list[Agreement]: ...

    def create(self, agreement: Agreement, audit: AuditEvent, nonce: tuple[str, int] | None = None) -> None: ...

    def save(
        self, agreement: Agreement, expected_version: int, audit: AuditEvent, nonce: tuple[str, int] | None = None
    ) -> None: ...


# ---------------------------------------------------------------- checking what stage 1 delivers


def under(code: str, group: str) -> bool:
    """Whether a catalog code is the group itself or below it (A02021104 is under A02020000)."""
    stem = group.rstrip("0")
    return code == group or (len(stem) >= 3 and code.startswith(stem))


def _member_problems(
    index: int, member: Member, codes: Sequence[str], catalog: NationalCatalog, registered: Collection[str]
) -> list[dict[str, str]]:
    field = f"members.{index}"
    found: list[dict[str, str]] = []
    wrong = uscc_problem(member.uscc)
    if wrong:
        found.append(field_problem(f"{field}.uscc", f"统一社会信用代码不正确：{wrong}"))
    elif member.uscc not in registered:
        found.append(field_problem(f"{field}.uscc", f"入围供应商“{member.name}”尚未在商城注册，不能参与第二阶段"))
    if not member.products:
        found.append(field_problem(f"{field}.products", "每家入围供应商至少有一个入围产品"))
    seen: set[str] = set()
    for p_index, product in enumerate(member.products):
        p_field = f"{field}.products.{p_index}"
        if not PRODUCT_CODE_PATTERN.match(product.code) or product.code in seen:
            found.append(field_problem(f"{p_field}.code", "产品编号缺失、格式不对或重复"))
        seen.add(product.code)
        if product.catalog_code not in catalog:
            found.append(
                field_problem(f"{p_field}.catalog_code", f"品目编码 {product.catalog_code} 不在 2022 年品目分类目录中")
            )
        elif not any(under(product.catalog_code, code) for code in codes):
            found.append(field_problem(f"{p_field}.catalog_code", f"品目 {product.catalog_code} 不在协议的品目范围内"))
        if product.cap_fen <= 0:
            found.append(field_problem(f"{p_field}.cap_fen", "入围限价须大于 0"))
    return found


def _terms_problems(new: NewAgreement, catalog: NationalCatalog, sites: Collection[str]) -> list[dict[str, str]]:
    found: list[dict[str, str]] = []
    if not AGREEMENT_NO_PATTERN.match(new.number):
        found.append(field_problem("number", "协议编号须为 6 至 40 位大写字母、数字或连字符"))
    if not new.catalog_codes:
        found.append(field_problem("catalog_codes", "至少一个品目"))
    found += [
        field_problem(f"catalog_codes.{i}", f"品目编码 {code} 不在 2022 年品目分类目录中")
        for i, code in enumerate(new.catalog_codes)
        if code not in catalog
    ]
    found += [
        field_problem(f"sites.{i}", f"站点 {site} 不存在") for i, site in enumerate(new.sites) if site not in sites
    ]
    try:
        start, end = date.fromisoformat(new.valid_from), date.fromisoformat(new.valid_to)
    except ValueError:
        return [*found, field_problem("valid_from", "日期格式须为 YYYY-MM-DD")]
    if end < start:
        found.append(field_problem("valid_to", "协议截止日期不能早于起始日期"))
    elif (end - start).days > MAX_TERM_DAYS:
        found.append(field_problem("valid_to", "协议期限不能超过 4 年"))
    if not new.rules.methods:
        found.append(field_problem("rules.methods", "至少一种第二阶段方式"))
    if not 1 <= new.rules.min_suppliers <= 9:
        found.append(field_problem("rules.min_suppliers", "最少入围供应商数须在 1 到 9 之间"))
    found += [
        field_problem(f"documents.{i}.url", "文件地址须为 https 链接")
        for i, doc in enumerate(new.documents)
        if not DOCUMENT_URL_PATTERN.match(doc.url)
    ]
    return found


def _shortlist_problems(
    new: NewAgreement, catalog: NationalCatalog, registered: Collection[str]
) -> list[dict[str, str]]:
    found: list[dict[str, str]] = []
    usccs = [m.uscc for m in new.members]
    ranks = [m.rank for m in new.members]
    if len(set(usccs)) != len(usccs):
        found.append(field_problem("members", "入围供应商重复"))
    if len(set(ranks)) != len(ranks) or any(r < 1 for r in ranks):
        found.append(field_problem("members", "轮候顺序须为不重复的正整数"))
    if len(new.members) < new.rules.min_suppliers:
        found.append(field_problem("members", f"入围供应商不足 {new.rules.min_suppliers} 家"))
    for index, member in enumerate(new.members):
        found.extend(_member_problems(index, member, new.catalog_codes, catalog, registered))
    return found


def check_new(new: NewAgreement, catalog: NationalCatalog, registered: Collection[str], sites: Collection[str]) -> None:
    """Refuse an agreement whose numbers, codes, dates or suppliers are wrong; every problem is listed at once."""
    found = _terms_problems(new, catalog, sites) + _shortlist_problems(new, catalog, registered)
    if found:
        unknown = any("品目分类目录" in p["message"] for p in found)
        raise InvalidInput(
            "框架协议信息有误：" + "；".join(p["message"] for p in found[:3]),
            code="CATEGORY_UNKNOWN" if unknown else "AGREEMENT_INVALID",
            details=found,
        )


def _event(
    a: Agreement, action: str, summary: str, actor: dict[str, str], now: datetime, before: Any, request_id: str
) -> AuditEvent:
    return new_event(
        tenant=PROVINCE_SCOPE,
        entity_type=ENTITY_AGREEMENT,
        entity_id=a.number,
        action=action,
        summary=summary,
        actor=actor,
        at=now,
        before=before,
        after=agreement_to_dict(a),
        request_id=request_id,
    )


def receive(
    store: AgreementStore,
    new: NewAgreement,
    source: str,
    actor: dict[str, str],
    now: datetime,
    *,
    catalog: NationalCatalog,
    registered: Collection[str],
    sites: Collection[str],
    expected_version: int | None = None,
    nonce: tuple[str, int] | None = None,
    request_id: str = "",
) -> tuple[Agreement, bool]:
    """Create the agreement, or replace what stage 1 delivered of it (its state is kept). Returns it and whether
    it is new. The operator's revision names the version it read; a push is the platform's word and replaces."""
    check_new(new, catalog, registered, sites)
    existing = store.get(new.number)
    if existing is None:
        if expected_version:
            raise NotFound(f"框架协议 {new.number} 不存在", code="AGREEMENT_NOT_FOUND")
        agreement = Agreement(
            *new, status=AgreementStatus.ACTIVE, status_reason="", source=source, version=1,
            created_at=to_iso(now), updated_at=to_iso(now),
        )  # fmt: skip
        summary = f"{'接收省平台推送的' if source == 'integration' else '录入'}框架协议“{new.name}”"
        store.create(agreement, _event(agreement, "agreement.created", summary, actor, now, None, request_id), nonce)
        return agreement, True
    if expected_version is not None and expected_version != existing.version:
        raise Conflict("框架协议已被他人修改，请刷新后重试", code="AGREEMENT_CHANGED")
    # A shortlisted supplier the province suspended stays suspended through a re-delivery of stage 1.
    kept = {m.uscc: m for m in existing.members}
    members = tuple(
        m._replace(status=kept[m.uscc].status, status_reason=kept[m.uscc].status_reason) if m.uscc in kept else m
        for m in new.members
    )
    agreement = existing._replace(
        **new._replace(members=members)._asdict(), source=source, version=existing.version + 1, updated_at=to_iso(now)
    )
    summary = f"{'省平台更新' if source == 'integration' else '修改'}框架协议“{new.name}”"
    audit = _event(agreement, "agreement.revised", summary, actor, now, agreement_to_dict(existing), request_id)
    store.save(agreement, existing.version, audit, nonce)
    return agreement, False


_STATUS_MOVES = {
    "suspend": ({AgreementStatus.ACTIVE}, AgreementStatus.SUSPENDED, "agreement.suspended", "暂停"),
    "resume": ({AgreementStatus.SUSPENDED}, AgreementStatus.ACTIVE, "agreement.resumed", "恢复"),
    "terminate": (
        {AgreementStatus.ACTIVE, AgreementStatus.SUSPENDED},
        AgreementStatus.TERMINATED,
        "agreement.terminated",
        "终止",
    ),
}


def change_status(
    store: AgreementStore,
    a: Agreement,
    action: str,
    reason: str,
    actor: Principal,
    now: datetime,
    request_id: str = "",
) -> Agreement:
    froms, to, audit_action, doing = _STATUS_MOVES[action]
    if a.status not in froms:
        raise Conflict(f"框架协议当前为“{a.status.label}”，不能{doing}", code="AGREEMENT_STATUS_CONFLICT")
    changed = a._replace(status=to, status_reason=reason.strip(), version=a.version + 1, updated_at=to_iso(now))
    summary = f"{doing}框架协议“{a.name}”：{reason.strip()}"
    store.save(
        changed,
        a.version,
        _event(changed, audit_action, summary, actor.as_actor(), now, agreement_to_dict(a), request_id),
    )
    return changed


def change_member(
    store: AgreementStore,
    a: Agreement,
    uscc: str,
    status: MemberStatus,
    reason: str,
    actor: Principal,
    now: datetime,
    request_id: str = "",
) -> Agreement:
    member = a.member(uscc)
    if member is None:
        raise NotFound("该供应商不是本协议的入围供应商", code="NOT_SHORTLISTED")
    if member.status is status:
        raise Conflict(f"该入围供应商已是“{status.label}”状态", code="MEMBER_STATUS_CONFLICT")
    members = tuple(m._replace(status=status, status_reason=reason.strip()) if m.uscc == uscc else m for m in a.members)
    changed = a._replace(members=members, version=a.version + 1, updated_at=to_iso(now))
    doing = "暂停" if status is MemberStatus.SUSPENDED else "恢复"
    action = "agreement.member_suspended" if status is MemberStatus.SUSPENDED else "agreement.member_resumed"
    summary = f"{doing}入围供应商“{member.name}”在框架协议“{a.name}”中的资格：{reason.strip()}"
    store.save(
        changed, a.version, _event(changed, action, summary, actor.as_actor(), now, agreement_to_dict(a), request_id)
    )
    return changed


# ---------------------------------------------------------------- may stage 2 run?


def state_label(a: Agreement, today: date) -> str:
    if a.status is not AgreementStatus.ACTIVE:
        return a.status.label
    if today.isoformat() < a.valid_from:
        return "未生效"
    if today.isoformat() > a.valid_to:
        return "已到期"
    return "有效"


def stage2_problem(a: Agreement, site_id: str, method: Stage2, today: date, margin_days: int) -> tuple[str, str] | None:
    """Why stage 2 by this method cannot run in this site today, as (code, message); None when it can."""
    if not a.serves(site_id):
        return "AGREEMENT_NOT_FOR_SITE", f"框架协议“{a.name}”不适用于本站点"
    if a.status is AgreementStatus.SUSPENDED:
        return "AGREEMENT_SUSPENDED", f"框架协议“{a.name}”已暂停：{a.status_reason}"
    if a.status is AgreementStatus.TERMINATED:
        return "AGREEMENT_TERMINATED", f"框架协议“{a.name}”已终止"
    day = today.isoformat()
    if day < a.valid_from:
        return "AGREEMENT_NOT_STARTED", f"框架协议“{a.name}”自 {a.valid_from} 起生效"
    if day > a.valid_to:
        return "AGREEMENT_EXPIRED", f"框架协议“{a.name}”已于 {a.valid_to} 到期"
    left = (date.fromisoformat(a.valid_to) - today).days
    if left < margin_days:
        return (
            "AGREEMENT_ENDING",
            f"框架协议“{a.name}”将于 {a.valid_to} 到期，距到期不足 {margin_days} 天，不再受理第二阶段采购",
        )
    active = len(a.active_members())
    if active < a.rules.min_suppliers:
        return (
            "TOO_FEW_SUPPLIERS",
            f"框架协议“{a.name}”当前正常的入围供应商 {active} 家，少于协议要求的 {a.rules.min_suppliers} 家",
        )
    if method not in a.rules.methods:
        return "STAGE2_METHOD_NOT_ALLOWED", f"框架协议“{a.name}”的第二阶段规则不含{method.label}"
    return None


def require_stage2(a: Agreement, site_id: str, method: Stage2, today: date, margin_days: int) -> None:
    found = stage2_problem(a, site_id, method, today, margin_days)
    if found is not None:
        raise RuleViolation(found[1], code=found[0])


# ---------------------------------------------------------------- choosing the supplier and the price


class Chosen(NamedTuple):
    member: Member
    product: Product
    unit_price_fen: int


def choose_direct(a: Agreement, uscc: str, product_code: str, unit_price_fen: int) -> Chosen:
    """直接选定: a shortlisted, active supplier's product at or below its cap (0: at the cap)."""
    member = a.member(uscc)
    if member is None:
        raise RuleViolation("所选供应商不是本协议的入围供应商", code="NOT_SHORTLISTED")
    if member.status is not MemberStatus.ACTIVE:
        raise RuleViolation(f"入围供应商“{member.name}”已被暂停：{member.status_reason}", code="MEMBER_SUSPENDED")
    product = next((p for p in member.products if p.code == product_code), None)
    if product is None:
        raise NotFound("该供应商没有这个入围产品", code="PRODUCT_NOT_IN_AGREEMENT")
    price = unit_price_fen or product.cap_fen
    if price > product.cap_fen:
        raise RuleViolation(
            f"单价 {format_yuan(price)} 元高于入围限价 {format_yuan(product.cap_fen)} 元",
            code="PRICE_ABOVE_CAP",
            details=[field_problem("unit_price_fen", f"不得高于 {format_yuan(product.cap_fen)} 元")],
        )
    return Chosen(member, product, price)


def rotation_pool(a: Agreement, catalog_code: str) -> list[tuple[Member, Product]]:
    """Who takes turns for a catalog code: the active shortlisted suppliers offering it, in the published order."""
    pool = []
    for member in a.active_members():
        product = next((p for p in member.products if p.catalog_code == catalog_code), None)
        if product is not None:
            pool.append((member, product))
    return pool


class Turn(NamedTuple):
    chosen: Chosen
    seen: int  # the counter as read
    next: int  # the counter this order writes (seen + the places skipped + 1)
    skipped: tuple[str, ...]  # suppliers passed over because they may not trade in the site now


def take_turn(a: Agreement, catalog_code: str, turns_taken: int, trading: Collection[str]) -> Turn:
    """顺序轮候: the supplier whose turn it is; one that may not trade in the site now is passed over (its turn is
    spent, as a supplier declining a turn is), so the rotation never stalls on a sanctioned supplier."""
    pool = rotation_pool(a, catalog_code)
    if not pool:
        raise RuleViolation("本协议没有提供该品目的正常入围供应商", code="NO_ROTATION_SUPPLIER")
    skipped: list[str] = []
    for step in range(len(pool)):
        member, product = pool[(turns_taken + step) % len(pool)]
        if member.uscc in trading:
            return Turn(Chosen(member, product, product.cap_fen), turns_taken, turns_taken + step + 1, tuple(skipped))
        skipped.append(member.name)
    raise RuleViolation("本协议该品目的入围供应商当前均不可交易", code="NO_ROTATION_SUPPLIER")


def next_in_line(a: Agreement, catalog_code: str, turns_taken: int) -> str:
    pool = rotation_pool(a, catalog_code)
    return pool[turns_taken % len(pool)][0].name if pool else ""


def caps_for(a: Agreement, catalog_code: str) -> dict[str, int]:
    """二次竞价: each active shortlisted supplier's cap for the catalog code (its quote may not exceed it)."""
    return {member.uscc: product.cap_fen for member, product in rotation_pool(a, catalog_code)}


def listing_caps(agreements: Sequence[Agreement], site_id: str, uscc: str, today: date) -> PriceCaps:
    """What a supplier's listings in a site are capped at: its shortlisted products (same brand, model and catalog
    code) in the agreements in force there. A paused shortlisted supplier is still held to its caps."""
    day = today.isoformat()
    offered = [
        (a.name, p)
        for a in agreements
        if a.status is AgreementStatus.ACTIVE and a.serves(site_id) and a.valid_from <= day <= a.valid_to
        for m in a.members
        if m.uscc == uscc
        for p in m.products
    ]

    def cap(brand: str, model: str, catalog_code: str) -> tuple[str, int] | None:
        for name, p in offered:
            if (p.catalog_code, normalize(p.brand), normalize(p.model)) == (
                catalog_code,
                normalize(brand),
                normalize(model),
            ):
                return name, p.cap_fen
        return None

    return cap


def listings_above_caps(a: Agreement, found: Sequence[Listing], today: date) -> list[tuple[Listing, int]]:
    """A shortlisted supplier's listings (in every site) priced above the agreement's cap for them."""
    above: list[tuple[Listing, int]] = []
    for listing in found:
        cap = listing_caps([a], listing.site_id, listing.supplier.uscc, today)(
            listing.draft.brand, listing.draft.model, listing.catalog_code
        )
        if cap is not None and listing.draft.price_fen > cap[1]:
            above.append((listing, cap[1]))
    return above


# ---------------------------------------------------------------- views


def agreement_to_dict(a: Agreement) -> dict[str, Any]:
    return {
        "number": a.number,
        "name": a.name,
        "agency": a.agency,
        "catalog_codes": list(a.catalog_codes),
        "sites": list(a.sites),
        "valid_from": a.valid_from,
        "valid_to": a.valid_to,
        "rules": {"methods": [m.value for m in a.rules.methods], "min_suppliers": a.rules.min_suppliers},
        "members": [
            {
                "uscc": m.uscc,
                "name": m.name,
                "rank": m.rank,
                "status": m.status.value,
                "status_reason": m.status_reason,
                "products": [p._asdict() for p in m.products],
            }
            for m in a.members
        ],
        "documents": [d._asdict() for d in a.documents],
        "status": a.status.value,
        "status_reason": a.status_reason,
        "source": a.source,
        "version": a.version,
        "created_at": a.created_at,
        "updated_at": a.updated_at,
    }


def agreement_from_dict(raw: dict[str, Any]) -> Agreement:
    rules = raw["rules"]
    return Agreement(
        number=raw["number"],
        name=raw["name"],
        agency=raw.get("agency", ""),
        catalog_codes=tuple(raw["catalog_codes"]),
        sites=tuple(raw.get("sites", ())),
        valid_from=raw["valid_from"],
        valid_to=raw["valid_to"],
        rules=Rules(tuple(Stage2(m) for m in rules["methods"]), int(rules.get("min_suppliers", DEFAULT_MIN_SUPPLIERS))),
        members=tuple(
            Member(
                uscc=m["uscc"],
                name=m["name"],
                rank=int(m["rank"]),
                products=tuple(Product(**p) for p in m["products"]),
                status=MemberStatus(m.get("status", "active")),
                status_reason=m.get("status_reason", ""),
            )
            for m in raw["members"]
        ),
        documents=tuple(Document(**d) for d in raw.get("documents", ())),
        status=AgreementStatus(raw["status"]),
        status_reason=raw.get("status_reason", ""),
        source=raw.get("source", "manual"),
        version=int(raw["version"]),
        created_at=raw["created_at"],
        updated_at=raw["updated_at"],
    )


def view(
    a: Agreement,
    site_id: str,
    now: datetime,
    margin_days: int,
    names: dict[str, str],
    turns: dict[str, int] | None = None,
) -> dict[str, Any]:
    """The agreement as a site shows it: labels, what stage 2 may do today (and why not), the rotation's next."""
    today = china_date(now)
    shown = agreement_to_dict(a)
    shown["status_label"] = state_label(a, today)
    shown["source_label"] = "省平台推送" if a.source == "integration" else "省级录入"
    shown["catalog"] = [{"code": code, "name": names.get(code, "")} for code in a.catalog_codes]
    shown["rules"]["method_labels"] = [m.label for m in a.rules.methods]
    shown["active_suppliers"] = len(a.active_members())
    shown["days_left"] = (date.fromisoformat(a.valid_to) - today).days
    for member in shown["members"]:
        member["status_label"] = MemberStatus(member["status"]).label
        for product in member["products"]:
            product["catalog_name"] = names.get(product["catalog_code"], "")
    stage2 = {}
    for method in Stage2:
        found = stage2_problem(a, site_id, method, today, margin_days)
        stage2[method.value] = {
            "label": method.label,
            "open": found is None,
            "code": found[0] if found else "",
            "reason": found[1] if found else "",
        }
    shown["stage2"] = stage2
    codes = sorted({p.catalog_code for m in a.members for p in m.products})
    shown["rotation"] = [
        {
            "catalog_code": code,
            "catalog_name": names.get(code, ""),
            "order": [m.name for m, _ in rotation_pool(a, code)],
            "turns_taken": (turns or {}).get(code, 0),
            "next": next_in_line(a, code, (turns or {}).get(code, 0)),
        }
        for code in codes
    ]
    return shown


# ---------------------------------------------------------------- stage 2 orders (直接选定, 顺序轮候)


class AgreementOrder(NamedTuple):
    method: Stage2  # DIRECT or ROTATION (二次竞价 runs as a competition)
    plan_no: str
    supplier_uscc: str  # 直接选定: the buyer's choice; 顺序轮候: "" (the rotation decides)
    product_code: str  # 直接选定
    catalog_code: str  # 顺序轮候: whose rotation
    quantity: int
    unit_price_fen: int  # 直接选定: at or below the cap; 0: at the cap
    delivery: Delivery
    note: str


def place_order(
    store: OrderStore,
    site: SiteConfig,
    a: Agreement,
    buyer: Principal,
    request: AgreementOrder,
    now: datetime,
    *,
    turns_taken: int = 0,
    trading: Collection[str] = (),
    names: dict[str, str] | None = None,
    request_id: str = "",
) -> Order:
    """A stage-2 order: the agreement in force, the supplier and price it allows, then the one commit every
    order goes through, which re-checks the agreement's version and, for 顺序轮候, takes the turn read."""
    if request.method is Stage2.BIDDING:
        raise InvalidInput(
            "二次竞价请发起竞价项目", code="VALIDATION_FAILED", details=[field_problem("method", "不能直接下单")]
        )
    require_mechanism(site, request.method.mechanism)
    today = china_date(now)
    require_stage2(a, site.id, request.method, today, site.bidding.framework_end_margin_days)
    check_expected_date(request.delivery.expected_date, today)
    if request.method is Stage2.DIRECT:
        chosen = choose_direct(a, request.supplier_uscc, request.product_code, request.unit_price_fen)
        guard = AgreementGuard(a.number, a.version)
    else:
        turn = take_turn(a, request.catalog_code, turns_taken, trading)
        chosen = turn.chosen
        guard = AgreementGuard(a.number, a.version, request.catalog_code, turn.seen, turn.next)
    inputs = store.inputs(site.id, request.plan_no, chosen.member.uscc, [], buyer.org_id, today.year)
    plan = check_plan(inputs.plan, buyer)
    supplier = inputs.supplier
    if supplier is None or not supplier.can_trade_in(site.id):
        raise Conflict(f"入围供应商“{chosen.member.name}”当前不可交易", code="SUPPLIER_NOT_ACTIVE")
    product = chosen.product
    outside = plan_problem(plan, product.catalog_code, product.name, (names or {}).get(product.catalog_code, ""))
    if outside is not None:
        raise RuleViolation(outside[1], code=outside[0])
    line = OrderLine(
        listing_id="",
        name=product.name,
        brand=product.brand,
        model=product.model,
        category_id=_mall_category(site, product.catalog_code),
        catalog_code=product.catalog_code,
        unit_price_fen=chosen.unit_price_fen,
        quantity=request.quantity,
        tracks_stock=False,  # delivered under the agreement, not from a listing's stock
    )
    priced = Priced(
        (line,),
        BuyingMode.FRAMEWORK,
        request.method.mechanism,
        OrderSource(SourceKind.AGREEMENT, (a.number, chosen.member.uscc, product.code)),
    )
    new = NewOrder(request.plan_no, chosen.member.uscc, (), request.delivery, request.note)
    return commit(
        store,
        site,
        plan,
        supplier,
        buyer,
        priced,
        new,
        inputs.spent_fen,
        now,
        request_id,
        guard=guard,
        budget_fen=product.cap_fen * request.quantity,  # 节约资金 is what the price stays below the cap
    )


def _mall_category(site: SiteConfig, catalog_code: str) -> str:
    """The site's leaf category of this catalog code, where it has one (statistics group by it)."""
    return next((c.id for c in site.leaf_categories() if c.catalog_code == catalog_code), "")
