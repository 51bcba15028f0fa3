"""Secrets, through powertools Parameters (cached in the container, refreshed every 5 minutes)."""

from __future__ import annotations

from chalicelib.config import get_settings
from chalicelib.domain.errors import Unauthenticated

_MAX_AGE_SECONDS = 300


def _secret(secret_id: str) -> str:
    from aws_lambda_powertools.utilities import parameters

    try:
        value = parameters.get_secret(secret_id, max_age=_MAX_AGE_SECONDS)
    except parameters.exceptions.GetParameterError as exc:
        # Without the key nothing can be verified: refuse rather than fail open.
        raise Unauthenticated("签名密钥不可用，暂不能接收推送", code="SIGNATURE_UNAVAILABLE") from exc
    return str(value)


def integration_secret() -> str:
    """The HMAC key shared with 山东省政府采购信息平台 (Secrets Manager)."""
    return _secret(get_settings().integration_secret_id)


def payment_secret() -> str:
    """The HMAC key shared with the treasury payment system, which reports orders paid."""
    return _secret(get_settings().payment_secret_id)
