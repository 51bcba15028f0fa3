"""The catalog index table: written by the projection, read by buyers.

Reads are bounded: a page is at most two Query calls however selective its
filters, so a buyer's page never turns into a crawl of the partition.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any, NamedTuple

from pynamodb.exceptions import DeleteError
from pynamodb.expressions.condition import Condition

from chalicelib.domain.catalog_index import (
    CatalogCard,
    Entry,
    QueryPlan,
    brand_facets,
    brand_pk,
    card,
    entries,
)
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.listings import Listing, normalize
from chalicelib.domain.sites import SiteConfig
from chalicelib.store import keys
from chalicelib.store.models import BrandRegistryItem, CatalogEntryItem
from chalicelib.store.paging import decode_cursor, encode_cursor

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
        category_id=listing_card.category_id,
        # The searchable text is its own attribute (filters read it); the card is what a page shows.
        card={k: v for k, v in listing_card._asdict().items() if k != "text"},
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
    old_facets = set(brand_facets(old, site, True)) if old else set()
    new_facets = set(brand_facets(new, site, supplier_active)) if new else set()
    for category_id, brand in sorted(new_facets):
        _register_brand(site.id, category_id, brand)
    for category_id, brand in sorted(old_facets - new_facets):
        _unregister_brand_if_unused(site.id, category_id, brand)
    return counts


def _registry_key(site_id: str, category_id: str, brand: str) -> tuple[str, str]:
    return keys.brand_registry(site_id, category_id), normalize(brand)


def _register_brand(site_id: str, category_id: str, brand: str) -> None:
    pk, sk = _registry_key(site_id, category_id, brand)
    BrandRegistryItem(pk=pk, sk=sk, brand=brand, token=uuid.uuid4().hex).save()


def _unregister_brand_if_unused(site_id: str, category_id: str, brand: str) -> None:
    """Drop a brand from the filter list once no active listing of it is left in the category.

    Read the registry's token first, then look for a remaining listing: if one
    is added meanwhile it renews the token, and the conditional delete fails.
    """
    pk, sk = _registry_key(site_id, category_id, brand)
    try:
        seen = BrandRegistryItem.get(pk, sk)
    except BrandRegistryItem.DoesNotExist:
        return
    remaining = CatalogEntryItem.query(brand_pk(site_id, category_id, brand), limit=1)
    if next(iter(remaining), None) is not None:
        return
    try:
        seen.delete(condition=BrandRegistryItem.token == seen.token)
    except DeleteError as exc:
        if exc.cause_response_code != "ConditionalCheckFailedException":
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
    cards = [shown(CatalogEntryItem.from_raw_data(item).card) for item in raw]
    return cards, encode_cursor(last_key)


def shown(card: dict[str, Any]) -> dict[str, Any]:
    """A card as a page shows it: its image (an upload key in the index) as the thumbnail's address."""
    from chalicelib.domain.media import thumb_key
    from chalicelib.store.media import media_url

    key = card.get("image")
    return {**card, "image": media_url(thumb_key(key)) if key else None}


def best_sellers(site_id: str, limit: int, scales: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """The site's best-selling cards (optionally of suppliers of these scales): one Query of the site-wide
    sales partition, at most MAX_CALLS_PER_PAGE pages when filtered."""
    from chalicelib.domain.catalog_index import site_sales_pk

    query = CatalogEntryItem.query(
        site_sales_pk(site_id),
        filter_condition=CatalogEntryItem.scale.is_in(*scales) if scales else None,
        page_size=FILTERED_PAGE_SIZE if scales else limit,
    )
    raw: list[dict[str, Any]] = []
    for calls, page in enumerate(query.page_iter, start=1):
        raw.extend(page.get("Items", []))
        if len(raw) >= limit or page.get("LastEvaluatedKey") is None or calls >= MAX_CALLS_PER_PAGE:
            break
    return [shown(CatalogEntryItem.from_raw_data(item).card) for item in raw[:limit]]


COUNT_WINDOW = 1000


class Window(NamedTuple):
    """The first COUNT_WINDOW matching entries of a partition, keys only: how many, where each page starts,
    and how many of each category."""

    matched: int
    exact: bool  # False when the partition holds more than the window read
    keys: list[dict[str, Any]]  # each entry's key, in the partition's order
    categories: dict[str, int]


def window(plan: QueryPlan) -> Window:
    """One Query of keys (and categories) over the first COUNT_WINDOW entries that match the plan's filters."""
    query = CatalogEntryItem.query(
        plan.pk,
        range_key_condition=_range(plan),
        filter_condition=_filters(plan),
        scan_index_forward=plan.ascending,
        attributes_to_get=["pk", "sk", "category_id"],
        page_size=COUNT_WINDOW,
    )
    page: dict[str, Any] = next(iter(query.page_iter), {})
    items = page.get("Items", [])
    categories: dict[str, int] = {}
    for item in items:
        category = item.get("category_id", {}).get("S", "")
        if category:
            categories[category] = categories.get(category, 0) + 1
    keys = [{"pk": item["pk"], "sk": item["sk"]} for item in items]
    return Window(len(items), page.get("LastEvaluatedKey") is None, keys, categories)


def page_cursor(found: Window, page: int, limit: int) -> str | None:
    """Where page `page` (1-based) of `limit` starts within the window; None for the first page."""
    index = (page - 1) * limit - 1
    if index < 0:
        return None
    if index >= len(found.keys):
        raise InvalidInput("页码超出结果范围", code="PAGE_OUT_OF_RANGE", details=[{"field": "page", "message": "超出"}])
    return encode_cursor(found.keys[index])


def brands(site_id: str, category_id: str) -> list[dict[str, Any]]:
    """Brands with active listings in a category and its children: one Query."""
    items: Iterable[BrandRegistryItem] = BrandRegistryItem.query(keys.brand_registry(site_id, category_id))
    return [{"brand": i.brand} for i in items]


def suppliers_delivering(site_id: str, category_id: str, district: str, most: int = 5000) -> dict[str, dict[str, Any]]:
    """Suppliers with an active listing of a category (or below it) that delivers to a district: uscc -> the
    listing card's supplier. Reads the category's price partition, filtered on the district."""
    from chalicelib.domain.catalog_index import category_pk

    found: dict[str, dict[str, Any]] = {}
    query = CatalogEntryItem.query(
        category_pk(site_id, category_id, "P"),
        filter_condition=CatalogEntryItem.districts.contains(district),
        page_size=FILTERED_PAGE_SIZE,
    )
    for seen, item in enumerate(query):
        supplier = dict(item.card.get("supplier", {}))
        if supplier.get("uscc"):
            found.setdefault(str(supplier["uscc"]), supplier)
        if seen >= most:
            break
    return found
