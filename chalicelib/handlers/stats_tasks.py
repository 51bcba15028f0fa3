"""The statistics' asynchronous side, declared once beside its code.

- `stats_rollup`: every change of an order, a rating or a follow-up, behind its own queue, made exact in the daily
  rollups (domain.stats.record: a replay or an older version adds nothing; a late correction subtracts).
- `compile_reports`: hourly, the monthly and annual reports of every month that changed, for each site and the
  province.
- `report_jobs`: a report someone asked to regenerate, with its progress on the job item.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from chalicelib.domain.clock import china_date, utc_now
from chalicelib.domain.reports import Market, Period
from chalicelib.domain.sites import SiteConfig
from chalicelib.lambdas import Change, entry_point, schedule, stream_consumer
from chalicelib.observability import logger, metrics
from chalicelib.wiring import stores

ROLLUP_NEEDS = ("MainTable:read", "StatsTable:write")
COMPILE_NEEDS = ("MainTable:read", "StatsTable:write", "ReportsBucket:put:reports/*")


# ---------------------------------------------------------------- rollups


@stream_consumer(
    "stats_rollup", table="MainTable", kinds=("order", "rating", "followup"), needs=ROLLUP_NEEDS, queued=True
)
def roll_up(change: Change) -> None:
    """One change of a purchase, a rating or a follow-up into the daily rollups, exactly once."""
    from chalicelib.domain import stats

    image = change.new
    if image is None or "data" not in image:
        return  # removed items: purchases are never deleted, and a removal has no version to order it by
    data = json.loads(image["data"]) if isinstance(image["data"], str) else image["data"]
    if change.kind == "order":
        site_id, fact_id, version, contributes = _order_fact(data)
    elif change.kind == "rating":
        site_id, fact_id, version = data["site_id"], f"rating#{data['order_no']}#{data['target']}", 1
        contributes = stats.rating_contribution(data["target"], int(data["stars"]) >= _good_stars(), data["at"])
    else:
        site_id, version = data["site_id"], 2 if data.get("status") == "closed" else 1
        fact_id = f"followup#{data['order_no']}#{data['target']}"
        closed = data.get("status") == "closed"
        reached = closed and bool(data.get("reached"))
        contributes = stats.followup_contribution(
            data["opened_at"], closed, reached, reached and data.get("satisfaction") in ("satisfied", "basically")
        )
    outcome = stats.record(stores().rollups, site_id, fact_id, version, contributes)
    if outcome.reason == "raced":
        raise RuntimeError(f"rollup of {fact_id} lost five races in a row")  # retried from the queue
    metrics.add_metric(name="RollupApplied" if outcome.applied else "RollupSkipped", unit="Count", value=1)
    logger.info("rollup", extra={"fact": fact_id, "version": version, "outcome": outcome.reason})


def _good_stars() -> int:
    from chalicelib.domain.ratings import GOOD_STARS

    return GOOD_STARS


def _order_fact(data: dict[str, Any]) -> tuple[str, str, int, Any]:
    from chalicelib.domain import stats
    from chalicelib.domain.orders import order_from_dict
    from chalicelib.store.documents import fields_of
    from chalicelib.store.sites import cached_site

    order = order_from_dict(fields_of("order", data))
    purchase = deal_of(cached_site(order.site_id), order)
    contributes = stats.contribution(purchase) if purchase else None
    return order.site_id, f"order#{order.order_no}", order.version, contributes


def deal_of(site: SiteConfig, order: Any, suppliers: dict[str, tuple[str, str]] | None = None) -> Any:
    """The deal an order is (domain.stats.purchase_of_order), with the supplier's scale and registered district
    from its profile (an imported purchase carries the old mall's). `suppliers` caches profiles over a run."""
    from chalicelib.domain import stats

    scale, district = "", ""
    if order.imported is None and order.status.value in stats.DEAL_STATUSES:
        found = suppliers.get(order.supplier_uscc) if suppliers is not None else None
        if found is None:
            supplier = stores().suppliers.get(order.supplier_uscc)
            found = (supplier.profile.scale.value, supplier.profile.home_district) if supplier else ("", "")
            if suppliers is not None:
                suppliers[order.supplier_uscc] = found
        scale, district = found
    return stats.purchase_of_order(order, category_names(site, order), scale, district)


def category_names(site: SiteConfig, order: Any) -> dict[str, str]:
    """The site's mall category names, and the national catalog's for codes a line names alone."""
    from chalicelib.store.reference import national_catalog

    names = {c.id: c.name for c in site.categories}
    catalog = national_catalog()
    for line in order.lines:
        if line.catalog_code and line.catalog_code not in names:
            entry = catalog.get(line.catalog_code)
            if entry is not None:
                names[line.catalog_code] = entry.name
    return names


# ---------------------------------------------------------------- compiling


def market_of(sites: list[SiteConfig]) -> Market:
    from chalicelib.store.market import market_figures

    return market_figures([s.id for s in sites])


def compile_one(scope_site: SiteConfig | None, period: Period, now: datetime, progress: Any = None) -> dict[str, Any]:
    """Compile one report: a site's (scope_site) or the province's (None)."""
    from chalicelib.domain import report_compiler

    all_sites = stores().sites.list_sites()
    if scope_site is None:
        scope = report_compiler.province_scope(all_sites)
        market = market_of(all_sites)
    else:
        scope = report_compiler.site_scope(scope_site)
        market = market_of([scope_site])
    return report_compiler.compile_report(
        stores().rollups,
        stores().report_files,
        stores().rollups,
        scope,
        period,
        now,
        china_date(now),
        market,
        progress or (lambda _p, _s: None),
    )


def periods_of(months: list[str]) -> list[Period]:
    """The months that changed and the years they belong to."""
    found: set[Period] = set()
    for month in months:
        year, number = int(month[:4]), int(month[5:7])
        found.update({Period(year, number), Period(year)})
    return sorted(found)


# The compiling functions carry the reports layer (ReportLab for the PDF); nothing else does.
REPORT_LAYERS = ("ReportsLayer",)


@schedule(
    "compile_reports", rate="rate(1 hour)", needs=COMPILE_NEEDS, timeout_s=900, memory_mb=1024, layers=REPORT_LAYERS
)
@entry_point("compile_reports")
def compile_reports(event: Any, context: Any) -> dict[str, int]:
    """Recompile the month and year reports of every month whose rollups changed, for each site and the province.

    A month stays dirty when a compile fails or a change arrives meanwhile, so the next run tries again; the
    previous report stays current until a compile completes."""
    now = utc_now()
    rollups = stores().rollups
    compiled = failed = 0
    province: set[Period] = set()
    for site in stores().sites.list_sites():
        dirty = rollups.dirty_months(site.id)
        if not dirty:
            continue
        ok = True
        for period in periods_of(sorted(dirty)):
            try:
                compile_one(site, period, now)
                compiled += 1
                province.add(period)
            except Exception:
                ok = False
                failed += 1
                logger.exception("report compile failed", extra={"site": site.id, "period": period.text})
        if ok:
            for month, seen in dirty.items():
                rollups.clear_dirty(site.id, month, seen)
    for period in sorted(province):
        try:
            compile_one(None, period, now)
            compiled += 1
        except Exception:
            failed += 1
            logger.exception("report compile failed", extra={"site": "shandong", "period": period.text})
    if failed:
        metrics.add_metric(name="ReportCompileFailed", unit="Count", value=failed)
    return {"compiled": compiled, "failed": failed}


@stream_consumer(
    "report_jobs",
    table="MainTable",
    kinds=("report_job",),
    needs=(*COMPILE_NEEDS, "MainTable:write", "AuditTable:append"),
    queued=True,
    timeout_s=600,
    memory_mb=1024,
    layers=REPORT_LAYERS,
)
def run_report_job(change: Change) -> None:
    """A requested compilation: runs once (the job moves from queued under a condition), progress on the job."""
    from chalicelib.domain import report_jobs

    if change.new is None or change.new.get("status") != report_jobs.JobStatus.QUEUED.value:
        return
    data = json.loads(change.new["data"]) if isinstance(change.new["data"], str) else change.new["data"]
    report_jobs.run(stores().report_jobs, report_jobs.job_from_dict(data), compile_for_job, utc_now)


def compile_for_job(scope: str, period: Period, progress: Any) -> dict[str, Any]:
    from chalicelib.domain.principals import PROVINCE_SCOPE

    site = None if scope == PROVINCE_SCOPE else stores().sites.get(scope)
    if scope != PROVINCE_SCOPE and site is None:
        raise LookupError(f"站点 {scope} 不存在")
    return compile_one(site, period, utc_now(), progress)
