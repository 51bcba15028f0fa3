"""Reading the audit trail: one entity's history, or a site's timeline, newest first, optionally filtered."""

from __future__ import annotations

from typing import Any

from chalicelib.domain.audit import AuditFilter
from chalicelib.store import keys
from chalicelib.store.models import AuditItem
from chalicelib.store.paging import decode_cursor, encode_cursor

# A filtered read stops after this many pages (of up to 100 events) even when it has found fewer than asked:
# the cursor then continues where it stopped, so one request never reads a whole site's history.
MAX_FILTERED_PAGES = 5
FILTERED_PAGE_SIZE = 100
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
        pages = AuditItem.gsi1.query(
            tenant,
            key_condition,
            filter_condition=_condition(only),
            scan_index_forward=False,
            page_size=FILTERED_PAGE_SIZE if _condition(only) is not None else limit,
            last_evaluated_key=start,
        ).page_iter
        found: list[dict[str, Any]] = []
        for read, page in enumerate(pages, start=1):
            rows = page.get("Items", [])
            for index, raw in enumerate(rows):
                found.append(AuditItem.from_raw_data(raw).data)
                if len(found) == limit:
                    more = index < len(rows) - 1 or pages.last_evaluated_key is not None
                    return found, encode_cursor(_key_of(raw)) if more else None
            if pages.last_evaluated_key is None or read >= MAX_FILTERED_PAGES:
                break
        return found, encode_cursor(pages.last_evaluated_key)

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


def _key_of(raw: dict[str, Any]) -> dict[str, Any]:
    """The LastEvaluatedKey of an item read from the site index: its table key and index key."""
    return {name: raw[name] for name in ("pk", "sk", "gsi1pk", "gsi1sk")}
