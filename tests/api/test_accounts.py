"""Accounts: failed sign-ins lock a username (等保 2.0), users change and reset their passwords."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
import time_machine

from chalicelib.domain.clock import utc_now
from scheduled.seed import DEMO_PASSWORD
from tests.conftest import Api

NEW_PASSWORD = "Liaocheng2027Safe"


def login(api: Api, password: str, username: str = "liaocheng.buyer") -> tuple[int, dict]:  # type: ignore[type-arg]
    return api.call("POST", "/auth/login", {"username": username, "password": password})  # type: ignore[return-value]


def test_five_failures_lock_the_username_for_fifteen_minutes(api: Api) -> None:
    for left in (4, 3, 2, 1):
        status, body = login(api, "wrong-password-1")
        assert (status, body["code"]) == (401, "LOGIN_FAILED")
        assert f"再失败 {left} 次账号将锁定 15 分钟" in body["message"]
    status, body = login(api, "wrong-password-1")
    assert (status, body["code"]) == (429, "ACCOUNT_LOCKED")
    assert re.search(r"请于 \d\d:\d\d（北京时间）后再试", body["message"]), body["message"]
    # Locked: even the right password is refused, and so is the same name in capitals.
    assert login(api, DEMO_PASSWORD)[1]["code"] == "ACCOUNT_LOCKED"
    assert login(api, DEMO_PASSWORD, "LIAOCHENG.BUYER")[1]["code"] == "ACCOUNT_LOCKED"
    assert login(api, DEMO_PASSWORD, "liaocheng.center")[0] == 200  # other users are not affected
    with time_machine.travel(utc_now() + timedelta(minutes=16), tick=False):
        status, body = login(api, DEMO_PASSWORD)
        assert status == 200, body
    # An unknown username is counted like a known one (the answer does not tell which exist).
    for _ in range(5):
        status, body = login(api, "whatever-1", "no.such.user")
    assert body["code"] == "ACCOUNT_LOCKED"


def test_failures_outside_the_window_do_not_count(api: Api) -> None:
    start = utc_now()
    with time_machine.travel(start, tick=False):
        for _ in range(4):
            login(api, "wrong-password-1")
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        status, body = login(api, "wrong-password-1")
        assert status == 401 and "再失败 4 次" in body["message"]
        assert login(api, DEMO_PASSWORD)[0] == 200
        assert "再失败 4 次" in login(api, "wrong-password-1")[1]["message"]  # a success starts afresh


def test_a_user_changes_the_password(api: Api) -> None:
    def change(old: str, new: str) -> tuple[int, dict]:  # type: ignore[type-arg]
        return api.call(  # type: ignore[return-value]
            "POST", "/me/password", {"old_password": old, "new_password": new}, as_user="liaocheng.buyer"
        )

    status, body = change("not-the-password", NEW_PASSWORD)
    assert (status, body["code"]) == (400, "OLD_PASSWORD_WRONG") and "原密码不正确" in body["message"]
    status, body = change(DEMO_PASSWORD, "short1A")
    assert (status, body["code"]) == (400, "WEAK_PASSWORD")
    assert "至少 10 位，须含大写字母、小写字母和数字" in body["message"]
    assert change(DEMO_PASSWORD, "alllowercase123")[1]["code"] == "WEAK_PASSWORD"
    assert change(DEMO_PASSWORD, DEMO_PASSWORD)[1]["code"] == "PASSWORD_UNCHANGED"
    assert login(api, DEMO_PASSWORD)[0] == 200  # nothing changed so far
    status, body = change(DEMO_PASSWORD, NEW_PASSWORD)
    assert status == 200, body
    assert login(api, DEMO_PASSWORD)[0] == 401
    assert login(api, NEW_PASSWORD)[0] == 200
    status, log = api.call("GET", "/sites/liaocheng/audit?action=user.password_changed", as_user="liaocheng.center")
    [event] = log["items"]
    assert event["action_label"] == "修改登录密码" and event["entity_label"] == "用户账号"
    assert NEW_PASSWORD not in json.dumps(event, ensure_ascii=False)


def reset_code(caplog: pytest.LogCaptureFixture, username: str) -> str:
    """The local run prints the code to its log (no SMS or e-mail gateway): the newest one for `username`."""
    found = [r for r in caplog.records if getattr(r, "reset_code", None) and getattr(r, "username", "") == username]
    assert found, "no reset code in the log"
    caplog.clear()
    return str(found[-1].reset_code)  # type: ignore[attr-defined]


def test_a_forgotten_password_is_reset_with_a_code(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    for _ in range(5):
        login(api, "wrong-password-1")
    assert login(api, DEMO_PASSWORD)[1]["code"] == "ACCOUNT_LOCKED"
    status, body = api.call("POST", "/auth/password-reset", {"username": "liaocheng.buyer"})
    assert status == 202 and "验证码已发送" in body["message"]
    code = reset_code(caplog, "liaocheng.buyer")
    # An unknown user gets the same answer, and no code.
    status, other = api.call("POST", "/auth/password-reset", {"username": "no.such.user"})
    assert (status, other) == (202, body)

    def confirm(given: str, password: str = NEW_PASSWORD) -> tuple[int, dict]:  # type: ignore[type-arg]
        return api.call(  # type: ignore[return-value]
            "POST",
            "/auth/password-reset/confirm",
            {"username": "liaocheng.buyer", "code": given, "new_password": password},
        )

    wrong = "000000" if code != "000000" else "111111"
    status, refused = confirm(wrong)
    assert (status, refused["code"]) == (400, "RESET_CODE_INVALID") and "验证码错误或已失效" in refused["message"]
    assert confirm("12ab56")[1]["code"] == "VALIDATION_FAILED"
    assert confirm(code, "weakpassword")[1]["code"] == "WEAK_PASSWORD"
    assert login(api, DEMO_PASSWORD)[1]["code"] == "ACCOUNT_LOCKED"  # nothing changed yet
    status, done = confirm(code)
    assert status == 200, done
    assert login(api, NEW_PASSWORD)[0] == 200  # the lock is lifted with the reset
    assert confirm(code, "Another2027Safe")[1]["code"] == "RESET_CODE_INVALID"  # a code works once


def test_a_reset_code_expires_and_allows_five_tries(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    api.call("POST", "/auth/password-reset", {"username": "liaocheng.buyer"})
    code = reset_code(caplog, "liaocheng.buyer")
    body = {"username": "liaocheng.buyer", "code": code, "new_password": NEW_PASSWORD}
    with time_machine.travel(utc_now() + timedelta(minutes=16), tick=False):
        status, refused = api.call("POST", "/auth/password-reset/confirm", body)
        assert (status, refused["code"]) == (400, "RESET_CODE_INVALID")
    api.call("POST", "/auth/password-reset", {"username": "liaocheng.buyer"})
    code = reset_code(caplog, "liaocheng.buyer")
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        api.call("POST", "/auth/password-reset/confirm", {**body, "code": wrong})
    status, refused = api.call("POST", "/auth/password-reset/confirm", {**body, "code": code})
    assert (status, refused["code"]) == (400, "RESET_CODE_INVALID")  # tries used up
    assert login(api, DEMO_PASSWORD)[0] == 200


def test_the_centre_opens_disables_and_enables_its_units_accounts(api: Api) -> None:
    status, units = api.call("GET", "/sites/liaocheng/orgs", as_user="liaocheng.center")
    unit = next(o for o in units["items"] if o["name"] != "聊城市教育和体育局")
    body = {"username": "chiping.clerk", "name": "王晓丽", "org_uscc": unit["uscc"], "password": "Chiping2026ok"}
    status, refused = api.call(
        "POST", "/sites/liaocheng/accounts", {**body, "password": "weak"}, as_user="liaocheng.center"
    )
    assert (status, refused["code"]) == (400, "WEAK_PASSWORD")
    status, refused = api.call(
        "POST", "/sites/liaocheng/accounts", {**body, "org_uscc": "91370000MA00000000"}, as_user="liaocheng.center"
    )
    assert status in (400, 404)
    assert api.call("POST", "/sites/liaocheng/accounts", body, as_user="liaocheng.finance")[0] == 403
    assert api.call("POST", "/sites/weihai/accounts", body, as_user="liaocheng.center")[0] == 403
    status, opened = api.call("POST", "/sites/liaocheng/accounts", body, as_user="liaocheng.center")
    assert status == 201 and opened["org_name"] == unit["name"]
    assert (
        api.call("POST", "/sites/liaocheng/accounts", body, as_user="liaocheng.center")[1]["code"] == "USERNAME_TAKEN"
    )
    status, me = api.call("POST", "/auth/login", {"username": "chiping.clerk", "password": "Chiping2026ok"})
    assert status == 200 and me["user"]["org_id"] == unit["uscc"] and me["user"]["role"] == "buyer"
    status, listed = api.call("GET", "/sites/liaocheng/accounts", as_user="liaocheng.center")
    mine = next(a for a in listed["items"] if a["username"] == "chiping.clerk")
    assert mine["state_label"] == "正常" and all(a["username"] != "weihai.buyer" for a in listed["items"])
    # Disabled: the login is refused; enabled again: it works.
    path = "/sites/liaocheng/accounts/chiping.clerk"
    assert api.call("POST", f"{path}/disable", {"reason": ""}, as_user="liaocheng.center")[0] == 400
    status, off = api.call("POST", f"{path}/disable", {"reason": "人员调离"}, as_user="liaocheng.center")
    assert status == 200 and off["state_label"] == "已停用"
    status, body_ = api.call("POST", "/auth/login", {"username": "chiping.clerk", "password": "Chiping2026ok"})
    assert (status, body_["code"]) == (403, "ACCOUNT_DISABLED") and "已停用" in body_["message"]
    assert (
        api.call("POST", "/sites/weihai/accounts/chiping.clerk/disable", {"reason": "误操作"}, as_user="weihai.center")[
            0
        ]
        == 404
    )
    assert api.call("POST", f"{path}/enable", {"reason": "返岗"}, as_user="liaocheng.center")[0] == 200
    assert api.call("POST", "/auth/login", {"username": "chiping.clerk", "password": "Chiping2026ok"})[0] == 200
    status, log = api.call("GET", "/sites/liaocheng/audit?entity_type=user", as_user="liaocheng.center")
    assert [e["action_label"] for e in log["items"]][:3] == ["启用账号", "停用账号", "开通账号"]
