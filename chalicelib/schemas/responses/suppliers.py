"""Suppliers: the profile a supplier keeps, the list and queue operators read, registration and credit standing."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from chalicelib.schemas.responses.common import AuditEvent, OpenShape, SupplierRating


class ScaleDeclaration(OpenShape):
    industry: str
    employees: int
    revenue_fen: int
    assets_fen: int


class SupplierContact(OpenShape):
    name: str
    phone: str
    email: str


class SupplierDocument(OpenShape):
    doc_id: str
    kind: str
    file_name: str
    content_type: str
    size: int
    uploaded_at: str
    kind_label: str
    under_review: bool
    download_url: str | None = None


class SiteSuspension(OpenShape):
    site_id: str
    reason: str
    until: str | None
    by: str
    at: str


class SupplierProfile(OpenShape):
    """What a supplier declares of itself; a change to it waits for the centre's review."""

    name: str
    legal_representative: str
    registered_address: str
    home_district: str
    ownership: str
    scale: str
    declaration: ScaleDeclaration
    contact: SupplierContact


class PendingChange(OpenShape):
    profile: SupplierProfile | None
    documents: list[str]
    requested_at: str
    rows: list[dict[str, Any]] = Field(description="变更前后逐项对照")


class SupplierView(SupplierProfile):
    """A supplier: registered once, valid in every site; its documents, its standing in each site, a change waiting
    for review. `history` only on the detail an operator reads."""

    uscc: str
    username: str
    status: str
    status_reason: str
    status_until: str | None
    documents: list[SupplierDocument]
    rating: SupplierRating
    created_at: str
    updated_at: str
    version: int
    site_suspensions: list[SiteSuspension]
    pending_change: PendingChange | None
    home_district_name: str
    status_label: str
    scale_label: str
    ownership_label: str
    history: list[AuditEvent] | None = None


class SupplierPage(OpenShape):
    items: list[SupplierView]
    next_cursor: str | None


class SupplierChangePage(OpenShape):
    items: list[SupplierView]
    next_cursor: str | None


class ScaleThresholds(OpenShape):
    sme_below: dict[str, Any]
    medium: dict[str, Any]
    small: dict[str, Any]


class Industry(OpenShape):
    code: str
    name: str
    metrics: list[str]
    criteria: str
    thresholds: ScaleThresholds


class IndustryList(OpenShape):
    items: list[Industry]


class Registration(OpenShape):
    supplier: SupplierView
    username: str
