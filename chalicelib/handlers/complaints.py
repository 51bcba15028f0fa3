"""Violation reports and complaints over HTTP, and the answer deadline on the deadline machine.

Rules in domain.complaints; an upheld report's measure is domain.credit's.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from chalice.app import Blueprint

from chalicelib.domain import complaints, credit
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.principals import Role
from chalicelib.http import ALL_ROLES, Reply, RequestContext, api_route
from chalicelib.lambdas import timer_task
from chalicelib.wiring import stores

bp = Blueprint(__name__)

FILERS = frozenset({Role.BUYER, Role.SUPPLIER})
OPERATORS = frozenset({Role.CENTER_ADMIN, Role.PROVINCE_ADMIN})
BASE = "/sites/{site_id}/complaints"


def _calendar() -> Any:
    from chalicelib.store.reference import work_calendar

    return work_calendar()


def _deadlines(site_id: str) -> complaints.Deadlines:
    r = stores().alerts.rules(site_id)
    return complaints.Deadlines(r.complaint_days, r.answer_days, r.decide_days)


def _one(ctx: RequestContext, site_id: str, complaint_id: str) -> complaints.Complaint:
    found = (
        stores().complaints.get(site_id, complaint_id) if complaints.COMPLAINT_ID_PATTERN.match(complaint_id) else None
    )
    return complaints.visible(found, ctx.user)


@api_route(bp, BASE, methods=("POST",), roles=FILERS, response="supervision:ComplaintView")
def file(ctx: RequestContext, site_id: str) -> Reply:
    """A buyer reports the supplier of its order; a supplier questions a bidding it took part in."""
    from chalicelib.schemas.supervision import ComplaintBody

    body = ctx.body(ComplaintBody)
    new = complaints.NewComplaint(body.ground, body.facts, body.evidence)
    deadlines = _deadlines(site_id)
    if ctx.user.role is Role.BUYER:
        if not body.order_no:
            raise InvalidInput(
                "请选择被举报的订单", code="VALIDATION_FAILED", details=[{"field": "order_no", "message": "必填"}]
            )
        order = stores().orders.get(site_id, body.order_no) if len(body.order_no) <= 30 else None
        c = complaints.report_violation(
            stores().complaints, stores().timer, _calendar(), deadlines, ctx.user, order, new, ctx.now
        )
    else:
        if not body.competition_id:
            raise InvalidInput(
                "请选择质疑的竞价项目",
                code="VALIDATION_FAILED",
                details=[{"field": "competition_id", "message": "必填"}],
            )
        competition = stores().competitions.get(site_id, body.competition_id)
        supplier = stores().suppliers.get(ctx.user.org_id)
        name = supplier.profile.name if supplier else ctx.user.org_name
        c = complaints.object_to_bidding(
            stores().complaints, stores().timer, _calendar(), deadlines, ctx.user, name, competition, new, ctx.now
        )
    return Reply(complaints.view(c, ctx.user, ctx.now), status=201)


@api_route(bp, BASE, roles=ALL_ROLES, response="supervision:ComplaintList")
def list_complaints(ctx: RequestContext, site_id: str) -> dict[str, Any]:
    if ctx.user.role in (Role.BUYER, Role.SUPPLIER):
        found = stores().complaints.of_party(site_id, ctx.user.org_id)
    else:
        found = stores().complaints.of_site(site_id)
    return {"items": [complaints.view(c, ctx.user, ctx.now) for c in found]}


@api_route(bp, BASE + "/{complaint_id}", roles=ALL_ROLES, response="supervision:ComplaintView")
def one(ctx: RequestContext, site_id: str, complaint_id: str) -> dict[str, Any]:
    return complaints.view(_one(ctx, site_id, complaint_id), ctx.user, ctx.now)


@api_route(bp, BASE + "/{complaint_id}/answer", methods=("POST",), roles=FILERS, response="supervision:ComplaintView")
def answer(ctx: RequestContext, site_id: str, complaint_id: str) -> dict[str, Any]:
    from chalicelib.schemas.supervision import ComplaintTextBody

    body = ctx.body(ComplaintTextBody)
    done = complaints.answer(stores().complaints, _one(ctx, site_id, complaint_id), ctx.user, body.text, ctx.now)
    return complaints.view(done, ctx.user, ctx.now)


@api_route(bp, BASE + "/{complaint_id}/withdraw", methods=("POST",), roles=FILERS, response="supervision:ComplaintView")
def withdraw(ctx: RequestContext, site_id: str, complaint_id: str) -> dict[str, Any]:
    from chalicelib.schemas.supervision import ComplaintTextBody

    body = ctx.body(ComplaintTextBody)
    done = complaints.withdraw(stores().complaints, _one(ctx, site_id, complaint_id), ctx.user, body.text, ctx.now)
    return complaints.view(done, ctx.user, ctx.now)


@api_route(
    bp, BASE + "/{complaint_id}/decision", methods=("POST",), roles=OPERATORS, response="supervision:ComplaintView"
)
def decide(ctx: RequestContext, site_id: str, complaint_id: str) -> dict[str, Any]:
    """Upheld or not; an upheld report against a supplier proposes its credit measure in the same write."""
    from chalicelib.schemas.supervision import ComplaintDecisionBody

    body = ctx.body(ComplaintDecisionBody)
    c = _one(ctx, site_id, complaint_id)
    complaints.check_decidable(c, ctx.user, ctx.now)
    entry = None
    supplier_party = c.respondent if c.kind is complaints.ComplaintKind.VIOLATION else None
    if body.uphold and supplier_party is not None:
        if body.credit is None:
            raise InvalidInput(
                "违约举报成立的，须依据信用规则拟定对供应商的信用处理",
                code="LEGAL_BASIS_REQUIRED",
                details=[{"field": "credit", "message": "必填"}],
            )
        proposal = credit.Proposal(
            supplier_party.uscc,
            body.credit.rule_code,
            body.credit.measure,
            body.credit.points,
            body.credit.days,
            f"{c.kind.label} {c.id}：{c.facts}",
            source=f"{c.kind.label} {c.id}",
        )
        supplier = stores().suppliers.get(supplier_party.uscc)
        entry = credit.draft(stores().credit.rules(), _calendar(), ctx.user, supplier, proposal, ctx.now)
    done, audit = complaints.decide(c, ctx.user, body.uphold, body.reason, ctx.now, entry[0].id if entry else "")
    stores().complaints.decide(done, c.version, audit, entry)
    return complaints.view(done, ctx.user, ctx.now)


@timer_task("complaint_deadline", needs=("MainTable:write", "AuditTable:append"))
def answer_deadline(task: Mapping[str, Any], now: datetime) -> str:
    """The respondent's answer period ended: the claim moves on to the centre's decision."""
    site_id, complaint_id = str(task["site_id"]), str(task["complaint_id"])
    return complaints.on_answer_deadline(stores().complaints, stores().complaints.get(site_id, complaint_id), now)
