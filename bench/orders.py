"""Orders: DynamoDB calls to place an order and to load one with its timeline.

    make bench        (or: .venv/bin/python -m bench.orders)

The app's own handlers answer each request through Chalice's test client, on
moto's emulation of DynamoDB provisioned from infra/. Calls are counted with
a botocore event hook on every client the app uses (the idempotency records'
client included); the count of a request is independent of the data's size,
so moto serves here (the catalog benchmark needs a real index and uses
dynalite). The order has three lines, so that a call per line would show.

Targets: placing an order is one transaction and at most 3 reads; loading an
order with its timeline is at most 2 calls. With an Idempotency-Key the
powertools idempotency record adds its own two calls (a conditional put
before, an update after); that figure is printed separately. The last line
is JSON.
"""

from __future__ import annotations

import json
import os
import sys
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
STAGE = "dev"
TARGETS = {"place_order_calls": 4, "place_order_transactions": 1, "read_order_calls": 2}


def _call(client: Any, token: str, method: str, path: str, body: Any = None, key: str = "") -> tuple[int, Any]:
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    if key:
        headers["Idempotency-Key"] = key
    payload = json.dumps(body).encode() if body is not None else b""
    response = client.http.request(method, path, headers=headers, body=payload)
    return response.status_code, json.loads(response.body)


def _counted(client: Any, token: str, method: str, path: str, body: Any = None, key: str = "") -> list[str]:
    from bench.ddb_calls import count_dynamodb_calls

    with count_dynamodb_calls() as calls:
        status, answer = _call(client, token, method, path, body, key)
    if status >= 300:
        raise SystemExit(f"{method} {path} answered {status}: {answer}")
    return calls


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from bench.stage import moto_stage_environment

    moto_stage_environment(STAGE)
    from moto import mock_aws

    from scheduled.emulation import MOTO_CONFIG, register_app_handlers

    with mock_aws(config=MOTO_CONFIG):  # type: ignore[call-overload,unused-ignore]
        from infra.provision import provision

        os.environ.update(provision(STAGE, dict(os.environ)))
        from chalice.test import Client

        import app as app_module
        from scheduled import demo_market, seed
        from scheduled.sample_orders import add_listing, add_plan, new_order

        register_app_handlers(STAGE)
        seed.seed_all(os.environ["USER_POOL_ID"])
        demo_market.seed_demo_suppliers(None)
        lines = [
            (add_listing("supplier.demo", "LC-0107", "得力 A4 复印纸 70g", "DL-7055", 2_500, 10_000), 4),
            (add_listing("supplier.demo", "LC-0101", "得力 中性笔 0.5mm", "DL-S01", 250, 10_000), 20),
            (add_listing("supplier.demo", "LC-0102", "得力 封箱胶带 48mm", "DL-30213", 650, 10_000), 10),
        ]
        plan_no = add_plan(1, budget_fen=10_000_000)
        order = new_order(plan_no, "supplier.demo", lines)
        body = {
            "plan_no": order.plan_no,
            "supplier_uscc": order.supplier_uscc,
            "lines": [{"listing_id": lid, "quantity": qty} for lid, qty in order.lines],
            "delivery": order.delivery._asdict(),
        }
        with Client(app_module.app, stage_name=STAGE, project_dir=str(ROOT)) as client:
            token = json.loads(
                client.http.request(
                    "POST",
                    "/auth/login",
                    headers={"Content-Type": "application/json"},
                    body=json.dumps({"username": "liaocheng.buyer", "password": seed.DEMO_PASSWORD}).encode(),
                ).body
            )["token"]
            # Warm up: first-use imports and clients, the idempotency layer's included.
            _call(client, token, "POST", "/sites/liaocheng/orders", body, key=f"bench-{uuid.uuid4().hex}")
            place = _counted(client, token, "POST", "/sites/liaocheng/orders", body)
            keyed = _counted(client, token, "POST", "/sites/liaocheng/orders", body, key=f"bench-{uuid.uuid4().hex}")
            _, placed = _call(client, token, "POST", "/sites/liaocheng/orders", body)
            read = _counted(client, token, "GET", f"/sites/liaocheng/orders/{placed['order_no']}")
    print(f"place an order (3 lines): {len(place)} calls {place}")
    print(f"  with an Idempotency-Key: {len(keyed)} calls {keyed}")
    print(f"load an order with its timeline: {len(read)} calls {read}")
    result = {
        "bench": "orders",
        "place_order_calls": len(place),
        "place_order_transactions": place.count("TransactWriteItems"),
        "place_order_reads": sum(op in ("GetItem", "BatchGetItem", "Query") for op in place),
        "read_order_calls": len(read),
        "place_order_calls_with_idempotency_key": len(keyed),
        "targets": TARGETS,
    }
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
