"""Purchase plans: one plan with what orders have committed against it, the buyer's list, and the plan-filing
platform's receipt."""

from __future__ import annotations

from pydantic import Field

from chalicelib.schemas.responses.common import OpenShape
from chalicelib.schemas.responses.orders import BuyerParty


class PlanLine(OpenShape):
    """The one item a plan names when it is bought by quantity (批量采购 and the like); null otherwise."""

    catalog_code: str
    catalog_name: str
    item_name: str
    quantity: int
    unit: str
    unit_price_fen: int
    amount_fen: int


class PlanView(OpenShape):
    """A purchase plan with what orders have committed against it."""

    plan_no: str
    site_id: str
    source: str
    source_label: str
    status: str
    status_label: str
    return_reason: str
    name: str
    business_year: int
    business_month: int
    purchase_method: str
    purchase_method_label: str
    buyer: BuyerParty
    district: str
    district_name: str
    funding_department: str
    planned_date: str
    deadline_date: str
    funds: dict[str, int] = Field(
        description="按资金来源的预算（分）：general_budget 预算内一般预算、government_fund 预算内政府性基金、"
        "state_capital 预算内国有资本运营、fiscal_special 财政专户资金、self_raised 自筹资金"
    )
    budget_fen: int = Field(ge=0, description="预算金额（分）")
    committed_fen: int = Field(description="已被订单、项目占用的金额（分）")
    balance_fen: int = Field(description="可用余额（分）")
    line: PlanLine | None
    budget_category: str | None = Field(description="预算品目编码")
    budget_category_name: str | None
    level2_code: str
    level2_name: str
    ordered_quantity: int
    quantity_left: int | None = Field(description="按数量下达的计划还可订购的数量；不按数量时为 null")
    note: str
    created_at: str
    updated_at: str
    version: int


class PlanReceipt(OpenShape):
    plan_no: str
    site_id: str
    status: str


class PlanPage(OpenShape):
    items: list[PlanView]
    next_cursor: str | None
