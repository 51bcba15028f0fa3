"""Finance reports (统计报表): a site's or the province's compiled reports, their downloads, regeneration.

A city's finance bureau and operator see their own site's reports; the provincial operator (and a
province-level finance user) sees every site's and the province's. Downloads are short-lived signed links.
"""

from __future__ import annotations

import json
from typing import Any

from chalice.app import Blueprint

from chalicelib.domain import report_jobs
from chalicelib.domain.clock import china_date
from chalicelib.domain.errors import Forbidden, NotFound
from chalicelib.domain.principals import PROVINCE_SCOPE, Principal, Role
from chalicelib.domain.reports import Period, parse_period
from chalicelib.http import Reply, RequestContext, api_route
from chalicelib.wiring import stores

bp = Blueprint(__name__)

REPORT_READERS = frozenset({Role.FINANCE, Role.CENTER_ADMIN, Role.PROVINCE_ADMIN})
# Finance users are city-bound (their token's tenant is their city): the province's reports are the provincial
# operator's. A province-level finance role would be added here and in auth together.
PROVINCE_READERS = frozenset({Role.PROVINCE_ADMIN})
_JOB_ID_LENGTH = 20


def _site(site_id: str) -> str:
    from chalicelib.domain import site_admin

    return site_admin.load_site(stores().sites, site_id).id


def _province(principal: Principal | None) -> str:
    if principal is None or principal.role is not Role.PROVINCE_ADMIN:
        raise Forbidden("全省报表仅省级用户可以查看", code="FORBIDDEN_TENANT", details={"scope": PROVINCE_SCOPE})
    return PROVINCE_SCOPE


def _period(ctx: RequestContext, text: str) -> Period:
    return parse_period(text, china_date(ctx.now))


def _listing(scope: str) -> dict[str, Any]:
    entries = sorted(
        stores().rollups.report_entries(scope), key=lambda e: (e["period"][:4], len(e["period"]), e["period"])
    )
    return {"scope": scope, "items": list(reversed(entries))}


def _detail(ctx: RequestContext, scope: str, period_text: str) -> dict[str, Any]:
    period = _period(ctx, period_text)
    entry = stores().rollups.report_entry(scope, period.text)
    job = stores().report_jobs.latest(scope, period.text)
    job_view = report_jobs.job_to_dict(job) if job else None
    if entry is None:
        raise NotFound(
            f"{period.label}报表尚未生成，可申请生成",
            code="REPORT_NOT_FOUND",
            details={"period": period.text, "job": job_view},
        )
    files = stores().report_files
    links = {
        name: {
            "url": files.link(f["key"], f["file_name"]),
            "file_name": f["file_name"],
            "label": f["label"],
            "bytes": f["bytes"],
        }
        for name, f in entry["files"].items()
    }
    links["html"]["url"] = files.link(entry["files"]["html"]["key"], entry["files"]["html"]["file_name"], inline=True)
    report = json.loads(_read(entry["files"]["json"]["key"]))
    return {"entry": entry, "report": report, "downloads": links, "job": job_view}


def _read(key: str) -> bytes:
    from chalicelib.config import get_settings
    from chalicelib.store.aws import client

    body: bytes = client("s3").get_object(Bucket=get_settings().reports_bucket, Key=key)["Body"].read()
    return body


def _request(ctx: RequestContext, scope: str, period_text: str) -> Reply:
    period = _period(ctx, period_text)
    assert ctx.principal is not None
    job = report_jobs.request(stores().report_jobs, ctx.principal, scope, period, ctx.now)
    return Reply(report_jobs.job_to_dict(job), status=202)


def _job(scope: str, job_id: str) -> dict[str, Any]:
    if len(job_id) != _JOB_ID_LENGTH or not job_id.isalnum():
        raise NotFound("报表任务不存在", code="REPORT_JOB_NOT_FOUND")
    job = stores().report_jobs.get(scope, job_id)
    if job is None:
        raise NotFound("报表任务不存在", code="REPORT_JOB_NOT_FOUND")
    return report_jobs.job_to_dict(job)


@api_route(bp, "/sites/{site_id}/reports", roles=REPORT_READERS, response="reports:ReportList")
def site_reports(ctx: RequestContext, site_id: str) -> dict[str, Any]:
    return _listing(_site(site_id))


@api_route(bp, "/sites/{site_id}/reports/{period}", roles=REPORT_READERS, response="reports:ReportView")
def site_report(ctx: RequestContext, site_id: str, period: str) -> dict[str, Any]:
    return _detail(ctx, _site(site_id), period)


@api_route(
    bp,
    "/sites/{site_id}/reports/{period}/jobs",
    methods=("POST",),
    roles=REPORT_READERS,
    response="reports:ReportJobView",
)
def request_site_report(ctx: RequestContext, site_id: str, period: str) -> Reply:
    return _request(ctx, _site(site_id), period)


@api_route(
    bp, "/sites/{site_id}/reports/{period}/jobs/{job_id}", roles=REPORT_READERS, response="reports:ReportJobView"
)
def site_report_job(ctx: RequestContext, site_id: str, period: str, job_id: str) -> dict[str, Any]:
    _period(ctx, period)
    return _job(_site(site_id), job_id)


@api_route(bp, "/province/reports", roles=PROVINCE_READERS, response="reports:ReportList")
def province_reports(ctx: RequestContext) -> dict[str, Any]:
    return _listing(_province(ctx.principal))


@api_route(bp, "/province/reports/{period}", roles=PROVINCE_READERS, response="reports:ReportView")
def province_report(ctx: RequestContext, period: str) -> dict[str, Any]:
    return _detail(ctx, _province(ctx.principal), period)


@api_route(
    bp, "/province/reports/{period}/jobs", methods=("POST",), roles=PROVINCE_READERS, response="reports:ReportJobView"
)
def request_province_report(ctx: RequestContext, period: str) -> Reply:
    return _request(ctx, _province(ctx.principal), period)


@api_route(bp, "/province/reports/{period}/jobs/{job_id}", roles=PROVINCE_READERS, response="reports:ReportJobView")
def province_report_job(ctx: RequestContext, period: str, job_id: str) -> dict[str, Any]:
    _period(ctx, period)
    return _job(_province(ctx.principal), job_id)
