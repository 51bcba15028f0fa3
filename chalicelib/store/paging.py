"""Opaque page cursors: a DynamoDB LastEvaluatedKey, base64 JSON, checked on the way back in."""

from __future__ import annotations

import base64
import json
from typing import Any

from chalicelib.domain.errors import InvalidInput


def encode_cursor(key: dict[str, Any] | None) -> str | None:
    if not key:
        return None
    return base64.urlsafe_b64encode(json.dumps(key, separators=(",", ":")).encode()).decode()


def decode_cursor(cursor: str | None, expected: dict[str, str]) -> dict[str, Any] | None:
    """A cursor is a LastEvaluatedKey; it must name the partition being read, with string keys only."""
    if not cursor:
        return None
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, UnicodeError) as exc:
        raise InvalidInput("分页游标无效", code="INVALID_CURSOR") from exc
    valid = (
        isinstance(key, dict)
        and all(isinstance(v, dict) and set(v) == {"S"} and isinstance(v["S"], str) for v in key.values())
        and all(key.get(name, {}).get("S") == value for name, value in expected.items())
    )
    if not valid:
        raise InvalidInput("分页游标无效", code="INVALID_CURSOR")
    return dict(key)


# A filtered read stops after this many pages of FILTERED_PAGE_SIZE even when it has found fewer than asked: the
# cursor then goes on where it stopped, so one request never reads a whole partition.
MAX_FILTERED_PAGES = 5
FILTERED_PAGE_SIZE = 100


def filtered_page(
    index: Any,
    partition: str,
    key_condition: Any,
    filter_condition: Any,
    limit: int,
    start: dict[str, Any] | None,
    key_names: tuple[str, ...],
) -> tuple[list[dict[str, Any]], str | None]:
    """Up to `limit` raw items of a Query with a filter, newest first, and the cursor to go on.

    DynamoDB applies a filter after reading a page, so a page may hold few matches: read pages of
    FILTERED_PAGE_SIZE until `limit` match or MAX_FILTERED_PAGES were read; the cursor is the last match's key
    when the page had more, else the page's own LastEvaluatedKey.
    """
    pages = index.query(
        partition,
        key_condition,
        filter_condition=filter_condition,
        scan_index_forward=False,
        page_size=FILTERED_PAGE_SIZE if filter_condition is not None else limit,
        last_evaluated_key=start,
    ).page_iter
    found: list[dict[str, Any]] = []
    for read, page in enumerate(pages, start=1):
        rows = page.get("Items", [])
        for position, raw in enumerate(rows):
            found.append(raw)
            if len(found) == limit:
                more = position < len(rows) - 1 or pages.last_evaluated_key is not None
                return found, encode_cursor({name: raw[name] for name in key_names}) if more else None
        if pages.last_evaluated_key is None or read >= MAX_FILTERED_PAGES:
            break
    return found, encode_cursor(pages.last_evaluated_key)
