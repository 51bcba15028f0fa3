"""Count DynamoDB requests with a botocore event hook on every client the app uses."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pynamodb.models import Model


def _models(base: type[Model]) -> Iterator[type[Model]]:
    yield base
    for sub in base.__subclasses__():
        yield from _models(sub)


def _clients() -> list[Any]:
    """The botocore clients of every pynamodb model, of the store's own connections (this thread) and of idempotency."""
    from chalicelib.store import idempotency, models, tx

    found: dict[int, Any] = {}
    for name in dir(models):
        candidate = getattr(models, name)
        if isinstance(candidate, type) and issubclass(candidate, Model) and candidate is not Model:
            for model in _models(candidate):
                client = model._get_connection().connection.client
                found[id(client)] = client
    client = tx.connection().client
    found[id(client)] = client
    records = idempotency.persistence_client()  # Idempotency-Key records, once a keyed request built it
    if records is not None:
        found[id(records)] = records
    return list(found.values())


@contextmanager
def count_dynamodb_calls() -> Iterator[list[str]]:
    """Yields a list that fills with the operation name of each DynamoDB request made meanwhile."""
    calls: list[str] = []

    def record(model: Any, **_: Any) -> None:
        calls.append(model.name)

    clients = _clients()
    for client in clients:
        client.meta.events.register("before-call.dynamodb", record)
    try:
        yield calls
    finally:
        for client in clients:
            client.meta.events.unregister("before-call.dynamodb", record)
