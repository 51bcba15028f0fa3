"""Ratings (好差评), their follow-ups and the site's rating counters in the main table."""

from __future__ import annotations

from typing import Any

from chalicelib.domain.audit import AuditEvent
from chalicelib.domain.errors import Conflict
from chalicelib.domain.ratings import (
    Followup,
    Rating,
    RatingTarget,
    followup_from_dict,
    followup_to_dict,
    rating_to_dict,
)
from chalicelib.store import keys
from chalicelib.store.models import FollowupItem, RatingItem, SiteStatsItem, SupplierItem
from chalicelib.store.orders import order_pk
from chalicelib.store.paging import decode_cursor, encode_cursor
from chalicelib.store.suppliers import supplier_pk
from chalicelib.store.tx import AuditedWrite

_COUNTERS = {
    RatingTarget.SUPPLIER: (SiteStatsItem.supplier_total, SiteStatsItem.supplier_good),
    RatingTarget.MALL: (SiteStatsItem.mall_total, SiteStatsItem.mall_good),
    RatingTarget.BUYER: (SiteStatsItem.buyer_total, SiteStatsItem.buyer_good),
}


def _followup_item(followup: Followup) -> FollowupItem:
    return FollowupItem(
        pk=keys.followup(followup.site_id, followup.order_no, followup.target.value),
        sk="FOLLOWUP",
        gsi1pk=keys.followups(followup.site_id, followup.status),
        gsi1sk=keys.sorted_by(followup.opened_at, followup.order_no, followup.target.value),
        status=followup.status,
        data=followup_to_dict(followup),
    )


class DynamoRatingStore:
    """Implements domain.ratings.RatingStore."""

    def add(self, rating: Rating, audit: AuditEvent, followup: Followup | None) -> None:
        write = AuditedWrite(audit)
        write.put(
            RatingItem(
                pk=order_pk(rating.site_id, rating.order_no),
                sk=f"RATING#{rating.target.value}",
                target=rating.target.value,
                stars=rating.stars,
                data=rating_to_dict(rating),
            ),
            RatingItem.pk.does_not_exist(),
            Conflict(f"该订单已完成“{rating.target.label}”，不能重复评价", code="ALREADY_RATED"),
        )
        total, good = _COUNTERS[rating.target]
        actions: list[Any] = [total.add(1), SiteStatsItem.kind.set(SiteStatsItem)]
        if rating.is_good:
            actions.append(good.add(1))
        write.update(SiteStatsItem(pk=keys.site_stats(rating.site_id), sk="RATINGS"), actions)
        if rating.target is RatingTarget.SUPPLIER:
            # The supplier's score is province-wide; its version moves so that a stale profile save fails.
            write.update(
                SupplierItem(pk=supplier_pk(rating.subject), sk="PROFILE"),
                [
                    SupplierItem.rating_votes.add(1),
                    SupplierItem.rating_stars.add(rating.stars),
                    SupplierItem.version.add(1),
                ],
                SupplierItem.pk.exists(),
                Conflict("供应商不存在", code="SUPPLIER_NOT_FOUND"),
            )
        if followup is not None:
            write.put(_followup_item(followup), FollowupItem.pk.does_not_exist())
        write.commit()

    def get_followup(self, site_id: str, order_no: str, target: RatingTarget) -> Followup | None:
        try:
            item = FollowupItem.get(keys.followup(site_id, order_no, target.value), "FOLLOWUP")
        except FollowupItem.DoesNotExist:
            return None
        return followup_from_dict(item.data)

    def close_followup(self, followup: Followup, audit: AuditEvent) -> None:
        write = AuditedWrite(audit)
        write.put(
            _followup_item(followup),
            FollowupItem.status == "open",
            Conflict("该差评已回访", code="FOLLOWUP_CLOSED"),
        )
        write.commit()

    def list_followups(
        self, site_id: str, status: str, limit: int, cursor: str | None
    ) -> tuple[list[Followup], str | None]:
        partition = keys.followups(site_id, status)
        start = decode_cursor(cursor, {"gsi1pk": partition})
        result = FollowupItem.gsi1.query(partition, scan_index_forward=False, limit=limit, last_evaluated_key=start)
        found = [followup_from_dict(i.data) for i in result if isinstance(i, FollowupItem)]
        return found, encode_cursor(result.last_evaluated_key)

    def site_counts(self, site_id: str) -> dict[str, int]:
        try:
            item = SiteStatsItem.get(keys.site_stats(site_id), "RATINGS")
        except SiteStatsItem.DoesNotExist:
            return {}
        return {
            name: int(getattr(item, name) or 0)
            for target in RatingTarget
            for name in (f"{target.value}_total", f"{target.value}_good")
        }
