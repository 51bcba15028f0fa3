"""Listings: suppliers publish and maintain them, site operators review and delist them."""

from __future__ import annotations

import uuid
from typing import Any

from chalice.app import Blueprint

from chalicelib.domain import labels, listings
from chalicelib.domain.errors import NotFound
from chalicelib.domain.listings import Certificate, CertificateKind, Listing, ListingDraft, Spec
from chalicelib.domain.media import MAX_IMAGE_BYTES, upload_key
from chalicelib.domain.principals import Principal, Role
from chalicelib.domain.site_admin import load_site
from chalicelib.domain.sites import SiteConfig
from chalicelib.domain.suppliers import Supplier
from chalicelib.handlers.suppliers import principal_supplier
from chalicelib.http import Reply, RequestContext, api_route
from chalicelib.observability import metrics
from chalicelib.store.media import image_urls
from chalicelib.store.reference import national_catalog
from chalicelib.store.uploads import presigned_post
from chalicelib.wiring import stores

bp = Blueprint(__name__)

SUPPLIER = frozenset({Role.SUPPLIER})
OPERATORS = frozenset({Role.CENTER_ADMIN, Role.PROVINCE_ADMIN})


def listing_view(
    listing: Listing, site: SiteConfig, supplier: Supplier | None, caller: Principal | None = None
) -> dict[str, Any]:
    """`actions`: the status moves the caller may make now (from listings.LISTING_MOVES, as the guards)."""
    view = listings.listing_to_dict(listing)
    category = next((c for c in site.categories if c.id == listing.draft.category_id), None)
    view["category_name"] = category.name if category else listing.category_name
    entry = national_catalog().get(listing.catalog_code)
    view["catalog_name"] = entry.name if entry else ""
    view["status_label"] = listing.status.label
    rating = {"count": supplier.rating.votes, "average": supplier.rating.average} if supplier else None
    view["supplier"] = {**view["supplier"], "rating": rating}
    view["image_urls"] = [image_urls(key) for key in listing.draft.images]
    if caller is not None:
        view["actions"] = listings.listing_actions(listing, caller)
    return view


def _listing_id(value: str) -> str:
    if not listings.LISTING_ID_PATTERN.match(value):
        raise NotFound("商品不存在", code="LISTING_NOT_FOUND")
    return value


def _draft(body: Any) -> ListingDraft:
    return ListingDraft(
        category_id=body.category_id,
        name=body.name,
        brand=body.brand,
        model=body.model,
        specs=tuple(Spec(s.name, s.value) for s in body.specs),
        price_fen=body.price_fen,
        reference_price_fen=body.reference_price_fen,
        reference_source=body.reference_source,
        stock=body.stock,
        delivery_districts=tuple(body.delivery_districts),
        images=tuple(body.images),
        certificates=tuple(
            Certificate(CertificateKind(c.kind), c.number, c.expires_on.isoformat()) for c in body.certificates
        ),
        unit=body.unit,
        lead_days=body.lead_days,
        warranty=body.warranty,
        after_sales=body.after_sales,
        description=body.description,
    )


def _caps(site_id: str, uscc: str, now: Any) -> Any:
    """The caps a supplier's listings meet here (框采 items at or below their 入围限价): one Query of the agreements."""
    from chalicelib.domain.clock import china_date
    from chalicelib.domain.frameworks import listing_caps

    return listing_caps(stores().agreements.all(), site_id, uscc, china_date(now))


def _images_ready(site_id: str, uscc: str, draft: ListingDraft) -> None:
    from chalicelib.domain.media import require_ready
    from chalicelib.store.media import DynamoImageStore

    if draft.images:
        require_ready(DynamoImageStore(), site_id, uscc, draft.images)


# ---------------------------------------------------------------- supplier


@api_route(bp, "/sites/{site_id}/listings", methods=("POST",), roles=SUPPLIER, response="catalog:ListingView")
def create_listing(ctx: RequestContext, site_id: str) -> Reply:
    from chalicelib.schemas.listings import ListingBody
    from chalicelib.store.idempotency import run_once

    body = ctx.body(ListingBody)

    def create() -> dict[str, Any]:
        site = load_site(stores().sites, site_id)
        supplier = principal_supplier(ctx.user)
        draft = _draft(body)
        _images_ready(site_id, supplier.uscc, draft)
        caps = _caps(site_id, supplier.uscc, ctx.now)
        listing = listings.create(stores().listings, site, supplier, ctx.user, draft, ctx.now, caps)
        metrics.add_metric(name="ListingCreated", unit="Count", value=1)
        return listing_view(listing, site, supplier, ctx.user)

    result = run_once(
        scope=f"{site_id}#{ctx.user.user_id}#create_listing",
        key=ctx.header("idempotency-key") or None,
        body=body.model_dump(mode="json"),
        action=create,
        lambda_context=ctx.lambda_context,
    )
    return Reply(result, status=201)


@api_route(bp, "/sites/{site_id}/listings/mine", roles=SUPPLIER, response="catalog:MyListings")
def my_listings(ctx: RequestContext, site_id: str) -> dict[str, Any]:
    from chalicelib.schemas.listings import MineQuery

    query = ctx.query(MineQuery)
    site = load_site(stores().sites, site_id)
    supplier = principal_supplier(ctx.user)
    found = stores().listings.mine(site_id, supplier.uscc, query.status)
    return {
        "items": [listing_view(x, site, supplier, ctx.user) for x in found],
        "supplier_status": supplier.status.value,
    }


@api_route(
    bp, "/sites/{site_id}/listings/images", methods=("POST",), roles=SUPPLIER, response="catalog:ImageUploadTicket"
)
def start_image_upload(ctx: RequestContext, site_id: str) -> Reply:
    from chalicelib.schemas.listings import ImageUploadBody

    body = ctx.body(ImageUploadBody)
    load_site(stores().sites, site_id)
    supplier = principal_supplier(ctx.user)
    image_id = uuid.uuid4().hex
    key = upload_key(site_id, supplier.uscc, image_id)
    upload = presigned_post(
        key, body.content_type, MAX_IMAGE_BYTES, {"file-name": body.file_name, "uscc": supplier.uscc}
    )
    # Then POST /sites/{site}/listing-images/{image_id}/confirm: the mall checks what arrived.
    return Reply({"key": key, "image_id": image_id, "upload": upload, "max_bytes": MAX_IMAGE_BYTES}, status=201)


@api_route(
    bp, "/sites/{site_id}/listings/{listing_id}", methods=("PUT",), roles=SUPPLIER, response="catalog:ListingView"
)
def edit_listing(ctx: RequestContext, site_id: str, listing_id: str) -> dict[str, Any]:
    from chalicelib.schemas.listings import ListingBody

    body = ctx.body(ListingBody)
    site = load_site(stores().sites, site_id)
    supplier = principal_supplier(ctx.user)
    draft = _draft(body)
    _images_ready(site_id, supplier.uscc, draft)
    caps = _caps(site_id, supplier.uscc, ctx.now)
    listing = listings.edit(stores().listings, site, supplier, ctx.user, _listing_id(listing_id), draft, ctx.now, caps)
    return listing_view(listing, site, supplier, ctx.user)


@api_route(
    bp, "/sites/{site_id}/listings/{listing_id}/price", methods=("PUT",), roles=SUPPLIER, response="catalog:ListingView"
)
def change_price(ctx: RequestContext, site_id: str, listing_id: str) -> dict[str, Any]:
    from chalicelib.schemas.listings import PriceBody

    body = ctx.body(PriceBody)
    site = load_site(stores().sites, site_id)
    supplier = principal_supplier(ctx.user)
    listing = listings.change_price(
        stores().listings,
        supplier,
        ctx.user,
        site_id,
        _listing_id(listing_id),
        body.price_fen,
        body.reference_price_fen,
        body.reference_source,
        body.expected_version,
        ctx.now,
        _caps(site_id, supplier.uscc, ctx.now),
    )
    return listing_view(listing, site, supplier, ctx.user)


@api_route(
    bp, "/sites/{site_id}/listings/{listing_id}/stock", methods=("PUT",), roles=SUPPLIER, response="catalog:ListingView"
)
def change_stock(ctx: RequestContext, site_id: str, listing_id: str) -> dict[str, Any]:
    from chalicelib.schemas.listings import StockBody

    body = ctx.body(StockBody)
    site = load_site(stores().sites, site_id)
    supplier = principal_supplier(ctx.user)
    listing = listings.change_stock(
        stores().listings, supplier, ctx.user, site_id, _listing_id(listing_id), body.stock, ctx.now
    )
    return listing_view(listing, site, supplier, ctx.user)


@api_route(
    bp,
    "/sites/{site_id}/listings/{listing_id}/withdraw",
    methods=("POST",),
    roles=SUPPLIER,
    response="catalog:ListingView",
)
def withdraw_listing(ctx: RequestContext, site_id: str, listing_id: str) -> dict[str, Any]:
    site = load_site(stores().sites, site_id)
    supplier = principal_supplier(ctx.user)
    listing = listings.withdraw(stores().listings, supplier, ctx.user, site_id, _listing_id(listing_id), ctx.now)
    return listing_view(listing, site, supplier, ctx.user)


@api_route(
    bp,
    "/sites/{site_id}/listings/{listing_id}/resubmit",
    methods=("POST",),
    roles=SUPPLIER,
    response="catalog:ListingView",
)
def resubmit_listing(ctx: RequestContext, site_id: str, listing_id: str) -> dict[str, Any]:
    site = load_site(stores().sites, site_id)
    supplier = principal_supplier(ctx.user)
    caps = _caps(site_id, supplier.uscc, ctx.now)
    listing = listings.resubmit(stores().listings, site, supplier, ctx.user, _listing_id(listing_id), ctx.now, caps)
    return listing_view(listing, site, supplier, ctx.user)


# ---------------------------------------------------------------- operator


@api_route(bp, "/sites/{site_id}/listings/review", roles=OPERATORS, response="catalog:ReviewQueue")
def review_queue(ctx: RequestContext, site_id: str) -> dict[str, Any]:
    from chalicelib.schemas.listings import ReviewQueueQuery

    query = ctx.query(ReviewQueueQuery)
    site = load_site(stores().sites, site_id)
    found, cursor = stores().listings.by_status(site_id, query.status, query.limit, query.cursor)
    supplier_store = stores().suppliers
    owners = {uscc: supplier_store.get(uscc) for uscc in {x.supplier.uscc for x in found}}
    return {"items": [listing_view(x, site, owners[x.supplier.uscc], ctx.user) for x in found], "next_cursor": cursor}


@api_route(bp, "/sites/{site_id}/listings/{listing_id}/review", roles=OPERATORS, response="catalog:ListingUnderReview")
def listing_under_review(ctx: RequestContext, site_id: str, listing_id: str) -> dict[str, Any]:
    """A listing in any status as its reviewer sees it (the public detail shows only what is on sale),
    with its history."""
    site = load_site(stores().sites, site_id)
    listing = stores().listings.get(site_id, _listing_id(listing_id))
    if listing is None:
        raise NotFound("商品不存在", code="LISTING_NOT_FOUND")
    view = listing_view(listing, site, stores().suppliers.get(listing.supplier.uscc), ctx.user)
    history = stores().audit.entity_history(site_id, listings.ENTITY_LISTING, listing.id)
    view["history"] = [labels.described(e) for e in history]
    return view


@api_route(
    bp,
    "/sites/{site_id}/listings/{listing_id}/review",
    methods=("POST",),
    roles=OPERATORS,
    response="catalog:ListingView",
)
def review_listing(ctx: RequestContext, site_id: str, listing_id: str) -> dict[str, Any]:
    from chalicelib.schemas.suppliers import ReviewBody

    body = ctx.body(ReviewBody)
    site = load_site(stores().sites, site_id)
    store = stores().listings
    current = store.get(site_id, _listing_id(listing_id))
    supplier = stores().suppliers.get(current.supplier.uscc) if current else None
    listing = listings.review(
        store, ctx.user, site, supplier, listing_id, body.decision == "approve", body.reason, ctx.now
    )
    metrics.add_metric(
        name="ListingApproved" if body.decision == "approve" else "ListingRejected", unit="Count", value=1
    )
    return listing_view(listing, site, supplier, ctx.user)


@api_route(
    bp,
    "/sites/{site_id}/listings/{listing_id}/delist",
    methods=("POST",),
    roles=OPERATORS,
    response="catalog:ListingView",
)
def delist_listing(ctx: RequestContext, site_id: str, listing_id: str) -> dict[str, Any]:
    from chalicelib.schemas.suppliers import ReasonBody

    body = ctx.body(ReasonBody)
    site = load_site(stores().sites, site_id)
    listing = listings.delist(stores().listings, ctx.user, site_id, _listing_id(listing_id), body.reason, ctx.now)
    return listing_view(listing, site, stores().suppliers.get(listing.supplier.uscc), ctx.user)
