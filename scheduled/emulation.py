"""Make moto run this app's code where AWS would.

moto's Lambda never runs code without Docker; Step Functions tasks that invoke
a Lambda therefore get routed here to the Chalice app's own handlers, in this
process. This patches moto internals (pinned in requirements-dev.txt).
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from infra.provision import APP_NAME

log = logging.getLogger("yuncai.emulation")

MOTO_CONFIG = {"stepfunctions": {"execute_state_machine": True}, "lambda": {"use_docker": False}}

_handlers: dict[str, tuple[str, Callable[[Any, Any], Any]]] = {}  # deployed name -> (declared name, handler)
# The function whose code (or whose event source mapping) is running: set by
# whatever plays the Lambda service here, read by tests that hold each call
# against that function's role.
current_function: ContextVar[str] = ContextVar("current_function", default="")


@contextmanager
def acting_as(function: str) -> Iterator[None]:
    token = current_function.set(function)
    try:
        yield
    finally:
        current_function.reset(token)


class LocalLambdaContext:
    """The parts of a Lambda context that powertools and the app read."""

    def __init__(self, function_name: str, timeout_seconds: int = 30) -> None:
        self.function_name = function_name
        self.function_version = "$LATEST"
        self.invoked_function_arn = f"arn:aws:lambda:us-east-1:123456789012:function:{function_name}"
        self.memory_limit_in_mb = 256
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{function_name}"
        self.log_stream_name = "local"
        self._deadline = time.monotonic() + timeout_seconds

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def set_environment() -> None:
    """What every process that talks to moto needs before boto3 is imported."""
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    os.environ.setdefault("AWS_SESSION_TOKEN", "testing")
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    # botocore otherwise sends DynamoDB Streams calls to an account endpoint moto does not route.
    os.environ["AWS_ACCOUNT_ID_ENDPOINT_MODE"] = "disabled"
    # moto's Step Functions Wait(TimestampPath) compares with local time: run in UTC.
    os.environ["TZ"] = "UTC"
    time.tzset()


def resolve_handler(dotted: str) -> Callable[[dict[str, Any], Any], Any]:
    """'chalicelib.handlers.timers.on_deadline' -> the function Lambda would call."""
    import importlib

    module, _, name = dotted.rpartition(".")
    handler: Callable[[dict[str, Any], Any], Any] = getattr(importlib.import_module(module), name)
    return handler


def register_app_handlers(stage: str) -> None:
    """Route Lambda invocations of `yuncai-{stage}-{name}` to the declared function's handler."""
    from chalicelib.lambdas import functions

    serialize_dynamodb()
    transact_without_table_copies()
    query_one_partition()
    _handlers.clear()
    prefix = f"{APP_NAME}-{stage}-"
    for function in functions():
        _handlers[prefix + function.name] = (function.name, resolve_handler(function.handler))
    _install_invoke_patch()


def _install_invoke_patch() -> None:
    from moto.awslambda_simple.models import LambdaSimpleBackend

    if getattr(LambdaSimpleBackend.invoke, "_yuncai", False):
        return

    def invoke(self: Any, function_name: str, qualifier: str, body: Any, headers: Any, response_headers: Any) -> bytes:
        name = function_name.split(":function:")[-1].split(":")[0]
        found = _handlers.get(name)
        if found is None:
            response_headers["x-amz-function-error"] = "Unhandled"
            return json.dumps(
                {"errorType": "ResourceNotFound", "errorMessage": f"no local handler for {name}"}
            ).encode()
        try:
            event = json.loads(body) if body else {}
            declared, handler = found
            with acting_as(declared):
                return json.dumps(handler(event, LocalLambdaContext(name))).encode()
        except Exception as exc:  # the Lambda runtime reports errors the same way
            log.warning("lambda %s failed: %s: %s", name, type(exc).__name__, exc)
            response_headers["x-amz-function-error"] = "Unhandled"
            return json.dumps({"errorType": type(exc).__name__, "errorMessage": str(exc)}).encode()

    invoke._yuncai = True  # type: ignore[attr-defined]
    LambdaSimpleBackend.invoke = invoke  # type: ignore[method-assign,assignment]


def serialize_dynamodb() -> None:
    """Make each DynamoDB request atomic, as DynamoDB is.

    moto handles requests on several threads without a lock, so two
    transactions could both pass their conditions before either writes. The
    app's guarantees (a plan never overspent, the last unit sold once) rest on
    DynamoDB evaluating each request's conditions and writes as one step: one
    lock around each request gives moto that property.
    """
    from moto.dynamodb.responses import DynamoHandler

    if getattr(DynamoHandler.call_action, "_yuncai", False):
        return
    original = DynamoHandler.call_action
    lock = threading.RLock()

    def call_action(self: Any) -> Any:
        with lock:
            return original(self)

    call_action._yuncai = True  # type: ignore[attr-defined]
    DynamoHandler.call_action = call_action  # type: ignore[method-assign]


def transact_without_table_copies() -> None:
    """Run TransactWriteItems as DynamoDB does: check every condition first, then write.

    moto copies each table a transaction touches (copy.deepcopy), applies the
    items one by one, and on a failed condition puts the copies back. Two
    things go wrong with that: the copy costs time in proportion to the table
    (seconds at tens of thousands of items), and the stream iterators a poller
    holds keep pointing at the discarded table's shard, so a refused
    transaction shows up on the stream while later writes never do. DynamoDB
    evaluates all conditions before it writes anything; with requests
    serialised (serialize_dynamodb) doing the same here is exact.
    """
    from moto.dynamodb.exceptions import TooManyTransactionsException, TransactionCanceledException
    from moto.dynamodb.models import DynamoDBBackend

    if getattr(DynamoDBBackend.transact_write_items, "_yuncai", False):
        return

    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        if len(transact_items) > 100:
            raise TooManyTransactionsException()
        planned, reasons = _check_transaction(self, transact_items)
        if any(code is not None for code, _, _ in reasons):
            raise TransactionCanceledException(reasons)
        _apply_transaction(self, planned)

    transact_write_items._yuncai = True  # type: ignore[attr-defined]
    DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]


_partition = threading.local()


def query_one_partition() -> None:
    """Query a table's key the way DynamoDB does: read that partition only.

    moto's Query on a table (not an index) sorts every item of the table, then
    keeps the partition's: each query costs in proportion to the whole table
    (seconds for the statistics table's tens of thousands of rollup items).
    While a table query runs, the item listing it sorts is that partition's.
    """
    from moto.dynamodb.models.table import Table

    if getattr(Table.query, "_yuncai", False):
        return
    original_query, original_items = Table.query, Table.all_items

    def query(self: Any, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
        index_name = kwargs.get("index_name", args[6] if len(args) > 6 else None)
        _partition.key = None if index_name else hash_key
        try:
            return original_query(self, hash_key, *args, **kwargs)
        finally:
            _partition.key = None

    def all_items(self: Any) -> Any:
        key = getattr(_partition, "key", None)
        if key is None or not self.range_key_attr:
            return original_items(self)
        return list(self.items.get(key, {}).values())

    query._yuncai = True  # type: ignore[attr-defined]
    Table.query = query  # type: ignore[method-assign]
    Table.all_items = all_items  # type: ignore[method-assign]


_Planned = tuple[str, dict[str, Any], str, dict[str, Any], Any]  # op type, op, table, key, current item


def _transaction_key(backend: Any, op_type: str, op: dict[str, Any]) -> dict[str, Any]:
    if op_type != "Put":
        return dict(op["Key"])
    table = backend.get_table(op["TableName"])
    key = {table.hash_key_attr: op["Item"][table.hash_key_attr]}
    if table.range_key_attr is not None:
        key[table.range_key_attr] = op["Item"][table.range_key_attr]
    return key


def _check_transaction(
    backend: Any, transact_items: list[dict[str, Any]]
) -> tuple[list[_Planned], list[tuple[Any, Any, Any]]]:
    """Each item's current state and whether its condition holds, before anything is written."""
    from moto.dynamodb.comparisons import get_filter_expression
    from moto.dynamodb.exceptions import (
        ConditionalCheckFailed,
        MockValidationException,
        MultipleTransactionsException,
        TransactWriteSingleOpException,
    )

    planned: list[_Planned] = []
    reasons: list[tuple[Any, Any, Any]] = []
    seen: set[tuple[str, str]] = set()
    for entry in transact_items:
        if len(entry) > 1:
            raise TransactWriteSingleOpException
        op_type, op = next(iter(entry.items()))
        if op_type not in {"ConditionCheck", "Put", "Delete", "Update"}:
            raise MockValidationException("Unsupported transaction operation")
        key = _transaction_key(backend, op_type, op)
        marker = (op["TableName"], str(sorted(key.items())))
        if marker in seen:
            raise MultipleTransactionsException()
        seen.add(marker)
        current = backend.get_item(op["TableName"], key)
        condition = op.get("ConditionExpression")
        names, values = op.get("ExpressionAttributeNames"), op.get("ExpressionAttributeValues")
        if condition is None or get_filter_expression(condition, names, values).expr(current):
            reasons.append((None, None, None))
        else:
            wants_old = op.get("ReturnValuesOnConditionCheckFailure") == "ALL_OLD" and current
            old = current.to_json()["Attributes"] if wants_old else None
            reasons.append(("ConditionalCheckFailed", ConditionalCheckFailed().message, old))
        planned.append((op_type, op, op["TableName"], key, current))
    return planned, reasons


def _apply_transaction(backend: Any, planned: list[_Planned]) -> None:
    """Write every item; an invalid update (a programming error, not a condition) undoes what was written."""
    from moto.dynamodb.exceptions import MockValidationException, TransactionCanceledException

    done: list[tuple[str, dict[str, Any], Any]] = []
    try:
        for op_type, op, table_name, key, current in planned:
            names, values = op.get("ExpressionAttributeNames"), op.get("ExpressionAttributeValues")
            if op_type == "Put":
                backend.put_item(table_name, op["Item"], expression_attribute_names=names)
            elif op_type == "Delete":
                backend.delete_item(table_name, key)
            elif op_type == "Update":
                backend.update_item(
                    table_name,
                    key,
                    update_expression=op["UpdateExpression"],
                    expression_attribute_names=names,
                    expression_attribute_values=values,
                )
            else:
                continue
            done.append((table_name, key, current))
    except Exception as exc:
        for table_name, key, current in reversed(done):
            if current is None:
                backend.delete_item(table_name, key)
            else:
                backend.put_item(table_name, current.to_json()["Attributes"])
        if isinstance(exc, MockValidationException):
            raise
        failed = [(type(exc).__name__, str(exc), None)] + [(None, None, None)] * (len(planned) - 1)
        raise TransactionCanceledException(failed) from exc
