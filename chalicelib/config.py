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


class Settings:
    """The deployment's settings, each read from the environment when first asked for.

    A function is given only the variables its declaration needs (see
    chalicelib/lambdas.py and infra/functions.py), so nothing here may insist on
    a variable before a caller asks for it; a missing one fails with its name.
    """

    @property
    def stage(self) -> str:
        return _required("STAGE")

    @property
    def reset_codes_in_log(self) -> bool:
        """Only the local run (no SMS or e-mail gateway) prints password reset codes to its log."""
        return _optional("RESET_CODES_IN_LOG") == "1"

    @property
    def region(self) -> str:
        return _optional("AWS_REGION") or _required("AWS_DEFAULT_REGION")

    @property
    def tables(self) -> Tables:
        return get_tables()

    @property
    def stats_table(self) -> str:
        return _required("STATS_TABLE")

    @property
    def reports_bucket(self) -> str:
        return _required("REPORTS_BUCKET")

    @property
    def uploads_bucket(self) -> str:
        return _required("UPLOADS_BUCKET")

    @property
    def media_bucket(self) -> str:
        """Processed product images under media/, served by the web distribution at /media/."""
        return _required("MEDIA_BUCKET")

    @property
    def media_base_url(self) -> str:
        """Where browsers fetch media/ keys: the distribution's /media in AWS, the local web server's locally."""
        return _optional("MEDIA_BASE_URL", "/media").rstrip("/")

    @property
    def web_bucket(self) -> str:
        return _required("WEB_BUCKET")

    @property
    def user_pool_id(self) -> str:
        return _required("USER_POOL_ID")

    @property
    def user_pool_client_id(self) -> str:
        return _required("USER_POOL_CLIENT_ID")

    @property
    def issuer(self) -> str:
        # Cognito signs tokens with this issuer in AWS and in moto alike; the JWKS
        # location differs locally (the moto server), hence its own setting.
        return f"https://cognito-idp.{self.region}.amazonaws.com/{self.user_pool_id}"

    @property
    def jwks_url(self) -> str:
        return _optional("COGNITO_JWKS_URL", f"{self.issuer}/.well-known/jwks.json")

    @property
    def deadline_state_machine_arn(self) -> str:
        return _required("DEADLINE_STATE_MACHINE_ARN")

    @property
    def competition_state_machine_arn(self) -> str:
        return _required("COMPETITION_STATE_MACHINE_ARN")

    @property
    def quote_key_id(self) -> str:
        return _required("QUOTE_KEY_ID")

    @property
    def integration_secret_id(self) -> str:
        return _required("INTEGRATION_SECRET_ID")

    @property
    def event_bus_name(self) -> str:
        return _required("ORDER_EVENT_BUS_NAME")

    @property
    def payment_secret_id(self) -> str:
        return _required("PAYMENT_SECRET_ID")

    @property
    def id_token_max_seconds(self) -> int:
        """The pool's IdTokenValidity (infra/resources.json); a token that claims a longer life is refused."""
        return int(_optional("ID_TOKEN_MAX_SECONDS", "3600"))

    @property
    def max_body_bytes(self) -> int:
        return int(_optional("MAX_BODY_BYTES", "65536"))

    def queue_url(self, logical_id: str) -> str:
        return _required(env_var(logical_id, "AWS::SQS::Queue"))


@lru_cache(maxsize=1)
def get_tables() -> Tables:
    return Tables(
        main=_required("MAIN_TABLE"),
        audit=_required("AUDIT_TABLE"),
        idempotency=_required("IDEMPOTENCY_TABLE"),
        catalog=_required("CATALOG_TABLE"),
    )


_SETTINGS = Settings()


def get_settings() -> Settings:
    return _SETTINGS


# The variable that carries a resource's name (or URL, ARN, id) to a function:
# the logical id in UPPER_SNAKE with a suffix that says which of them it is.
_ENV_SUFFIX = {
    "AWS::DynamoDB::Table": "",
    "AWS::S3::Bucket": "",
    "AWS::SQS::Queue": "_URL",
    "AWS::StepFunctions::StateMachine": "_ARN",
    "AWS::Events::EventBus": "_NAME",
    "AWS::SecretsManager::Secret": "_ID",
    "AWS::Cognito::UserPool": "_ID",
    "AWS::Cognito::UserPoolClient": "_ID",
    "AWS::KMS::Key": "_ID",
}


def env_var(logical_id: str, resource_type: str) -> str:
    """MainTable -> MAIN_TABLE, OrderOutputsQueue -> ORDER_OUTPUTS_QUEUE_URL, OrderEventBus -> ORDER_EVENT_BUS_NAME."""
    snake = "".join(f"_{c}" if c.isupper() and i else c for i, c in enumerate(logical_id)).upper()
    return snake + _ENV_SUFFIX[resource_type]


def reset_settings_cache() -> None:
    """Tests and the embedded run call this after creating new resources."""
    get_tables.cache_clear()


def cors_allow_origin() -> str:
    """Needed when routes are declared (import time), unlike the other settings."""
    return _optional("CORS_ALLOW_ORIGIN", "*")
