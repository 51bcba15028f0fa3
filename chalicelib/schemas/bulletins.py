from __future__ import annotations

from typing import Literal

from pydantic import Field

from chalicelib.domain.bulletins import BulletinKind
from chalicelib.validation import QueryParams, StrictBody


class BulletinBody(StrictBody):
    kind: BulletinKind
    title: str = Field(min_length=1, max_length=80)
    body: str = Field(min_length=1, max_length=5000)
    pinned: bool = False
    link: str = Field(default="", max_length=500)
    files: list[str] = Field(default_factory=list, max_length=5)  # file ids from POST …/bulletins/files


class BulletinRevision(BulletinBody):
    version: int = Field(ge=1)


class BulletinQuery(QueryParams):
    kind: BulletinKind | None = None
    q: str = Field(default="", max_length=50)
    limit: int = Field(default=10, ge=1, le=50)


class ManagedBulletinQuery(BulletinQuery):
    include_withdrawn: bool = True


class BulletinFileBody(StrictBody):
    file_name: str = Field(min_length=1, max_length=120)
    content_type: Literal["video/mp4", "application/pdf", "image/jpeg", "image/png"]
    size: int = Field(gt=0, le=200 * 1024 * 1024)
