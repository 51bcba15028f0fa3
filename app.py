"""YunCai mall API: the Chalice app. Wiring only; rules live in chalicelib.domain."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from chalice.app import Chalice, ConvertToMiddleware, Response

from chalicelib.handlers import (
    accounts,
    agreements,
    alerts,
    auth,
    batches,
    bulletins,
    catalog,
    competitions,
    complaints,
    contract,
    designations,
    listings,
    media,
    notifications,
    open_data,
    orders,
    orgs,
    pavilions,
    plans,
    reports,
    service_desk,
    sites,
    supervision,
    suppliers,
    workbench,
)
from chalicelib.http import api_headers, internal_error_response
from chalicelib.observability import logger, metrics

app = Chalice(app_name="yuncai", configure_logs=False, debug=False)
app.register_middleware(ConvertToMiddleware(functools.partial(logger.inject_lambda_context, clear_state=True)), "all")
app.register_middleware(
    ConvertToMiddleware(functools.partial(metrics.log_metrics, capture_cold_start_metric=True)), "all"
)

# The functions that are not HTTP (timers, schedules, the stream and its queues) are declared in
# chalicelib/lambdas.py's registry and packaged by infra/functions.py, not by Chalice.
for blueprint in (
    auth.bp,
    accounts.bp,
    sites.bp,
    orgs.bp,
    suppliers.bp,
    listings.bp,
    catalog.bp,
    plans.bp,
    orders.bp,
    competitions.bp,
    reports.bp,
    open_data.bp,
    notifications.bp,
    workbench.bp,
    bulletins.bp,
    media.bp,
    agreements.bp,
    batches.bp,
    designations.bp,
    pavilions.bp,
    supervision.bp,
    alerts.bp,
    complaints.bp,
    service_desk.bp,
    contract.bp,
):
    app.register_blueprint(blueprint)

# Chalice answers a few cases before any view runs (wrong method, non-JSON
# body); give those the same {"code", "message", "details"} shape in Chinese.
_CHALICE_ERRORS = {
    "MethodNotAllowedError": ("METHOD_NOT_ALLOWED", "不支持该请求方法"),
    "UnsupportedMediaType": ("UNSUPPORTED_MEDIA_TYPE", "请求体须为 JSON（Content-Type: application/json）"),
    "BadRequest": ("BAD_REQUEST", "请求格式不正确"),
    "BadRequestError": ("BAD_REQUEST", "请求格式不正确"),
}


@app.middleware("http")
def uniform_errors(event: Any, get_response: Callable[[Any], Response]) -> Response:
    response = get_response(event)
    body = response.body
    if isinstance(body, dict) and set(body) == {"Code", "Message"}:
        if response.status_code >= 500:
            return internal_error_response()
        code, message = _CHALICE_ERRORS.get(str(body["Code"]), ("BAD_REQUEST", "请求格式不正确"))
        response.body = {"code": code, "message": message, "details": None}
        response.headers = {**(response.headers or {}), **api_headers()}
    return response
