"""Make moto run this app's code where AWS would.

moto's Lambda never runs code without Docker; Step Functions tasks that invoke
a Lambda therefore get routed here to the Chalice app's own handlers, in this
process. This patches moto internals (pinned in requirements-dev.txt).
"""

from __future__ import annotations

import json
import logging
import os
import time
import uuid
from collections.abc import Callable
from typing import Any

from infra.provision import APP_NAME

log = logging.getLogger("yuncai.emulation")

MOTO_CONFIG = {"stepfunctions": {"execute_state_machine": True}, "lambda": {"use_docker": False}}

_handlers: dict[str, Callable[[Any, Any], Any]] = {}


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


def register_app_handlers(app: Any, stage: str) -> None:
    """Route Lambda invocations of `yuncai-{stage}-{name}` to app.handler_map[name]."""
    _handlers.clear()
    prefix = f"{APP_NAME}-{stage}-"
    for function in app.pure_lambda_functions:
        _handlers[prefix + function.name] = app.handler_map[function.name]
    _install_invoke_patch()


def _install_invoke_patch() -> None:
    from moto.awslambda_simple.models import LambdaSimpleBackend

    if getattr(LambdaSimpleBackend.invoke, "_yuncai", False):
        return

    def invoke(self: Any, function_name: str, qualifier: str, body: Any, headers: Any, response_headers: Any) -> bytes:
        name = function_name.split(":function:")[-1].split(":")[0]
        handler = _handlers.get(name)
        if handler is None:
            response_headers["x-amz-function-error"] = "Unhandled"
            return json.dumps(
                {"errorType": "ResourceNotFound", "errorMessage": f"no local handler for {name}"}
            ).encode()
        try:
            event = json.loads(body) if body else {}
            return json.dumps(handler(event, LocalLambdaContext(name))).encode()
        except Exception as exc:  # the Lambda runtime reports errors the same way
            log.warning("lambda %s failed: %s: %s", name, type(exc).__name__, exc)
            response_headers["x-amz-function-error"] = "Unhandled"
            return json.dumps({"errorType": type(exc).__name__, "errorMessage": str(exc)}).encode()

    invoke._yuncai = True  # type: ignore[attr-defined]
    LambdaSimpleBackend.invoke = invoke  # type: ignore[method-assign,assignment]
