"""竞价 and 反拍 in the browser, on the real launcher: the buyer launches from a plan, three suppliers quote, the state
machine closes at the deadline, the ranking explains itself, the winner confirms and the award is an order; then a
反拍 with a late bid that extends it, to its award.

The set-up goes through the API (three active suppliers with a listing of 胶带 each, an accepted plan, and the site
operator shortening the site's minimum response time and auction length so that the test waits minutes, not hours).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from playwright.sync_api import APIRequestContext, Page, Playwright, expect

from chalicelib.domain.uscc import make_uscc
from tests.e2e.conftest import Mall
from tests.e2e.test_order_journey import call, register_listing_supplier, token_of
from tests.e2e.test_supplier_journey import catalog_has, logout
from tests.e2e.test_web_shell import login

pytestmark = pytest.mark.browser

SITE = "liaocheng"
CHINA = timezone(timedelta(hours=8))
PASSWORD = "Bidding2026shop"
SUPPLIERS = (
    ("lq.tape.a", "临清市甲辰文具有限公司", make_uscc("91", "371581", "MA3P6Q7A1"), 920),
    ("lq.tape.b", "聊城市乙巳办公用品有限公司", make_uscc("91", "371502", "MA3P6Q7B2"), 880),
    ("lq.tape.c", "东阿县丙午商贸有限公司", make_uscc("91", "371524", "MA3P6Q7C3"), 960),
)
CLOSE_TIMEOUT = 240_000  # ms: the deadline, then the timer's wake on a loaded machine


def supplier_with_tape(api: APIRequestContext, mall: Mall, username: str, name: str, uscc: str, i: int) -> None:
    register_listing_supplier(
        api,
        mall,
        {
            "username": username,
            "password": PASSWORD,
            "uscc": uscc,
            "name": name,
            "legal_representative": f"王{'甲乙丙'[i]}",
            "registered_address": "聊城市东昌府区花园北路 1 号",
            "home_district": uscc[2:8],
            "ownership": "private",
            "scale": "micro",
            "declaration": {"industry": "retail", "employees": 6, "revenue_fen": 120_000_000, "assets_fen": 40_000_000},
            "contact": {"name": f"王{'甲乙丙'[i]}", "phone": f"1390635246{i}", "email": f"{username}@example.com"},
        },
        {
            "category_id": "LC-0102",  # 胶带 → A05040401
            "name": f"{name[:4]} 封箱胶带 48mm×100m",
            "brand": name[:4],
            "model": f"FX-{i}",
            "specs": [{"name": "宽度", "value": "48mm"}],
            "price_fen": 3_000 + i,
            "reference_price_fen": 4_200,
            "reference_source": "京东自营 2026-11-20",
            "stock": 500,
            "images": [],
            "certificates": [],
        },
    )


def set_up(api: APIRequestContext, mall: Mall) -> str:
    center = token_of(api, "liaocheng.center")
    config = call(api, "GET", f"/sites/{SITE}/config")
    rules = {
        **config["bidding"],
        "bidding_min_response_minutes": 1,
        "auction_minutes": 1,
        "auction_extension_window_minutes": 1,
        "auction_extension_minutes": 1,
    }
    changed = call(api, "PUT", f"/sites/{SITE}/bidding", center, rules)
    assert changed["applied"], changed
    for i, (username, name, uscc, _) in enumerate(SUPPLIERS):
        supplier_with_tape(api, mall, username, name, uscc, i)
    today = datetime.now(CHINA).date()
    plan = call(
        api,
        "POST",
        f"/sites/{SITE}/plans",
        token_of(api, "liaocheng.buyer"),
        {
            "name": "办公耗材竞价采购（封箱胶带）",
            "business_year": today.year,
            "business_month": today.month,
            "purchase_method": "online_supermarket",
            "budget_category": "A05040401",
            "amount_fen": 1_000_000,
            "planned_date": today.isoformat(),
            "note": "",
        },
    )
    return str(plan["plan_no"])


def open_competition(page: Page, title: str) -> None:
    page.locator(".el-menu .el-menu-item", has_text="竞价与反拍").click()
    page.get_by_test_id("competitions-table").locator("tr", has_text=title).first.click()
    expect(page.get_by_test_id("competition-title")).to_have_text(title)


def launch(page: Page, plan_no: str, kind: str, title: str, ceiling_yuan: str, minutes_ahead: int = 0) -> None:
    page.locator(".el-menu .el-menu-item", has_text="采购计划").click()
    page.get_by_test_id("plans-table").locator("tr", has_text=plan_no).get_by_test_id("plan-compete").click()
    form = page.get_by_test_id("launch-form")
    form.get_by_test_id("launch-kind").get_by_text(kind).click()
    form.get_by_test_id("launch-title").fill(title)
    form.get_by_test_id("launch-category").click()
    page.locator(".el-select-dropdown__item:visible", has_text="胶带").click()
    form.get_by_test_id("launch-spec").fill("48mm×100m，透明，每卷不少于 100 米")
    form.get_by_test_id("launch-quantity").locator("input").fill("10")
    form.get_by_test_id("launch-unit").fill("卷")
    form.get_by_test_id("launch-ceiling").fill(ceiling_yuan)
    if minutes_ahead:
        at = datetime.now(CHINA) + timedelta(minutes=minutes_ahead)
        form.get_by_test_id("launch-day").locator("input").fill(at.date().isoformat())
        form.get_by_test_id("launch-day").locator("input").press("Enter")
        form.get_by_test_id("launch-time").fill(at.strftime("%H:%M"))
        # The form shows the moment it will send: wait until it is the one typed.
        expect(form.get_by_test_id("launch-chosen")).to_contain_text(f"{at.date().isoformat()} {at.strftime('%H:%M')}")
    form.get_by_test_id("launch-address").fill("聊城市东昌府区东昌西路 98 号")
    form.get_by_test_id("launch-contact").fill("张敏")
    form.get_by_test_id("launch-phone").fill("0635-8241234")
    page.get_by_test_id("launch-submit").click()
    try:
        expect(page.get_by_test_id("competition-title")).to_have_text(title, timeout=15000)
    except AssertionError:
        page.screenshot(path="test-artifacts/competition-launch-failed.png", full_page=True)
        raise


def test_a_bidding_with_three_suppliers_to_an_order_then_a_reverse_auction_to_an_award(
    page: Page, mall: Mall, artifacts: Path, playwright: Playwright
) -> None:
    api = playwright.request.new_context(base_url=mall.api)
    try:
        plan_no = set_up(api, mall)
    finally:
        api.dispose()
    for _, name, _, _ in SUPPLIERS:
        catalog_has(mall, "封箱胶带", f"{name[:4]} 封箱胶带 48mm×100m")

    # 1. The buyer launches a 竞价 from the plan: every qualified supplier is invited.
    login(page, mall, "liaocheng.buyer")
    title = "封箱胶带竞价"
    launch(page, plan_no, "竞价", title, "100.00", minutes_ahead=3)
    expect(page.get_by_test_id("competition-status")).to_have_text("进行中")
    expect(page.get_by_test_id("countdown")).to_contain_text("距报价截止")
    page.screenshot(path=str(artifacts / "bidding-1-launched.png"), full_page=True)
    logout(page)

    # 2. Three suppliers quote, sealed: each sees its receipt, nobody sees an amount.
    for username, _, _, unit_fen in SUPPLIERS:
        login(page, mall, username, password=PASSWORD)
        open_competition(page, title)
        page.get_by_test_id("quote-price").fill(f"{unit_fen / 100:.2f}")
        page.get_by_test_id("quote-submit").click()
        expect(page.get_by_test_id("my-quote")).to_contain_text("第 1 次")
        if username == SUPPLIERS[0][0]:
            page.screenshot(path=str(artifacts / "bidding-2-quoted.png"), full_page=True)
        logout(page)

    # 3. The state machine closes it at the deadline; the ranking explains itself.
    login(page, mall, "liaocheng.buyer")
    open_competition(page, title)
    expect(page.get_by_test_id("competition-status")).to_have_text("待成交确认", timeout=CLOSE_TIMEOUT)
    ranking = page.get_by_test_id("ranking")
    expect(ranking).to_contain_text("小微企业价格扣除 10%")
    expect(ranking.locator("tbody tr").first).to_contain_text(SUPPLIERS[1][1])  # the lowest: 8.80 元 a roll
    expect(page.get_by_test_id("close-digest")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    page.screenshot(path=str(artifacts / "bidding-3-ranked.png"), full_page=True)
    logout(page)

    # 4. The winner confirms; the award becomes an order, and the record verifies.
    login(page, mall, SUPPLIERS[1][0], password=PASSWORD)
    open_competition(page, title)
    page.get_by_test_id("award-confirm").click()
    expect(page.get_by_test_id("competition-order")).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("competition-status")).to_have_text("已成交")
    page.get_by_test_id("record-verify").click()
    expect(page.get_by_test_id("record-verified")).to_contain_text("核验通过")
    page.screenshot(path=str(artifacts / "bidding-4-awarded.png"), full_page=True)
    page.get_by_test_id("competition-order").click()
    expect(page.get_by_test_id("order-lines")).to_contain_text("88.00")  # 10 rolls × 8.80 元
    expect(page.get_by_test_id("order-source")).to_have_text(re.compile(r"^JJ\d{18}$"))
    logout(page)

    # 5. A 反拍 from the same plan: open at once, two bidders, a last-minute bid extends it.
    login(page, mall, "liaocheng.buyer")
    auction = "封箱胶带反拍"
    launch(page, plan_no, "反拍", auction, "100.00")
    logout(page)
    for username, price in ((SUPPLIERS[0][0], "9.50"), (SUPPLIERS[2][0], "9.00")):
        login(page, mall, username, password=PASSWORD)
        open_competition(page, auction)
        page.get_by_test_id("bid-price").fill(price)
        page.get_by_test_id("bid-submit").click()
        expect(page.get_by_test_id("auction-best")).to_have_text(f"¥{float(price) * 10:,.2f}")
        if price == "9.00":
            page.screenshot(path=str(artifacts / "auction-1-hall.png"), full_page=True)
            expect(page.get_by_test_id("competition-status")).to_have_text("待成交确认", timeout=CLOSE_TIMEOUT)
            expect(page.get_by_test_id("ranking").locator("tbody tr").first).to_contain_text("本公司")
            page.get_by_test_id("award-confirm").click()
            expect(page.get_by_test_id("competition-status")).to_have_text("已成交", timeout=60_000)
            page.screenshot(path=str(artifacts / "auction-2-awarded.png"), full_page=True)
        logout(page)
