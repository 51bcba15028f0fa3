"""The demo history for `make run`: suppliers and listings, then plans, then orders moving on day by day."""

from __future__ import annotations

from datetime import timedelta

from chalicelib.domain.clock import utc_now
from scheduled.demo_market import seed_demo_listings, seed_demo_plans, seed_demo_suppliers
from scheduled.sample_orders import seed_demo_orders


def seed_demo(pool_id: str | None) -> dict[str, int]:
    """The demo history, laid out over the last three weeks so that timelines read in order:
    suppliers and listings first, then plans, then orders moving on day by day."""
    start = utc_now() - timedelta(days=21)
    return {
        "suppliers": seed_demo_suppliers(pool_id, start),
        "listings": seed_demo_listings(start),
        "plans": seed_demo_plans(start + timedelta(days=1)),
        "orders": seed_demo_orders(start + timedelta(days=2)),
    }
