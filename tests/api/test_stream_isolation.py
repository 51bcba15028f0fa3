"""One stream reader, consumers isolated from each other: a broken one never holds the others."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest

from chalicelib import lambdas
from chalicelib.config import env_var, get_settings, get_tables
from chalicelib.lambdas import STREAM_CONSUMERS, Change
from scheduled import demo_market, seed
from tests import grants
from tests.api.orders_support import COPY_PAPER, SITE, add_listing, add_plan, order_body
from tests.conftest import Api, Projection, moto_environment


def _queue_url(logical_id: str) -> str:
    return get_settings().queue_url(logical_id)


def _messages(url: str) -> list[dict[str, Any]]:
    sqs = boto3.client("sqs")
    found: list[dict[str, Any]] = []
    while True:
        batch = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=30).get("Messages", [])
        if not batch:
            return found
        found.extend(batch)


def _log_lines(text: str) -> list[dict[str, Any]]:
    lines = []
    for line in text.splitlines():
        if line.startswith("{"):
            try:
                lines.append(json.loads(line))
            except ValueError:
                continue
    return lines


@pytest.fixture
def broken_order_outputs(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(change: Change) -> None:
        raise RuntimeError("模板渲染失败（测试）")

    lambdas.load_declarations()
    monkeypatch.setitem(STREAM_CONSUMERS, "order_outputs", STREAM_CONSUMERS["order_outputs"]._replace(run=broken))


def test_a_failing_consumer_holds_no_other_and_lands_in_its_dead_letter_queue(
    api: Api,
    aws: dict[str, str],
    broken_order_outputs: None,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    demo_market.seed_demo_suppliers(aws["USER_POOL_ID"])
    plan_no = add_plan(1, budget_fen=1_000_000)
    paper = add_listing("supplier.demo", COPY_PAPER, "得力 A4 复印纸 70g", "DL-7055", 2_500, 100)
    projection = Projection()
    projection.drain()
    capsys.readouterr()
    caplog.clear()

    status, order = api.call(
        "POST", f"/sites/{SITE}/orders", order_body(plan_no, "supplier.demo", [(paper, 2)]), as_user="liaocheng.buyer"
    )
    assert status == 201, order
    status, _ = api.call(
        "PUT",
        f"/sites/{SITE}/limits",
        {"per_order_cap_fen": 70_000_000, "per_plan_cap_fen": 90_000_000, "annual_category_cap_fen": 250_000_000},
        as_user="liaocheng.center",
    )
    assert status == 200
    projection.drain()

    # The order's outputs failed on every attempt and went to their own dead-letter queue…
    [dead] = _messages(_queue_url("OrderOutputsDeadLetterQueue"))
    body = json.loads(dead["Body"])
    assert body["consumer"] == "order_outputs"
    assert body["record"]["dynamodb"]["Keys"]["pk"]["S"] == f"{SITE}#ORDER#{order['order_no']}"
    assert _messages(_queue_url("OrderOutputsQueue")) == []
    # …while the catalog projection and the site configuration carried on.
    s3 = boto3.client("s3")
    published = json.loads(
        s3.get_object(Bucket=get_settings().web_bucket, Key=f"sites/{SITE}/config.json")["Body"].read()
    )
    assert published["limits"]["per_order_cap_fen"] == 70_000_000
    status, page = api.call("GET", f"/sites/{SITE}/catalog?category={COPY_PAPER}&limit=60")
    assert status == 200, page
    card = next(c for c in page["items"] if c["id"] == paper)
    assert card["sales"] == 2  # the sale reached the catalog
    assert _messages(_queue_url("SiteConfigPublicationDeadLetterQueue")) == []
    # An error line and a metric name the consumer.
    errors = [r for r in caplog.records if r.getMessage() == "stream consumer failed"]
    assert errors and {getattr(r, "consumer", None) for r in errors} == {"order_outputs"}
    assert {r.levelname for r in errors} == {"ERROR"}
    metrics = [line for line in _log_lines(capsys.readouterr().out) if "ConsumerFailed" in json.dumps(line)]
    assert metrics and {m["consumer"] for m in metrics} == {"order_outputs"}


def test_a_record_of_an_unknown_kind_is_set_aside_and_the_rest_read_on(api: Api, aws: dict[str, str]) -> None:
    projection = Projection()
    projection.drain()
    ddb = boto3.client("dynamodb")
    ddb.put_item(
        TableName=get_tables().main, Item={"pk": {"S": "liaocheng#ODD"}, "sk": {"S": "X"}, "kind": {"S": "mystery"}}
    )
    status, _ = api.call(
        "PUT",
        "/sites/weihai/limits",
        {"per_order_cap_fen": 60_000_000, "per_plan_cap_fen": 90_000_000, "annual_category_cap_fen": 250_000_000},
        as_user="weihai.center",
    )
    assert status == 200
    projection.drain()
    [dead] = _messages(_queue_url("StreamDeadLetterQueue"))
    body = json.loads(dead["Body"])
    assert "unknown kind 'mystery'" in body["reason"] and body["table"] == "MainTable"
    s3 = boto3.client("s3")
    published = json.loads(
        s3.get_object(Bucket=get_settings().web_bucket, Key="sites/weihai/config.json")["Body"].read()
    )
    assert published["limits"]["per_order_cap_fen"] == 60_000_000


def test_a_queue_message_that_does_not_parse_goes_to_its_dead_letter_queue(
    api: Api, aws: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    projection = Projection()
    projection.drain()
    boto3.client("sqs").send_message(
        QueueUrl=_queue_url("OrderOutputsQueue"),
        MessageBody="这不是 JSON",
        MessageGroupId="g",
        MessageDeduplicationId="d",
    )
    projection.drain()
    [dead] = _messages(_queue_url("OrderOutputsDeadLetterQueue"))
    assert dead["Body"] == "这不是 JSON"
    lines = [r for r in caplog.records if r.getMessage() == "unreadable queue message"]
    assert lines and "does not parse" in getattr(lines[0], "reason", "")


# ------------------------------------------------------------------ adding a consumer is one declaration


@pytest.fixture
def declared_consumer() -> Iterator[list[Change]]:
    """A consumer declared the way the app's are: one decorator over its code."""
    seen: list[Change] = []
    lambdas.load_declarations()

    @lambdas.stream_consumer(
        "plan_watch", table="MainTable", kinds=("plan",), needs=("ReportsBucket:put:plans/*",), queued=True
    )
    def watch_plans(change: Change) -> None:
        seen.append(change)

    try:
        yield seen
    finally:
        del STREAM_CONSUMERS["plan_watch"]


def test_a_declared_consumer_is_packaged_provisioned_and_pumped(declared_consumer: list[Change]) -> None:
    from infra.template import declared_template

    resources = declared_template()["Resources"]
    function = resources["ConsumePlanWatch"]["Properties"]
    assert function["Handler"] == "chalicelib.handlers.streams.on_queue_message"
    assert function["Events"]["ConsumePlanWatchQueue"]["Properties"]["Queue"] == {
        "Fn::GetAtt": ["PlanWatchQueue", "Arn"]
    }
    assert function["Environment"]["Variables"]["REPORTS_BUCKET"] == {"Ref": "ReportsBucket"}
    statements = resources["ConsumePlanWatchRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    assert {"Sid": "ReportsBucketPutplans", "Effect": "Allow", "Action": ["s3:PutObject"]}.items() <= next(
        s for s in statements if s["Sid"] == "ReportsBucketPutplans"
    ).items()
    reader = resources["OnMainTableChangeRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    assert any(s["Sid"] == "PlanWatchQueueSend" for s in reader)
    assert "PlanWatchDeadLetterQueue" in resources

    with moto_environment() as outputs, grants.tap() as calls:
        url = outputs[env_var("PlanWatchQueue", "AWS::SQS::Queue")]
        assert url.endswith("yuncai-dev-plan-watch.fifo")
        seed.seed_all(outputs["USER_POOL_ID"])
        add_plan(1, budget_fen=500_000)
        Projection().drain()
    # Its role, written from the declaration, grants what its function and the reader then did for it.
    assert grants.check(calls, declared_template(), grants.test_environment()).missing == {}
    assert any("plan-watch" in c.resource for c in calls["on_main_table_change"])
    grants.forget({f: {c for c in made if "plan-watch" in c.resource} for f, made in calls.items()})
    # The plan as inserted (and as the helper then accepted it), in order: one item, one FIFO group.
    assert {(c.kind, c.keys["pk"]) for c in declared_consumer} == {("plan", declared_consumer[0].keys["pk"])}
    assert declared_consumer[0].event_name == "INSERT" and declared_consumer[-1].event_name == "MODIFY"
