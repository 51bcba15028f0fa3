"""Shared set-up for the order tests: listings on sale and an accepted plan, written through the app's own stores."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, NamedTuple

from chalicelib.domain.clock import china_date, utc_now
from chalicelib.store.listings import listing_pk
from chalicelib.store.models import AuditItem, CapUsageItem, ListingItem, OrderItem, PlanItem
from chalicelib.store.plans import usage_pk
from scheduled.sample_orders import BUREAU, DELIVERY, SITE, add_listing, add_plan, supplier_code

__all__ = ["BUREAU", "DELIVERY", "SITE", "add_listing", "add_plan", "supplier_code"]

BUREAU_DISTRICT = "371500"
COPY_PAPER = "LC-0107"  # 复印纸, A05040101 (二级品目 A05040000)
PEN = "LC-0101"  # 签字笔, A05040402 (same 二级品目)


class Ledger(NamedTuple):
    """What an order touches, read straight from the tables."""

    committed_fen: int
    spent_fen: int
    stock: dict[str, int]
    sales: dict[str, int]
    orders: int
    audit_events: int


def ledger(plan_no: str, listing_ids: list[str], year: int | None = None) -> Ledger:
    plan = PlanItem.get(f"{SITE}#PLAN#{plan_no}", "PLAN")
    year = year or utc_now().year
    try:
        spent = int(CapUsageItem.get(usage_pk(SITE, BUREAU, year, plan.data["level2_code"]), "CAP").spent_fen or 0)
    except CapUsageItem.DoesNotExist:
        spent = 0
    items = {i.listing_id: i for i in ListingItem.batch_get([(listing_pk(SITE, x), "LISTING") for x in listing_ids])}
    return Ledger(
        committed_fen=int(plan.committed_fen),
        spent_fen=spent,
        stock={x: int(items[x].stock) for x in listing_ids},
        sales={x: int(items[x].sales) for x in listing_ids},
        orders=sum(1 for _ in OrderItem.scan()),
        audit_events=sum(1 for _ in AuditItem.scan()),
    )


def order_body(plan_no: str, supplier: str, lines: list[tuple[str, int]], **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "plan_no": plan_no,
        "supplier_uscc": supplier_code(supplier),
        "lines": [{"listing_id": lid, "quantity": qty} for lid, qty in lines],
        "delivery": {**DELIVERY, "expected_date": (china_date(utc_now()) + timedelta(days=3)).isoformat()},
        "note": "请工作日送货",
    }
    body.update(changes)
    return body
