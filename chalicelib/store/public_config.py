"""Public site configuration published as JSON next to the web site (CDN-cacheable)."""

from __future__ import annotations

import json
from typing import Any

from chalicelib.config import get_settings
from chalicelib.store.aws import client


def publish_site_config(view: dict[str, Any]) -> str:
    """Write sites/{id}/config.json to the web bucket; returns the key. Overwrites: idempotent."""
    key = f"sites/{view['id']}/config.json"
    client("s3").put_object(
        Bucket=get_settings().web_bucket,
        Key=key,
        Body=json.dumps(view, ensure_ascii=False, separators=(",", ":")).encode("utf-8"),
        ContentType="application/json; charset=utf-8",
        CacheControl="public, max-age=300",
    )
    return key
