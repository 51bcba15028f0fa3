"""Typed settings, read from the environment in this one module only.

The stage's values come from `.chalice/config.json` (dev, local) or from the
packaged template (prod). Names that every import needs (table names) are read
eagerly and fail fast; ids that only exist once the embedded run or a test has
created them (the Cognito pool) are read lazily through `get_settings()`.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import NamedTuple


class ConfigError(RuntimeError):
    """A required setting is missing: the deploy or the launcher is wrong."""


def _required(name: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ConfigError(f"environment variable {name} is required")
    return value


def _optional(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip() or default


class Tables(NamedTuple):
    """DynamoDB table names; needed at import time by the pynamodb models."""

    main: str
    audit: str
    idempotency: str
    catalog: str


class Settings(NamedTuple):
    stage: str
    region: str
    tables: Tables
    reports_bucket: str
    uploads_bucket: str
    web_bucket: str
    user_pool_id: str
    user_pool_client_id: str
    jwks_url: str
    issuer: str
    deadline_state_machine_arn: str
    stream_dlq_url: str
    integration_secret_id: str
    event_bus_name: str
    payment_secret_id: str
    max_body_bytes: int


@lru_cache(maxsize=1)
def get_tables() -> Tables:
    return Tables(
        main=_required("MAIN_TABLE"),
        audit=_required("AUDIT_TABLE"),
        idempotency=_required("IDEMPOTENCY_TABLE"),
        catalog=_required("CATALOG_TABLE"),
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    region = _optional("AWS_REGION") or _required("AWS_DEFAULT_REGION")
    pool_id = _required("USER_POOL_ID")
    # Cognito signs tokens with this issuer in AWS and in moto alike; the JWKS
    # location differs locally (the moto server), hence its own setting.
    issuer = f"https://cognito-idp.{region}.amazonaws.com/{pool_id}"
    return Settings(
        stage=_required("STAGE"),
        region=region,
        tables=get_tables(),
        reports_bucket=_required("REPORTS_BUCKET"),
        uploads_bucket=_required("UPLOADS_BUCKET"),
        web_bucket=_required("WEB_BUCKET"),
        user_pool_id=pool_id,
        user_pool_client_id=_required("USER_POOL_CLIENT_ID"),
        jwks_url=_optional("COGNITO_JWKS_URL", f"{issuer}/.well-known/jwks.json"),
        issuer=issuer,
        deadline_state_machine_arn=_required("DEADLINE_STATE_MACHINE_ARN"),
        stream_dlq_url=_optional("STREAM_DLQ_URL"),
        integration_secret_id=_optional("INTEGRATION_SECRET_ID", "yuncai/plan-push"),
        event_bus_name=_optional("EVENT_BUS_NAME", "yuncai-orders"),
        payment_secret_id=_optional("PAYMENT_SECRET_ID", "yuncai/payment-notify"),
        max_body_bytes=int(_optional("MAX_BODY_BYTES", "65536")),
    )


def reset_settings_cache() -> None:
    """Tests and the embedded run call this after creating a new user pool."""
    get_settings.cache_clear()
    get_tables.cache_clear()


# Chalice needs a stream ARN when the decorator runs; the packaged template
# replaces it with the table's real StreamArn, and the embedded run sets the
# moto table's ARN before importing the app.
STREAM_ARN_PLACEHOLDER = "arn:aws:dynamodb:us-east-1:123456789012:table/yuncai-main/stream/placeholder"


def main_table_stream_arn() -> str:
    return _optional("MAIN_TABLE_STREAM_ARN", STREAM_ARN_PLACEHOLDER)


def cors_allow_origin() -> str:
    """Needed when routes are declared (import time), unlike the other settings."""
    return _optional("CORS_ALLOW_ORIGIN", "*")
