"""Supervision: inspection campaigns and findings, credit entries and rules, alerts, complaints, price records and the
service desk."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from chalicelib.schemas.responses.common import CatalogName, OpenShape


class CreditRule(OpenShape):
    code: str
    title: str
    basis: str
    measures: list[str]
    max_points: int
    max_days: int
    statement_days: int
    measure_labels: list[str] | None = None


class SignedText(OpenShape):
    text: str
    by: str
    at: str


class CreditDecision(OpenShape):
    upheld: bool
    reason: str
    by: str
    at: str


class CreditEntryView(OpenShape):
    id: str
    supplier_uscc: str
    supplier_name: str
    site_id: str
    rule: CreditRule
    measure: str
    points: int
    days: int
    facts: str
    source: str
    status: str
    statement_until: str
    statement: SignedText | None
    decision: CreditDecision | None
    created_by: str
    created_at: str
    updated_at: str
    version: int
    measure_label: str
    status_label: str
    description: str
    published: bool
    can_decide: bool
    can_state: bool


class CreditEntryList(OpenShape):
    items: list[CreditEntryView]


class CreditRulesView(OpenShape):
    version: int
    rules: list[CreditRule]


class FindingProblem(OpenShape):
    check: str
    check_label: str
    message: str


class ListingConcern(OpenShape):
    """A listing an inspection campaign looks at, and what is wrong with it."""

    campaign_id: str
    site_id: str
    listing_id: str
    listing_name: str
    supplier_uscc: str
    supplier_name: str
    problems: list[FindingProblem]


class CampaignFlag(ListingConcern):
    """What the precheck flagged: a candidate for a finding."""

    price_fen: int


class FindingView(ListingConcern):
    """A finding (巡检发现) the supplier must correct within the campaign's period."""

    id: str
    evidence: dict[str, Any]
    status: str
    correct_by: str
    correction: SignedText | None
    outcome: str
    credit_entry: str
    created_by: str
    created_at: str
    updated_at: str
    version: int
    price_ceiling_fen: int
    status_label: str
    correct_by_day: str
    actions: list[str]


class FindingList(OpenShape):
    items: list[FindingView]


class CampaignSummary(OpenShape):
    id: str
    owner: str
    sites: list[str]
    title: str
    catalog_codes: list[str]
    checks: list[str]
    correction_days: int
    status: str
    checked: int
    flagged: int
    created_by: str
    created_at: str
    updated_at: str
    version: int
    price_notice: PriceNotice | None
    status_label: str
    check_labels: list[str]
    catalog: list[CatalogName]


class PriceNotice(OpenShape):
    brand: str
    model: str
    official_price_fen: int
    source: str


class ThresholdRange(OpenShape):
    min: int
    max: int
    label: str


class ThresholdRanges(OpenShape):
    split_window_days: ThresholdRange
    split_limit_fen: ThresholdRange
    split_min_orders: ThresholdRange
    concentration_window_days: ThresholdRange
    concentration_share_bp: ThresholdRange
    concentration_min_fen: ThresholdRange
    concentration_min_orders: ThresholdRange
    exclusive_window_days: ThresholdRange
    exclusive_min_orders: ThresholdRange
    circle_window_days: ThresholdRange
    circle_min_meetings: ThresholdRange
    complaint_days: ThresholdRange
    answer_days: ThresholdRange
    decide_days: ThresholdRange
    ticket_target_hours: ThresholdRange
    price_margin_bp: ThresholdRange
    raise_window_days: ThresholdRange


class AlertRulesView(OpenShape):
    version: int
    split_window_days: int
    split_limit_fen: int
    split_min_orders: int
    concentration_window_days: int
    concentration_share_bp: int
    concentration_min_fen: int
    concentration_min_orders: int
    exclusive_window_days: int
    exclusive_min_orders: int
    circle_window_days: int
    circle_min_meetings: int
    complaint_days: int
    answer_days: int
    decide_days: int
    ticket_target_hours: int
    price_margin_bp: int
    raise_window_days: int
    effective_split_limit_fen: int
    ranges: ThresholdRanges


class AlertView(OpenShape):
    id: str
    site_id: str
    kind: str
    subject: str
    subject_name: str
    explanation: str
    evidence: list[dict[str, Any]] = Field(description="预警所依据的订单或竞价项目")
    figures: dict[str, Any]
    status: str
    raised_at: str
    updated_at: str
    handled_by: str
    handling: str
    version: int
    kind_label: str
    status_label: str
    actions: list[str]


class AlertList(OpenShape):
    items: list[AlertView]


class ComplaintParty(OpenShape):
    uscc: str
    name: str
    role: str


class ComplaintView(OpenShape):
    id: str
    site_id: str
    kind: str
    ground: str
    complainant: ComplaintParty
    respondent: ComplaintParty
    subject: str
    subject_title: str
    facts: str
    evidence: str
    status: str
    answer_by: str
    decide_by: str
    answer: SignedText | None
    decision: SignedText | None
    upheld: bool | None
    credit_entry: str
    created_at: str
    updated_at: str
    version: int
    kind_label: str
    ground_label: str
    status_label: str
    answer_by_day: str
    decide_by_day: str
    overdue: bool
    actions: list[str]


class ComplaintList(OpenShape):
    items: list[ComplaintView]


class CreditNotice(OpenShape):
    id: str
    supplier_name: str
    supplier_uscc: str
    title: str
    basis: str
    facts: str
    at: str


class CreditNoticeList(OpenShape):
    items: list[CreditNotice]


class MonthlyPrice(OpenShape):
    month: str
    median_fen: int
    deals: int


class RecentDeal(OpenShape):
    product: str
    at: str
    site_id: str
    order_no: str
    line: int
    listing_id: str
    supplier_name: str
    unit_price_fen: int
    quantity: int


class PriceHistory(OpenShape):
    """A listing's price against the mall's transaction prices for the same product (价格监测)."""

    price_fen: int
    reference_price_fen: int
    reference_source: str
    median_90d_fen: int | None = Field(description="近 90 天成交单价的中位数（分）；无成交时为 null")
    above_median_pct: float | None = Field(description="现价高出中位数的百分比；无成交时为 null")
    deals: int
    sites: list[str]
    trend: list[MonthlyPrice]
    recent: list[RecentDeal]


class SupervisionTask(OpenShape):
    kind: str
    kind_label: str
    title: str
    detail: str
    due_at: str
    link: str
    overdue: bool


class SupervisionQueue(OpenShape):
    items: list[SupervisionTask]


class TicketView(OpenShape):
    id: str
    site_id: str
    channel: str
    category: str
    asker_name: str
    asker_role: str
    asker_org: str
    question: str
    status: str
    target_at: str
    answer: SignedText | None
    faq_id: str
    created_at: str
    updated_at: str
    version: int
    channel_label: str
    category_label: str
    status_label: str
    late: bool
    actions: list[str]


class TicketList(OpenShape):
    items: list[TicketView]


class TicketCategoryCount(OpenShape):
    category: str
    label: str
    count: int


class TicketFigures(OpenShape):
    month: str
    received: int
    answered: int
    answer_rate: str | None
    on_time: int
    on_time_rate: str | None
    mean_response_minutes: int | None
    calls: int
    calls_answered: int
    call_answer_rate: str | None
    calls_per_day: str
    by_category: list[TicketCategoryCount]


class CreditWarning(OpenShape):
    id: str
    title: str
    site_id: str
    at: str


class CreditStanding(OpenShape):
    uscc: str
    name: str
    score: int
    grade: str
    grade_label: str
    upheld_count: int
    warnings: list[CreditWarning]
    status: str
    status_label: str
    suspended_sites: list[str]


class CampaignView(CampaignSummary):
    """An inspection campaign (巡检) with what its precheck flagged and the findings recorded from it."""

    figures: dict[str, Any] = Field(description="各项检查的检出数")
    flags: list[CampaignFlag]
    findings: list[FindingView]
    can_close: bool


class CampaignList(OpenShape):
    items: list[CampaignSummary]
