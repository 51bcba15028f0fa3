"""The Parquet export for SQL across the province (Athena in AWS, DuckDB here), on a schedule of its own.

It runs with the analytics layer (infra/resources.json `AnalyticsLayer`: DuckDB, which writes the Parquet), so
neither the API's package nor its cold start carries an analytics library.
"""

from __future__ import annotations

import csv
import os
import re
import tempfile
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from chalicelib.domain.clock import china_date, utc_now
from chalicelib.lambdas import entry_point, schedule
from chalicelib.observability import logger
from chalicelib.wiring import stores

LOOKBACK_DAYS = 62  # an order is confirmed (its deal date) at most this long after it was placed


_MONTH = re.compile(r"^(20\d{2})-(0[1-9]|1[0-2])$")


def _months_to_export(today: date, extra: Iterable[Any]) -> list[str]:
    first = today.replace(day=1)
    previous = (first - timedelta(days=1)).strftime("%Y-%m")
    asked = {m for m in extra if isinstance(m, str) and _MONTH.fullmatch(m) and m <= first.strftime("%Y-%m")}
    return sorted({first.strftime("%Y-%m"), previous, *asked})


def month_rows(site: Any, month: str) -> list[dict[str, Any]]:
    """Every deal of the month in the site, one row per line (orders from the site's order index)."""
    from chalicelib.domain import analytics
    from chalicelib.domain.orders import order_from_dict
    from chalicelib.handlers.stats_tasks import deal_of
    from chalicelib.store import keys
    from chalicelib.store.documents import fields_of
    from chalicelib.store.models import OrderItem

    start = date(int(month[:4]), int(month[5:]), 1)
    end = (start + timedelta(days=32)).replace(day=1)
    since = (start - timedelta(days=LOOKBACK_DAYS)).isoformat()
    suppliers: dict[str, tuple[str, str]] = {}
    rows: list[dict[str, Any]] = []
    found = OrderItem.gsi3.query(keys.site_orders(site.id), OrderItem.gsi3sk.between(since, f"{end.isoformat()}~"))
    for item in found:
        if not isinstance(item, OrderItem):
            continue
        order = order_from_dict(fields_of("order", item.data))
        purchase = deal_of(site, order, suppliers)
        if purchase is not None and purchase.deal_date.startswith(month):
            rows.extend(analytics.rows_of(purchase))
    return rows


def write_parquet(rows: list[dict[str, Any]], path: str) -> None:
    """Rows to a Parquet file with DuckDB (from the analytics layer), through a CSV with the exact types."""
    import duckdb

    from chalicelib.domain.analytics import COLUMNS

    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow([name for name, _type in COLUMNS])
        for row in rows:
            writer.writerow([row[name] for name, _type in COLUMNS])
        staged = f.name
    try:
        types = "{" + ", ".join(f"'{name}': '{kind}'" for name, kind in COLUMNS) + "}"
        duckdb.sql(
            f"COPY (SELECT * FROM read_csv('{staged}', header=true, types={types})) "
            f"TO '{path}' (FORMAT parquet, COMPRESSION zstd)"
        )
    finally:
        os.unlink(staged)


def export_month(site: Any, month: str) -> int:
    from chalicelib.config import get_settings
    from chalicelib.domain.analytics import partition_key
    from chalicelib.store.aws import client

    rows = month_rows(site, month)
    key = partition_key(site.id, month)
    s3 = client("s3")
    if not rows:
        s3.delete_object(Bucket=get_settings().reports_bucket, Key=key)  # a month whose deals all left
        return 0
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "part-0.parquet")
        write_parquet(rows, path)
        with open(path, "rb") as body:
            s3.put_object(
                Bucket=get_settings().reports_bucket, Key=key, Body=body, ContentType="application/vnd.apache.parquet"
            )
    return len(rows)


@schedule(
    "export_purchases",
    rate="rate(1 day)",
    needs=("MainTable:read", "ReportsBucket:put:analytics/*", "ReportsBucket:delete:analytics/*"),
    timeout_s=900,
    memory_mb=1024,
    layers=("AnalyticsLayer",),
)
@entry_point("export_purchases")
def export_purchases(event: Any, context: Any) -> dict[str, int]:
    """This month's and last month's deals of every site, rewritten whole; `detail.months` adds others
    (a backfill: `{"months": ["2024-01", …], "sites": ["liaocheng"]}`)."""
    detail = event.get("detail") or {}
    months = _months_to_export(china_date(utc_now()), detail.get("months", []))
    wanted = set(detail.get("sites", []))
    counts: dict[str, int] = {}
    for site in stores().sites.list_sites():
        if wanted and site.id not in wanted:
            continue
        for month in months:
            counts[f"{site.id}/{month}"] = export_month(site, month)
    logger.info("purchases exported", extra={"partitions": len(counts), "rows": sum(counts.values())})
    return counts
