"""Statistics: history import, exact rollups, compiled reports in S3, downloads and their bad input."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
import requests

from chalicelib.domain.clock import china_date, utc_now
from chalicelib.domain.history import order_no_for
from chalicelib.domain.reports import Period
from chalicelib.store.models import AuditItem, OrderItem
from scheduled import history_sample
from scheduled.history_import import run_import
from tests.api.orders_support import COPY_PAPER, SITE, add_listing, add_plan, order_body
from tests.conftest import Api, Projection, invoke


class _Quiet:
    def __init__(self, *_args: Any) -> None: ...
    def advance(self, count: int = 1) -> None: ...
    def close(self) -> None: ...


def quiet(_label: str, _total: int) -> Any:
    return _Quiet()


def site_config() -> Any:
    from chalicelib.store.sites import DynamoSiteStore

    site = DynamoSiteStore().get(SITE)
    assert site is not None
    return site


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def imported(path: Path, **options: Any) -> Any:
    out = io.StringIO()
    result = run_import(path, SITE, out=out, progress=quiet, **options)
    return result, out.getvalue()


def orders_stored() -> int:
    return sum(1 for _ in OrderItem.scan())


def compile_now(
    api: Api, period: str, user: str = "liaocheng.finance", scope: str = f"/sites/{SITE}"
) -> dict[str, Any]:
    """Ask for a compilation, let the stream run it, and read the report back through the API."""
    status, job = api.call("POST", f"{scope}/reports/{period}/jobs", as_user=user)
    assert status == 202, job
    assert job["status"] == "queued" and job["status_label"] == "排队中"
    return job


# ---------------------------------------------------------------- history import


def test_a_file_with_errors_imports_nothing_and_names_each_row(seeded: Any, tmp_path: Path) -> None:
    site = site_config()
    rows = list(history_sample.purchases(site, 6, 2025, seed=7))
    rows[1]["lines"][0]["category"] = "不存在的品目"
    rows[2]["lines"][0]["amount_yuan"] = "-12.00"
    rows[3]["deal_date"] = "2031-01-01"
    rows[4]["buyer_uscc"] = rows[4]["buyer_uscc"][:-1] + ("0" if rows[4]["buyer_uscc"][-1] != "0" else "1")
    before = orders_stored()
    result, out = imported(write(tmp_path, "old.jsonl", history_sample.to_jsonl(rows)))
    assert not result.written and orders_stored() == before
    by_line = {p.line: p for p in result.problems}
    assert "未知品目“不存在的品目”" in by_line[2].message and by_line[2].field == "category"
    assert "金额不能为负数" in by_line[3].message
    assert "晚于今天" in by_line[4].message and by_line[4].field == "deal_date"
    assert "校验位" in by_line[5].message and by_line[5].field == "buyer_uscc"
    assert "第 2 行（category）" in out and "未导入任何数据" in out

    result, out = imported(write(tmp_path, "old.jsonl", history_sample.to_jsonl(rows)), skip_bad=True)
    assert result.written and result.imported == 2 and orders_stored() == before + 2
    assert "跳过有错误的 4 处" in out


def test_import_is_idempotent_and_marks_purchases_as_imported(api: Api, seeded: Any, tmp_path: Path) -> None:
    site = site_config()
    rows = list(history_sample.purchases(site, 30, 2025, seed=3))
    path = write(tmp_path, "old.csv", history_sample.to_csv(rows))
    result, _ = imported(path, year=2025)
    assert (result.imported, result.unchanged, result.problems) == (30, 0, [])
    events = [i.data for i in AuditItem.scan() if i.data["entity_type"] == "history_import"]
    assert len(events) == 1 and "历史导入 30 个订单" in events[0]["summary"]
    again, out = imported(path, year=2025)
    assert (again.imported, again.unchanged, again.written) == (0, 30, True) and orders_stored() == 30
    assert len([i for i in AuditItem.scan() if i.data["entity_type"] == "history_import"]) == 1
    assert "已导入且相同 30 个" in out

    # The same order number with other content is refused with its row, nothing written.
    rows[0]["lines"][0]["quantity"] += 1
    changed, out = imported(write(tmp_path, "changed.jsonl", history_sample.to_jsonl(rows)))
    assert not changed.written and changed.problems[0].line == 1 and "已导入且内容不同" in changed.problems[0].message

    # A year outside --year, in CSV: the row's line number counts the header.
    rows = list(history_sample.purchases(site, 2, 2024, seed=9))
    outside, _ = imported(write(tmp_path, "y.csv", history_sample.to_csv(rows)), year=2025)
    assert [p.line for p in outside.problems][:1] == [2] and "不在导入年度 2025 年内" in outside.problems[0].message

    # Shown as 历史导入 to the operator, with no actions.
    no = order_no_for(SITE, history_sample.purchases(site, 1, 2025, seed=3).__next__()["order_no"])
    status, order = api.call("GET", f"/sites/{SITE}/orders/{no}", as_user="liaocheng.center")
    assert status == 200, order
    assert order["source"]["kind"] == "history" and order["actions"] == []
    assert order["status"] == "settled"


# ---------------------------------------------------------------- rollups and reports


def _mall_order(api: Api) -> str:
    from scheduled import demo_market

    demo_market.seed_demo_suppliers(seeded_pool())
    plan = add_plan(1, budget_fen=1_000_000)
    paper = add_listing("supplier.demo", COPY_PAPER, "得力 A4 复印纸 70g", "DL-7055", 2_500, 100)
    status, order = api.call(
        "POST", f"/sites/{SITE}/orders", order_body(plan, "supplier.demo", [(paper, 10)]), as_user="liaocheng.buyer"
    )
    assert status == 201, order
    return str(order["order_no"])


def order_change(order_no: str) -> Any:
    """The order's item as a stream record would carry it."""
    import boto3
    from boto3.dynamodb.types import TypeDeserializer

    from chalicelib.config import get_tables
    from chalicelib.lambdas import Change

    raw = boto3.client("dynamodb").get_item(
        TableName=get_tables().main, Key={"pk": {"S": f"{SITE}#ORDER#{order_no}"}, "sk": {"S": "ORDER"}}
    )["Item"]
    image = {k: TypeDeserializer().deserialize(v) for k, v in raw.items()}
    return Change("test", "MODIFY", "order", {"pk": image["pk"], "sk": image["sk"]}, image, image)


def roll_up(change: Any) -> None:
    from chalicelib.handlers.stats_tasks import roll_up as consumer
    from scheduled.emulation import acting_as

    with acting_as("consume_stats_rollup"):
        consumer(change)


def seeded_pool() -> str:
    import os

    return os.environ["USER_POOL_ID"]


def test_rollups_count_once_and_leave_with_a_late_correction(api: Api, projection: Projection, tmp_path: Path) -> None:
    site = site_config()
    rows = list(history_sample.purchases(site, 40, china_date(utc_now()).year - 1, seed=11))
    imported(write(tmp_path, "old.jsonl", history_sample.to_jsonl(rows)))
    no = _mall_order(api)
    projection.drain()
    year = china_date(utc_now()).year
    from chalicelib.domain.stats import compose
    from chalicelib.wiring import stores

    def totals(y: int) -> tuple[int, int]:
        rollup = compose(stores().rollups.days(SITE, f"{y}-01-01", f"{y}-12-31"))
        return rollup.get("t", "n"), rollup.get("t", "amt")

    last_year = sum(int(line["amount_yuan"].replace(".", "")) for r in rows for line in r["lines"])
    assert totals(year - 1) == (40, last_year)
    assert totals(year) == (0, 0)  # placed, not yet confirmed: not a deal

    assert api.call("POST", f"/sites/{SITE}/orders/{no}/confirm", {}, as_user="supplier.demo")[0] == 200
    projection.drain()
    assert totals(year) == (1, 25_000)

    # The stream re-read from its start adds nothing (SQS's FIFO deduplication aside: handed to the consumer
    # directly, the same change twice, and an older version after a newer one, add nothing either).
    projection.pump.start_at("TRIM_HORIZON")
    projection.drain()
    current = order_change(no)
    roll_up(current)
    roll_up(current)
    older = json.loads(current.new["data"])  # type: ignore[index]
    roll_up(
        current._replace(
            new={**current.new, "data": json.dumps({**older, "version": 1, "status": "pending_confirmation"})}
        )
    )  # type: ignore[dict-item]
    assert totals(year) == (1, 25_000) and totals(year - 1) == (40, last_year)

    # A late correction: the supplier ships, the buyer asks to terminate, the operator approves; the deal leaves.
    assert (
        api.call(
            "POST",
            f"/sites/{SITE}/orders/{no}/ship",
            {"carrier": "顺丰速运", "waybill_no": "SF1402675318"},
            as_user="supplier.demo",
        )[0]
        == 200
    )
    status, _ = api.call(
        "POST", f"/sites/{SITE}/orders/{no}/termination", {"reason": "项目取消，申请终止"}, as_user="liaocheng.buyer"
    )
    assert status == 200, _
    status, _ = api.call(
        "POST",
        f"/sites/{SITE}/orders/{no}/termination/decision",
        {"approve": True, "decision": "同意终止"},
        as_user="liaocheng.center",
    )
    assert status == 200, _
    projection.drain()
    assert totals(year) == (0, 0)


def test_finance_compiles_lists_and_downloads_its_reports(api: Api, projection: Projection, tmp_path: Path) -> None:
    site = site_config()
    year = china_date(utc_now()).year - 1
    rows = list(history_sample.purchases(site, 120, year, seed=5))
    rows += list(history_sample.purchases(site, 60, year - 1, seed=6, first_no=1000))
    imported(write(tmp_path, "old.jsonl", history_sample.to_jsonl(rows)))
    projection.drain()

    status, missing = api.call("GET", f"/sites/{SITE}/reports/{year}", as_user="liaocheng.finance")
    assert status == 404 and missing["code"] == "REPORT_NOT_FOUND" and "尚未生成" in missing["message"]
    job = compile_now(api, str(year))
    projection.drain()
    status, done = api.call("GET", f"/sites/{SITE}/reports/{year}/jobs/{job['id']}", as_user="liaocheng.finance")
    assert status == 200 and done["status"] == "done" and done["progress"] == 100, done

    status, detail = api.call("GET", f"/sites/{SITE}/reports/{year}", as_user="liaocheng.finance")
    assert status == 200, detail
    report = detail["report"]
    this_year = [r for r in rows if r["deal_date"].startswith(str(year))]
    amount = sum(int(line["amount_yuan"].replace(".", "")) for r in this_year for line in r["lines"])
    budget = sum(int(r["budget_yuan"].replace(".", "")) for r in this_year)
    totals = report["totals"]
    assert (totals["projects"], totals["amount_fen"], totals["savings_fen"]) == (120, amount, budget - amount)
    assert totals["imported_projects"] == 120 and totals["projects_yoy"] == "100.00"  # 120 against 60
    # Every table splits the same deals.
    assert sum(r["projects"] for r in report["areas"]["rows"]) == 120
    assert sum(report["methods"]["rows"][0]["amount_fen"]) == amount
    assert sum(r["amount_fen"] for r in report["categories"]["rows"]) == amount
    assert [c["mechanism_label"] for c in report["methods"]["columns"]][:6] == [
        "直购",
        "竞价",
        "反拍",
        "优惠率",
        "直接选定",
        "二次竞价",
    ]
    assert report["areas"]["rows"][-1]["name"] == "市本级" and "rank" not in report["areas"]["rows"][-1]
    assert len(report["top_buyers"]) == 10 and report["top_buyers"][0]["rank"] == 1

    files = detail["downloads"]
    assert set(files) == {"json", "csv", "xlsx", "html", "pdf"}
    pdf = requests.get(files["pdf"]["url"], timeout=10).content
    assert pdf.startswith(b"%PDF-") and b"STSong-Light" in pdf and pdf.count(b"/Type /Page\n") >= 2
    xlsx = requests.get(files["xlsx"]["url"], timeout=10)
    assert xlsx.status_code == 200 and "attachment" in xlsx.headers.get("Content-Disposition", "")
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(xlsx.content))
    sheet = book["统计报告"]
    cells = {(c.row, c.column): c.value for row in sheet.iter_rows() for c in row if c.value is not None}
    method_title = next(
        r for (r, col), v in cells.items() if col == 1 and isinstance(v, str) and v.endswith("采购方式")
    )
    assert cells[(method_title + 1, 1)] == "采购方式" and cells[(method_title + 2, 1)] == "价格形成机制"
    merged = {str(m) for m in sheet.merged_cells.ranges}
    assert f"C{method_title + 1}:E{method_title + 1}" in merged  # 超市采购 over 直购、竞价、反拍
    assert cells[(method_title + 1, 3)] == "超市采购"
    total_row = next(r for (r, col), v in cells.items() if col == 1 and v == "项目数（个）")
    assert cells[(total_row + 1, 1)] == 120
    assert cells[(total_row + 1, 2)] == pytest.approx(round(amount / 10_000_000_000, 2))
    csv_body = requests.get(files["csv"]["url"], timeout=10).content
    assert csv_body.startswith(b"\xef\xbb\xbf") and "价格形成机制" in csv_body.decode("utf-8-sig")
    page = requests.get(files["html"]["url"], timeout=10).content.decode("utf-8")
    assert "网上超市占比" in page and "<svg" in page and "第 " in page

    status, listing = api.call("GET", f"/sites/{SITE}/reports", as_user="liaocheng.finance")
    assert status == 200 and [e["period"] for e in listing["items"]] == [str(year)]

    # The hourly schedule compiles every month that changed and the province.
    result = invoke("compile_reports", {"source": "aws.events"})
    assert result["failed"] == 0 and result["compiled"] >= 3
    status, province = api.call("GET", f"/province/reports/{year}", as_user="province.admin")
    assert status == 200, province
    assert province["report"]["totals"]["projects"] == 120
    assert {r["code"] for r in province["report"]["areas"]["rows"]} >= {SITE}
    status, months = api.call("GET", f"/sites/{SITE}/reports", as_user="liaocheng.finance")
    assert len(months["items"]) > 2


def test_report_requests_refuse_bad_periods_other_sites_and_unknown_jobs(api: Api) -> None:
    future = f"{china_date(utc_now()).year + 1}"
    for period, code in (
        ("2024-13", "PERIOD_INVALID"),
        ("24", "PERIOD_INVALID"),
        (future, "PERIOD_IN_FUTURE"),
        ("1999", "PERIOD_INVALID"),
    ):
        status, body = api.call("GET", f"/sites/{SITE}/reports/{period}", as_user="liaocheng.finance")
        assert (status, body["code"]) == (400, code), (period, body)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"])
    status, body = api.call("GET", "/sites/weihai/reports/2024", as_user="liaocheng.finance")
    assert (status, body["code"]) == (403, "FORBIDDEN_TENANT")
    status, body = api.call("GET", "/province/reports/2024", as_user="liaocheng.finance")
    assert (status, body["code"]) == (403, "FORBIDDEN_ROLE")
    status, body = api.call("GET", f"/sites/{SITE}/reports/2024", as_user="liaocheng.buyer")
    assert (status, body["code"]) == (403, "FORBIDDEN_ROLE")
    status, body = api.call("GET", f"/sites/{SITE}/reports/2024/jobs/nope", as_user="liaocheng.finance")
    assert (status, body["code"]) == (404, "REPORT_JOB_NOT_FOUND")
    status, body = api.call("POST", f"/sites/{SITE}/reports/{future}/jobs", as_user="liaocheng.finance")
    assert status == 400
    first = compile_now(api, "2025")
    status, body = api.call("POST", f"/sites/{SITE}/reports/2025/jobs", as_user="liaocheng.finance")
    assert (status, body["code"]) == (409, "REPORT_JOB_RUNNING") and body["details"]["job"]["id"] == first["id"]


def test_a_failed_compile_keeps_the_previous_report(
    api: Api, projection: Projection, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = compile_now(api, "2025")
    projection.drain()
    status, before = api.call("GET", f"/sites/{SITE}/reports/2025", as_user="liaocheng.finance")
    assert status == 200
    from chalicelib.domain import report_outputs

    def broken(_report: Any) -> bytes:
        raise RuntimeError("xlsx writer broke")

    monkeypatch.setattr(report_outputs, "to_xlsx", broken)
    job = compile_now(api, "2025")
    projection.drain()
    status, failed = api.call("GET", f"/sites/{SITE}/reports/2025/jobs/{job['id']}", as_user="liaocheng.finance")
    assert failed["status"] == "failed" and "已保留上一版本" in failed["message"], failed
    status, after = api.call("GET", f"/sites/{SITE}/reports/2025", as_user="liaocheng.finance")
    assert after["entry"]["compile_id"] == before["entry"]["compile_id"]
    assert after["job"]["status"] == "failed"
    assert Period(2025).text == "2025"
    assert json.dumps(after["report"])  # the previous report still reads


def test_ratings_and_follow_ups_count_once_in_the_report(api: Api, projection: Projection) -> None:
    """Ratings and follow-ups reach the rollups through the same exact path: a repeat counts nothing."""
    from chalicelib.domain.stats import compose
    from chalicelib.lambdas import Change
    from chalicelib.wiring import stores

    at = "2025-06-01T02:00:00Z"
    ratings = [("supplier", 5), ("supplier", 2), ("mall", 4)]
    for i, (target, stars) in enumerate(ratings):
        data = {"site_id": SITE, "order_no": f"YC2025060100000000{i:02d}", "target": target, "stars": stars, "at": at}
        change = Change(
            f"r{i}", "INSERT", "rating", {"pk": "x", "sk": "y"}, None, {"data": json.dumps(data), "kind": "rating"}
        )
        roll_up(change)
        roll_up(change)  # delivered twice
    followup = {
        "site_id": SITE,
        "order_no": "YC202506010000000001",
        "target": "supplier",
        "opened_at": at,
        "status": "open",
    }
    roll_up(Change("f1", "INSERT", "followup", {}, None, {"data": json.dumps(followup)}))
    closed = {**followup, "status": "closed", "reached": True, "satisfaction": "satisfied"}
    roll_up(Change("f2", "MODIFY", "followup", {}, None, {"data": json.dumps(closed)}))
    unreached = {**followup, "order_no": "YC202506010000000002", "status": "closed", "reached": False}
    roll_up(Change("f3", "INSERT", "followup", {}, None, {"data": json.dumps(unreached)}))
    rollup = compose(stores().rollups.days(SITE, "2025-06-01", "2025-06-01"))
    assert (
        rollup.get("rt", "supplier", "n"),
        rollup.get("rt", "supplier", "good"),
        rollup.get("rt", "mall", "good"),
    ) == (2, 1, 1)
    assert (rollup.get("fu", "n"), rollup.get("fu", "closed"), rollup.get("fu", "reached")) == (2, 2, 1)
    job = compile_now(api, "2025-06")
    projection.drain()
    status, detail = api.call("GET", f"/sites/{SITE}/reports/2025-06", as_user="liaocheng.finance")
    assert status == 200, (job, detail)
    assert detail["report"]["ratings"]["good_rate"] == "66.67"  # 2 good of 3 (supplier and mall ratings)
    assert detail["report"]["ratings"]["followups_closed"] == 2
    # 回访满意率 is computed: one reached and satisfied, the unreached call is not in it.
    assert detail["report"]["ratings"]["followup_satisfaction"] == "100.00"


def test_backfill_rebuilds_a_years_rollups_from_the_stored_purchases(
    api: Api, projection: Projection, tmp_path: Path
) -> None:
    import boto3

    from chalicelib.config import get_settings
    from chalicelib.domain.stats import compose
    from chalicelib.wiring import stores
    from scheduled.backfill import run_backfill

    site = site_config()
    rows = list(history_sample.purchases(site, 50, 2025, seed=51))
    imported(write(tmp_path, "old.jsonl", history_sample.to_jsonl(rows)))
    projection.drain()

    def year_totals() -> tuple[int, int]:
        rollup = compose(stores().rollups.pieces(SITE, "2025-01-01", "2025-12-31"))
        return rollup.get("t", "n"), rollup.get("t", "amt")

    expected = (50, sum(int(line["amount_yuan"].replace(".", "")) for r in rows for line in r["lines"]))
    assert year_totals() == expected
    # The year's items lost or wrong (a bad deploy, a manual edit): the backfill recomputes them from the orders.
    ddb = boto3.client("dynamodb")
    table = get_settings().stats_table
    ddb.update_item(
        TableName=table,
        Key={"pk": {"S": f"{SITE}#ROLLUP#Y#2025"}, "sk": {"S": "Y#2025#core"}},
        UpdateExpression="ADD #n :x",
        ExpressionAttributeNames={"#n": "t|n"},
        ExpressionAttributeValues={":x": {"N": "7"}},
    )
    assert year_totals() != expected
    out = io.StringIO()
    result = run_backfill(SITE, 2025, out=out, progress=quiet)
    assert year_totals() == expected and result["orders"] == 50 and result["reports"] == 13
    assert "重算订单 50 个" in out.getvalue()
    with pytest.raises(SystemExit):
        run_backfill(SITE, 2099, out=out, progress=quiet)


def test_market_figures_count_suppliers_with_listings_on_sale_and_their_scale_and_ownership(api: Api) -> None:
    import os

    from chalicelib.domain.sme import Scale
    from chalicelib.domain.suppliers import Ownership
    from chalicelib.store.market import market_figures
    from chalicelib.wiring import stores
    from scheduled import demo_market

    demo_market.seed_demo_suppliers(os.environ["USER_POOL_ID"])
    add_listing("supplier.demo", COPY_PAPER, "得力 A4 复印纸 70g", "DL-7055", 2_500, 100)
    add_listing("supplier.demo", "LC-0101", "得力 中性笔 0.5mm", "DL-S01", 250, 1_000)
    add_listing("supplier.lc02", COPY_PAPER, "晨光 A4 复印纸 70g", "CG-APYVQ", 2_400, 50)
    market = market_figures([SITE])
    assert (market.suppliers, market.listings) == (2, 3)
    profiles = [
        s.profile for s in stores().suppliers.get_many([_uscc("supplier.demo"), _uscc("supplier.lc02")]).values()
    ]
    assert market.small_micro_suppliers == sum(p.scale in (Scale.SMALL, Scale.MICRO) for p in profiles)
    assert market.private_suppliers == sum(p.ownership is Ownership.PRIVATE for p in profiles)


def _uscc(username: str) -> str:
    from tests.api.orders_support import supplier_code

    return supplier_code(username)
