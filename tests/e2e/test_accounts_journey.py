"""Accounts in the browser: five wrong passwords lock the account with the time to retry; the forgotten
password is reset with the code the local run prints to its log, which also lifts the lock."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, Playwright, expect

from chalicelib.domain.uscc import make_uscc
from tests.e2e.conftest import Mall
from tests.e2e.test_order_journey import call

pytestmark = pytest.mark.browser

USERNAME = "lockout.trial"
PASSWORD = "Lockout2026trial"
NEW_PASSWORD = "Lockout2027Renewed"


def register(playwright: Playwright, mall: Mall) -> None:
    api = playwright.request.new_context(base_url=mall.api)
    call(
        api,
        "POST",
        "/suppliers/register",
        body={
            "username": USERNAME,
            "password": PASSWORD,
            "uscc": make_uscc("91", "371502", "MA9Q8R7T6"),
            "name": "聊城市试锁商贸有限公司",
            "legal_representative": "孙试",
            "registered_address": "聊城市东昌府区花园路 3 号",
            "home_district": "371502",
            "ownership": "private",
            "scale": "micro",
            "declaration": {"industry": "retail", "employees": 5, "revenue_fen": 90_000_000, "assets_fen": 30_000_000},
            "contact": {"name": "孙试", "phone": "13906350001", "email": "lock@example.com"},
        },
    )
    api.dispose()


def code_in_log(mall: Mall, timeout: float = 30) -> str:
    """The newest reset code the launcher printed for the user (the local run has no SMS or e-mail gateway)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        codes = [
            json.loads(line[line.index("{") :]).get("reset_code")
            for line in mall.log().splitlines()
            if "reset_code" in line and USERNAME in line and "{" in line
        ]
        if codes and codes[-1]:
            return str(codes[-1])
        time.sleep(0.3)
    raise AssertionError("no reset code in the launcher's log")


def test_lockout_then_reset(page: Page, mall: Mall, artifacts: Path, playwright: Playwright) -> None:
    register(playwright, mall)
    page.goto(f"{mall.web}/#/login")
    page.get_by_placeholder("请输入用户名").fill(USERNAME)
    error = page.get_by_test_id("login-error")
    for left in (4, 3, 2, 1):
        page.get_by_placeholder("请输入密码").fill("Wrong2026password")
        page.get_by_test_id("login-submit").click()
        expect(error).to_contain_text(f"再失败 {left} 次账号将锁定 15 分钟")
    page.get_by_placeholder("请输入密码").fill("Wrong2026password")
    page.get_by_test_id("login-submit").click()
    expect(error).to_contain_text("账号已临时锁定")
    expect(error).to_have_text(re.compile(r"请于 \d\d:\d\d（北京时间）后再试"))
    page.get_by_placeholder("请输入密码").fill(PASSWORD)  # the right password does not open a locked account
    page.get_by_test_id("login-submit").click()
    expect(error).to_contain_text("账号已临时锁定")
    page.screenshot(path=str(artifacts / "login-locked-1440.png"))

    page.get_by_test_id("forgot-password").click()
    dialog = page.get_by_test_id("reset-dialog")
    expect(dialog.get_by_test_id("reset-username")).to_have_value(USERNAME)
    dialog.get_by_test_id("reset-send").click()
    expect(dialog).to_contain_text("验证码已发送")
    dialog.get_by_test_id("reset-code").fill("000000" if code_in_log(mall) != "000000" else "111111")
    dialog.get_by_test_id("reset-password").fill(NEW_PASSWORD)
    dialog.get_by_test_id("reset-confirm").click()
    expect(page.locator(".el-message--error")).to_contain_text("验证码错误或已失效")
    dialog.get_by_test_id("reset-code").fill(code_in_log(mall))
    dialog.get_by_test_id("reset-confirm").click()
    expect(dialog).to_be_hidden()
    page.get_by_placeholder("请输入密码").fill(NEW_PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("site-title")).to_be_visible(timeout=15000)


def test_the_centre_opens_an_account_and_disables_it(page: Page, mall: Mall, artifacts: Path) -> None:
    from tests.e2e.test_supplier_journey import logout
    from tests.e2e.test_web_shell import login

    login(page, mall, "liaocheng.center")
    page.goto(f"{mall.web}/#/orgs")
    panel = page.get_by_test_id("accounts-panel")
    expect(panel.get_by_test_id("accounts-table")).to_contain_text("liaocheng.buyer")
    panel.get_by_test_id("account-open").click()
    dialog = page.get_by_test_id("account-dialog")
    dialog.get_by_test_id("account-org").click()
    page.get_by_role("option", name="聊城市茌平区第三中学").click()
    dialog.get_by_test_id("account-name").fill("王晓丽")
    dialog.get_by_test_id("account-username").fill("chiping.clerk")
    dialog.get_by_test_id("account-password").fill("Chiping2026ok")
    dialog.get_by_test_id("account-confirm").click()
    expect(panel.get_by_test_id("accounts-table")).to_contain_text("chiping.clerk")
    page.screenshot(path=str(artifacts / "accounts-centre-1440.png"), full_page=True)
    panel.get_by_test_id("account-disable-chiping.clerk").click()
    reason = page.get_by_test_id("reason-dialog")
    reason.get_by_test_id("reason-input").fill("人员调离")
    reason.get_by_test_id("reason-confirm").click()
    expect(panel.get_by_test_id("account-enable-chiping.clerk")).to_be_visible()
    logout(page)
    page.get_by_placeholder("请输入用户名").fill("chiping.clerk")
    page.get_by_placeholder("请输入密码").fill("Chiping2026ok")
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("login-error")).to_contain_text("账号已停用")
