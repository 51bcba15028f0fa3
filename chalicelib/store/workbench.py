"""The workbench's counts, each one bounded query (COUNT where the index holds the answer; a look at the most
recent items where the answer is inside the documents). Implements domain.workbench.WorkCounts."""

from __future__ import annotations

from typing import Any

from chalicelib.domain.workbench import COUNT_CAP
from chalicelib.store import keys
from chalicelib.store.documents import fields_of
from chalicelib.store.models import (
    CompetitionItem,
    FollowupItem,
    ListingItem,
    MainItem,
    OrderItem,
    PlanItem,
    SupplierItem,
)
from chalicelib.store.orders import buyer_orders_pk, order_pk, site_orders_pk, supplier_orders_pk

# Where a count needs the documents (a termination's state, who has rated), the latest orders are looked at.
RECENT_ORDERS = 200


def _count(index: Any, partition: str, range_condition: Any = None, condition: Any = None) -> int:
    return int(index.count(partition, range_condition, filter_condition=condition, limit=COUNT_CAP))


class DynamoWorkCounts:
    def plans_pending(self, site_id: str, buyer: str) -> int:
        return _count(PlanItem.gsi1, keys.buyer_plans(site_id, buyer), None, PlanItem.status == "pending_acceptance")

    def orders_in(self, site_id: str, party: str, unit: str, status: str) -> int:
        if party == "buyer":
            return _count(OrderItem.gsi1, buyer_orders_pk(site_id, unit), None, OrderItem.status == status)
        prefix = OrderItem.gsi2sk.startswith(f"{site_id}#")
        return _count(OrderItem.gsi2, supplier_orders_pk(unit), prefix, OrderItem.status == status)

    def orders_to_rate(self, site_id: str, buyer: str) -> int:
        """Accepted or settled orders among the buyer's latest that have no rating of the supplier yet."""
        done = (OrderItem.status == "accepted") | (OrderItem.status == "settled")
        recent = OrderItem.gsi1.query(
            buyer_orders_pk(site_id, buyer), filter_condition=done, scan_index_forward=False, limit=100
        )
        numbers = [str(i.order_no) for i in recent if isinstance(i, OrderItem)]
        if not numbers:
            return 0
        rated = {str(i.pk) for i in MainItem.batch_get([(order_pk(site_id, n), "RATING#supplier") for n in numbers])}
        return sum(1 for n in numbers if order_pk(site_id, n) not in rated)

    def competitions_open(self, site_id: str, buyer: str) -> int:
        return _count(
            CompetitionItem.gsi1, keys.buyer_competitions(site_id, buyer), None, CompetitionItem.status == "open"
        )

    def invitations_unanswered(self, site_id: str, supplier: str) -> int:
        from chalicelib.wiring import stores

        store = stores().competitions
        invited, _ = store.invitations(supplier, site_id, 50, None)
        running = [c for c in invited if c.status.value == "open"]
        return sum(1 for c in running if store.quote_of(c, supplier) is None)

    def listings_mine(self, site_id: str, supplier: str, status: str) -> int:
        prefix = ListingItem.gsi1sk.startswith(f"{site_id}#")
        return _count(ListingItem.gsi1, keys.supplier_listings(supplier), prefix, ListingItem.status == status)

    def certificates_expiring(self, site_id: str, supplier: str, before: str) -> int:
        from chalicelib.wiring import stores

        mine = stores().listings.mine(site_id, supplier, None)
        live = [x for x in mine if x.status.value in ("active", "pending")]
        return sum(1 for x in live if any(c.expires_on <= before for c in x.draft.certificates))

    def suppliers_pending(self) -> int:
        return _count(SupplierItem.gsi1, keys.suppliers_by_status("pending"))

    def orders_unconfirmed_since(self, site_id: str, last_day: str) -> int:
        from datetime import date

        from chalicelib.domain.clock import china_days_window

        window = china_days_window(None, date.fromisoformat(last_day))
        assert window is not None
        return _count(
            OrderItem.gsi3,
            site_orders_pk(site_id),
            OrderItem.gsi3sk.between(*window),
            OrderItem.status == "pending_confirmation",
        )

    def supplier_changes(self) -> int:
        return _count(SupplierItem.gsi3, keys.supplier_changes())

    def listings_pending(self, site_id: str) -> int:
        return _count(ListingItem.gsi2, keys.listings_by_status(site_id, "pending"))

    def terminations_pending(self, site_id: str) -> int:
        return sum(1 for data in self._recent_orders(site_id) if data["termination"]["status"] == "requested")

    def orders_terminated(self, site_id: str) -> int:
        return sum(1 for data in self._recent_orders(site_id) if data["status"] == "terminated")

    def followups_open(self, site_id: str) -> int:
        return _count(FollowupItem.gsi1, keys.followups(site_id, "open"))

    def reports_compiled(self, site_id: str) -> int:
        from chalicelib.wiring import stores

        return len(stores().rollups.report_entries(site_id))

    def recent_orders(self, site_id: str) -> list[dict[str, Any]]:
        """The site's newest orders as stored documents (the centre's queue finds termination requests in them)."""
        return self._recent_orders(site_id)

    @staticmethod
    def _recent_orders(site_id: str) -> list[dict[str, Any]]:
        recent = OrderItem.gsi3.query(site_orders_pk(site_id), scan_index_forward=False, limit=RECENT_ORDERS)
        return [fields_of("order", i.data) for i in recent if isinstance(i, OrderItem)]
