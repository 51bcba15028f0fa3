"""Drive what moto never fires: DynamoDB stream handlers and scheduled lambdas.

Each pump calls the app's own handler (app.handler_map) with the event shape
AWS Lambda would deliver, so the handlers run unchanged here and in AWS.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

import boto3

from scheduled.emulation import LocalLambdaContext

log = logging.getLogger("yuncai.pumps")
REGION = "us-east-1"
ACCOUNT = "123456789012"


def lambda_stream_records(records: list[dict[str, Any]], stream_arn: str) -> dict[str, Any]:
    """dynamodbstreams.get_records output -> the event a Lambda event source mapping sends."""
    shaped = []
    for record in records:
        dynamodb = dict(record["dynamodb"])
        created = dynamodb.get("ApproximateCreationDateTime")
        if isinstance(created, datetime):
            dynamodb["ApproximateCreationDateTime"] = created.timestamp()
        shaped.append({**record, "eventSourceARN": stream_arn, "dynamodb": dynamodb, "awsRegion": REGION})
    return {"Records": shaped}


def scheduled_event(rule_name: str) -> dict[str, Any]:
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": ACCOUNT,
        "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "region": REGION,
        "resources": [f"arn:aws:events:{REGION}:{ACCOUNT}:rule/{rule_name}"],
        "detail": {},
    }


def rate_seconds(expression: str) -> int:
    """'rate(10 minutes)' -> 600. Cron expressions are not used by this app."""
    match = re.fullmatch(r"rate\((\d+) (minute|minutes|hour|hours|day|days)\)", expression)
    if not match:
        raise ValueError(f"unsupported schedule expression: {expression}")
    unit = {"minute": 60, "hour": 3600, "day": 86400}[match.group(2).rstrip("s")]
    return int(match.group(1)) * unit


class StreamPump:
    """Polls a table's stream and calls a handler, as Lambda's event source mapping does.

    A batch that keeps failing goes to the dead-letter queue after `max_attempts`,
    like the mapping's OnFailure destination in the template.
    """

    def __init__(
        self,
        name: str,
        handler: Callable[[dict[str, Any], Any], Any],
        table_name: str,
        batch_size: int,
        dlq_url: str = "",
        max_attempts: int = 3,
    ) -> None:
        self.name = name
        self.handler = handler
        self.table_name = table_name
        self.batch_size = batch_size
        self.dlq_url = dlq_url
        self.max_attempts = max_attempts
        self._streams = boto3.client("dynamodbstreams")
        self._iterators: list[str] = []
        self._stream_arn = ""

    def start_at(self, position: str = "LATEST") -> None:
        table = boto3.client("dynamodb").describe_table(TableName=self.table_name)["Table"]
        self._stream_arn = table["LatestStreamArn"]
        shards = self._streams.describe_stream(StreamArn=self._stream_arn)["StreamDescription"]["Shards"]
        self._iterators = [
            self._streams.get_shard_iterator(
                StreamArn=self._stream_arn, ShardId=s["ShardId"], ShardIteratorType=position
            )["ShardIterator"]
            for s in shards
        ]

    def poll_once(self) -> int:
        """Deliver what is waiting; returns the number of records handed to the handler."""
        delivered = 0
        for index, iterator in enumerate(self._iterators):
            result = self._streams.get_records(ShardIterator=iterator, Limit=self.batch_size)
            self._iterators[index] = result["NextShardIterator"]
            if result["Records"]:
                self._deliver(lambda_stream_records(result["Records"], self._stream_arn))
                delivered += len(result["Records"])
        return delivered

    def _deliver(self, event: dict[str, Any]) -> None:
        for attempt in range(1, self.max_attempts + 1):
            try:
                self.handler(event, LocalLambdaContext(self.name))
                return
            except Exception:
                log.exception("stream handler %s failed (attempt %d)", self.name, attempt)
        if self.dlq_url:
            boto3.client("sqs").send_message(
                QueueUrl=self.dlq_url,
                MessageBody=json.dumps({"function": self.name, "records": len(event["Records"])}, ensure_ascii=False),
            )


class Pumps:
    """Background threads for the embedded run: stream pollers and schedules."""

    def __init__(self, stop: threading.Event) -> None:
        self.stop = stop
        self.threads: list[threading.Thread] = []

    def add_stream(self, pump: StreamPump, interval: float = 0.5) -> None:
        """Poll a pump that has been positioned with start_at()."""

        def loop() -> None:
            backlog, started = 0, time.monotonic()
            while not self.stop.wait(0 if backlog else interval):
                try:
                    delivered = pump.poll_once()
                except Exception:
                    log.exception("stream pump %s failed", pump.name)
                    continue
                if delivered:
                    backlog += delivered
                elif backlog:
                    log.info("stream %s: %d records handled in %.1f s", pump.name, backlog, time.monotonic() - started)
                    backlog, started = 0, time.monotonic()
                else:
                    started = time.monotonic()

        self._spawn(f"stream-{pump.name}", loop)

    def add_schedule(self, name: str, handler: Callable[[dict[str, Any], Any], Any], every_seconds: float) -> None:
        def loop() -> None:
            while not self.stop.wait(every_seconds):
                try:
                    handler(scheduled_event(name), LocalLambdaContext(name))
                except Exception:
                    log.exception("schedule %s failed", name)

        self._spawn(f"schedule-{name}", loop)

    def _spawn(self, name: str, target: Callable[[], None]) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self.threads.append(thread)

    def join(self, timeout: float = 5.0) -> None:
        for thread in self.threads:
            thread.join(timeout)
