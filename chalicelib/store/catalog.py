"""The catalog index table: written by the projection, read by buyers.

Reads are bounded: a page is at most two Query calls however selective its
filters, so a buyer's page never turns into a crawl of the partition.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pynamodb.exceptions import TransactWriteError
from pynamodb.expressions.condition import Condition
from pynamodb.transactions import TransactWrite

from chalicelib.domain.catalog_index import (
    CatalogCard,
    Entry,
    QueryPlan,
    brand_facets,
    card,
    entries,
)
from chalicelib.domain.listings import Listing, normalize
from chalicelib.domain.sites import SiteConfig
from chalicelib.store.models import BrandCountItem, BrandMemberItem, CatalogEntryItem
from chalicelib.store.paging import decode_cursor, encode_cursor
from chalicelib.store.tx import connection

MAX_CALLS_PER_PAGE = 2
FILTERED_PAGE_SIZE = 200


# ---------------------------------------------------------------- writing


def _entry_item(entry: Entry, listing_card: CatalogCard) -> CatalogEntryItem:
    return CatalogEntryItem(
        pk=entry.pk,
        sk=entry.sk,
        listing_id=listing_card.id,
        price_fen=listing_card.price_fen,
        scale=str(listing_card.supplier.get("scale", "")),
        districts=set(listing_card.delivery_districts) or None,
        text=listing_card.text,
        card=listing_card._asdict(),
    )


def project_listing(
    site: SiteConfig, old: Listing | None, new: Listing | None, supplier_active: bool, rating: dict[str, Any]
) -> dict[str, int]:
    """Bring the index in line with a listing's change. Safe to repeat (streams deliver at least once)."""
    # What the old state may have indexed (whatever the supplier's state was then), and what the new state needs.
    before = set(entries(old, site, True)) if old else set()
    after = set(entries(new, site, supplier_active)) if new else set()
    stale = before - after
    counts = {"put": 0, "deleted": 0}
    with CatalogEntryItem.batch_write() as batch:
        if new is not None and after:
            listing_card = card(new, rating)
            for entry in sorted(after):
                batch.save(_entry_item(entry, listing_card))
                counts["put"] += 1
        for entry in sorted(stale):
            batch.delete(CatalogEntryItem(pk=entry.pk, sk=entry.sk))
            counts["deleted"] += 1
    subject = new or old
    if subject is None:
        return counts
    listing_id = subject.id
    old_facets = set(brand_facets(old, site, True)) if old else set()
    new_facets = set(brand_facets(new, site, supplier_active)) if new else set()
    for category_id, brand in sorted(old_facets - new_facets):
        _count_brand(site.id, category_id, brand, listing_id, -1)
    for category_id, brand in sorted(new_facets):
        _count_brand(site.id, category_id, brand, listing_id, +1)
    return counts


def _count_brand(site_id: str, category_id: str, brand: str, listing_id: str, delta: int) -> None:
    """Add or remove one listing from a brand's count, exactly once (the membership item decides)."""
    brand_key = normalize(brand)
    member = BrandMemberItem(pk=f"{site_id}#CBM#{category_id}#{brand_key}", sk=listing_id)
    counter = BrandCountItem(pk=f"{site_id}#CB#{category_id}", sk=brand_key)
    try:
        with TransactWrite(connection=connection()) as tx:
            if delta > 0:
                tx.save(member, condition=BrandMemberItem.pk.does_not_exist())
            else:
                tx.delete(member, condition=BrandMemberItem.pk.exists())
            tx.update(counter, actions=[BrandCountItem.listings.add(delta), BrandCountItem.brand.set(brand)])
    except TransactWriteError as exc:
        reasons = exc.cancellation_reasons or []
        if reasons and reasons[0] is not None and reasons[0].code == "ConditionalCheckFailed":
            return  # already counted (or already removed): a repeated delivery
        raise


# ---------------------------------------------------------------- reading


def _filters(plan: QueryPlan) -> Condition | None:
    conditions: list[Condition] = []
    if plan.scale:
        conditions.append(CatalogEntryItem.scale == plan.scale)
    if plan.district:
        conditions.append(CatalogEntryItem.districts.contains(plan.district))
    if plan.min_price_fen is not None:
        conditions.append(CatalogEntryItem.price_fen >= plan.min_price_fen)
    if plan.max_price_fen is not None:
        conditions.append(CatalogEntryItem.price_fen <= plan.max_price_fen)
    conditions.extend(CatalogEntryItem.text.contains(word) for word in plan.words)
    combined: Condition | None = None
    for condition in conditions:
        combined = condition if combined is None else combined & condition
    return combined


def _range(plan: QueryPlan) -> Condition | None:
    if plan.sk_from and plan.sk_to:
        return CatalogEntryItem.sk.between(plan.sk_from, plan.sk_to)
    if plan.sk_from:
        return CatalogEntryItem.sk >= plan.sk_from
    if plan.sk_to:
        return CatalogEntryItem.sk <= plan.sk_to
    return None


def read_page(plan: QueryPlan, limit: int, cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    """One page of cards: at most MAX_CALLS_PER_PAGE Query calls."""
    start = decode_cursor(cursor, {"pk": plan.pk})
    filters = _filters(plan)
    query = CatalogEntryItem.query(
        plan.pk,
        range_key_condition=_range(plan),
        filter_condition=filters,
        scan_index_forward=plan.ascending,
        last_evaluated_key=start,
        # Unfiltered: one more than the page shows whether another page exists.
        page_size=FILTERED_PAGE_SIZE if filters is not None else limit + 1,
    )
    raw: list[dict[str, Any]] = []
    last_key: dict[str, Any] | None = None
    for calls, page in enumerate(query.page_iter, start=1):
        raw.extend(page.get("Items", []))
        last_key = page.get("LastEvaluatedKey")
        if len(raw) > limit or last_key is None or calls >= MAX_CALLS_PER_PAGE:
            break
    if len(raw) > limit:
        raw = raw[:limit]
        last_key = {"pk": raw[-1]["pk"], "sk": raw[-1]["sk"]}
    cards = [CatalogEntryItem.from_raw_data(item).card for item in raw]
    return cards, encode_cursor(last_key)


def brands(site_id: str, category_id: str) -> list[dict[str, Any]]:
    items: Iterable[BrandCountItem] = BrandCountItem.query(
        f"{site_id}#CB#{category_id}", filter_condition=BrandCountItem.listings > 0
    )
    found = [{"brand": i.brand, "count": int(i.listings)} for i in items]
    return sorted(found, key=lambda b: (-b["count"], b["brand"]))
