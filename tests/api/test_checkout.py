"""Checkout that cannot half-fail: each supplier's group is matched to a plan of its own and held against the
rules its order will meet before anything is placed; a plan that lists items pays only for them, in its quantity."""

from __future__ import annotations

import json
from typing import Any

import boto3

from chalicelib.config import get_tables
from tests.api.orders_support import COPY_PAPER, SITE, add_listing, add_plan, order_body, supplier_code
from tests.conftest import Api

LAPTOP = "LC-0301"  # 笔记本 → 便携式计算机 A02010108
DESKTOP = "LC-0302"  # 台式计算机 A02010105 (the same 二级品目 A02010000)


def forecast(api: Api, *groups: dict[str, Any]) -> dict[str, Any]:
    status, body = api.call("POST", f"/sites/{SITE}/checkout", {"groups": list(groups)}, as_user="liaocheng.buyer")
    assert status == 200, body
    return body  # type: ignore[no-any-return]


def group(supplier: str, lines: list[tuple[str, int]], plan_no: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "supplier_uscc": supplier_code(supplier),
        "lines": [{"listing_id": lid, "quantity": q} for lid, q in lines],
    }
    if plan_no:
        body["plan_no"] = plan_no
    return body


def _tables() -> list[str]:
    ddb = boto3.client("dynamodb")
    return [json.dumps(ddb.scan(TableName=t)["Items"], sort_keys=True) for t in (get_tables().main, get_tables().audit)]


def test_each_group_gets_a_plan_of_its_own(api: Api, suppliers_seeded: int) -> None:
    small = add_plan(41, budget_fen=100_000)  # 1,000 元 for office supplies
    large = add_plan(42, budget_fen=1_000_000)
    paper = add_listing("supplier.demo", COPY_PAPER, "得力 A4 复印纸 70g", "DL-7055", 2_500, 100)
    other = add_listing("supplier.lc02", COPY_PAPER, "晨光 A4 复印纸 70g", "CG-APYVQ", 2_400, 50)
    before = _tables()
    body = forecast(api, group("supplier.demo", [(paper, 30)]), group("supplier.lc02", [(other, 2)]))
    assert _tables() == before  # a forecast writes nothing
    demo, lc02 = body["groups"]
    assert not body["blocked"]
    # 750 元 fits the small plan; the other group gets the large one (a plan of its own), not the same.
    assert (demo["plan_no"], lc02["plan_no"]) == (small, large) and demo["proposed"]
    assert demo["total_fen"] == 75_000 and all(p["fits"] for p in demo["plans"])
    # The buyer picks the small plan for both: the second no longer fits what the first leaves.
    body = forecast(api, group("supplier.demo", [(paper, 30)], small), group("supplier.lc02", [(other, 20)], small))
    assert body["blocked"]
    second = body["groups"][1]
    assert (
        second["problems"][0]["code"] == "PLAN_DOES_NOT_FIT"
        and "余额不足：可用 250.00 元" in second["problems"][0]["message"]
    )
    # Too much for one order: the per-order cap (80 万元) blocks it before anything is placed.
    big = add_plan(43, budget_fen=90_000_000)
    body = forecast(api, group("supplier.demo", [(paper, 100)], big))
    assert not body["blocked"]
    dear = add_listing("supplier.demo", COPY_PAPER, "得力 A3 复印纸 80g 整托", "DL-A3P", 850_000_00, 10)
    body = forecast(api, group("supplier.demo", [(dear, 1)], big))
    assert [p["code"] for p in body["groups"][0]["problems"]] == ["LIMIT_EXCEEDED"]
    assert "超出单笔订单限额" in body["groups"][0]["problems"][0]["message"]


def test_a_plan_for_ten_laptops_pays_for_ten_laptops(api: Api, suppliers_seeded: int) -> None:
    laptops = add_plan(51, budget_fen=10 * 600_000, catalog_code="A02010108", quantity=10, unit="台")
    laptop = add_listing("supplier.demo", LAPTOP, "联想 ThinkPad E14 笔记本", "E14-G5", 500_000, 30)
    desktop = add_listing("supplier.demo", DESKTOP, "联想 启天 M437 台式计算机", "M437", 450_000, 30)

    body = forecast(api, group("supplier.demo", [(desktop, 1)]))
    [only] = body["groups"]
    assert only["problems"][0]["code"] == "NO_FITTING_PLAN"
    assert "计划所列品目为便携式计算机" in only["problems"][0]["message"]
    status, refused = api.call(
        "POST", f"/sites/{SITE}/orders", order_body(laptops, "supplier.demo", [(desktop, 1)]), as_user="liaocheng.buyer"
    )
    assert status == 422 and refused["code"] == "ORDER_LINES_REFUSED" and "不是采购计划所列的品目" in refused["message"]

    body = forecast(api, group("supplier.demo", [(laptop, 11)], laptops))
    assert "数量不足：计划还可采购 10 台" in body["groups"][0]["problems"][0]["message"]
    status, refused = api.call(
        "POST", f"/sites/{SITE}/orders", order_body(laptops, "supplier.demo", [(laptop, 11)]), as_user="liaocheng.buyer"
    )
    assert status == 422 and refused["code"] == "PLAN_QUANTITY_EXCEEDED"
    status, order = api.call(
        "POST", f"/sites/{SITE}/orders", order_body(laptops, "supplier.demo", [(laptop, 6)]), as_user="liaocheng.buyer"
    )
    assert status == 201, order
    status, plan = api.call("GET", f"/sites/{SITE}/plans/{laptops}", as_user="liaocheng.buyer")
    assert (plan["ordered_quantity"], plan["quantity_left"]) == (6, 4)
    assert forecast(api, group("supplier.demo", [(laptop, 5)], laptops))["blocked"]
    # A cancelled order gives its units back with its money.
    status, _ = api.call(
        "POST", f"/sites/{SITE}/orders/{order['order_no']}/cancel", {"reason": "需求变更"}, as_user="liaocheng.buyer"
    )
    assert status == 200
    status, plan = api.call("GET", f"/sites/{SITE}/plans/{laptops}", as_user="liaocheng.buyer")
    assert plan["quantity_left"] == 10
    assert not forecast(api, group("supplier.demo", [(laptop, 10)], laptops))["blocked"]


def test_bad_checkout_requests(api: Api, suppliers_seeded: int) -> None:
    for body in ({}, {"groups": []}, {"groups": [{"supplier_uscc": "x", "lines": []}]}):
        status, reply = api.call("POST", f"/sites/{SITE}/checkout", body, as_user="liaocheng.buyer")
        assert status == 400 and reply["code"] == "VALIDATION_FAILED", reply
    paper = add_listing("supplier.demo", COPY_PAPER, "得力 A4 复印纸 70g", "DL-7055", 2_500, 100)
    status, _ = api.call(
        "POST", f"/sites/{SITE}/checkout", {"groups": [group("supplier.demo", [(paper, 1)])]}, as_user="supplier.demo"
    )
    assert status == 403
    body = forecast(api, group("supplier.demo", [(paper, 1)], "371500200101" + "20260099"))
    assert body["groups"][0]["problems"][0]["code"] == "PLAN_NOT_FOUND"
