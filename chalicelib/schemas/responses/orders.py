"""Orders: what a buyer, a supplier, the operators and the budget system read of an order, and the lists, exports and
receipts around it."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from chalicelib.schemas.responses.common import Actor, AuditEvent, Delivery, GoodCount, Limits, OpenShape, Upload


class BuyerParty(OpenShape):
    uscc: str = Field(description="统一社会信用代码")
    name: str


class OrderBuyer(BuyerParty):
    user: str | None = Field(None, description="下单的采购人账号")
    district: str | None = Field(None, description="采购单位所在区划代码")


class OrderLineView(OpenShape):
    """A line: a listing of the catalog, or for 定点采购 an item of the designation (item_name, unit)."""

    catalog_code: str = Field(description="政府采购品目分类编码")
    unit_price_fen: int = Field(ge=0, description="单价（分）")
    quantity: int = Field(ge=0)
    amount_fen: int = Field(ge=0, description="金额（分）")
    listing_id: str | None = None
    name: str | None = None
    brand: str | None = None
    model: str | None = None
    category_id: str | None = None
    catalog_name: str | None = None
    item_name: str | None = None
    unit: str | None = None


class Termination(OpenShape):
    status: str
    reason: str
    requested_at: str
    decision: str
    decided_at: str


class OrderSource(OpenShape):
    kind: str = Field(description="订单的来源：直购、竞价、反拍、批量采购、框架协议、定点采购")
    refs: list[str] = Field(description="来源项目的编号")


class Shipment(OpenShape):
    carrier: str
    waybill_no: str
    delivery_note: str


class Acceptance(OpenShape):
    passed: bool
    result_label: str
    opinion: str
    at: str
    attachments: list[dict[str, Any]]


class OrderDocument(OpenShape):
    kind: str
    label: str


class RatingView(OpenShape):
    site_id: str
    order_no: str
    target: str
    target_label: str
    subject: str
    stars: int = Field(ge=1, le=5)
    comment: str
    rated_by: Actor
    at: str


class OrderView(OpenShape):
    """An order as the buyer, the supplier, the operators and the budget system read it."""

    order_no: str = Field(pattern=r"^[A-Z]{2}\d{18}$")
    site_id: str
    plan_no: str
    year: int
    level2_code: str
    level2_name: str
    buyer: OrderBuyer
    supplier: BuyerParty
    lines: list[OrderLineView]
    total_fen: int = Field(ge=0, description="订单金额（分）")
    budget_fen: int = Field(ge=0, description="所用计划的预算金额（分）")
    delivery: Delivery
    note: str
    status: str
    status_label: str = Field(description="状态的中文名称")
    status_reason: str
    termination: Termination | None
    shipment: Shipment | None
    acceptances: list[Acceptance]
    acceptance_note: str
    payment_voucher: str
    milestones: dict[str, str] = Field(description="各状态到达的时间：状态代码 → UTC ISO 8601")
    method: str
    method_label: str
    mechanism: str
    mechanism_label: str
    source: OrderSource
    source_label: str
    is_goods: bool
    imported: bool = Field(description="历史订单（由旧系统导入）")
    old_order_no: str
    created_at: str = Field(description="UTC ISO 8601")
    updated_at: str
    version: int
    actions: list[str] = Field(description="当前用户此刻可做的操作")
    documents: list[OrderDocument] = Field(description="可下载的订单确认单、验收单")


class OrderDetail(OrderView):
    """One order read on its own: with its ratings and its audit trail."""

    ratings: list[RatingView]
    timeline: list[AuditEvent] = Field(description="订单的审计记录")


class PaymentReceipt(OpenShape):
    order_no: str
    status: str
    payment_voucher: str


class CheckoutGroup(OpenShape):
    supplier_uscc: str
    total_fen: int
    quantity: int
    level2_code: str
    plan_no: str | None
    proposed: bool
    blocked: bool
    problems: list[dict[str, Any]]
    plans: list[dict[str, Any]]


class CheckoutForecast(OpenShape):
    groups: list[CheckoutGroup]
    blocked: bool
    limits: Limits


class FollowupView(OpenShape):
    site_id: str
    order_no: str
    target: str
    stars: int
    comment: str
    opened_at: str
    status: str
    buyer_name: str
    supplier_name: str
    note: str
    closed_by: str
    closed_at: str
    reached: bool | None = Field(description="回访是否接通；未回访时为 null")
    satisfaction: str
    target_label: str
    satisfaction_label: str


class FollowupPage(OpenShape):
    items: list[FollowupView]
    next_cursor: str | None


class OrderPage(OpenShape):
    items: list[OrderView]
    next_cursor: str | None


class DocumentUploadTicket(OpenShape):
    doc_id: str
    upload: Upload
    max_bytes: int


class DocumentLink(OpenShape):
    url: str
    file_name: str
    expires_in: int


class RatingFigures(GoodCount):
    label: str
    rate: float | None


class RatingsBySubject(OpenShape):
    supplier: RatingFigures
    mall: RatingFigures
    buyer: RatingFigures


class RatingSummary(OpenShape):
    site_id: str
    ratings: RatingsBySubject
