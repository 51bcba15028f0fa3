"""Suppliers: registration, their own profile and documents, and the operators' review."""

from __future__ import annotations

import re
import uuid
from typing import Any

from chalice.app import Blueprint

from chalicelib.domain import labels, suppliers
from chalicelib.domain.errors import Conflict, DomainError, NotFound
from chalicelib.domain.principals import PROVINCE_SCOPE, Principal, Role
from chalicelib.domain.sme import INDUSTRIES, Declaration, Scale
from chalicelib.domain.suppliers import Contact, Document, DocumentKind, Ownership, SupplierProfile
from chalicelib.http import Reply, RequestContext, api_route
from chalicelib.observability import metrics
from chalicelib.store.reference import official_districts
from chalicelib.store.suppliers import CognitoSupplierAccounts
from chalicelib.store.uploads import download_url, presigned_post, uploaded
from chalicelib.wiring import stores

bp = Blueprint(__name__)

REVIEWERS = frozenset({Role.CENTER_ADMIN, Role.PROVINCE_ADMIN})
READERS = frozenset({Role.CENTER_ADMIN, Role.PROVINCE_ADMIN, Role.FINANCE})
SUPPLIER = frozenset({Role.SUPPLIER})
USCC_IN_PATH = re.compile(r"^[0-9A-Z]{18}$")
DOC_ID = re.compile(r"^[0-9a-f]{32}$")
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


def _view(supplier: suppliers.Supplier) -> dict[str, Any]:
    return suppliers.public_view(supplier, official_districts())


def _profile(body: Any) -> SupplierProfile:
    d = body.declaration
    return SupplierProfile(
        name=body.name,
        legal_representative=body.legal_representative,
        registered_address=body.registered_address,
        home_district=body.home_district,
        ownership=Ownership(body.ownership),
        scale=Scale(body.scale),
        declaration=Declaration(d.industry, d.employees, d.revenue_fen, d.assets_fen),
        contact=Contact(body.contact.name, body.contact.phone, body.contact.email),
    )


def _uscc(value: str) -> str:
    if not USCC_IN_PATH.match(value):
        raise NotFound("供应商不存在", code="SUPPLIER_NOT_FOUND")
    return value


_METRIC_KEYS = {"employees": "employees", "revenue": "revenue_fen", "assets": "assets_fen"}


def _thresholds(metrics: tuple[Any, ...], bounds: tuple[int, ...]) -> dict[str, int]:
    """{"employees": 300, "revenue_fen": 20_000_000_000}: the API's own units (people, fen)."""
    return {
        _METRIC_KEYS[m.value]: (b if m.value == "employees" else b * 1_000_000)
        for m, b in zip(metrics, bounds, strict=True)
    }


@api_route(bp, "/suppliers/industries", response="suppliers:IndustryList")
def industries(ctx: RequestContext) -> dict[str, Any]:
    return {
        "items": [
            {
                "code": rule.code,
                "name": rule.name,
                "metrics": [_METRIC_KEYS[m.value] for m in rule.metrics],
                "criteria": rule.criteria(),
                "thresholds": {
                    "sme_below": _thresholds(rule.metrics, rule.sme_below),
                    "medium": _thresholds(rule.metrics, rule.medium_at_least),
                    "small": _thresholds(rule.metrics, rule.small_at_least),
                },
            }
            for rule in INDUSTRIES.values()
        ]
    }


@api_route(bp, "/suppliers/register", methods=("POST",), response="suppliers:Registration")
def register(ctx: RequestContext) -> Reply:
    from chalicelib.schemas.suppliers import RegisterBody

    body = ctx.body(RegisterBody)
    profile = _profile(body)
    store = stores().suppliers
    # Everything that can be checked is checked before the login is created.
    suppliers.check_registration(body.uscc, profile, official_districts())
    if store.get(body.uscc) is not None:
        raise Conflict(f"统一社会信用代码 {body.uscc} 的供应商已注册", code="SUPPLIER_EXISTS")
    accounts = CognitoSupplierAccounts()
    accounts.create(body.username, body.password, body.contact.name, body.uscc, body.name, body.home_district)
    try:
        supplier = suppliers.register(store, body.uscc, body.username, profile, official_districts(), ctx.now)
    except DomainError:
        accounts.delete(body.username)  # a lost race on the code: leave no orphan login
        raise
    metrics.add_metric(name="SupplierRegistered", unit="Count", value=1)
    return Reply({"supplier": _view(supplier), "username": body.username}, status=201)


@api_route(bp, "/suppliers/me", roles=SUPPLIER, response="suppliers:SupplierView")
def me(ctx: RequestContext) -> dict[str, Any]:
    return _view(suppliers.require_own(ctx.user, stores().suppliers.get(ctx.user.org_id)))


@api_route(bp, "/suppliers/me", methods=("PUT",), roles=SUPPLIER, response="suppliers:SupplierView")
def update_me(ctx: RequestContext) -> dict[str, Any]:
    from chalicelib.schemas.suppliers import ProfileBody

    body = ctx.body(ProfileBody)
    updated = suppliers.update_profile(stores().suppliers, ctx.user, _profile(body), official_districts(), ctx.now)
    return _view(updated)


@api_route(bp, "/suppliers/me/submit", methods=("POST",), roles=SUPPLIER, response="suppliers:SupplierView")
def submit(ctx: RequestContext) -> dict[str, Any]:
    return _view(suppliers.submit(stores().suppliers, ctx.user, ctx.now))


def _document_key(uscc: str, doc_id: str) -> str:
    return f"supplier-docs/{uscc}/{doc_id}"


@api_route(bp, "/suppliers/me/documents", methods=("POST",), roles=SUPPLIER, response="orders:DocumentUploadTicket")
def start_upload(ctx: RequestContext) -> Reply:
    from chalicelib.schemas.suppliers import UploadBody

    body = ctx.body(UploadBody)
    supplier = suppliers.require_own(ctx.user, stores().suppliers.get(ctx.user.org_id))
    doc_id = uuid.uuid4().hex
    upload = presigned_post(
        _document_key(supplier.uscc, doc_id),
        body.content_type,
        MAX_DOCUMENT_BYTES,
        {"kind": body.kind.value, "file-name": body.file_name, "uscc": supplier.uscc},
    )
    return Reply({"doc_id": doc_id, "upload": upload, "max_bytes": MAX_DOCUMENT_BYTES}, status=201)


@api_route(
    bp, "/suppliers/me/documents/{doc_id}/confirm", methods=("POST",), roles=SUPPLIER, response="suppliers:SupplierView"
)
def confirm_upload(ctx: RequestContext, doc_id: str) -> dict[str, Any]:
    if not DOC_ID.match(doc_id):
        raise NotFound("上传记录不存在", code="UPLOAD_NOT_FOUND")
    uscc = ctx.user.org_id
    found = uploaded(_document_key(uscc, doc_id))
    if found is None or found.metadata.get("uscc") != uscc:
        raise NotFound("未找到已上传的文件，请重新上传", code="UPLOAD_NOT_FOUND")
    document = Document(
        doc_id=doc_id,
        kind=DocumentKind(found.metadata.get("kind", "other")),
        file_name=found.metadata.get("file-name", doc_id),
        content_type=found.content_type,
        size=found.size,
        key=found.key,
        uploaded_at=ctx.now.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
    )
    return _view(suppliers.add_document(stores().suppliers, ctx.user, document, ctx.now))


@api_route(
    bp, "/suppliers/me/documents/{doc_id}", methods=("DELETE",), roles=SUPPLIER, response="suppliers:SupplierView"
)
def remove_document(ctx: RequestContext, doc_id: str) -> dict[str, Any]:
    return _view(suppliers.remove_document(stores().suppliers, ctx.user, doc_id, ctx.now))


@api_route(bp, "/suppliers", roles=READERS, response="suppliers:SupplierPage")
def list_suppliers(ctx: RequestContext) -> dict[str, Any]:
    from chalicelib.schemas.suppliers import SupplierQuery

    query = ctx.query(SupplierQuery)
    found, cursor = stores().suppliers.by_status(query.status, query.limit, query.cursor)
    return {"items": [_view(s) for s in found], "next_cursor": cursor}


@api_route(bp, "/suppliers/changes", roles=REVIEWERS, response="suppliers:SupplierChangePage")
def pending_changes(ctx: RequestContext) -> dict[str, Any]:
    """Registered suppliers' changes (details, renewed documents) awaiting review."""
    from chalicelib.schemas.suppliers import ChangesQuery

    query = ctx.query(ChangesQuery)
    found, cursor = stores().suppliers.with_changes(query.limit, query.cursor)
    return {"items": [_view(s) for s in found], "next_cursor": cursor}


@api_route(
    bp, "/suppliers/{uscc}/changes/decision", methods=("POST",), roles=REVIEWERS, response="suppliers:SupplierView"
)
def decide_change(ctx: RequestContext, uscc: str) -> dict[str, Any]:
    from chalicelib.schemas.suppliers import ReviewBody

    body = ctx.body(ReviewBody)
    decided = suppliers.review_change(
        stores().suppliers, ctx.user, _uscc(uscc), body.decision == "approve", body.reason, ctx.now
    )
    return _view(decided)


@api_route(bp, "/suppliers/{uscc}", roles=READERS, response="suppliers:SupplierView")
def supplier_detail(ctx: RequestContext, uscc: str) -> dict[str, Any]:
    supplier = stores().suppliers.get(_uscc(uscc))
    if supplier is None:
        raise NotFound(f"供应商 {uscc} 不存在", code="SUPPLIER_NOT_FOUND")
    view = _view(supplier)
    urls = {d.doc_id: download_url(d.key, d.file_name) for d in supplier.documents}
    view["documents"] = [{**d, "download_url": urls[d["doc_id"]]} for d in view["documents"]]
    view["history"] = _history(ctx, supplier.uscc)
    return view


def _history(ctx: RequestContext, uscc: str) -> list[dict[str, Any]]:
    """The province's log of the supplier, and the sites' own trading suspensions: the caller's site for a city
    user, every site for a province-wide one (province-wide sanctions are copied into site logs: not twice)."""
    audit = stores().audit
    history = audit.entity_history(PROVINCE_SCOPE, suppliers.ENTITY_SUPPLIER, uscc)
    sites = [s.id for s in stores().sites.list_sites()] if ctx.user.is_province_wide else [ctx.user.tenant]
    for site_id in sites:
        events = audit.entity_history(site_id, suppliers.ENTITY_SUPPLIER, uscc)
        history += [e for e in events if str(e.get("action", "")).startswith("supplier.site_")]
    return [labels.described(e) for e in sorted(history, key=lambda e: e["at"], reverse=True)]


def _decide(ctx: RequestContext, uscc: str, action: str) -> dict[str, Any]:
    from chalicelib.schemas.suppliers import ReasonBody, ReviewBody, SanctionBody

    store, who, now = stores().suppliers, ctx.user, ctx.now
    uscc = _uscc(uscc)
    if action == "review":
        review = ctx.body(ReviewBody)
        result = suppliers.review(store, who, uscc, review.decision == "approve", review.reason, now)
    elif action in ("suspend", "expel"):
        sanction = ctx.body(SanctionBody)
        if action == "suspend":
            result = suppliers.suspend(store, stores().timer, who, uscc, sanction.reason, sanction.until, now)
        else:
            result = suppliers.expel(store, who, uscc, sanction.reason, sanction.until, now)
    else:
        result = suppliers.reinstate(store, who, uscc, ctx.body(ReasonBody).reason, now)
    metrics.add_metric(name=f"Supplier{action.title()}", unit="Count", value=1)
    return _view(result)


@api_route(bp, "/suppliers/{uscc}/review", methods=("POST",), roles=REVIEWERS, response="suppliers:SupplierView")
def review_supplier(ctx: RequestContext, uscc: str) -> dict[str, Any]:
    return _decide(ctx, uscc, "review")


@api_route(bp, "/suppliers/{uscc}/suspend", methods=("POST",), roles=REVIEWERS, response="suppliers:SupplierView")
def suspend_supplier(ctx: RequestContext, uscc: str) -> dict[str, Any]:
    return _decide(ctx, uscc, "suspend")


@api_route(bp, "/suppliers/{uscc}/expel", methods=("POST",), roles=REVIEWERS, response="suppliers:SupplierView")
def expel_supplier(ctx: RequestContext, uscc: str) -> dict[str, Any]:
    return _decide(ctx, uscc, "expel")


@api_route(bp, "/suppliers/{uscc}/reinstate", methods=("POST",), roles=REVIEWERS, response="suppliers:SupplierView")
def reinstate_supplier(ctx: RequestContext, uscc: str) -> dict[str, Any]:
    return _decide(ctx, uscc, "reinstate")


def principal_supplier(principal: Principal) -> suppliers.Supplier:
    """The caller's own supplier record (for listing routes)."""
    return suppliers.require_own(principal, stores().suppliers.get(principal.org_id))
