from __future__ import annotations

from typing import Literal

from pydantic import Field

from chalicelib.validation import QueryParams, StrictBody

CATALOG_CODE = r"^[ABC]\d{2,8}$"
SITE_ID = r"^[a-z][a-z0-9-]{1,30}$"


class CampaignBody(StrictBody):
    title: str = Field(min_length=2, max_length=60)
    catalog_codes: list[str] = Field(min_length=1, max_length=30)
    checks: list[str] = Field(min_length=1, max_length=4)
    sites: list[str] = Field(default_factory=list, max_length=30)
    correction_days: int = Field(default=5, ge=-1000, le=1000)  # the domain says which range holds, in words


class EvidenceBody(StrictBody):
    text: str = Field(default="", max_length=1000)


class FindingBody(StrictBody):
    site_id: str = Field(pattern=SITE_ID)
    listing_id: str = Field(min_length=1, max_length=40)
    checks: list[str] = Field(min_length=1, max_length=4)
    description: str = Field(min_length=1, max_length=500)
    evidence: EvidenceBody


class CorrectionBody(StrictBody):
    text: str = Field(min_length=1, max_length=1000)


class FindingReviewBody(StrictBody):
    action: Literal["close", "return", "delist"]
    reason: str = Field(min_length=1, max_length=500)


class ProposalBody(StrictBody):
    rule_code: str = Field(default="", max_length=10)
    measure: Literal["risk_reminder", "warning_notice", "deduction", "suspension", "expulsion"]
    points: int = Field(default=0, ge=-1000, le=1000)
    days: int = Field(default=0, ge=-10000, le=10000)
    facts: str = Field(min_length=1, max_length=1000)


class NewCreditEntryBody(ProposalBody):
    supplier_uscc: str = Field(min_length=18, max_length=18)


class StatementBody(StrictBody):
    text: str = Field(min_length=1, max_length=2000)


class CreditDecisionBody(StrictBody):
    uphold: bool
    reason: str = Field(min_length=1, max_length=500)


class RuleBody(StrictBody):
    code: str = Field(min_length=1, max_length=10)
    title: str = Field(min_length=2, max_length=60)
    basis: str = Field(min_length=1, max_length=300)
    measures: list[Literal["risk_reminder", "warning_notice", "deduction", "suspension", "expulsion"]] = Field(
        min_length=1, max_length=5
    )
    max_points: int = Field(ge=-1000, le=1000)
    max_days: int = Field(default=0, ge=-10000, le=10000)
    statement_days: int = Field(default=5, ge=-1000, le=1000)


class RulesBody(StrictBody):
    version: int = Field(ge=0)
    rules: list[RuleBody] = Field(min_length=1, max_length=60)


class FindingsQuery(QueryParams):
    site: str = Field(default="", max_length=31)
    supplier: str = Field(default="", max_length=18)


class CreditQuery(QueryParams):
    uscc: str = Field(default="", max_length=18)


class AlertHandleBody(StrictBody):
    action: Literal["acknowledge", "dismiss", "finding"]
    reason: str = Field(default="", max_length=1000)


class AlertRulesBody(StrictBody):
    version: int = Field(ge=0)
    split_window_days: int | None = Field(default=None, ge=-(10**12), le=10**12)
    split_limit_fen: int | None = Field(default=None, ge=-(10**12), le=10**12)
    split_min_orders: int | None = Field(default=None, ge=-(10**12), le=10**12)
    concentration_window_days: int | None = Field(default=None, ge=-(10**12), le=10**12)
    concentration_share_bp: int | None = Field(default=None, ge=-(10**12), le=10**12)
    concentration_min_fen: int | None = Field(default=None, ge=-(10**12), le=10**12)
    concentration_min_orders: int | None = Field(default=None, ge=-(10**12), le=10**12)
    exclusive_window_days: int | None = Field(default=None, ge=-(10**12), le=10**12)
    exclusive_min_orders: int | None = Field(default=None, ge=-(10**12), le=10**12)
    circle_window_days: int | None = Field(default=None, ge=-(10**12), le=10**12)
    circle_min_meetings: int | None = Field(default=None, ge=-(10**12), le=10**12)
    complaint_days: int | None = Field(default=None, ge=-(10**12), le=10**12)
    answer_days: int | None = Field(default=None, ge=-(10**12), le=10**12)
    decide_days: int | None = Field(default=None, ge=-(10**12), le=10**12)
    ticket_target_hours: int | None = Field(default=None, ge=-(10**12), le=10**12)
    price_margin_bp: int | None = Field(default=None, ge=-(10**12), le=10**12)
    raise_window_days: int | None = Field(default=None, ge=-(10**12), le=10**12)


class ComplaintBody(StrictBody):
    ground: Literal["contract_breach", "signing_refusal", "goods_noncompliance", "process", "result"]
    order_no: str = Field(default="", max_length=30)
    competition_id: str = Field(default="", max_length=30)
    facts: str = Field(min_length=1, max_length=2000)
    evidence: str = Field(default="", max_length=1000)


class ComplaintTextBody(StrictBody):
    text: str = Field(min_length=1, max_length=2000)


class CreditProposalBody(StrictBody):
    rule_code: str = Field(default="", max_length=10)
    measure: Literal["risk_reminder", "warning_notice", "deduction", "suspension", "expulsion"]
    points: int = Field(default=0, ge=-1000, le=1000)
    days: int = Field(default=0, ge=-10000, le=10000)


class ComplaintDecisionBody(StrictBody):
    uphold: bool
    reason: str = Field(min_length=1, max_length=1000)
    credit: CreditProposalBody | None = None


class TicketBody(StrictBody):
    category: Literal["onboarding", "listing", "framework", "orders", "bidding", "plans", "account", "other"]
    question: str = Field(min_length=1, max_length=1000)


class HotlineCallBody(StrictBody):
    category: Literal["onboarding", "listing", "framework", "orders", "bidding", "plans", "account", "other"]
    caller: str = Field(default="", max_length=60)
    question: str = Field(min_length=1, max_length=1000)
    answered: bool
    answer: str = Field(default="", max_length=2000)
    at: str = Field(default="", max_length=40)


class TicketQuery(QueryParams):
    month: str = Field(default="", pattern=r"^(\d{4}-(0[1-9]|1[0-2]))?$")
    status: Literal["", "open", "answered", "missed"] = ""


class PriceNoticeBody(StrictBody):
    brand: str = Field(min_length=1, max_length=40)
    model: str = Field(min_length=1, max_length=60)
    official_price_fen: int = Field(ge=-(10**12), le=10**12)
    basis: str = Field(min_length=1, max_length=200)
    sites: list[str] = Field(default_factory=list, max_length=30)
