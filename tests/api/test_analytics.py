"""The Parquet export: completed purchases by site and month in S3, read with SQL (DuckDB here, Athena in AWS)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import duckdb

from chalicelib.config import get_settings
from chalicelib.domain.analytics import COLUMNS, PREFIX
from chalicelib.domain.clock import china_date, utc_now
from chalicelib.domain.reports import Period
from scheduled import history_sample
from tests.api.test_statistics import imported, site_config, write
from tests.conftest import ROOT, Projection, invoke

DOCS = ROOT / "docs" / "analytics.md"


def _download(folder: Path) -> int:
    s3 = boto3.client("s3")
    count = 0
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=get_settings().reports_bucket, Prefix=PREFIX):
        for entry in page.get("Contents", []):
            target = folder / entry["Key"]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(s3.get_object(Bucket=get_settings().reports_bucket, Key=entry["Key"])["Body"].read())
            count += 1
    return count


def _queries() -> list[str]:
    """The example queries of docs/analytics.md, as written there (```sql blocks)."""
    text = DOCS.read_text(encoding="utf-8")
    return [block.split("```", 1)[0].strip() for block in text.split("```sql")[1:]]


def test_the_export_is_partitioned_by_site_and_month_and_answers_the_documented_queries(
    aws: dict[str, str], seeded: Any, projection: Projection, tmp_path: Path
) -> None:
    site = site_config()
    year = china_date(utc_now()).year - 1
    rows = list(history_sample.purchases(site, 150, year, seed=41))
    imported(write(tmp_path, "old.jsonl", history_sample.to_jsonl(rows)))
    projection.drain()
    months = [f"{year}-{m:02d}" for m in range(1, 13)]
    counts = invoke(
        "export_purchases",
        {"source": "aws.events", "detail": {"months": [*months, "nonsense"], "sites": ["liaocheng"]}},
    )
    lines = sum(len(r["lines"]) for r in rows)
    assert sum(counts[f"liaocheng/{m}"] for m in months) == lines
    assert _download(tmp_path) == sum(1 for m in months if counts[f"liaocheng/{m}"])

    con = duckdb.connect()
    glob = f"{tmp_path}/{PREFIX}/*/*/*.parquet"
    con.sql(f"CREATE VIEW purchases AS SELECT * FROM read_parquet('{glob}', hive_partitioning = true)")
    described = {r[0] for r in con.sql("DESCRIBE purchases").fetchall()}
    assert described == {*(name for name, _t in COLUMNS), "site", "month"}

    # The documented queries run as written (Athena's dialect and DuckDB's agree on these), and agree with the report.
    first, second, third = _queries()
    by_month = con.sql(first.replace("${year}", str(year))).fetchall()
    assert sum(r[2] for r in by_month) == 150
    amount = sum(int(line["amount_yuan"].replace(".", "")) for r in rows for line in r["lines"])
    assert sum(r[3] for r in by_month) == amount
    from chalicelib.handlers.stats_tasks import compile_one

    entry = compile_one(site, Period(year), utc_now())
    report = json.loads(
        boto3.client("s3")
        .get_object(Bucket=get_settings().reports_bucket, Key=entry["files"]["json"]["key"])["Body"]
        .read()
    )
    assert (report["totals"]["projects"], report["totals"]["amount_fen"]) == (150, amount)
    top = con.sql(second.replace("${year}", str(year))).fetchall()
    assert [(r[0], r[1], r[2]) for r in top] == [
        (c["name"], c["projects"], c["amount_fen"]) for c in report["top_categories_by_amount"]
    ]
    savings = con.sql(third.replace("${year}", str(year))).fetchall()
    assert sum(r[2] for r in savings) == report["totals"]["savings_fen"]


def test_the_glue_table_is_the_export_schema_partitioned_by_site_and_month() -> None:
    resources = json.loads((ROOT / "infra" / "resources.json").read_text(encoding="utf-8"))["Resources"]
    table = resources["PurchasesTable"]["Properties"]["TableInput"]
    glue = {"VARCHAR": "string", "DATE": "date", "BOOLEAN": "boolean", "BIGINT": "bigint", "INTEGER": "int"}
    assert table["StorageDescriptor"]["Columns"] == [{"Name": n, "Type": glue[t]} for n, t in COLUMNS]
    assert [k["Name"] for k in table["PartitionKeys"]] == ["site", "month"]
    sites = sorted(p.stem for p in (ROOT / "chalicelib" / "data" / "tenants").glob("*.toml"))
    assert table["Parameters"]["projection.site.values"].split(",") == sites
    assert resources["AnalyticsWorkGroup"]["Type"] == "AWS::Athena::WorkGroup"
    assert resources["AnalyticsLayer"]["Type"] == "AWS::Serverless::LayerVersion"
