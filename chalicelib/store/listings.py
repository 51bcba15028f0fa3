"""Listings in the main table, with the unique-key item that refuses duplicates atomically."""

from __future__ import annotations

import json
from typing import Any

from chalicelib.domain.audit import AuditEvent
from chalicelib.domain.errors import Conflict
from chalicelib.domain.listings import Listing, ListingStatus, listing_from_dict, listing_to_dict
from chalicelib.store import keys
from chalicelib.store.documents import fields_of, stamped
from chalicelib.store.models import AuditItem, ListingItem, MainItem, UniqueKeyItem
from chalicelib.store.paging import decode_cursor, encode_cursor
from chalicelib.store.tx import AuditedWrite, audit_item

_VERSION_CONFLICT = Conflict("商品已被修改，请刷新后重试", code="VERSION_CONFLICT")


def listing_pk(site_id: str, listing_id: str) -> str:
    return keys.listing(site_id, listing_id)


def _duplicate(listing: Listing) -> Conflict:
    return Conflict(
        f"已发布过同一品目下品牌“{listing.draft.brand}”、型号“{listing.draft.model}”的商品，请修改原商品而不要重复发布",
        code="DUPLICATE_LISTING",
    )


def _unique_item(listing: Listing) -> UniqueKeyItem:
    return UniqueKeyItem(pk=keys.listing_unique(listing.site_id, listing.unique_key), sk="UNIQUE", owner_id=listing.id)


def _item(listing: Listing) -> ListingItem:
    return ListingItem(
        pk=listing_pk(listing.site_id, listing.id),
        sk="LISTING",
        gsi1pk=keys.supplier_listings(listing.supplier.uscc),
        gsi1sk=keys.sorted_by(listing.site_id, listing.id),
        gsi2pk=keys.listings_by_status(listing.site_id, listing.status.value),
        gsi2sk=keys.sorted_by(listing.updated_at, listing.id),
        site_id=listing.site_id,
        listing_id=listing.id,
        supplier_uscc=listing.supplier.uscc,
        status=listing.status.value,
        version=listing.version,
        data=stamped("listing", listing_to_dict(listing)),
        stock=listing.draft.stock,
        sales=listing.sales,
    )


def _with_counters(data: dict[str, Any], stock: Any, sales: Any, version: Any) -> Listing:
    """The document, with the counters orders change in place (stock, sales, version) taken as they stand."""
    listing = listing_from_dict(fields_of("listing", data))
    return listing._replace(draft=listing.draft._replace(stock=int(stock)), sales=int(sales), version=int(version))


def listing_from_item(item: ListingItem) -> Listing:
    return _with_counters(item.data, item.stock, item.sales, item.version)


def listing_from_image(image: dict[str, Any]) -> Listing:
    """A listing from a stream record's (deserialised) image."""
    data = json.loads(image["data"])
    return _with_counters(
        data,
        image.get("stock", data["stock"]),
        image.get("sales", data.get("sales", 0)),
        image.get("version", data["version"]),
    )


class DynamoListingStore:
    """Implements domain.listings.ListingStore."""

    def get(self, site_id: str, listing_id: str) -> Listing | None:
        try:
            return listing_from_item(ListingItem.get(listing_pk(site_id, listing_id), "LISTING"))
        except ListingItem.DoesNotExist:
            return None

    def get_many(self, site_id: str, listing_ids: list[str]) -> list[Listing]:
        """One BatchGetItem; order follows listing_ids, missing ones are left out."""
        keys = [(listing_pk(site_id, i), "LISTING") for i in dict.fromkeys(listing_ids)]
        found = {i.listing_id: listing_from_item(i) for i in ListingItem.batch_get(keys) if isinstance(i, ListingItem)}
        return [found[i] for i in listing_ids if i in found]

    def create(self, listing: Listing, audit: AuditEvent) -> None:
        write = AuditedWrite(audit)
        write.put(_unique_item(listing), UniqueKeyItem.pk.does_not_exist(), _duplicate(listing))
        write.put(_item(listing), ListingItem.pk.does_not_exist(), Conflict("商品已存在", code="LISTING_EXISTS"))
        write.commit()

    def save(self, listing: Listing, previous: Listing, audit: AuditEvent) -> None:
        write = AuditedWrite(audit)
        write.put(_item(listing), ListingItem.version == previous.version, _VERSION_CONFLICT)
        if listing.unique_key != previous.unique_key:
            old = _unique_item(previous)
            write.delete(old, UniqueKeyItem.owner_id == previous.id, _VERSION_CONFLICT)
            write.put(_unique_item(listing), UniqueKeyItem.pk.does_not_exist(), _duplicate(listing))
        write.commit()

    def import_new(self, listings: list[Listing], audits: list[AuditEvent]) -> int:
        """Bulk import (the move from the old mall): batch writes, skipping listings already here.

        Not a transaction per listing: a migration writes thousands, and it is
        re-runnable, since ids are stable and present ones are left alone.
        """
        present = {
            i.listing_id
            for i in ListingItem.batch_get([(listing_pk(x.site_id, x.id), "LISTING") for x in listings])
            if isinstance(i, ListingItem)
        }
        fresh = [(x, a) for x, a in zip(listings, audits, strict=True) if x.id not in present]
        with MainItem.batch_write() as batch:
            for listing, _ in fresh:
                batch.save(_item(listing))
                batch.save(_unique_item(listing))
        with AuditItem.batch_write() as batch:
            for _, audit in fresh:
                batch.save(audit_item(audit))
        return len(fresh)

    def mine(self, site_id: str, supplier_uscc: str, status: ListingStatus | None) -> list[Listing]:
        items = ListingItem.gsi1.query(
            keys.supplier_listings(supplier_uscc), ListingItem.gsi1sk.startswith(f"{site_id}#")
        )
        found = [listing_from_item(i) for i in items if isinstance(i, ListingItem)]
        if status is not None:
            found = [x for x in found if x.status is status]
        return sorted(found, key=lambda x: x.updated_at, reverse=True)

    def of_supplier_everywhere(self, supplier_uscc: str) -> list[Listing]:
        items = ListingItem.gsi1.query(keys.supplier_listings(supplier_uscc))
        return [listing_from_item(i) for i in items if isinstance(i, ListingItem)]

    def by_status(
        self, site_id: str, status: ListingStatus, limit: int, cursor: str | None
    ) -> tuple[list[Listing], str | None]:
        partition = keys.listings_by_status(site_id, status.value)
        start = decode_cursor(cursor, {"gsi2pk": partition})
        result = ListingItem.gsi2.query(partition, scan_index_forward=False, limit=limit, last_evaluated_key=start)
        found = [listing_from_item(i) for i in result if isinstance(i, ListingItem)]
        return found, encode_cursor(result.last_evaluated_key)
