"""The web shell in Debian's chromium against the embedded run (`make run`'s own launcher)."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from scheduled.seed import DEMO_PASSWORD
from tests.e2e.conftest import Mall

pytestmark = pytest.mark.browser


def login(page: Page, mall: Mall, username: str, site_name: str | None = None, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{mall.web}/#/login")
    if site_name:
        page.get_by_test_id("login-site").click()
        page.get_by_role("option", name=site_name).click()
    page.get_by_placeholder("请输入用户名").fill(username)
    page.get_by_placeholder("请输入密码").fill(password)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("site-title")).to_be_visible(timeout=15000)


def test_liaocheng_buyer_sees_the_liaocheng_site(page: Page, mall: Mall, artifacts: Path) -> None:
    login(page, mall, "liaocheng.buyer")
    title = page.get_by_test_id("site-title")
    expect(title).to_have_text("齐鲁云采·聊城市政府采购网上商城")
    expect(page).to_have_title("齐鲁云采·聊城市政府采购网上商城")
    expect(page.get_by_test_id("user-info")).to_contain_text("采购人")
    # A buyer's menu: no review queues, no site configuration.
    menu = page.locator(".el-menu .el-menu-item")
    expect(menu).to_have_text(
        [
            "首页",
            "网上超市",
            "购物车",
            "订单管理",
            "竞价与反拍",
            "框架协议",
            "批量采购",
            "采购计划",
            "投诉举报",
            "咨询服务",
            "个人信息",
        ]
    )
    expect(page.get_by_text("80.00").first).to_be_visible()  # per-order limit in 万元
    page.screenshot(path=str(artifacts / "web-shell-liaocheng-buyer.png"), full_page=True)


def test_operator_changes_limits_in_the_ui_and_sees_the_audit_entry(page: Page, mall: Mall, artifacts: Path) -> None:
    login(page, mall, "weihai.center")
    expect(page.get_by_test_id("site-title")).to_have_text("齐鲁云采·威海市政府采购网上商城")
    expect(page.locator(".el-menu .el-menu-item")).to_have_text(
        [
            "首页",
            "网上超市",
            "订单管理",
            "竞价与反拍",
            "框架协议",
            "批量采购",
            "供应商审核",
            "商品审核",
            "采购计划",
            "监督巡检",
            "动态预警",
            "诚信管理",
            "差评回访",
            "公告管理",
            "特色场馆",
            "站点配置",
            "采购单位",
            "统计报表",
            "审计日志",
            "接口文档",
            "投诉举报",
            "咨询服务",
            "个人信息",
        ]
    )
    page.locator(".el-menu .el-menu-item", has_text="站点配置").click()
    first_limit = page.locator(".el-input-number input").first
    first_limit.fill("55.5")
    first_limit.blur()
    page.get_by_role("button", name="保存限额").click()
    page.get_by_role("button", name="确定保存").click()
    expect(page.get_by_text("修改已保存并立即生效")).to_be_visible()
    with urllib.request.urlopen(f"{mall.api}/sites/weihai/config", timeout=5) as response:
        config = json.loads(response.read())
    assert config["limits"]["per_order_cap_fen"] == 55_500_000
    page.locator(".el-menu .el-menu-item", has_text="审计日志").click()
    expect(page.get_by_test_id("audit-table")).to_contain_text("修改采购限额")
    page.screenshot(path=str(artifacts / "web-shell-weihai-audit.png"), full_page=True)
    # 接口文档: the description the API serves, in the mall's words.
    page.locator(".el-menu .el-menu-item", has_text="接口文档").click()
    table = page.get_by_test_id("api-docs-table")
    # The description is built on its first request (a second or more on a loaded machine), then cached.
    expect(table).to_contain_text("订单 · 新建", timeout=60_000)
    page.get_by_test_id("api-docs-search").fill("PLAN_BALANCE_INSUFFICIENT")
    expect(table).to_contain_text("/sites/{site_id}/orders")
    table.locator(".el-table__expand-icon").first.click()
    expect(table).to_contain_text("采购计划可用余额不足")
    # The expanded operation shows the answer it publishes (the first that names the code: an order or a project).
    expect(table.get_by_test_id("api-docs-answer").first).to_contain_text("status_label")
    page.get_by_role("tab", name="订单事件").click()
    expect(page.get_by_test_id("api-docs-events")).to_contain_text("OrderAccepted")
    page.screenshot(path=str(artifacts / "web-shell-api-docs.png"), full_page=True)
