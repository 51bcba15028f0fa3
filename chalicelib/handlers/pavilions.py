"""特色场馆 over HTTP: the front page's shelves and each pavilion's page (public), managed by the site's centre.
Rules in domain.pavilions; each read is one Query of the catalog index's pavilion partition."""

from __future__ import annotations

from typing import Any

from chalice.app import Blueprint

from chalicelib.domain import listings, pavilions
from chalicelib.domain.catalog_index import SearchFilters, pavilion_plan
from chalicelib.domain.errors import NotFound
from chalicelib.domain.principals import Role
from chalicelib.http import Reply, RequestContext, api_route
from chalicelib.store.sites import cached_site
from chalicelib.wiring import stores

bp = Blueprint(__name__)

OPERATORS = frozenset({Role.CENTER_ADMIN, Role.PROVINCE_ADMIN})
BASE = "/sites/{site_id}/pavilions"
SHELF = 8


def _pavilion(site_id: str, code: str) -> pavilions.Pavilion:
    found = stores().pavilions.get(site_id, code) if pavilions.CODE_PATTERN.match(code) else None
    if found is None:
        raise NotFound("特色场馆不存在", code="PAVILION_NOT_FOUND")
    return found


@api_route(bp, BASE, response="catalog:PavilionList")
def front_page(ctx: RequestContext, site_id: str) -> dict[str, Any]:
    """The shown pavilions in their order, each with its best sellers: one Query per pavilion."""
    from chalicelib.store import catalog

    site = cached_site(site_id)
    shelves = []
    for p in pavilions.ordered(stores().pavilions.all(site_id), shown_only=True):
        items, _ = catalog.read_page(pavilion_plan(site, p.code, "", SearchFilters()), SHELF, None)
        shelves.append({**pavilions.view(p), "items": items})
    return {"items": shelves}


@api_route(bp, BASE + "/{code}/listings", response="catalog:PavilionPage")
def pavilion_page(ctx: RequestContext, site_id: str, code: str) -> dict[str, Any]:
    """A pavilion's listings by sales, searched by words and filtered like a catalog page."""
    from chalicelib.handlers.catalog import _check_district
    from chalicelib.schemas.pavilions import PavilionQuery
    from chalicelib.store import catalog

    query = ctx.query(PavilionQuery)
    site = cached_site(site_id)
    p = _pavilion(site_id, code)
    _check_district(site, query.district)
    filters = SearchFilters(
        query.scale.value if query.scale else None, query.district, query.min_price_fen, query.max_price_fen
    )
    items, cursor = catalog.read_page(pavilion_plan(site, p.code, query.q, filters), query.limit, query.cursor)
    return {"pavilion": pavilions.view(p), "items": items, "next_cursor": cursor}


@api_route(bp, BASE + "/manage", roles=OPERATORS, response="catalog:PavilionList")
def manage(ctx: RequestContext, site_id: str) -> dict[str, Any]:
    cached_site(site_id)
    return {"items": [pavilions.view(p) for p in pavilions.ordered(stores().pavilions.all(site_id), shown_only=False)]}


@api_route(bp, BASE, methods=("POST",), roles=OPERATORS, response="catalog:PavilionView")
def create(ctx: RequestContext, site_id: str) -> Reply:
    from chalicelib.schemas.pavilions import NewPavilionBody

    body = ctx.body(NewPavilionBody)
    cached_site(site_id)
    made = pavilions.create(
        stores().pavilions, site_id, ctx.user.as_actor(), body.code, body.name, body.intro, body.sort, ctx.now
    )
    return Reply(pavilions.view(made), status=201)


@api_route(bp, BASE + "/{code}", methods=("PUT",), roles=OPERATORS, response="catalog:PavilionView")
def revise(ctx: RequestContext, site_id: str, code: str) -> dict[str, Any]:
    from chalicelib.schemas.pavilions import PavilionBody

    body = ctx.body(PavilionBody)
    found = stores().pavilions.get(site_id, code) if pavilions.CODE_PATTERN.match(code) else None
    changed = pavilions.revise(
        stores().pavilions, ctx.user, found, body.version, body.name, body.intro, body.sort, body.shown, ctx.now
    )
    return pavilions.view(changed)


@api_route(
    bp,
    "/sites/{site_id}/listings/{listing_id}/pavilions",
    methods=("PUT",),
    roles=OPERATORS,
    response="catalog:ListingPavilions",
)
def place_listing(ctx: RequestContext, site_id: str, listing_id: str) -> dict[str, Any]:
    """Put a listing in the site's pavilions (the whole set: an empty list takes it out of all)."""
    from chalicelib.schemas.pavilions import ListingPavilionsBody

    body = ctx.body(ListingPavilionsBody)
    found = stores().listings.get(site_id, listing_id) if listings.LISTING_ID_PATTERN.match(listing_id) else None
    if found is None:
        raise NotFound("商品不存在", code="LISTING_NOT_FOUND")
    names = {p.code: p.name for p in stores().pavilions.all(site_id)}
    changed = listings.set_pavilions(stores().listings, ctx.user, found, tuple(body.codes), names, ctx.now)
    return {"id": changed.id, "pavilions": list(changed.pavilions), "version": changed.version}
