"""HMAC signatures of the provincial platform's pushes (采购计划推送).

The platform signs "{timestamp}\\n{nonce}\\n{sha256 hex of the body}" with
HMAC-SHA256 under a shared secret. A request older or newer than the tolerance
is stale; a nonce may be used once (the store records it with the plan).
"""

from __future__ import annotations

import hashlib
import hmac
import re

from chalicelib.domain.errors import Unauthenticated

TOLERANCE_SECONDS = 300
NONCE_PATTERN = re.compile(r"^[A-Za-z0-9_\-]{16,64}$")
SIGNATURE_PATTERN = re.compile(r"^[0-9a-f]{64}$")


def string_to_sign(timestamp: str, nonce: str, body: bytes) -> bytes:
    return f"{timestamp}\n{nonce}\n{hashlib.sha256(body).hexdigest()}".encode()


def sign(secret: str, timestamp: str, nonce: str, body: bytes) -> str:
    return hmac.new(secret.encode(), string_to_sign(timestamp, nonce, body), hashlib.sha256).hexdigest()


def verify(secret: str, timestamp: str, nonce: str, signature: str, body: bytes, now: float) -> int:
    """Raise Unauthenticated unless the request is signed, fresh and well-formed; returns its timestamp."""
    if not (timestamp and nonce and signature):
        raise Unauthenticated(
            "缺少签名信息（X-Yuncai-Timestamp、X-Yuncai-Nonce、X-Yuncai-Signature）", code="SIGNATURE_MISSING"
        )
    if (
        not (timestamp.isascii() and timestamp.isdigit())
        or not NONCE_PATTERN.match(nonce)
        or not SIGNATURE_PATTERN.match(signature)
    ):
        raise Unauthenticated("签名信息格式不正确", code="SIGNATURE_INVALID")
    moment = int(timestamp)
    if abs(now - moment) > TOLERANCE_SECONDS:
        raise Unauthenticated("请求已过期或时间不同步（允许误差 5 分钟）", code="REQUEST_STALE")
    if not hmac.compare_digest(sign(secret, timestamp, nonce, body), signature):
        raise Unauthenticated("签名校验失败", code="SIGNATURE_INVALID")
    return moment
