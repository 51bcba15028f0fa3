"""竞价 and 反拍 over HTTP: buyers launch, cancel, check responsiveness and relaunch; invited suppliers quote,
bid and confirm; the site's operator reviews; finance reads. Every rule is in domain.competitions."""

from __future__ import annotations

import json
from typing import Any

from chalice.app import Blueprint

from chalicelib.domain import competitions as comp
from chalicelib.domain.clock import china_date
from chalicelib.domain.errors import Conflict, NotFound, RuleViolation
from chalicelib.domain.principals import Principal, Role
from chalicelib.domain.site_admin import load_site
from chalicelib.domain.sme import is_small_or_micro
from chalicelib.http import Reply, RequestContext, api_route
from chalicelib.observability import metrics
from chalicelib.wiring import stores

bp = Blueprint(__name__)

READERS = frozenset({Role.BUYER, Role.SUPPLIER, Role.CENTER_ADMIN, Role.FINANCE, Role.PROVINCE_ADMIN})
BUYER = frozenset({Role.BUYER})
SUPPLIER = frozenset({Role.SUPPLIER})
OPERATOR = frozenset({Role.CENTER_ADMIN, Role.PROVINCE_ADMIN})
BASE = "/sites/{site_id}/competitions"


def _may_see(user: Principal, c: comp.Competition) -> bool:
    if user.role is Role.BUYER:
        return c.buyer_uscc == user.org_id
    if user.role is Role.SUPPLIER:
        return user.org_id in c.invitation.invited
    return True


def _visible(ctx: RequestContext, site_id: str, competition_id: str) -> comp.Competition:
    found = stores().competitions.get(site_id, competition_id) if comp.competition_id_valid(competition_id) else None
    if found is None or not _may_see(ctx.user, found):
        raise NotFound("项目不存在", code="COMPETITION_NOT_FOUND")
    return found


def competition_view(ctx: RequestContext, c: comp.Competition) -> dict[str, Any]:
    own = None
    if ctx.user.role is Role.SUPPLIER and c.kind is comp.Kind.BIDDING:
        own = stores().competitions.quote_of(c, ctx.user.org_id)
    view = comp.view_for(c, ctx.user, ctx.now, own)
    if c.record_key:
        from chalicelib.store.competitions import record_url

        view["record_url"] = record_url(c.record_key, f"{c.kind.label}项目记录-{c.id}.json")
    return view


def _candidates(site_id: str, category_id: str, district: str) -> list[comp.Candidate]:
    from chalicelib.store.catalog import suppliers_delivering

    return trading_candidates(list(suppliers_delivering(site_id, category_id, district)), site_id)


def trading_candidates(codes: list[str], site_id: str) -> list[comp.Candidate]:
    """Of these suppliers, those that may trade in the site now, as competition candidates."""
    current = {}
    for start in range(0, len(codes), 100):  # BatchGetItem reads at most 100 keys
        current.update(stores().suppliers.get_many(codes[start : start + 100]))
    return [
        comp.Candidate(s.uscc, s.profile.name, is_small_or_micro(s.profile.scale))
        for s in current.values()
        if s.can_trade_in(site_id)
    ]


def _supplier_facts(uscc: str, site_id: str) -> tuple[str, bool, bool]:
    supplier = stores().suppliers.get(uscc)
    if supplier is None:
        return "", False, False
    return supplier.profile.name, is_small_or_micro(supplier.profile.scale), supplier.can_trade_in(site_id)


def _spent(site_id: str, buyer: Principal, level2: str, year: int) -> int:
    return stores().plans.spent(site_id, buyer.org_id, year, level2)


# ---------------------------------------------------------------- buyers


@api_route(bp, BASE, methods=("POST",), roles=BUYER, response="procurement:CompetitionView")
def launch(ctx: RequestContext, site_id: str) -> Reply:
    from chalicelib.schemas.competitions import NewCompetitionBody
    from chalicelib.store.idempotency import run_once

    body = ctx.body(NewCompetitionBody)

    def create() -> dict[str, Any]:
        site = load_site(stores().sites, site_id)
        plan = stores().plans.get(site_id, body.plan_no)
        d = body.delivery
        new = comp.NewCompetition(
            kind=body.kind,
            title=body.title,
            plan_no=body.plan_no,
            category_id=body.category_id,
            spec=body.spec,
            listing_id=body.listing_id,
            quantity=body.quantity,
            unit=body.unit,
            ceiling_fen=body.ceiling_fen,
            delivery=comp.Delivery(d.district, d.address, d.contact, d.phone, d.expected_date.isoformat()),
            end_at=body.end_at,
            starts_at=body.starts_at,
            custom=body.custom,
            draw_size=body.draw_size,
            step_bp=body.step_bp,
        )
        spent = _spent(site_id, ctx.user, plan.level2_code, china_date(ctx.now).year) if plan else 0
        c = comp.launch(
            stores().competitions,
            stores().competition_timer,
            site,
            plan,
            ctx.user,
            new,
            _candidates(site_id, body.category_id, d.district),
            spent,
            ctx.now,
            request_id=ctx.request_id,
        )
        metrics.add_metric(name="CompetitionLaunched", unit="Count", value=1)
        return competition_view(ctx, c)

    result = run_once(
        scope=f"{site_id}#{ctx.user.user_id}#launch_competition",
        key=ctx.header("idempotency-key") or None,
        body=json.loads(body.model_dump_json()),
        action=create,
        lambda_context=ctx.lambda_context,
    )
    return Reply(result, status=201)


@api_route(bp, BASE, roles=READERS, response="procurement:CompetitionPage")
def list_competitions(ctx: RequestContext, site_id: str) -> dict[str, Any]:
    from chalicelib.schemas.competitions import CompetitionQuery

    query = ctx.query(CompetitionQuery)
    store = stores().competitions
    user = ctx.user
    if user.role is Role.BUYER:
        found, cursor = store.for_buyer(site_id, user.org_id, query.status, query.limit, query.cursor)
    elif user.role is Role.SUPPLIER:
        found, cursor = store.invitations(user.org_id, site_id, query.limit, query.cursor)
        if query.status:
            found = [c for c in found if c.status is query.status]
    else:
        found, cursor = store.for_site(site_id, query.status, query.limit, query.cursor)
    if query.kind:
        found = [c for c in found if c.kind is query.kind]
    return {"items": [comp.view_for(c, user, ctx.now) for c in found], "next_cursor": cursor}


@api_route(bp, BASE + "/{competition_id}", roles=READERS, response="procurement:CompetitionView")
def competition_detail(ctx: RequestContext, site_id: str, competition_id: str) -> dict[str, Any]:
    return competition_view(ctx, _visible(ctx, site_id, competition_id))


@api_route(
    bp, BASE + "/{competition_id}/cancel", methods=("POST",), roles=BUYER, response="procurement:CompetitionView"
)
def cancel(ctx: RequestContext, site_id: str, competition_id: str) -> dict[str, Any]:
    from chalicelib.schemas.competitions import ReasonBody

    body = ctx.body(ReasonBody)
    c = _visible(ctx, site_id, competition_id)
    done = comp.cancel(
        stores().competitions, stores().competition_timer, ctx.user, c, body.reason, ctx.now, ctx.request_id
    )
    return competition_view(ctx, done)


@api_route(
    bp, BASE + "/{competition_id}/evaluation", methods=("POST",), roles=BUYER, response="procurement:CompetitionView"
)
def submit_evaluation(ctx: RequestContext, site_id: str, competition_id: str) -> dict[str, Any]:
    from chalicelib.schemas.competitions import EvaluationBody

    body = ctx.body(EvaluationBody)
    c = _visible(ctx, site_id, competition_id)
    findings = [comp.Finding(f.alias, f.responsive, f.reason) for f in body.findings]
    return competition_view(
        ctx, comp.submit_evaluation(stores().competitions, ctx.user, c, findings, ctx.now, ctx.request_id)
    )


@api_route(
    bp, BASE + "/{competition_id}/relaunch", methods=("POST",), roles=BUYER, response="procurement:CompetitionView"
)
def relaunch(ctx: RequestContext, site_id: str, competition_id: str) -> Reply:
    from chalicelib.schemas.competitions import RelaunchBody

    body = ctx.body(RelaunchBody)
    failed = _visible(ctx, site_id, competition_id)
    comp.check_relaunch(failed, ctx.user)
    site = load_site(stores().sites, site_id)
    plan = stores().plans.get(site_id, failed.plan_no)
    new = comp.relaunch_request(failed, body.end_at, body.starts_at)
    spent = _spent(site_id, ctx.user, plan.level2_code, china_date(ctx.now).year) if plan else 0
    framework = None
    if failed.agreement_no:  # 二次竞价 again among the agreement's suppliers, if it still allows stage 2
        from chalicelib.handlers.agreements import framework_scope, in_force

        framework, candidates = framework_scope(
            site, in_force(site_id, failed.agreement_no), failed.item.catalog_code, ctx.now
        )
    else:
        candidates = _candidates(site_id, failed.item.category_id, failed.delivery.district)
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
        relaunch_of=failed,
        framework=framework,
    )
    return Reply(competition_view(ctx, c), status=201)


# ---------------------------------------------------------------- suppliers


@api_route(bp, BASE + "/{competition_id}/quote", methods=("PUT",), roles=SUPPLIER, response="procurement:QuoteReceipt")
def quote(ctx: RequestContext, site_id: str, competition_id: str) -> dict[str, Any]:
    """Submit or revise a sealed 竞价 quote; the answer is the receipt (and the amount, which only the caller knew)."""
    from chalicelib.schemas.competitions import QuoteBody

    body = ctx.body(QuoteBody)
    c = _visible(ctx, site_id, competition_id)
    name, small_micro, trading = _supplier_facts(ctx.user.org_id, site_id)
    previous = stores().competitions.quote_of(c, ctx.user.org_id)
    receipt = comp.submit_quote(
        stores().competitions,
        stores().sealer,
        c,
        ctx.user,
        name,
        small_micro,
        trading,
        previous,
        body.unit_price_fen,
        body.technical,
        ctx.now,
        ctx.request_id,
    )
    metrics.add_metric(name="QuoteSubmitted", unit="Count", value=1)
    return {**receipt._asdict(), "unit_price_fen": body.unit_price_fen}


@api_route(bp, BASE + "/{competition_id}/bids", methods=("POST",), roles=SUPPLIER, response="procurement:QuoteReceipt")
def bid(ctx: RequestContext, site_id: str, competition_id: str) -> Reply:
    from chalicelib.schemas.competitions import BidBody

    body = ctx.body(BidBody)
    store = stores().competitions
    # The hot path of a 反拍 is one transaction: the competition's terms come from this function's memory, and
    # everything that changes (open, the deadline, the best price, whether the supplier may trade) is a condition
    # of the transaction. Refused on a state this function had not seen, it reads afresh and tries once more, so
    # the answer is always the one the current state gives.
    known = store.terms(site_id, competition_id) if comp.competition_id_valid(competition_id) else None
    if known is None or not _may_see(ctx.user, known):
        raise NotFound("项目不存在", code="COMPETITION_NOT_FOUND")
    try:
        receipt = comp.place_bid(
            store, known, ctx.user, ctx.user.org_name, True, body.unit_price_fen, ctx.now, ctx.request_id
        )
    except (Conflict, RuleViolation):
        fresh = _visible(ctx, site_id, competition_id)
        receipt = comp.place_bid(
            store, fresh, ctx.user, ctx.user.org_name, True, body.unit_price_fen, ctx.now, ctx.request_id
        )
    metrics.add_metric(name="BidPlaced", unit="Count", value=1)
    return Reply({**receipt._asdict(), "unit_price_fen": body.unit_price_fen}, status=201)


@api_route(bp, BASE + "/{competition_id}/standing", roles=READERS, response="procurement:CompetitionStanding")
def standing(ctx: RequestContext, site_id: str, competition_id: str) -> dict[str, Any]:
    """The live state of a 反拍 on the server's clock: the countdown counts from `server_time`, not the browser's."""
    c = _visible(ctx, site_id, competition_id)
    view = comp.view_for(c, ctx.user, ctx.now)
    keys = (
        "id",
        "status",
        "status_label",
        "starts_at",
        "end_at",
        "server_time",
        "best_total_fen",
        "bids",
        "leading",
        "ceiling_fen",
        "rule",
        "actions",
    )
    return {k: view.get(k) for k in keys}


@api_route(
    bp, BASE + "/{competition_id}/confirm", methods=("POST",), roles=SUPPLIER, response="procurement:CompetitionView"
)
def confirm(ctx: RequestContext, site_id: str, competition_id: str) -> dict[str, Any]:
    c = _visible(ctx, site_id, competition_id)
    trading = _supplier_facts(ctx.user.org_id, site_id)[2]
    confirmed = comp.confirm_award(stores().competitions, ctx.user, c, ctx.now, ctx.request_id, trading=trading)
    return competition_view(ctx, confirmed)


@api_route(
    bp, BASE + "/{competition_id}/decline", methods=("POST",), roles=SUPPLIER, response="procurement:CompetitionView"
)
def decline(ctx: RequestContext, site_id: str, competition_id: str) -> dict[str, Any]:
    from chalicelib.schemas.competitions import ReasonBody
    from chalicelib.store.reference import work_calendar

    body = ctx.body(ReasonBody)
    c = _visible(ctx, site_id, competition_id)
    done = comp.decline_award(stores().competitions, work_calendar(), ctx.user, c, body.reason, ctx.now, ctx.request_id)
    return competition_view(ctx, done)


# ---------------------------------------------------------------- the site's operator


@api_route(
    bp, BASE + "/{competition_id}/review", methods=("POST",), roles=OPERATOR, response="procurement:CompetitionView"
)
def review(ctx: RequestContext, site_id: str, competition_id: str) -> dict[str, Any]:
    from chalicelib.schemas.competitions import ReviewBody
    from chalicelib.store.reference import work_calendar

    body = ctx.body(ReviewBody)
    c = _visible(ctx, site_id, competition_id)
    done = comp.review_evaluation(
        stores().competitions,
        stores().competition_timer,
        work_calendar(),
        ctx.user,
        c,
        body.approve,
        body.reason,
        ctx.now,
        ctx.request_id,
    )
    return competition_view(ctx, done)
