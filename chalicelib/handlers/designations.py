"""定点采购 over HTTP: the site's centre designates suppliers for services at negotiated rates; buyers order from
them against a plan. Rules in domain.designated."""

from __future__ import annotations

import json
from typing import Any

from chalice.app import Blueprint

from chalicelib.domain import designated
from chalicelib.domain.errors import NotFound
from chalicelib.domain.orders import Delivery
from chalicelib.domain.principals import Role
from chalicelib.domain.site_admin import load_site
from chalicelib.http import Reply, RequestContext, api_route
from chalicelib.observability import metrics
from chalicelib.wiring import stores

bp = Blueprint(__name__)

READERS = frozenset({Role.BUYER, Role.SUPPLIER, Role.CENTER_ADMIN, Role.FINANCE, Role.PROVINCE_ADMIN})
OPERATORS = frozenset({Role.CENTER_ADMIN, Role.PROVINCE_ADMIN})
BUYER = frozenset({Role.BUYER})
BASE = "/sites/{site_id}/designations"


def _names() -> dict[str, str]:
    from chalicelib.store.reference import catalog_names

    return catalog_names()


def _one(site_id: str, designation_id: str) -> designated.Designation:
    found = (
        stores().designations.get(site_id, designation_id)
        if designated.DESIGNATION_ID_PATTERN.match(designation_id)
        else None
    )
    if found is None:
        raise NotFound("定点不存在", code="DESIGNATION_NOT_FOUND")
    return found


@api_route(bp, BASE, roles=READERS, response="procurement:DesignationList")
def list_designations(ctx: RequestContext, site_id: str) -> dict[str, Any]:
    site = load_site(stores().sites, site_id)
    found = stores().designations.for_site(site_id)
    if ctx.user.role is Role.SUPPLIER:
        found = [d for d in found if d.supplier_uscc == ctx.user.org_id]
    names = _names()
    return {"items": [designated.view(d, site, ctx.user, ctx.now, names) for d in found]}


@api_route(bp, BASE, methods=("POST",), roles=OPERATORS, response="procurement:DesignationView")
def designate(ctx: RequestContext, site_id: str) -> Reply:
    from chalicelib.schemas.designations import DesignationBody
    from chalicelib.store.reference import national_catalog

    body = ctx.body(DesignationBody)
    site = load_site(stores().sites, site_id)
    supplier = stores().suppliers.get(body.supplier_uscc)
    name = supplier.profile.name if supplier is not None and supplier.can_trade_in(site_id) else None
    new = designated.NewDesignation(
        body.service,
        body.catalog_code,
        body.supplier_uscc,
        tuple(dict.fromkeys(body.districts)),
        body.valid_from.isoformat(),
        body.valid_to.isoformat(),
        tuple(designated.RateItem(**i.model_dump()) for i in body.items),
    )
    d = designated.designate(stores().designations, site, ctx.user, new, name, national_catalog(), ctx.now)
    return Reply(designated.view(d, site, ctx.user, ctx.now, _names()), status=201)


@api_route(
    bp, BASE + "/{designation_id}/status", methods=("POST",), roles=OPERATORS, response="procurement:DesignationView"
)
def change_status(ctx: RequestContext, site_id: str, designation_id: str) -> dict[str, Any]:
    from chalicelib.schemas.designations import DesignationStatusBody

    body = ctx.body(DesignationStatusBody)
    site = load_site(stores().sites, site_id)
    d = designated.change_status(
        stores().designations, _one(site_id, designation_id), body.action, body.reason, ctx.user, ctx.now
    )
    return designated.view(d, site, ctx.user, ctx.now, _names())


@api_route(bp, BASE + "/{designation_id}/orders", methods=("POST",), roles=BUYER, response="orders:OrderView")
def order(ctx: RequestContext, site_id: str, designation_id: str) -> Reply:
    from chalicelib.handlers.orders import order_view
    from chalicelib.schemas.designations import DesignatedOrderBody
    from chalicelib.store.idempotency import run_once

    body = ctx.body(DesignatedOrderBody)

    def create() -> dict[str, Any]:
        site = load_site(stores().sites, site_id)
        d = _one(site_id, designation_id)
        dl = body.delivery
        request = designated.DesignatedOrder(
            body.plan_no,
            tuple((line.code, line.quantity) for line in body.lines),
            Delivery(dl.address, dl.contact, dl.phone, dl.expected_date.isoformat()),
            body.note,
        )
        placed = designated.place_order(stores().orders, site, d, ctx.user, request, ctx.now, _names(), ctx.request_id)
        metrics.add_metric(name="DesignatedOrderPlaced", unit="Count", value=1)
        return order_view(placed, ctx)

    result = run_once(
        scope=f"{site_id}#{ctx.user.user_id}#designated_order",
        key=ctx.header("idempotency-key") or None,
        body=json.loads(body.model_dump_json()) | {"designation": designation_id},
        action=create,
        lambda_context=ctx.lambda_context,
    )
    return Reply(result, status=201)
