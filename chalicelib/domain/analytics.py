"""Completed purchases flattened to one row per line, for SQL across the province and the years (Athena, DuckDB).

The rollups serve the dashboards; ad-hoc questions ("which buyers bought 台式计算机 above 6,000 元 in 2024?")
need the purchases themselves. Each deal becomes one row per line with the purchase's fields repeated; the
files are partitioned by site and deal month (`site=liaocheng/month=2024-03/`), so a month is rewritten whole
when it changes. Amounts are integer fen; `order_amount_fen` and `order_budget_fen` repeat on every line of a
purchase (take them once per `order_no`).
"""

from __future__ import annotations

from typing import Any

from chalicelib.domain.catalog import ROOT_NAMES
from chalicelib.domain.stats import Purchase

# (name, DuckDB/Athena type): the Parquet schema, in order; the Glue table in infra/resources.json says the same.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("order_no", "VARCHAR"),
    ("deal_date", "DATE"),
    ("district", "VARCHAR"),
    ("buyer_uscc", "VARCHAR"),
    ("buyer_name", "VARCHAR"),
    ("supplier_uscc", "VARCHAR"),
    ("supplier_name", "VARCHAR"),
    ("supplier_scale", "VARCHAR"),
    ("supplier_district", "VARCHAR"),
    ("method", "VARCHAR"),
    ("method_label", "VARCHAR"),
    ("mechanism", "VARCHAR"),
    ("mechanism_label", "VARCHAR"),
    ("imported", "BOOLEAN"),
    ("order_amount_fen", "BIGINT"),
    ("order_budget_fen", "BIGINT"),
    ("line_no", "INTEGER"),
    ("category_key", "VARCHAR"),
    ("category_name", "VARCHAR"),
    ("root", "VARCHAR"),
    ("root_name", "VARCHAR"),
    ("amount_fen", "BIGINT"),
)
PARTITIONS = ("site", "month")
PREFIX = "analytics/purchases"


def partition_key(site_id: str, month: str, part: str = "part-0") -> str:
    return f"{PREFIX}/site={site_id}/month={month}/{part}.parquet"


def rows_of(purchase: Purchase) -> list[dict[str, Any]]:
    common = {
        "order_no": purchase.order_no,
        "deal_date": purchase.deal_date,
        "district": purchase.district,
        "buyer_uscc": purchase.buyer_uscc,
        "buyer_name": purchase.buyer_name,
        "supplier_uscc": purchase.supplier_uscc,
        "supplier_name": purchase.supplier_name,
        "supplier_scale": purchase.supplier_scale,
        "supplier_district": purchase.supplier_district,
        "method": purchase.method.value,
        "method_label": purchase.method.label,
        "mechanism": purchase.mechanism.value,
        "mechanism_label": purchase.mechanism.label,
        "imported": purchase.imported,
        "order_amount_fen": purchase.amount_fen,
        "order_budget_fen": purchase.budget_fen,
    }
    return [
        {
            **common,
            "line_no": i,
            "category_key": line.category_key,
            "category_name": line.category_name,
            "root": line.root,
            "root_name": ROOT_NAMES.get(line.root, line.root),
            "amount_fen": line.amount_fen,
        }
        for i, line in enumerate(purchase.lines, start=1)
    ]
