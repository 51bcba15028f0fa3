from __future__ import annotations

from pydantic import Field

from chalicelib.domain.orgs import OrgKind
from chalicelib.validation import QueryParams, StrictBody


class NewOrgBody(StrictBody):
    uscc: str = Field(min_length=18, max_length=18)
    name: str = Field(min_length=2, max_length=100)
    district: str = Field(min_length=6, max_length=12)
    kind: OrgKind
    contact_name: str = Field(min_length=1, max_length=30)
    contact_phone: str = Field(min_length=7, max_length=20)


class OrgQuery(QueryParams):
    district: str | None = Field(default=None, min_length=6, max_length=12)


class OrgContactBody(StrictBody):
    contact_name: str = Field(min_length=1, max_length=30)
    contact_phone: str = Field(min_length=7, max_length=20)
