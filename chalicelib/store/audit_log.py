"""Reading the audit trail: one entity's history, or a site's timeline, newest first, optionally filtered."""

from __future__ import annotations

from typing import Any

from chalicelib.domain.audit import AuditFilter
from chalicelib.store import keys
from chalicelib.store.models import AuditItem
from chalicelib.store.paging import decode_cursor, encode_cursor, filtered_page

NO_FILTER = AuditFilter()


class DynamoAuditLog:
    def site_timeline(
        self, tenant: str, limit: int, cursor: str | None, only: AuditFilter = NO_FILTER
    ) -> tuple[list[dict[str, Any]], str | None]:
        start = decode_cursor(cursor, {"gsi1pk": tenant})
        window = only.window()
        key_condition = AuditItem.gsi1sk.between(window[0], window[1]) if window else None
        if only.is_empty():
            result = AuditItem.gsi1.query(tenant, scan_index_forward=False, limit=limit, last_evaluated_key=start)
            items = [i.data for i in result]
            return items, encode_cursor(result.last_evaluated_key)
        rows, cursor = filtered_page(
            AuditItem.gsi1, tenant, key_condition, _condition(only), limit, start, ("pk", "sk", "gsi1pk", "gsi1sk")
        )
        return [AuditItem.from_raw_data(raw).data for raw in rows], cursor

    def entity_history(self, tenant: str, entity_type: str, entity_id: str) -> list[dict[str, Any]]:
        return [i.data for i in AuditItem.query(keys.audit_entity(tenant, entity_type, entity_id))]


def _condition(only: AuditFilter) -> Any:
    condition = None
    for attribute, wanted in (
        (AuditItem.actor, only.actor),
        (AuditItem.entity_type, only.entity_type),
        (AuditItem.entity_id, only.entity_id),
        (AuditItem.action, only.action),
    ):
        if wanted:
            condition = attribute == wanted if condition is None else condition & (attribute == wanted)
    return condition
