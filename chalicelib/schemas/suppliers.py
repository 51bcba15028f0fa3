from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from chalicelib.domain.sme import Scale
from chalicelib.domain.suppliers import DocumentKind, Ownership, SupplierStatus
from chalicelib.validation import QueryParams, StrictBody

MAX_FEN = 10**15  # 1,000 亿元: above any enterprise's declared revenue


class DeclarationBody(StrictBody):
    industry: str = Field(min_length=2, max_length=40)
    employees: int = Field(ge=0, le=10_000_000)
    revenue_fen: int = Field(ge=0, le=MAX_FEN)
    assets_fen: int = Field(ge=0, le=MAX_FEN)


class ContactBody(StrictBody):
    name: str = Field(min_length=1, max_length=30)
    phone: str = Field(min_length=7, max_length=20)
    email: str = Field(min_length=5, max_length=100)


class ProfileBody(StrictBody):
    name: str = Field(min_length=2, max_length=100)
    legal_representative: str = Field(min_length=1, max_length=30)
    registered_address: str = Field(min_length=4, max_length=200)
    home_district: str = Field(min_length=6, max_length=6)
    ownership: Ownership
    scale: Scale
    declaration: DeclarationBody
    contact: ContactBody


class RegisterBody(ProfileBody):
    username: str = Field(min_length=4, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")
    password: str = Field(min_length=10, max_length=128)
    uscc: str = Field(min_length=18, max_length=18)


class UploadBody(StrictBody):
    kind: DocumentKind
    file_name: str = Field(min_length=1, max_length=120)
    content_type: Literal["application/pdf", "image/jpeg", "image/png"]
    size: int = Field(gt=0, le=10 * 1024 * 1024)


class ReviewBody(StrictBody):
    decision: Literal["approve", "reject"]
    reason: str = Field(default="", max_length=500)


class SanctionBody(StrictBody):
    reason: str = Field(min_length=1, max_length=500)
    until: date | None = None


class ReasonBody(StrictBody):
    reason: str = Field(min_length=1, max_length=500)


class SupplierQuery(QueryParams):
    status: SupplierStatus = SupplierStatus.PENDING
    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=2048)


class ChangesQuery(QueryParams):
    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=2048)
