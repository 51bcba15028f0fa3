"""A fault hook in the emulation layer: chosen AWS calls answer with AWS's own error responses.

The hook sits where moto answers every SDK call in the test process (its botocore stubber), so the SDK sees the
throttle or the 5xx on the wire as it would from AWS: its retry loop runs, its error parsing runs, and our code
sees exactly the exception AWS would have produced. `times` limits how often a rule fires (then the call goes
through to moto), so a test can show both "retried and succeeded" and "failed after the retries".
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

import pytest
from moto.core.botocore_stubber import BotocoreStubber

Matcher = Callable[[Any], bool]


def target(operation: str) -> Matcher:
    """A JSON-protocol call by its X-Amz-Target (DynamoDB_20120810.TransactWriteItems, AWSEvents.PutEvents)."""

    def match(request: Any) -> bool:
        value = request.headers.get("X-Amz-Target", b"")
        return (value.decode() if isinstance(value, bytes) else str(value)) == operation

    return match


def s3_call(method: str, bucket: str) -> Matcher:
    """An S3 call by its HTTP method and bucket (path- or host-style)."""

    def match(request: Any) -> bool:
        url = urlparse(request.url)
        return request.method == method and (url.netloc.startswith(f"{bucket}.") or url.path.startswith(f"/{bucket}/"))

    return match


def json_error(code: str, status: int = 400, prefix: str = "com.amazonaws.dynamodb.v20120810#") -> tuple[int, Any, str]:
    body = json.dumps({"__type": f"{prefix}{code}", "message": f"injected {code}"})
    return status, {"Content-Type": "application/x-amz-json-1.0", "x-amzn-RequestId": "fault"}, body


def xml_error(code: str, status: int) -> tuple[int, Any, str]:
    body = f'<?xml version="1.0" encoding="UTF-8"?><Error><Code>{code}</Code><Message>injected</Message></Error>'
    return status, {"Content-Type": "application/xml", "x-amz-request-id": "fault"}, body


@dataclass
class Rule:
    match: Matcher
    response: tuple[int, Any, str]
    times: int | None  # None: every time
    fired: int = 0


@dataclass
class Faults:
    rules: list[Rule] = field(default_factory=list)

    def fail(self, match: Matcher, response: tuple[int, Any, str], times: int | None = None) -> Rule:
        rule = Rule(match, response, times)
        self.rules.append(rule)
        return rule

    def clear(self) -> None:
        self.rules.clear()

    def answer(self, request: Any) -> tuple[int, Any, str] | None:
        for rule in self.rules:
            if (rule.times is None or rule.fired < rule.times) and rule.match(request):
                rule.fired += 1
                return rule.response
        return None


@contextmanager
def fault_hook(monkeypatch: pytest.MonkeyPatch) -> Iterator[Faults]:
    faults = Faults()
    original = BotocoreStubber.process_request

    def process_request(self: BotocoreStubber, request: Any) -> Any:
        injected = faults.answer(request)
        return injected if injected is not None else original(self, request)

    monkeypatch.setattr(BotocoreStubber, "process_request", process_request)
    yield faults
