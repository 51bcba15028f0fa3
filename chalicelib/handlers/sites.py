"""City sites: public configuration, and the operator's changes to limits and methods."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from chalice.app import Blueprint

from chalicelib.domain import labels, site_admin
from chalicelib.domain.audit import AuditFilter
from chalicelib.domain.clock import china_date
from chalicelib.domain.errors import NotFound
from chalicelib.domain.principals import Role
from chalicelib.domain.sites import public_view, site_summary
from chalicelib.http import RequestContext, api_route
from chalicelib.observability import metrics
from chalicelib.store.reference import national_catalog
from chalicelib.wiring import stores

if TYPE_CHECKING:
    from chalicelib.schemas.sites import ScheduleFields

bp = Blueprint(__name__)

SITE_EDITORS = frozenset({Role.CENTER_ADMIN, Role.PROVINCE_ADMIN})
SITE_SUPERVISORS = frozenset({Role.CENTER_ADMIN, Role.PROVINCE_ADMIN, Role.FINANCE})


@api_route(bp, "/health", response="common:HealthView")
def health(ctx: RequestContext) -> dict[str, Any]:
    return {"status": "ok"}


@api_route(bp, "/sites", response="site:SiteList")
def list_sites(ctx: RequestContext) -> dict[str, Any]:
    sites = sorted(stores().sites.list_sites(), key=lambda s: s.division_code)
    return {"items": [site_summary(s) for s in sites]}


@api_route(bp, "/sites/{site_id}/config", response="site:SiteConfigView")
def site_config(ctx: RequestContext, site_id: str) -> dict[str, Any]:
    site = site_admin.load_site(stores().sites, site_id)
    return public_view(site, national_catalog())


def _change(
    ctx: RequestContext, site_id: str, kind: site_admin.ChangeKind, body: ScheduleFields, payload: dict[str, Any]
) -> dict[str, Any]:
    request = site_admin.ChangeRequest(
        kind=kind, payload=payload, effective_date=body.effective_date, expected_version=body.expected_version
    )
    result = site_admin.request_change(
        stores().sites, stores().timer, ctx.user, site_id, request, ctx.now, ctx.request_id
    )
    metrics.add_metric(name="SiteConfigChanged" if result["applied"] else "SiteConfigScheduled", unit="Count", value=1)
    return result


@api_route(bp, "/sites/{site_id}/limits", methods=("PUT",), roles=SITE_EDITORS, response="site:SiteChangeAnswer")
def change_limits(ctx: RequestContext, site_id: str) -> dict[str, Any]:
    from chalicelib.schemas.sites import LimitsBody

    body = ctx.body(LimitsBody)
    payload = body.model_dump(include={"per_order_cap_fen", "per_plan_cap_fen", "annual_category_cap_fen"})
    return _change(ctx, site_id, site_admin.ChangeKind.LIMITS, body, payload)


@api_route(bp, "/sites/{site_id}/methods", methods=("PUT",), roles=SITE_EDITORS, response="site:SiteChangeAnswer")
def change_methods(ctx: RequestContext, site_id: str) -> dict[str, Any]:
    from chalicelib.schemas.sites import MethodsBody

    body = ctx.body(MethodsBody)
    return _change(ctx, site_id, site_admin.ChangeKind.METHODS, body, {"methods": [m.value for m in body.methods]})


@api_route(bp, "/sites/{site_id}/bidding", methods=("PUT",), roles=SITE_EDITORS, response="site:SiteChangeAnswer")
def change_bidding(ctx: RequestContext, site_id: str) -> dict[str, Any]:
    from chalicelib.domain.sites import BiddingDefaults
    from chalicelib.schemas.sites import BiddingBody

    body = ctx.body(BiddingBody)
    payload = body.model_dump(include=set(BiddingDefaults._fields))
    return _change(ctx, site_id, site_admin.ChangeKind.BIDDING, body, payload)


@api_route(bp, "/sites/{site_id}/changes", roles=SITE_SUPERVISORS, response="site:SiteChangeList")
def list_changes(ctx: RequestContext, site_id: str) -> dict[str, Any]:
    store = stores().sites
    site_admin.load_site(store, site_id)
    return {"items": [c.to_dict() for c in store.list_changes(site_id)]}


@api_route(
    bp, "/sites/{site_id}/changes/{change_id}", methods=("DELETE",), roles=SITE_EDITORS, response="site:SiteChangeView"
)
def cancel_change(ctx: RequestContext, site_id: str, change_id: str) -> dict[str, Any]:
    if not site_admin.CHANGE_ID_PATTERN.match(change_id):
        raise NotFound("预约修改不存在", code="CHANGE_NOT_FOUND")
    return site_admin.cancel_change(stores().sites, ctx.user, site_id, change_id, ctx.now, ctx.request_id).to_dict()


def _audit_filter(query: Any) -> AuditFilter:
    return AuditFilter(query.actor, query.entity_type, query.entity_id, query.action, query.first_day, query.last_day)


@api_route(bp, "/sites/{site_id}/audit", roles=SITE_SUPERVISORS, response="site:AuditPage")
def site_audit(ctx: RequestContext, site_id: str) -> dict[str, Any]:
    """The site's timeline, newest first, each event with its labels and its changes as readable rows."""
    from chalicelib.schemas.sites import AuditQuery

    query = ctx.query(AuditQuery)
    site_admin.load_site(stores().sites, site_id)
    items, cursor = stores().audit.site_timeline(site_id, query.limit, query.cursor, _audit_filter(query))
    return {"items": [labels.described(e) for e in items], "next_cursor": cursor}


@api_route(bp, "/sites/{site_id}/audit/options", roles=SITE_SUPERVISORS, response="site:AuditOptions")
def audit_options(ctx: RequestContext, site_id: str) -> dict[str, Any]:
    """What the log can be filtered by, with the labels to show."""
    site_admin.load_site(stores().sites, site_id)
    return labels.audit_options()


@api_route(bp, "/sites/{site_id}/audit/export", methods=("POST",), roles=SITE_SUPERVISORS, response="site:ExportFile")
def export_audit(ctx: RequestContext, site_id: str) -> dict[str, Any]:
    """The filtered log (up to EXPORT_MAX_ROWS events, newest first) as XLSX or CSV, by signed link."""
    from chalicelib.domain import sheets
    from chalicelib.schemas.sites import AuditExportQuery
    from chalicelib.store.report_files import S3ReportFiles

    query = ctx.query(AuditExportQuery)
    site = site_admin.load_site(stores().sites, site_id)
    only = _audit_filter(query)
    events, cursor = stores().audit.site_timeline(site_id, 100, None, only)
    while cursor and len(events) < labels.EXPORT_MAX_ROWS:
        more, cursor = stores().audit.site_timeline(site_id, 100, cursor, only)
        events.extend(more)
    rows = [labels.described(e) for e in events[: labels.EXPORT_MAX_ROWS]]
    sheet = labels.audit_sheet(site.short_name, rows, only, ctx.now)
    content_type, extension = sheets.FORMATS[query.format]
    key = f"exports/{site_id}/audit/{uuid.uuid4().hex}.{extension}"
    file_name = f"{site.short_name}审计日志_{china_date(ctx.now):%Y%m%d}.{extension}"
    files = S3ReportFiles()
    files.put(key, sheets.render(sheet, query.format), content_type)
    return {
        "url": files.link(key, file_name),
        "file_name": file_name,
        "rows": len(sheet.rows),
        "truncated": bool(cursor) or len(events) > labels.EXPORT_MAX_ROWS,
    }
