"""Errors the domain raises. Each carries a machine code and a Chinese message.

The HTTP layer maps each class to one status code; nothing else needs to know
about HTTP.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base class: `code` is stable for machines, `message` is shown to people."""

    default_code = "ERROR"

    def __init__(
        self, message: str, *, code: str | None = None, details: Any = None, retry_after: int | None = None
    ) -> None:
        super().__init__(message)
        self.code = code or self.default_code
        self.message = message
        self.details = details
        self.retry_after = retry_after  # seconds: the client may send the same request again after this


class InvalidInput(DomainError):
    """The request is malformed or a field is wrong (400)."""

    default_code = "INVALID_INPUT"


class Unauthenticated(DomainError):
    """No valid login (401)."""

    default_code = "AUTH_REQUIRED"


class Forbidden(DomainError):
    """Logged in, but this role or site may not do this (403)."""

    default_code = "FORBIDDEN"


class NotFound(DomainError):
    """The thing does not exist, or is not visible to the caller (404)."""

    default_code = "NOT_FOUND"


class Conflict(DomainError):
    """The state changed underneath the request, or a duplicate (409)."""

    default_code = "CONFLICT"


class RuleViolation(DomainError):
    """Well-formed, but a business rule refuses it, e.g. a limit (422)."""

    default_code = "RULE_VIOLATION"


class TooManyRequests(DomainError):
    """A downstream service throttled the request; the caller may retry later (429)."""

    default_code = "TOO_MANY_REQUESTS"


class ServiceUnavailable(DomainError):
    """A service the request needs is throttling or failing; nothing was written, the same request may be
    sent again after `retry_after` seconds (503)."""

    default_code = "SERVICE_BUSY"


class PayloadTooLarge(DomainError):
    """The body is larger than the API accepts (413)."""

    default_code = "PAYLOAD_TOO_LARGE"


class UnsupportedMediaType(DomainError):
    """The body is not JSON (415)."""

    default_code = "UNSUPPORTED_MEDIA_TYPE"


def field_problem(field: str, message: str) -> dict[str, str]:
    """One entry of an error's `details`: the field (the web client shows its label) and what is wrong with it."""
    return {"field": field, "message": message}
