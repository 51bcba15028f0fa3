"""The order events of docs/events.md as JSON Schema (pydantic models), published beside the OpenAPI description.

The events are built by chalicelib.domain.order_events; tests validate what it builds against these models, so
the published schema and the events sent cannot drift apart.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

DETAIL_TYPES = ("OrderAccepted", "OrderSettled", "OrderBudgetReleased")


class Party(BaseModel):
    model_config = ConfigDict(extra="forbid")
    uscc: str = Field(description="统一社会信用代码")
    name: str
    district: str | None = Field(default=None, description="行政区划代码（采购单位）")


class EventLine(BaseModel):
    model_config = ConfigDict(extra="forbid")
    catalog_code: str = Field(description="政府采购品目分类编码")
    name: str
    quantity: int = Field(ge=0)
    unit_price_fen: int = Field(ge=0, description="单价（分）")
    amount_fen: int = Field(ge=0, description="金额（分）")


class EventSource(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: str = Field(
        description="来源：listing 商品、bidding 竞价/反拍、agreement 框架协议、batch 批量采购、designated 定点"
    )
    refs: list[str]


class OrderEventDetail(BaseModel):
    """`detail` of an order event on the bus (source yuncai.mall); `event_id` repeats on a redelivery."""

    model_config = ConfigDict(extra="allow", title="OrderEventDetail")
    schema_version: Literal["1.0"]
    event_id: str = Field(description="站点:订单号:状态，重复投递时相同，按此去重")
    occurred_at: str = Field(description="UTC ISO 8601")
    status: Literal["accepted", "settled", "declined", "cancelled", "terminated"] = Field(description="订单进入的状态")
    site_id: str
    order_no: str = Field(pattern=r"^YC\d{18}$")
    plan_no: str
    budget_year: int
    level2_code: str
    buyer: Party
    supplier: Party
    amount_fen: int = Field(ge=0, description="订单金额（分），以此为准")
    amount_yuan: str = Field(pattern=r"^\d+\.\d{2}$", description="同一金额的元（两位小数）")
    lines: list[EventLine]
    method: str = Field(description="采购方式（年报口径）")
    method_label: str
    mechanism: str = Field(description="价格形成方式")
    mechanism_label: str
    source: EventSource
    acceptance_note: str | None = Field(default=None, description="OrderAccepted：验收意见")
    acceptance_document_key: str | None = Field(default=None, description="验收单在报表桶中的键")
    payment_voucher: str | None = Field(default=None, description="OrderSettled：支付凭证号")
    reason: str | None = Field(default=None, description="OrderBudgetReleased：退回、取消或终止的原因")


def event_schemas() -> dict[str, Any]:
    """JSON Schema of each detail-type's `detail` (all share one shape; the extra fields are optional)."""
    detail = OrderEventDetail.model_json_schema()
    return {
        "bus": "${stack}-orders（输出 OrderEventBusName）",
        "source": "yuncai.mall",
        "detail_types": {
            "OrderAccepted": "采购人已验收：可向供应商付款",
            "OrderSettled": "支付系统已回告付款（已结算）",
            "OrderBudgetReleased": "订单未付款而结束（供应商拒绝、采购人取消或运营方终止），金额已退回采购计划",
        },
        "detail": detail,
    }
