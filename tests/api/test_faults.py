"""The mall under failing dependencies: DynamoDB throttling, a failing S3, a failing event bus.

Each fault is injected where moto answers the SDK (tests/faults.py), so the SDK's own retries run. What must hold:
a passing fault is retried within the function's budget, or answered 503 `SERVICE_BUSY` with a Chinese message and
a `Retry-After`; nothing is half-written; queue consumers retry and dead-letter. (A bidding whose closing task
keeps failing: tests/api/test_competition_timer.py, test_a_broken_task_is_set_aside_and_the_sweep_finishes_….)
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from chalicelib.config import get_settings
from tests.api.orders_support import COPY_PAPER, SITE, add_listing, add_plan, ledger, order_body
from tests.api.test_listing_images import picture
from tests.api.test_orders_api import listen_to_order_events, received
from tests.conftest import Api, Projection
from tests.faults import Faults, fault_hook, json_error, s3_call, target, xml_error

BUYER = "liaocheng.buyer"
TRANSACT = "DynamoDB_20120810.TransactWriteItems"


@pytest.fixture
def faults(monkeypatch: pytest.MonkeyPatch) -> Iterator[Faults]:
    with fault_hook(monkeypatch) as hook:
        yield hook


@pytest.fixture
def shop(api: Api, suppliers_seeded: int) -> tuple[str, str]:
    plan_no = add_plan(31, budget_fen=1_000_000)
    paper = add_listing("supplier.demo", COPY_PAPER, "得力 A4 复印纸 70g", "DL-7055", 2_500, 100)
    return plan_no, paper


def call(api: Api, method: str, path: str, body: Any = None, user: str = BUYER) -> tuple[int, dict[str, str], Any]:
    """Like Api.call, with the response's headers."""
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {api.token(user)}"}
    response = api.client.http.request(
        method, path, headers=headers, body=json.dumps(body) if body is not None else None
    )
    return response.status_code, {k.lower(): v for k, v in response.headers.items()}, json.loads(response.body)


def assert_busy(status: int, headers: dict[str, str], body: Any) -> None:
    assert status == 503, body
    assert body["code"] == "SERVICE_BUSY" and "请稍后重试" in body["message"], body
    assert int(headers["retry-after"]) > 0 and body["details"] == {"retry_after_seconds": int(headers["retry-after"])}


def test_a_throttled_order_write_is_retried_and_the_order_placed(
    api: Api, shop: tuple[str, str], faults: Faults
) -> None:
    plan_no, paper = shop
    api.token(BUYER)
    throttle = faults.fail(target(TRANSACT), json_error("ProvisionedThroughputExceededException"), times=2)
    status, _, order = call(api, "POST", f"/sites/{SITE}/orders", order_body(plan_no, "supplier.demo", [(paper, 4)]))
    assert status == 201, order
    assert throttle.fired == 2  # two throttled attempts, the third went through, within the one request
    assert ledger(plan_no, [paper]).committed_fen == 10_000


def test_a_lasting_throttle_is_a_503_with_a_retry_hint_and_writes_nothing(
    api: Api, shop: tuple[str, str], faults: Faults
) -> None:
    plan_no, paper = shop
    api.token(BUYER)
    before = ledger(plan_no, [paper])
    throttle = faults.fail(target(TRANSACT), json_error("ThrottlingException", prefix="com.amazon.coral.availability#"))
    status, headers, body = call(
        api, "POST", f"/sites/{SITE}/orders", order_body(plan_no, "supplier.demo", [(paper, 4)])
    )
    assert_busy(status, headers, body)
    assert throttle.fired >= 2  # the SDK retried before giving up
    assert ledger(plan_no, [paper]) == before  # no order, no stock taken, no budget committed, no audit event
    faults.clear()
    status, _, order = call(api, "POST", f"/sites/{SITE}/orders", order_body(plan_no, "supplier.demo", [(paper, 4)]))
    assert status == 201, order  # the same request, sent again as the hint says, goes through


def test_a_throttled_read_is_a_503_not_a_500(api: Api, shop: tuple[str, str], faults: Faults) -> None:
    plan_no, _ = shop
    api.token(BUYER)
    faults.fail(target("DynamoDB_20120810.GetItem"), json_error("ProvisionedThroughputExceededException"))
    status, headers, body = call(api, "GET", f"/sites/{SITE}/plans/{plan_no}")
    assert_busy(status, headers, body)


def test_a_failing_s3_keeps_the_upload_and_the_retry_succeeds(api: Api, suppliers_seeded: int, faults: Faults) -> None:
    import requests

    status, started = api.call(
        "POST",
        f"/sites/{SITE}/listings/images",
        {"file_name": "主图.png", "content_type": "image/png", "size": len(data := picture())},
        as_user="supplier.demo",
    )
    assert status == 201, started
    form = started["upload"]
    posted = requests.post(
        form["url"], data=form["fields"], files={"file": ("主图.png", data, "image/png")}, timeout=10
    )
    assert posted.status_code in (200, 204)
    uploads = get_settings().uploads_bucket
    broken = faults.fail(s3_call("GET", uploads), xml_error("SlowDown", 503))
    confirm = f"/sites/{SITE}/listing-images/{started['image_id']}/confirm"
    status, headers, body = call(api, "POST", confirm, {}, user="supplier.demo")
    assert_busy(status, headers, body)
    assert broken.fired >= 2
    faults.clear()
    # The upload is still there (a passing failure is not a refusal) and no image was recorded.
    keys = [o["Key"] for o in boto3.client("s3").list_objects_v2(Bucket=uploads).get("Contents", [])]
    assert any(started["image_id"] in k for k in keys), keys
    status, _, state = call(api, "GET", f"/sites/{SITE}/listing-images/{started['image_id']}", user="supplier.demo")
    assert status == 404, state
    status, _, image = call(api, "POST", confirm, {}, user="supplier.demo")
    assert status == 200 and image["status"] == "pending", image


def _queue_messages(logical_id: str) -> list[dict[str, Any]]:
    sqs = boto3.client("sqs")
    url = get_settings().queue_url(logical_id)
    return sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=30).get("Messages", [])


def _cancelled_order(api: Api, plan_no: str, paper: str, projection: Projection) -> dict[str, Any]:
    """An order placed (its outputs sent, no event yet): cancelling it releases the budget, an event."""
    status, order = api.call(
        "POST", f"/sites/{SITE}/orders", order_body(plan_no, "supplier.demo", [(paper, 2)]), as_user=BUYER
    )
    assert status == 201, order
    projection.drain()
    return dict(order)


def _cancel(api: Api, order: dict[str, Any]) -> None:
    path = f"/sites/{SITE}/orders/{order['order_no']}/cancel"
    status, cancelled = api.call("POST", path, {"reason": "重复下单"}, as_user=BUYER)
    assert status == 200 and cancelled["status"] == "cancelled", cancelled


def test_a_failing_event_bus_is_retried_from_the_queue_and_the_event_sent_once(
    api: Api, shop: tuple[str, str], faults: Faults, projection: Projection
) -> None:
    plan_no, paper = shop
    inbox = listen_to_order_events()
    projection.drain()
    # EventBridge answers 500 to the first four PutEvents: the SDK's three attempts of the first delivery, then one
    # more; the queue hands the change over again and the second delivery publishes.
    order = _cancelled_order(api, plan_no, paper, projection)
    down = faults.fail(target("AWSEvents.PutEvents"), json_error("InternalException", 500, prefix=""), times=4)
    _cancel(api, order)
    projection.drain()
    assert down.fired == 4
    events = [e for e in received(inbox) if e["detail"].get("order_no") == order["order_no"]]
    assert len(events) == 1, events  # published once: the failed attempts left nothing on the bus
    assert _queue_messages("OrderOutputsDeadLetterQueue") == []


def test_an_event_bus_that_stays_down_dead_letters_the_change(
    api: Api, shop: tuple[str, str], faults: Faults, projection: Projection
) -> None:
    plan_no, paper = shop
    projection.drain()
    order = _cancelled_order(api, plan_no, paper, projection)
    faults.fail(target("AWSEvents.PutEvents"), json_error("InternalException", 500, prefix=""))
    _cancel(api, order)
    projection.drain()
    [dead] = _queue_messages("OrderOutputsDeadLetterQueue")
    assert json.loads(dead["Body"])["record"]["dynamodb"]["Keys"]["pk"]["S"] == f"{SITE}#ORDER#{order['order_no']}"
    # The cancellation itself stands: the budget and the stock are back. (That one consumer failing holds no other
    # is tests/api/test_stream_isolation.py.)
    after = ledger(plan_no, [paper])
    assert after.committed_fen == 0 and after.stock[paper] == 100
