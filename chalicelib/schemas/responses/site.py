"""Sites, their configuration and pending changes, accounts and organisations, bulletins, notifications, sign-in, the
workbench and the audit trail."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from chalicelib.schemas.responses.common import Actor, AuditEvent, CatalogName, Limits, OpenShape, Upload


class SignedInUser(OpenShape):
    user_id: str
    username: str
    name: str
    role: str
    role_label: str
    tenant: str
    org_id: str
    org_name: str
    district: str


class LoginAnswer(OpenShape):
    token: str
    expires_in: int
    user: SignedInUser


class ResetRequested(OpenShape):
    sent: bool
    message: str


class ResetDone(OpenShape):
    reset: bool


class MeView(OpenShape):
    user: SignedInUser


class NotificationView(OpenShape):
    id: str
    recipient: str
    site_id: str
    kind: str
    kind_label: str
    title: str
    body: str
    link: str = Field(description="站内链接，点开即到相关的订单、项目或公告")
    at: str
    read: bool
    read_at: str


class NotificationRead(NotificationView):
    unread: int = Field(ge=0, description="仍未读的条数")


class NotificationPage(OpenShape):
    items: list[NotificationView]
    next_cursor: str | None
    unread: int


class NotificationsMarked(OpenShape):
    marked: int
    unread: int


class UnreadCount(OpenShape):
    unread: int


class PasswordChanged(OpenShape):
    changed: bool


class SiteLook(OpenShape):
    title: str
    theme_color: str
    subtitle: str


class SiteSummary(OpenShape):
    id: str
    name: str
    short_name: str
    division_code: str
    look: SiteLook


class SiteList(OpenShape):
    items: list[SiteSummary]


class AccountView(OpenShape):
    username: str
    name: str
    org_name: str
    district: str
    enabled: bool
    state_label: str
    org_id: str | None = None
    created_at: str | None = None


class AccountList(OpenShape):
    items: list[AccountView]


class AuditPage(OpenShape):
    items: list[AuditEvent]
    next_cursor: str | None


class ExportFile(OpenShape):
    url: str
    file_name: str
    rows: int
    truncated: bool


class AuditEntityType(OpenShape):
    code: str
    label: str


class AuditAction(OpenShape):
    code: str
    label: str
    entity_type: str


class AuditOptions(OpenShape):
    entity_types: list[AuditEntityType]
    actions: list[AuditAction]


class SiteChangeView(OpenShape):
    """A change to a site's limits or methods, effective from a future date (published in advance)."""

    id: str
    site_id: str
    kind: str
    payload: dict[str, Any]
    effective_at: str
    effective_date: str
    status: str
    requested_by: Actor
    requested_at: str
    closed_at: str


class SiteChangeAnswer(OpenShape):
    applied: bool
    site_version: int
    change: SiteChangeView | None


class BulletinFile(OpenShape):
    file_id: str
    file_name: str
    content_type: str
    size: int
    url: str | None = None


class BulletinFields(OpenShape):
    """A bulletin (公告): who published what, when, with which attachments."""

    site_id: str
    id: str
    kind: str
    kind_label: str
    title: str
    pinned: bool
    link: str
    status: str
    status_label: str
    published_at: str
    updated_at: str
    author: str
    author_name: str
    version: int
    files: list[BulletinFile]


class BulletinSummary(BulletinFields):
    """A bulletin in a list: the start of its body."""

    excerpt: str


class BulletinView(BulletinFields):
    """A bulletin read on its own: its whole body."""

    body: str


class BulletinPage(OpenShape):
    items: list[BulletinSummary]
    total: int


class BulletinFileTicket(OpenShape):
    file_id: str
    upload: Upload
    max_bytes: int


class SiteChangeList(OpenShape):
    items: list[SiteChangeView]


class SiteDistrict(OpenShape):
    code: str
    name: str
    short_name: str
    kind: str
    code_source: str


class SiteMethod(OpenShape):
    code: str
    label: str
    open: bool
    enabled: bool
    state_label: str


class BiddingRules(OpenShape):
    bidding_min_suppliers: int
    bidding_response_hours: int
    winner_confirm_working_days: int
    bidding_min_response_minutes: int
    bidding_max_response_hours: int
    bidding_draw_min: int
    direct_after_failure: int
    sme_deduction_bp: int
    auction_minutes: int
    auction_extension_window_minutes: int
    auction_extension_minutes: int
    auction_min_step_bp: int
    auction_max_step_bp: int
    framework_end_margin_days: int


class SiteConfigCategory(OpenShape):
    id: str
    name: str
    parent_id: str
    is_leaf: bool
    catalog_code: str
    catalog_name: str
    spec_params: list[dict[str, Any]]


class SiteConfigView(OpenShape):
    id: str
    name: str
    short_name: str
    city_name: str
    division_code: str
    catalog_edition: str
    look: SiteLook
    districts: list[SiteDistrict]
    methods: list[SiteMethod]
    all_methods: list[SiteMethod]
    limits: Limits
    bidding: BiddingRules
    categories: list[SiteConfigCategory]
    decentralized_categories: list[CatalogName]
    version: int
    updated_at: str


class OrgView(OpenShape):
    site_id: str
    uscc: str
    name: str
    district: str
    district_name: str
    kind: str
    contact_name: str
    contact_phone: str
    created_at: str
    created_by: str


class OrgList(OpenShape):
    items: list[OrgView]


class WorkbenchTile(OpenShape):
    key: str
    label: str
    count: int
    count_text: str
    link: str
    hint: str


class Workbench(OpenShape):
    role: str
    role_label: str
    tiles: list[WorkbenchTile]
