"""Buyer organisations (采购单位) of a site, managed by its operator."""

from __future__ import annotations

from typing import Any

from chalice.app import Blueprint

from chalicelib.domain import orgs, site_admin
from chalicelib.domain.principals import Role
from chalicelib.http import Reply, RequestContext, api_route
from chalicelib.observability import metrics
from chalicelib.store.idempotency import run_once
from chalicelib.wiring import stores

bp = Blueprint(__name__)

ORG_EDITORS = frozenset({Role.CENTER_ADMIN, Role.PROVINCE_ADMIN})
ORG_READERS = frozenset({Role.CENTER_ADMIN, Role.PROVINCE_ADMIN, Role.FINANCE})


@api_route(bp, "/sites/{site_id}/orgs", methods=("POST",), roles=ORG_EDITORS, response="site:OrgView")
def create_org(ctx: RequestContext, site_id: str) -> Reply:
    from chalicelib.schemas.orgs import NewOrgBody

    body = ctx.body(NewOrgBody)

    def create() -> dict[str, Any]:
        site = site_admin.load_site(stores().sites, site_id)
        new = orgs.NewOrg(**body.model_dump())
        org = orgs.register_org(stores().orgs, site, ctx.user, new, ctx.now, ctx.request_id)
        metrics.add_metric(name="BuyerOrgCreated", unit="Count", value=1)
        return org.to_dict(site)

    result = run_once(
        scope=f"{site_id}#{ctx.user.user_id}#create_org",
        key=ctx.header("idempotency-key") or None,
        body=body.model_dump(mode="json"),
        action=create,
        lambda_context=ctx.lambda_context,
    )
    return Reply(result, status=201)


@api_route(bp, "/sites/{site_id}/orgs", roles=ORG_READERS, response="site:OrgList")
def list_orgs(ctx: RequestContext, site_id: str) -> dict[str, Any]:
    from chalicelib.schemas.orgs import OrgQuery

    query = ctx.query(OrgQuery)
    site = site_admin.load_site(stores().sites, site_id)
    found = orgs.list_orgs(stores().orgs, site, query.district)
    return {"items": [o.to_dict(site) for o in found]}


@api_route(bp, "/sites/{site_id}/orgs/{uscc}/contact", methods=("PUT",), roles=ORG_EDITORS, response="site:OrgView")
def update_org_contact(ctx: RequestContext, site_id: str, uscc: str) -> dict[str, Any]:
    from chalicelib.schemas.orgs import OrgContactBody

    body = ctx.body(OrgContactBody)
    site = site_admin.load_site(stores().sites, site_id)
    org = orgs.update_contact(
        stores().orgs, site, ctx.user, uscc, body.contact_name, body.contact_phone, ctx.now, ctx.request_id
    )
    return org.to_dict(site)
