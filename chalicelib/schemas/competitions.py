from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field

from chalicelib.domain.competitions import MAX_SPEC, MAX_TECHNICAL, Kind, Status
from chalicelib.validation import QueryParams, StrictBody

MAX_QUANTITY = 100_000
MAX_PRICE_FEN = 10**12


class CompetitionDeliveryBody(StrictBody):
    district: str = Field(min_length=6, max_length=12)
    address: str = Field(min_length=4, max_length=200)
    contact: str = Field(min_length=2, max_length=30)
    phone: str = Field(pattern=r"^[0-9\-+ ]{7,20}$")
    expected_date: date


class NewCompetitionBody(StrictBody):
    kind: Kind
    title: str = Field(min_length=2, max_length=100)
    plan_no: str = Field(pattern=r"^(\d{20}|ZJ\d{18})$")
    category_id: str = Field(min_length=1, max_length=40)
    spec: str = Field(min_length=2, max_length=MAX_SPEC)
    listing_id: str = Field(default="", pattern=r"^([0-9a-f]{32})?$")
    quantity: int = Field(gt=0, le=MAX_QUANTITY)
    unit: str = Field(min_length=1, max_length=10)
    ceiling_fen: int = Field(gt=0, le=MAX_PRICE_FEN)
    delivery: CompetitionDeliveryBody
    # Strict JSON: an ISO 8601 string with its zone, e.g. 2026-12-04T02:00:00.000Z.
    end_at: datetime | None = Field(default=None, strict=False)
    starts_at: datetime | None = Field(default=None, strict=False)
    custom: bool = False
    draw_size: int = Field(default=0, ge=0, le=100)
    step_bp: int = Field(default=0, ge=0, le=1000)


class RelaunchBody(StrictBody):
    end_at: datetime | None = Field(default=None, strict=False)
    starts_at: datetime | None = Field(default=None, strict=False)


class QuoteBody(StrictBody):
    unit_price_fen: int = Field(gt=-MAX_PRICE_FEN, le=MAX_PRICE_FEN)
    technical: str = Field(default="", max_length=MAX_TECHNICAL)


class BidBody(StrictBody):
    unit_price_fen: int = Field(gt=-MAX_PRICE_FEN, le=MAX_PRICE_FEN)


class ReasonBody(StrictBody):
    reason: str = Field(min_length=1, max_length=500)


class FindingBody(StrictBody):
    alias: str = Field(pattern=r"^供应商#\d{1,3}$")
    responsive: bool
    reason: str = Field(default="", max_length=500)


class EvaluationBody(StrictBody):
    findings: list[FindingBody] = Field(min_length=1, max_length=200)


class ReviewBody(StrictBody):
    approve: bool
    reason: str = Field(default="", max_length=500)


class CompetitionQuery(QueryParams):
    status: Status | None = None
    kind: Kind | None = None
    scope: Literal["mine", "site"] | None = None
    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=2000)
