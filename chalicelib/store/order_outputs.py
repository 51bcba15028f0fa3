"""What an order sends out: its documents in the reports bucket, its events on the order bus."""

from __future__ import annotations

import json

from chalicelib.config import get_settings
from chalicelib.domain.order_events import SOURCE, OutboundEvent
from chalicelib.store.aws import client
from chalicelib.store.uploads import DOWNLOAD_EXPIRES_SECONDS, signed_link

__all__ = ["DOWNLOAD_EXPIRES_SECONDS", "document_exists", "document_url", "publish", "store_document"]


class PublishFailed(RuntimeError):
    """EventBridge refused the event: the stream record is retried."""


def store_document(key: str, html: str) -> None:
    """Overwrites with the same bytes when repeated (documents render deterministically)."""
    client("s3").put_object(
        Bucket=get_settings().reports_bucket,
        Key=key,
        Body=html.encode("utf-8"),
        ContentType="text/html; charset=utf-8",
    )


def document_exists(key: str) -> bool:
    s3 = client("s3")
    try:
        s3.head_object(Bucket=get_settings().reports_bucket, Key=key)
    except s3.exceptions.ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            return False
        raise
    return True


def document_url(key: str, file_name: str) -> str:
    """Opens in the browser (a printable page), under a file name if saved."""
    return signed_link(get_settings().reports_bucket, key, file_name, inline=True)


def publish(event: OutboundEvent) -> None:
    answer = client("events").put_events(
        Entries=[
            {
                "Source": SOURCE,
                "DetailType": event.detail_type,
                "Detail": json.dumps(event.detail, ensure_ascii=False),
                "EventBusName": get_settings().event_bus_name,
            }
        ]
    )
    if answer.get("FailedEntryCount"):
        raise PublishFailed(json.dumps(answer.get("Entries", []), ensure_ascii=False))
