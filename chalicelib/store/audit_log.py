"""Reading the audit trail: one entity's history, or a site's timeline, newest first."""

from __future__ import annotations

import base64
import json
from typing import Any

from chalicelib.domain.errors import InvalidInput
from chalicelib.store.models import AuditItem


def _encode_cursor(key: dict[str, Any] | None) -> str | None:
    if not key:
        return None
    return base64.urlsafe_b64encode(json.dumps(key, separators=(",", ":")).encode()).decode()


def _decode_cursor(cursor: str | None) -> dict[str, Any] | None:
    if not cursor:
        return None
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, UnicodeError) as exc:
        raise InvalidInput("分页游标无效", code="INVALID_CURSOR") from exc
    expected = {"pk", "sk", "gsi1pk", "gsi1sk"}
    if (
        not isinstance(key, dict)
        or set(key) != expected
        or not all(isinstance(v, dict) and set(v) == {"S"} and isinstance(v["S"], str) for v in key.values())
    ):
        raise InvalidInput("分页游标无效", code="INVALID_CURSOR")
    return key


class DynamoAuditLog:
    def site_timeline(self, tenant: str, limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
        start = _decode_cursor(cursor)
        if start is not None and start.get("gsi1pk", {}).get("S") != tenant:
            raise InvalidInput("分页游标无效", code="INVALID_CURSOR")
        result = AuditItem.gsi1.query(tenant, scan_index_forward=False, limit=limit, last_evaluated_key=start)
        items = [i.data for i in result]
        return items, _encode_cursor(result.last_evaluated_key)

    def entity_history(self, tenant: str, entity_type: str, entity_id: str) -> list[dict[str, Any]]:
        return [i.data for i in AuditItem.query(f"{tenant}#{entity_type}#{entity_id}")]
