"""The queues behind the stream consumers, and the stream's dead-letter queue."""

from __future__ import annotations

import json
from typing import Any

from chalicelib.config import get_settings
from chalicelib.store.aws import client

STREAM_DEAD_LETTERS = "StreamDeadLetterQueue"


def send_change(queue: str, message: dict[str, str]) -> None:
    """Queue one change for a consumer (FIFO: the message carries its group and deduplication id)."""
    client("sqs").send_message(QueueUrl=get_settings().queue_url(queue), **message)


def send_to_dead_letters(table: str, body: dict[str, Any]) -> None:
    """A stream record no retry can mend, kept for an operator to look at (the stream reads on)."""
    client("sqs").send_message(
        QueueUrl=get_settings().queue_url(STREAM_DEAD_LETTERS),
        MessageBody=json.dumps({"table": table, **body}, ensure_ascii=False, default=str),
    )


def queue_name_matches(queue: str, name: str) -> bool:
    """Whether `name` (from a record's eventSourceARN) is the queue this function was given."""
    return get_settings().queue_url(queue).rstrip("/").rsplit("/", 1)[-1] == name
