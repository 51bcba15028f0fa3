from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field

from chalicelib.domain.frameworks import MAX_MEMBERS, MAX_PRODUCTS, MemberStatus, Stage2
from chalicelib.schemas.competitions import CompetitionDeliveryBody
from chalicelib.schemas.orders import DeliveryBody
from chalicelib.validation import StrictBody

MAX_CAP_FEN = 10**11  # 10 亿元 per unit: far above anything a mall buys
MAX_QUANTITY = 100_000
CATALOG_CODE = r"^[ABC](\d{2}){4}$"


class ProductBody(StrictBody):
    code: str = Field(min_length=1, max_length=20)
    name: str = Field(min_length=2, max_length=100)
    brand: str = Field(default="", max_length=40)
    model: str = Field(default="", max_length=60)
    catalog_code: str = Field(pattern=CATALOG_CODE)
    unit: str = Field(min_length=1, max_length=10)
    cap_fen: int = Field(gt=0, le=MAX_CAP_FEN)
    spec: str = Field(default="", max_length=500)


class MemberBody(StrictBody):
    uscc: str = Field(min_length=18, max_length=18)
    name: str = Field(min_length=2, max_length=100)
    rank: int = Field(ge=1, le=999)
    products: list[ProductBody] = Field(min_length=1, max_length=MAX_PRODUCTS)


class DocumentBody(StrictBody):
    title: str = Field(min_length=2, max_length=100)
    url: str = Field(min_length=10, max_length=500)


class RulesBody(StrictBody):
    methods: list[Stage2] = Field(min_length=1, max_length=3)
    min_suppliers: int = Field(default=3, ge=1, le=9)


class AgreementBody(StrictBody):
    number: str = Field(min_length=6, max_length=40)
    name: str = Field(min_length=2, max_length=200)
    agency: str = Field(min_length=2, max_length=100)
    catalog_codes: list[str] = Field(min_length=1, max_length=20)
    sites: list[str] = Field(default_factory=list, max_length=20)
    valid_from: date
    valid_to: date
    rules: RulesBody
    members: list[MemberBody] = Field(min_length=1, max_length=MAX_MEMBERS)
    documents: list[DocumentBody] = Field(default_factory=list, max_length=10)


class RevisionBody(AgreementBody):
    version: int = Field(ge=1)


class StatusBody(StrictBody):
    action: Literal["suspend", "resume", "terminate"]
    reason: str = Field(min_length=2, max_length=500)


class MemberStatusBody(StrictBody):
    status: MemberStatus
    reason: str = Field(min_length=2, max_length=500)


class AgreementOrderBody(StrictBody):
    method: Literal["direct_select", "rotation"]
    plan_no: str = Field(pattern=r"^(\d{20}|ZJ\d{18})$")
    supplier_uscc: str = Field(default="", max_length=18)
    product_code: str = Field(default="", max_length=20)
    catalog_code: str = Field(default="", max_length=9)
    quantity: int = Field(gt=0, le=MAX_QUANTITY)
    unit_price_fen: int = Field(default=0, ge=0, le=MAX_CAP_FEN)
    delivery: DeliveryBody
    note: str = Field(default="", max_length=500)


class SecondaryBiddingBody(StrictBody):
    title: str = Field(min_length=2, max_length=100)
    plan_no: str = Field(pattern=r"^(\d{20}|ZJ\d{18})$")
    catalog_code: str = Field(pattern=CATALOG_CODE)
    spec: str = Field(min_length=2, max_length=2000)
    quantity: int = Field(gt=0, le=MAX_QUANTITY)
    unit: str = Field(min_length=1, max_length=10)
    ceiling_fen: int = Field(gt=0, le=10**12)
    delivery: CompetitionDeliveryBody
    end_at: datetime | None = Field(default=None, strict=False)
