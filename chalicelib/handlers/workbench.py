"""工作台: the signed-in user's to-do counts in a site, each linking to its filtered list."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from chalice.app import Blueprint

from chalicelib.domain import workbench
from chalicelib.domain.clock import china_date
from chalicelib.domain.site_admin import load_site
from chalicelib.http import ALL_ROLES, RequestContext, api_route
from chalicelib.wiring import stores

bp = Blueprint(__name__)

EXPIRY_NOTICE_DAYS = 30


@api_route(bp, "/sites/{site_id}/workbench", roles=ALL_ROLES, response="site:Workbench")
def my_workbench(ctx: RequestContext, site_id: str) -> dict[str, Any]:
    from chalicelib.store.workbench import DynamoWorkCounts

    load_site(stores().sites, site_id)
    before = (china_date(ctx.now) + timedelta(days=EXPIRY_NOTICE_DAYS)).isoformat()
    today = china_date(ctx.now).isoformat()
    found = workbench.tiles(DynamoWorkCounts(), site_id, ctx.user, before, today)
    return {"role": ctx.user.role.value, "role_label": ctx.user.role.label, "tiles": [t.to_dict() for t in found]}
