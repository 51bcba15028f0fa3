"""Purchase plans: pushed by the provincial platform (HMAC), or built by a buyer; accepted or returned."""

from __future__ import annotations

import contextlib
import json
import time
from datetime import datetime
from typing import Any

from chalice.app import Blueprint

from chalicelib.domain import orgs, plans
from chalicelib.domain.audit import new_event
from chalicelib.domain.clock import to_iso
from chalicelib.domain.errors import Conflict, Unauthenticated
from chalicelib.domain.principals import SYSTEM_ACTOR, Role
from chalicelib.domain.signing import TOLERANCE_SECONDS, verify
from chalicelib.domain.site_admin import load_site
from chalicelib.domain.sites import SiteConfig
from chalicelib.http import Reply, RequestContext, api_route
from chalicelib.observability import logger, metrics
from chalicelib.store.reference import national_catalog
from chalicelib.store.secrets import integration_secret
from chalicelib.wiring import stores

bp = Blueprint(__name__)

PLAN_READERS = frozenset({Role.BUYER, Role.CENTER_ADMIN, Role.FINANCE, Role.PROVINCE_ADMIN})
BUYER = frozenset({Role.BUYER})


def plan_view(plan: plans.Plan, site: SiteConfig) -> dict[str, Any]:
    view = plans.plan_to_dict(plan)
    district = site.district(plan.district)
    catalog = national_catalog()
    category = catalog.get(plan.budget_category) if plan.budget_category else None
    level2 = catalog.get(plan.level2_code)
    view.update(
        status_label=plan.status.label,
        source_label=plan.source.label,
        purchase_method_label=plan.purchase_method.label,
        district_name=district.name if district else "",
        budget_category_name=category.name if category else None,
        level2_name=level2.name if level2 else "",
        balance_fen=plan.balance_fen,
        ordered_quantity=plan.ordered_quantity,
        quantity_left=plan.quantity_left,
    )
    return view


# ---------------------------------------------------------------- the provincial platform


def _ensure_buyer_org(site: SiteConfig, uscc: str, name: str, district: str, now: datetime) -> None:
    """The platform is the authority on buyer units: register one it names that the site lacks."""
    store = stores().orgs
    if any(o.uscc == uscc for o in store.list(site.id, district)):
        return
    kind = {"1": orgs.OrgKind.AGENCY, "2": orgs.OrgKind.INSTITUTION}.get(uscc[1:2], orgs.OrgKind.ASSOCIATION)
    org = orgs.BuyerOrg(site.id, uscc, name, district, kind, "", "", to_iso(now), "system")
    audit = new_event(
        tenant=site.id,
        entity_type=orgs.ENTITY_ORG,
        entity_id=uscc,
        action="buyer_org.synced",
        summary=f"随采购计划同步采购单位 {name}",
        actor=SYSTEM_ACTOR,
        at=now,
        after=org.to_dict(site),
    )
    with contextlib.suppress(Conflict):  # registered meanwhile
        store.create(org, audit)


@api_route(bp, "/integration/plans", methods=("POST",), response="plans:PlanReceipt")
def push_plan(ctx: RequestContext) -> Reply:
    """山东省政府采购信息平台 pushes a filed plan (HMAC-signed, see docs/api.md)."""
    from chalicelib.schemas.plans import PushedPlanBody

    timestamp = ctx.header("x-yuncai-timestamp")
    nonce = ctx.header("x-yuncai-nonce")
    moment = verify(integration_secret(), timestamp, nonce, ctx.header("x-yuncai-signature"), ctx.raw_body, time.time())
    store = stores().plans
    if store.nonce_used(nonce):
        raise Unauthenticated("请求已处理过（nonce 重复），疑似重放", code="REQUEST_REPLAYED")
    body = ctx.body(PushedPlanBody)
    site = plans.site_for_division(stores().sites.list_sites(), body.division_code)
    new = plans.NewPushedPlan(
        plan_no=body.plan_no,
        name=body.name,
        business_year=body.business_year,
        business_month=body.business_month,
        purchase_method=body.purchase_method,
        division_code=body.division_code,
        buyer_uscc=body.buyer.uscc,
        buyer_name=body.buyer.name,
        funding_department=body.funding_department,
        planned_date=body.planned_date.isoformat(),
        deadline_date=body.deadline_date.isoformat(),
        funds=dict(body.funds),
        line=plans.PlanLine(
            catalog_code=body.line.catalog_code, catalog_name="", **body.line.model_dump(exclude={"catalog_code"})
        ),
    )
    # A nonce is remembered for twice the tolerance: after that the timestamp check refuses a replay anyway.
    plan, created = plans.receive_pushed(
        store, site, new, national_catalog(), ctx.now, (nonce, moment + 2 * TOLERANCE_SECONDS)
    )
    if created:
        _ensure_buyer_org(site, plan.buyer_uscc, plan.buyer_name, plan.district, ctx.now)
        metrics.add_metric(name="PlanPushed", unit="Count", value=1)
    logger.info("plan pushed", extra={"plan_no": plan.plan_no, "site_id": site.id, "new_plan": created})
    return Reply(
        {"plan_no": plan.plan_no, "site_id": site.id, "status": plan.status.value}, status=201 if created else 200
    )


# ---------------------------------------------------------------- buyers and supervisors


@api_route(bp, "/sites/{site_id}/plans", roles=PLAN_READERS, response="plans:PlanPage")
def list_plans(ctx: RequestContext, site_id: str) -> dict[str, Any]:
    from chalicelib.schemas.plans import PlanQuery

    query = ctx.query(PlanQuery)
    site = load_site(stores().sites, site_id)
    store = stores().plans
    if ctx.user.role is Role.BUYER:
        found, cursor = store.list_for_buyer(site_id, ctx.user.org_id, query.status, query.limit, query.cursor)
    else:
        found, cursor = store.list_for_site(site_id, query.status, query.limit, query.cursor)
    return {"items": [plan_view(p, site) for p in found], "next_cursor": cursor}


@api_route(bp, "/sites/{site_id}/plans", methods=("POST",), roles=BUYER, response="plans:PlanView")
def create_plan(ctx: RequestContext, site_id: str) -> Reply:
    from chalicelib.schemas.plans import SelfBuiltPlanBody
    from chalicelib.store.idempotency import run_once

    body = ctx.body(SelfBuiltPlanBody)

    def create() -> dict[str, Any]:
        site = load_site(stores().sites, site_id)
        new = plans.NewSelfBuiltPlan(
            name=body.name,
            business_year=body.business_year,
            business_month=body.business_month,
            purchase_method=body.purchase_method,
            budget_category=body.budget_category,
            amount_fen=body.amount_fen,
            planned_date=body.planned_date.isoformat(),
            note=body.note,
        )
        plan = plans.create_self_built(stores().plans, site, ctx.user, new, national_catalog(), ctx.now)
        metrics.add_metric(name="PlanCreated", unit="Count", value=1)
        return plan_view(plan, site)

    result = run_once(
        scope=f"{site_id}#{ctx.user.user_id}#create_plan",
        key=ctx.header("idempotency-key") or None,
        body=json.loads(body.model_dump_json()),
        action=create,
        lambda_context=ctx.lambda_context,
    )
    return Reply(result, status=201)


@api_route(bp, "/sites/{site_id}/plans/{plan_no}", roles=PLAN_READERS, response="plans:PlanView")
def plan_detail(ctx: RequestContext, site_id: str, plan_no: str) -> dict[str, Any]:
    site = load_site(stores().sites, site_id)
    return plan_view(plans.visible_plan(stores().plans, ctx.user, site_id, plan_no), site)


@api_route(bp, "/sites/{site_id}/plans/{plan_no}/accept", methods=("POST",), roles=BUYER, response="plans:PlanView")
def accept_plan(ctx: RequestContext, site_id: str, plan_no: str) -> dict[str, Any]:
    site = load_site(stores().sites, site_id)
    store = stores().plans
    current = plans.visible_plan(store, ctx.user, site_id, plan_no)
    level2 = national_catalog().get(current.level2_code)
    plan = plans.accept(store, site, ctx.user, plan_no, level2.name if level2 else current.level2_code, ctx.now)
    return plan_view(plan, site)


@api_route(bp, "/sites/{site_id}/plans/{plan_no}/return", methods=("POST",), roles=BUYER, response="plans:PlanView")
def return_plan(ctx: RequestContext, site_id: str, plan_no: str) -> dict[str, Any]:
    from chalicelib.schemas.plans import ReturnBody

    body = ctx.body(ReturnBody)
    site = load_site(stores().sites, site_id)
    return plan_view(plans.return_plan(stores().plans, site_id, ctx.user, plan_no, body.reason, ctx.now), site)
