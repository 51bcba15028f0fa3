from __future__ import annotations

from datetime import datetime

from pydantic import Field

from chalicelib.schemas.orders import DeliveryBody
from chalicelib.validation import StrictBody


class NewBatchBody(StrictBody):
    title: str = Field(min_length=2, max_length=100)
    category_id: str = Field(min_length=1, max_length=40)
    spec: str = Field(min_length=2, max_length=2000)
    unit: str = Field(min_length=1, max_length=10)
    reference_price_fen: int = Field(gt=0, le=10**11)
    min_buyers: int = Field(default=2, ge=1, le=100)
    # Strict JSON: ISO 8601 strings with their zone.
    join_until: datetime = Field(strict=False)
    offer_until: datetime = Field(strict=False)


class JoinBody(StrictBody):
    plan_no: str = Field(pattern=r"^(\d{20}|ZJ\d{18})$")
    quantity: int = Field(gt=0, le=1_000_000)
    delivery: DeliveryBody


class OfferBody(StrictBody):
    # 优惠率 as a percentage text ("12.5"): parsed in the domain, so that "12.345" or "100" get a clear answer.
    rate: str = Field(min_length=1, max_length=10)
