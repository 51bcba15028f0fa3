"""Compiling a report: the rollups of its span (and of the span a year earlier), every table, every output.

The outputs go to their own prefix first and are entered in the report index
last, so a compilation that fails part-way leaves the previous one current and
says so. Progress is reported at each step for the finance bureau's screen.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import Any, NamedTuple, Protocol

from chalicelib.domain import report_outputs
from chalicelib.domain.clock import to_iso
from chalicelib.domain.principals import PROVINCE_SCOPE
from chalicelib.domain.reports import Market, Period, Scope, build_report, year_before
from chalicelib.domain.sites import DistrictKind, SiteConfig
from chalicelib.domain.stats import Rollup, RollupStore, compose, merge

PROVINCE_NAME = "全省"
Progress = Callable[[int, str], None]


class ReportFiles(Protocol):
    def put(self, key: str, body: bytes, content_type: str) -> None: ...


class ReportIndex(Protocol):
    def put_report_entry(self, scope: str, period: str, entry: Mapping[str, Any]) -> None: ...


class Format(NamedTuple):
    name: str  # json | csv | xlsx | html
    label: str
    extension: str
    mime: str


FORMATS = (
    Format("json", "JSON 数据", "json", report_outputs.JSON_MIME),
    Format("csv", "CSV 表格", "csv", report_outputs.CSV_MIME),
    Format("xlsx", "Excel 报表", "xlsx", report_outputs.XLSX_MIME),
    Format("html", "打印版（HTML）", "html", report_outputs.HTML_MIME),
    Format("pdf", "PDF 报告", "pdf", "application/pdf"),
)
FORMAT_NAMES = frozenset(f.name for f in FORMATS)


def site_scope(site: SiteConfig) -> Scope:
    city_level = next((d.code for d in site.districts if d.kind is DistrictKind.CITY_LEVEL), "")
    return Scope(
        "site",
        site.id,
        site.short_name or site.city_name,
        "全市",
        city_level,
        site.division_code[:4],
        tuple((d.code, d.short_name or d.name) for d in site.districts),
    )


def province_scope(sites: Iterable[SiteConfig]) -> Scope:
    return Scope(
        "province",
        PROVINCE_SCOPE,
        PROVINCE_NAME,
        PROVINCE_NAME,
        "",
        "37",
        tuple((s.id, s.short_name or s.city_name) for s in sites),
    )


def file_name(report: Mapping[str, Any], fmt: Format) -> str:
    return f"{report['scope']['name']}{report['period']['label'].replace(' ', '')}交易数据统计报告.{fmt.extension}"


def _pdf(report: dict[str, Any]) -> bytes:
    from chalicelib.domain.report_pdf import to_pdf  # ReportLab: the reports layer, never the API's path

    return to_pdf(report)


def spans(period: Period, today: date) -> tuple[tuple[str, str], tuple[str, str]]:
    first, last = period.span(today)
    return (first.isoformat(), last.isoformat()), (year_before(first).isoformat(), year_before(last).isoformat())


def _rollup(store: RollupStore, site_id: str, span: tuple[str, str]) -> Rollup:
    return compose(store.pieces(site_id, span[0], span[1]))


def compile_report(
    rollups: RollupStore,
    files: ReportFiles,
    index: ReportIndex,
    scope: Scope,
    period: Period,
    now: datetime,
    today: date,
    market: Market | None,
    progress: Progress = lambda _percent, _step: None,
) -> dict[str, Any]:
    """Compile, write every output, enter it in the index; returns the index entry."""
    current_span, previous_span = spans(period, today)
    progress(10, "读取日汇总")
    if scope.kind == "province":
        sites = [code for code, _name in scope.areas]
        now_by_site = {s: _rollup(rollups, s, current_span) for s in sites}
        before_by_site = {s: _rollup(rollups, s, previous_span) for s in sites}
        current, previous = merge(now_by_site.values()), merge(before_by_site.values())
        by_area = (
            {s: (r.get("t", "n"), r.get("t", "amt")) for s, r in now_by_site.items()},
            {s: (r.get("t", "n"), r.get("t", "amt")) for s, r in before_by_site.items()},
        )
    else:
        current, previous = _rollup(rollups, scope.id, current_span), _rollup(rollups, scope.id, previous_span)
        by_area = None
    progress(40, "汇总各表")
    compiled_at = to_iso(now)
    first, last = period.span(today)
    report = build_report(scope, period, (first, last), current, previous, market, compiled_at, by_area)
    compile_id = f"{now.strftime('%Y%m%dT%H%M%SZ')}-{secrets.token_hex(3)}"
    prefix = f"reports/{scope.id}/{period.text}/{compile_id}"
    report["compile_id"] = compile_id
    renderers: dict[str, Callable[[dict[str, Any]], bytes]] = {
        "json": lambda r: json.dumps(r, ensure_ascii=False, indent=1).encode("utf-8"),
        "csv": report_outputs.to_csv,
        "xlsx": report_outputs.to_xlsx,
        "html": report_outputs.to_html,
        "pdf": _pdf,
    }
    written: dict[str, dict[str, Any]] = {}
    for step, fmt in enumerate(FORMATS):
        progress(50 + step * 10, f"生成{fmt.label}")
        body = renderers[fmt.name](report)
        key = f"{prefix}/report.{fmt.extension}"
        files.put(key, body, fmt.mime)
        written[fmt.name] = {"key": key, "bytes": len(body), "file_name": file_name(report, fmt), "label": fmt.label}
    entry = {
        "scope": scope.id,
        "scope_name": scope.name,
        "period": period.text,
        "period_label": period.label,
        "kind": period.kind,
        "compile_id": compile_id,
        "compiled_at": compiled_at,
        "first": current_span[0],
        "last": current_span[1],
        "complete": report["period"]["complete"],
        "files": written,
        "totals": {
            "projects": report["totals"]["projects"],
            "amount_fen": report["totals"]["amount_fen"],
            "savings_fen": report["totals"]["savings_fen"],
            "amount_yoy": report["totals"]["amount_yoy"],
        },
    }
    index.put_report_entry(scope.id, period.text, entry)
    progress(100, "已完成")
    return entry
