"""The real `make run` launcher as a subprocess, and Debian's chromium for Playwright."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT

ARTIFACTS = ROOT / "test-artifacts"
# A demo user of each role in 聊城 (scheduled/seed.py; the password is DEMO_PASSWORD): the tokens the contract runs use.
DEMO_USER_OF_ROLE = {
    "buyer": "liaocheng.buyer",
    "supplier": "supplier.demo",
    "center_admin": "liaocheng.center",
    "finance": "liaocheng.finance",
    "province_admin": "province.admin",
}
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Mall:
    process: subprocess.Popen[str]
    api: str
    web: str
    state_dir: Path
    log_path: Path
    api_port: int
    web_port: int

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def clean_environment() -> dict[str, str]:
    """What a developer's shell has: none of the test process's moto or stage settings."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "USER")
    return {k: v for k, v in os.environ.items() if k in keep}


def start_mall(state_dir: Path, log_path: Path, *extra: str) -> Mall:
    api_port, web_port = free_port(), free_port()
    log_file = open(log_path, "w", encoding="utf-8")  # noqa: SIM115 - closed when the process ends
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "scheduled.embedded",
            "--api-port",
            str(api_port),
            "--web-port",
            str(web_port),
            "--state-dir",
            str(state_dir),
            *extra,
        ],
        cwd=ROOT,
        env=clean_environment(),
        stdout=log_file,
        stderr=subprocess.STDOUT,
        text=True,
    )
    mall = Mall(
        process, f"http://127.0.0.1:{api_port}", f"http://127.0.0.1:{web_port}", state_dir, log_path, api_port, web_port
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"launcher exited early:\n{mall.log()}")
        if "is running" in mall.log():
            try:
                urllib.request.urlopen(f"{mall.api}/health", timeout=2).read()
                return mall
            except OSError:
                pass
        time.sleep(0.3)
    process.kill()
    raise AssertionError(f"launcher not ready in 90 s:\n{mall.log()}")


def login(mall: Mall, username: str) -> str:
    """A demo user's token from the running launcher's API."""
    from scheduled.seed import DEMO_PASSWORD

    request = urllib.request.Request(
        f"{mall.api}/auth/login",
        data=json.dumps({"username": username, "password": DEMO_PASSWORD}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return str(json.loads(response.read())["token"])
    except urllib.error.HTTPError as err:
        raise AssertionError(f"login of {username}: {err.code} {err.read().decode('utf-8', 'replace')}") from err


def stop_mall(mall: Mall, sig: int = signal.SIGTERM) -> int:
    mall.process.send_signal(sig)
    return mall.process.wait(timeout=60)


@pytest.fixture(scope="session")
def mall(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Mall]:
    folder = tmp_path_factory.mktemp("mall")
    # The demo catalog takes a minute to index on a fresh start; these tests bring their own data.
    running = start_mall(folder / "state", folder / "launcher.log", "--fresh", "--demo", "none")
    yield running
    if running.process.poll() is None:
        stop_mall(running)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    return {**browser_type_launch_args, "executable_path": executable, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_context_args,
        "locale": "zh-CN",
        "timezone_id": "Asia/Shanghai",
        "viewport": {"width": 1440, "height": 900},
    }


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(autouse=True)
def no_content_security_violations(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every journey in the browser runs under the web UI's Content-Security-Policy (served by the launcher as
    CloudFront serves it): a script, style or connection it blocks fails the test that caused it."""
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    blocked: list[str] = []
    page.on(
        "console",
        lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None,
    )
    yield
    assert not blocked, blocked[:5]
