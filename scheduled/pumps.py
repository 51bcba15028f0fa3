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
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

import boto3

from scheduled.emulation import LocalLambdaContext, acting_as, resolve_handler

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


def _failed_ids(answer: Any) -> list[str]:
    if not isinstance(answer, dict):
        return []
    return [str(f.get("itemIdentifier", "")) for f in answer.get("batchItemFailures") or []]


class StreamPump:
    """Polls a table's stream and calls a handler, as Lambda's event source mapping does.

    The handler answers partial batch failures: the first failed record and the
    ones after it are delivered again. A batch that keeps failing after
    `max_attempts` is reported to the dead-letter queue and reading goes on,
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
        with acting_as(self.name):
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
            with acting_as(self.name):
                result = self._streams.get_records(ShardIterator=iterator, Limit=self.batch_size)
            self._iterators[index] = result["NextShardIterator"]
            if result["Records"]:
                self._deliver(lambda_stream_records(result["Records"], self._stream_arn)["Records"])
                delivered += len(result["Records"])
        return delivered

    def _deliver(self, records: list[dict[str, Any]]) -> None:
        pending = records
        for attempt in range(1, self.max_attempts + 1):
            try:
                with acting_as(self.name):
                    failed = _failed_ids(self.handler({"Records": pending}, LocalLambdaContext(self.name)))
            except Exception:
                log.exception("stream handler %s failed (attempt %d)", self.name, attempt)
                continue
            if not failed:
                return
            sequence = [r["dynamodb"].get("SequenceNumber") for r in pending]
            pending = pending[sequence.index(failed[0]) :] if failed[0] in sequence else pending
            log.warning("stream handler %s: %d records to retry (attempt %d)", self.name, len(pending), attempt)
        if self.dlq_url:
            body = {
                "function": self.name,
                "records": len(pending),
                "first_sequence_number": pending[0]["dynamodb"].get("SequenceNumber"),
            }
            with acting_as(self.name):
                boto3.client("sqs").send_message(
                    QueueUrl=self.dlq_url, MessageBody=json.dumps(body, ensure_ascii=False)
                )


class QueuePump:
    """Receives from a queue and calls its function, as Lambda's SQS event source mapping does.

    Messages the function reports as failed are made visible again at once
    (here; in AWS after the visibility timeout); SQS itself moves a message to
    the dead-letter queue once it has been received maxReceiveCount times.
    """

    def __init__(
        self, name: str, handler: Callable[[dict[str, Any], Any], Any], queue_url: str, batch_size: int = 10
    ) -> None:
        self.name = name
        self.handler = handler
        self.queue_url = queue_url
        self.batch_size = batch_size
        self._sqs = boto3.client("sqs")
        with acting_as(name):  # the event source mapping reads the queue's attributes with the function's role
            attributes = self._sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])
        self._arn = attributes["Attributes"]["QueueArn"]

    def poll_once(self) -> int:
        with acting_as(self.name):
            messages = self._sqs.receive_message(
                QueueUrl=self.queue_url,
                MaxNumberOfMessages=self.batch_size,
                AttributeNames=["All"],
                MessageAttributeNames=["All"],
            ).get("Messages", [])
        if not messages:
            return 0
        records = [self._record(m) for m in messages]
        try:
            with acting_as(self.name):
                failed = set(_failed_ids(self.handler({"Records": records}, LocalLambdaContext(self.name))))
        except Exception:
            log.exception("queue function %s failed", self.name)
            failed = {r["messageId"] for r in records}
        with acting_as(self.name):
            for message in messages:
                if message["MessageId"] in failed:
                    self._sqs.change_message_visibility(
                        QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
                    )
                else:
                    self._sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"])
        return len(messages)

    def _record(self, message: dict[str, Any]) -> dict[str, Any]:
        return {
            "messageId": message["MessageId"],
            "receiptHandle": message["ReceiptHandle"],
            "body": message["Body"],
            "attributes": message.get("Attributes", {}),
            "messageAttributes": message.get("MessageAttributes", {}),
            "md5OfBody": message.get("MD5OfBody", ""),
            "eventSource": "aws:sqs",
            "eventSourceARN": self._arn,
            "awsRegion": REGION,
        }


class Pipeline:
    """Every stream reader and queue function of the declarations, pumped as AWS would run them."""

    def __init__(self, env: Mapping[str, str], replay_stream: bool = True) -> None:
        from chalicelib.config import env_var
        from chalicelib.lambdas import Trigger, functions

        self.streams: list[StreamPump] = []
        self.queues: list[QueuePump] = []
        self.schedules: list[tuple[str, Callable[[dict[str, Any], Any], Any], str]] = []
        for function in functions():
            handler = resolve_handler(function.handler)
            if function.trigger is Trigger.STREAM:
                table = env[env_var(function.source, "AWS::DynamoDB::Table")]
                pump = StreamPump(
                    function.name,
                    handler,
                    table,
                    function.batch_size,
                    env.get(env_var("StreamDeadLetterQueue", "AWS::SQS::Queue"), ""),
                )
                # A fresh start projects what seeding wrote; a restore brought the projections back with it.
                pump.start_at("TRIM_HORIZON" if replay_stream else "LATEST")
                self.streams.append(pump)
            elif function.trigger is Trigger.QUEUE:
                url = env[env_var(function.source, "AWS::SQS::Queue")]
                self.queues.append(QueuePump(function.name, handler, url, function.batch_size))
            elif function.trigger is Trigger.SCHEDULE:
                self.schedules.append((function.name, handler, function.rate))

    def poll_once(self) -> int:
        return sum(p.poll_once() for p in self.streams) + sum(q.poll_once() for q in self.queues)

    def drain(self, max_rounds: int = 1000) -> int:
        """Pump until nothing is waiting on any stream or queue; returns what was delivered."""
        total = 0
        for _ in range(max_rounds):
            delivered = self.poll_once()
            total += delivered
            if not delivered:
                return total
        raise RuntimeError(f"the pipeline did not settle in {max_rounds} rounds")


class Pumps:
    """Background threads for the embedded run: stream pollers and schedules."""

    def __init__(self, stop: threading.Event, schedule_seconds: float = 60) -> None:
        self.stop = stop
        self.schedule_seconds = schedule_seconds
        self.threads: list[threading.Thread] = []

    def add_pipeline(self, pipeline: Pipeline, interval: float = 0.5) -> None:
        """Poll the pipeline's streams and queues; fire its schedules."""
        self.add_stream(pipeline, "pipeline", interval)
        for name, handler, rate in pipeline.schedules:
            self.add_schedule(name, handler, min(rate_seconds(rate), self.schedule_seconds))

    def add_stream(self, pump: StreamPump | QueuePump | Pipeline, name: str, interval: float = 0.5) -> None:
        """Poll a pump (a stream pump positioned with start_at(), a queue, or a whole pipeline)."""

        def loop() -> None:
            backlog, started = 0, time.monotonic()
            while not self.stop.wait(0 if backlog else interval):
                try:
                    delivered = pump.poll_once()
                except Exception:
                    log.exception("pump %s failed", name)
                    continue
                if delivered:
                    backlog += delivered
                elif backlog:
                    log.info("%s: %d records handled in %.1f s", name, backlog, time.monotonic() - started)
                    backlog, started = 0, time.monotonic()
                else:
                    started = time.monotonic()

        self._spawn(f"pump-{name}", loop)

    def add_schedule(self, name: str, handler: Callable[[dict[str, Any], Any], Any], every_seconds: float) -> None:
        def loop() -> None:
            while not self.stop.wait(every_seconds):
                try:
                    with acting_as(name):
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
