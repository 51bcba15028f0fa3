"""定点采购 on moto (淄博, which offers it): the centre designates a supplier for 车辆维修和保养服务 at negotiated rates;
the buyer orders from it against a plan; refused outside the served districts, while suspended, for an unknown
service item, an unknown code or an unregistered supplier, with nothing written."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from chalicelib.domain.clock import china_date, utc_now
from chalicelib.store.models import AuditItem, DesignationItem, OrderItem
from scheduled import demo_market
from tests.api.orders_support import DELIVERY, supplier_code
from tests.conftest import Api

SITE = "zibo"
CENTER = "zibo.center"
BUYER = "zibo.buyer"
BASE = f"/sites/{SITE}/designations"


def designation_body(**changes: Any) -> dict[str, Any]:
    today = china_date(utc_now())
    body: dict[str, Any] = {
        "service": "公务车辆维修保养",
        "catalog_code": "C23120301",
        "supplier_uscc": supplier_code("supplier.lc11"),
        "districts": ["370300", "370302", "370303"],
        "valid_from": (today - timedelta(days=10)).isoformat(),
        "valid_to": (today + timedelta(days=355)).isoformat(),
        "items": [
            {"code": "BY-01", "name": "小型客车常规保养（含机油机滤）", "unit": "次", "price_fen": 38_000},
            {"code": "XC-01", "name": "车辆清洗", "unit": "次", "price_fen": 3_000, "note": "含内饰简单清洁"},
        ],
    }
    body.update(changes)
    return body


def plan(api: Api) -> str:
    today = china_date(utc_now())
    status, made = api.call(
        "POST",
        f"/sites/{SITE}/plans",
        {
            "name": "公务车辆维修保养",
            "business_year": today.year,
            "business_month": today.month,
            "purchase_method": "online_supermarket",
            "budget_category": "C23120301",
            "amount_fen": 2_000_000,
            "planned_date": today.isoformat(),
            "note": "",
        },
        as_user=BUYER,
    )
    assert status == 201, made
    return str(made["plan_no"])


def order(api: Api, designation_id: str, plan_no: str, lines: list[tuple[str, int]]) -> tuple[int, Any]:
    expected = (china_date(utc_now()) + timedelta(days=2)).isoformat()
    return api.call(
        "POST",
        f"{BASE}/{designation_id}/orders",
        {
            "plan_no": plan_no,
            "lines": [{"code": c, "quantity": q} for c, q in lines],
            "delivery": {**DELIVERY, "expected_date": expected},
            "note": "鲁C 号段公务车 2 辆",
        },
        as_user=BUYER,
    )


def writes() -> tuple[int, int, int]:
    return (
        sum(1 for _ in DesignationItem.scan()),
        sum(1 for _ in OrderItem.scan()),
        sum(1 for _ in AuditItem.scan()),
    )


def test_a_designated_supplier_serves_orders_at_its_rates(api: Api, aws: dict[str, str]) -> None:
    demo_market.seed_demo_suppliers(aws["USER_POOL_ID"])
    before = writes()
    for body, code in (
        (designation_body(catalog_code="C99999999"), "CATEGORY_UNKNOWN"),
        (designation_body(supplier_uscc="91371500MA3C4D5E6R"), "DESIGNATION_INVALID"),
        (designation_body(districts=["371500"]), "DESIGNATION_INVALID"),  # 聊城's district, not 淄博's
    ):
        status, answer = api.call("POST", BASE, body, as_user=CENTER)
        assert (status, answer["code"]) == (400, code), answer
    status, _ = api.call("POST", BASE, designation_body(), as_user=BUYER)
    assert status == 403
    assert writes() == before

    status, made = api.call("POST", BASE, designation_body(), as_user=CENTER)
    assert status == 201, made
    assert made["status_label"] == "有效" and made["catalog_name"] == "车辆维修和保养服务"
    designation_id = made["id"]
    status, listed = api.call("GET", BASE, as_user=BUYER)
    assert [d["id"] for d in listed["items"]] == [designation_id] and listed["items"][0]["can_order"] is True
    status, mine = api.call("GET", BASE, as_user="supplier.lc11")
    assert [d["id"] for d in mine["items"]] == [designation_id]

    plan_no = plan(api)
    status, placed = order(api, designation_id, plan_no, [("BY-01", 2), ("XC-01", 2)])
    assert status == 201, placed
    assert placed["method_label"] == "定点采购" and placed["mechanism_label"] == "直购"
    assert placed["total_fen"] == 2 * 38_000 + 2 * 3_000
    assert placed["source"] == {"kind": "agreement", "refs": [designation_id]}
    assert placed["supplier"]["uscc"] == supplier_code("supplier.lc11")

    before = writes()
    status, answer = order(api, designation_id, plan_no, [("NO-SUCH", 1)])
    assert (status, answer["code"]) == (404, "RATE_ITEM_NOT_FOUND")
    status, answer = api.call(
        "POST", f"{BASE}/{designation_id}/status", {"action": "suspend", "reason": "服务投诉核查"}, as_user=CENTER
    )
    assert status == 200 and answer["status_label"] == "已暂停"
    before = writes()
    status, answer = order(api, designation_id, plan_no, [("BY-01", 1)])
    assert (status, answer["code"]) == (422, "DESIGNATION_SUSPENDED") and "服务投诉核查" in answer["message"]
    assert writes() == before

    # A designation that does not serve the buyer's district (淄博市本级) refuses its orders.
    status, county = api.call("POST", BASE, designation_body(districts=["370302"]), as_user=CENTER)
    status, answer = order(api, county["id"], plan_no, [("BY-01", 1)])
    assert (status, answer["code"]) == (422, "DISTRICT_NOT_SERVED")
    actions = [a.data["action"] for a in AuditItem.scan() if a.data["entity_type"] == "designation"]
    assert sorted(actions) == ["designation.created", "designation.created", "designation.suspended"]
