"""Projections of the main table: the buyers' catalog index, and the public site configuration."""

from __future__ import annotations

import json
from typing import Any

from chalicelib.lambdas import Change, stream_consumer
from chalicelib.observability import logger
from chalicelib.wiring import stores


def _rating(supplier: Any) -> dict[str, Any]:
    if supplier is None:
        return {"count": 0, "average": None}
    return {"count": supplier.rating.votes, "average": supplier.rating.average}


@stream_consumer(
    "catalog_projection",
    table="MainTable",
    kinds=("listing", "supplier"),
    needs=("MainTable:read", "CatalogTable:write"),
)
def project_catalog(change: Change) -> None:
    """Inline: within DynamoDB, and converging to the current state, so a retried record is harmless."""
    if change.kind == "listing":
        _project_listing_change(change.old, change.new)
    else:
        _project_supplier_change(change.old, change.new)


def _project_listing_change(old_item: dict[str, Any] | None, new_item: dict[str, Any] | None) -> None:
    from chalicelib.store import catalog
    from chalicelib.store.listings import listing_from_image
    from chalicelib.store.sites import cached_site

    old = listing_from_image(old_item) if old_item and "data" in old_item else None
    new = listing_from_image(new_item) if new_item and "data" in new_item else None
    subject = new or old
    if subject is None:
        return
    supplier = stores().suppliers.get(subject.supplier.uscc)
    catalog.project_listing(
        cached_site(subject.site_id),
        old,
        new,
        supplier is not None and supplier.can_trade_in(subject.site_id),
        _rating(supplier),
    )


def _project_supplier_change(old_item: dict[str, Any] | None, new_item: dict[str, Any] | None) -> None:
    """A supplier's status, name or rating shows on every one of its listings: re-project them all."""
    from chalicelib.store import catalog
    from chalicelib.store.sites import cached_site
    from chalicelib.store.suppliers import supplier_from_image

    if not new_item or "data" not in new_item:
        return
    supplier = supplier_from_image(new_item)
    old = supplier_from_image(old_item) if old_item and "data" in old_item else None
    if old is not None and (old.status, old.profile.name, old.rating, old.site_suspensions) == (
        supplier.status,
        supplier.profile.name,
        supplier.rating,
        supplier.site_suspensions,
    ):
        return
    for listing in stores().listings.of_supplier_everywhere(supplier.uscc):
        on_sale = supplier.can_trade_in(listing.site_id)
        catalog.project_listing(cached_site(listing.site_id), listing, listing, on_sale, _rating(supplier))


@stream_consumer(
    "site_config_publication",
    table="MainTable",
    kinds=("site_config",),
    needs=("WebBucket:put:sites/*",),
    queued=True,
)
def publish_site_config(change: Change) -> None:
    """The public configuration next to the web site (CDN-cacheable); its queue keeps one site's versions in order."""
    from chalicelib.domain.sites import public_view, site_from_dict
    from chalicelib.store.public_config import publish_site_config as publish
    from chalicelib.store.reference import national_catalog

    if change.new is None:
        return
    site = site_from_dict(json.loads(change.new["data"]))
    key = publish(public_view(site, national_catalog()))
    logger.info("published site config", extra={"site_id": site.id, "key": key, "version": site.version})
