"""Catalog reads: DynamoDB calls per request, and whether a page's latency depends on the category's size.

    make bench-catalog        (or: npm ci --prefix bench/node && .venv/bin/python -m bench.catalog)

The app's own handlers answer each request through Chalice's test client; the
DynamoDB behind them is dynalite (bench/node), an implementation of the
DynamoDB API on a sorted key-value store, so a Query reads a key range as
DynamoDB does. moto is not used here: it scans every item of a table on each
Query, which would measure moto rather than the index design.

Calls are counted with a botocore event hook, with the site-configuration
cache cold (the worst case; warm, each page is one call less). Latency: a
category page in a category of 100,000 listings against one of 100, both in
the same store, samples interleaved; the ratio of medians is the figure.
The last line is JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DYNALITE = ROOT / "bench" / "node" / "node_modules" / "dynalite" / "cli.js"
SITE = "liaocheng"
SMALL_CATEGORY = "LC-0302"  # 台式计算机: 100 listings, fully indexed
LARGE_CATEGORY = "LC-0301"  # 笔记本: 100,000 listings
TARGETS = {
    "calls_category_page": 2,
    "calls_filtered_page": 2,
    "calls_search": 3,
    "calls_search_numbered_page": 3,
    "calls_front_page_shelves": 3,  # the cold site read and one Query per shelf
    "latency_ratio": 2.0,
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def dynalite() -> Iterator[str]:
    if not DYNALITE.exists():
        raise SystemExit("dynalite is missing: run `npm ci --prefix bench/node` (make bench does)")
    node = shutil.which("node") or "node"
    port = _free_port()
    process = subprocess.Popen(
        [
            node,
            str(DYNALITE),
            "--port",
            str(port),
            "--createTableMs",
            "0",
            "--deleteTableMs",
            "0",
            "--updateTableMs",
            "0",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(10)


def _environment(endpoint: str) -> None:
    from scheduled.emulation import set_environment

    set_environment()
    config = json.loads((ROOT / ".chalice" / "config.json").read_text(encoding="utf-8"))
    for key, value in {**config["environment_variables"], **config["stages"]["dev"]["environment_variables"]}.items():
        os.environ.setdefault(key, value)
    os.environ.update(USER_POOL_ID="us-east-1_bench", USER_POOL_CLIENT_ID="bench", AWS_ENDPOINT_URL_DYNAMODB=endpoint)
    # One request log per sample would bury the result lines.
    os.environ.update(POWERTOOLS_LOG_LEVEL="WARNING", POWERTOOLS_METRICS_DISABLED="true")


def _create_tables() -> None:
    import boto3

    from infra.provision import _table_request
    from infra.template import NAMED_BY_ENV, load_resources, resources_of_type

    ddb = boto3.client("dynamodb")
    for logical_id, resource in resources_of_type(load_resources(), "AWS::DynamoDB::Table").items():
        if logical_id not in ("MainTable", "CatalogTable"):
            continue
        request = _table_request(os.environ[NAMED_BY_ENV[logical_id]], resource["Properties"])
        request.pop("StreamSpecification", None)  # dynalite has no streams; the bench reads only
        request.pop("SSESpecification", None)
        ddb.create_table(**request)


def _listings(category: Any, count: int, offset: int) -> Iterator[Any]:
    """Realistic listings built from the demo products, with varied prices, suppliers and districts."""
    from chalicelib.domain.listings import Listing, ListingDraft, ListingStatus, Spec, SupplierRef
    from scheduled.demo_catalog import PRODUCTS, SUPPLIERS

    products = PRODUCTS[category.name]
    scales = ["micro", "small", "medium", "large"]
    for n in range(count):
        product = products[n % len(products)]
        supplier = SUPPLIERS[n % len(SUPPLIERS)]
        price = product.price_fen * (80 + n % 21) // 100
        draft = ListingDraft(
            category.id,
            f"{product.name}（{n}）",
            product.brand,
            f"{product.model}-{n}",
            tuple(Spec(k, v) for k, v in product.specs),
            price,
            price * 11 // 10,
            "京东自营",
            100,
            ("371500", "371522", "371502")[: 1 + (n // 24) % 3],
            (),
            (),
        )
        yield Listing(
            f"{offset + n:032x}",
            SITE,
            SupplierRef(f"9137{n:014d}", supplier.name, scales[(n // 6) % 4]),
            draft,
            category.name,
            category.catalog_code,
            ListingStatus.ACTIVE,
            "",
            n % 700,
            "",
            "",
            1,
        )


def _load(site: Any, small: int, large: int) -> None:
    from chalicelib.domain.catalog_index import Entry, card, category_pk, price_key
    from chalicelib.store.catalog import _entry_item, project_listing
    from chalicelib.store.models import CatalogEntryItem, SiteConfigItem
    from chalicelib.store.sites import _config_item

    SiteConfigItem.save(_config_item(site))
    by_id = {c.id: c for c in site.categories}
    rating = {"count": 0, "average": None}
    for listing in _listings(by_id[SMALL_CATEGORY], small, 0):
        project_listing(site, None, listing, True, rating)  # every partition, as the stream handler writes them
    # The large category: its price partition, the one its page reads (writing all ~19 entries
    # of 100,000 listings would take the bench tens of minutes without changing the read).
    pk = category_pk(site.id, LARGE_CATEGORY, "P")
    with CatalogEntryItem.batch_write() as batch:
        for listing in _listings(by_id[LARGE_CATEGORY], large, 10**9):
            entry = Entry(pk, price_key(listing.draft.price_fen, listing.id))
            batch.save(_entry_item(entry, card(listing, rating)))


def _get(client: Any, path: str, **query: Any) -> Any:
    response = client.http.get(path + "?" + urllib.parse.urlencode(query))
    if response.status_code != 200:
        raise RuntimeError(f"{path}: {response.status_code} {response.body!r}")
    return json.loads(response.body)


def _calls(client: Any, path: str, **query: Any) -> tuple[int, list[str]]:
    from bench.ddb_calls import count_dynamodb_calls
    from chalicelib.store.sites import clear_site_cache

    clear_site_cache()
    with count_dynamodb_calls() as calls:
        body = _get(client, path, **query)
    assert body.get("items") or body.get("hot"), (path, query)
    return len(calls), list(calls)


def _latency(client: Any, category: str, runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        _get(client, f"/sites/{SITE}/catalog", category=category, limit=20)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--large", type=int, default=100_000, help="listings in the large category")
    parser.add_argument("--small", type=int, default=100, help="listings in the small category")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with dynalite() as endpoint:
        _environment(endpoint)
        sys.path.insert(0, str(ROOT))
        from chalice.test import Client

        import app as app_module
        from chalicelib.store.site_files import all_site_configs

        site = next(s for s in all_site_configs() if s.id == SITE)
        _create_tables()
        started = time.monotonic()
        _load(site, args.small, args.large)
        print(f"loaded {args.small} + {args.large} listings into dynalite in {time.monotonic() - started:.0f} s")
        with Client(app_module.app, stage_name="dev", project_dir=str(ROOT)) as client:
            page, page_ops = _calls(client, f"/sites/{SITE}/catalog", category="LC-03")
            filtered, filtered_ops = _calls(
                client,
                f"/sites/{SITE}/catalog",
                category="LC-03",
                brand="联想",
                scale="small",
                max_price_fen=600000,
                district="371502",
            )
            search, search_ops = _calls(client, f"/sites/{SITE}/catalog/search", q="联想 台式计算机")
            numbered, numbered_ops = _calls(client, f"/sites/{SITE}/catalog/search", q="联想", limit=5, page=3)
            shelves, shelves_ops = _calls(client, f"/sites/{SITE}/catalog/featured")
            print(f"calls: category page {page} {page_ops}; filtered page {filtered} {filtered_ops};")
            print(f"       search {search} {search_ops}; page 3 of a search {numbered} {numbered_ops}")
            print(f"       front-page shelves {shelves} {shelves_ops}")
            _latency(client, SMALL_CATEGORY, 5)  # warm up both paths and the site cache
            _latency(client, LARGE_CATEGORY, 5)
            small_times, large_times = [], []
            for _ in range(args.runs):
                small_times.append(_latency(client, SMALL_CATEGORY, 1))
                large_times.append(_latency(client, LARGE_CATEGORY, 1))
            small_ms, large_ms = statistics.median(small_times) * 1000, statistics.median(large_times) * 1000
    ratio = large_ms / small_ms
    print(f"category page: {args.large:,} listings {large_ms:.1f} ms, {args.small} listings {small_ms:.1f} ms")
    print(f"(median of {args.runs} each, interleaved)")
    result = {
        "bench": "catalog",
        "calls_category_page": page,
        "calls_filtered_page": filtered,
        "calls_search": search,
        "calls_search_numbered_page": numbered,
        "calls_front_page_shelves": shelves,
        "latency_ratio": round(ratio, 3),
        "latency_ms": {"large": round(large_ms, 2), "small": round(small_ms, 2)},
        "listings": {"large": args.large, "small": args.small},
        "targets": TARGETS,
    }
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
