"""Lambdas that are not HTTP: the deadline task, the sweep schedule, the main table's stream."""

from __future__ import annotations

import json
from typing import Any

from chalice.app import Blueprint, DynamoDBEvent, Rate

from chalicelib.config import main_table_stream_arn
from chalicelib.domain import site_admin, suppliers
from chalicelib.domain.clock import to_iso, utc_now
from chalicelib.domain.listings import listing_from_dict
from chalicelib.domain.sites import public_view, site_from_dict
from chalicelib.domain.suppliers import Supplier, supplier_from_dict
from chalicelib.observability import logger, metrics
from chalicelib.store import catalog
from chalicelib.store.listings import DynamoListingStore
from chalicelib.store.public_config import publish_site_config
from chalicelib.store.reference import national_catalog
from chalicelib.store.sites import DynamoSiteStore, cached_site
from chalicelib.store.suppliers import DynamoSupplierStore

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


def _data(item: dict[str, Any] | None) -> dict[str, Any] | None:
    if item is None:
        return None
    raw = item.get("data")
    return json.loads(raw) if isinstance(raw, str) else None


def _rating(supplier: Supplier | None) -> dict[str, Any]:
    if supplier is None:
        return {"count": 0, "average": None}
    return {"count": supplier.rating.votes, "average": supplier.rating.average}


def _project_listing_change(old_item: dict[str, Any] | None, new_item: dict[str, Any] | None) -> None:
    old_data, new_data = _data(old_item), _data(new_item)
    subject = new_data or old_data
    if subject is None:
        return
    site = cached_site(subject["site_id"])
    supplier = DynamoSupplierStore().get(subject["supplier"]["uscc"])
    catalog.project_listing(
        site,
        listing_from_dict(old_data) if old_data else None,
        listing_from_dict(new_data) if new_data else None,
        supplier is not None and supplier.is_active,
        _rating(supplier),
    )


def _project_supplier_change(old_item: dict[str, Any] | None, new_item: dict[str, Any] | None) -> None:
    """A supplier's status, name or rating shows on every one of its listings: re-project them all."""
    old_data, new_data = _data(old_item), _data(new_item)
    if new_data is None:
        return
    supplier = supplier_from_dict(new_data)
    old = supplier_from_dict(old_data) if old_data else None
    if old is not None and (old.status, old.profile.name, old.rating) == (
        supplier.status,
        supplier.profile.name,
        supplier.rating,
    ):
        return
    for listing in DynamoListingStore().of_supplier_everywhere(supplier.uscc):
        catalog.project_listing(cached_site(listing.site_id), listing, listing, supplier.is_active, _rating(supplier))


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
