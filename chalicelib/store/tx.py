"""One DynamoDB transaction with the audit event that records it.

Conditions that fail become domain errors: the caller names, for each item,
the error to raise when that item's condition is what cancelled the write, or
a function that builds it then (a refusal that reports the item as it is now,
with the same code, status and details as the read-time check that a race
slipped past).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pynamodb.connection import Connection
from pynamodb.exceptions import TransactWriteError
from pynamodb.expressions.condition import Condition
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from chalicelib.domain.audit import AuditEvent
from chalicelib.domain.errors import Conflict, DomainError
from chalicelib.store import keys
from chalicelib.store.models import SDK_CONNECT_TIMEOUT_SECONDS, SDK_READ_TIMEOUT_SECONDS, SDK_RETRIES, AuditItem

_connection: Connection | None = None


# What a failed condition raises: the error, or a function that builds it when the write fails.
Refusal = DomainError | Callable[[], DomainError]


def connection() -> Connection:
    global _connection
    if _connection is None:
        _connection = Connection(
            read_timeout_seconds=SDK_READ_TIMEOUT_SECONDS,
            connect_timeout_seconds=SDK_CONNECT_TIMEOUT_SECONDS,
            max_retry_attempts=SDK_RETRIES,
        )
    return _connection


def reset_connection() -> None:
    """A fresh backend (tests): the next write opens a new connection."""
    global _connection
    _connection = None


def audit_item(event: AuditEvent) -> AuditItem:
    return AuditItem(
        pk=keys.audit_entity(event.tenant, event.entity_type, event.entity_id),
        sk=keys.sorted_by(event.at, event.id),
        gsi1pk=event.tenant,
        gsi1sk=keys.sorted_by(event.at, event.id),
        data=event.to_dict(),
        actor=str(event.actor.get("username") or event.actor.get("name") or ""),
        entity_type=event.entity_type,
        entity_id=event.entity_id,
        action=event.action,
    )


class AuditedWrite:
    """Collects puts/updates/deletes/checks, then commits them with one audit event."""

    def __init__(self, audit: AuditEvent, also: tuple[AuditEvent, ...] = ()) -> None:
        self.audit = audit
        self.also = also  # the same change in other tenants' logs (a province-wide sanction in each site)
        self._ops: list[tuple[str, Any, Refusal | None]] = []

    def put(self, item: Model, condition: Condition | None = None, on_fail: Refusal | None = None) -> None:
        self._ops.append(("put", (item, condition), on_fail))

    def update(
        self, item: Model, actions: list[Any], condition: Condition | None = None, on_fail: Refusal | None = None
    ) -> None:
        self._ops.append(("update", (item, actions, condition), on_fail))

    def delete(self, item: Model, condition: Condition | None = None, on_fail: Refusal | None = None) -> None:
        self._ops.append(("delete", (item, condition), on_fail))

    def check(self, model: type[Model], hash_key: str, range_key: str, condition: Condition, on_fail: Refusal) -> None:
        self._ops.append(("check", (model, hash_key, range_key, condition), on_fail))

    def commit(self) -> None:
        for event in (self.audit, *self.also):
            self.put(audit_item(event), AuditItem.pk.does_not_exist(), Conflict("审计事件重复", code="AUDIT_DUPLICATE"))
        # pynamodb sends checks, then deletes, puts, updates: reasons come back in that order.
        order = {"check": 0, "delete": 1, "put": 2, "update": 3}
        ordered = sorted(self._ops, key=lambda op: order[op[0]])
        try:
            with TransactWrite(connection=connection()) as tx:
                for kind, args, _ in self._ops:
                    if kind == "put":
                        tx.save(args[0], condition=args[1])
                    elif kind == "update":
                        tx.update(args[0], actions=args[1], condition=args[2])
                    elif kind == "delete":
                        tx.delete(args[0], condition=args[1])
                    else:
                        tx.condition_check(args[0], args[1], args[2], condition=args[3])
        except TransactWriteError as exc:
            reasons = exc.cancellation_reasons or []
            for (_, _, on_fail), reason in zip(ordered, reasons, strict=False):
                if reason is not None and reason.code == "ConditionalCheckFailed" and on_fail is not None:
                    raise (on_fail() if callable(on_fail) else on_fail) from exc
            if exc.cause_response_code == "TransactionCanceledException" and any(
                r is not None and r.code == "TransactionConflict" for r in reasons
            ):
                raise Conflict("数据正被同时修改，请稍后重试", code="WRITE_CONFLICT") from exc
            raise
