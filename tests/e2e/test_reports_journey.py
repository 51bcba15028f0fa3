"""The finance bureau's reports in the browser, on the real launcher.

The old mall's purchases come in through the command line (`python -m scheduled import-history`, against the
running mall's emulation, as an operator would run it); the stream rolls them up; 聊城's finance user opens 统计报表,
generates last year's report, watches its progress, checks a figure against the API and downloads the XLSX.
"""

from __future__ import annotations

import io
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, Playwright, expect

from chalicelib.domain.clock import china_date, utc_now
from tests.e2e.conftest import ROOT, Mall, clean_environment
from tests.e2e.test_order_journey import call, token_of
from tests.e2e.test_web_shell import login

pytestmark = pytest.mark.browser

SITE = "liaocheng"
LAST_YEAR_PURCHASES = 120
ROLLUP_TIMEOUT_S = 240  # the stream and its queue on a loaded machine


def _history_file(folder: Path, year: int) -> Path:
    """A sample export of the old mall (the app's own sample writer), 120 purchases last year and 60 the year before."""
    script = (
        "import sys\n"
        "from chalicelib.store.site_files import all_site_configs\n"
        "from scheduled import history_sample\n"
        f"site = next(s for s in all_site_configs() if s.id == '{SITE}')\n"
        f"rows = [*history_sample.purchases(site, {LAST_YEAR_PURCHASES}, {year}, seed=31),"
        f" *history_sample.purchases(site, 60, {year - 1}, seed=32, first_no=5000)]\n"
        "sys.stdout.write(history_sample.to_csv(rows))\n"
    )
    text = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    path = folder / "old-mall.csv"
    path.write_text(text, encoding="utf-8")
    return path


def _import(mall: Mall, path: Path) -> str:
    endpoint = mall.state_dir.with_name(f"{mall.state_dir.name}-endpoint").read_text(encoding="utf-8").strip()
    done = subprocess.run(
        [sys.executable, "-m", "scheduled", "--endpoint", endpoint, "import-history", "--site", SITE, str(path)],
        cwd=ROOT,
        env=clean_environment(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_finance_generates_checks_and_downloads_last_years_report(
    page: Page, mall: Mall, playwright: Playwright, tmp_path: Path, artifacts: Path
) -> None:
    year = china_date(utc_now()).year - 1
    out = _import(mall, _history_file(tmp_path, year))
    assert f"新导入 {LAST_YEAR_PURCHASES + 60} 个" in out, out

    api = playwright.request.new_context(base_url=mall.api)
    finance = token_of(api, f"{SITE}.finance")
    # Wait until the stream has rolled every imported purchase up: compile through the API until the figure shows.
    deadline = time.monotonic() + ROLLUP_TIMEOUT_S
    settled = (LAST_YEAR_PURCHASES, 60)
    projects = (-1, -1)
    while time.monotonic() < deadline and projects != settled:
        job = call(api, "POST", f"/sites/{SITE}/reports/{year}/jobs", finance)
        while job["status"] in ("queued", "running") and time.monotonic() < deadline:
            time.sleep(1)
            job = call(api, "GET", f"/sites/{SITE}/reports/{year}/jobs/{job['id']}", finance)
        detail = call(api, "GET", f"/sites/{SITE}/reports/{year}", finance)
        projects = (detail["report"]["totals"]["projects"], detail["report"]["totals"]["previous_projects"])
    assert projects == settled, f"the rollups did not settle: {projects}"

    login(page, mall, f"{SITE}.finance")
    page.locator(".el-menu-item", has_text="统计报表").click()
    expect(page.get_by_test_id("report-title")).to_contain_text(f"{year} 年度", timeout=30_000)
    # Regenerate from the page: the progress shows, then the report again.
    page.get_by_test_id("report-regenerate").click()
    expect(page.get_by_text("报表已生成")).to_be_visible(timeout=120_000)

    detail = call(api, "GET", f"/sites/{SITE}/reports/{year}", finance)
    totals = detail["report"]["totals"]
    expect(page.get_by_test_id("report-total-projects")).to_have_text(f"{totals['projects']:,}")
    yi = f"{totals['amount_fen'] / 10_000_000_000:.2f}"
    expect(page.get_by_test_id("report-total-amount")).to_have_text(yi)
    assert totals["projects_yoy"] == "100.00"  # 120 against 60 the year before
    expect(page.get_by_test_id("report-areas")).to_contain_text("市本级")
    expect(page.get_by_test_id("report-methods")).to_contain_text("二次竞价")
    page.set_viewport_size({"width": 1024, "height": 768})
    expect(page.get_by_test_id("report-areas")).to_contain_text("市本级")
    expect(page.get_by_test_id("report-total-amount")).to_be_in_viewport()
    page.screenshot(path=str(artifacts / "reports-liaocheng-finance-1024.png"), full_page=True)
    page.set_viewport_size({"width": 1440, "height": 900})

    with page.expect_download(timeout=60_000) as waiting:
        page.get_by_test_id("report-download-xlsx").click()
    download = waiting.value
    assert download.suggested_filename.endswith(".xlsx") and "聊城" in download.suggested_filename
    book = load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    sheet = book["统计报告"]
    assert f"{year} 年度" in str(sheet["A1"].value)
    cells = [c.value for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "价格形成机制" in cells and totals["projects"] in cells
    page.screenshot(path=str(artifacts / "reports-liaocheng-finance.png"), full_page=True)
