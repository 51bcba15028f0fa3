"""The catalog index: which index entries an active listing has, and how a page or a search reads them.

Buyers' reads must each be one Query whatever the category's size, so every
way of reading the catalog has its own partition, kept by the projection:

    {site}#C#{category}#P            sort key {price}#{id}          by price (leaf and every ancestor)
    {site}#C#{category}#S            sort key {inverted sales}#{id} by sales
    {site}#C#{category}#B#{brand}#P  sort key {price}#{id}          one brand, by price
    {site}#K#{token}                 sort key {price}#{id}          keyword tokens of name, brand, model
    {site}#ALL#S                     sort key {inverted sales}#{id} the whole site by sales (the front page)
    {site}#PV#{pavilion}#S           sort key {inverted sales}#{id} one 特色场馆, by sales

Supplier scale and delivery district are filters on those partitions; a price
range is a key condition. A search whose words name a mall category reads that
category's partition and filters on the other words; otherwise it reads the
partition of one keyword token and filters on all words.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any, NamedTuple

from chalicelib.domain.listings import Listing, ListingStatus, normalize
from chalicelib.domain.sites import MallCategory, SiteConfig

PRICE_WIDTH = 13  # fen: up to 99,999,999,999.99 元
SALES_CEILING = 10**12
_WORD = re.compile(r"[a-z0-9]+(?:[.\-/][a-z0-9]+)*|[\u3400-\u9fff]+")
_CJK = re.compile(r"[\u3400-\u9fff]")
MAX_TOKENS = 40


class SortOrder(StrEnum):
    RELEVANCE = "relevance"  # searches: the meant category by sales, then the page ranked by how well it matches
    PRICE_ASC = "price_asc"
    PRICE_DESC = "price_desc"
    SALES = "sales"


class Entry(NamedTuple):
    pk: str
    sk: str


class CatalogCard(NamedTuple):
    """What a catalog entry carries, so a page needs no second read."""

    id: str
    site_id: str
    name: str
    brand: str
    model: str
    price_fen: int
    category_id: str
    category_name: str
    supplier: dict[str, Any]
    delivery_districts: tuple[str, ...]
    sales: int
    image: str | None
    text: str  # normalised searchable text: name, brand, model, category, spec values
    pavilions: tuple[str, ...] = ()


class QueryPlan(NamedTuple):
    """One Query: partition, optional key range on the price-sorted key, filters, direction."""

    pk: str
    sk_from: str | None
    sk_to: str | None
    ascending: bool
    scale: str | None
    district: str | None
    words: tuple[str, ...]  # each must appear in the card's text
    min_price_fen: int | None = None  # a filter, where the sort key is not the price
    max_price_fen: int | None = None


# ---------------------------------------------------------------- keys


def price_key(price_fen: int, listing_id: str) -> str:
    return f"{price_fen:0{PRICE_WIDTH}d}#{listing_id}"


def sales_key(sales: int, listing_id: str) -> str:
    return f"{SALES_CEILING - min(sales, SALES_CEILING - 1):0{PRICE_WIDTH}d}#{listing_id}"


def category_pk(site_id: str, category_id: str, suffix: str) -> str:
    return f"{site_id}#C#{category_id}#{suffix}"


def brand_pk(site_id: str, category_id: str, brand: str) -> str:
    return f"{site_id}#C#{category_id}#B#{normalize(brand)}#P"


def site_sales_pk(site_id: str) -> str:
    return f"{site_id}#ALL#S"


def pavilion_pk(site_id: str, pavilion: str) -> str:
    return f"{site_id}#PV#{pavilion}#S"


def keyword_pk(site_id: str, token: str) -> str:
    return f"{site_id}#K#{token}"


def ancestors(site: SiteConfig, category_id: str) -> list[MallCategory]:
    """The category and its parents, leaf first."""
    by_id = {c.id: c for c in site.categories}
    chain: list[MallCategory] = []
    current = by_id.get(category_id)
    while current is not None and len(chain) < 10:
        chain.append(current)
        current = by_id.get(current.parent_id) if current.parent_id else None
    return chain


# ---------------------------------------------------------------- text


def search_words(text: str) -> list[str]:
    """Words of a query or a name: Latin/digit runs and CJK runs, normalised."""
    return _WORD.findall(normalize(text))


def index_tokens(*texts: str) -> set[str]:
    """Tokens a listing is found by: whole words, their parts, and every pair of CJK characters.

    Pairs (二元分词) let 台式 or 计算 find 台式计算机 without a dictionary;
    single characters are not indexed, so a query needs two characters.
    """
    tokens: set[str] = set()
    for text in texts:
        for word in search_words(text):
            if len(word) > 1:
                tokens.add(word)
            tokens.update(part for part in re.split(r"[.\-/]", word) if len(part) > 1 or part.isdigit())
            if _CJK.match(word):
                tokens.update(word[i : i + 2] for i in range(len(word) - 1))
    return set(sorted(tokens, key=lambda t: (-len(t), t))[:MAX_TOKENS])


def query_token(word: str) -> str:
    """The indexed token to read for a query word: a CJK word's first pair is always indexed."""
    if _CJK.match(word) and len(word) > 2:
        return word[:2]
    return word


# ---------------------------------------------------------------- projection


def card(listing: Listing, supplier_rating: dict[str, Any]) -> CatalogCard:
    draft = listing.draft
    text = " ".join([draft.name, draft.brand, draft.model, listing.category_name, *(s.value for s in draft.specs)])
    return CatalogCard(
        id=listing.id,
        site_id=listing.site_id,
        name=draft.name,
        brand=draft.brand,
        model=draft.model,
        price_fen=draft.price_fen,
        category_id=draft.category_id,
        category_name=listing.category_name,
        supplier={**listing.supplier._asdict(), "rating": supplier_rating},
        delivery_districts=draft.delivery_districts,
        sales=listing.sales,
        image=draft.images[0] if draft.images else None,
        text=normalize(text),
        pavilions=listing.pavilions,
    )


def entries(listing: Listing, site: SiteConfig, supplier_active: bool) -> list[Entry]:
    """Every index entry the listing should have now; none unless it is on sale."""
    if listing.status is not ListingStatus.ACTIVE or not supplier_active:
        return []
    draft = listing.draft
    found: list[Entry] = []
    for category in ancestors(site, draft.category_id):
        found.append(Entry(category_pk(site.id, category.id, "P"), price_key(draft.price_fen, listing.id)))
        found.append(Entry(category_pk(site.id, category.id, "S"), sales_key(listing.sales, listing.id)))
        found.append(Entry(brand_pk(site.id, category.id, draft.brand), price_key(draft.price_fen, listing.id)))
    found.append(Entry(site_sales_pk(site.id), sales_key(listing.sales, listing.id)))
    found.extend(Entry(pavilion_pk(site.id, code), sales_key(listing.sales, listing.id)) for code in listing.pavilions)
    for token in sorted(index_tokens(draft.name, draft.brand, draft.model)):
        found.append(Entry(keyword_pk(site.id, token), price_key(draft.price_fen, listing.id)))
    return found


def brand_facets(listing: Listing, site: SiteConfig, supplier_active: bool) -> list[tuple[str, str]]:
    """(category id, brand) pairs the listing counts towards in the brand filter lists."""
    if listing.status is not ListingStatus.ACTIVE or not supplier_active:
        return []
    return [(c.id, listing.draft.brand) for c in ancestors(site, listing.draft.category_id)]


# ---------------------------------------------------------------- reads


def category_plan(
    site: SiteConfig,
    category_id: str,
    sort: SortOrder,
    brand: str | None,
    min_price_fen: int | None,
    max_price_fen: int | None,
    scale: str | None,
    district: str | None,
) -> QueryPlan:
    """A category page (with its children's listings), filtered; one Query."""
    by_sales = sort is SortOrder.SALES
    if brand:
        pk = brand_pk(site.id, category_id, brand)
    else:
        pk = category_pk(site.id, category_id, "S" if by_sales else "P")
    # The brand partitions and the price partitions are sorted by price: a range is a key condition.
    price_sorted = brand is not None or not by_sales
    sk_from = f"{min_price_fen:0{PRICE_WIDTH}d}#" if price_sorted and min_price_fen is not None else None
    sk_to = f"{max_price_fen:0{PRICE_WIDTH}d}#~" if price_sorted and max_price_fen is not None else None
    return QueryPlan(
        pk=pk,
        sk_from=sk_from,
        sk_to=sk_to,
        ascending=sort is not SortOrder.PRICE_DESC,
        scale=scale,
        district=district,
        words=(),
        min_price_fen=None if price_sorted else min_price_fen,
        max_price_fen=None if price_sorted else max_price_fen,
    )


def pavilion_plan(site: SiteConfig, pavilion: str, query: str, filters: SearchFilters) -> QueryPlan:
    """A 特色场馆's listings by sales, narrowed by the words typed and the filters; one Query."""
    return QueryPlan(
        pk=pavilion_pk(site.id, pavilion),
        sk_from=None,
        sk_to=None,
        ascending=True,
        scale=filters.scale,
        district=filters.district,
        words=tuple(w for w in search_words(query) if len(w) > 1 or w.isdigit()),
        min_price_fen=filters.min_price_fen,
        max_price_fen=filters.max_price_fen,
    )


class SearchPlan(NamedTuple):
    plan: QueryPlan
    matched_category: MallCategory | None
    understood: tuple[str, ...] = ()  # the synonyms applied, "a4纸→复印纸"
    words: tuple[str, ...] = ()  # every word as meant, for ranking a page


class SearchFilters(NamedTuple):
    scale: str | None = None
    district: str | None = None
    min_price_fen: int | None = None
    max_price_fen: int | None = None


def search_plan(
    site: SiteConfig, query: str, sort: SortOrder, filters: SearchFilters | None = None
) -> SearchPlan | None:
    """None when the query has no searchable word. Synonyms first (A4纸 → 复印纸), then: a word naming a mall
    category reads that category's partition (by sales for relevance), the other words filter; otherwise the
    partition of the longest word's token is read and every word filters."""
    from chalicelib.domain.search_terms import meant, synonyms_for

    filters = filters or SearchFilters()
    leaves = sorted(site.leaf_categories(), key=lambda c: -len(c.name))
    known = {normalize(c.name) for c in leaves}
    text, understood = meant(query, synonyms_for(site.synonyms), known)
    words = [w for w in search_words(text) if len(w) > 1 or w.isdigit()]
    if not words:
        return None
    matched: MallCategory | None = None
    rest: list[str] = []
    for word in words:
        hit = next((c for c in leaves if normalize(c.name) in word), None) if matched is None else None
        if hit is not None:
            matched = hit
            leftover = word.replace(normalize(hit.name), " ").split()
            rest.extend(leftover)
        else:
            rest.append(word)
    ascending = sort is not SortOrder.PRICE_DESC
    if matched is not None:
        by_sales = sort in (SortOrder.SALES, SortOrder.RELEVANCE)
        pk = category_pk(site.id, matched.id, "S" if by_sales else "P")
    else:
        pk = keyword_pk(site.id, query_token(max(rest, key=len)))
    price_sorted = pk.endswith("#P") or matched is None
    plan = QueryPlan(
        pk=pk,
        sk_from=price_key(filters.min_price_fen, "") if price_sorted and filters.min_price_fen is not None else None,
        sk_to=price_key(filters.max_price_fen, "~") if price_sorted and filters.max_price_fen is not None else None,
        ascending=ascending,
        scale=filters.scale,
        district=filters.district,
        words=tuple(rest),
        min_price_fen=None if price_sorted else filters.min_price_fen,
        max_price_fen=None if price_sorted else filters.max_price_fen,
    )
    # Ranking also weighs what was typed (a4 in "A4纸" puts A4 paper before A3 within 复印纸).
    typed = [w for w in search_words(query) if len(w) > 1 and w not in words]
    return SearchPlan(plan, matched, tuple(understood), tuple(words + typed))


def relevance(card: dict[str, Any], words: tuple[str, ...]) -> int:
    """How well a card matches the meant words: in its name counts most, then brand or model, then anywhere."""
    name, brand = normalize(str(card.get("name", ""))), normalize(f"{card.get('brand', '')} {card.get('model', '')}")
    score = 0
    for word in words:
        score += 3 if word in name else 2 if word in brand else 0
    return score


def ranked(cards: list[dict[str, Any]], words: tuple[str, ...]) -> list[dict[str, Any]]:
    """A page by relevance; ties keep the partition's order (sales in the category, or price)."""
    return sorted(cards, key=lambda c: -relevance(c, words))
