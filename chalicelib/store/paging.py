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
