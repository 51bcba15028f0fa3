from __future__ import annotations

from datetime import date

from pydantic import Field

from chalicelib.domain.plans import PlanMethod, PlanStatus
from chalicelib.validation import QueryParams, StrictBody

MAX_BUDGET_FEN = 10**13


class BuyerBody(StrictBody):
    uscc: str = Field(min_length=18, max_length=18)
    name: str = Field(min_length=2, max_length=100)


class PlanLineBody(StrictBody):
    catalog_code: str = Field(pattern=r"^[ABC](\d{2}){4}$")
    item_name: str = Field(min_length=1, max_length=100)
    quantity: int = Field(gt=0, le=10_000_000)
    unit: str = Field(min_length=1, max_length=10)
    unit_price_fen: int = Field(gt=0, le=MAX_BUDGET_FEN)
    amount_fen: int = Field(gt=0, le=MAX_BUDGET_FEN)


class PushedPlanBody(StrictBody):
    plan_no: str = Field(min_length=20, max_length=20)
    name: str = Field(min_length=2, max_length=200)
    business_year: int = Field(ge=2020, le=2100)
    business_month: int = Field(ge=1, le=12)
    purchase_method: PlanMethod
    division_code: str = Field(pattern=r"^\d{6}$")
    buyer: BuyerBody
    funding_department: str = Field(default="", max_length=60)
    planned_date: date
    deadline_date: date
    funds: dict[str, int] = Field(min_length=1, max_length=5)
    line: PlanLineBody


class SelfBuiltPlanBody(StrictBody):
    name: str = Field(min_length=2, max_length=200)
    business_year: int = Field(ge=2020, le=2100)
    business_month: int = Field(ge=1, le=12)
    purchase_method: PlanMethod
    budget_category: str = Field(pattern=r"^[ABC](\d{2}){4}$")
    amount_fen: int = Field(gt=0, le=MAX_BUDGET_FEN)
    planned_date: date
    note: str = Field(default="", max_length=500)


class ReturnBody(StrictBody):
    reason: str = Field(min_length=1, max_length=500)


class PlanQuery(QueryParams):
    status: PlanStatus | None = None
    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=2048)
