from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, model_validator

from chalicelib.domain.sites import PurchaseMethod
from chalicelib.validation import QueryParams, StrictBody

# 1 000 亿元 in fen: far above any real limit, low enough to stay exact everywhere.
MAX_FEN = 10**13


class ScheduleFields(StrictBody):
    effective_date: date | None = Field(default=None, description="生效日期（中国时间），空或今天为立即生效")
    expected_version: int | None = Field(default=None, ge=0)


class LimitsBody(ScheduleFields):
    per_order_cap_fen: int = Field(gt=0, le=MAX_FEN)
    per_plan_cap_fen: int = Field(gt=0, le=MAX_FEN)
    annual_category_cap_fen: int = Field(gt=0, le=MAX_FEN)


class MethodsBody(ScheduleFields):
    methods: list[PurchaseMethod] = Field(min_length=1, max_length=len(PurchaseMethod))


class BiddingBody(ScheduleFields):
    """A site's 竞价 / 反拍 rules: every field of domain.sites.BiddingDefaults (ranges checked there, in Chinese)."""

    bidding_min_suppliers: int = Field(ge=0, le=1000)
    bidding_response_hours: int = Field(ge=0, le=10_000)
    winner_confirm_working_days: int = Field(ge=0, le=1000)
    bidding_min_response_minutes: int = Field(ge=0, le=100_000)
    bidding_max_response_hours: int = Field(ge=0, le=10_000)
    bidding_draw_min: int = Field(ge=0, le=1000)
    direct_after_failure: int = Field(ge=0, le=1)
    sme_deduction_bp: int = Field(ge=0, le=10_000)
    auction_minutes: int = Field(ge=0, le=10_000)
    auction_extension_window_minutes: int = Field(ge=0, le=1000)
    auction_extension_minutes: int = Field(ge=0, le=1000)
    auction_min_step_bp: int = Field(ge=0, le=10_000)
    auction_max_step_bp: int = Field(ge=0, le=10_000)
    framework_end_margin_days: int = Field(default=7, ge=0, le=1000)


class AuditFilterQuery(QueryParams):
    actor: str = Field(default="", max_length=64, pattern=r"^[A-Za-z0-9._@-]*$")
    entity_type: str = Field(default="", max_length=32, pattern=r"^[a-z_]*$")
    entity_id: str = Field(default="", max_length=80, pattern=r"^[A-Za-z0-9._#-]*$")
    action: str = Field(default="", max_length=64, pattern=r"^[a-z_.]*$")
    first_day: date | None = None
    last_day: date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> AuditFilterQuery:
        if self.first_day and self.last_day and self.first_day > self.last_day:
            raise ValueError("起始日期不能晚于截止日期")
        return self


class AuditQuery(AuditFilterQuery):
    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=2048)


class AuditExportQuery(AuditFilterQuery):
    format: Literal["xlsx", "csv"] = "xlsx"
