"""动态预警 on moto: three orders of one 二级品目, each under the site's limit and together above it, raise one
化整为零 alert (and, the listing being bought by this buyer alone, a 特供专供 one); the finance bureau sees the
queue, the centre turns the alert into a finding. Thresholds outside their range are refused, nothing written."""

from __future__ import annotations

import json
from typing import Any

import boto3

from chalicelib.config import get_tables
from tests.api.orders_support import COPY_PAPER, SITE, add_listing, add_plan, order_body
from tests.conftest import Api, Projection

CENTER = "liaocheng.center"
FINANCE = "liaocheng.finance"
RULES = f"/sites/{SITE}/alert-rules"


def snapshot() -> list[str]:
    ddb = boto3.client("dynamodb")
    return sorted(
        json.dumps(i, sort_keys=True)
        for t in (get_tables().main, get_tables().audit)
        for i in ddb.scan(TableName=t)["Items"]
    )


def queue(api: Api, user: str, status: str = "open") -> list[dict[str, Any]]:
    code, body = api.call("GET", f"/sites/{SITE}/alerts?status={status}", as_user=user)
    assert code == 200, body
    return list(body["items"])


def test_thresholds_are_the_sites_and_within_their_ranges(api: Api) -> None:
    status, rules = api.call("GET", RULES, as_user=FINANCE)
    assert status == 200 and rules["version"] == 0 and rules["split_window_days"] == 30
    assert rules["effective_split_limit_fen"] > 0  # the site's 单笔订单限额 until the site sets another
    before = snapshot()
    for body, field in (
        ({"version": 0, "split_window_days": 0}, "split_window_days"),
        ({"version": 0, "concentration_share_bp": 12_000}, "concentration_share_bp"),
        ({"version": 0, "split_min_orders": 1}, "split_min_orders"),
    ):
        status, answer = api.call("PUT", RULES, body, as_user=CENTER)
        assert (status, answer["code"]) == (400, "THRESHOLD_OUT_OF_RANGE"), answer
        assert [d["field"] for d in answer["details"]] == [field] and "须在" in answer["message"]
    status, answer = api.call("PUT", RULES, {"version": 0, "split_window_days": 10}, as_user=FINANCE)
    assert status == 403
    assert snapshot() == before
    status, rules = api.call("PUT", RULES, {"version": 0, "split_window_days": 10}, as_user=CENTER)
    assert status == 200 and rules["version"] == 1 and rules["split_window_days"] == 10
    status, answer = api.call("PUT", RULES, {"version": 0, "split_window_days": 12}, as_user=CENTER)
    assert (status, answer["code"]) == (409, "THRESHOLDS_CHANGED")


def test_three_orders_under_the_limit_raise_one_splitting_alert_turned_into_a_finding(
    api: Api, suppliers_seeded: int, projection: Projection
) -> None:
    status, _ = api.call("PUT", RULES, {"version": 0, "split_limit_fen": 1_000_000}, as_user=CENTER)  # 1 万元
    assert status == 200
    plan = add_plan(5, budget_fen=5_000_000)
    paper = add_listing("supplier.demo", COPY_PAPER, "得力 A4 复印纸 70g", "DL-7055", 2_500, 1_000)
    placed = []
    for n in range(3):
        status, order = api.call(
            "POST",
            f"/sites/{SITE}/orders",
            order_body(plan, "supplier.demo", [(paper, 160)]),
            as_user="liaocheng.buyer",
        )
        assert status == 201 and order["total_fen"] == 400_000, order
        placed.append(order["order_no"])
        projection.drain()
        if n == 1:
            assert queue(api, FINANCE) == []  # 8,000 元: not above the limit yet

    found = {a["kind_label"]: a for a in queue(api, FINANCE)}
    assert set(found) == {"化整为零", "特供专供"}
    split = found["化整为零"]
    assert [o["order_no"] for o in split["evidence"]] == placed
    assert split["figures"] == {"orders": 3, "total_fen": 1_200_000, "limit_fen": 1_000_000}
    assert split["explanation"] == (
        "聊城市教育和体育局在 30 日内于“办公用品”（A05040000）下单 3 笔，"
        "单笔均低于 1.00 万元，合计 1.20 万元，超过该标准，疑似化整为零规避采购限额"
    )
    assert split["status_label"] == "待处理" and split["actions"] == ["acknowledge", "dismiss", "finding"]
    projection.drain()  # a repeat of the same changes raises nothing more
    assert len(queue(api, CENTER)) == 2

    url = f"/sites/{SITE}/alerts/{split['id']}/handle"
    before = snapshot()
    status, answer = api.call("POST", url, {"action": "finding", "reason": ""}, as_user=CENTER)
    assert (status, answer["code"]) == (400, "REASON_REQUIRED")
    status, _ = api.call("POST", url, {"action": "finding", "reason": "拆分采购规避限额"}, as_user="liaocheng.buyer")
    assert status == 403
    status, _ = api.call("POST", f"/sites/{SITE}/alerts/YJ0000000000000000/handle", {"action": "acknowledge"},
                         as_user=CENTER)  # fmt: skip
    assert status == 404
    assert snapshot() == before
    status, acked = api.call("POST", url, {"action": "acknowledge"}, as_user=FINANCE)
    assert status == 200 and acked["status_label"] == "跟踪中"
    conclusion = "经核查，三笔复印纸为同一批次需求拆分下单，认定化整为零，责令整改"
    status, done = api.call("POST", url, {"action": "finding", "reason": conclusion}, as_user=CENTER)
    assert status == 200 and done["status_label"] == "已立案" and done["handling"] == conclusion
    assert done["actions"] == []
    status, answer = api.call("POST", url, {"action": "dismiss", "reason": "误报情况说明"}, as_user=CENTER)
    assert (status, answer["code"]) == (409, "ALERT_STATUS_CONFLICT")
    assert [a["id"] for a in queue(api, FINANCE, "finding")] == [split["id"]]
    status, log = api.call("GET", f"/sites/{SITE}/audit?limit=10", as_user=FINANCE)
    labels = [e["action_label"] for e in log["items"]]
    assert "预警立案" in labels and "确认预警" in labels and "产生预警" in labels
