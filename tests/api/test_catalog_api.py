"""Buyers browse and search the catalog: every read a Query, bounded, in Chinese."""

from __future__ import annotations

import urllib.parse
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from chalice.test import Client

import app as app_module
from bench.ddb_calls import count_dynamodb_calls
from scheduled import demo_market, seed
from tests.conftest import ROOT, STAGE, Api, Projection, moto_environment

SELLERS = {"liaocheng": ("supplier.demo", "supplier.lc02", "supplier.lc03", "supplier.lc04", "supplier.lc12")}


@pytest.fixture(scope="module")
def catalog_api() -> Iterator[Api]:
    """One catalog for the module's read-only tests: five 聊城 sellers' demo listings, projected."""
    with moto_environment() as outputs:
        seed.seed_all(outputs["USER_POOL_ID"])
        demo_market.seed_demo_suppliers(None)
        original = demo_market.DEMO_SITE_SELLERS
        demo_market.DEMO_SITE_SELLERS = SELLERS  # type: ignore[assignment]
        try:
            demo_market.seed_demo_listings()
        finally:
            demo_market.DEMO_SITE_SELLERS = original
        Projection().drain()
        with Client(app_module.app, stage_name=STAGE, project_dir=str(ROOT)) as client:
            yield Api(client)


def get(api: Api, path: str, **query: Any) -> Any:
    url = path + ("?" + urllib.parse.urlencode(query) if query else "")
    status, body = api.call("GET", url)
    assert status == 200, body
    return body


def test_a_category_page_is_sorted_by_price(catalog_api: Api) -> None:
    page = get(catalog_api, "/sites/liaocheng/catalog", category="LC-0101", limit=60)
    prices = [c["price_fen"] for c in page["items"]]
    assert len(prices) >= 10 and prices == sorted(prices)
    assert all(c["category_name"] == "签字笔" for c in page["items"])
    desc = get(catalog_api, "/sites/liaocheng/catalog", category="LC-0101", sort="price_desc", limit=60)
    assert [c["price_fen"] for c in desc["items"]] == sorted(prices, reverse=True)


def test_a_group_shows_its_children_and_sales_order(catalog_api: Api) -> None:
    page = get(catalog_api, "/sites/liaocheng/catalog", category="LC-01", sort="sales", limit=60)
    names = {c["category_name"] for c in page["items"]}
    assert {"签字笔", "复印纸"} <= names
    sales = [c["sales"] for c in page["items"]]
    assert sales == sorted(sales, reverse=True)


def test_pages_follow_the_cursor_without_repeats(catalog_api: Api) -> None:
    seen: list[str] = []
    cursor = None
    for _ in range(20):
        query = {"category": "LC-03", "limit": 7, **({"cursor": cursor} if cursor else {})}
        page = get(catalog_api, "/sites/liaocheng/catalog", **query)
        seen += [c["id"] for c in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    everything = get(catalog_api, "/sites/liaocheng/catalog", category="LC-03", limit=60)
    assert seen == [c["id"] for c in everything["items"]] and len(seen) == len(set(seen)) > 7


def test_filters_brand_price_scale_district(catalog_api: Api) -> None:
    lenovo = get(catalog_api, "/sites/liaocheng/catalog", category="LC-03", brand="联想", limit=60)["items"]
    assert lenovo and all(c["brand"] == "联想" for c in lenovo)
    mid = get(
        catalog_api, "/sites/liaocheng/catalog", category="LC-03", min_price_fen=450000, max_price_fen=550000, limit=60
    )["items"]
    assert mid and all(450000 <= c["price_fen"] <= 550000 for c in mid)
    micro = get(catalog_api, "/sites/liaocheng/catalog", category="LC-01", scale="micro", limit=60)["items"]
    assert micro and all(c["supplier"]["scale"] == "micro" for c in micro)
    # 莘县's micro supplier only delivers to 莘县 and 市本级; 冠县 buyers do not see it.
    guanxian = get(catalog_api, "/sites/liaocheng/catalog", category="LC-01", district="371525", limit=60)["items"]
    assert guanxian and all("371525" in c["delivery_districts"] for c in guanxian)
    assert {c["supplier"]["name"] for c in micro} - {c["supplier"]["name"] for c in guanxian}


def test_brands_of_a_category(catalog_api: Api) -> None:
    brands = {b["brand"] for b in get(catalog_api, "/sites/liaocheng/catalog/brands", category="LC-0302")["items"]}
    assert {"联想", "华为", "长城"} <= brands


@pytest.mark.parametrize(
    ("query", "category", "must_contain"),
    [
        ("签字笔", "签字笔", None),
        ("A4 复印纸", "复印纸", "a4"),
        ("联想 台式计算机", "台式计算机", "联想"),
        ("得力", None, "得力"),
    ],
)
def test_chinese_keyword_search(catalog_api: Api, query: str, category: str | None, must_contain: str | None) -> None:
    found = get(catalog_api, "/sites/liaocheng/catalog/search", q=query, limit=60)
    assert found["items"], query
    assert (found["matched_category"] or {}).get("name") == category
    for card in found["items"]:
        text = f"{card['name']} {card['brand']} {card['model']}".lower()
        if must_contain:
            assert must_contain in text, (query, card["name"])
        if category:
            assert card["category_name"] == category


def test_search_finds_nothing_for_nonsense_and_punctuation(catalog_api: Api) -> None:
    assert get(catalog_api, "/sites/liaocheng/catalog/search", q="量子计算机")["items"] == []
    assert get(catalog_api, "/sites/liaocheng/catalog/search", q="！？")["items"] == []


def test_detail_and_compare(catalog_api: Api) -> None:
    desktops = get(catalog_api, "/sites/liaocheng/catalog", category="LC-0302", limit=5)["items"]
    detail = get(catalog_api, f"/sites/liaocheng/listings/{desktops[0]['id']}")
    assert detail["specs"] and detail["supplier"]["rating"] == {"count": 0, "average": None}
    ids = ",".join(c["id"] for c in desktops[:4])
    compared = get(catalog_api, "/sites/liaocheng/catalog/compare", ids=ids)
    assert [x["id"] for x in compared["items"]] == [c["id"] for c in desktops[:4]]
    assert {"处理器", "内存", "硬盘"} <= set(compared["spec_names"])
    status, body = catalog_api.call(
        "GET", "/sites/liaocheng/catalog/compare?ids=" + ",".join(c["id"] for c in desktops[:5])
    )
    assert status == 400 and "2 至 4" in body["message"]


def test_bad_catalog_queries(catalog_api: Api) -> None:
    for path, code in [
        ("/sites/liaocheng/catalog?category=WH-01", "CATEGORY_NOT_FOUND"),
        ("/sites/liaocheng/catalog?category=LC-01&sort=random", "VALIDATION_FAILED"),
        ("/sites/liaocheng/catalog?category=LC-01&district=370102", "VALIDATION_FAILED"),
        ("/sites/liaocheng/catalog?category=LC-01&cursor=abc", "INVALID_CURSOR"),
        ("/sites/liaocheng/catalog/search?q=", "VALIDATION_FAILED"),
        ("/sites/qingdao/catalog?category=LC-01", "SITE_NOT_FOUND"),
    ]:
        status, body = catalog_api.call("GET", path)
        assert 400 <= status < 500 and body["code"] == code, (path, body)


def test_catalog_reads_are_queries_never_scans(catalog_api: Api) -> None:
    from chalicelib.store.sites import clear_site_cache

    clear_site_cache()
    with count_dynamodb_calls() as calls:
        get(catalog_api, "/sites/liaocheng/catalog", category="LC-01")
        get(
            catalog_api, "/sites/liaocheng/catalog", category="LC-03", brand="联想", scale="small", max_price_fen=600000
        )
        get(catalog_api, "/sites/liaocheng/catalog/search", q="联想 台式计算机")
    assert calls and set(calls) <= {"Query", "GetItem", "BatchGetItem"}, calls
    # A cold site cache costs one GetItem; each page is then one Query, and a search's first page one more for
    # its result count.
    assert calls.count("GetItem") == 1 and calls.count("Query") == 4, calls


def test_search_finds_what_the_buyer_means(catalog_api: Api) -> None:
    """A4纸 is 复印纸 (not 档案盒 sorted by price), 碳粉 the site's toner category, dell 戴尔; a count comes with
    the first page; the category page's filters work in search mode; at most three Queries."""
    with count_dynamodb_calls() as calls:
        paper = get(catalog_api, "/sites/liaocheng/catalog/search", q="A4纸", limit=10)
    assert len(calls) <= 3, list(calls)
    assert paper["matched_category"]["name"] == "复印纸"
    assert paper["understood"] == [{"said": "a4纸", "meant": "复印纸"}]
    assert paper["items"] and {c["category_name"] for c in paper["items"]} == {"复印纸"}
    assert "a4" in paper["items"][0]["name"].lower()  # what was typed still ranks first
    everything = get(catalog_api, "/sites/liaocheng/catalog/search", q="A4纸", limit=60)
    assert paper["total"] == len(everything["items"]) and paper["total_exact"] is True
    toner = get(catalog_api, "/sites/liaocheng/catalog/search", q="碳粉")
    assert toner["matched_category"]["name"] == "鼓粉盒" and toner["understood"][0]["meant"] == "鼓粉盒"
    local = get(catalog_api, "/sites/liaocheng/catalog/search", q="考试用纸")  # the site's own synonym
    assert local["matched_category"]["name"] == "试卷纸"
    # Filters in search mode: price range and supplier scale.
    prices = sorted(c["price_fen"] for c in everything["items"])
    ceiling = prices[len(prices) // 2]
    cheap = get(catalog_api, "/sites/liaocheng/catalog/search", q="A4纸", max_price_fen=ceiling, limit=60)
    assert cheap["items"] and all(c["price_fen"] <= ceiling for c in cheap["items"])
    assert cheap["total"] == len(cheap["items"]) < paper["total"]
    micro = get(catalog_api, "/sites/liaocheng/catalog/search", q="A4纸", scale="micro", limit=60)
    assert all(c["supplier"]["scale"] == "micro" for c in micro["items"])
    status, body = catalog_api.call("GET", "/sites/liaocheng/catalog/search?q=a4&district=370102")
    assert status == 400 and "不属于聊城站点" in body["message"]


def test_front_page_shelves_and_suggestions_without_signing_in(catalog_api: Api) -> None:
    api = catalog_api
    status, shelves = api.call("GET", "/sites/liaocheng/catalog/featured")
    assert status == 200, shelves
    hot = shelves["hot"]
    assert hot and [c["sales"] for c in hot] == sorted((c["sales"] for c in hot), reverse=True)
    assert all(c["supplier"]["scale"] in ("micro", "small") for c in shelves["sme"])
    status, offered = api.call("GET", "/sites/liaocheng/catalog/suggest?q=a4")
    assert status == 200
    assert {"text": "a4纸", "kind": "synonym", "meant": "复印纸"} in offered["items"]
    status, offered = api.call("GET", "/sites/liaocheng/catalog/suggest?q=复印")
    assert offered["items"][0] == {"text": "复印纸", "kind": "category", "meant": "复印纸"}
    assert api.call("GET", "/sites/liaocheng/catalog/suggest?q=")[0] == 400


def test_search_pages_by_number_with_counts_per_category(catalog_api: Api) -> None:
    """Page numbers within the first 1000 results, and how many of them each category holds: the count Query
    also gives where each page starts, so a numbered page is still at most three Queries."""
    everything = get(catalog_api, "/sites/liaocheng/catalog/search", q="得力", limit=60, sort="price_asc")
    total = everything["total"]
    assert total > 8 and everything["total_exact"] and everything["page"] == 1
    counts = {c["name"]: c["count"] for c in everything["categories"]}
    assert sum(counts.values()) == total and all(counts.values())
    in_page = Counter(c["category_name"] for c in everything["items"])
    assert counts == dict(in_page)  # all on one page here: the counts are the page's
    ordered = [c["id"] for c in everything["items"]]
    with count_dynamodb_calls() as calls:
        third = get(catalog_api, "/sites/liaocheng/catalog/search", q="得力", limit=4, page=3, sort="price_asc")
    assert len(calls) <= 3, list(calls)
    assert [c["id"] for c in third["items"]] == ordered[8:12]
    assert third["page"] == 3 and third["pages"] == -(-total // 4) and third["total"] == total
    status, body = catalog_api.call("GET", "/sites/liaocheng/catalog/search?q=得力&limit=4&page=50")
    assert status == 400 and body["code"] == "PAGE_OUT_OF_RANGE"
    status, body = catalog_api.call("GET", "/sites/liaocheng/catalog/search?q=得力&page=2&cursor=abc")
    assert status == 400
