"""How a site operator (采购中心) changes limits and methods, now or from a date.

Purchase-limit standards are usually announced ahead and take effect on a day
(自某日起执行); a change with a future effective date is stored as a scheduled
change and applied by a deadline timer, with a periodic sweep as a safety net.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any, NamedTuple, Protocol

from chalicelib.domain.audit import AuditEvent, changed_fields, new_event
from chalicelib.domain.clock import china_date, china_midnight, parse_iso, to_iso
from chalicelib.domain.errors import Conflict, NotFound
from chalicelib.domain.principals import SYSTEM_ACTOR, Principal
from chalicelib.domain.sites import (
    BiddingDefaults,
    PurchaseLimits,
    PurchaseMethod,
    SiteConfig,
    limits_from_dict,
    limits_to_dict,
    validated_bidding,
    validated_limits,
    validated_methods,
    with_bidding,
    with_limits,
    with_methods,
)

ENTITY_SITE = "site"
CHANGE_ID_PATTERN = re.compile(r"^[0-9a-f]{32}$")
ENTITY_SITE_CHANGE = "site_change"


class ChangeKind(StrEnum):
    LIMITS = "limits"
    METHODS = "methods"
    BIDDING = "bidding"

    @property
    def label(self) -> str:
        return {ChangeKind.LIMITS: "采购限额", ChangeKind.METHODS: "采购方式", ChangeKind.BIDDING: "竞价与反拍规则"}[
            self
        ]


class ChangeStatus(StrEnum):
    PENDING = "pending"
    APPLIED = "applied"
    CANCELLED = "cancelled"


class ScheduledChange(NamedTuple):
    id: str
    site_id: str
    kind: ChangeKind
    payload: dict[str, Any]
    effective_at: str
    status: ChangeStatus
    requested_by: dict[str, str]
    requested_at: str
    closed_at: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "site_id": self.site_id,
            "kind": self.kind.value,
            "payload": self.payload,
            "effective_at": self.effective_at,
            "effective_date": china_date(parse_iso(self.effective_at)).isoformat(),
            "status": self.status.value,
            "requested_by": self.requested_by,
            "requested_at": self.requested_at,
            "closed_at": self.closed_at,
        }


class SiteStore(Protocol):
    """What the rules need from storage. Writes are all-or-nothing with their audit event."""

    def get(self, site_id: str) -> SiteConfig | None: ...

    def save(self, site: SiteConfig, expected_version: int, audit: AuditEvent) -> None:
        """Raise Conflict when the stored version is not expected_version."""

    def get_change(self, site_id: str, change_id: str) -> ScheduledChange | None: ...

    def list_changes(self, site_id: str) -> list[ScheduledChange]: ...

    def due_changes(self, now_iso: str) -> list[ScheduledChange]: ...

    def put_change(self, change: ScheduledChange, audit: AuditEvent) -> None: ...

    def close_change(
        self,
        change: ScheduledChange,
        audit: AuditEvent,
        site: SiteConfig | None = None,
        expected_version: int | None = None,
    ) -> None:
        """Mark a pending change applied/cancelled (conditional on it being pending),
        saving the site in the same transaction when one is given."""


class DeadlineTimer(Protocol):
    def start(self, name: str, due_at: str, payload: dict[str, Any]) -> None: ...


class ChangeRequest(NamedTuple):
    kind: ChangeKind
    payload: dict[str, Any]
    effective_date: date | None
    expected_version: int | None


def load_site(store: SiteStore, site_id: str) -> SiteConfig:
    site = store.get(site_id)
    if site is None:
        raise NotFound(f"站点 {site_id} 不存在", code="SITE_NOT_FOUND")
    return site


def _apply(site: SiteConfig, kind: ChangeKind, payload: dict[str, Any], at: datetime) -> SiteConfig:
    if kind is ChangeKind.LIMITS:
        return with_limits(site, limits_from_dict(payload), at)
    if kind is ChangeKind.BIDDING:
        return with_bidding(site, BiddingDefaults(**payload), at)
    return with_methods(site, tuple(PurchaseMethod(m) for m in payload["methods"]), at)


def _section(site: SiteConfig, kind: ChangeKind) -> dict[str, Any]:
    if kind is ChangeKind.LIMITS:
        return limits_to_dict(site.limits)
    if kind is ChangeKind.BIDDING:
        return site.bidding._asdict()
    return {"methods": [m.value for m in site.methods]}


def normalized_payload(kind: ChangeKind, payload: dict[str, Any]) -> dict[str, Any]:
    """Validate a change on its own, before it is stored or applied."""
    if kind is ChangeKind.LIMITS:
        limits: PurchaseLimits = validated_limits(limits_from_dict(payload))
        return limits_to_dict(limits)
    if kind is ChangeKind.BIDDING:
        return validated_bidding(BiddingDefaults(**payload))._asdict()
    methods = validated_methods(tuple(PurchaseMethod(m) for m in payload["methods"]))
    return {"methods": [m.value for m in methods]}


def request_change(
    store: SiteStore,
    timer: DeadlineTimer,
    actor: Principal,
    site_id: str,
    request: ChangeRequest,
    now: datetime,
    request_id: str = "",
) -> dict[str, Any]:
    """Apply a change now, or schedule it for the start of its effective day (China time)."""
    site = load_site(store, site_id)
    if request.expected_version is not None and request.expected_version != site.version:
        raise Conflict(
            f"站点配置已被他人修改（当前版本 {site.version}），请刷新后重试",
            code="VERSION_CONFLICT",
            details={"current_version": site.version},
        )
    payload = normalized_payload(request.kind, request.payload)
    if request.effective_date is None or request.effective_date <= china_date(now):
        updated = _apply(site, request.kind, payload, now)
        before, after = _section(site, request.kind), _section(updated, request.kind)
        audit = new_event(
            tenant=site_id,
            entity_type=ENTITY_SITE,
            entity_id=site_id,
            action=f"site.{request.kind.value}.changed",
            summary=f"修改{request.kind.label}",
            actor=actor.as_actor(),
            at=now,
            before=before,
            after=after,
            request_id=request_id,
            context={"changed": changed_fields(before, after), "version": updated.version},
        )
        store.save(updated, site.version, audit)
        return {"applied": True, "site_version": updated.version, "change": None}

    change = ScheduledChange(
        id=uuid.uuid4().hex,
        site_id=site_id,
        kind=request.kind,
        payload=payload,
        effective_at=to_iso(china_midnight(request.effective_date)),
        status=ChangeStatus.PENDING,
        requested_by=actor.as_actor(),
        requested_at=to_iso(now),
    )
    audit = new_event(
        tenant=site_id,
        entity_type=ENTITY_SITE,
        entity_id=site_id,
        action=f"site.{request.kind.value}.scheduled",
        summary=f"预约修改{request.kind.label}，自 {request.effective_date.isoformat()} 起生效",
        actor=actor.as_actor(),
        at=now,
        before=_section(site, request.kind),
        after=payload,
        request_id=request_id,
        context={"change_id": change.id, "effective_at": change.effective_at},
    )
    store.put_change(change, audit)
    _start_timer(timer, change)
    return {"applied": False, "site_version": site.version, "change": change.to_dict()}


def cancel_change(
    store: SiteStore, actor: Principal, site_id: str, change_id: str, now: datetime, request_id: str = ""
) -> ScheduledChange:
    change = store.get_change(site_id, change_id)
    if change is None:
        raise NotFound("预约修改不存在", code="CHANGE_NOT_FOUND")
    if change.status is not ChangeStatus.PENDING:
        raise Conflict("该预约修改已生效或已撤销，不能撤销", code="CHANGE_NOT_PENDING")
    closed = change._replace(status=ChangeStatus.CANCELLED, closed_at=to_iso(now))
    audit = new_event(
        tenant=site_id,
        entity_type=ENTITY_SITE,
        entity_id=site_id,
        action=f"site.{change.kind.value}.schedule_cancelled",
        summary=f"撤销预约修改{change.kind.label}",
        actor=actor.as_actor(),
        at=now,
        before={"status": change.status.value},
        after={"status": closed.status.value},
        request_id=request_id,
        context={"change_id": change.id},
    )
    store.close_change(closed, audit)
    return closed


def apply_due_change(store: SiteStore, site_id: str, change_id: str, now: datetime) -> str:
    """Apply one scheduled change if it is due. Returns early / applied / skipped.

    Safe to call more than once and from both the timer and the sweep: only a
    pending change is applied, under a condition on its status and the site version.
    """
    change = store.get_change(site_id, change_id)
    if change is None or change.status is not ChangeStatus.PENDING:
        return "skipped"
    if parse_iso(change.effective_at) > now:
        return "early"
    site = load_site(store, site_id)
    updated = _apply(site, change.kind, change.payload, now)
    before, after = _section(site, change.kind), _section(updated, change.kind)
    audit = new_event(
        tenant=site_id,
        entity_type=ENTITY_SITE,
        entity_id=site_id,
        action=f"site.{change.kind.value}.changed",
        summary=f"预约修改{change.kind.label}到期生效",
        actor=SYSTEM_ACTOR,
        at=now,
        before=before,
        after=after,
        context={"change_id": change.id, "requested_by": change.requested_by, "changed": changed_fields(before, after)},
    )
    store.close_change(
        change._replace(status=ChangeStatus.APPLIED, closed_at=to_iso(now)), audit, updated, site.version
    )
    return "applied"


def sweep_due_changes(store: SiteStore, now: datetime) -> dict[str, int]:
    """Apply every change whose day has come; the timer normally got there first."""
    counts = {"applied": 0, "skipped": 0, "conflict": 0}
    for change in store.due_changes(to_iso(now)):
        try:
            result = apply_due_change(store, change.site_id, change.id, now)
        except Conflict:
            counts["conflict"] += 1
            continue
        counts["applied" if result == "applied" else "skipped"] += 1
    return counts


def rearm_timers(store: SiteStore, timer: DeadlineTimer) -> int:
    """Start a timer for every pending change (after a restore; timers are idempotent by name)."""
    pending = store.due_changes("9999-12-31T23:59:59.999Z")
    for change in pending:
        _start_timer(timer, change)
    return len(pending)


def _start_timer(timer: DeadlineTimer, change: ScheduledChange) -> None:
    timer.start(
        name=f"site-change-{change.id}",
        due_at=change.effective_at,
        payload={"kind": "site_change", "site_id": change.site_id, "change_id": change.id},
    )
