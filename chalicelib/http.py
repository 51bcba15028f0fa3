"""The HTTP edge every route goes through.

`api_route` registers a view on a blueprint together with its access policy,
and wraps it so that: the body size is capped; the token is verified and the
role and site checked before the view runs; domain errors become
`{"code", "message", "details"}` with the right 4xx; anything unexpected is
logged and answered with a Chinese 500 that reveals nothing. The policies are
kept in ROUTE_POLICIES so a test can walk every route.
"""

from __future__ import annotations

import functools
import time
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from chalice.app import Blueprint, CORSConfig, Response

from chalicelib.auth import bearer_token, verifier
from chalicelib.config import cors_allow_origin, get_settings
from chalicelib.domain.clock import utc_now
from chalicelib.domain.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    PayloadTooLarge,
    RuleViolation,
    ServiceUnavailable,
    TooManyRequests,
    Unauthenticated,
    UnsupportedMediaType,
)
from chalicelib.domain.principals import Principal, Role, require_role, require_site_access
from chalicelib.domain.sites import SITE_ID_PATTERN
from chalicelib.observability import logger

if TYPE_CHECKING:
    from pydantic import BaseModel

# pydantic (~50 ms to import) loads with the first body or query string parsed,
# not during the Lambda init of every function: see bench/cold_start.py.
M = TypeVar("M", bound="BaseModel")

STATUS_BY_ERROR: dict[type[DomainError], int] = {
    InvalidInput: 400,
    Unauthenticated: 401,
    Forbidden: 403,
    NotFound: 404,
    Conflict: 409,
    PayloadTooLarge: 413,
    UnsupportedMediaType: 415,
    RuleViolation: 422,
    TooManyRequests: 429,
    ServiceUnavailable: 503,
}

ALL_ROLES = frozenset(Role)


class RoutePolicy(NamedTuple):
    path: str
    methods: tuple[str, ...]
    roles: frozenset[Role] | None  # None: public
    site_scoped: bool
    handler: Callable[..., Any] | None = None  # the view: its body and query models make the OpenAPI description
    response: str | None = None  # "area:Model" in chalicelib.schemas.responses (a name: pydantic stays off cold start)

    @property
    def public(self) -> bool:
        return self.roles is None


ROUTE_POLICIES: list[RoutePolicy] = []


class Reply(NamedTuple):
    body: Any
    status: int = 200
    headers: Mapping[str, str] | None = None


class RequestContext(NamedTuple):
    """What a view gets: the verified caller, the raw request, and parsing helpers."""

    principal: Principal | None
    headers: Mapping[str, str]
    query_params: Mapping[str, str] | None
    raw_body: bytes
    content_type: str
    request_id: str
    now: datetime
    lambda_context: Any = None

    @property
    def user(self) -> Principal:
        if self.principal is None:  # only public routes lack one, and they do not ask
            raise Unauthenticated("请先登录", code="AUTH_REQUIRED")
        return self.principal

    def body(self, model: type[M]) -> M:
        if not self.content_type.lower().startswith("application/json"):
            raise UnsupportedMediaType("请求体须为 JSON（Content-Type: application/json）")
        from chalicelib.validation import parse_body

        return parse_body(self.raw_body, model)

    def query(self, model: type[M]) -> M:
        from chalicelib.validation import parse_query

        return parse_query(self.query_params, model)

    def header(self, name: str) -> str:
        return str(self.headers.get(name.lower(), "") or "")


def error_body(error: DomainError) -> dict[str, Any]:
    return {"code": error.code, "message": error.message, "details": _labelled(error.details)}


def _labelled(details: Any) -> Any:
    """Field problems name their field in Chinese too (`label`), whichever rule found them."""
    if not isinstance(details, list):
        return details
    from chalicelib.domain.labels import field_label

    return [
        {**d, "label": field_label(d["field"])}
        if isinstance(d, dict) and isinstance(d.get("field"), str) and "label" not in d
        else d
        for d in details
    ]


def error_response(error: DomainError, headers: Mapping[str, str] | None = None) -> Response:
    status = next((s for cls, s in STATUS_BY_ERROR.items() if isinstance(error, cls)), 400)
    all_headers: dict[str, str | list[str]] = {**api_headers(), **(headers or {})}
    if error.retry_after is not None:
        all_headers["Retry-After"] = str(error.retry_after)
    return Response(body=error_body(error), status_code=status, headers=all_headers)


def internal_error_response() -> Response:
    return Response(
        body={"code": "INTERNAL_ERROR", "message": "系统繁忙，请稍后重试", "details": None},
        status_code=500,
        headers=api_headers(),
    )


# Every API answer: not cached, not sniffed, never framed, and no active content even if opened as a page.
API_SECURITY_HEADERS: dict[str, str] = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


def api_headers() -> dict[str, str | list[str]]:
    # Said, not left to the gateway's default: clients and the OpenAPI checks read the media type.
    return {"Content-Type": "application/json; charset=utf-8", **API_SECURITY_HEADERS}


@functools.lru_cache(maxsize=1)
def cors_config() -> CORSConfig:
    return CORSConfig(
        allow_origin=cors_allow_origin(),
        allow_headers=["Authorization", "Content-Type", "Idempotency-Key"],
        max_age=600,
        expose_headers=["X-Request-Id"],
    )


def api_route(
    bp: Blueprint,
    path: str,
    *,
    methods: tuple[str, ...] = ("GET",),
    roles: frozenset[Role] | None = None,
    response: str | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register `fn(ctx, **path_params)` on `bp`; roles=None makes the route public; `response` names the pydantic
    model its 2xx answer publishes ("orders:OrderView": chalicelib.schemas.responses.orders), imported only by the
    description."""
    site_scoped = "{site_id}" in path
    policy = RoutePolicy(path=path, methods=methods, roles=roles, site_scoped=site_scoped, response=response)

    def decorator(fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def view(**params: str) -> Response:
            return _dispatch(bp, policy, fn, params)

        ROUTE_POLICIES.append(policy._replace(handler=fn))
        bp.route(path, methods=list(methods), cors=cors_config(), content_types=["application/json"])(view)
        return fn

    return decorator


def _dispatch(bp: Blueprint, policy: RoutePolicy, fn: Callable[..., Any], params: dict[str, str]) -> Response:
    started = time.perf_counter()
    request = bp.current_request
    context = request.context or {}
    request_id = str(context.get("requestId") or uuid.uuid4())
    logger.append_keys(request_id=request_id, path=policy.path, method=request.method)
    try:
        raw_body = request.raw_body or b""
        if isinstance(raw_body, str):
            raw_body = raw_body.encode("utf-8")
        if len(raw_body) > get_settings().max_body_bytes:
            raise PayloadTooLarge(f"请求体过大，最大 {get_settings().max_body_bytes // 1024} KB")
        principal = _authorize(policy, request.headers, params)
        ctx = RequestContext(
            principal=principal,
            headers={k.lower(): v for k, v in request.headers.items()},
            query_params=request.query_params,
            raw_body=raw_body,
            content_type=str(request.headers.get("content-type", "application/json")),
            request_id=request_id,
            now=utc_now(),
            lambda_context=bp.lambda_context,
        )
        result = fn(ctx, **params)
    except Exception as exc:
        error = exc if isinstance(exc, DomainError) else _passing_fault(exc)
        if error is None:
            logger.exception("unhandled error")
            return internal_error_response()
        response = error_response(error, {"X-Request-Id": request_id})
        _log_request(started, response.status_code, error.code)
        return response
    reply = result if isinstance(result, Reply) else Reply(result)
    _log_request(started, reply.status)
    return Response(
        body=reply.body,
        status_code=reply.status,
        headers={**api_headers(), "X-Request-Id": request_id, **(reply.headers or {})},
    )


def _passing_fault(exc: Exception) -> DomainError | None:
    """A throttled or failing AWS service after the SDK's retries: the 503 to answer (chalicelib.faults)."""
    from chalicelib.faults import passing_fault

    busy = passing_fault(exc)
    if busy is not None:
        logger.warning("a service the request needs is throttling or failing", exc_info=exc)
    return busy


def _log_request(started: float, status: int, code: str = "") -> None:
    """One structured line per request: the access log, with tenant and user appended."""
    extra: dict[str, Any] = {"status": status, "duration_ms": round((time.perf_counter() - started) * 1000, 1)}
    if code:
        extra["code"] = code
    logger.info("request", extra=extra)


def _authorize(policy: RoutePolicy, headers: Mapping[str, str], params: dict[str, str]) -> Principal | None:
    """Authenticate, then role, then site: a stranger learns nothing about sites."""
    principal = None
    if policy.roles is not None:
        principal = verifier().verify(bearer_token(headers.get("authorization")))
        logger.append_keys(tenant=principal.tenant, user=principal.username, role=principal.role.value)
        require_role(principal, policy.roles)
    site_id = params.get("site_id")
    if site_id is not None:
        if not SITE_ID_PATTERN.match(site_id):
            raise InvalidInput("站点标识格式不正确", code="INVALID_SITE_ID", details={"site_id": site_id[:40]})
        if principal is not None:
            require_site_access(principal, site_id)
    return principal
