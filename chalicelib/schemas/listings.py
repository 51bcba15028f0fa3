from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from chalicelib.domain.catalog_index import SortOrder
from chalicelib.domain.listings import CertificateKind, ListingStatus
from chalicelib.domain.sme import Scale
from chalicelib.validation import QueryParams, StrictBody

MAX_PRICE_FEN = 10**11  # 10 亿元 a unit: far above anything a mall sells


class SpecBody(StrictBody):
    name: str = Field(min_length=1, max_length=30)
    value: str = Field(min_length=1, max_length=200)


class CertificateBody(StrictBody):
    kind: CertificateKind
    number: str = Field(min_length=4, max_length=60)
    expires_on: date


class ListingBody(StrictBody):
    category_id: str = Field(min_length=1, max_length=20)
    name: str = Field(min_length=2, max_length=120)
    brand: str = Field(min_length=1, max_length=40)
    model: str = Field(min_length=1, max_length=60)
    specs: list[SpecBody] = Field(default_factory=list, max_length=30)
    price_fen: int = Field(gt=0, le=MAX_PRICE_FEN)
    reference_price_fen: int = Field(gt=0, le=MAX_PRICE_FEN)
    reference_source: str = Field(min_length=2, max_length=200)
    stock: int = Field(ge=0, le=10_000_000)
    delivery_districts: list[str] = Field(min_length=1, max_length=50)
    images: list[str] = Field(default_factory=list, max_length=8)
    certificates: list[CertificateBody] = Field(default_factory=list, max_length=10)
    unit: str = Field(default="件", min_length=1, max_length=6)
    lead_days: int = Field(default=3, ge=1, le=90)
    warranty: str = Field(default="", max_length=60)
    after_sales: str = Field(default="", max_length=500)
    description: str = Field(default="", max_length=2000)


class PriceBody(StrictBody):
    price_fen: int = Field(gt=0, le=MAX_PRICE_FEN)
    reference_price_fen: int = Field(gt=0, le=MAX_PRICE_FEN)
    reference_source: str = Field(min_length=2, max_length=200)
    expected_version: int | None = Field(default=None, ge=1)


class StockBody(StrictBody):
    stock: int = Field(ge=0, le=10_000_000)


class ImageUploadBody(StrictBody):
    file_name: str = Field(min_length=1, max_length=120)
    content_type: Literal["image/jpeg", "image/png", "image/webp"]
    size: int = Field(gt=0, le=5 * 1024 * 1024)


class MineQuery(QueryParams):
    status: ListingStatus | None = None


class ReviewQueueQuery(QueryParams):
    status: ListingStatus = ListingStatus.PENDING
    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=2048)


class CatalogQuery(QueryParams):
    category: str = Field(min_length=1, max_length=20)
    sort: SortOrder = SortOrder.PRICE_ASC
    brand: str | None = Field(default=None, min_length=1, max_length=40)
    min_price_fen: int | None = Field(default=None, ge=0, le=MAX_PRICE_FEN)
    max_price_fen: int | None = Field(default=None, ge=0, le=MAX_PRICE_FEN)
    scale: Scale | None = None
    district: str | None = Field(default=None, min_length=6, max_length=12)
    limit: int = Field(default=20, ge=1, le=60)
    cursor: str | None = Field(default=None, max_length=2048)


class SearchQuery(QueryParams):
    q: str = Field(min_length=1, max_length=60)
    sort: SortOrder = SortOrder.RELEVANCE
    min_price_fen: int | None = Field(default=None, ge=0, le=MAX_PRICE_FEN)
    max_price_fen: int | None = Field(default=None, ge=0, le=MAX_PRICE_FEN)
    scale: Scale | None = None
    district: str | None = Field(default=None, min_length=6, max_length=12)
    limit: int = Field(default=20, ge=1, le=60)
    cursor: str | None = Field(default=None, max_length=2048)
    page: int | None = Field(default=None, ge=1, le=50)  # a page number (within the first 1000 results)


class SuggestQuery(QueryParams):
    q: str = Field(min_length=1, max_length=30)


class BrandsQuery(QueryParams):
    category: str = Field(min_length=1, max_length=20)


class CompareQuery(QueryParams):
    ids: str = Field(min_length=32, max_length=200)
