"""The other methods: 竞价 and 反拍 competitions, 批量采购 batches, framework agreements and designated points."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from chalicelib.schemas.responses.common import CatalogName, Delivery, OpenShape


class AgreementRules(OpenShape):
    methods: list[str]
    min_suppliers: int
    method_labels: list[str]


class AgreementMember(OpenShape):
    uscc: str
    name: str
    rank: int
    status: str
    status_reason: str
    products: list[dict[str, Any]]
    status_label: str


class AgreementDocument(OpenShape):
    title: str
    url: str


class Stage2Method(OpenShape):
    label: str
    open: bool
    code: str
    reason: str


class Stage2Methods(OpenShape):
    direct_select: Stage2Method
    secondary_bidding: Stage2Method
    rotation: Stage2Method


class RotationQueue(OpenShape):
    catalog_code: str
    catalog_name: str
    order: list[str]
    turns_taken: int
    next: str


class AgreementView(OpenShape):
    number: str
    name: str
    agency: str
    catalog_codes: list[str]
    sites: list[str] = Field(description="可使用本协议的站点；空为全省")
    valid_from: str
    valid_to: str
    rules: AgreementRules
    members: list[AgreementMember]
    documents: list[AgreementDocument]
    status: str
    status_reason: str
    source: str
    version: int
    created_at: str
    updated_at: str
    status_label: str
    source_label: str
    catalog: list[CatalogName]
    active_suppliers: int
    days_left: int
    stage2: Stage2Methods
    rotation: list[RotationQueue]


class AgreementReceipt(OpenShape):
    number: str
    version: int
    status: str


class SiteAgreementList(OpenShape):
    items: list[AgreementView]
    margin_days: int


class CompetitionItem(OpenShape):
    category_id: str
    category_name: str
    catalog_code: str
    spec: str
    listing_id: str
    quantity: int
    unit: str


class CompetitionRule(OpenShape):
    min_suppliers: int
    confirm_working_days: int
    sme_deduction_bp: int
    step_fen: int
    extension_window_s: int
    extension_s: int
    direct_after_failure: bool


class RankedQuote(OpenShape):
    supplier_uscc: str
    supplier_name: str
    alias: str
    unit_price_fen: int
    total_fen: int
    small_micro: bool
    deduction_bp: int
    evaluated_fen: int
    submitted_at: str
    responsive: bool | None
    reason: str
    explanation: str
    nonce: str
    mine: bool | None = None


class AwardOffer(OpenShape):
    supplier_uscc: str
    offered_at: str
    confirm_by: str
    outcome: str
    estimated: bool


class CompetitionInvitation(OpenShape):
    pool: list[str]
    seed: str
    invited: list[str]


class SealedQuote(OpenShape):
    submitted_at: str
    revision: int
    commitment: str
    technical: str


class CompetitionView(OpenShape):
    """A 竞价 or 反拍 competition as the caller may see it: sealed quotes stay hidden from other suppliers until it
    closes; `actions` are the moves the caller may make now, `server_time` lets a countdown follow the server."""

    id: str
    site_id: str
    kind: str
    status: str
    title: str
    plan_no: str
    buyer_uscc: str
    buyer_name: str
    buyer_user: str
    item: CompetitionItem
    delivery: Delivery
    ceiling_fen: int
    reserved_fen: int
    custom: bool
    rule: CompetitionRule
    starts_at: str
    end_at: str
    generation: int
    version: int
    created_at: str
    updated_at: str
    best_total_fen: int
    best_by: str
    bids: int
    ranking: list[RankedQuote]
    offers: list[AwardOffer]
    outcome: str
    order_no: str
    close_digest: str
    record_key: str
    record_digest: str
    relaunched_from: str
    relaunched_as: str
    evaluation_note: str
    buyer_district: str
    agreement_no: str
    caps: list[tuple[str, int]] = Field(description="框架协议二次竞价：各入围供应商的最高限价（统一社会信用代码，分）")
    invited_count: int
    invitation_mode: str
    invitation_mode_label: str
    kind_label: str
    status_label: str
    mechanism_label: str
    server_time: str
    actions: list[str]
    offered_to_me: bool
    can_buy_directly: bool
    leading: bool | None = None
    invitation: CompetitionInvitation | None = None
    my_quote: SealedQuote | None = None
    record_url: str | None = None


class BatchEntry(OpenShape):
    batch_id: str
    site_id: str
    buyer_uscc: str
    buyer_name: str
    buyer_user: str
    buyer_district: str
    plan_no: str
    quantity: int
    reserved_fen: int
    delivery: dict[str, Any]
    joined_at: str
    order_no: str
    outcome: str


class BatchOffer(OpenShape):
    rate_bp: int
    rate_text: str
    submitted_at: str
    revision: int


class BatchView(OpenShape):
    """A 批量采购 batch: buyers join with quantities, suppliers offer a 优惠率 on the reference price; other suppliers'
    rates stay hidden until the award. A list leaves `entries` empty."""

    id: str
    site_id: str
    title: str
    category_id: str
    category_name: str
    catalog_code: str
    spec: str
    unit: str
    reference_price_fen: int
    min_buyers: int
    join_until: str
    offer_until: str
    status: str
    version: int
    created_at: str
    updated_at: str
    created_by: str
    buyers: int
    quantity: int
    winner_uscc: str
    winner_name: str
    rate_bp: int
    unit_price_fen: int
    outcome: str
    orders_placed: int
    status_label: str
    method_label: str
    mechanism_label: str
    rate_text: str
    server_time: str
    reserve_per_unit_fen: int
    offers_count: int | None
    entries: list[BatchEntry]
    actions: list[str]
    my_offer: BatchOffer | None = None


class CompetitionPage(OpenShape):
    items: list[CompetitionView]
    next_cursor: str | None


class QuoteReceipt(OpenShape):
    competition_id: str
    submitted_at: str
    revision: int
    commitment: str
    total_fen: int
    end_at: str
    unit_price_fen: int


class CompetitionStanding(OpenShape):
    id: str
    status: str
    status_label: str
    starts_at: str
    end_at: str
    server_time: str
    best_total_fen: int
    bids: int
    leading: bool
    ceiling_fen: int
    rule: CompetitionRule
    actions: list[str]


class DesignatedItem(OpenShape):
    code: str
    name: str
    unit: str
    price_fen: int
    note: str


class DesignationView(OpenShape):
    id: str
    site_id: str
    service: str
    catalog_code: str
    supplier_uscc: str
    supplier_name: str
    districts: list[str]
    valid_from: str
    valid_to: str
    items: list[DesignatedItem]
    status: str
    status_reason: str
    version: int
    created_at: str
    updated_at: str
    created_by: str
    status_label: str
    catalog_name: str
    district_names: list[str]
    can_order: bool
    order_problem: str


class DesignationList(OpenShape):
    items: list[DesignationView]


class AgreementList(OpenShape):
    items: list[AgreementView]


class BatchList(OpenShape):
    items: list[BatchView]
