"""Supervision over HTTP and on the asynchronous side: inspection campaigns and the credit record.

Rules in domain.inspections and domain.credit. Declared here, beside their code:
- `inspection_precheck`: a queued consumer of campaigns; a campaign inserted as 预检中 is pre-checked over every
  listing on sale in scope, its flags queued for the inspectors;
- `finding_deadline`: the deadline machine's task at the end of a finding's correction period (late: delisted).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from chalice.app import Blueprint

from chalicelib.domain import credit, inspections
from chalicelib.domain.errors import InvalidInput, NotFound
from chalicelib.domain.principals import PROVINCE_SCOPE, Role
from chalicelib.http import ALL_ROLES, Reply, RequestContext, api_route
from chalicelib.lambdas import Change, stream_consumer, timer_task
from chalicelib.observability import logger, metrics
from chalicelib.wiring import stores

bp = Blueprint(__name__)

OPERATORS = frozenset({Role.CENTER_ADMIN, Role.PROVINCE_ADMIN})
SUPERVISORS = frozenset({Role.CENTER_ADMIN, Role.FINANCE, Role.PROVINCE_ADMIN})
SUPPLIER = frozenset({Role.SUPPLIER})
FINDING_READERS = frozenset({Role.SUPPLIER, Role.CENTER_ADMIN, Role.FINANCE, Role.PROVINCE_ADMIN})


def _names() -> dict[str, str]:
    from chalicelib.store.reference import catalog_names

    return catalog_names()


def _calendar() -> Any:
    from chalicelib.store.reference import work_calendar

    return work_calendar()


def _campaign(ctx: RequestContext, campaign_id: str) -> inspections.Campaign:
    found = stores().inspections.get(campaign_id) if inspections.CAMPAIGN_ID_PATTERN.match(campaign_id) else None
    if found is None:
        raise NotFound("巡检不存在", code="INSPECTION_NOT_FOUND")
    inspections.require_reader(found, ctx.user)
    return found


def _finding(campaign_id: str, finding_id: str) -> inspections.Finding:
    found = (
        stores().inspections.finding(campaign_id, finding_id)
        if inspections.CAMPAIGN_ID_PATTERN.match(campaign_id) and inspections.FINDING_ID_PATTERN.match(finding_id)
        else None
    )
    if found is None:
        raise NotFound("巡检问题不存在", code="FINDING_NOT_FOUND")
    return found


def _site_of(ctx: RequestContext) -> str | None:
    """The site whose part of a campaign the caller sees: its own for a city's users, all for the province."""
    return None if ctx.user.role is Role.PROVINCE_ADMIN else ctx.user.tenant


def _campaign_detail(ctx: RequestContext, c: inspections.Campaign) -> dict[str, Any]:
    site = _site_of(ctx)
    flags, findings = stores().inspections.contents(c.id, site)
    figures = inspections.figures(c, findings, flags, site)
    return inspections.campaign_view(c, _names()) | {
        "figures": figures._asdict() | {"checked": c.checked},
        "flags": [inspections.flag_view(f) for f in flags],
        "findings": [inspections.finding_view(f, ctx.user, ctx.now) for f in findings],
        "can_close": c.status is inspections.CampaignStatus.OPEN
        and (ctx.user.role is Role.PROVINCE_ADMIN or c.owner == ctx.user.tenant),
    }


# ---------------------------------------------------------------- campaigns


@api_route(bp, "/inspections", roles=SUPERVISORS, response="supervision:CampaignList")
def list_campaigns(ctx: RequestContext) -> dict[str, Any]:
    visible = [
        c
        for c in stores().inspections.campaigns()
        if ctx.user.role is Role.PROVINCE_ADMIN or ctx.user.tenant in c.sites
    ]
    return {"items": [inspections.campaign_view(c, _names()) for c in visible]}


@api_route(bp, "/inspections", methods=("POST",), roles=OPERATORS, response="supervision:CampaignView")
def open_campaign(ctx: RequestContext) -> Reply:
    from chalicelib.schemas.supervision import CampaignBody

    body = ctx.body(CampaignBody)
    new = inspections.NewCampaign(
        body.title, tuple(body.catalog_codes), tuple(body.checks), tuple(body.sites), body.correction_days
    )
    known = [s.id for s in stores().sites.list_sites()]
    c = inspections.open_campaign(stores().inspections, ctx.user, new, known, _names(), ctx.now)
    metrics.add_metric(name="InspectionOpened", unit="Count", value=1)
    return Reply(_campaign_detail(ctx, c), status=201)


@api_route(bp, "/price-notices", methods=("POST",), roles=OPERATORS, response="supervision:CampaignView")
def price_notice(ctx: RequestContext) -> Reply:
    """厂商调价: the listings of the product above the new price must follow within 5 working days."""
    from chalicelib.schemas.supervision import PriceNoticeBody

    body = ctx.body(PriceNoticeBody)
    notice = inspections.PriceNotice(body.brand, body.model, body.official_price_fen, body.basis)
    known = [s.id for s in stores().sites.list_sites()]
    c = inspections.open_price_notice(stores().inspections, ctx.user, notice, tuple(body.sites), known, ctx.now)
    return Reply(_campaign_detail(ctx, c), status=201)


@api_route(bp, "/inspections/{campaign_id}", roles=SUPERVISORS, response="supervision:CampaignView")
def one_campaign(ctx: RequestContext, campaign_id: str) -> dict[str, Any]:
    return _campaign_detail(ctx, _campaign(ctx, campaign_id))


@api_route(
    bp, "/inspections/{campaign_id}/close", methods=("POST",), roles=OPERATORS, response="supervision:CampaignView"
)
def close_campaign(ctx: RequestContext, campaign_id: str) -> dict[str, Any]:
    c = inspections.close_campaign(stores().inspections, _campaign(ctx, campaign_id), ctx.user, ctx.now)
    return _campaign_detail(ctx, c)


# ---------------------------------------------------------------- findings


@api_route(
    bp, "/inspections/{campaign_id}/findings", methods=("POST",), roles=OPERATORS, response="supervision:FindingView"
)
def record_finding(ctx: RequestContext, campaign_id: str) -> Reply:
    from chalicelib.schemas.supervision import FindingBody

    body = ctx.body(FindingBody)
    c = _campaign(ctx, campaign_id)
    inspections.require_inspector(c, ctx.user, body.site_id)
    listing = stores().listings.get(body.site_id, body.listing_id)
    new = inspections.NewFinding(
        body.site_id,
        body.listing_id,
        tuple(body.checks),
        body.description,
        inspections.Evidence(body.evidence.text),
    )
    f = inspections.record_finding(
        stores().inspections, stores().timer, _calendar(), c, ctx.user, listing, new, ctx.now
    )
    metrics.add_metric(name="FindingRecorded", unit="Count", value=1)
    return Reply(inspections.finding_view(f, ctx.user, ctx.now), status=201)


@api_route(
    bp,
    "/inspections/{campaign_id}/findings/{finding_id}/correction",
    methods=("POST",),
    roles=SUPPLIER,
    response="supervision:FindingView",
)
def correct_finding(ctx: RequestContext, campaign_id: str, finding_id: str) -> dict[str, Any]:
    from chalicelib.schemas.supervision import CorrectionBody

    body = ctx.body(CorrectionBody)
    f = inspections.correct(stores().inspections, _finding(campaign_id, finding_id), ctx.user, body.text, ctx.now)
    return inspections.finding_view(f, ctx.user, ctx.now)


@api_route(
    bp,
    "/inspections/{campaign_id}/findings/{finding_id}/review",
    methods=("POST",),
    roles=OPERATORS,
    response="supervision:FindingView",
)
def review_finding(ctx: RequestContext, campaign_id: str, finding_id: str) -> dict[str, Any]:
    from chalicelib.schemas.supervision import FindingReviewBody

    body = ctx.body(FindingReviewBody)
    c = _campaign(ctx, campaign_id)
    f = inspections.review(
        stores().inspections,
        stores().delister,
        stores().timer,
        _calendar(),
        c,
        _finding(campaign_id, finding_id),
        ctx.user,
        body.action,
        body.reason,
        ctx.now,
    )
    return inspections.finding_view(f, ctx.user, ctx.now)


@api_route(
    bp,
    "/inspections/{campaign_id}/findings/{finding_id}/escalate",
    methods=("POST",),
    roles=OPERATORS,
    response="supervision:CreditEntryView",
)
def escalate_finding(ctx: RequestContext, campaign_id: str, finding_id: str) -> Reply:
    """A finding becomes a proposed measure in the supplier's credit record (风险提醒, 警示通报, 扣分 …)."""
    from chalicelib.domain.errors import Conflict
    from chalicelib.schemas.supervision import ProposalBody

    body = ctx.body(ProposalBody)
    c = _campaign(ctx, campaign_id)
    f = _finding(campaign_id, finding_id)
    inspections.require_inspector(c, ctx.user, f.site_id)
    if f.credit_entry:
        raise Conflict(f"该问题已转信用处理（{f.credit_entry}）", code="FINDING_ESCALATED")
    proposal = credit.Proposal(
        f.supplier_uscc,
        body.rule_code,
        body.measure,
        body.points,
        body.days,
        body.facts,
        source=f"巡检 {c.id} 问题 {f.id}",
    )
    supplier = stores().suppliers.get(f.supplier_uscc)
    entry = credit.propose(stores().credit, _calendar(), ctx.user, supplier, proposal, ctx.now)
    inspections.escalated(stores().inspections, f, entry.id, ctx.user, ctx.now)
    return Reply(credit.view(entry, ctx.user, ctx.now), status=201)


@api_route(bp, "/findings", roles=FINDING_READERS, response="supervision:FindingList")
def list_findings(ctx: RequestContext) -> dict[str, Any]:
    """A supplier's findings in every site; a city's: its site's; the province: one site's (?site=). A supervisor may
    read one supplier's findings in every site (?supplier=): its record is the province's."""
    from chalicelib.schemas.supervision import FindingsQuery

    query = ctx.query(FindingsQuery)
    if ctx.user.role is Role.SUPPLIER:
        found = stores().inspections.findings_of_supplier(ctx.user.org_id)
    elif query.supplier:
        found = stores().inspections.findings_of_supplier(query.supplier)
    elif ctx.user.role is Role.PROVINCE_ADMIN:
        if not query.site:
            raise InvalidInput("请选择站点", code="VALIDATION_FAILED", details=[{"field": "site", "message": "必填"}])
        found = stores().inspections.findings_of_site(query.site)
    else:
        found = stores().inspections.findings_of_site(ctx.user.tenant)
    return {"items": [inspections.finding_view(f, ctx.user, ctx.now) for f in found]}


# ---------------------------------------------------------------- the credit record


@api_route(bp, "/credit/rules", roles=ALL_ROLES, response="supervision:CreditRulesView")
def credit_rules(ctx: RequestContext) -> dict[str, Any]:
    table = stores().credit.rules()
    return {"version": table.version, "rules": [credit.rule_view(r) for r in table.rules]}


@api_route(
    bp,
    "/credit/rules",
    methods=("PUT",),
    roles=frozenset({Role.PROVINCE_ADMIN}),
    response="supervision:CreditRulesView",
)
def revise_credit_rules(ctx: RequestContext) -> dict[str, Any]:
    from chalicelib.schemas.supervision import RulesBody

    body = ctx.body(RulesBody)
    rules = [credit.rule_from_dict(r.model_dump()) for r in body.rules]
    table = credit.revise_rules(stores().credit, ctx.user, rules, body.version, ctx.now)
    return {"version": table.version, "rules": [credit.rule_view(r) for r in table.rules]}


@api_route(bp, "/credit/entries", roles=FINDING_READERS, response="supervision:CreditEntryList")
def list_credit_entries(ctx: RequestContext) -> dict[str, Any]:
    """A supplier: its own record. An operator or finance bureau: what its unit proposed, or one supplier's record
    (?uscc=: what it may see of it)."""
    from chalicelib.schemas.supervision import CreditQuery

    query = ctx.query(CreditQuery)
    if ctx.user.role is Role.SUPPLIER:
        found = stores().credit.record_of(ctx.user.org_id)
    elif query.uscc:
        found = stores().credit.record_of(query.uscc)
    else:
        scope = PROVINCE_SCOPE if ctx.user.role is Role.PROVINCE_ADMIN else ctx.user.tenant
        found = stores().credit.of_scope(scope)
    visible = [e for e in found if credit.visible_to(e, ctx.user)]
    return {"items": [credit.view(e, ctx.user, ctx.now) for e in visible]}


@api_route(bp, "/credit/entries", methods=("POST",), roles=OPERATORS, response="supervision:CreditEntryView")
def propose_credit_entry(ctx: RequestContext) -> Reply:
    from chalicelib.schemas.supervision import NewCreditEntryBody

    body = ctx.body(NewCreditEntryBody)
    proposal = credit.Proposal(body.supplier_uscc, body.rule_code, body.measure, body.points, body.days, body.facts)
    supplier = stores().suppliers.get(body.supplier_uscc)
    entry = credit.propose(stores().credit, _calendar(), ctx.user, supplier, proposal, ctx.now)
    return Reply(credit.view(entry, ctx.user, ctx.now), status=201)


def _entry(uscc: str, entry_id: str) -> credit.CreditEntry:
    found = stores().credit.get(uscc, entry_id) if credit.ENTRY_ID_PATTERN.match(entry_id) and len(uscc) == 18 else None
    if found is None:
        raise NotFound("信用记录不存在", code="CREDIT_ENTRY_NOT_FOUND")
    return found


@api_route(
    bp,
    "/credit/entries/{uscc}/{entry_id}/statement",
    methods=("POST",),
    roles=SUPPLIER,
    response="supervision:CreditEntryView",
)
def state_case(ctx: RequestContext, uscc: str, entry_id: str) -> dict[str, Any]:
    from chalicelib.schemas.supervision import StatementBody

    body = ctx.body(StatementBody)
    if uscc != ctx.user.org_id:
        raise NotFound("信用记录不存在", code="CREDIT_ENTRY_NOT_FOUND")
    entry = credit.state_case(stores().credit, _entry(uscc, entry_id), ctx.user, body.text, ctx.now)
    return credit.view(entry, ctx.user, ctx.now)


@api_route(
    bp,
    "/credit/entries/{uscc}/{entry_id}/decision",
    methods=("POST",),
    roles=OPERATORS,
    response="supervision:CreditEntryView",
)
def decide_credit_entry(ctx: RequestContext, uscc: str, entry_id: str) -> dict[str, Any]:
    from chalicelib.domain.suppliers import reinstatement_timer
    from chalicelib.schemas.supervision import CreditDecisionBody

    body = ctx.body(CreditDecisionBody)
    entry = _entry(uscc, entry_id)
    supplier = stores().suppliers.get(uscc)
    if supplier is None:
        raise NotFound(f"供应商 {uscc} 不存在", code="SUPPLIER_NOT_FOUND")
    decided, sanctioned = credit.decide(stores().credit, ctx.user, entry, supplier, body.uphold, body.reason, ctx.now)
    if sanctioned is not None and sanctioned.next_due:
        stores().timer.start(**reinstatement_timer(sanctioned))  # the suspension ends by itself (and by the sweep)
    return credit.view(decided, ctx.user, ctx.now)


@api_route(bp, "/suppliers/{uscc}/credit", roles=ALL_ROLES, response="supervision:CreditStanding")
def supplier_standing(ctx: RequestContext, uscc: str) -> dict[str, Any]:
    """A supplier's public credit standing: what a buyer sees in the catalog and before an award."""
    supplier = stores().suppliers.get(uscc) if len(uscc) == 18 else None
    if supplier is None:
        raise NotFound(f"供应商 {uscc} 不存在", code="SUPPLIER_NOT_FOUND")
    return credit.public_standing(supplier, stores().credit.record_of(uscc), ctx.now)


@api_route(bp, "/sites/{site_id}/credit-notices", roles=None, response="supervision:CreditNoticeList")
def credit_notices(ctx: RequestContext, site_id: str) -> dict[str, Any]:
    """The site's 警示通报, public like its bulletins."""
    from chalicelib.domain.site_admin import load_site

    load_site(stores().sites, site_id)
    items = [
        {
            "id": e.id,
            "supplier_name": e.supplier_name,
            "supplier_uscc": e.supplier_uscc,
            "title": e.rule.title,
            "basis": e.rule.basis,
            "facts": e.facts,
            "at": e.decision.at if e.decision else e.updated_at,
        }
        for e in stores().credit.notices(site_id)
        if e.published
    ]
    return {"items": items}


# ---------------------------------------------------------------- the asynchronous side

# The 厂商调价 findings arm their correction timers (the deadline machine does not invoke this function: no cycle).
PRECHECK_NEEDS = ("MainTable:write", "AuditTable:append", "DeadlineStateMachine:start")


@stream_consumer(
    "inspection_precheck",
    table="MainTable",
    kinds=("inspection",),
    needs=PRECHECK_NEEDS,
    queued=True,
    timeout_s=900,
    memory_mb=1024,
)
def run_precheck(change: Change) -> None:
    """A campaign inserted as 预检中: every listing on sale in its sites and codes, checked once."""
    from chalicelib.domain.clock import china_date, utc_now
    from chalicelib.store.reference import catalog_words

    if change.new is None or change.new.get("status") != inspections.CampaignStatus.PRECHECKING.value:
        return
    raw = change.new["data"]
    campaign = inspections.campaign_from_dict(json.loads(raw) if isinstance(raw, str) else raw)
    listings = []
    for site_id in campaign.sites:
        listings += inspections.in_scope(campaign, _on_sale(site_id))
    now = utc_now()
    if campaign.price_notice is not None:
        outcome = inspections.follow_price_notice(
            stores().inspections, stores().timer, _calendar(), campaign, listings, now
        )
        logger.info("price notice", extra={"campaign": campaign.id, "checked": len(listings), "outcome": outcome})
        return
    ctx = inspections.CheckContext(china_date(now), catalog_words(), _names(), inspections.median_prices(listings))
    outcome = inspections.precheck(stores().inspections, campaign, listings, ctx, now)
    logger.info("inspection precheck", extra={"campaign": campaign.id, "checked": len(listings), "outcome": outcome})


def _on_sale(site_id: str) -> list[Any]:
    """Every listing on sale in a site (its status index, page by page)."""
    from chalicelib.domain.listings import ListingStatus

    found: list[Any] = []
    cursor: str | None = None
    while True:
        page, cursor = stores().listings.by_status(site_id, ListingStatus.ACTIVE, 500, cursor)
        found += page
        if not cursor:
            return found


@timer_task("finding_deadline", needs=("MainTable:write", "AuditTable:append"))
def finding_deadline(task: Mapping[str, Any], now: datetime) -> str:
    """A finding's correction period has ended: not corrected, its listing is delisted."""
    finding = stores().inspections.finding(str(task["campaign_id"]), str(task["finding_id"]))
    listing = stores().listings.get(finding.site_id, finding.listing_id) if finding else None
    price = listing.draft.price_fen if listing is not None else None
    return inspections.on_deadline(stores().inspections, stores().delister, finding, now, price)


# ---------------------------------------------------------------- the centre's queue


@api_route(bp, "/sites/{site_id}/supervision/queue", roles=SUPERVISORS, response="supervision:SupervisionQueue")
def queue(ctx: RequestContext, site_id: str) -> dict[str, Any]:
    """Everything waiting for the site's centre, with its deadline: reviews of terminations and of substantive
    responses, corrected findings, complaints, credit decisions, open alerts and questions (each source bounded)."""
    from chalicelib.domain import supervision_queue as q
    from chalicelib.domain.alerts import AlertStatus
    from chalicelib.domain.competitions import Status
    from chalicelib.store.workbench import DynamoWorkCounts

    calendar = _calendar()
    reviewing, _ = stores().competitions.for_site(site_id, Status.REVIEWING, 100, None)
    items = [
        *q.terminations(calendar, DynamoWorkCounts().recent_orders(site_id)),
        *q.responsiveness_reviews(calendar, reviewing),
        *q.findings(stores().inspections.findings_of_site(site_id)),
        *q.complaints(stores().complaints.of_site(site_id), ctx.now),
        *q.credit_entries(stores().credit.of_scope(site_id), ctx.now),
        *q.alerts(stores().alerts.queue(site_id, AlertStatus.OPEN)),
        *q.tickets(stores().tickets.open_ones(site_id)),
    ]
    return {"items": q.ordered(items, ctx.now)}
