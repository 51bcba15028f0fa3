"""Every Lambda function of the app but the API, each declared once beside its code.

`api_route` declares a route with its roles; these decorators declare the rest
the same way: a timer task (run by the deadline state machine), a schedule, a
stream consumer (fed by the one reader of a table's stream) and, for consumers
that call out of DynamoDB, the queue they run behind. From these declarations
alone `infra/functions.py` writes each function's template entry (handler,
memory, timeout, trigger, environment, IAM policy), `infra/provision.py`
creates the queues in moto and the local run pumps them.

A need names a resource of infra/resources.json and an access to it:

    MainTable:read          GetItem, Query, BatchGetItem on the table and its indexes
    MainTable:write         read, plus PutItem, UpdateItem, DeleteItem, ConditionCheckItem, BatchWriteItem
    AuditTable:append       PutItem only (the code conditions it on attribute_not_exists)
    IdempotencyTable:records  GetItem, PutItem, UpdateItem, DeleteItem one record at a time
    ReportsBucket:put:orders/*   PutObject under that prefix (read, list likewise)
    OrderEventBus:publish   PutEvents
    DeadlineStateMachine:start   StartExecution
    CompetitionStateMachine:stop  StopExecution of its executions
    QuoteKey:encrypt        kms:Encrypt (QuoteKey:decrypt: kms:Decrypt)
    IntegrationSecret:read  GetSecretValue

This module imports nothing from AWS: declaring must not cost a cold start.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from enum import StrEnum
from typing import Any, NamedTuple

# What the API function needs; its routes are declared by api_route, its grants here.
API_NEEDS = (
    "MainTable:write",
    "AuditTable:append",
    "AuditTable:read",
    "IdempotencyTable:records",
    "CatalogTable:read",
    "ReportsBucket:read:orders/*",  # the signed links to order documents
    "UploadsBucket:read:*",  # uploaded documents: checked, and served by signed links
    "UploadsBucket:put:*",  # the presigned POST a supplier uploads with
    "UploadsBucket:delete:listing-images/*",  # an upload that is not the image it claims is not kept
    "DeadlineStateMachine:start",
    "CompetitionStateMachine:start",  # a competition's timer, and a new generation after a review
    "CompetitionStateMachine:stop",  # cancelling stops the timer (best effort)
    "QuoteKey:encrypt",  # seals quotes; only the competition task may decrypt
    "ReportsBucket:read:competitions/*",  # the signed links to competition records
    "ReportsBucket:read:reports/*",  # the signed links to compiled reports
    "ReportsBucket:read:open-data/*",  # the open-data index and the signed links to its packages
    "ReportsBucket:put:exports/*",  # exported lists (audit log, orders), fetched by signed link
    "ReportsBucket:read:exports/*",
    "StatsTable:read",  # the report index
    "IntegrationSecret:read",
    "PaymentSecret:read",
    "UserPool:manage-users",
    "UserPoolClient:name",
)


class Trigger(StrEnum):
    TIMER = "timer"  # invoked by a state machine's Task state
    SCHEDULE = "schedule"
    STREAM = "stream"
    QUEUE = "queue"


class LambdaFunction(NamedTuple):
    """One deployed function; `needs` decide its environment and its IAM policy."""

    name: str  # deployed as {stack}-{name}, logical id CamelCase of it
    handler: str  # the dotted path Lambda imports
    trigger: Trigger
    needs: tuple[str, ...]
    memory_mb: int = 256
    timeout_s: int = 60
    rate: str = ""  # Trigger.SCHEDULE: the schedule expression
    source: str = ""  # Trigger.STREAM: the table; Trigger.QUEUE: the queue (logical ids)
    batch_size: int = 10
    consumer: str = ""  # Trigger.QUEUE: the stream consumer it runs
    layers: tuple[str, ...] = ()  # Lambda layers of infra/resources.json (heavy libraries the API never carries)

    @property
    def logical_id(self) -> str:
        return logical_id(self.name)


class Change(NamedTuple):
    """One decoded stream record: the item before and after, as plain Python values."""

    event_id: str
    event_name: str  # INSERT | MODIFY | REMOVE
    kind: str  # the item's `kind` attribute ("listing", "order", …); "" when it has none
    keys: dict[str, str]
    old: dict[str, Any] | None
    new: dict[str, Any] | None


def document_of(image: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The JSON document (`data`) of a stream image, as a dict; None for an image without one (a removal)."""
    if not image or "data" not in image:
        return None
    raw = image["data"]
    return json.loads(raw) if isinstance(raw, str) else dict(raw)


class StreamConsumer(NamedTuple):
    name: str
    table: str
    kinds: frozenset[str]
    run: Callable[[Change], None]
    needs: tuple[str, ...]
    queued: bool  # runs behind its own queue (it calls out of DynamoDB)
    timeout_s: int
    layers: tuple[str, ...] = ()  # queued consumers only: Lambda layers of infra/resources.json
    memory_mb: int = 256

    @property
    def queue(self) -> str:
        return f"{logical_id(self.name)}Queue"

    @property
    def dead_letter_queue(self) -> str:
        return f"{logical_id(self.name)}DeadLetterQueue"

    @property
    def function_name(self) -> str:
        return f"consume_{self.name}"


class TimerTask(NamedTuple):
    kind: str
    run: Callable[[Mapping[str, Any], datetime], str]
    needs: tuple[str, ...]


class MachineTask(NamedTuple):
    """A function of its own that a state machine's Task invokes (its own role: the competition timer decrypts)."""

    name: str
    handler: str
    needs: tuple[str, ...]
    timeout_s: int


class StreamReader(NamedTuple):
    name: str
    table: str
    handler: str
    batch_size: int
    timeout_s: int


class Schedule(NamedTuple):
    name: str
    rate: str
    handler: str
    needs: tuple[str, ...]
    timeout_s: int
    memory_mb: int = 256
    layers: tuple[str, ...] = ()


_NAME = re.compile(r"[a-z][a-z0-9_]{1,40}")
_NEED = re.compile(r"[A-Z][A-Za-z0-9]+:[a-z-]+(:[^\s]+)?")

TIMER_TASKS: dict[str, TimerTask] = {}
MACHINE_TASKS: dict[str, MachineTask] = {}
STREAM_CONSUMERS: dict[str, StreamConsumer] = {}
STREAM_READERS: dict[str, StreamReader] = {}
SCHEDULES: dict[str, Schedule] = {}
# The state machine task that runs TIMER_TASKS (see handlers/timers.py).
TIMER_FUNCTION = "on_deadline"
TIMER_HANDLER = "chalicelib.handlers.timers.on_deadline"
QUEUE_HANDLER = "chalicelib.handlers.streams.on_queue_message"
# Modules whose import declares everything above; every entry point imports them all.
DECLARING_MODULES = (
    "chalicelib.handlers.timers",
    "chalicelib.handlers.schedules",
    "chalicelib.handlers.streams",
    "chalicelib.handlers.projections",
    "chalicelib.handlers.order_outputs",
    "chalicelib.handlers.competition_tasks",
    "chalicelib.handlers.stats_tasks",
    "chalicelib.handlers.open_data",
    "chalicelib.handlers.analytics",
    "chalicelib.handlers.notifications",
    "chalicelib.handlers.media",
    "chalicelib.handlers.batches",
    "chalicelib.handlers.supervision",
    "chalicelib.handlers.alerts",
    "chalicelib.handlers.complaints",
)


class DeclarationError(ValueError):
    """A declaration is malformed or clashes with another: fails at import, never in AWS."""


def logical_id(name: str) -> str:
    """on_main_table_change -> OnMainTableChange."""
    return "".join(part.capitalize() for part in name.split("_"))


def _checked(name: str, needs: Iterable[str], taken: Mapping[str, object]) -> tuple[str, ...]:
    if not _NAME.fullmatch(name):
        raise DeclarationError(f"bad name {name!r}: lower_snake_case, 2-41 characters")
    if name in taken:
        raise DeclarationError(f"{name!r} is declared twice")
    needs = tuple(needs)
    for need in needs:
        if not _NEED.fullmatch(need):
            raise DeclarationError(f"{name}: bad need {need!r} (Resource:access[:scope])")
    return needs


def timer_task(kind: str, *, needs: Iterable[str]) -> Callable[[Callable[..., str]], Callable[..., str]]:
    """A kind of deadline: `run(task, now)` answers "early", "applied", "skipped" or "conflict"."""

    def register(run: Callable[[Mapping[str, Any], datetime], str]) -> Callable[[Mapping[str, Any], datetime], str]:
        TIMER_TASKS[kind] = TimerTask(kind, run, _checked(kind, needs, TIMER_TASKS))
        return run

    return register


def machine_task(
    name: str, *, needs: Iterable[str], timeout_s: int = 60
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A state machine's own task function (infra/resources.json names it in the machine's definition)."""

    def register(handler: Callable[..., Any]) -> Callable[..., Any]:
        MACHINE_TASKS[name] = MachineTask(name, _dotted(handler), _checked(name, needs, MACHINE_TASKS), timeout_s)
        return handler

    return register


def stream_consumer(
    name: str,
    *,
    table: str,
    kinds: Iterable[str],
    needs: Iterable[str],
    queued: bool = False,
    timeout_s: int = 60,
    layers: Iterable[str] = (),
    memory_mb: int = 256,
) -> Callable[[Callable[[Change], None]], Callable[[Change], None]]:
    """A consumer of one table's changes of the given item kinds.

    Inline consumers run in the stream reader itself: only idempotent
    projections within DynamoDB, which converge when a record is retried.
    Queued ones (anything that calls out: S3, EventBridge, later rollups and
    notifications) get their own FIFO queue, function, retries and dead-letter
    queue, so that their failures never hold the stream.
    """

    def register(run: Callable[[Change], None]) -> Callable[[Change], None]:
        if layers and not queued:
            raise DeclarationError(f"{name}: only a queued consumer has a function of its own to carry layers")
        STREAM_CONSUMERS[name] = StreamConsumer(
            name,
            table,
            frozenset(kinds),
            run,
            _checked(name, needs, STREAM_CONSUMERS),
            queued,
            timeout_s,
            tuple(layers),
            memory_mb,
        )
        return run

    return register


def stream_reader(
    name: str, *, table: str, batch_size: int = 50, timeout_s: int = 60
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The one Lambda reading a table's stream (DynamoDB Streams allows two readers per shard)."""

    def register(handler: Callable[..., Any]) -> Callable[..., Any]:
        _checked(name, (), STREAM_READERS)
        STREAM_READERS[name] = StreamReader(name, table, _dotted(handler), batch_size, timeout_s)
        return handler

    return register


def schedule(
    name: str,
    *,
    rate: str,
    needs: Iterable[str],
    timeout_s: int = 60,
    memory_mb: int = 256,
    layers: Iterable[str] = (),
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A function on an EventBridge schedule; `layers` name Lambda layers of infra/resources.json (the analytics
    layer's DuckDB, say), so a heavy library rides with this function only."""

    def register(handler: Callable[..., Any]) -> Callable[..., Any]:
        SCHEDULES[name] = Schedule(
            name, rate, _dotted(handler), _checked(name, needs, SCHEDULES), timeout_s, memory_mb, tuple(layers)
        )
        return handler

    return register


def _dotted(handler: Callable[..., Any]) -> str:
    return f"{handler.__module__}.{handler.__name__}"


def _union(groups: Iterable[Iterable[str]]) -> tuple[str, ...]:
    return tuple(sorted({need for group in groups for need in group}))


def load_declarations() -> None:
    """Import every declaring module (entry points and infra call this)."""
    import importlib

    for module in DECLARING_MODULES:
        importlib.import_module(module)


def consumers_of(table: str, *, queued: bool) -> list[StreamConsumer]:
    return [c for c in STREAM_CONSUMERS.values() if c.table == table and c.queued is queued]


def functions() -> list[LambdaFunction]:
    """Every non-HTTP function with the needs of what it runs, in a stable order."""
    load_declarations()
    found = [
        LambdaFunction(
            TIMER_FUNCTION,
            TIMER_HANDLER,
            Trigger.TIMER,
            _union(task.needs for task in TIMER_TASKS.values()),
            timeout_s=30,
        )
    ]
    for task in MACHINE_TASKS.values():
        found.append(LambdaFunction(task.name, task.handler, Trigger.TIMER, task.needs, timeout_s=task.timeout_s))
    for item in SCHEDULES.values():
        found.append(
            LambdaFunction(
                item.name,
                item.handler,
                Trigger.SCHEDULE,
                item.needs,
                memory_mb=item.memory_mb,
                timeout_s=item.timeout_s,
                rate=item.rate,
                layers=item.layers,
            )
        )
    for reader in STREAM_READERS.values():
        inline = consumers_of(reader.table, queued=False)
        queued = consumers_of(reader.table, queued=True)
        needs = _union([*(c.needs for c in inline), [f"{c.queue}:send" for c in queued]])
        found.append(
            LambdaFunction(
                reader.name,
                reader.handler,
                Trigger.STREAM,
                needs,
                timeout_s=reader.timeout_s,
                source=reader.table,
                batch_size=reader.batch_size,
            )
        )
    for consumer in STREAM_CONSUMERS.values():
        if consumer.queued:
            found.append(
                LambdaFunction(
                    consumer.function_name,
                    QUEUE_HANDLER,
                    Trigger.QUEUE,
                    consumer.needs,
                    timeout_s=consumer.timeout_s,
                    source=consumer.queue,
                    consumer=consumer.name,
                    layers=consumer.layers,
                    memory_mb=consumer.memory_mb,
                )
            )
    return found


def entry_point(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Give a Lambda handler the log context and metrics every function has (the API gets them from middleware).

    Wrapped on the first invocation, not at import: declaring must not load powertools.
    """

    def wrap(handler: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
        instrumented: list[Callable[[Any, Any], Any]] = []

        @functools.wraps(handler)
        def run(event: Any, context: Any) -> Any:
            if not instrumented:
                instrumented.append(_instrument(name, handler))
            return instrumented[0](event, context)

        return run

    return wrap


def _instrument(name: str, handler: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    from chalicelib.observability import logger, metrics

    @logger.inject_lambda_context(clear_state=True)
    @metrics.log_metrics
    def invoke(event: Any, context: Any) -> Any:
        logger.append_keys(function=name)
        return handler(event, context)

    return invoke
