"""The service desk over HTTP: questions, hotline calls, answers, the FAQ they grow, and the month's figures.
Rules in domain.service_desk."""

from __future__ import annotations

from typing import Any

from chalice.app import Blueprint

from chalicelib.domain import service_desk
from chalicelib.domain.clock import china_date
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.principals import Role
from chalicelib.http import ALL_ROLES, Reply, RequestContext, api_route
from chalicelib.wiring import stores

bp = Blueprint(__name__)

ASKERS = frozenset({Role.BUYER, Role.SUPPLIER})
OPERATORS = frozenset({Role.CENTER_ADMIN, Role.PROVINCE_ADMIN})
SUPERVISORS = frozenset({Role.CENTER_ADMIN, Role.FINANCE, Role.PROVINCE_ADMIN})
BASE = "/sites/{site_id}/tickets"


def _target_hours(site_id: str) -> int:
    return stores().alerts.rules(site_id).ticket_target_hours


def _one(ctx: RequestContext, site_id: str, ticket_id: str) -> service_desk.Ticket:
    found = stores().tickets.get(site_id, ticket_id) if service_desk.TICKET_ID_PATTERN.match(ticket_id) else None
    return service_desk.visible(found, ctx.user)


@api_route(bp, BASE, methods=("POST",), roles=ASKERS, response="supervision:TicketView")
def ask(ctx: RequestContext, site_id: str) -> Reply:
    from chalicelib.schemas.supervision import TicketBody

    body = ctx.body(TicketBody)
    new = service_desk.NewTicket(body.category, body.question)
    t = service_desk.ask(stores().tickets, ctx.user, site_id, new, _target_hours(site_id), ctx.now)
    return Reply(service_desk.view(t, ctx.user, ctx.now), status=201)


@api_route(bp, BASE + "/calls", methods=("POST",), roles=OPERATORS, response="supervision:TicketView")
def log_call(ctx: RequestContext, site_id: str) -> Reply:
    from chalicelib.schemas.supervision import HotlineCallBody

    body = ctx.body(HotlineCallBody)
    call = service_desk.HotlineCall(body.category, body.caller, body.question, body.answered, body.answer, body.at)
    t = service_desk.log_call(stores().tickets, ctx.user, site_id, call, _target_hours(site_id), ctx.now)
    return Reply(service_desk.view(t, ctx.user, ctx.now), status=201)


@api_route(bp, BASE, roles=ALL_ROLES, response="supervision:TicketList")
def list_tickets(ctx: RequestContext, site_id: str) -> dict[str, Any]:
    """An asker: its own questions. The centre and the finance bureau: the month's (?month=), or the open ones."""
    from chalicelib.schemas.supervision import TicketQuery

    query = ctx.query(TicketQuery)
    if ctx.user.role in ASKERS:
        found = stores().tickets.of_asker(site_id, ctx.user.org_id)
    elif query.status == "open":
        found = stores().tickets.open_ones(site_id)
    else:
        month = query.month or f"{china_date(ctx.now):%Y-%m}"
        found = stores().tickets.between(site_id, *service_desk.month_bounds(month))
        if query.status:
            found = [t for t in found if t.status.value == query.status]
    return {"items": [service_desk.view(t, ctx.user, ctx.now) for t in found]}


@api_route(bp, BASE + "/figures", roles=SUPERVISORS, response="supervision:TicketFigures")
def month_figures(ctx: RequestContext, site_id: str) -> dict[str, Any]:
    from chalicelib.schemas.supervision import TicketQuery

    month = ctx.query(TicketQuery).month or f"{china_date(ctx.now):%Y-%m}"
    found = stores().tickets.between(site_id, *service_desk.month_bounds(month))
    return service_desk.figures(month, found, ctx.now)._asdict()


@api_route(bp, BASE + "/{ticket_id}/answer", methods=("POST",), roles=OPERATORS, response="supervision:TicketView")
def answer(ctx: RequestContext, site_id: str, ticket_id: str) -> dict[str, Any]:
    from chalicelib.schemas.supervision import ComplaintTextBody

    body = ctx.body(ComplaintTextBody)
    done = service_desk.answer(stores().tickets, _one(ctx, site_id, ticket_id), ctx.user, body.text, ctx.now)
    return service_desk.view(done, ctx.user, ctx.now)


@api_route(bp, BASE + "/{ticket_id}/faq", methods=("POST",), roles=OPERATORS, response="supervision:TicketView")
def to_faq(ctx: RequestContext, site_id: str, ticket_id: str) -> dict[str, Any]:
    """An answered question becomes an entry of the site's 常见问题 (a bulletin), and the ticket records which."""
    from chalicelib.domain import bulletins
    from chalicelib.store.sites import cached_site

    ticket = _one(ctx, site_id, ticket_id)
    title, text = service_desk.faq_draft(ticket, ctx.user)
    if len(title) < 2:
        raise InvalidInput("问题过短，不能加入常见问题", code="VALIDATION_FAILED")
    draft = bulletins.BulletinDraft(bulletins.BulletinKind.FAQ, title, text)
    made = bulletins.publish(stores().bulletins, cached_site(site_id), ctx.user, draft, ctx.now, ctx.request_id)
    done = service_desk.in_faq(stores().tickets, ticket, made.id, ctx.user, ctx.now)
    return service_desk.view(done, ctx.user, ctx.now)
