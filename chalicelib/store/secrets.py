"""Secrets, through powertools Parameters (cached in the container, refreshed every 5 minutes)."""

from __future__ import annotations

from chalicelib.config import get_settings
from chalicelib.domain.errors import Unauthenticated

_MAX_AGE_SECONDS = 300


def integration_secret() -> str:
    """The HMAC key shared with 山东省政府采购信息平台 (Secrets Manager)."""
    from aws_lambda_powertools.utilities import parameters

    try:
        value = parameters.get_secret(get_settings().integration_secret_id, max_age=_MAX_AGE_SECONDS)
    except parameters.exceptions.GetParameterError as exc:
        # Without the key nothing can be verified: refuse rather than fail open.
        raise Unauthenticated("签名密钥不可用，暂不能接收推送", code="SIGNATURE_UNAVAILABLE") from exc
    return str(value)
