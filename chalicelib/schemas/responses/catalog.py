"""The catalog: listings as buyers, suppliers and reviewers read them, search, comparison, featured and pavilion pages,
images."""

from __future__ import annotations

from pydantic import Field

from chalicelib.schemas.responses.common import AuditEvent, OpenShape, SupplierRating, Upload


class ListingSupplier(OpenShape):
    uscc: str = Field(description="统一社会信用代码")
    name: str
    scale: str | None = Field(None, description="企业规模代码（大型、中型、小型、微型）")
    rating: SupplierRating | None = None


class ListingCard(OpenShape):
    """A listing as a catalog page, the search results and the shelves show it (one index entry, no second read)."""

    id: str
    site_id: str
    name: str
    brand: str
    model: str
    price_fen: int = Field(ge=0, description="单价（分）")
    category_id: str
    category_name: str
    supplier: ListingSupplier
    delivery_districts: list[str] = Field(description="可送达的区划代码")
    sales: int = Field(ge=0, description="已成交数量")
    image: str | None = Field(description="首图的上传键；无图为 null")
    pavilions: list[str] = Field(description="所在专馆的编码")


class ListingPage(OpenShape):
    items: list[ListingCard]
    next_cursor: str | None = Field(description="下一页的游标；最后一页为 null")


class ListingSpec(OpenShape):
    name: str
    value: str


class ListingCertificate(OpenShape):
    kind: str
    number: str
    expires_on: str = Field(description="有效期至，2024-01-15")


class ImageUrls(OpenShape):
    key: str
    url: str
    thumb_url: str


class ListingView(OpenShape):
    """A whole listing: its draft, its status, its supplier; `actions` only when a signed-in caller asked."""

    id: str
    site_id: str
    category_id: str
    category_name: str
    catalog_code: str = Field(description="政府采购品目分类编码")
    catalog_name: str
    name: str
    brand: str
    model: str
    specs: list[ListingSpec]
    price_fen: int = Field(ge=0, description="单价（分）")
    reference_price_fen: int = Field(ge=0, description="参考价（分）")
    reference_source: str
    stock: int = Field(ge=0)
    unit: str
    delivery_districts: list[str]
    images: list[str] = Field(description="图片的上传键")
    image_urls: list[ImageUrls]
    certificates: list[ListingCertificate]
    lead_days: int
    warranty: str
    after_sales: str
    description: str
    supplier: ListingSupplier
    status: str
    status_label: str = Field(description="状态的中文名称")
    status_reason: str
    sales: int = Field(ge=0)
    pavilions: list[str]
    created_at: str
    updated_at: str
    version: int
    actions: list[str] | None = Field(None, description="当前用户此刻可做的操作")


class ListingUnderReview(ListingView):
    history: list[AuditEvent] = Field(description="这件商品的审计记录，最新在前")


class MyListings(OpenShape):
    items: list[ListingView]
    supplier_status: str = Field(description="供应商自身的状态：被暂停或清退时商品不能上架")


class ReviewQueue(OpenShape):
    items: list[ListingView]
    next_cursor: str | None


class ListingPavilions(OpenShape):
    id: str
    pavilions: list[str]
    version: int


class BrandItem(OpenShape):
    brand: str


class BrandList(OpenShape):
    items: list[BrandItem]


class Comparison(OpenShape):
    items: list[ListingView]
    spec_names: list[str] = Field(description="对比表的参数行：各商品参数名的并集，按出现顺序")
    missing: list[str] = Field(description="请求了但不在售的商品编号")


class FeaturedListings(OpenShape):
    hot: list[ListingCard] = Field(description="本站点销量领先的商品")
    sme: list[ListingCard] = Field(description="中小微企业的销量领先商品")


class MatchedCategory(OpenShape):
    id: str
    name: str


class Understood(OpenShape):
    said: str = Field(description="采购人输入的词")
    meant: str = Field(description="按其理解检索的词")


class CategoryCount(OpenShape):
    id: str
    name: str
    count: int = Field(ge=0)


class SearchResult(OpenShape):
    items: list[ListingCard]
    next_cursor: str | None
    # Counted with the first page and with numbered pages; a page reached by cursor (加载更多) leaves them null.
    total: int | None = Field(ge=0)
    total_exact: bool | None = Field(description="false：总数为估计值")
    page: int | None
    pages: int | None
    matched_category: MatchedCategory | None = Field(description="检索词正好是一个品目时，该品目")
    understood: list[Understood] | None = None
    categories: list[CategoryCount] | None = Field(description="结果按品目的分布")
    hint: str | None = None


class Suggestion(OpenShape):
    text: str
    kind: str
    meant: str


class Suggestions(OpenShape):
    items: list[Suggestion]


class ImageUploadTicket(OpenShape):
    key: str
    image_id: str
    upload: Upload
    max_bytes: int


class ImageView(OpenShape):
    """An uploaded listing image: checked (type, size, dimensions) and thumbnailed, or refused with a reason."""

    image_id: str
    key: str
    file_name: str
    status: str
    status_label: str
    reason: str
    width: int
    height: int
    url: str | None = None
    thumb_url: str | None = None


class PavilionView(OpenShape):
    site_id: str
    code: str
    name: str
    intro: str
    sort: int
    shown: bool
    shown_label: str
    version: int
    created_at: str
    updated_at: str


class PavilionShelf(PavilionView):
    items: list[ListingCard] | None = Field(None, description="首页：该专馆的销量领先商品")


class PavilionList(OpenShape):
    items: list[PavilionShelf]


class PavilionPage(OpenShape):
    pavilion: PavilionView
    items: list[ListingCard]
    next_cursor: str | None
