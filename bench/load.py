"""Load on the local mall (`make run`'s launcher), loopback only, bounded in time: a realistic mix of callers.

Buyers browse a category, search, open the product compare view and now and then place an order against their plan;
suppliers list their orders and confirm the pending ones; operators read the review queue and the workbench; every
user also calls /health now and then, so the catalog's p99 is divided by /health's p99 measured on the same server
in the same run. One JSON line:

    {"bench": "load", "users": 24, "seconds": 30, "requests": …, "rps": …, "errors": 0,
     "p50_ms": {kind: …}, "p99_ms": {kind: …}, "p99_ratio_catalog": …}

    .venv/bin/python -m bench.load [--users 24] [--seconds 30] [--url http://127.0.0.1:8000]

Without --url it starts its own launcher (fresh state, demo data) on free ports and stops it after.
What the figures mean for Lambda + DynamoDB: docs/architecture.md (Load) and docs/operations.md (hot keys).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlparse

from bench.stage import percentile

ROOT = Path(__file__).resolve().parent.parent
SITE = "liaocheng"
CATEGORY = "LC-0107"  # 复印纸
MIX = (("buyer", 0.6), ("supplier", 0.2), ("operator", 0.2))


class Client:
    """One user's keep-alive connection, recording (kind, milliseconds, ok) per request."""

    def __init__(self, base: str, token: str, record: Callable[[str, float, bool], None]) -> None:
        parsed = urlparse(base)
        self.host, self.port = parsed.hostname or "127.0.0.1", parsed.port or 80
        self.token = token
        self.record = record
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)

    def call(self, kind: str, method: str, path: str, body: Any = None, query: dict[str, Any] | None = None) -> Any:
        url = path + (f"?{urlencode(query)}" if query else "")
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"}
        payload = json.dumps(body).encode() if body is not None else None
        started = time.perf_counter()
        try:
            self.connection.request(method, url, body=payload, headers=headers)
            response = self.connection.getresponse()
            data = response.read()
            ok = response.status < 500 and response.status not in (401, 403)
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
            self.record(kind, (time.perf_counter() - started) * 1000, False)
            return None
        self.record(kind, (time.perf_counter() - started) * 1000, ok)
        try:
            return json.loads(data) if data else None
        except ValueError:
            return None


def _login(base: str, username: str) -> str:
    from scheduled.seed import DEMO_PASSWORD

    parsed = urlparse(base)
    connection = http.client.HTTPConnection(parsed.hostname or "127.0.0.1", parsed.port or 80, timeout=60)
    connection.request(
        "POST",
        "/auth/login",
        body=json.dumps({"username": username, "password": DEMO_PASSWORD}).encode(),
        headers={"Content-Type": "application/json"},
    )
    answer = json.loads(connection.getresponse().read())
    connection.close()
    return str(answer["token"])


def _buyer(client: Client, plans: list[str], listing: str, supplier: str, rng: random.Random) -> None:
    page = client.call("catalog", "GET", f"/sites/{SITE}/catalog", query={"category": CATEGORY, "limit": 20})
    client.call(
        "search", "GET", f"/sites/{SITE}/catalog/search", query={"q": rng.choice(["复印纸", "签字笔", "打印机"])}
    )
    items = (page or {}).get("items") or []
    if len(items) >= 2:
        ids = ",".join(i["id"] for i in rng.sample(items, 2))
        client.call("compare", "GET", f"/sites/{SITE}/catalog/compare", query={"ids": ids})
    if plans and rng.random() < 0.25:
        body = {
            "plan_no": rng.choice(plans),
            "supplier_uscc": supplier,
            "lines": [{"listing_id": listing, "quantity": 1}],
            "delivery": {
                "address": "聊城市东昌府区东昌路 1 号教育局 302 室",
                "contact": "张敏",
                "phone": "0635-8241234",
                "expected_date": time.strftime("%Y-%m-%d", time.gmtime(time.time() + 5 * 86400)),
            },
            "note": "",
        }
        client.call("order", "POST", f"/sites/{SITE}/orders", body)


def _supplier(client: Client, rng: random.Random) -> None:
    found = client.call("orders", "GET", f"/sites/{SITE}/orders", query={"status": "pending_confirmation", "limit": 10})
    pending = (found or {}).get("items") or []
    if pending:
        order = rng.choice(pending)
        client.call("confirm", "POST", f"/sites/{SITE}/orders/{order['order_no']}/confirm", {})
    client.call("competitions", "GET", f"/sites/{SITE}/competitions", query={"limit": 10})


def _operator(client: Client) -> None:
    client.call("review_queue", "GET", f"/sites/{SITE}/listings/review", query={"limit": 20})
    client.call("workbench", "GET", f"/sites/{SITE}/workbench")


def _prepare() -> tuple[list[str], str, str]:
    """Plans with budget for liaocheng.buyer and a listing with stock, written through the app's own stores."""
    from scheduled.sample_orders import add_listing, add_plan, supplier_code

    base = random.Random(7).randrange(500, 900)
    plans = [add_plan(base + i, budget_fen=5_000_000) for i in range(8)]  # within the year's 办公用品 cap
    listing = add_listing("supplier.demo", CATEGORY, "得力 A4 复印纸 70g（压测）", "DL-LOAD", 2_500, 1_000_000)
    return plans, listing, supplier_code("supplier.demo")


def run(base: str, users: int, seconds: float) -> dict[str, Any]:
    plans, listing, supplier = _prepare()
    tokens = {
        "buyer": _login(base, f"{SITE}.buyer"),
        "supplier": _login(base, "supplier.demo"),
        "operator": _login(base, f"{SITE}.center"),
    }
    samples: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    lock = threading.Lock()

    def record(kind: str, ms: float, ok: bool) -> None:
        with lock:
            samples[kind].append(ms)
            if not ok:
                errors[kind] += 1

    stop_at = time.monotonic() + seconds
    roles = [role for role, share in MIX for _ in range(max(1, round(users * share)))][:users]
    roles += ["buyer"] * (users - len(roles))  # what rounding left over browses and buys

    def user(index: int, role: str) -> None:
        rng = random.Random(index)
        client = Client(base, tokens[role], record)
        while time.monotonic() < stop_at:
            client.call("health", "GET", "/health")
            if role == "buyer":
                _buyer(client, plans, listing, supplier, rng)
            elif role == "supplier":
                _supplier(client, rng)
            else:
                _operator(client)

    threads = [threading.Thread(target=user, args=(i, r), daemon=True) for i, r in enumerate(roles)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 120)
    elapsed = time.monotonic() - started
    total = sum(len(v) for v in samples.values())
    p99 = {k: round(percentile(v, 0.99), 1) for k, v in sorted(samples.items())}
    return {
        "bench": "load",
        "users": len(roles),
        "seconds": round(elapsed, 1),
        "requests": total,
        "rps": round(total / elapsed, 1),
        "errors": sum(errors.values()),
        "errors_by_kind": dict(errors),
        "count": {k: len(v) for k, v in sorted(samples.items())},
        "p50_ms": {k: round(percentile(v, 0.5), 1) for k, v in sorted(samples.items())},
        "p99_ms": p99,
        "p99_ratio_catalog": round(p99["catalog"] / p99["health"], 1) if p99.get("health") else None,
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _launch(state: Path) -> tuple[subprocess.Popen[bytes], str]:
    api = _free_port()
    log = open(state.with_suffix(".log"), "wb")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "scheduled.embedded",
            "--fresh",
            "--api-port",
            str(api),
            "--web-port",
            str(_free_port()),
            "--state-dir",
            str(state),
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    marker = state.with_name(f"{state.name}-endpoint")
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the launcher exited: see {log.name}")
        if b"is running" in Path(log.name).read_bytes():
            break
        time.sleep(0.5)
    else:
        process.kill()
        raise SystemExit("the launcher did not start in 10 minutes")
    _use_emulation(marker.read_text(encoding="utf-8").strip())
    return process, f"http://127.0.0.1:{api}"


def _use_emulation(endpoint: str) -> None:
    """This process writes the bench's plans and listing into the launcher's emulation of AWS."""
    from bench.stage import moto_stage_environment

    moto_stage_environment("local")
    os.environ["AWS_ENDPOINT_URL"] = endpoint


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=24)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--url", help="a running mall's API (its emulation found through .state-endpoint)")
    args = parser.parse_args(argv)
    if args.url:
        _use_emulation((ROOT / ".state-endpoint").read_text(encoding="utf-8").strip())
        print(json.dumps(run(args.url, args.users, args.seconds), ensure_ascii=False))
        return 0
    with tempfile.TemporaryDirectory() as folder:
        process, base = _launch(Path(folder) / "state")
        try:
            print(json.dumps(run(base, args.users, args.seconds), ensure_ascii=False))
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=120)
    return 0


if __name__ == "__main__":
    sys.exit(main())
