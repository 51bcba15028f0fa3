"""Races: many buyers' requests at once against one plan's balance and one listing's last units.

Every thread reads the plan, the listings and the counters, then waits until
all threads have read, and only then writes: every request passes the checks
on what it read, so only the transaction's conditions stand between the plan
and overspending. moto serialises each request as DynamoDB applies each one
atomically (scheduled/emulation.py).
"""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest

from chalicelib.domain import orders
from chalicelib.domain.clock import china_date, utc_now
from chalicelib.domain.errors import DomainError, RuleViolation
from chalicelib.domain.principals import Principal, Role
from chalicelib.store.models import AuditItem, OrderItem
from chalicelib.store.orders import DynamoOrderStore
from scheduled import demo_market
from tests.api.orders_support import (
    BUREAU,
    COPY_PAPER,
    DELIVERY,
    SITE,
    Ledger,
    add_listing,
    add_plan,
    ledger,
    supplier_code,
)
from tests.conftest import Api, Projection

ATTEMPTS = 50
BUYER = Principal("t-buyer", "liaocheng.buyer", "张敏", Role.BUYER, SITE, BUREAU, "聊城市教育和体育局", "371500")


class ReadTogetherStore(DynamoOrderStore):
    """The app's store; each request waits after its reads until every request has read."""

    def __init__(self, barrier: threading.Barrier) -> None:
        self.barrier = barrier

    def inputs(self, *args: Any, **kwargs: Any) -> orders.OrderInputs:
        found = super().inputs(*args, **kwargs)
        self.barrier.wait(timeout=60)
        return found


def _order(plan_no: str, listing_id: str, quantity: int) -> orders.NewOrder:
    delivery = orders.Delivery(**DELIVERY, expected_date=(china_date(utc_now()) + timedelta(days=3)).isoformat())
    return orders.NewOrder(plan_no, supplier_code("supplier.demo"), ((listing_id, quantity),), delivery, "")


def race(plan_no: str, listing_id: str, quantity: int, refusals: list[DomainError] | None = None) -> Counter[str]:
    """ATTEMPTS orders at once; returns how many succeeded and why the others were refused (kept in `refusals`)."""
    store = ReadTogetherStore(threading.Barrier(ATTEMPTS))
    new = _order(plan_no, listing_id, quantity)

    def attempt(_: int) -> str:
        try:
            orders.place(store, SITE, BUYER, new, utc_now())
        except DomainError as exc:
            if refusals is not None:
                refusals.append(exc)
            return exc.code
        return "placed"

    with ThreadPoolExecutor(max_workers=ATTEMPTS) as pool:
        return Counter(pool.map(attempt, range(ATTEMPTS)))


def race_refusal_at_read_time(plan_no: str, listing_id: str, quantity: int) -> DomainError:
    refusals: list[DomainError] = []
    store = ReadTogetherStore(threading.Barrier(1))
    new = _order(plan_no, listing_id, quantity)
    try:
        orders.place(store, SITE, BUYER, new, utc_now())
    except DomainError as exc:
        refusals.append(exc)
    assert len(refusals) == 1
    return refusals[0]


def partners_of_orders() -> tuple[int, int]:
    """Orders in the table, and order.placed audit events: each order has exactly one."""
    placed = [a for a in AuditItem.scan() if a.data["action"] == "order.placed"]
    return sum(1 for _ in OrderItem.scan()), len(placed)


@pytest.fixture
def supplied(api: Api, aws: dict[str, str]) -> None:
    demo_market.seed_demo_suppliers(None)


def test_fifty_orders_against_a_plan_that_covers_ten(supplied: None, projection: Projection) -> None:
    listing = add_listing("supplier.demo", COPY_PAPER, "得力 A4 复印纸 70g", "DL-7055", 2_500, 1_000)
    plan_no = add_plan(21, budget_fen=10 * 4 * 2_500)  # exactly ten orders of four packs
    before = ledger(plan_no, [listing])
    refusals: list[DomainError] = []
    outcome = race(plan_no, listing, 4, refusals)
    assert outcome == Counter({"placed": 10, "PLAN_BALANCE_INSUFFICIENT": 40}), outcome
    # Every request read a plan with room, so the transaction's condition caught all forty: they answer like the
    # read-time check that refuses the next order (same class, so same status, and the same details).
    late = race_refusal_at_read_time(plan_no, listing, 4)
    assert isinstance(late, RuleViolation) and late.details == {
        "plan_no": plan_no,
        "balance_fen": 0,
        "requested_fen": 10_000,
    }
    assert all(type(r) is RuleViolation and r.details == late.details for r in refusals), refusals[:3]
    after = ledger(plan_no, [listing])
    assert after.committed_fen == 100_000 and after.committed_fen - before.committed_fen == 100_000
    assert after.spent_fen - before.spent_fen == 100_000
    assert after.stock[listing] == before.stock[listing] - 40 and after.sales[listing] == before.sales[listing] + 40
    assert partners_of_orders() == (10, 10)
    assert after.audit_events - before.audit_events == 10
    # The stream carries the ten orders and nothing of the forty refused ones.
    assert _order_inserts(projection) == 10


def test_fifty_buyers_for_the_last_seven_units(supplied: None, projection: Projection) -> None:
    listing = add_listing("supplier.demo", COPY_PAPER, "得力 A4 复印纸 80g", "DL-8055", 3_000, 7)
    plan_no = add_plan(22, budget_fen=1_000_000)
    before: Ledger = ledger(plan_no, [listing])
    outcome = race(plan_no, listing, 1)
    assert outcome == Counter({"placed": 7, "STOCK_INSUFFICIENT": 43}), outcome
    after = ledger(plan_no, [listing])
    assert after.stock[listing] == 0 and after.sales[listing] == 7
    assert after.committed_fen - before.committed_fen == 7 * 3_000
    assert after.spent_fen - before.spent_fen == 7 * 3_000
    assert partners_of_orders() == (7, 7)
    assert _order_inserts(projection) == 7


def _order_inserts(projection: Projection) -> int:
    """Order items the stream announces (moto may repeat an INSERT: count distinct orders)."""
    seen: set[str] = set()
    pump = projection.pump
    original = pump.handler

    def spy(event: dict[str, Any], context: Any) -> Any:
        for record in event.get("Records", []):
            image = record.get("dynamodb", {}).get("NewImage") or {}
            if image.get("kind", {}).get("S") == "order":
                seen.add(image["pk"]["S"])
        return original(event, context)

    pump.handler = spy
    try:
        projection.drain()
    finally:
        pump.handler = original
    return len(seen)
