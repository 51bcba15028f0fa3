"""Audit events (全程留痕): who did what to which thing, when, with before and after.

Events are immutable: the store writes each one once, in the same transaction
as the change it records, and never updates or deletes it.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, NamedTuple

from chalicelib.domain.clock import china_days_window, to_iso


class AuditEvent(NamedTuple):
    id: str
    tenant: str
    entity_type: str
    entity_id: str
    action: str
    summary: str
    actor: Mapping[str, str]
    at: str
    before: Any = None
    after: Any = None
    request_id: str = ""
    context: Mapping[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "tenant": self.tenant,
            "entity_type": self.entity_type,
            "entity_id": self.entity_id,
            "action": self.action,
            "summary": self.summary,
            "actor": dict(self.actor),
            "at": self.at,
            "before": self.before,
            "after": self.after,
            "request_id": self.request_id,
            "context": dict(self.context or {}),
        }


def new_event(
    *,
    tenant: str,
    entity_type: str,
    entity_id: str,
    action: str,
    summary: str,
    actor: Mapping[str, str],
    at: datetime,
    before: Any = None,
    after: Any = None,
    request_id: str = "",
    context: Mapping[str, Any] | None = None,
) -> AuditEvent:
    return AuditEvent(
        id=uuid.uuid4().hex,
        tenant=tenant,
        entity_type=entity_type,
        entity_id=entity_id,
        action=action,
        summary=summary,
        actor=actor,
        at=to_iso(at),
        before=before,
        after=after,
        request_id=request_id,
        context=context or {},
    )


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Only the keys whose values differ, for compact before/after records."""
    keys = sorted(set(before) | set(after))
    return {k: {"before": before.get(k), "after": after.get(k)} for k in keys if before.get(k) != after.get(k)}


class AuditFilter(NamedTuple):
    """What an operator narrows a site's timeline to; every field optional. Dates are China calendar days."""

    actor: str = ""  # a username
    entity_type: str = ""
    entity_id: str = ""
    action: str = ""
    first_day: date | None = None
    last_day: date | None = None

    def is_empty(self) -> bool:
        return self == AuditFilter()

    def window(self) -> tuple[str, str] | None:
        return china_days_window(self.first_day, self.last_day)
