"""Suppliers (供应商): one registration valid in every city site (一地入驻，全省通行).

A supplier registers with its 统一社会信用代码 and a 中小企业声明 (its scale must
follow from the declaration), uploads qualification documents, and is reviewed
by a site or provincial operator: 待审核 → 已入驻 / 驳回. Later it may be
暂停 (until a date, then reinstated automatically) or 清退 (optionally barred
until a date), and reinstated. Only an active supplier may list, quote or be
ordered from. Every change is audited.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum
from typing import Any, NamedTuple, Protocol

from chalicelib.domain.audit import AuditEvent, new_event
from chalicelib.domain.clock import china_date, china_midnight, parse_iso, to_iso
from chalicelib.domain.errors import Conflict, Forbidden, InvalidInput, NotFound, RuleViolation
from chalicelib.domain.money import format_wan
from chalicelib.domain.principals import PROVINCE_SCOPE, SYSTEM_ACTOR, Principal, Role
from chalicelib.domain.sme import INDUSTRIES, Declaration, Scale, classify
from chalicelib.domain.uscc import uscc_problem

ENTITY_SUPPLIER = "supplier"
PHONE_PATTERN = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
DISTRICT_PATTERN = re.compile(r"^\d{6}$")
# Province-level prefixes of GB/T 2260: a supplier from outside Shandong gives its own county code.
PROVINCE_PREFIXES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
    ]
)


class SupplierStatus(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    REJECTED = "rejected"
    SUSPENDED = "suspended"
    EXPELLED = "expelled"

    @property
    def label(self) -> str:
        return {
            SupplierStatus.PENDING: "待审核",
            SupplierStatus.ACTIVE: "已入驻",
            SupplierStatus.REJECTED: "驳回",
            SupplierStatus.SUSPENDED: "暂停",
            SupplierStatus.EXPELLED: "清退",
        }[self]


class Ownership(StrEnum):
    PRIVATE = "private"
    STATE = "state"
    COLLECTIVE = "collective"
    FOREIGN = "foreign"
    HMT = "hmt"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            Ownership.PRIVATE: "民营",
            Ownership.STATE: "国有",
            Ownership.COLLECTIVE: "集体",
            Ownership.FOREIGN: "外资",
            Ownership.HMT: "港澳台资",
            Ownership.OTHER: "其他",
        }[self]


class DocumentKind(StrEnum):
    BUSINESS_LICENSE = "business_license"
    QUALIFICATION = "qualification"
    TAX_CERTIFICATE = "tax_certificate"
    SOCIAL_SECURITY = "social_security"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            DocumentKind.BUSINESS_LICENSE: "营业执照",
            DocumentKind.QUALIFICATION: "资质证书",
            DocumentKind.TAX_CERTIFICATE: "纳税证明",
            DocumentKind.SOCIAL_SECURITY: "社保缴纳证明",
            DocumentKind.OTHER: "其他",
        }[self]


class Contact(NamedTuple):
    name: str
    phone: str
    email: str


class Document(NamedTuple):
    doc_id: str
    kind: DocumentKind
    file_name: str
    content_type: str
    size: int
    key: str
    uploaded_at: str


class Rating(NamedTuple):
    votes: int = 0
    stars: int = 0

    @property
    def average(self) -> float | None:
        return round(self.stars / self.votes, 2) if self.votes else None


class SupplierProfile(NamedTuple):
    """What the supplier states about itself; editable while pending or rejected."""

    name: str
    legal_representative: str
    registered_address: str
    home_district: str
    ownership: Ownership
    scale: Scale
    declaration: Declaration
    contact: Contact


class SiteSuspension(NamedTuple):
    """A city site's trading suspension: the supplier stays registered and trades in every other site."""

    site_id: str
    reason: str
    until: str | None  # UTC instant it ends, or None until the site lifts it
    by: str  # who decided it (the operator's name)
    at: str


class PendingChange(NamedTuple):
    """What an active supplier asked to change, until its home city's centre (or the province) decides:
    a new profile (contact, address, representative…), and documents it renewed (ids in `documents`)."""

    profile: SupplierProfile | None
    documents: tuple[str, ...]
    requested_at: str


class Supplier(NamedTuple):
    uscc: str
    username: str
    profile: SupplierProfile
    status: SupplierStatus
    status_reason: str
    status_until: str | None  # UTC instant: suspension end, or the end of an expulsion's bar
    documents: tuple[Document, ...]
    rating: Rating
    created_at: str
    updated_at: str
    version: int
    site_suspensions: tuple[SiteSuspension, ...] = ()
    pending_change: PendingChange | None = None

    @property
    def is_active(self) -> bool:
        """Registered and not sanctioned province-wide."""
        return self.status is SupplierStatus.ACTIVE

    def suspension_in(self, site_id: str) -> SiteSuspension | None:
        return next((s for s in self.site_suspensions if s.site_id == site_id), None)

    def can_trade_in(self, site_id: str) -> bool:
        return self.is_active and self.suspension_in(site_id) is None

    @property
    def next_due(self) -> str | None:
        """The earliest end of a suspension (province-wide or in a site) that a timer or the sweep must apply."""
        ends = [s.until for s in self.site_suspensions if s.until]
        if self.status is SupplierStatus.SUSPENDED and self.status_until:
            ends.append(self.status_until)
        return min(ends) if ends else None


class SupplierStore(Protocol):
    def get(self, uscc: str) -> Supplier | None: ...

    def create(self, supplier: Supplier, audit: AuditEvent, also: tuple[AuditEvent, ...] = ()) -> None:
        """Raise Conflict(SUPPLIER_EXISTS) when the code is registered already; `also`: the event in other logs."""

    def save(
        self, supplier: Supplier, expected_version: int, audit: AuditEvent, also: tuple[AuditEvent, ...] = ()
    ) -> None:
        """Raise Conflict(VERSION_CONFLICT) when someone else changed it first; `also`: the same event in other logs."""

    def due_reinstatements(self, now_iso: str) -> list[Supplier]: ...

    def trading_sites(self, uscc: str) -> list[str]:
        """The sites where the supplier has listings: each shows the supplier's changes in its log."""

    def home_site(self, district: str) -> str | None:
        """The city site whose area holds a GB/T 2260 district (the supplier's registered address)."""


class DeadlineTimer(Protocol):
    def start(self, name: str, due_at: str, payload: dict[str, Any]) -> None: ...


# ---------------------------------------------------------------- validation


def profile_problems(profile: SupplierProfile, official_districts: dict[str, str]) -> list[dict[str, str]]:
    """Field problems of a profile, in Chinese; the declared scale is checked separately."""
    found: list[dict[str, str]] = []
    district = profile.home_district
    if not DISTRICT_PATTERN.match(district) or district[:2] not in PROVINCE_PREFIXES:
        found.append({"field": "home_district", "message": "所在区划应为 6 位行政区划代码"})
    elif district.startswith("37") and district not in official_districts:
        found.append({"field": "home_district", "message": f"{district} 不是山东省的行政区划代码"})
    if not PHONE_PATTERN.match(profile.contact.phone):
        found.append({"field": "contact.phone", "message": "联系电话应为手机号或带区号的固定电话"})
    if not EMAIL_PATTERN.match(profile.contact.email):
        found.append({"field": "contact.email", "message": "电子邮箱格式不正确"})
    if profile.declaration.industry not in INDUSTRIES:
        found.append({"field": "declaration.industry", "message": "行业不在划型标准所列行业中"})
    return found


def check_profile(profile: SupplierProfile, official_districts: dict[str, str]) -> None:
    problems = profile_problems(profile, official_districts)
    if problems:
        raise InvalidInput(
            "企业信息有误：" + "；".join(p["message"] for p in problems), code="VALIDATION_FAILED", details=problems
        )
    computed = classify(profile.declaration)
    if computed is not profile.scale:
        rule = INDUSTRIES[profile.declaration.industry]
        raise RuleViolation(
            f"声明的企业规模为{profile.scale.label}企业，但按{rule.name}划型标准"
            f"（从业人员 {profile.declaration.employees} 人、"
            f"营业收入 {format_wan(profile.declaration.revenue_fen)} 万元、"
            f"资产总额 {format_wan(profile.declaration.assets_fen)} 万元）应为{computed.label}企业",
            code="SCALE_MISMATCH",
            details={"computed_scale": computed.value, "criteria": rule.criteria()},
        )


# ---------------------------------------------------------------- transitions


def _event(
    supplier: Supplier,
    action: str,
    summary: str,
    actor: dict[str, str],
    at: datetime,
    before: Any,
    after: Any,
    **context: Any,
) -> AuditEvent:
    return new_event(
        tenant=PROVINCE_SCOPE,
        entity_type=ENTITY_SUPPLIER,
        entity_id=supplier.uscc,
        action=action,
        summary=summary,
        actor=actor,
        at=at,
        before=before,
        after=after,
        context=context,
    )


def _status_view(supplier: Supplier) -> dict[str, Any]:
    return {"status": supplier.status.value, "reason": supplier.status_reason, "until": supplier.status_until}


def check_registration(uscc: str, profile: SupplierProfile, official_districts: dict[str, str]) -> None:
    """Everything about a registration that can be known before anything is created."""
    problem = uscc_problem(uscc)
    if problem:
        raise InvalidInput(problem, code="VALIDATION_FAILED", details=[{"field": "uscc", "message": problem}])
    check_profile(profile, official_districts)


def register(
    store: SupplierStore,
    uscc: str,
    username: str,
    profile: SupplierProfile,
    official_districts: dict[str, str],
    now: datetime,
) -> Supplier:
    check_registration(uscc, profile, official_districts)
    supplier = Supplier(
        uscc=uscc,
        username=username,
        profile=profile,
        status=SupplierStatus.PENDING,
        status_reason="",
        status_until=None,
        documents=(),
        rating=Rating(),
        created_at=to_iso(now),
        updated_at=to_iso(now),
        version=1,
    )
    actor = {**SYSTEM_ACTOR, "username": username, "name": profile.contact.name, "role": "supplier", "org_id": uscc}
    audit = _event(
        supplier, "supplier.registered", f"供应商 {profile.name} 注册入驻申请", actor, now, None, _status_view(supplier)
    )
    store.create(supplier, audit, _in_concerned_sites(store, supplier, audit))
    return supplier


def require_own(principal: Principal, supplier: Supplier | None) -> Supplier:
    if supplier is None or principal.org_id != supplier.uscc:
        raise NotFound("未找到本企业的入驻信息，请先完成供应商注册", code="SUPPLIER_NOT_FOUND")
    return supplier


def require_active(supplier: Supplier, site_id: str | None = None) -> None:
    if not supplier.is_active:
        raise Forbidden(
            f"供应商当前状态为“{supplier.status.label}”，不能发布或修改商品、参与报价或接受订单",
            code="SUPPLIER_NOT_ACTIVE",
            details={"status": supplier.status.value},
        )
    suspension = supplier.suspension_in(site_id) if site_id else None
    if suspension is not None:
        raise Forbidden(
            f"供应商已被本站暂停交易（{suspension.reason}），不能在本站发布或修改商品、参与报价或接受订单",
            code="SUPPLIER_SUSPENDED_IN_SITE",
            details={"site_id": site_id, "until": suspension.until},
        )


def _require_status(supplier: Supplier, allowed: set[SupplierStatus], doing: str) -> None:
    if supplier.status not in allowed:
        raise Conflict(
            f"供应商当前状态为“{supplier.status.label}”，不能{doing}",
            code="SUPPLIER_STATUS_CONFLICT",
            details={"status": supplier.status.value},
        )


def _move(
    store: SupplierStore,
    supplier: Supplier,
    status: SupplierStatus,
    reason: str,
    until: str | None,
    action: str,
    summary: str,
    actor: dict[str, str],
    now: datetime,
    acting_site: str = "",
) -> Supplier:
    """A status change: the new state and its audit event (status, reason and end date, before and after),
    saved on the previous version, and shown in the logs of the sites it concerns."""
    updated = supplier._replace(
        status=status, status_reason=reason, status_until=until, updated_at=to_iso(now), version=supplier.version + 1
    )
    audit = _event(supplier, action, summary, actor, now, _status_view(supplier), _status_view(updated))
    store.save(updated, supplier.version, audit, _in_concerned_sites(store, supplier, audit, acting_site))
    return updated


def _in_concerned_sites(
    store: SupplierStore, supplier: Supplier, audit: AuditEvent, acting_site: str = ""
) -> tuple[AuditEvent, ...]:
    """A supplier is the province's (its events are logged under the province), but each change also shows in
    the log of every site it concerns: the site of its home city (registration, documents, review), every site
    where it sells (sanctions, renewals) and the site whose centre acted (an approval by 威海's centre)."""
    sites = set(store.trading_sites(supplier.uscc))
    home = store.home_site(supplier.profile.home_district)
    if home:
        sites.add(home)
    if acting_site and acting_site != PROVINCE_SCOPE:
        sites.add(acting_site)
    return tuple(
        _event(
            supplier,
            audit.action,
            audit.summary,
            dict(audit.actor),
            parse_iso(audit.at),
            audit.before,
            audit.after,
            scope="province",
        )._replace(tenant=site_id)
        for site_id in sorted(sites)
    )


def update_profile(
    store: SupplierStore, principal: Principal, profile: SupplierProfile, official: dict[str, str], now: datetime
) -> Supplier:
    supplier = require_own(principal, store.get(principal.org_id))
    if supplier.status in (SupplierStatus.ACTIVE, SupplierStatus.SUSPENDED):
        return request_change(store, principal, supplier, profile, official, now)
    _require_status(supplier, {SupplierStatus.PENDING, SupplierStatus.REJECTED}, "修改企业信息")
    check_profile(profile, official)
    updated = supplier._replace(profile=profile, updated_at=to_iso(now), version=supplier.version + 1)
    before, after = profile_to_dict(supplier.profile), profile_to_dict(updated.profile)
    audit = _event(supplier, "supplier.profile_updated", "修改企业信息", principal.as_actor(), now, before, after)
    store.save(updated, supplier.version, audit, _in_concerned_sites(store, updated, audit))
    return updated


UNDER_REVIEW = {SupplierStatus.ACTIVE, SupplierStatus.SUSPENDED}  # changes of a registered supplier are reviewed


def request_change(
    store: SupplierStore,
    principal: Principal,
    supplier: Supplier,
    profile: SupplierProfile,
    official: dict[str, str],
    now: datetime,
) -> Supplier:
    """A registered supplier's new details go to review; it keeps trading on the ones approved before."""
    check_profile(profile, official)
    pending = supplier.pending_change
    if profile == (pending.profile if pending and pending.profile else supplier.profile):
        return supplier  # nothing new to review
    change = PendingChange(profile, pending.documents if pending else (), to_iso(now))
    updated = supplier._replace(pending_change=change, updated_at=to_iso(now), version=supplier.version + 1)
    before, after = profile_to_dict(supplier.profile), profile_to_dict(profile)
    audit = _event(
        supplier, "supplier.change_requested", "提交企业信息变更，待审核", principal.as_actor(), now, before, after
    )
    store.save(updated, supplier.version, audit, _in_concerned_sites(store, updated, audit))
    return updated


def review_change(
    store: SupplierStore, reviewer: Principal, uscc: str, approve: bool, reason: str, now: datetime
) -> Supplier:
    """Approve: the new details and renewed documents stand. Reject: they are dropped, with the reason."""
    supplier = _load(store, uscc)
    change = supplier.pending_change
    if change is None:
        raise Conflict("该供应商没有待审核的资料变更", code="NO_PENDING_CHANGE")
    renewed = [d for d in supplier.documents if d.doc_id in change.documents]
    names = "、".join(f"{d.kind.label}（{d.file_name}）" for d in renewed)
    before, after = profile_to_dict(supplier.profile), profile_to_dict(change.profile or supplier.profile)
    if approve:
        updated = supplier._replace(profile=change.profile or supplier.profile, pending_change=None)
        action, summary = "supplier.change_approved", "资料变更审核通过" + (f"；更新证照：{names}" if names else "")
    else:
        _require_reason(reason, "驳回资料变更")
        kept = tuple(d for d in supplier.documents if d.doc_id not in change.documents)
        updated = supplier._replace(documents=kept, pending_change=None)
        action, summary = "supplier.change_rejected", f"驳回资料变更：{reason}"
        after = before
    updated = updated._replace(updated_at=to_iso(now), version=supplier.version + 1)
    audit = _event(supplier, action, summary, reviewer.as_actor(), now, before, after, reason=reason)
    store.save(updated, supplier.version, audit, _in_concerned_sites(store, updated, audit, reviewer.tenant))
    return updated


def submit(store: SupplierStore, principal: Principal, now: datetime) -> Supplier:
    supplier = require_own(principal, store.get(principal.org_id))
    if supplier.status is SupplierStatus.EXPELLED:
        if supplier.status_until is None or parse_iso(supplier.status_until) > now:
            when = (
                ""
                if supplier.status_until is None
                else f"，{china_date(parse_iso(supplier.status_until))} 前不得重新申请"
            )
            raise Conflict(f"供应商已被清退{when}", code="SUPPLIER_BARRED")
    else:
        _require_status(supplier, {SupplierStatus.REJECTED}, "重新提交审核")
    actor = principal.as_actor()
    return _move(
        store, supplier, SupplierStatus.PENDING, "", None, "supplier.resubmitted", "重新提交入驻审核", actor, now
    )


def add_document(store: SupplierStore, principal: Principal, document: Document, now: datetime) -> Supplier:
    supplier = require_own(principal, store.get(principal.org_id))
    _require_status(
        supplier,
        {SupplierStatus.PENDING, SupplierStatus.REJECTED, SupplierStatus.ACTIVE, SupplierStatus.SUSPENDED},
        "上传资质文件",
    )
    if any(d.doc_id == document.doc_id for d in supplier.documents):
        return supplier  # confirming twice is harmless
    if len(supplier.documents) >= 20:
        raise RuleViolation("资质文件最多 20 个，请先删除不需要的文件", code="TOO_MANY_DOCUMENTS")
    updated = supplier._replace(
        documents=(*supplier.documents, document), updated_at=to_iso(now), version=supplier.version + 1
    )
    if supplier.status in UNDER_REVIEW:
        # A registered supplier's renewed licence or certificate counts once its centre has seen it.
        pending = supplier.pending_change
        change = PendingChange(
            pending.profile if pending else None,
            (*(pending.documents if pending else ()), document.doc_id),
            to_iso(now),
        )
        updated = updated._replace(pending_change=change)
    audit = _event(
        supplier,
        "supplier.document_added",
        f"上传{document.kind.label}：{document.file_name}",
        principal.as_actor(),
        now,
        None,
        {
            "doc_id": document.doc_id,
            "kind": document.kind.value,
            "file_name": document.file_name,
            "size": document.size,
        },
    )
    store.save(updated, supplier.version, audit, _in_concerned_sites(store, supplier, audit))
    return updated


def remove_document(store: SupplierStore, principal: Principal, doc_id: str, now: datetime) -> Supplier:
    supplier = require_own(principal, store.get(principal.org_id))
    _require_status(supplier, {SupplierStatus.PENDING, SupplierStatus.REJECTED}, "删除资质文件")
    document = next((d for d in supplier.documents if d.doc_id == doc_id), None)
    if document is None:
        raise InvalidInput("资质文件不存在", code="DOCUMENT_NOT_FOUND")
    updated = supplier._replace(
        documents=tuple(d for d in supplier.documents if d.doc_id != doc_id),
        updated_at=to_iso(now),
        version=supplier.version + 1,
    )
    audit = _event(
        supplier,
        "supplier.document_removed",
        f"删除{document.kind.label}：{document.file_name}",
        principal.as_actor(),
        now,
        {"doc_id": doc_id, "file_name": document.file_name},
        None,
    )
    store.save(updated, supplier.version, audit, _in_concerned_sites(store, supplier, audit))
    return updated


def review(store: SupplierStore, reviewer: Principal, uscc: str, approve: bool, reason: str, now: datetime) -> Supplier:
    supplier = _load(store, uscc)
    _require_status(supplier, {SupplierStatus.PENDING}, "审核")
    if approve:
        if not any(d.kind is DocumentKind.BUSINESS_LICENSE for d in supplier.documents):
            raise RuleViolation("供应商尚未上传营业执照，不能审核通过", code="LICENSE_MISSING")
        status, action, summary = SupplierStatus.ACTIVE, "supplier.approved", f"审核通过供应商 {supplier.profile.name}"
    else:
        _require_reason(reason, "驳回")
        status, action = SupplierStatus.REJECTED, "supplier.rejected"
        summary = f"驳回供应商 {supplier.profile.name}：{reason}"
    return _move(store, supplier, status, reason, None, action, summary, reviewer.as_actor(), now, reviewer.tenant)


def suspend(
    store: SupplierStore,
    timer: DeadlineTimer,
    actor: Principal,
    uscc: str,
    reason: str,
    until: date | None,
    now: datetime,
) -> Supplier:
    """A city operator suspends trading in its own site; the provincial operator suspends province-wide."""
    if actor.role is Role.CENTER_ADMIN:
        return _suspend_in_site(store, timer, actor, uscc, reason, until, now)
    supplier = _load(store, uscc)
    _require_status(supplier, {SupplierStatus.ACTIVE}, "暂停")
    _require_reason(reason, "暂停")
    until_at = _future_day(until, now, "恢复日期")
    summary = f"暂停供应商 {supplier.profile.name}：{reason}" + (f"（至 {until.isoformat()}）" if until else "")
    updated = _move(
        store,
        supplier,
        SupplierStatus.SUSPENDED,
        reason,
        until_at,
        "supplier.suspended",
        summary,
        actor.as_actor(),
        now,
    )
    if until_at:
        timer.start(**reinstatement_timer(updated))
    return updated


def expel(
    store: SupplierStore, actor: Principal, uscc: str, reason: str, until: date | None, now: datetime
) -> Supplier:
    if actor.role is not Role.PROVINCE_ADMIN:
        raise Forbidden(
            "清退供应商在全省生效，须由省级管理员决定；本站可暂停其在本站的交易", code="PROVINCE_SANCTION_ONLY"
        )
    supplier = _load(store, uscc)
    _require_status(supplier, {SupplierStatus.ACTIVE, SupplierStatus.SUSPENDED}, "清退")
    _require_reason(reason, "清退")
    until_at = _future_day(until, now, "禁入截止日期")
    summary = f"清退供应商 {supplier.profile.name}：{reason}" + (
        f"（{until.isoformat()} 前不得重新申请）" if until else ""
    )
    return _move(
        store, supplier, SupplierStatus.EXPELLED, reason, until_at, "supplier.expelled", summary, actor.as_actor(), now
    )


def reinstate(store: SupplierStore, actor: Principal, uscc: str, reason: str, now: datetime) -> Supplier:
    """A city operator lifts its own site's suspension; the provincial operator a province-wide one."""
    if actor.role is Role.CENTER_ADMIN:
        return _reinstate_in_site(store, actor, uscc, reason, now)
    supplier = _load(store, uscc)
    _require_status(supplier, {SupplierStatus.SUSPENDED}, "恢复")
    _require_reason(reason, "恢复")
    summary = f"恢复供应商 {supplier.profile.name}：{reason}"
    return _move(
        store, supplier, SupplierStatus.ACTIVE, reason, None, "supplier.reinstated", summary, actor.as_actor(), now
    )


def _suspend_in_site(
    store: SupplierStore,
    timer: DeadlineTimer,
    actor: Principal,
    uscc: str,
    reason: str,
    until: date | None,
    now: datetime,
) -> Supplier:
    supplier = _load(store, uscc)
    site_id = actor.tenant
    _require_status(supplier, {SupplierStatus.ACTIVE}, "暂停本站交易")
    if supplier.suspension_in(site_id) is not None:
        raise Conflict("该供应商已被本站暂停交易", code="SUPPLIER_SUSPENDED_IN_SITE")
    _require_reason(reason, "暂停")
    until_at = _future_day(until, now, "恢复日期")
    suspension = SiteSuspension(site_id, reason, until_at, actor.display_name, to_iso(now))
    summary = f"暂停供应商 {supplier.profile.name} 在本站的交易：{reason}" + (
        f"（至 {until.isoformat()}）" if until else ""
    )
    updated = _change_site(
        store,
        supplier,
        (*supplier.site_suspensions, suspension),
        site_id,
        "supplier.site_suspended",
        summary,
        actor.as_actor(),
        now,
    )
    if until_at:
        timer.start(**reinstatement_timer(updated))
    return updated


def _reinstate_in_site(store: SupplierStore, actor: Principal, uscc: str, reason: str, now: datetime) -> Supplier:
    supplier = _load(store, uscc)
    site_id = actor.tenant
    if supplier.suspension_in(site_id) is None:
        if supplier.status is SupplierStatus.SUSPENDED:
            raise Forbidden("该供应商为全省暂停，须由省级管理员恢复", code="PROVINCE_SANCTION_ONLY")
        raise Conflict("该供应商未被本站暂停交易", code="SUPPLIER_STATUS_CONFLICT")
    _require_reason(reason, "恢复")
    summary = f"恢复供应商 {supplier.profile.name} 在本站的交易：{reason}"
    remaining = tuple(s for s in supplier.site_suspensions if s.site_id != site_id)
    return _change_site(store, supplier, remaining, site_id, "supplier.site_reinstated", summary, actor.as_actor(), now)


def _change_site(
    store: SupplierStore,
    supplier: Supplier,
    suspensions: tuple[SiteSuspension, ...],
    site_id: str,
    action: str,
    summary: str,
    actor: dict[str, str],
    now: datetime,
) -> Supplier:
    """A site's suspension added or lifted, audited in that site's log."""
    updated = supplier._replace(site_suspensions=suspensions, updated_at=to_iso(now), version=supplier.version + 1)

    def view(s: Supplier) -> dict[str, Any]:
        found = s.suspension_in(site_id)
        return {
            "suspended_in_site": found is not None,
            "reason": found.reason if found else "",
            "until": found.until if found else None,
        }

    audit = _event(supplier, action, summary, actor, now, view(supplier), view(updated), site_id=site_id)._replace(
        tenant=site_id
    )
    store.save(updated, supplier.version, audit)
    return updated


def reinstate_if_due(store: SupplierStore, uscc: str, now: datetime) -> str:
    """Timer and sweep: end every suspension whose day has come (province-wide, and in each site).

    Returns early (something is pending but not due), applied, or skipped (nothing pending).
    """
    supplier = store.get(uscc)
    if supplier is None or supplier.next_due is None:
        return "skipped"
    if parse_iso(supplier.next_due) > now:
        return "early"
    while supplier.next_due is not None and parse_iso(supplier.next_due) <= now:
        supplier = _end_one_due(store, supplier, now)
    return "applied"


def _end_one_due(store: SupplierStore, supplier: Supplier, now: datetime) -> Supplier:
    due = next((s for s in supplier.site_suspensions if s.until and parse_iso(s.until) <= now), None)
    if due is not None:
        summary = f"供应商 {supplier.profile.name} 在本站的暂停期满，自动恢复交易"
        remaining = tuple(s for s in supplier.site_suspensions if s.site_id != due.site_id)
        return _change_site(
            store, supplier, remaining, due.site_id, "supplier.site_reinstated", summary, SYSTEM_ACTOR, now
        )
    summary = f"供应商 {supplier.profile.name} 暂停期满自动恢复"
    return _move(
        store,
        supplier,
        SupplierStatus.ACTIVE,
        "暂停期满自动恢复",
        None,
        "supplier.reinstated",
        summary,
        SYSTEM_ACTOR,
        now,
    )


def reinstatement_timer(supplier: Supplier) -> dict[str, Any]:
    return {
        "name": f"supplier-reinstate-{supplier.uscc}-{supplier.version}",
        "due_at": supplier.next_due,
        "payload": {"kind": "supplier_reinstatement", "uscc": supplier.uscc},
    }


def _load(store: SupplierStore, uscc: str) -> Supplier:
    supplier = store.get(uscc)
    if supplier is None:
        raise NotFound(f"供应商 {uscc} 不存在", code="SUPPLIER_NOT_FOUND")
    return supplier


def _require_reason(reason: str, doing: str) -> None:
    if not reason.strip():
        raise InvalidInput(
            f"{doing}须填写原因", code="REASON_REQUIRED", details=[{"field": "reason", "message": "必填"}]
        )


def _future_day(day: date | None, now: datetime, what: str) -> str | None:
    if day is None:
        return None
    if day <= china_date(now):
        raise InvalidInput(
            f"{what}须晚于今天", code="DATE_NOT_IN_FUTURE", details=[{"field": "until", "message": "须晚于今天"}]
        )
    return to_iso(china_midnight(day))


# ---------------------------------------------------------------- (de)serialisation


def profile_to_dict(profile: SupplierProfile) -> dict[str, Any]:
    return {
        "name": profile.name,
        "legal_representative": profile.legal_representative,
        "registered_address": profile.registered_address,
        "home_district": profile.home_district,
        "ownership": profile.ownership.value,
        "scale": profile.scale.value,
        "declaration": {
            "industry": profile.declaration.industry,
            "employees": profile.declaration.employees,
            "revenue_fen": profile.declaration.revenue_fen,
            "assets_fen": profile.declaration.assets_fen,
        },
        "contact": profile.contact._asdict(),
    }


def profile_from_dict(raw: dict[str, Any]) -> SupplierProfile:
    declaration = raw["declaration"]
    return SupplierProfile(
        name=raw["name"],
        legal_representative=raw["legal_representative"],
        registered_address=raw["registered_address"],
        home_district=raw["home_district"],
        ownership=Ownership(raw["ownership"]),
        scale=Scale(raw["scale"]),
        declaration=Declaration(
            industry=declaration["industry"],
            employees=int(declaration["employees"]),
            revenue_fen=int(declaration["revenue_fen"]),
            assets_fen=int(declaration["assets_fen"]),
        ),
        contact=Contact(**raw["contact"]),
    )


def supplier_to_dict(supplier: Supplier) -> dict[str, Any]:
    return {
        "uscc": supplier.uscc,
        "username": supplier.username,
        **profile_to_dict(supplier.profile),
        "status": supplier.status.value,
        "status_reason": supplier.status_reason,
        "status_until": supplier.status_until,
        "documents": [{**d._asdict(), "kind": d.kind.value} for d in supplier.documents],
        "rating": supplier.rating._asdict(),
        "created_at": supplier.created_at,
        "updated_at": supplier.updated_at,
        "version": supplier.version,
        "site_suspensions": [s._asdict() for s in supplier.site_suspensions],
        "pending_change": _change_to_dict(supplier.pending_change),
    }


def _change_to_dict(change: PendingChange | None) -> dict[str, Any] | None:
    if change is None:
        return None
    return {
        "profile": profile_to_dict(change.profile) if change.profile else None,
        "documents": list(change.documents),
        "requested_at": change.requested_at,
    }


def _change_from_dict(raw: dict[str, Any] | None) -> PendingChange | None:
    if not raw:
        return None
    profile = profile_from_dict(raw["profile"]) if raw.get("profile") else None
    return PendingChange(profile, tuple(raw.get("documents", ())), raw.get("requested_at", ""))


def supplier_from_dict(raw: dict[str, Any]) -> Supplier:
    return Supplier(
        uscc=raw["uscc"],
        username=raw["username"],
        profile=profile_from_dict(raw),
        status=SupplierStatus(raw["status"]),
        status_reason=raw.get("status_reason", ""),
        status_until=raw.get("status_until"),
        documents=tuple(Document(**{**d, "kind": DocumentKind(d["kind"])}) for d in raw.get("documents", [])),
        rating=Rating(**raw.get("rating", {})),
        created_at=raw["created_at"],
        updated_at=raw["updated_at"],
        version=int(raw["version"]),
        site_suspensions=tuple(SiteSuspension(**x) for x in raw.get("site_suspensions", [])),
        pending_change=_change_from_dict(raw.get("pending_change")),
    )


def public_view(supplier: Supplier, district_names: dict[str, str]) -> dict[str, Any]:
    """The supplier as the API shows it (without the internal S3 keys of documents)."""
    view = supplier_to_dict(supplier)
    view["home_district_name"] = district_names.get(supplier.profile.home_district, "")
    view["status_label"] = supplier.status.label
    view["scale_label"] = supplier.profile.scale.label
    view["ownership_label"] = supplier.profile.ownership.label
    view["documents"] = [
        {k: v for k, v in d.items() if k != "key"} | {"kind_label": DocumentKind(d["kind"]).label}
        for d in view["documents"]
    ]
    view["rating"] = {"count": supplier.rating.votes, "average": supplier.rating.average}
    change = supplier.pending_change
    under_review = set(change.documents) if change else set()
    for d in view["documents"]:
        d["under_review"] = d["doc_id"] in under_review
    if change is not None:
        # What would change, field by field, in words (the reviewer's and the supplier's view alike).
        from chalicelib.domain.labels import changes

        proposed = profile_to_dict(change.profile) if change.profile else profile_to_dict(supplier.profile)
        view["pending_change"]["rows"] = changes(
            {"entity_type": ENTITY_SUPPLIER, "before": profile_to_dict(supplier.profile), "after": proposed}
        )
    return view
