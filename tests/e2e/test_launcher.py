"""`make run`'s launcher: serves, stops cleanly on SIGTERM and SIGINT, keeps its data."""

from __future__ import annotations

import json
import signal
import socket
import urllib.request
from pathlib import Path

import pytest

from scheduled.seed import DEMO_PASSWORD
from tests.e2e.conftest import Mall, start_mall, stop_mall

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


def _login(mall: Mall, username: str) -> str:
    status, body = _request(mall, "POST", "/auth/login", {"username": username, "password": DEMO_PASSWORD})
    assert status == 200, body
    return str(body["token"])


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
        token = _login(first, "linyi.center")
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
        token = _login(second, "linyi.finance")
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
