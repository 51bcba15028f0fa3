"""What the API answers, for the routes other systems build on (orders, plans, health): pydantic models that the
OpenAPI description publishes as the 2xx schema. Fields may be added without notice (extra fields are allowed);
the ones named here are the contract, and every API test and Schemathesis check the answers against them."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class OpenShape(BaseModel):
    model_config = ConfigDict(extra="allow")


class HealthView(OpenShape):
    status: str = Field(description="ok：服务正常")


class BuyerParty(OpenShape):
    uscc: str = Field(description="统一社会信用代码")
    name: str


class OrderLineView(OpenShape):
    listing_id: str
    name: str
    catalog_code: str = Field(description="政府采购品目分类编码")
    unit_price_fen: int = Field(ge=0, description="单价（分）")
    quantity: int = Field(ge=0)
    amount_fen: int = Field(ge=0, description="金额（分）")


class OrderView(OpenShape):
    """An order as the buyer, the supplier, the operators and the budget system read it."""

    order_no: str = Field(pattern=r"^[A-Z]{2}\d{18}$")
    site_id: str
    plan_no: str
    year: int
    level2_code: str
    buyer: BuyerParty
    supplier: BuyerParty
    lines: list[OrderLineView]
    total_fen: int = Field(ge=0, description="订单金额（分）")
    status: str
    status_label: str = Field(description="状态的中文名称")
    method: str
    method_label: str
    mechanism: str
    mechanism_label: str
    created_at: str = Field(description="UTC ISO 8601")
    updated_at: str
    version: int
    actions: list[str] = Field(description="当前用户此刻可做的操作")


class PlanView(OpenShape):
    """A purchase plan with what orders have committed against it."""

    plan_no: str
    site_id: str
    source: str
    source_label: str
    status: str
    status_label: str
    name: str
    business_year: int
    buyer: BuyerParty
    budget_fen: int = Field(ge=0, description="预算金额（分）")
    committed_fen: int = Field(description="已被订单、项目占用的金额（分）")
    balance_fen: int = Field(description="可用余额（分）")
    level2_code: str
    created_at: str
    version: int
