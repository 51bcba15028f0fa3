"""Price intelligence on moto: deals leave the mall's transaction prices of a product (brand + model) across sites;
a listing's page shows them beside its reference price; a listing repriced above the recent median by more than
the site's margin raises 价格偏高, and a supplier raising its price right after an order of it raises 临期涨价."""

from __future__ import annotations

from typing import Any

from tests.api.orders_support import COPY_PAPER, SITE, add_listing, add_plan, order_body
from tests.conftest import Api, Projection

CENTER = "liaocheng.center"


def reprice(api: Api, seller: str, listing_id: str, price_fen: int) -> dict[str, Any]:
    body = {"price_fen": price_fen, "reference_price_fen": 4_000, "reference_source": "京东自营 2026-12"}
    status, done = api.call("PUT", f"/sites/{SITE}/listings/{listing_id}/price", body, as_user=seller)
    assert status == 200, done
    return dict(done)


def open_alerts(api: Api) -> dict[str, dict[str, Any]]:
    status, queue = api.call("GET", f"/sites/{SITE}/alerts?status=open", as_user=CENTER)
    assert status == 200
    return {a["kind_label"]: a for a in queue["items"]}


def test_deals_make_the_malls_prices_and_high_or_raised_prices_raise_alerts(
    api: Api, suppliers_seeded: int, projection: Projection
) -> None:
    # The same product (得力 DL-7055) from two suppliers; the buyer orders it from the first twice.
    cheap = add_listing("supplier.demo", COPY_PAPER, "得力 A4 复印纸 70g", "DL-7055", 2_500, 1_000)
    dear = add_listing("supplier.lc02", COPY_PAPER, "得力 A4 复印纸 70g 整箱", "DL-7055", 2_700, 1_000)
    plan = add_plan(6, budget_fen=2_000_000)
    for quantity in (10, 20):
        status, order = api.call(
            "POST", f"/sites/{SITE}/orders", order_body(plan, "supplier.demo", [(cheap, quantity)]),
            as_user="liaocheng.buyer",
        )  # fmt: skip
        assert status == 201
        no = order["order_no"]
        assert api.call("POST", f"/sites/{SITE}/orders/{no}/confirm", {}, as_user="supplier.demo")[0] == 200
    projection.drain()

    status, shown = api.call("GET", f"/sites/{SITE}/listings/{dear}/prices")  # public, like the catalog
    assert status == 200
    assert (shown["price_fen"], shown["median_90d_fen"], shown["deals"]) == (2_700, 2_500, 2)
    assert shown["above_median_pct"] == 8.0 and shown["sites"] == [SITE]
    assert [m["deals"] for m in shown["trend"]] == [2] and shown["recent"][0]["unit_price_fen"] == 2_500
    assert open_alerts(api).keys() <= {"特供专供"}  # nothing about prices yet

    # 2,900 元 is 16 % above the median (the site's margin is 10 %): 价格偏高.
    reprice(api, "supplier.lc02", dear, 2_900)
    projection.drain()
    high = open_alerts(api)["价格偏高"]
    assert high["subject"] == dear and high["figures"] == {"price_fen": 2_900, "median_fen": 2_500, "deals": 2}
    assert "高于商城近 90 日同型号成交中位价 25.00 元 16.0%" in high["explanation"]

    # The first supplier raises its price right after selling it: 临期涨价 (and, 2,800 being 12 % above, 价格偏高).
    reprice(api, "supplier.demo", cheap, 2_800)
    projection.drain()
    raised = [a for a in open_alerts(api).values() if a["kind"] == "price_raise"]
    [alert] = raised
    assert alert["subject"] == cheap and "由 25.00 元调至 28.00 元（上涨 12.0%）" in alert["explanation"]
    assert "距最近一笔成交" in alert["explanation"]
    # A lower price is no worry; a repeat of the same stream records raises nothing more.
    reprice(api, "supplier.lc02", dear, 2_600)
    projection.drain()
    status, queue = api.call("GET", f"/sites/{SITE}/alerts?status=open", as_user=CENTER)
    assert sum(1 for a in queue["items"] if a["kind"] == "price_raise") == 1

    # The margin is the site's, within its range (0–50 %).
    status, rules = api.call(
        "PUT", f"/sites/{SITE}/alert-rules", {"version": 0, "price_margin_bp": 6000}, as_user=CENTER
    )
    assert (status, rules["code"]) == (400, "THRESHOLD_OUT_OF_RANGE")
