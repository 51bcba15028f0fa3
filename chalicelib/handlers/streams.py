"""The one reader of the main table's stream, and the queue functions behind the consumers that call out.

DynamoDB Streams allows two readers per shard, so one function reads and fans
out. For each record it decodes a `Change` and, for each consumer declared for
that kind (chalicelib.lambdas.stream_consumer):

- a queued consumer gets the change on its own FIFO queue (grouped by item,
  so one item's changes stay in order; deduplicated by record and consumer, so
  a retried batch does not queue a change twice). Its function runs it with its
  own retries and its own dead-letter queue: a failing document render never
  holds or re-runs the catalog projection;
- an inline consumer (an idempotent projection within DynamoDB) runs here.

A record that fails (a queue refused the message, an inline projection
raised) is reported with `batchItemFailures`, so only it and the records after
it on the shard are retried. A record that can never succeed (it does not
decode, or its kind is not an item the table holds) goes straight to the
stream's dead-letter queue with a log line, and reading goes on.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from chalicelib.lambdas import (
    STREAM_CONSUMERS,
    Change,
    StreamConsumer,
    consumers_of,
    entry_point,
    load_declarations,
    stream_reader,
)
from chalicelib.observability import logger, metrics

MAIN_TABLE = "MainTable"


class PoisonRecord(ValueError):
    """A record no retry can mend: it goes to the dead-letter queue at once."""


class UnreadableMessage(ValueError):
    """A queue message that is not a change for the consumer of that queue."""


def decode_image(image: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if not image:
        return None
    from boto3.dynamodb.types import TypeDeserializer

    deserializer = TypeDeserializer()
    return {k: deserializer.deserialize(v) for k, v in image.items()}


def decode_record(record: Mapping[str, Any], known_kinds: frozenset[str]) -> Change:
    """A Lambda stream record -> Change; PoisonRecord when it is not one of the table's items."""
    try:
        dynamodb = record["dynamodb"]
        keys = {k: str(v) for k, v in (decode_image(dynamodb["Keys"]) or {}).items()}
        old, new = decode_image(dynamodb.get("OldImage")), decode_image(dynamodb.get("NewImage"))
        event_id, event_name = str(record["eventID"]), str(record["eventName"])
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise PoisonRecord(f"stream record does not decode: {type(exc).__name__}: {exc}") from exc
    kind = str((new or old or {}).get("kind", ""))
    if kind not in known_kinds:
        raise PoisonRecord(f"stream record of unknown kind {kind!r} (keys {keys})")
    return Change(event_id, event_name, kind, keys, old, new)


def _main_table_kinds() -> frozenset[str]:
    from chalicelib.store.models import item_kinds

    return item_kinds()


def _sequence_number(record: Mapping[str, Any]) -> str:
    return str((record.get("dynamodb") or {}).get("SequenceNumber", ""))


def _queue_message(consumer: StreamConsumer, record: Mapping[str, Any], change: Change) -> dict[str, str]:
    body = {"consumer": consumer.name, "table": consumer.table, "record": record}
    marker = f"{change.event_id}#{consumer.name}".encode()
    return {
        "MessageBody": json.dumps(body, ensure_ascii=False, separators=(",", ":"), default=str),
        # One item's changes stay in order; different items run in parallel.
        "MessageGroupId": hashlib.sha256("#".join(sorted(change.keys.values())).encode()).hexdigest()[:64],
        "MessageDeduplicationId": hashlib.sha256(marker).hexdigest(),
    }


def _dead_letter(record: Mapping[str, Any], reason: str, table: str) -> None:
    from chalicelib.store.queues import send_to_dead_letters

    logger.error("stream record set aside", extra={"table": table, "reason": reason, "event_id": record.get("eventID")})
    metrics.add_metric(name="StreamRecordSetAside", unit="Count", value=1)
    send_to_dead_letters(table, {"reason": reason, "record": record})


def read_stream(table: str, records: Iterable[Mapping[str, Any]]) -> dict[str, list[dict[str, str]]]:
    """Fan one batch out; returns the partial batch failures (the first failed record onward is retried)."""
    from chalicelib.store.queues import send_change

    load_declarations()
    queued = consumers_of(table, queued=True)
    inline = consumers_of(table, queued=False)
    known = _main_table_kinds()
    for record in records:
        try:
            change = decode_record(record, known)
        except PoisonRecord as exc:
            _dead_letter(record, str(exc), table)
            continue
        try:
            for consumer in queued:
                if change.kind in consumer.kinds:
                    send_change(consumer.queue, _queue_message(consumer, record, change))
            for consumer in inline:
                if change.kind in consumer.kinds:
                    _run(consumer, change)
        except Exception:
            logger.exception("stream record failed; it is retried", extra={"event_id": change.event_id})
            return {"batchItemFailures": [{"itemIdentifier": _sequence_number(record)}]}
    return {"batchItemFailures": []}


def _run(consumer: StreamConsumer, change: Change) -> None:
    try:
        consumer.run(change)
    except Exception:
        logger.exception(
            "stream consumer failed", extra={"consumer": consumer.name, "kind": change.kind, "keys": change.keys}
        )
        _count_failure(consumer.name)
        raise


def _count_failure(consumer: str) -> None:
    from aws_lambda_powertools.metrics import MetricUnit, single_metric

    with single_metric(name="ConsumerFailed", unit=MetricUnit.Count, value=1) as metric:
        metric.add_dimension(name="consumer", value=consumer)


@stream_reader("on_main_table_change", table=MAIN_TABLE, batch_size=50)
@entry_point("on_main_table_change")
def on_main_table_change(event: dict[str, Any], context: Any) -> dict[str, list[dict[str, str]]]:
    """Streams deliver at least once (and moto repeats INSERTs): every consumer is idempotent."""
    return read_stream(MAIN_TABLE, event.get("Records") or [])


def parse_message(record: Mapping[str, Any]) -> tuple[StreamConsumer, Change]:
    """A queue record -> (its consumer, the change); UnreadableMessage when it is not one."""
    load_declarations()
    try:
        body = json.loads(record["body"])
        consumer = STREAM_CONSUMERS[body["consumer"]]
        stream_record = body["record"]
    except (KeyError, TypeError, ValueError) as exc:
        raise UnreadableMessage(f"queue message does not parse: {type(exc).__name__}: {exc}") from exc
    queue_name = str(record.get("eventSourceARN", "")).rsplit(":", 1)[-1]
    from chalicelib.store.queues import queue_name_matches

    if not consumer.queued or not queue_name_matches(consumer.queue, queue_name):
        raise UnreadableMessage(f"message for {consumer.name!r} arrived on queue {queue_name!r}")
    try:
        return consumer, decode_record(stream_record, _main_table_kinds())
    except PoisonRecord as exc:
        raise UnreadableMessage(str(exc)) from exc


@entry_point("queue_consumer")
def on_queue_message(event: dict[str, Any], context: Any) -> dict[str, list[dict[str, str]]]:
    """Run a queued consumer over its messages; FIFO: after the first failure, the rest wait for the retry."""
    records = list(event.get("Records") or [])
    for index, record in enumerate(records):
        try:
            consumer, change = parse_message(record)
        except UnreadableMessage as exc:
            logger.error("unreadable queue message", extra={"message_id": record.get("messageId"), "reason": str(exc)})
            _count_failure("unreadable")
            return _failed_from(records, index)
        try:
            _run(consumer, change)
        except Exception:
            return _failed_from(records, index)
    return {"batchItemFailures": []}


def _failed_from(records: list[Mapping[str, Any]], index: int) -> dict[str, list[dict[str, str]]]:
    return {"batchItemFailures": [{"itemIdentifier": str(r.get("messageId", ""))} for r in records[index:]]}
