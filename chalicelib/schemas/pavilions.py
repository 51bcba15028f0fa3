from __future__ import annotations

from pydantic import Field

from chalicelib.domain.sme import Scale
from chalicelib.schemas.listings import MAX_PRICE_FEN
from chalicelib.validation import QueryParams, StrictBody


class NewPavilionBody(StrictBody):
    code: str = Field(min_length=2, max_length=20)
    name: str = Field(min_length=2, max_length=20)
    intro: str = Field(default="", max_length=200)
    sort: int = Field(default=10, ge=0, le=999)


class PavilionBody(StrictBody):
    name: str = Field(min_length=2, max_length=20)
    intro: str = Field(default="", max_length=200)
    sort: int = Field(ge=0, le=999)
    shown: bool
    version: int = Field(ge=1)


class ListingPavilionsBody(StrictBody):
    codes: list[str] = Field(max_length=12)


class PavilionQuery(QueryParams):
    q: str = Field(default="", max_length=60)
    min_price_fen: int | None = Field(default=None, ge=0, le=MAX_PRICE_FEN)
    max_price_fen: int | None = Field(default=None, ge=0, le=MAX_PRICE_FEN)
    scale: Scale | None = None
    district: str | None = Field(default=None, min_length=6, max_length=12)
    limit: int = Field(default=20, ge=1, le=60)
    cursor: str | None = Field(default=None, max_length=2048)
