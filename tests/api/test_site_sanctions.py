"""A city operator suspends trading in its own site; province-wide sanctions are the province's, logged in every site."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine

from chalicelib.domain.clock import china_date, utc_now
from chalicelib.store.sites import DynamoSiteStore
from scheduled import demo_market
from scheduled.sample_orders import add_listing, supplier_code
from tests.api.orders_support import COPY_PAPER, add_plan, order_body
from tests.conftest import Api, Projection, invoke

SUPPLIER = "supplier.demo"


def _leaf(site_id: str) -> str:
    site = DynamoSiteStore().get(site_id)
    assert site is not None
    return site.leaf_categories()[0].id


@pytest.fixture
def trading(api: Api, aws: dict[str, str]) -> dict[str, tuple[str, str]]:
    """supplier.demo sells in 聊城, 威海 and 临沂: site -> (category, listing id)."""
    demo_market.seed_demo_suppliers(aws["USER_POOL_ID"])
    found = {"liaocheng": (COPY_PAPER, add_listing(SUPPLIER, COPY_PAPER, "得力 A4 复印纸 70g", "DL-7055", 2_500, 100))}
    for site_id in ("weihai", "linyi"):
        category = _leaf(site_id)
        found[site_id] = (category, add_listing(SUPPLIER, category, "得力 测试商品", "DL-T01", 1_000, 50, site_id))
    return found


def _on_sale(api: Api, site_id: str, category: str, listing_id: str) -> bool:
    status, page = api.call("GET", f"/sites/{site_id}/catalog?category={category}&limit=60")
    assert status == 200, page
    return any(card["id"] == listing_id for card in page["items"])


def _actions(api: Api, site_id: str) -> list[str]:
    status, log = api.call("GET", f"/sites/{site_id}/audit?limit=50", as_user=f"{site_id}.finance")
    assert status == 200, log
    return [e["action"] for e in log["items"] if e.get("entity_type") == "supplier"]


def test_a_city_suspension_stops_trading_in_that_site_only(
    api: Api, trading: dict[str, tuple[str, str]], projection: Projection
) -> None:
    uscc = supplier_code(SUPPLIER)
    projection.drain()
    assert all(_on_sale(api, site, *found) for site, found in trading.items())

    status, body = api.call(
        "POST", f"/suppliers/{uscc}/suspend", {"reason": "送货严重超时"}, as_user="liaocheng.center"
    )
    assert status == 200, body
    assert body["status"] == "active"  # still registered, and trading elsewhere
    assert [s["site_id"] for s in body["site_suspensions"]] == ["liaocheng"]
    projection.drain()
    assert not _on_sale(api, "liaocheng", *trading["liaocheng"])
    assert _on_sale(api, "weihai", *trading["weihai"]) and _on_sale(api, "linyi", *trading["linyi"])
    plan_no = add_plan(1, budget_fen=1_000_000)
    status, refused = api.call(
        "POST",
        "/sites/liaocheng/orders",
        order_body(plan_no, SUPPLIER, [(trading["liaocheng"][1], 1)]),
        as_user="liaocheng.buyer",
    )
    assert (status, refused["code"]) == (409, "SUPPLIER_NOT_ACTIVE")
    assert "supplier.site_suspended" in _actions(api, "liaocheng")
    assert "supplier.site_suspended" not in _actions(api, "weihai")
    # The supplier's record shows it to 聊城 (and to the province), not to 威海.
    for user, sees in (("liaocheng.center", True), ("province.admin", True), ("weihai.center", False)):
        status, detail = api.call("GET", f"/suppliers/{uscc}", as_user=user)
        assert status == 200 and ("supplier.site_suspended" in [e["action"] for e in detail["history"]]) is sees, user

    # Expulsion is province-wide: not a city's to decide.
    status, body = api.call("POST", f"/suppliers/{uscc}/expel", {"reason": "串通报价"}, as_user="liaocheng.center")
    assert (status, body["code"]) == (403, "PROVINCE_SANCTION_ONLY") and "省级" in body["message"]
    # Another city's operator cannot lift 聊城's suspension.
    status, body = api.call("POST", f"/suppliers/{uscc}/reinstate", {"reason": "误操作"}, as_user="weihai.center")
    assert (status, body["code"]) == (409, "SUPPLIER_STATUS_CONFLICT")

    status, body = api.call("POST", f"/suppliers/{uscc}/reinstate", {"reason": "整改到位"}, as_user="liaocheng.center")
    assert status == 200 and body["site_suspensions"] == []
    projection.drain()
    assert _on_sale(api, "liaocheng", *trading["liaocheng"])
    assert _actions(api, "liaocheng")[0] == "supplier.site_reinstated"


def test_a_province_wide_suspension_shows_in_every_site_it_affects(
    api: Api, trading: dict[str, tuple[str, str]], projection: Projection
) -> None:
    uscc = supplier_code(SUPPLIER)
    status, body = api.call("POST", f"/suppliers/{uscc}/suspend", {"reason": "资质造假"}, as_user="province.admin")
    assert status == 200 and body["status"] == "suspended"
    projection.drain()
    for site_id, found in trading.items():
        assert not _on_sale(api, site_id, *found), site_id
        assert _actions(api, site_id)[0] == "supplier.suspended", site_id
    assert "supplier.suspended" not in _actions(api, "zibo")  # it sells nothing there
    status, body = api.call("POST", f"/suppliers/{uscc}/reinstate", {"reason": "复核"}, as_user="liaocheng.center")
    assert (status, body["code"]) == (403, "PROVINCE_SANCTION_ONLY")


def test_a_dated_city_suspension_ends_by_itself(api: Api, trading: dict[str, tuple[str, str]]) -> None:
    from chalicelib.store.suppliers import DynamoSupplierStore

    uscc = supplier_code(SUPPLIER)
    tomorrow = china_date(utc_now() + timedelta(days=1)).isoformat()
    status, body = api.call(
        "POST", f"/suppliers/{uscc}/suspend", {"reason": "整改", "until": tomorrow}, as_user="weihai.center"
    )
    assert status == 200, body
    event = {"due_at": body["site_suspensions"][0]["until"], "task": {"kind": "supplier_reinstatement", "uscc": uscc}}
    assert invoke("on_deadline", event) == {"status": "early"}
    with time_machine.travel(utc_now() + timedelta(days=2), tick=False):
        assert invoke("on_deadline", event) == {"status": "applied"}
        assert invoke("on_deadline", event) == {"status": "skipped"}
    supplier: Any = DynamoSupplierStore().get(uscc)
    assert supplier.site_suspensions == () and supplier.is_active
    assert _actions(api, "weihai")[0] == "supplier.site_reinstated"
