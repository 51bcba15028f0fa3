"""Idempotency-Key on creates, through powertools Idempotency (DynamoDB persistence).

The key is scoped to the operation, the tenant and the caller, and the body is
part of the record: the same key with another body is refused, the same key
with the same body returns the first result.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any

from chalicelib.config import get_tables
from chalicelib.domain.errors import Conflict, InvalidInput, RuleViolation

KEY_PATTERN = re.compile(r"^[A-Za-z0-9_\-:.]{8,128}$")
EXPIRES_AFTER_SECONDS = 24 * 3600

_lock = threading.Lock()
_runner: Any = None
_config: Any = None
_persistence: Any = None


def _run(request: dict[str, Any], action: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    return action()


def _build() -> tuple[Any, Any, Any]:
    from aws_lambda_powertools.utilities.idempotency import (
        DynamoDBPersistenceLayer,
        IdempotencyConfig,
        idempotent_function,
    )

    config = IdempotencyConfig(
        event_key_jmespath="key",
        payload_validation_jmespath="body",
        expires_after_seconds=EXPIRES_AFTER_SECONDS,
        raise_on_no_idempotency_key=True,
    )
    persistence = DynamoDBPersistenceLayer(table_name=get_tables().idempotency)
    runner = idempotent_function(data_keyword_argument="request", persistence_store=persistence, config=config)(_run)
    return runner, config, persistence


def run_once(
    *,
    scope: str,
    key: str | None,
    body: dict[str, Any],
    action: Callable[[], dict[str, Any]],
    lambda_context: Any = None,
) -> dict[str, Any]:
    """Run `action` once per (scope, key); without a key it simply runs."""
    global _runner, _config, _persistence
    if not key:
        return action()
    if not KEY_PATTERN.match(key):
        raise InvalidInput("Idempotency-Key 应为 8–128 位字母、数字或 - _ : .", code="INVALID_IDEMPOTENCY_KEY")
    from aws_lambda_powertools.utilities.idempotency.exceptions import (
        IdempotencyAlreadyInProgressError,
        IdempotencyValidationError,
    )

    with _lock:
        if _runner is None:
            _runner, _config, _persistence = _build()
    if lambda_context is not None and hasattr(lambda_context, "get_remaining_time_in_millis"):
        _config.register_lambda_context(lambda_context)
    try:
        result: dict[str, Any] = _runner(request={"key": f"{scope}#{key}", "body": body}, action=action)
    except IdempotencyValidationError as exc:
        raise RuleViolation("该 Idempotency-Key 已用于内容不同的请求", code="IDEMPOTENCY_KEY_REUSED") from exc
    except IdempotencyAlreadyInProgressError as exc:
        # The first request with this key is still running: the client waits and sends the same request again.
        raise Conflict(
            "相同的请求正在处理中，请稍候用同一 Idempotency-Key 重新提交，将得到首次请求的结果",
            code="REQUEST_IN_PROGRESS",
            retry_after=1,
        ) from exc
    return result


def persistence_client() -> Any:
    """The DynamoDB client of the idempotency records, once built (the benchmark counts its calls)."""
    return None if _persistence is None else _persistence.client


def reset() -> None:
    """Tests use a fresh moto backend per test; rebuild the persistence client."""
    global _runner, _config, _persistence
    with _lock:
        _runner, _config, _persistence = None, None, None
