"""Batch purchases (批量采购) in the main table.

pk {site}#BATCH#{id}  sk BATCH             the batch; gsi1 {site}#BATCHES by creation, newest first
                      sk ENTRY#{plan_no}   a buyer's entry, one per plan
                      sk OFFER#{uscc}      a supplier's 优惠率
One Query of the partition reads a batch with its entries and offers (a city's batch has tens of buyers).
"""

from __future__ import annotations

from chalicelib.domain.audit import AuditEvent
from chalicelib.domain.batches import (
    Batch,
    Offer,
    Participation,
    batch_from_dict,
    batch_to_dict,
    entry_from_dict,
    entry_to_dict,
)
from chalicelib.domain.errors import Conflict
from chalicelib.domain.plans import PlanStatus
from chalicelib.store import keys
from chalicelib.store.models import BatchEntryItem, BatchItem, BatchOfferItem, MainItem, PlanItem
from chalicelib.store.plans import refusal_after_race
from chalicelib.store.tx import AuditedWrite

SK = "BATCH"
_CHANGED = Conflict("批量采购状态已变化，请刷新后重试", code="BATCH_CHANGED")


def _next_deadline(b: Batch) -> str | None:
    return {"joining": b.join_until, "offering": b.offer_until}.get(b.status.value)


def _item(b: Batch) -> BatchItem:
    due = _next_deadline(b)
    return BatchItem(
        pk=keys.batch(b.site_id, b.id),
        sk=SK,
        gsi1pk=keys.site_batches(b.site_id),
        gsi1sk=keys.sorted_by(b.created_at, b.id),
        # While a window runs, the batch is on the province's due index: the sweep finds any a timer missed.
        gsi2pk=keys.batches_due() if due else None,
        gsi2sk=keys.sorted_by(due, b.site_id, b.id) if due else None,
        status=b.status.value,
        version=b.version,
        join_until=b.join_until,
        offer_until=b.offer_until,
        buyers=b.buyers,
        quantity=b.quantity,
        data=batch_to_dict(b),
    )


def _batch(item: BatchItem) -> Batch:
    # The counters joins add to are top-level: they, not the document's copy, are current.
    raw = {**item.data, "buyers": int(item.buyers), "quantity": int(item.quantity), "version": int(item.version)}
    return batch_from_dict(raw)


def _offer(item: BatchOfferItem) -> Offer:
    return Offer(**item.data)


def _entry(item: BatchEntryItem) -> Participation:
    # The outcome is set once, as a top-level attribute (the condition of settling).
    return entry_from_dict({**item.data, "outcome": item.outcome or item.data.get("outcome", "")})


class DynamoBatchStore:
    """Implements domain.batches.BatchStore."""

    def get(self, site_id: str, batch_id: str) -> Batch | None:
        try:
            item = BatchItem.get(keys.batch(site_id, batch_id), SK)
        except BatchItem.DoesNotExist:
            return None
        return _batch(item) if isinstance(item, BatchItem) else None

    def list_for_site(self, site_id: str, limit: int = 50) -> list[Batch]:
        found = BatchItem.gsi1.query(keys.site_batches(site_id), scan_index_forward=False, limit=limit)
        return [_batch(i) for i in found if isinstance(i, BatchItem)]

    def due(self, now: str, limit: int = 100) -> list[tuple[str, str]]:
        """(site, batch id) of running batches whose window has closed by `now`: one Query of the due index."""
        found = BatchItem.gsi2.query(keys.batches_due(), BatchItem.gsi2sk <= f"{now}#~", limit=limit)
        # pk is {site}#BATCH#{id}
        return [(str(i.pk).split("#", 1)[0], str(i.pk).rsplit("#", 1)[1]) for i in found if isinstance(i, BatchItem)]

    def create(self, batch: Batch, audit: AuditEvent) -> None:
        write = AuditedWrite(audit)
        write.put(
            _item(batch), BatchItem.pk.does_not_exist(), Conflict("批量采购编号冲突，请重试", code="BATCH_EXISTS")
        )
        write.commit()

    def join(self, batch: Batch, entry: Participation, plan_budget_fen: int, audit: AuditEvent, now: str) -> None:
        write = AuditedWrite(audit)
        write.put(
            BatchEntryItem(
                pk=keys.batch(batch.site_id, batch.id), sk=f"ENTRY#{entry.plan_no}", data=entry_to_dict(entry)
            ),
            BatchEntryItem.pk.does_not_exist(),
            Conflict("该采购计划已报名本批量采购", code="BATCH_ALREADY_JOINED"),
        )
        reserved = entry.reserved_fen
        write.update(
            PlanItem(pk=keys.plan(batch.site_id, entry.plan_no), sk="PLAN"),
            [PlanItem.committed_fen.add(reserved), PlanItem.version.add(1)],
            (PlanItem.status == PlanStatus.ACCEPTED.value) & (PlanItem.committed_fen <= plan_budget_fen - reserved),
            refusal_after_race(batch.site_id, entry.plan_no, reserved, what="按参考单价须预留"),
        )
        write.update(
            BatchItem(pk=keys.batch(batch.site_id, batch.id), sk=SK),
            [BatchItem.buyers.add(1), BatchItem.quantity.add(entry.quantity), BatchItem.version.add(1)],
            (BatchItem.status == "joining") & (BatchItem.join_until > now),
            Conflict(f"批量采购“{batch.title}”已截止报名", code="BATCH_CLOSED"),
        )
        write.commit()

    def offer(self, batch: Batch, offer: Offer, previous: Offer | None, audit: AuditEvent, now: str) -> None:
        write = AuditedWrite(audit)
        item = BatchOfferItem(
            pk=keys.batch(batch.site_id, batch.id),
            sk=f"OFFER#{offer.supplier_uscc}",
            revision=offer.revision,
            data=offer._asdict(),
        )
        condition = (
            BatchOfferItem.pk.does_not_exist() if previous is None else BatchOfferItem.revision == previous.revision
        )
        write.put(item, condition, Conflict("报价已被修改，请刷新后重试", code="OFFER_CHANGED"))
        write.check(
            BatchItem,
            keys.batch(batch.site_id, batch.id),
            SK,
            (BatchItem.status == "offering") & (BatchItem.offer_until > now),
            Conflict(f"批量采购“{batch.title}”当前不在报价期", code="BATCH_NOT_OFFERING"),
        )
        write.commit()

    def move(self, batch: Batch, previous: Batch, audit: AuditEvent) -> None:
        write = AuditedWrite(audit)
        write.put(_item(batch), BatchItem.version == previous.version, _CHANGED)
        write.commit()

    def entries(self, site_id: str, batch_id: str) -> list[Participation]:
        found = BatchEntryItem.query(keys.batch(site_id, batch_id), BatchEntryItem.sk.startswith("ENTRY#"))
        return [_entry(i) for i in found if isinstance(i, BatchEntryItem)]

    def offers(self, site_id: str, batch_id: str) -> list[Offer]:
        found = BatchOfferItem.query(keys.batch(site_id, batch_id), BatchOfferItem.sk.startswith("OFFER#"))
        return [_offer(i) for i in found if isinstance(i, BatchOfferItem)]

    def contents(self, site_id: str, batch_id: str) -> tuple[list[Participation], list[Offer]]:
        """The entries and the offers together: one Query of the batch's partition (for its view)."""
        entries: list[Participation] = []
        offers: list[Offer] = []
        for item in MainItem.query(keys.batch(site_id, batch_id)):
            if isinstance(item, BatchEntryItem):
                entries.append(_entry(item))
            elif isinstance(item, BatchOfferItem):
                offers.append(_offer(item))
        return entries, offers

    def offer_of(self, site_id: str, batch_id: str, uscc: str) -> Offer | None:
        try:
            item = BatchOfferItem.get(keys.batch(site_id, batch_id), f"OFFER#{uscc}")
        except BatchOfferItem.DoesNotExist:
            return None
        return _offer(item) if isinstance(item, BatchOfferItem) else None

    def settle_entry(self, entry: Participation, release_fen: int, audit: AuditEvent) -> None:
        write = AuditedWrite(audit)
        write.put(
            BatchEntryItem(
                pk=keys.batch(entry.site_id, entry.batch_id),
                sk=f"ENTRY#{entry.plan_no}",
                outcome=entry.outcome,
                data=entry_to_dict(entry),
            ),
            BatchEntryItem.outcome.does_not_exist() | (BatchEntryItem.outcome == ""),
            Conflict("报名结果已记录", code="ENTRY_SETTLED"),
        )
        if release_fen:
            write.update(
                PlanItem(pk=keys.plan(entry.site_id, entry.plan_no), sk="PLAN"),
                [PlanItem.committed_fen.add(-release_fen), PlanItem.version.add(1)],
            )
        write.commit()
