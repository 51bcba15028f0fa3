"""What the API shows of an aggregate: its own shape, built from the domain object, not from the stored document.

A field added to a view is not a data migration, and a field renamed in
storage (see store/documents.py) does not change the API's contract.
"""

from __future__ import annotations

from typing import Any

from chalicelib.domain.orders import Order


def order_fields(order: Order) -> dict[str, Any]:
    """An order as the API's clients (the web UI, the budget and payment systems) read it."""
    return {
        "order_no": order.order_no,
        "site_id": order.site_id,
        "plan_no": order.plan_no,
        "level2_code": order.level2_code,
        "year": order.year,
        "buyer": {
            "uscc": order.buyer_uscc,
            "name": order.buyer_name,
            "district": order.buyer_district,
            "user": order.buyer_user,
        },
        "supplier": {"uscc": order.supplier_uscc, "name": order.supplier_name},
        "lines": [
            {
                "listing_id": line.listing_id,
                "name": line.name,
                "brand": line.brand,
                "model": line.model,
                "category_id": line.category_id,
                "catalog_code": line.catalog_code,
                "unit_price_fen": line.unit_price_fen,
                "quantity": line.quantity,
                "amount_fen": line.amount_fen,
            }
            for line in order.lines
        ],
        "total_fen": order.total_fen,
        "delivery": order.delivery._asdict(),
        "note": order.note,
        "status": order.status.value,
        "status_label": order.status.label,
        "status_reason": order.status_reason,
        "termination": {**order.termination._asdict(), "status": order.termination.status.value},
        "acceptance_note": order.acceptance_note,
        "payment_voucher": order.payment_voucher,
        "created_at": order.created_at,
        "updated_at": order.updated_at,
        "version": order.version,
        "milestones": dict(order.milestones),
        "method": order.method.value,
        "method_label": order.method.label,
        "mechanism": order.mechanism.value,
        "mechanism_label": order.mechanism.label,
        "source": {"kind": order.source.kind.value, "refs": list(order.source.refs)},
        "source_label": order.source.kind.label,
        "budget_fen": order.budget_fen or order.total_fen,
        # 历史导入: from the old mall; the UI marks it wherever the order shows.
        "imported": order.is_imported,
        "old_order_no": order.imported.old_order_no if order.imported else "",
        "is_goods": order.is_goods,
        "shipment": order.shipment._asdict(),
        "acceptances": [
            {
                "passed": a.passed,
                "result_label": a.result_label,
                "opinion": a.opinion,
                "at": a.at,
                "attachments": [{"doc_id": x.doc_id, "file_name": x.file_name, "size": x.size} for x in a.attachments],
            }
            for a in order.acceptances
        ],
    }
