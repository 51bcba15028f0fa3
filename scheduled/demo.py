"""The demo history for `make run`: suppliers and listings, then plans, then orders moving on day by day."""

from __future__ import annotations

from datetime import timedelta

from chalicelib.domain.clock import china_date, utc_now
from scheduled.demo_agreements import seed_demo_agreements
from scheduled.demo_bulletins import seed_demo_bulletins
from scheduled.demo_market import seed_demo_listings, seed_demo_plans, seed_demo_suppliers
from scheduled.demo_pavilions import seed_demo_pavilions
from scheduled.sample_orders import seed_demo_orders, seed_other_sites_orders


def seed_demo(pool_id: str | None) -> dict[str, int]:
    """The demo history, laid out over the last three weeks so that timelines read in order:
    suppliers and listings first, then plans, then orders moving on day by day."""
    start = utc_now() - timedelta(days=21)
    return {
        "suppliers": seed_demo_suppliers(pool_id, start),
        "listings": seed_demo_listings(start),
        "plans": seed_demo_plans(start + timedelta(days=1)),
        "orders": seed_demo_orders(start + timedelta(days=2)) + seed_other_sites_orders(start + timedelta(days=2)),
        "history": seed_demo_history(),
        "bulletins": seed_demo_bulletins(),
        "agreements": seed_demo_agreements(china_date(utc_now())),
        "pavilions": seed_demo_pavilions(),
    }


DEMO_HISTORY_PER_YEAR = 300  # the emulation's FIFO queues slow down with their length: a local run settles in a minute


def seed_demo_history() -> int:
    """聊城's last two years from the old mall (历史导入), through the import itself: the statistics have a
    year-on-year to show. Sample data (scheduled/history_sample.py), imported once (a restart finds it unchanged)."""
    import io
    import tempfile
    from pathlib import Path

    from chalicelib.domain.clock import china_date
    from chalicelib.store.sites import DynamoSiteStore
    from scheduled import history_sample
    from scheduled.history_import import run_import
    from scheduled.progress import ProgressBar

    site = DynamoSiteStore().get("liaocheng")
    if site is None:
        return 0
    year = china_date(utc_now()).year
    rows = [
        *history_sample.purchases(site, DEMO_HISTORY_PER_YEAR, year - 2, seed=2024),
        *history_sample.purchases(site, DEMO_HISTORY_PER_YEAR, year - 1, seed=2025, first_no=100_000),
    ]
    quiet = io.StringIO()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "liaocheng-old-mall.jsonl"
        path.write_text(history_sample.to_jsonl(rows), encoding="utf-8")
        result = run_import(path, site.id, out=quiet, progress=lambda label, n: ProgressBar(label, n, quiet))
    return result.imported
