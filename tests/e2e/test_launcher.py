"""`make run`'s launcher: serves, stops cleanly on SIGTERM and SIGINT, keeps its data."""

from __future__ import annotations

import json
import signal
import socket
import time
import urllib.request
from pathlib import Path

import pytest

from tests.e2e.conftest import Mall, login, start_mall, stop_mall

pytestmark = pytest.mark.slow


def _request(mall: Mall, method: str, path: str, body: dict | None = None, token: str = "") -> tuple[int, dict]:  # type: ignore[type-arg]
    request = urllib.request.Request(
        mall.api + path,
        data=json.dumps(body).encode() if body is not None else None,
        method=method,
        headers={"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def _children(pid: int) -> list[str]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return path.read_text().split() if path.exists() else []


def test_launcher_serves_web_and_config_then_survives_a_restart(tmp_path: Path) -> None:
    state = tmp_path / "state"
    first = start_mall(state, tmp_path / "first.log", "--fresh", "--demo", "none")
    try:
        assert _children(first.process.pid) == []  # one process: moto, API, web and pumps are threads
        html = urllib.request.urlopen(first.web + "/", timeout=5).read().decode()
        assert '<div id="app">' in html
        config_js = urllib.request.urlopen(first.web + "/config.js", timeout=5).read().decode()
        assert f'"apiBase": "{first.api}"' in config_js
        token = login(first, "linyi.center")
        limits = {
            "per_order_cap_fen": 12_300_000,
            "per_plan_cap_fen": 45_600_000,
            "annual_category_cap_fen": 78_900_000,
        }
        status, body = _request(first, "PUT", "/sites/linyi/limits", limits, token)
        assert status == 200, body
        log = first.log()
        assert "Demo logins" in log and "liaocheng.buyer" in log and first.web in log
    finally:
        assert stop_mall(first, signal.SIGTERM) == 0
    assert "stopped." in first.log()
    assert _port_free(first.api_port) and _port_free(first.web_port)
    assert (state / "dynamodb").is_dir()

    second = start_mall(state, tmp_path / "second.log", "--demo", "none")
    try:
        status, config = _request(second, "GET", "/sites/linyi/config")
        assert status == 200 and config["limits"]["per_order_cap_fen"] == 12_300_000 and config["version"] == 1
        # Cognito is re-created on start: the seeded users log in again with the same password.
        token = login(second, "linyi.finance")
        status, audit = _request(second, "GET", "/sites/linyi/audit?limit=5", token=token)
        assert status == 200 and audit["items"][0]["action"] == "site.limits.changed"
    finally:
        assert stop_mall(second, signal.SIGINT) == 0
    assert _port_free(second.api_port)

    third = start_mall(state, tmp_path / "third.log", "--fresh", "--demo", "none")
    try:
        status, config = _request(third, "GET", "/sites/linyi/config")
        assert config["version"] == 0  # FRESH=1 starts from the data files again
    finally:
        stop_mall(third)


def test_a_killed_run_loses_nothing_it_acknowledged(tmp_path: Path) -> None:
    """kill -9 after writes: the next start finds every acknowledged write, the new supplier logs in,
    and a plan number once given out is not given to the next plan."""
    from tests.api.test_suppliers_api import REGISTRATION

    state = tmp_path / "state"
    first = start_mall(state, tmp_path / "first.log", "--fresh", "--demo", "none")
    year = time.gmtime().tm_year
    plan = {
        "name": "办公文具采购",
        "business_year": year,
        "business_month": 12,
        "purchase_method": "online_supermarket",
        "budget_category": "A05040401",
        "amount_fen": 1_000_000,
        "planned_date": f"{year}-12-30",
        "note": "",
    }
    try:
        status, body = _request(first, "POST", "/suppliers/register", REGISTRATION)
        assert status == 201, body
        buyer = login(first, "liaocheng.buyer")
        status, first_plan = _request(first, "POST", "/sites/liaocheng/plans", plan, buyer)
        assert status == 201, first_plan
        limits = {
            "per_order_cap_fen": 11_100_000,
            "per_plan_cap_fen": 44_400_000,
            "annual_category_cap_fen": 77_700_000,
        }
        status, body = _request(first, "PUT", "/sites/zibo/limits", limits, login(first, "zibo.center"))
        assert status == 200, body
    finally:
        first.process.kill()  # SIGKILL: no handler runs, nothing is saved on the way out
        first.process.wait(timeout=60)
    assert "stopping: saving data" not in first.log()

    second = start_mall(state, tmp_path / "second.log", "--demo", "none")
    try:
        status, config = _request(second, "GET", "/sites/zibo/config")
        assert status == 200 and config["limits"]["per_order_cap_fen"] == 11_100_000, config
        supplier = _request(
            second, "POST", "/auth/login", {"username": REGISTRATION["username"], "password": REGISTRATION["password"]}
        )
        assert supplier[0] == 200, supplier  # the account registered before the crash
        buyer = login(second, "liaocheng.buyer")
        status, plans = _request(second, "GET", "/sites/liaocheng/plans", token=buyer)
        assert first_plan["plan_no"] in {p["plan_no"] for p in plans["items"]}
        status, next_plan = _request(second, "POST", "/sites/liaocheng/plans", plan, buyer)
        assert status == 201 and next_plan["plan_no"] != first_plan["plan_no"], next_plan
    finally:
        assert stop_mall(second, signal.SIGHUP) == 0  # a closed terminal saves like Ctrl-C
    assert "stopped." in second.log()
    third = start_mall(state, tmp_path / "third.log", "--demo", "none")
    try:
        status, plans = _request(third, "GET", "/sites/liaocheng/plans", token=login(third, "liaocheng.buyer"))
        assert {first_plan["plan_no"], next_plan["plan_no"]} <= {p["plan_no"] for p in plans["items"]}
    finally:
        stop_mall(third)
