"""Reading the audit trail: one entity's history, or a site's timeline, newest first."""

from __future__ import annotations

from typing import Any

from chalicelib.store import keys
from chalicelib.store.models import AuditItem
from chalicelib.store.paging import decode_cursor, encode_cursor


class DynamoAuditLog:
    def site_timeline(self, tenant: str, limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
        start = decode_cursor(cursor, {"gsi1pk": tenant})
        result = AuditItem.gsi1.query(tenant, scan_index_forward=False, limit=limit, last_evaluated_key=start)
        items = [i.data for i in result]
        return items, encode_cursor(result.last_evaluated_key)

    def entity_history(self, tenant: str, entity_type: str, entity_id: str) -> list[dict[str, Any]]:
        return [i.data for i in AuditItem.query(keys.audit_entity(tenant, entity_type, entity_id))]
