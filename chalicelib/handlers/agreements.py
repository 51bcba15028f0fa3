"""Framework agreements over HTTP: stage 1 pushed by the provincial platform (signed) or entered by the provincial
operator; stage 2 in a site (直接选定 and 顺序轮候 orders, 二次竞价 competitions). Rules in domain.frameworks."""

from __future__ import annotations

import contextlib
import json
import time
from typing import Any

from chalice.app import Blueprint

from chalicelib.domain import competitions as comp
from chalicelib.domain import frameworks as fw
from chalicelib.domain.clock import china_date
from chalicelib.domain.errors import Conflict, NotFound, Unauthenticated
from chalicelib.domain.orders import Delivery
from chalicelib.domain.principals import SYSTEM_ACTOR, Role
from chalicelib.domain.signing import TOLERANCE_SECONDS, verify
from chalicelib.domain.site_admin import load_site
from chalicelib.domain.sites import SiteConfig
from chalicelib.http import Reply, RequestContext, api_route
from chalicelib.observability import logger, metrics
from chalicelib.wiring import stores

bp = Blueprint(__name__)

PROVINCE = frozenset({Role.PROVINCE_ADMIN})
OVERSEERS = frozenset({Role.PROVINCE_ADMIN, Role.CENTER_ADMIN, Role.FINANCE})
READERS = frozenset({Role.BUYER, Role.SUPPLIER, Role.CENTER_ADMIN, Role.FINANCE, Role.PROVINCE_ADMIN})
BUYER = frozenset({Role.BUYER})
ROTATION_TRIES = 5  # another buyer took the turn read: read the counter again and take the next


def _names() -> dict[str, str]:
    from chalicelib.store.reference import catalog_names

    return catalog_names()


def new_agreement(body: Any) -> fw.NewAgreement:
    return fw.NewAgreement(
        number=body.number,
        name=body.name,
        agency=body.agency,
        catalog_codes=tuple(dict.fromkeys(body.catalog_codes)),
        sites=tuple(dict.fromkeys(body.sites)),
        valid_from=body.valid_from.isoformat(),
        valid_to=body.valid_to.isoformat(),
        rules=fw.Rules(tuple(dict.fromkeys(body.rules.methods)), body.rules.min_suppliers),
        members=tuple(
            fw.Member(m.uscc, m.name, m.rank, tuple(fw.Product(**p.model_dump()) for p in m.products))
            for m in body.members
        ),
        documents=tuple(fw.Document(d.title, d.url) for d in body.documents),
    )


def receive_agreement(
    new: fw.NewAgreement, source: str, actor: dict[str, str], now: Any, **kwargs: Any
) -> tuple[Any, bool]:
    from chalicelib.domain import listings
    from chalicelib.store.reference import national_catalog

    registered = set(stores().suppliers.get_many([m.uscc for m in new.members if len(m.uscc) == 18]))
    sites = {s.id for s in stores().sites.list_sites()}
    agreement, created = fw.receive(
        stores().agreements,
        new,
        source,
        actor,
        now,
        catalog=national_catalog(),
        registered=registered,
        sites=sites,
        **kwargs,
    )
    # Caps hold on listings already on sale too: one Query of each shortlisted supplier's listings.
    blocked = 0
    for member in agreement.members:
        found = stores().listings.of_supplier_everywhere(member.uscc)
        for listing, cap in fw.listings_above_caps(agreement, found, china_date(now)):
            with contextlib.suppress(Conflict):  # changed meanwhile: its next edit meets the cap anyway
                blocked += (
                    listings.block_above_cap(stores().listings, listing, agreement.name, cap, actor, now) is not None
                )
    if blocked:
        logger.info("listings above cap delisted", extra={"agreement": agreement.number, "count": blocked})
    return agreement, created


def _agreement(number: str) -> fw.Agreement:
    found = stores().agreements.get(number) if fw.AGREEMENT_NO_PATTERN.match(number) else None
    if found is None:
        raise NotFound("框架协议不存在", code="AGREEMENT_NOT_FOUND")
    return found


def in_force(site_id: str, number: str) -> fw.Agreement:
    found = _agreement(number)
    if not found.serves(site_id):
        raise NotFound("框架协议不存在", code="AGREEMENT_NOT_FOUND")
    return found


def _province_view(a: fw.Agreement, ctx: RequestContext) -> dict[str, Any]:
    return fw.view(a, "", ctx.now, 0, _names())


# ---------------------------------------------------------------- stage 1: the province


@api_route(bp, "/integration/agreements", methods=("POST",), response="procurement:AgreementReceipt")
def push_agreement(ctx: RequestContext) -> Reply:
    """山东省政府采购信息平台 pushes a framework agreement's stage 1 (HMAC-signed like pushed plans)."""
    from chalicelib.schemas.agreements import AgreementBody
    from chalicelib.store.nonces import nonce_used
    from chalicelib.store.secrets import integration_secret

    nonce = ctx.header("x-yuncai-nonce")
    signature = ctx.header("x-yuncai-signature")
    moment = verify(integration_secret(), ctx.header("x-yuncai-timestamp"), nonce, signature, ctx.raw_body, time.time())
    if nonce_used(nonce):
        raise Unauthenticated("请求已处理过（nonce 重复），疑似重放", code="REQUEST_REPLAYED")
    body = ctx.body(AgreementBody)
    agreement, created = receive_agreement(
        new_agreement(body), "integration", SYSTEM_ACTOR, ctx.now, nonce=(nonce, moment + 2 * TOLERANCE_SECONDS)
    )
    metrics.add_metric(name="AgreementPushed", unit="Count", value=1)
    logger.info("agreement pushed", extra={"agreement": agreement.number, "new_agreement": created})
    return Reply(
        {"number": agreement.number, "version": agreement.version, "status": agreement.status.value},
        status=201 if created else 200,
    )


@api_route(bp, "/agreements", roles=OVERSEERS, response="procurement:AgreementList")
def list_all(ctx: RequestContext) -> dict[str, Any]:
    names = _names()
    return {"items": [fw.view(a, "", ctx.now, 0, names) for a in stores().agreements.all()]}


@api_route(bp, "/agreements", methods=("POST",), roles=PROVINCE, response="procurement:AgreementView")
def enter(ctx: RequestContext) -> Reply:
    """The provincial operator enters an agreement stage 1 produced outside the platform's push."""
    from chalicelib.schemas.agreements import AgreementBody

    body = ctx.body(AgreementBody)
    if stores().agreements.get(body.number) is not None:
        raise Conflict(f"框架协议 {body.number} 已存在，请在原协议上修改", code="AGREEMENT_EXISTS")
    agreement, _ = receive_agreement(
        new_agreement(body), "manual", ctx.user.as_actor(), ctx.now, expected_version=0, request_id=ctx.request_id
    )
    return Reply(_province_view(agreement, ctx), status=201)


@api_route(bp, "/agreements/{agreement_no}", roles=OVERSEERS, response="procurement:AgreementView")
def one(ctx: RequestContext, agreement_no: str) -> dict[str, Any]:
    return _province_view(_agreement(agreement_no), ctx)


@api_route(bp, "/agreements/{agreement_no}", methods=("PUT",), roles=PROVINCE, response="procurement:AgreementView")
def revise(ctx: RequestContext, agreement_no: str) -> dict[str, Any]:
    from chalicelib.domain.errors import InvalidInput
    from chalicelib.schemas.agreements import RevisionBody

    body = ctx.body(RevisionBody)
    if body.number != agreement_no:
        raise InvalidInput(
            "协议编号不能修改",
            code="VALIDATION_FAILED",
            details=[{"field": "number", "message": "与地址中的编号不一致"}],
        )
    _agreement(agreement_no)
    agreement, _ = receive_agreement(
        new_agreement(body),
        "manual",
        ctx.user.as_actor(),
        ctx.now,
        expected_version=body.version,
        request_id=ctx.request_id,
    )
    return _province_view(agreement, ctx)


@api_route(
    bp, "/agreements/{agreement_no}/status", methods=("POST",), roles=PROVINCE, response="procurement:AgreementView"
)
def change_status(ctx: RequestContext, agreement_no: str) -> dict[str, Any]:
    from chalicelib.schemas.agreements import StatusBody

    body = ctx.body(StatusBody)
    a = _agreement(agreement_no)
    changed = fw.change_status(stores().agreements, a, body.action, body.reason, ctx.user, ctx.now, ctx.request_id)
    return _province_view(changed, ctx)


@api_route(
    bp,
    "/agreements/{agreement_no}/members/{uscc}/status",
    methods=("POST",),
    roles=PROVINCE,
    response="procurement:AgreementView",
)
def change_member(ctx: RequestContext, agreement_no: str, uscc: str) -> dict[str, Any]:
    from chalicelib.schemas.agreements import MemberStatusBody

    body = ctx.body(MemberStatusBody)
    a = _agreement(agreement_no)
    changed = fw.change_member(
        stores().agreements, a, uscc, body.status, body.reason, ctx.user, ctx.now, ctx.request_id
    )
    return _province_view(changed, ctx)


# ---------------------------------------------------------------- stage 2: a site


@api_route(bp, "/sites/{site_id}/agreements", roles=READERS, response="procurement:SiteAgreementList")
def in_site(ctx: RequestContext, site_id: str) -> dict[str, Any]:
    """The agreements serving the site, each with what stage 2 may do today; suppliers see those they are in."""
    site = load_site(stores().sites, site_id)
    names = _names()
    found = [a for a in stores().agreements.all() if a.serves(site_id)]
    if ctx.user.role is Role.SUPPLIER:
        found = [a for a in found if a.member(ctx.user.org_id) is not None]
    margin = site.bidding.framework_end_margin_days
    return {"items": [fw.view(a, site_id, ctx.now, margin, names) for a in found], "margin_days": margin}


@api_route(bp, "/sites/{site_id}/agreements/{agreement_no}", roles=READERS, response="procurement:AgreementView")
def in_site_one(ctx: RequestContext, site_id: str, agreement_no: str) -> dict[str, Any]:
    site = load_site(stores().sites, site_id)
    a = in_force(site_id, agreement_no)
    if ctx.user.role is Role.SUPPLIER and a.member(ctx.user.org_id) is None:
        raise NotFound("框架协议不存在", code="AGREEMENT_NOT_FOUND")
    turns = stores().agreements.turns(site_id, a.number)
    return fw.view(a, site_id, ctx.now, site.bidding.framework_end_margin_days, _names(), turns)


def _trading(a: fw.Agreement, site_id: str) -> set[str]:
    from chalicelib.handlers.competitions import trading_candidates

    return {c.uscc for c in trading_candidates([m.uscc for m in a.active_members()], site_id)}


def _order(ctx: RequestContext, site: SiteConfig, number: str, body: Any) -> dict[str, Any]:
    from chalicelib.handlers.orders import order_view

    request = fw.AgreementOrder(
        method=fw.Stage2(body.method),
        plan_no=body.plan_no,
        supplier_uscc=body.supplier_uscc,
        product_code=body.product_code,
        catalog_code=body.catalog_code,
        quantity=body.quantity,
        unit_price_fen=body.unit_price_fen,
        delivery=Delivery(
            body.delivery.address, body.delivery.contact, body.delivery.phone, body.delivery.expected_date.isoformat()
        ),
        note=body.note,
    )
    names = _names()
    for attempt in range(ROTATION_TRIES):
        a = in_force(site.id, number)
        rotating = request.method is fw.Stage2.ROTATION
        turns = stores().agreements.turns(site.id, a.number) if rotating else {}
        try:
            order = fw.place_order(
                stores().orders,
                site,
                a,
                ctx.user,
                request,
                ctx.now,
                turns_taken=turns.get(request.catalog_code, 0),
                trading=_trading(a, site.id) if rotating else (),
                names=names,
                request_id=ctx.request_id,
            )
        except Conflict as lost:
            # Another order took this turn (or the agreement changed): read again and take the next one.
            if lost.code not in {"ROTATION_TAKEN", "AGREEMENT_CHANGED"} or attempt == ROTATION_TRIES - 1:
                raise
            continue
        metrics.add_metric(name="AgreementOrderPlaced", unit="Count", value=1)
        return order_view(order, ctx)
    raise AssertionError("unreachable")


@api_route(
    bp, "/sites/{site_id}/agreements/{agreement_no}/orders", methods=("POST",), roles=BUYER, response="orders:OrderView"
)
def place(ctx: RequestContext, site_id: str, agreement_no: str) -> Reply:
    """直接选定 or 顺序轮候: one order under the agreement, paid from one accepted plan."""
    from chalicelib.schemas.agreements import AgreementOrderBody
    from chalicelib.store.idempotency import run_once

    body = ctx.body(AgreementOrderBody)
    site = load_site(stores().sites, site_id)
    result = run_once(
        scope=f"{site_id}#{ctx.user.user_id}#agreement_order",
        key=ctx.header("idempotency-key") or None,
        body=json.loads(body.model_dump_json()) | {"agreement": agreement_no},
        action=lambda: _order(ctx, site, agreement_no, body),
        lambda_context=ctx.lambda_context,
    )
    return Reply(result, status=201)


def framework_scope(site: SiteConfig, a: fw.Agreement, catalog_code: str, now: Any) -> tuple[Any, list[Any]]:
    """二次竞价's invitation: the agreement in force, its active suppliers offering the item who may trade here."""
    fw.require_stage2(a, site.id, fw.Stage2.BIDDING, china_date(now), site.bidding.framework_end_margin_days)
    from chalicelib.handlers.competitions import trading_candidates

    caps = fw.caps_for(a, catalog_code)
    candidates = trading_candidates(list(caps), site.id)
    if not candidates:
        raise Conflict("本协议没有提供该品目、当前可交易的入围供应商", code="NO_QUALIFIED_SUPPLIERS")
    scope = comp.FrameworkScope(a.number, {c.uscc: caps[c.uscc] for c in candidates}, a.rules.min_suppliers)
    return scope, candidates


def mall_category(site: SiteConfig, catalog_code: str) -> str:
    from chalicelib.domain.errors import RuleViolation

    found = next((c.id for c in site.leaf_categories() if c.catalog_code == catalog_code), "")
    if not found:
        raise RuleViolation(
            f"{site.short_name}站点没有品目 {catalog_code} 对应的商城品目，不能发起二次竞价", code="CATEGORY_NOT_FOUND"
        )
    return found


@api_route(
    bp,
    "/sites/{site_id}/agreements/{agreement_no}/competitions",
    methods=("POST",),
    roles=BUYER,
    response="procurement:CompetitionView",
)
def secondary_bidding(ctx: RequestContext, site_id: str, agreement_no: str) -> Reply:
    """二次竞价: a sealed, price-only competition among the agreement's shortlisted suppliers."""
    from chalicelib.handlers.competitions import competition_view
    from chalicelib.schemas.agreements import SecondaryBiddingBody
    from chalicelib.store.idempotency import run_once

    body = ctx.body(SecondaryBiddingBody)

    def create() -> dict[str, Any]:
        site = load_site(stores().sites, site_id)
        a = in_force(site_id, agreement_no)
        scope, candidates = framework_scope(site, a, body.catalog_code, ctx.now)
        plan = stores().plans.get(site_id, body.plan_no)
        d = body.delivery
        new = comp.NewCompetition(
            kind=comp.Kind.BIDDING,
            title=body.title,
            plan_no=body.plan_no,
            category_id=mall_category(site, body.catalog_code),
            spec=body.spec,
            listing_id="",
            quantity=body.quantity,
            unit=body.unit,
            ceiling_fen=body.ceiling_fen,
            delivery=comp.Delivery(d.district, d.address, d.contact, d.phone, d.expected_date.isoformat()),
            end_at=body.end_at,
            starts_at=None,
            custom=False,
            draw_size=0,
            step_bp=0,
        )
        spent = (
            stores().plans.spent(site_id, ctx.user.org_id, china_date(ctx.now).year, plan.level2_code) if plan else 0
        )
        c = comp.launch(
            stores().competitions,
            stores().competition_timer,
            site,
            plan,
            ctx.user,
            new,
            candidates,
            spent,
            ctx.now,
            request_id=ctx.request_id,
            framework=scope,
        )
        metrics.add_metric(name="SecondaryBiddingLaunched", unit="Count", value=1)
        return competition_view(ctx, c)

    result = run_once(
        scope=f"{site_id}#{ctx.user.user_id}#secondary_bidding",
        key=ctx.header("idempotency-key") or None,
        body=json.loads(body.model_dump_json()) | {"agreement": agreement_no},
        action=create,
        lambda_context=ctx.lambda_context,
    )
    return Reply(result, status=201)
