"""Listings: publishing, the refusals, review, price changes, and the catalog following along."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import boto3
import pytest

from chalicelib.config import get_tables
from chalicelib.domain.clock import china_date, utc_now
from tests.conftest import Api, Projection

PEN: dict[str, Any] = {
    "category_id": "LC-0101",
    "name": "得力 A32 中性笔 0.38mm 黑色 12支/盒",
    "brand": "得力",
    "model": "A32",
    "specs": [{"name": "笔尖", "value": "0.38mm"}, {"name": "颜色", "value": "黑色"}],
    "price_fen": 1650,
    "reference_price_fen": 1990,
    "reference_source": "京东自营 2026-11-20",
    "stock": 300,
    "delivery_districts": ["371500", "371502"],
    "images": [],
    "certificates": [{"kind": "environmental", "number": "CEC2025ELP0123", "expires_on": "2027-06-30"}],
}


def _snapshot() -> dict[str, Any]:
    ddb = boto3.client("dynamodb")
    return {
        t: sorted(json.dumps(i, sort_keys=True) for i in ddb.scan(TableName=t)["Items"])
        for t in (get_tables().main, get_tables().audit)
    }


def _publish(api: Api, **changes: Any) -> tuple[int, Any]:
    return api.call("POST", "/sites/liaocheng/listings", {**PEN, **changes}, as_user="supplier.demo")


def _catalog_ids(api: Api, category: str = "LC-0101", **query: str) -> list[str]:
    params = "&".join(f"{k}={v}" for k, v in {"category": category, "limit": "60", **query}.items())
    status, body = api.call("GET", f"/sites/liaocheng/catalog?{params}")
    assert status == 200, body
    return [card["id"] for card in body["items"]]


@pytest.fixture
def listed(api: Api, suppliers_seeded: int, projection: Projection) -> dict[str, Any]:
    """A pen published by supplier.demo and approved by 聊城's operator, projected into the catalog."""
    status, listing = _publish(api)
    assert status == 201, listing
    status, approved = api.call(
        "POST", f"/sites/liaocheng/listings/{listing['id']}/review", {"decision": "approve"}, as_user="liaocheng.center"
    )
    assert status == 200, approved
    projection.drain()
    return dict(approved)


def test_publish_review_and_appear_in_the_catalog(api: Api, suppliers_seeded: int, projection: Projection) -> None:
    status, listing = _publish(api)
    assert status == 201 and listing["status"] == "pending" and listing["category_name"] == "签字笔"
    assert listing["catalog_code"] == "A05040402" and listing["supplier"]["scale"] == "small"
    status, queue = api.call("GET", "/sites/liaocheng/listings/review", as_user="liaocheng.center")
    assert [x["id"] for x in queue["items"]] == [listing["id"]]
    projection.drain()
    assert listing["id"] not in _catalog_ids(api)
    api.call(
        "POST", f"/sites/liaocheng/listings/{listing['id']}/review", {"decision": "approve"}, as_user="liaocheng.center"
    )
    projection.drain()
    assert listing["id"] in _catalog_ids(api)
    assert listing["id"] in _catalog_ids(api, "LC-01")  # the parent shows its children's listings
    status, detail = api.call("GET", f"/sites/liaocheng/listings/{listing['id']}")
    assert status == 200 and detail["supplier"]["name"] == "聊城市东昌府区鑫诚办公用品有限公司"
    status, audit = api.call("GET", "/sites/liaocheng/audit?limit=2", as_user="liaocheng.finance")
    assert [e["action"] for e in audit["items"]] == ["listing.approved", "listing.created"]


@pytest.mark.parametrize(
    ("changes", "status", "code", "fragment"),
    [
        ({"price_fen": 2500}, 422, "PRICE_ABOVE_REFERENCE", "报价 25.00 元高于参考市场价 19.90 元"),
        (
            {"certificates": [{"kind": "energy_saving", "number": "CQC2020001", "expires_on": "2024-01-15"}]},
            422,
            "CERTIFICATE_EXPIRED",
            "已于 2024-01-15 过期",
        ),
        ({"category_id": "WH-0101"}, 400, "UNKNOWN_CATEGORY", "不是聊城站点的商城品目"),
        ({"category_id": "LC-01"}, 400, "UNKNOWN_CATEGORY", "不是末级品目"),
        ({"delivery_districts": ["370102"]}, 400, "VALIDATION_FAILED", "区划 370102 不属于聊城站点"),
        ({"price_fen": -100}, 400, "VALIDATION_FAILED", "须大于 0"),
        ({"price_fen": 16.5}, 400, "VALIDATION_FAILED", "整数"),
        (
            {"specs": [{"name": "颜色", "value": "黑"}, {"name": "颜色", "value": "红"}]},
            400,
            "VALIDATION_FAILED",
            "规格参数名称重复",
        ),
    ],
)
def test_refusals_say_why_and_write_nothing(
    api: Api, suppliers_seeded: int, changes: dict[str, Any], status: int, code: str, fragment: str
) -> None:
    api.token("supplier.demo")
    before = _snapshot()
    got, body = _publish(api, **changes)
    assert (got, body["code"]) == (status, code), body
    assert fragment in body["message"] + json.dumps(body["details"], ensure_ascii=False)
    assert _snapshot() == before


def test_the_same_brand_and_model_twice_is_a_duplicate(api: Api, suppliers_seeded: int) -> None:
    assert _publish(api)[0] == 201
    # Full-width letters and case do not make a new model.
    status, body = _publish(api, name="得力 A32 中性笔（重复）", model="ａ３２")
    assert (status, body["code"]) == (409, "DUPLICATE_LISTING")
    # Another category or another model is not a duplicate.
    assert _publish(api, model="A33")[0] == 201


def test_inactive_suppliers_cannot_publish(api: Api, suppliers_seeded: int) -> None:
    status, body = api.call("POST", "/sites/liaocheng/listings", PEN, as_user="supplier.pending")
    assert (status, body["code"]) == (403, "SUPPLIER_NOT_ACTIVE")
    assert "待审核" in body["message"]


def test_price_changes_are_audited_and_reorder_the_catalog(
    api: Api, listed: dict[str, Any], projection: Projection
) -> None:
    status, changed = api.call(
        "PUT",
        f"/sites/liaocheng/listings/{listed['id']}/price",
        {
            "price_fen": 1500,
            "reference_price_fen": 1990,
            "reference_source": "京东自营 2026-11-21",
            "expected_version": listed["version"],
        },
        as_user="supplier.demo",
    )
    assert status == 200 and changed["price_fen"] == 1500
    status, body = api.call(
        "PUT",
        f"/sites/liaocheng/listings/{listed['id']}/price",
        {
            "price_fen": 1400,
            "reference_price_fen": 1990,
            "reference_source": "x2",
            "expected_version": listed["version"],
        },
        as_user="supplier.demo",
    )
    assert (status, body["code"]) == (409, "VERSION_CONFLICT")
    projection.drain()
    status, page = api.call("GET", "/sites/liaocheng/catalog?category=LC-0101&max_price_fen=1500")
    assert [c["id"] for c in page["items"]] == [listed["id"]] and page["items"][0]["price_fen"] == 1500
    status, audit = api.call("GET", "/sites/liaocheng/audit?limit=1", as_user="liaocheng.center")
    assert audit["items"][0]["action"] == "listing.price_changed"
    assert audit["items"][0]["before"]["price_fen"] == 1650 and audit["items"][0]["after"]["price_fen"] == 1500


def test_withdraw_delist_and_resubmit(api: Api, listed: dict[str, Any], projection: Projection) -> None:
    lid = listed["id"]
    status, body = api.call(
        "POST", f"/sites/liaocheng/listings/{lid}/delist", {"reason": ""}, as_user="liaocheng.center"
    )
    assert status == 400
    status, delisted = api.call(
        "POST", f"/sites/liaocheng/listings/{lid}/delist", {"reason": "参数填写不规范"}, as_user="liaocheng.center"
    )
    assert status == 200 and delisted["status"] == "delisted" and delisted["status_reason"] == "参数填写不规范"
    projection.drain()
    assert lid not in _catalog_ids(api)
    status, edited = api.call(
        "PUT",
        f"/sites/liaocheng/listings/{lid}",
        {**PEN, "specs": [{"name": "笔尖", "value": "0.38mm 针管"}, {"name": "颜色", "value": "黑色"}]},
        as_user="supplier.demo",
    )
    assert status == 200 and edited["status"] == "pending"
    api.call("POST", f"/sites/liaocheng/listings/{lid}/review", {"decision": "approve"}, as_user="liaocheng.center")
    status, withdrawn = api.call("POST", f"/sites/liaocheng/listings/{lid}/withdraw", {}, as_user="supplier.demo")
    assert status == 200 and withdrawn["status"] == "withdrawn"
    projection.drain()
    assert lid not in _catalog_ids(api)
    status, body = api.call("GET", f"/sites/liaocheng/listings/{lid}")
    assert (status, body["code"]) == (404, "LISTING_NOT_FOUND")
    status, resubmitted = api.call("POST", f"/sites/liaocheng/listings/{lid}/resubmit", {}, as_user="supplier.demo")
    assert status == 200 and resubmitted["status"] == "pending"


def test_a_suspended_suppliers_listings_leave_the_catalog_and_come_back(
    api: Api, listed: dict[str, Any], projection: Projection
) -> None:
    uscc = listed["supplier"]["uscc"]
    until = china_date(utc_now() + timedelta(days=10)).isoformat()
    api.call(
        "POST", f"/suppliers/{uscc}/suspend", {"reason": "价格监测异常", "until": until}, as_user="liaocheng.center"
    )
    projection.drain()
    assert listed["id"] not in _catalog_ids(api)
    status, body = api.call(
        "PUT", f"/sites/liaocheng/listings/{listed['id']}/stock", {"stock": 10}, as_user="supplier.demo"
    )
    assert (status, body["code"]) == (403, "SUPPLIER_SUSPENDED_IN_SITE")  # 聊城 suspended its trading there
    api.call("POST", f"/suppliers/{uscc}/reinstate", {"reason": "整改完成"}, as_user="liaocheng.center")
    projection.drain()
    assert listed["id"] in _catalog_ids(api)


def test_suppliers_list_their_own_listings_per_site(api: Api, listed: dict[str, Any]) -> None:
    status, mine = api.call("GET", "/sites/liaocheng/listings/mine", as_user="supplier.demo")
    assert status == 200 and [x["id"] for x in mine["items"]] == [listed["id"]]
    status, other_site = api.call("GET", "/sites/weihai/listings/mine", as_user="supplier.demo")
    assert status == 200 and other_site["items"] == []
    status, body = api.call(
        "PUT", f"/sites/liaocheng/listings/{listed['id']}/stock", {"stock": 5}, as_user="supplier.lc02"
    )
    assert (status, body["code"]) == (404, "LISTING_NOT_FOUND")


def test_a_listing_states_what_its_category_requires(api: Api, suppliers_seeded: int) -> None:
    """台式计算机 must state its processor, memory and disk; the unit and lead time are checked; nothing is written."""
    desktop = {
        **PEN,
        "category_id": "LC-0302",
        "name": "联想 启天 M437 台式计算机",
        "brand": "联想",
        "model": "启天M437",
        "specs": [{"name": "处理器", "value": "i5-12500"}],
        "price_fen": 459_900,
        "reference_price_fen": 499_900,
        "certificates": [],
        "unit": "台",
        "lead_days": 5,
        "warranty": "整机 3 年",
        "after_sales": "三年上门服务，4 小时响应",
        "description": "商用台式机，适合日常办公。",
    }
    before = _snapshot()
    status, body = _publish(api, **desktop)
    assert status == 400 and body["code"] == "VALIDATION_FAILED"
    assert "台式计算机须填写规格参数：内存、硬盘" in body["message"]
    assert body["details"][0]["label"] == "规格参数"
    for bad, field in (({"unit": "吨吨"}, "unit"), ({"lead_days": 0}, "lead_days"), ({"lead_days": 91}, "lead_days")):
        status, body = _publish(api, **{**desktop, **bad})
        assert status == 400 and any(d["field"] == field for d in body["details"]), body
    assert _snapshot() == before
    full = {
        **desktop,
        "specs": [
            {"name": "处理器", "value": "i5-12500"},
            {"name": "内存", "value": "16GB"},
            {"name": "硬盘", "value": "512GB SSD"},
        ],
    }
    status, listing = _publish(api, **full)
    assert status == 201, listing
    assert (listing["unit"], listing["lead_days"], listing["warranty"]) == ("台", 5, "整机 3 年")
    status, config = api.call("GET", "/sites/liaocheng/config")
    desktop_category = next(c for c in config["categories"] if c["id"] == "LC-0302")
    assert [p["name"] for p in desktop_category["spec_params"]] == ["处理器", "内存", "硬盘"]
