"""Lambdas that are not HTTP: the deadline task, the sweep schedule, the main table's stream."""

from __future__ import annotations

import json
from typing import Any

from chalice.app import Blueprint, DynamoDBEvent, Rate

from chalicelib.config import main_table_stream_arn
from chalicelib.domain import site_admin, suppliers
from chalicelib.domain.clock import to_iso, utc_now
from chalicelib.domain.sites import public_view, site_from_dict
from chalicelib.domain.suppliers import Supplier
from chalicelib.observability import logger, metrics
from chalicelib.store import catalog
from chalicelib.store.listings import DynamoListingStore, listing_from_image
from chalicelib.store.public_config import publish_site_config
from chalicelib.store.reference import national_catalog
from chalicelib.store.sites import DynamoSiteStore, cached_site
from chalicelib.store.suppliers import DynamoSupplierStore, supplier_from_image

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
    now = utc_now()
    if kind == "site_change":
        status = site_admin.apply_due_change(DynamoSiteStore(), task["site_id"], task["change_id"], now)
    elif kind == "supplier_reinstatement":
        status = suppliers.reinstate_if_due(DynamoSupplierStore(), task["uscc"], now)
    else:
        raise UnknownDeadlineTask(f"unknown deadline task kind: {kind!r}")
    if status == "applied":
        metrics.add_metric(name="DeadlineApplied", unit="Count", value=1)
    return {"status": status}


@bp.schedule(Rate(10, unit=Rate.MINUTES), name="sweep_due_changes")
def sweep_due_changes(event: Any) -> dict[str, int]:
    """Safety net for the timers: apply whatever is due (site changes, ends of suspensions)."""
    now = utc_now()
    counts = site_admin.sweep_due_changes(DynamoSiteStore(), now)
    store = DynamoSupplierStore()
    reinstated = sum(
        suppliers.reinstate_if_due(store, s.uscc, now) == "applied" for s in store.due_reinstatements(to_iso(now))
    )
    counts["reinstated"] = reinstated
    if counts["applied"] or reinstated:
        logger.warning("sweep applied what a timer had not", extra=counts)
    return counts


def _decode(image: dict[str, Any] | None) -> dict[str, Any] | None:
    if not image:
        return None
    from boto3.dynamodb.types import TypeDeserializer

    deserializer = TypeDeserializer()
    return {k: deserializer.deserialize(v) for k, v in image.items()}


def _rating(supplier: Supplier | None) -> dict[str, Any]:
    if supplier is None:
        return {"count": 0, "average": None}
    return {"count": supplier.rating.votes, "average": supplier.rating.average}


def _project_listing_change(old_item: dict[str, Any] | None, new_item: dict[str, Any] | None) -> None:
    old = listing_from_image(old_item) if old_item and "data" in old_item else None
    new = listing_from_image(new_item) if new_item and "data" in new_item else None
    subject = new or old
    if subject is None:
        return
    supplier = DynamoSupplierStore().get(subject.supplier.uscc)
    catalog.project_listing(
        cached_site(subject.site_id), old, new, supplier is not None and supplier.is_active, _rating(supplier)
    )


def _project_supplier_change(old_item: dict[str, Any] | None, new_item: dict[str, Any] | None) -> None:
    """A supplier's status, name or rating shows on every one of its listings: re-project them all."""
    if not new_item or "data" not in new_item:
        return
    supplier = supplier_from_image(new_item)
    old = supplier_from_image(old_item) if old_item and "data" in old_item else None
    if old is not None and (old.status, old.profile.name, old.rating) == (
        supplier.status,
        supplier.profile.name,
        supplier.rating,
    ):
        return
    for listing in DynamoListingStore().of_supplier_everywhere(supplier.uscc):
        catalog.project_listing(cached_site(listing.site_id), listing, listing, supplier.is_active, _rating(supplier))


def _send_order_outputs(old_item: dict[str, Any] | None, new_item: dict[str, Any]) -> None:
    """Documents that became due go to S3, then the event (which names them) to the order bus.

    A failure raises, so the stream retries the record; both steps are idempotent.
    """
    from chalicelib.domain.order_documents import DocumentKind, document_key, is_due, render
    from chalicelib.domain.order_events import event_for_transition
    from chalicelib.domain.orders import order_from_dict
    from chalicelib.store.order_outputs import publish, store_document

    new = order_from_dict(json.loads(new_item["data"]))
    old = order_from_dict(json.loads(old_item["data"])) if old_item and "data" in old_item else None
    for kind in DocumentKind:
        if is_due(new, kind) and (old is None or not is_due(old, kind)):
            key = document_key(new.site_id, new.order_no, kind)
            store_document(key, render(new, kind, cached_site(new.site_id).look.title))
            logger.info("order document stored", extra={"order_no": new.order_no, "key": key})
    event = event_for_transition(old, new)
    if event is not None:
        publish(event)
        metrics.add_metric(name=event.detail_type, unit="Count", value=1)
        logger.info("order event published", extra={"order_no": new.order_no, "detail_type": event.detail_type})


@bp.on_dynamodb_record(stream_arn=main_table_stream_arn(), name="on_main_table_change", batch_size=50)
def on_main_table_change(event: DynamoDBEvent) -> None:
    """Projections of the main table: the public site configuration, and the catalog index.

    Streams deliver at least once (and moto repeats INSERTs): every projection
    here converges to the current state, so repeats are harmless.
    """
    for record in event:
        new_item, old_item = _decode(record.new_image), _decode(record.old_image)
        kind = (new_item or old_item or {}).get("kind")
        if kind == "site_config" and new_item is not None:
            site = site_from_dict(json.loads(new_item["data"]))
            key = publish_site_config(public_view(site, national_catalog()))
            logger.info("published site config", extra={"site_id": site.id, "key": key, "version": site.version})
        elif kind == "listing":
            _project_listing_change(old_item, new_item)
        elif kind == "supplier":
            _project_supplier_change(old_item, new_item)
        elif kind == "order" and new_item is not None:
            _send_order_outputs(old_item, new_item)
