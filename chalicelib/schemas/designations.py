from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from chalicelib.schemas.orders import DeliveryBody
from chalicelib.validation import StrictBody


class RateItemBody(StrictBody):
    code: str = Field(min_length=1, max_length=20)
    name: str = Field(min_length=2, max_length=100)
    unit: str = Field(min_length=1, max_length=10)
    price_fen: int = Field(gt=0, le=10**10)
    note: str = Field(default="", max_length=200)


class DesignationBody(StrictBody):
    service: str = Field(min_length=2, max_length=60)
    catalog_code: str = Field(pattern=r"^[ABC](\d{2}){4}$")
    supplier_uscc: str = Field(min_length=18, max_length=18)
    districts: list[str] = Field(min_length=1, max_length=30)
    valid_from: date
    valid_to: date
    items: list[RateItemBody] = Field(min_length=1, max_length=50)


class DesignationStatusBody(StrictBody):
    action: Literal["suspend", "resume", "terminate"]
    reason: str = Field(min_length=2, max_length=500)


class DesignatedLineBody(StrictBody):
    code: str = Field(min_length=1, max_length=20)
    quantity: int = Field(gt=0, le=100_000)


class DesignatedOrderBody(StrictBody):
    plan_no: str = Field(pattern=r"^(\d{20}|ZJ\d{18})$")
    lines: list[DesignatedLineBody] = Field(min_length=1, max_length=20)
    delivery: DeliveryBody
    note: str = Field(default="", max_length=500)
