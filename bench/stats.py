"""Statistics at the province's scale: compile time from rollups, and every figure against DuckDB.

    make bench        (or: .venv/bin/python -m bench.stats [--small-only])

Generates completed purchases at the province's 2024 volume (539,787, seed
000 §一; 聊城 66,541 of them, the rest spread over the other city sites) and
at a tenth of it, each on its own moto backend provisioned from infra/. Each
purchase goes through the import's own rules (domain.history: check, then
to_order) and the rollup's (domain.stats: purchase_of_order, contribution);
the day sums are written as the backfill writes them (days, months, the year).
Then the annual report of the province and of 聊城 is compiled from the
rollups (the compile the schedule runs: every table, JSON, CSV, XLSX and HTML
to S3), three times each, and the median compile times of the two volumes
are compared (target ≤ 1.5: a report composes from rollups and never re-reads
purchases). DuckDB recomputes every table from the raw rows (flattened lines
in a CSV, mapped to codes here, not by the app's code), and each figure must
equal the report's to the fen. Last, the 聊城 rows (66,541 at full volume) go
through `import-history` itself into moto, and its time is printed.
The last line is JSON.
"""

from __future__ import annotations

import csv
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
STAGE = "dev"
YEAR = 2024
PROVINCE_2024 = 539_787
LIAOCHENG_2024 = 66_541
LIAOCHENG = "liaocheng"


def _volumes(sites: list[Any], total: int) -> dict[str, int]:
    """聊城 keeps its share of the province (66,541 of 539,787); the other sites share the rest equally."""
    liaocheng = round(total * LIAOCHENG_2024 / PROVINCE_2024)
    others = [s.id for s in sites if s.id != LIAOCHENG]
    share, extra = divmod(total - liaocheng, len(others))
    return {LIAOCHENG: liaocheng, **{s: share + (i < extra) for i, s in enumerate(others)}}


def _rows(site: Any, count: int, seed: int) -> list[dict[str, Any]]:
    from scheduled import history_sample

    return list(history_sample.purchases(site, count, YEAR, seed=seed))


def _roll_up(site: Any, rows: list[dict[str, Any]]) -> dict[str, tuple[dict[str, int], dict[str, str]]]:
    """The app's own rules, row by row, summed per day as the backfill sums them."""
    from datetime import date

    from chalicelib.domain import history, stats
    from chalicelib.handlers.stats_tasks import category_names
    from chalicelib.store.reference import national_catalog

    checked = history.check(
        ((i + 1, r) for i, r in enumerate(rows)), "jsonl", site, national_catalog(), date(YEAR, 12, 31)
    )
    assert not checked.problems, checked.problems[:3]
    days: dict[str, tuple[dict[str, int], dict[str, str]]] = {}
    names: dict[str, str] | None = None
    for purchase in checked.purchases:
        order = history.to_order(site, purchase, "bench")
        names = names or category_names(site, order)
        deal = stats.purchase_of_order(order, names, "", "")
        assert deal is not None
        part = stats.contribution(deal)
        counters, labels = days.setdefault(part.day, ({}, {}))
        for name, value in part.counters.items():
            counters[name] = counters.get(name, 0) + value
        labels.update(part.labels)
    return days


def _flatten(sites: dict[str, Any], rows_by_site: dict[str, list[dict[str, Any]]], path: Path) -> None:
    """Raw rows to one CSV of lines, codes looked up here from the site's own configuration."""
    header = ["site", "order_no", "district", "buyer", "buyer_name", "supplier", "scale", "supplier_district"]
    header += ["method", "mechanism", "budget_fen", "category", "category_name", "root", "amount_fen"]
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(header)
        for site_id, rows in rows_by_site.items():
            site = sites[site_id]
            districts = {d.short_name or d.name: d.code for d in site.districts}
            categories = {c.name: (c.id, c.catalog_code) for c in site.categories}
            for row in rows:
                budget = int(row["budget_yuan"].replace(".", ""))
                order = [site_id, row["order_no"], districts[row["district"]], row["buyer_uscc"], row["buyer_name"]]
                order += [row["supplier_uscc"], row["supplier_scale"], row["supplier_district"]]
                order += [row["method"], row["mechanism"], budget]
                for line in row["lines"]:
                    key, code = categories[line["category"]]
                    amount = int(line["amount_yuan"].replace(".", ""))
                    out.writerow([*order, key, line["category"], code[0], amount])


_TYPES = {
    name: "BIGINT" if name in ("budget_fen", "amount_fen") else "VARCHAR"
    for name in ("site", "order_no", "district", "buyer", "buyer_name", "supplier", "scale", "supplier_district",
                 "method", "mechanism", "budget_fen", "category", "category_name", "root", "amount_fen")
}  # fmt: skip


def _duckdb_figures(path: Path, site: str | None, city_level: str, locality: str) -> dict[str, Any]:
    """Every table of the report, recomputed from the raw lines with SQL (exact integers)."""
    import duckdb

    con = duckdb.connect()
    where = f"WHERE site = '{site}'" if site else ""
    con.sql(f"CREATE TABLE l AS SELECT * FROM read_csv('{path}', header=true, types={_TYPES}) {where}")
    con.sql("CREATE TABLE o AS SELECT order_no, site, any_value(district) district, any_value(buyer) buyer, "
            "any_value(supplier) supplier, any_value(scale) scale, any_value(supplier_district) sd, "
            "any_value(method) method, "
            "any_value(mechanism) mechanism, any_value(budget_fen) budget_fen, sum(amount_fen)::BIGINT amount_fen "
            "FROM l GROUP BY order_no, site")  # fmt: skip

    def rows(sql: str) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in con.sql(sql).fetchall()]

    area = "site" if site is None else "district"
    figures: dict[str, Any] = {
        "totals": rows("SELECT count(*), sum(amount_fen)::BIGINT, sum(budget_fen)::BIGINT FROM o")[0],
        "areas": sorted(rows(f"SELECT {area}, count(*), sum(amount_fen)::BIGINT FROM o GROUP BY 1")),
        "methods": sorted(rows("SELECT method, mechanism, count(*), sum(amount_fen)::BIGINT FROM o GROUP BY 1, 2")),
        "roots": sorted(
            rows("SELECT root, count(DISTINCT order_no || site), sum(amount_fen)::BIGINT FROM l GROUP BY 1")
        ),
        "top_amount": rows("SELECT category_name, count(DISTINCT order_no || site), sum(amount_fen)::BIGINT a FROM l "
                           "GROUP BY category, category_name ORDER BY a DESC, 2 DESC, category_name LIMIT 10"),
        "top_projects": rows("SELECT category_name, count(DISTINCT order_no || site) n, sum(amount_fen)::BIGINT FROM l "
                             "GROUP BY category, category_name ORDER BY n DESC, 3 DESC, category_name LIMIT 10"),
        "top_buyers": rows("SELECT any_value(buyer_name), count(DISTINCT order_no || site), sum(amount_fen)::BIGINT a "
                           "FROM l GROUP BY buyer ORDER BY a DESC, 2 DESC, 1 LIMIT 10"),
        "scales": sorted(rows("SELECT scale, count(DISTINCT supplier), count(*), sum(amount_fen)::BIGINT FROM o "
                              f"WHERE starts_with(sd, '{locality}') GROUP BY 1")),
    }  # fmt: skip
    if city_level:
        figures["city_methods"] = sorted(
            rows(
                "SELECT method, mechanism, count(*), sum(amount_fen)::BIGINT FROM o "
                f"WHERE district = '{city_level}' GROUP BY 1, 2"
            )
        )
    return figures


def _report_figures(report: dict[str, Any]) -> dict[str, Any]:
    t = report["totals"]
    columns = [(c["method"], c["mechanism"]) for c in report["methods"]["columns"]]

    def methods(row: dict[str, Any]) -> list[tuple[Any, ...]]:
        return sorted(
            (m, k, n, a) for (m, k), n, a in zip(columns, row["projects"], row["amount_fen"], strict=True) if n
        )

    figures: dict[str, Any] = {
        "totals": (t["projects"], t["amount_fen"], t["budget_fen"]),
        "areas": sorted((r["code"], r["projects"], r["amount_fen"]) for r in report["areas"]["rows"]),
        "methods": methods(report["methods"]["rows"][0]),
        "roots": sorted(
            (r["root"], r["projects"], r["amount_fen"]) for r in report["categories"]["rows"] if r["projects"]
        ),
        "top_amount": [(r["name"], r["projects"], r["amount_fen"]) for r in report["top_categories_by_amount"]],
        "top_projects": [(r["name"], r["projects"], r["amount_fen"]) for r in report["top_categories_by_projects"]],
        "top_buyers": [(r["name"], r["projects"], r["amount_fen"]) for r in report["top_buyers"]],
        "scales": sorted(
            (r["scale"], r["suppliers"], r["projects"], r["amount_fen"])
            for r in report["scales"]["rows"]
            if r["projects"]
        ),
    }  # fmt: skip
    if len(report["methods"]["rows"]) > 1:
        figures["city_methods"] = methods(report["methods"]["rows"][1])
    return figures


def _compile_times(scopes: list[tuple[Any, Any]]) -> tuple[float, dict[str, dict[str, Any]]]:
    """Median over three compilations of the province's and 聊城's annual reports; the last reports."""
    from datetime import date, datetime

    from chalicelib.domain.report_compiler import compile_report
    from chalicelib.domain.reports import Period
    from chalicelib.store.report_files import S3ReportFiles
    from chalicelib.store.stats import DynamoRollupStore

    rollups, files = DynamoRollupStore(), S3ReportFiles()
    now = datetime(YEAR + 1, 1, 15, 2, tzinfo=UTC)
    times, reports = [], {}
    for _ in range(3):
        started = time.perf_counter()
        for name, scope in scopes:
            reports[name] = compile_report(
                rollups, files, rollups, scope, Period(YEAR), now, date(YEAR + 1, 1, 15), None
            )
        times.append(time.perf_counter() - started)
    return statistics.median(times), reports


def _read_report(entry: dict[str, Any]) -> dict[str, Any]:
    import boto3

    from chalicelib.config import get_settings

    body = boto3.client("s3").get_object(Bucket=get_settings().reports_bucket, Key=entry["files"]["json"]["key"])[
        "Body"
    ]
    report: dict[str, Any] = json.loads(body.read())
    return report


def run_volume(total: int, seed: int, import_liaocheng: bool) -> dict[str, Any]:
    from moto import mock_aws

    from scheduled.emulation import MOTO_CONFIG

    with mock_aws(config=MOTO_CONFIG):  # type: ignore[call-overload,unused-ignore]
        from chalicelib.wiring import reset
        from infra.provision import provision

        os.environ.update(provision(STAGE, dict(os.environ)))
        reset()
        from scheduled.emulation import register_app_handlers

        register_app_handlers(STAGE)  # with the emulation's corrections (a query reads one partition, as DynamoDB)
        from chalicelib.domain.report_compiler import province_scope, site_scope
        from chalicelib.store.sites import DynamoSiteStore
        from chalicelib.store.stats import DynamoRollupStore
        from scheduled import seed as seeding

        seeding.seed_sites()
        sites = {s.id: s for s in DynamoSiteStore().list_sites()}
        volumes = _volumes(list(sites.values()), total)
        started = time.perf_counter()
        rows_by_site = {
            sid: _rows(sites[sid], count, seed + i) for i, (sid, count) in enumerate(sorted(volumes.items()))
        }
        store = DynamoRollupStore()
        for sid, rows in rows_by_site.items():
            store.replace_year(sid, YEAR, _roll_up(sites[sid], rows))
        prepared = time.perf_counter() - started
        compile_s, entries = _compile_times(
            [("province", province_scope(sites.values())), (LIAOCHENG, site_scope(sites[LIAOCHENG]))]
        )
        with tempfile.TemporaryDirectory() as tmp:
            lines = Path(tmp) / "lines.csv"
            _flatten(sites, rows_by_site, lines)
            checks = {
                "province": (
                    _duckdb_figures(lines, None, "", "37"),
                    _report_figures(_read_report(entries["province"])),
                ),
                LIAOCHENG: (
                    _duckdb_figures(lines, LIAOCHENG, site_scope(sites[LIAOCHENG]).city_level, "3715"),
                    _report_figures(_read_report(entries[LIAOCHENG])),
                ),
            }
            unequal = [
                f"{scope}.{table}"
                for scope, (sql, ours) in checks.items()
                for table in sql
                if sql[table] != ours.get(table)
            ]
            for name in unequal:
                scope, table = name.split(".")
                print(f"{name}: duckdb {checks[scope][0][table]} report {checks[scope][1].get(table)}", file=sys.stderr)
            import_s = None
            if import_liaocheng:
                import_s = _time_import(rows_by_site[LIAOCHENG], Path(tmp))
        return {
            "orders": sum(volumes.values()),
            "prepare_s": round(prepared, 1),
            "compile_s": compile_s,
            "unequal": unequal,
            "import_s": import_s,
            "liaocheng": volumes[LIAOCHENG],
        }


def _time_import(rows: list[dict[str, Any]], tmp: Path) -> float:
    import io

    from scheduled import history_sample
    from scheduled.history_import import run_import
    from scheduled.progress import ProgressBar

    path = tmp / "liaocheng-2024.jsonl"
    path.write_text(history_sample.to_jsonl(rows), encoding="utf-8")
    started = time.perf_counter()
    result = run_import(
        path, LIAOCHENG, out=io.StringIO(), progress=lambda label, n: ProgressBar(label, n, io.StringIO())
    )
    elapsed = time.perf_counter() - started
    assert result.imported == len(rows), result
    return round(elapsed, 1)


def main(argv: list[str] | None = None) -> int:
    sys.path.insert(0, str(ROOT))
    from bench.stage import moto_stage_environment

    moto_stage_environment(STAGE, log_level="ERROR")
    small_only = "--small-only" in (argv if argv is not None else sys.argv[1:])
    large_total = PROVINCE_2024 // 10 if small_only else PROVINCE_2024
    small = run_volume(large_total // 10, seed=1, import_liaocheng=False)
    print(f"small: {small}", file=sys.stderr)
    large = run_volume(large_total, seed=2, import_liaocheng=True)
    print(f"large: {large}", file=sys.stderr)
    result = {
        "bench": "stats",
        "orders_large": large["orders"],
        "orders_small": small["orders"],
        "compile_ratio": round(large["compile_s"] / small["compile_s"], 2),
        "compile_s_large": round(large["compile_s"], 3),
        "compile_s_small": round(small["compile_s"], 3),
        "equal_to_duckdb": not large["unequal"] and not small["unequal"],
        "unequal": large["unequal"] + small["unequal"],
        "import_orders": large["liaocheng"],
        "import_s": large["import_s"],
    }
    print(json.dumps(result, ensure_ascii=False))
    return 0 if result["equal_to_duckdb"] else 1


if __name__ == "__main__":
    sys.exit(main())
