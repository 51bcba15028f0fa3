"""Shapes several areas' answers share: the open base every answer model extends, uploads, people, limits."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class OpenShape(BaseModel):
    """The base of every answer model. Its schema leaves `additionalProperties` unsaid, which JSON Schema reads as
    "allowed": an answer may gain fields without notice. It is not set to true either, so that the typed client
    (openapi-typescript) gives each model its named fields only and a field the description lacks fails the build."""


class HealthView(OpenShape):
    status: str = Field(description="ok：服务正常")


class CatalogName(OpenShape):
    """A code of the national procurement catalog with its name."""

    code: str
    name: str


class Actor(OpenShape):
    """Who did something: the user, the role and the organisation they acted for."""

    user_id: str
    username: str
    name: str
    role: str
    role_label: str | None = None
    org_id: str
    org_name: str


class Upload(OpenShape):
    url: str
    fields_: dict[str, Any] = Field(alias="fields")


class SupplierRating(OpenShape):
    count: int
    average: float | None


class Delivery(OpenShape):
    """Where and when a purchase (an order, a competition) is to be delivered."""

    address: str
    contact: str
    phone: str
    expected_date: str = Field(description="期望送达日期，2024-01-15")
    district: str | None = None


class GoodCount(OpenShape):
    """Ratings received and how many of them were good (4 or 5 stars)."""

    total: int
    good: int


class Limits(OpenShape):
    per_order_cap_fen: int
    annual_category_cap_fen: int
    per_plan_cap_fen: int | None = None


class AuditChange(OpenShape):
    """One field an event changed, in words (labels.changes): 状态：待确认 → 已确认."""

    field: str
    label: str
    before: str
    after: str


class AuditEvent(OpenShape):
    """One entry of the audit trail: who changed what, when, from which state to which."""

    id: str
    tenant: str
    entity_type: str
    entity_id: str
    action: str
    summary: str
    actor: Actor
    at: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    request_id: str
    context: dict[str, Any]
    entity_label: str
    action_label: str
    changes: list[AuditChange]


class OpenApiDocument(OpenShape):
    """This description itself (OpenAPI 3.1)."""

    openapi: str = Field(pattern=r"^3\.1\.\d+$")
    info: dict[str, Any]
    paths: dict[str, Any]
    components: dict[str, Any]
