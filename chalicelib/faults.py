"""Which failures of AWS are passing (throttling, a service's 5xx, a lost connection), and what the caller hears.

The SDK has already retried them within the function's budget (chalicelib.store.aws: standard mode, three
attempts; PynamoDB likewise). What still fails becomes a 503 `SERVICE_BUSY` with a Chinese message and a
`Retry-After`, so a client knows the same request may be sent again. Every write is one DynamoDB transaction,
so a request that fails here wrote nothing.
"""

from __future__ import annotations

from typing import Any

from chalicelib.domain.errors import ServiceUnavailable

# Error codes that mean "not now" rather than "never" (DynamoDB, S3, EventBridge, Step Functions, SQS, Cognito).
PASSING_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "Throttling",
        "ThrottledException",
        "RequestLimitExceeded",
        "TooManyRequestsException",
        "SlowDown",
        "ServiceUnavailable",
        "ServiceUnavailableException",
        "InternalError",
        "InternalFailure",
        "InternalServerError",
        "InternalServerException",
        "RequestTimeout",
        "RequestTimeoutException",
        "TransactionInProgressException",
    }
)
# What a cancelled DynamoDB transaction says of an item that was throttled.
PASSING_REASONS = frozenset({"ThrottlingError", "ProvisionedThroughputExceeded", "RequestLimitExceeded"})
RETRY_AFTER_SECONDS = 2


def passing_fault(exc: BaseException) -> ServiceUnavailable | None:
    """The 503 to answer when `exc` (or what caused it) is a passing failure of AWS; None otherwise."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if _is_passing(current):
            return ServiceUnavailable(
                "系统繁忙（云服务暂时限流或不可用），本次操作未生效，请稍后重试",
                code="SERVICE_BUSY",
                details={"retry_after_seconds": RETRY_AFTER_SECONDS},
                retry_after=RETRY_AFTER_SECONDS,
            )
        current = current.__cause__ or current.__context__
    return None


def _is_passing(exc: BaseException) -> bool:
    from botocore.exceptions import ClientError, ConnectionError, HTTPClientError

    if isinstance(exc, ConnectionError | HTTPClientError):
        return True  # endpoint unreachable, connect or read timeout
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
        if error.get("Code") in PASSING_CODES or status >= 500:
            return True
        return _throttled_reasons(exc.response.get("CancellationReasons"))
    return _pynamodb_passing(exc)


def _pynamodb_passing(exc: BaseException) -> bool:
    from pynamodb.exceptions import PynamoDBException, TransactWriteError

    if not isinstance(exc, PynamoDBException):
        return False
    if exc.cause_response_code in PASSING_CODES:
        return True
    if isinstance(exc, TransactWriteError):
        return any(r is not None and r.code in PASSING_REASONS for r in exc.cancellation_reasons or [])
    return False


def _throttled_reasons(reasons: Any) -> bool:
    return isinstance(reasons, list) and any(isinstance(r, dict) and r.get("Code") in PASSING_REASONS for r in reasons)
