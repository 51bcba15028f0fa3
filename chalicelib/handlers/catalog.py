"""The catalog buyers browse (公开): category pages, search, brands, product detail, compare."""

from __future__ import annotations

from typing import Any

from chalice.app import Blueprint

from chalicelib.domain.catalog_index import category_plan, search_plan
from chalicelib.domain.errors import InvalidInput, NotFound
from chalicelib.domain.listings import LISTING_ID_PATTERN, Listing, ListingStatus
from chalicelib.domain.suppliers import Supplier
from chalicelib.handlers.listings import listing_view
from chalicelib.http import RequestContext, api_route
from chalicelib.store import catalog
from chalicelib.store.sites import cached_site
from chalicelib.wiring import stores

bp = Blueprint(__name__)

MAX_COMPARE = 4


def _category(site: Any, category_id: str) -> None:
    if not any(c.id == category_id for c in site.categories):
        raise NotFound(f"品目 {category_id} 不是{site.short_name}站点的商城品目", code="CATEGORY_NOT_FOUND")


@api_route(bp, "/sites/{site_id}/catalog", response="catalog:ListingPage")
def category_page(ctx: RequestContext, site_id: str) -> dict[str, Any]:
    from chalicelib.schemas.listings import CatalogQuery

    query = ctx.query(CatalogQuery)
    site = cached_site(site_id)
    _category(site, query.category)
    _check_district(site, query.district)
    plan = category_plan(
        site,
        query.category,
        query.sort,
        query.brand,
        query.min_price_fen,
        query.max_price_fen,
        query.scale.value if query.scale else None,
        query.district,
    )
    items, cursor = catalog.read_page(plan, query.limit, query.cursor)
    return {"items": items, "next_cursor": cursor}


@api_route(bp, "/sites/{site_id}/catalog/search", response="catalog:SearchResult")
def search(ctx: RequestContext, site_id: str) -> dict[str, Any]:
    """Search by what the buyer means (synonyms, brand aliases), filtered like a category page, ranked by
    relevance; with a result count. At most three Queries: two for the page, one for the count."""
    from chalicelib.domain.catalog_index import SearchFilters, SortOrder, ranked
    from chalicelib.schemas.listings import SearchQuery

    query = ctx.query(SearchQuery)
    site = cached_site(site_id)
    _check_district(site, query.district)
    filters = SearchFilters(
        query.scale.value if query.scale else None, query.district, query.min_price_fen, query.max_price_fen
    )
    planned = search_plan(site, query.q, query.sort, filters)
    if planned is None:
        return {
            "items": [],
            "next_cursor": None,
            "matched_category": None,
            "total": 0,
            "total_exact": True,
            "page": 1,
            "pages": 0,
            "categories": [],
            "hint": "请输入至少两个字的关键词",
        }
    if query.page is not None and query.cursor:
        raise InvalidInput(
            "页码与分页游标不能同时使用",
            code="VALIDATION_FAILED",
            details=[{"field": "page", "message": "与分页游标冲突"}],
        )
    found = None
    start = query.cursor
    if query.page is not None or not query.cursor:
        # The first page, or a page by number: one keys-only Query of the first 1000 matches gives the count, where
        # each page starts and the counts per category; the page itself is at most two more.
        found = catalog.window(planned.plan)
        if query.page is not None:
            start = catalog.page_cursor(found, query.page, query.limit)
    items, cursor = catalog.read_page(planned.plan, query.limit, start)
    if query.sort is SortOrder.RELEVANCE:
        items = ranked(items, planned.words)
    matched = planned.matched_category
    names = {c.id: c.name for c in site.categories}
    return {
        "items": items,
        "next_cursor": cursor,
        "matched_category": {"id": matched.id, "name": matched.name} if matched else None,
        "understood": [{"said": pair.split("→")[0], "meant": pair.split("→")[1]} for pair in planned.understood],
        # The count is read with the first page and with numbered pages (later 加载更多 pages keep it).
        "total": found.matched if found else None,
        "total_exact": found.exact if found else None,
        "page": query.page or (1 if found else None),
        "pages": -(-found.matched // query.limit) if found else None,
        "categories": (
            [
                {"id": cid, "name": names.get(cid, ""), "count": n}
                for cid, n in sorted(found.categories.items(), key=lambda kv: (-kv[1], kv[0]))
            ]
            if found
            else None
        ),
    }


FEATURED_COUNT = 8
SME_SCALES = ("micro", "small")


@api_route(bp, "/sites/{site_id}/catalog/featured", response="catalog:FeaturedListings")
def featured(ctx: RequestContext, site_id: str) -> dict[str, Any]:
    """The front page's shelves: the site's best sellers, and those of its small and micro suppliers
    (政府采购促进中小企业发展: the mall shows them first). Two Queries of the site-wide sales partition."""
    cached_site(site_id)
    return {
        "hot": catalog.best_sellers(site_id, FEATURED_COUNT),
        "sme": catalog.best_sellers(site_id, FEATURED_COUNT, SME_SCALES),
    }


@api_route(bp, "/sites/{site_id}/catalog/suggest", response="catalog:Suggestions")
def suggest(ctx: RequestContext, site_id: str) -> dict[str, Any]:
    """What the search box offers as the buyer types: category names and aliases; no table read."""
    from chalicelib.domain.search_terms import suggestions, synonyms_for
    from chalicelib.schemas.listings import SuggestQuery

    query = ctx.query(SuggestQuery)
    site = cached_site(site_id)
    names = [c.name for c in site.leaf_categories()]
    return {"items": suggestions(query.q, names, synonyms_for(site.synonyms))}


def _check_district(site: Any, district: str | None) -> None:
    if district is not None and site.district(district) is None:
        raise InvalidInput(
            f"区划 {district} 不属于{site.short_name}站点",
            code="VALIDATION_FAILED",
            details=[{"field": "district", "message": "不属于本站点"}],
        )


@api_route(bp, "/sites/{site_id}/catalog/brands", response="catalog:BrandList")
def brands(ctx: RequestContext, site_id: str) -> dict[str, Any]:
    from chalicelib.schemas.listings import BrandsQuery

    query = ctx.query(BrandsQuery)
    site = cached_site(site_id)
    _category(site, query.category)
    return {"items": catalog.brands(site_id, query.category)}


def _on_sale(listing: Listing, supplier: Supplier | None) -> bool:
    return listing.status is ListingStatus.ACTIVE and supplier is not None and supplier.can_trade_in(listing.site_id)


@api_route(bp, "/sites/{site_id}/listings/{listing_id}", response="catalog:ListingView")
def product_detail(ctx: RequestContext, site_id: str, listing_id: str) -> dict[str, Any]:
    site = cached_site(site_id)
    listing = stores().listings.get(site_id, listing_id) if LISTING_ID_PATTERN.match(listing_id) else None
    supplier = stores().suppliers.get(listing.supplier.uscc) if listing else None
    if listing is None or not _on_sale(listing, supplier):
        raise NotFound("商品不存在或已下架", code="LISTING_NOT_FOUND")
    return listing_view(listing, site, supplier)


@api_route(bp, "/sites/{site_id}/catalog/compare", response="catalog:Comparison")
def compare(ctx: RequestContext, site_id: str) -> dict[str, Any]:
    from chalicelib.schemas.listings import CompareQuery

    query = ctx.query(CompareQuery)
    ids = [i for i in query.ids.split(",") if i]
    if (
        not 2 <= len(ids) <= MAX_COMPARE
        or len(set(ids)) != len(ids)
        or not all(LISTING_ID_PATTERN.match(i) for i in ids)
    ):
        raise InvalidInput(
            f"请选择 2 至 {MAX_COMPARE} 个不同的商品进行对比",
            code="VALIDATION_FAILED",
            details=[{"field": "ids", "message": f"2 至 {MAX_COMPARE} 个商品编号，以逗号分隔"}],
        )
    site = cached_site(site_id)
    found = stores().listings.get_many(site_id, ids)
    owners = stores().suppliers.get_many([x.supplier.uscc for x in found])
    views = [
        listing_view(x, site, owners.get(x.supplier.uscc)) for x in found if _on_sale(x, owners.get(x.supplier.uscc))
    ]
    spec_names: list[str] = []
    for view in views:
        spec_names.extend(s["name"] for s in view["specs"] if s["name"] not in spec_names)
    return {"items": views, "spec_names": spec_names, "missing": [i for i in ids if i not in {v["id"] for v in views}]}
