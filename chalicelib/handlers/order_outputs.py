"""What a committed order change sends out: its documents to S3, then its event to the order bus."""

from __future__ import annotations

import json

from chalicelib.lambdas import Change, stream_consumer
from chalicelib.observability import logger, metrics


@stream_consumer(
    "order_outputs",
    table="MainTable",
    kinds=("order",),
    needs=("MainTable:read", "ReportsBucket:put:orders/*", "OrderEventBus:publish"),
    queued=True,
)
def send_order_outputs(change: Change) -> None:
    """Documents that became due go to S3, then the event (which names them) to the order bus.

    A failure raises, so the message is retried from its queue; both steps are
    idempotent (documents render deterministically, events carry their id).
    """
    from chalicelib.domain.order_documents import DocumentKind, document_key, is_due, render
    from chalicelib.domain.order_events import event_for_transition
    from chalicelib.domain.orders import order_from_dict
    from chalicelib.store.documents import fields_of
    from chalicelib.store.order_outputs import publish, store_document
    from chalicelib.store.sites import cached_site

    if change.new is None or "data" not in change.new:
        return
    new = order_from_dict(fields_of("order", json.loads(change.new["data"])))
    old = (
        order_from_dict(fields_of("order", json.loads(change.old["data"])))
        if change.old and "data" in change.old
        else None
    )
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
