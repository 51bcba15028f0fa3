from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, model_validator

from chalicelib.domain.orders import MAX_LINES, OrderStatus
from chalicelib.domain.ratings import RatingTarget
from chalicelib.validation import QueryParams, StrictBody

MAX_QUANTITY = 100_000


class OrderLineBody(StrictBody):
    listing_id: str = Field(pattern=r"^[0-9a-f]{32}$")
    quantity: int = Field(gt=0, le=MAX_QUANTITY)


class DeliveryBody(StrictBody):
    address: str = Field(min_length=4, max_length=200)
    contact: str = Field(min_length=2, max_length=30)
    phone: str = Field(pattern=r"^[0-9\-+ ]{7,20}$")
    expected_date: date


class NewOrderBody(StrictBody):
    plan_no: str = Field(pattern=r"^(\d{20}|ZJ\d{18})$")
    supplier_uscc: str = Field(min_length=18, max_length=18)
    lines: list[OrderLineBody] = Field(min_length=1, max_length=MAX_LINES)
    delivery: DeliveryBody
    note: str = Field(default="", max_length=500)


class CheckoutGroupBody(StrictBody):
    supplier_uscc: str = Field(min_length=18, max_length=18)
    plan_no: str | None = Field(default=None, pattern=r"^(\d{20}|ZJ\d{18})$")
    lines: list[OrderLineBody] = Field(min_length=1, max_length=MAX_LINES)


class CheckoutBody(StrictBody):
    """A cart's groups (one per supplier) to be matched to plans and checked before any is placed."""

    groups: list[CheckoutGroupBody] = Field(min_length=1, max_length=10)


class ReasonBody(StrictBody):
    reason: str = Field(min_length=1, max_length=500)


class NoteBody(StrictBody):
    note: str = Field(default="", max_length=500)


class TerminationDecisionBody(StrictBody):
    approve: bool
    decision: str = Field(default="", max_length=500)


class RatingBody(StrictBody):
    target: RatingTarget
    stars: int = Field(ge=1, le=5)
    comment: str = Field(default="", max_length=500)


class FollowupCloseBody(StrictBody):
    note: str = Field(min_length=1, max_length=500)
    reached: bool = True
    satisfaction: Literal["satisfied", "basically", "dissatisfied", ""] = ""


class PaymentNoticeBody(StrictBody):
    """The treasury payment system reports an order paid (国库集中支付)."""

    site_id: str = Field(pattern=r"^[a-z]{2,20}$")
    order_no: str = Field(pattern=r"^YC\d{18}$")
    paid_fen: int = Field(gt=0, le=10**13)
    voucher_no: str = Field(pattern=r"^[A-Za-z0-9\-]{4,40}$")
    paid_on: date


class OrderFilterQuery(QueryParams):
    status: OrderStatus | None = None
    number: str = Field(default="", max_length=20, pattern=r"^[A-Za-z0-9]*$")
    plan_no: str = Field(default="", max_length=30, pattern=r"^[A-Za-z0-9]*$")
    supplier: str = Field(default="", max_length=60)
    first_day: date | None = None
    last_day: date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> OrderFilterQuery:
        if self.first_day and self.last_day and self.first_day > self.last_day:
            raise ValueError("起始日期不能晚于截止日期")
        return self


class OrderQuery(OrderFilterQuery):
    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=2048)


class OrderExportQuery(OrderFilterQuery):
    format: Literal["xlsx", "csv"] = "xlsx"


class FollowupQuery(QueryParams):
    status: Literal["open", "closed"] = "open"
    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=2048)


class ShipBody(StrictBody):
    """Goods: carrier and waybill number; services and works: a delivery note (checked in domain.orders)."""

    carrier: str = Field(default="", max_length=30)
    waybill_no: str = Field(default="", max_length=30)
    delivery_note: str = Field(default="", max_length=500)


class AttachmentUploadBody(StrictBody):
    file_name: str = Field(min_length=1, max_length=120)
    content_type: Literal["application/pdf", "image/jpeg", "image/png"]
    size: int = Field(gt=0, le=10 * 1024 * 1024)


class AcceptBody(StrictBody):
    result: Literal["passed", "failed"]
    opinion: str = Field(min_length=1, max_length=500)
    attachments: list[str] = Field(default_factory=list, max_length=10)  # doc ids of uploaded attachments
