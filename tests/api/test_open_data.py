"""Open data: deals and accepted plans as OCDS 1.1 releases, daily packages valid against the official schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import requests
from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from chalicelib.domain import ocds
from chalicelib.domain.clock import china_date, utc_now
from scheduled import history_sample
from tests.api.orders_support import COPY_PAPER, SITE, add_listing, add_plan, order_body
from tests.api.test_statistics import imported, site_config, write
from tests.conftest import Api, Projection, invoke

SCHEMA = json.loads((Path(__file__).parent.parent / "data" / "ocds" / "release-schema-1.1.5.json").read_text("utf-8"))
# After the standard's release-package-schema.json (1.1): what a package must carry around its releases.
PACKAGE_SCHEMA = {
    "$schema": "http://json-schema.org/draft-04/schema#",
    "type": "object",
    "required": ["uri", "publisher", "publishedDate", "releases", "version"],
    "properties": {
        "uri": {"type": "string", "format": "uri-reference"},
        "version": {"type": "string", "pattern": "^(\\d+\\.)(\\d+)$"},
        "publishedDate": {"type": "string", "format": "date-time"},
        "releases": {"type": "array", "minItems": 1, "uniqueItems": True, "items": {"$ref": SCHEMA["id"]}},
        "publisher": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}},
        "license": {"type": ["string", "null"], "format": "uri"},
        "publicationPolicy": {"type": ["string", "null"], "format": "uri"},
    },
}


def validator() -> Draft4Validator:
    registry = Registry().with_resource(SCHEMA["id"], Resource(SCHEMA, specification=DRAFT4))
    return Draft4Validator(PACKAGE_SCHEMA, registry=registry, format_checker=FormatChecker())


def test_the_format_checkers_are_installed_so_date_and_uri_checks_are_real() -> None:
    checker = FormatChecker()
    assert not checker.conforms("2026-03-02", "date-time") and checker.conforms("2026-03-02T01:00:00Z", "date-time")
    assert not checker.conforms("not a uri", "uri") and checker.conforms("https://example.com/x", "uri")


def test_deals_and_plans_are_published_as_valid_daily_packages(
    api: Api, projection: Projection, tmp_path: Path
) -> None:
    from scheduled import demo_market

    site = site_config()
    last_year = china_date(utc_now()).year - 1
    rows = list(history_sample.purchases(site, 5, last_year, seed=21))
    imported(write(tmp_path, "old.jsonl", history_sample.to_jsonl(rows)))
    import os

    demo_market.seed_demo_suppliers(os.environ["USER_POOL_ID"])
    plan = add_plan(1, budget_fen=1_000_000)
    paper = add_listing("supplier.demo", COPY_PAPER, "得力 A4 复印纸 70g", "DL-7055", 2_500, 100)
    status, order = api.call(
        "POST", f"/sites/{SITE}/orders", order_body(plan, "supplier.demo", [(paper, 4)]), as_user="liaocheng.buyer"
    )
    assert status == 201
    no = order["order_no"]
    assert api.call("POST", f"/sites/{SITE}/orders/{no}/confirm", {}, as_user="supplier.demo")[0] == 200
    projection.drain()
    days = sorted({r["deal_date"] for r in rows})
    counts = invoke("package_open_data", {"source": "aws.events", "detail": {"days": days}})
    today = china_date(utc_now()).isoformat()
    assert counts[today] >= 2  # the plan's planning release and the deal

    status, listing = api.call("GET", "/open-data/packages")  # public: no token
    assert status == 200 and listing["format"] == "OCDS 1.1 release package"
    assert {p["date"] for p in listing["items"]} >= {today, *days}
    check = validator()
    releases: dict[str, dict[str, Any]] = {}
    for item in listing["items"]:
        package = requests.get(item["url"], timeout=10).json()
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in check.iter_errors(package)]
        assert errors == [], errors[:5]
        releases.update({r["ocid"]: r for r in package["releases"]})

    deal = releases[ocds.ocid(SITE, no)]
    assert deal["tag"] == ["award", "contract"] and deal["contracts"][0]["value"] == {
        "amount": 100.0,
        "currency": "CNY",
    }
    assert deal["relatedProcesses"][0]["identifier"] == ocds.plan_ocid(SITE, plan)
    assert deal["relatedProcesses"][0]["relationship"] == ["planning"]
    planning = releases[ocds.plan_ocid(SITE, plan)]
    assert planning["tag"] == ["planning"] and planning["planning"]["budget"]["amount"]["amount"] == 10_000.0
    historic = [r for r in releases.values() if r.get("awards") and "历史导入" in r["awards"][0].get("description", "")]
    assert len(historic) == 5

    # A schema-invalid package is caught (the check is not a formality): a date without time, a string amount.
    broken = json.loads(json.dumps({**requests.get(listing["items"][0]["url"], timeout=10).json()}))
    broken["publishedDate"] = "2026-03-02"
    broken["releases"][0]["date"] = "2026-03-02"
    messages = [e.message for e in check.iter_errors(broken)]
    assert any("date-time" in m for m in messages), messages


def test_a_package_for_a_bad_or_empty_day_is_refused_in_chinese(api: Api) -> None:
    status, body = api.call("GET", "/open-data/packages/2024-3-1")
    assert (status, body["code"]) == (400, "DATE_INVALID") and "日期格式" in body["message"]
    status, body = api.call("GET", "/open-data/packages/2020-01-01")
    assert (status, body["code"]) == (404, "PACKAGE_NOT_FOUND")


@pytest.mark.parametrize("status", ["pending_confirmation", "declined", "cancelled"])
def test_an_order_that_never_became_a_deal_is_not_published(status: str) -> None:
    from chalicelib.domain.orders import OrderStatus
    from tests.unit.test_order_lifecycle import make_order

    assert not ocds.is_published(make_order()._replace(status=OrderStatus(status)))
