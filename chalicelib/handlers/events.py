"""Lambdas that are not HTTP: the deadline task, the sweep schedule, the stream handler."""

from __future__ import annotations

import json
from typing import Any

from chalice.app import Blueprint, DynamoDBEvent, Rate

from chalicelib.config import main_table_stream_arn
from chalicelib.domain import site_admin
from chalicelib.domain.clock import utc_now
from chalicelib.domain.sites import public_view, site_from_dict
from chalicelib.observability import logger, metrics
from chalicelib.store.public_config import publish_site_config
from chalicelib.store.reference import national_catalog
from chalicelib.store.sites import DynamoSiteStore

bp = Blueprint(__name__)


class UnknownDeadlineTask(ValueError):
    """The timer fired for a task kind this code does not know: fail the execution loudly."""


@bp.lambda_function(name="on_deadline")
def on_deadline(event: dict[str, Any], context: Any) -> dict[str, str]:
    """Called by the deadline state machine when a deadline is reached.

    Returns {"status": "early"} if woken before the deadline (the machine then
    waits and calls again), otherwise the task's outcome.
    """
    task = event.get("task") or {}
    kind = task.get("kind")
    logger.info("deadline fired", extra={"task": task, "due_at": event.get("due_at")})
    if kind == "site_change":
        status = site_admin.apply_due_change(DynamoSiteStore(), task["site_id"], task["change_id"], utc_now())
        if status == "applied":
            metrics.add_metric(name="SiteChangeApplied", unit="Count", value=1)
        return {"status": status}
    raise UnknownDeadlineTask(f"unknown deadline task kind: {kind!r}")


@bp.schedule(Rate(10, unit=Rate.MINUTES), name="sweep_due_changes")
def sweep_due_changes(event: Any) -> dict[str, int]:
    """Safety net for the timers: apply any scheduled change whose day has come."""
    counts = site_admin.sweep_due_changes(DynamoSiteStore(), utc_now())
    if counts["applied"]:
        logger.warning("sweep applied changes a timer had not", extra=counts)
    return counts


@bp.on_dynamodb_record(stream_arn=main_table_stream_arn(), name="on_main_table_change", batch_size=50)
def on_main_table_change(event: DynamoDBEvent) -> None:
    """Project each site's public configuration to the web bucket when it changes.

    Streams deliver at least once (and moto repeats INSERTs): publishing the
    current image is an overwrite, so repeats are harmless.
    """
    from boto3.dynamodb.types import TypeDeserializer

    deserializer = TypeDeserializer()
    for record in event:
        image = record.new_image
        if not image or image.get("kind", {}).get("S") != "site_config":
            continue
        item = {k: deserializer.deserialize(v) for k, v in image.items()}
        site = site_from_dict(json.loads(item["data"]))
        key = publish_site_config(public_view(site, national_catalog()))
        logger.info("published site config", extra={"site_id": site.id, "key": key, "version": site.version})
