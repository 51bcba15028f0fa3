"""Public site configuration, and the operator changing limits and methods (audited)."""

from __future__ import annotations

from datetime import timedelta

from chalicelib.domain.clock import china_date, utc_now
from tests.conftest import Api, stop_execution

LIMITS = {"per_order_cap_fen": 60_000_000, "per_plan_cap_fen": 120_000_000, "annual_category_cap_fen": 300_000_000}


def _audit(api: Api, site: str = "liaocheng", user: str = "liaocheng.finance") -> list[dict]:  # type: ignore[type-arg]
    status, body = api.call("GET", f"/sites/{site}/audit?limit=100", as_user=user)
    assert status == 200, body
    return list(body["items"])


def test_sites_are_listed_publicly_in_division_code_order(api: Api) -> None:
    status, body = api.call("GET", "/sites")
    assert status == 200
    assert [s["id"] for s in body["items"]] == ["jinan", "zibo", "weihai", "rizhao", "linyi", "liaocheng"]
    liaocheng = body["items"][-1]
    assert liaocheng["look"]["title"] == "齐鲁云采·聊城市政府采购网上商城"
    assert liaocheng["division_code"] == "371500"


def test_public_config_of_a_site(api: Api) -> None:
    status, body = api.call("GET", "/sites/liaocheng/config")
    assert status == 200
    assert body["city_name"] == "聊城市" and body["catalog_edition"] == "2022"
    assert {d["short_name"] for d in body["districts"]} >= {"市本级", "莘县", "经开区", "度假区", "高新区"}
    assert [m["label"] for m in body["methods"]][:3] == ["直购", "竞价", "反拍"]
    assert body["limits"]["per_plan_cap_fen"] == 100_000_000
    assert body["version"] == 0


def test_unknown_and_malformed_site_ids(api: Api) -> None:
    status, body = api.call("GET", "/sites/qingdao/config")
    assert (status, body["code"]) == (404, "SITE_NOT_FOUND")
    assert "qingdao" in body["message"]
    for bad in ("LiaoCheng", "l", "liao-cheng", "a" * 30, "%E8%81%8A"):
        status, body = api.call("GET", f"/sites/{bad}/config")
        assert (status, body["code"]) == (400, "INVALID_SITE_ID"), bad


def test_operator_changes_limits_now_with_an_audit_event(api: Api) -> None:
    status, body = api.call(
        "PUT", "/sites/liaocheng/limits", {**LIMITS, "expected_version": 0}, as_user="liaocheng.center"
    )
    assert status == 200, body
    assert body == {"applied": True, "site_version": 1, "change": None}
    status, config = api.call("GET", "/sites/liaocheng/config")
    assert config["limits"] == LIMITS and config["version"] == 1
    event = _audit(api)[0]
    assert event["action"] == "site.limits.changed"
    assert event["actor"]["username"] == "liaocheng.center" and event["actor"]["role"] == "center_admin"
    assert event["before"]["per_order_cap_fen"] == 80_000_000
    assert event["after"] == LIMITS
    assert event["context"]["changed"]["per_order_cap_fen"] == {"before": 80_000_000, "after": 60_000_000}
    assert event["at"].endswith("Z") and event["request_id"]


def test_a_stale_version_is_a_conflict_and_changes_nothing(api: Api) -> None:
    api.call("PUT", "/sites/liaocheng/limits", {**LIMITS, "expected_version": 0}, as_user="liaocheng.center")
    before = _audit(api)
    status, body = api.call(
        "PUT",
        "/sites/liaocheng/limits",
        {**LIMITS, "per_order_cap_fen": 1, "expected_version": 0},
        as_user="province.admin",
    )
    assert (status, body["code"]) == (409, "VERSION_CONFLICT")
    assert body["details"] == {"current_version": 1}
    assert _audit(api) == before
    assert api.call("GET", "/sites/liaocheng/config")[1]["limits"] == LIMITS


def test_limits_that_do_not_nest_are_refused(api: Api) -> None:
    bad = {"per_order_cap_fen": 200_000_000, "per_plan_cap_fen": 100_000_000, "annual_category_cap_fen": 300_000_000}
    status, body = api.call("PUT", "/sites/liaocheng/limits", bad, as_user="liaocheng.center")
    assert (status, body["code"]) == (422, "LIMITS_INVALID")
    assert "单笔订单限额（200.00 万元）不能高于单个计划限额（100.00 万元）" in body["message"]
    assert [d["field"] for d in body["details"]] == ["per_order_cap_fen"]
    assert api.call("GET", "/sites/liaocheng/config")[1]["version"] == 0


def test_methods_change_is_audited_and_other_sites_untouched(api: Api) -> None:
    status, body = api.call("PUT", "/sites/weihai/methods", {"methods": ["bidding", "direct"]}, as_user="weihai.center")
    assert status == 200, body
    status, config = api.call("GET", "/sites/weihai/config")
    assert [m["code"] for m in config["methods"]] == ["direct", "bidding"]
    event = _audit(api, "weihai", "weihai.finance")[0]
    assert event["action"] == "site.methods.changed"
    assert event["after"] == {"methods": ["direct", "bidding"]}
    assert [e["action"] for e in _audit(api, "liaocheng") if e["entity_type"] == "site"] == ["site.seeded"]


def test_a_future_effective_date_schedules_the_change(api: Api, aws: dict[str, str]) -> None:
    import boto3

    tomorrow = china_date(utc_now() + timedelta(days=1)).isoformat()
    status, body = api.call(
        "PUT", "/sites/liaocheng/limits", {**LIMITS, "effective_date": tomorrow}, as_user="liaocheng.center"
    )
    assert status == 200, body
    assert body["applied"] is False and body["site_version"] == 0
    change = body["change"]
    assert change["status"] == "pending" and change["effective_date"] == tomorrow
    assert change["effective_at"].endswith("T16:00:00.000Z")  # 00:00 China time
    # Nothing changed yet.
    assert api.call("GET", "/sites/liaocheng/config")[1]["limits"]["per_order_cap_fen"] == 80_000_000
    # A timer execution waits for the day.
    sfn = boto3.client("stepfunctions")
    executions = sfn.list_executions(stateMachineArn=aws["DEADLINE_STATE_MACHINE_ARN"])["executions"]
    assert [e["name"] for e in executions] == [f"site-change-{change['id']}"]
    status, listed = api.call("GET", "/sites/liaocheng/changes", as_user="liaocheng.finance")
    assert [c["id"] for c in listed["items"]] == [change["id"]]
    assert _audit(api)[0]["action"] == "site.limits.scheduled"
    stop_execution(executions[0]["executionArn"])


def test_cancelling_a_scheduled_change(api: Api) -> None:
    tomorrow = china_date(utc_now() + timedelta(days=2)).isoformat()
    _, body = api.call(
        "PUT",
        "/sites/liaocheng/methods",
        {"methods": ["direct"], "effective_date": tomorrow},
        as_user="liaocheng.center",
    )
    change_id = body["change"]["id"]
    status, cancelled = api.call("DELETE", f"/sites/liaocheng/changes/{change_id}", as_user="liaocheng.center")
    assert status == 200 and cancelled["status"] == "cancelled"
    status, again = api.call("DELETE", f"/sites/liaocheng/changes/{change_id}", as_user="liaocheng.center")
    assert (status, again["code"]) == (409, "CHANGE_NOT_PENDING")
    status, missing = api.call("DELETE", "/sites/liaocheng/changes/" + "f" * 32, as_user="liaocheng.center")
    assert (status, missing["code"]) == (404, "CHANGE_NOT_FOUND")
    assert [e["action"] for e in _audit(api)[:2]] == ["site.methods.schedule_cancelled", "site.methods.scheduled"]


def test_audit_timeline_pages_with_a_cursor(api: Api) -> None:
    for version in range(3):
        api.call("PUT", "/sites/zibo/limits", {**LIMITS, "per_order_cap_fen": 1000 + version}, as_user="zibo.center")
    status, page1 = api.call("GET", "/sites/zibo/audit?limit=2", as_user="zibo.finance")
    assert status == 200 and len(page1["items"]) == 2 and page1["next_cursor"]
    status, page2 = api.call("GET", f"/sites/zibo/audit?limit=2&cursor={page1['next_cursor']}", as_user="zibo.finance")
    assert status == 200
    actions = [e["action"] for e in page1["items"] + page2["items"]]
    assert actions[:3] == ["site.limits.changed"] * 3
    assert set(actions[3:]) <= {"site.seeded", "buyer_org.seeded"}
    assert page2["next_cursor"] is None or page2["items"]
    # A cursor cannot be pointed at another site's timeline.
    status, body = api.call("GET", f"/sites/liaocheng/audit?cursor={page1['next_cursor']}", as_user="province.admin")
    assert (status, body["code"]) == (400, "INVALID_CURSOR")
    status, body = api.call("GET", "/sites/zibo/audit?cursor=bm90LWpzb24", as_user="zibo.finance")
    assert (status, body["code"]) == (400, "INVALID_CURSOR")


def test_the_log_is_labelled_filtered_and_exported(api: Api) -> None:
    import io
    from datetime import timedelta

    import openpyxl
    import requests

    from chalicelib.domain.clock import china_date, utc_now

    api.call("PUT", "/sites/zibo/limits", {**LIMITS, "per_order_cap_fen": 60_000_000}, as_user="zibo.center")
    api.call("PUT", "/sites/zibo/methods", {"methods": ["direct", "bidding"]}, as_user="zibo.center")
    status, log = api.call("GET", "/sites/zibo/audit?limit=100", as_user="zibo.finance")
    assert status == 200
    for event in log["items"]:  # the server names everything it stores
        words = [event["entity_label"], event["action_label"], event["actor"]["role_label"]]
        words += [c["label"] for c in event["changes"]]
        assert "其他" not in words, event
    limits = next(e for e in log["items"] if e["action"] == "site.limits.changed")
    assert (limits["action_label"], limits["entity_label"], limits["actor"]["role_label"]) == (
        "修改采购限额",
        "站点配置",
        "采购中心",
    )
    assert {
        "field": "per_order_cap_fen",
        "label": "单笔订单限额",
        "before": "50.00 万元",
        "after": "60.00 万元",
    } in (limits["changes"])
    # Filters: by who, what kind of object, which action, which days (China dates).
    today = china_date(utc_now())

    def actions(query: str) -> list[str]:
        status, body = api.call("GET", f"/sites/zibo/audit?{query}", as_user="zibo.finance")
        assert status == 200, body
        return [e["action"] for e in body["items"]]

    assert actions("actor=zibo.center") == ["site.methods.changed", "site.limits.changed"]
    assert actions("action=site.limits.changed") == ["site.limits.changed"]
    assert set(actions("entity_type=site")) == {"site.methods.changed", "site.limits.changed", "site.seeded"}
    assert actions(f"actor=zibo.center&first_day={today}&last_day={today}") == [
        "site.methods.changed",
        "site.limits.changed",
    ]
    assert actions(f"first_day={today + timedelta(days=1)}") == []
    assert actions("actor=zibo.center&limit=1") == ["site.methods.changed"]
    status, body = api.call(
        "GET", f"/sites/zibo/audit?first_day={today}&last_day={today - timedelta(days=1)}", as_user="zibo.finance"
    )
    assert (status, body["code"]) == (400, "VALIDATION_FAILED") and "起始日期不能晚于截止日期" in body["message"]
    status, body = api.call("GET", "/sites/zibo/audit?action=<script>", as_user="zibo.finance")
    assert status == 400 and "操作：格式不正确" in body["message"]
    status, options = api.call("GET", "/sites/zibo/audit/options", as_user="zibo.finance")
    assert {"code": "order", "label": "订单"} in options["entity_types"]
    assert {"code": "order.followup_closed", "label": "差评回访办结", "entity_type": "order"} in options["actions"]
    # The export: the filtered rows, in Chinese, by signed link.
    status, exported = api.call(
        "POST", "/sites/zibo/audit/export?actor=zibo.center&format=xlsx", {}, as_user="zibo.finance"
    )
    assert status == 200, exported
    assert exported["rows"] == 2 and not exported["truncated"] and exported["file_name"].endswith(".xlsx")
    book = openpyxl.load_workbook(io.BytesIO(requests.get(exported["url"], timeout=10).content))
    sheet = book.active
    assert sheet["A1"].value == "淄博审计日志" and "操作人 zibo.center" in sheet["A2"].value
    assert [c.value for c in sheet[4]][:8] == ["时间", "操作人", "用户名", "单位", "角色", "对象", "对象编号", "操作"]
    assert [sheet.cell(row=r, column=8).value for r in (5, 6)] == ["修改采购方式", "修改采购限额"]
    assert "单笔订单限额：50.00 万元 → 60.00 万元" in sheet.cell(row=6, column=10).value
    status, exported = api.call("POST", "/sites/zibo/audit/export?format=csv", {}, as_user="zibo.center")
    assert status == 200 and requests.get(exported["url"], timeout=10).content.startswith("\ufeff时间".encode())
    status, body = api.call("POST", "/sites/zibo/audit/export", {}, as_user="zibo.buyer")
    assert status == 403
