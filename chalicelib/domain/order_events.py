"""Events for the budget and payment systems (预算管理一体化 / 国库集中支付), published on EventBridge.

The schema is documented in docs/events.md; `SCHEMA_VERSION` changes when a
field changes meaning or goes away (adding a field does not change it).
Events come from the main table's stream, which delivers at least once: each
carries an `event_id` that stays the same on a repeat, for consumers to drop
duplicates.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from chalicelib.domain.money import format_yuan
from chalicelib.domain.order_documents import DocumentKind, document_key, is_due
from chalicelib.domain.orders import Order, OrderStatus

SOURCE = "yuncai.mall"
SCHEMA_VERSION = "1.0"

# The transitions the budget and payment systems act on: acceptance asks for payment,
# settlement closes it, and an order ended early gives its budget back.
_DETAIL_TYPES = {
    OrderStatus.ACCEPTED: "OrderAccepted",
    OrderStatus.SETTLED: "OrderSettled",
    OrderStatus.DECLINED: "OrderBudgetReleased",
    OrderStatus.CANCELLED: "OrderBudgetReleased",
    OrderStatus.TERMINATED: "OrderBudgetReleased",
}


class OutboundEvent(NamedTuple):
    detail_type: str
    detail: dict[str, Any]


def event_for_transition(old: Order | None, new: Order) -> OutboundEvent | None:
    """The event a change of an order calls for, if any (only on entering a status)."""
    if old is not None and old.status is new.status:
        return None
    detail_type = _DETAIL_TYPES.get(new.status)
    if detail_type is None:
        return None
    at = new.milestones.get(new.status.value, new.updated_at)
    detail: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "event_id": f"{new.site_id}:{new.order_no}:{new.status.value}",
        "occurred_at": at,
        "status": new.status.value,
        "site_id": new.site_id,
        "order_no": new.order_no,
        "plan_no": new.plan_no,
        "budget_year": new.year,
        "level2_code": new.level2_code,
        "buyer": {"uscc": new.buyer_uscc, "name": new.buyer_name, "district": new.buyer_district},
        "supplier": {"uscc": new.supplier_uscc, "name": new.supplier_name},
        "amount_fen": new.total_fen,
        "amount_yuan": format_yuan(new.total_fen).replace(",", ""),
        "lines": [
            {
                "catalog_code": line.catalog_code,
                "name": line.name,
                "quantity": line.quantity,
                "unit_price_fen": line.unit_price_fen,
                "amount_fen": line.amount_fen,
            }
            for line in new.lines
        ],
        # 采购方式 and 价格形成方式, as seed 000's report names them; the source is the competition or agreement.
        "method": new.method.value,
        "method_label": new.method.label,
        "mechanism": new.mechanism.value,
        "mechanism_label": new.mechanism.label,
        "source": {"kind": new.source.kind.value, "refs": list(new.source.refs)},
    }
    if new.status is OrderStatus.ACCEPTED:
        detail["acceptance_note"] = new.acceptance_note
    if is_due(new, DocumentKind.ACCEPTANCE):
        detail["acceptance_document_key"] = document_key(new.site_id, new.order_no, DocumentKind.ACCEPTANCE)
    if new.status is OrderStatus.SETTLED:
        detail["payment_voucher"] = new.payment_voucher
    if new.status.releases_budget:
        detail["reason"] = new.status_reason
    return OutboundEvent(detail_type, detail)
