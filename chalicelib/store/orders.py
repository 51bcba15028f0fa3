"""Orders in the main table: placing one is a single transaction with everything it takes.

Reads for placing an order: the plan (GetItem), then the supplier, the
listings and the buyer's yearly spending counter together (BatchGetItem).
The transaction re-checks every one of those reads as a condition, because
they may be stale by the time it runs; DynamoDB then applies all or nothing.
"""

from __future__ import annotations

from typing import Any

from pynamodb.expressions.condition import Condition

from chalicelib.domain.audit import AuditEvent
from chalicelib.domain.errors import Conflict
from chalicelib.domain.listings import ListingStatus
from chalicelib.domain.orders import (
    AgreementGuard,
    Order,
    OrderFilter,
    OrderInputs,
    Release,
    order_from_dict,
    order_to_dict,
)
from chalicelib.domain.plans import PlanStatus
from chalicelib.domain.sites import site_from_dict
from chalicelib.domain.suppliers import SupplierStatus
from chalicelib.store import keys
from chalicelib.store.agreements import rotation_sk
from chalicelib.store.documents import fields_of, stamped
from chalicelib.store.listings import listing_from_item, listing_pk
from chalicelib.store.models import (
    AgreementItem,
    CapUsageItem,
    ListingItem,
    MainItem,
    OrderItem,
    PlanItem,
    RatingItem,
    RotationItem,
    SiteConfigItem,
    SupplierItem,
)
from chalicelib.store.nonces import remember_nonce
from chalicelib.store.paging import decode_cursor, filtered_page
from chalicelib.store.plans import plan_from_item, refusal_after_race, usage_pk
from chalicelib.store.sites import site_pk
from chalicelib.store.suppliers import supplier_from_item, supplier_pk
from chalicelib.store.tx import AuditedWrite

_VERSION_CONFLICT = Conflict("订单已被他人处理，请刷新后重试", code="VERSION_CONFLICT")


def order_pk(site_id: str, order_no: str) -> str:
    return keys.order(site_id, order_no)


def buyer_orders_pk(site_id: str, buyer_uscc: str) -> str:
    return keys.buyer_orders(site_id, buyer_uscc)


def supplier_orders_pk(supplier_uscc: str) -> str:
    return keys.supplier_orders(supplier_uscc)


def site_orders_pk(site_id: str) -> str:
    return keys.site_orders(site_id)


def _item(order: Order) -> OrderItem:
    sort = keys.sorted_by(order.created_at, order.order_no)
    return OrderItem(
        pk=order_pk(order.site_id, order.order_no),
        sk="ORDER",
        gsi1pk=buyer_orders_pk(order.site_id, order.buyer_uscc),
        gsi1sk=sort,
        # A supplier sells on every site: its index sorts by site first, so one site is a key prefix.
        gsi2pk=supplier_orders_pk(order.supplier_uscc),
        gsi2sk=keys.sorted_by(order.site_id, sort),
        gsi3pk=site_orders_pk(order.site_id),
        gsi3sk=sort,
        site_id=order.site_id,
        order_no=order.order_no,
        status=order.status.value,
        version=order.version,
        data=stamped("order", order_to_dict(order)),
        plan_no=order.plan_no,
        supplier_uscc=order.supplier_uscc,
        supplier_name=order.supplier_name,
    )


CHECKOUT_PLANS = 100  # the newest accepted plans a checkout offers


def _guard_agreement(write: AuditedWrite, site_id: str, guard: AgreementGuard) -> None:
    """The agreement unchanged since it was read (not suspended, revised or a supplier paused), and for
    顺序轮候 the turn as read: of two orders taking the same turn, one is written and the other refused."""
    write.check(
        AgreementItem,
        keys.agreement(guard.number),
        "AGREEMENT",
        (AgreementItem.version == guard.version) & (AgreementItem.status == "active"),
        Conflict("框架协议刚被修改或暂停，请刷新后重试", code="AGREEMENT_CHANGED"),
    )
    if not guard.rotation_code:
        return
    seen = RotationItem.turns.does_not_exist() if guard.turn_seen == 0 else RotationItem.turns == guard.turn_seen
    write.update(
        RotationItem(pk=keys.rotation(site_id, guard.number), sk=rotation_sk(guard.rotation_code)),
        [RotationItem.turns.set(guard.turn_next), RotationItem.kind.set(RotationItem)],
        seen,
        Conflict("轮候顺序刚被其他订单占用，请重试", code="ROTATION_TAKEN"),
    )


class DynamoOrderStore:
    """Implements domain.orders.OrderStore."""

    # ------------------------------------------------------------ placing

    def inputs(
        self, site_id: str, plan_no: str, supplier_uscc: str, listing_ids: list[str], buyer_uscc: str, year: int
    ) -> OrderInputs:
        site, plan = None, None
        # The site's rules are read with the order, not from a cache: a limit that changed at
        # midnight applies to the first order after it.
        for first in MainItem.batch_get([(site_pk(site_id), "CONFIG"), (keys.plan(site_id, plan_no), "PLAN")]):
            if isinstance(first, SiteConfigItem):
                site = site_from_dict(first.data)
            elif isinstance(first, PlanItem):
                plan = plan_from_item(first)
        if site is None or plan is None:
            return OrderInputs(site, plan, None, {}, 0)
        wanted = [
            (supplier_pk(supplier_uscc), "PROFILE"),
            (usage_pk(site_id, buyer_uscc, year, plan.level2_code), "CAP"),
        ]
        wanted += [(listing_pk(site_id, listing_id), "LISTING") for listing_id in dict.fromkeys(listing_ids)]
        supplier, spent, listings = None, 0, {}
        # MainItem.batch_get returns each item as its own subclass (the `kind` discriminator).
        for item in MainItem.batch_get(wanted):
            if isinstance(item, SupplierItem):
                supplier = supplier_from_item(item)
            elif isinstance(item, CapUsageItem):
                spent = int(item.spent_fen or 0)
            elif isinstance(item, ListingItem):
                listing = listing_from_item(item)
                listings[listing.id] = listing
        return OrderInputs(site, plan, supplier, listings, spent)

    def checkout_inputs(
        self, site_id: str, buyer_uscc: str, district: str, year: int, listing_ids: list[str], usccs: list[str]
    ) -> Any:
        """What a checkout forecast reads: the site (one GetItem), the buyer's accepted plans (one Query of its
        plans, at most CHECKOUT_PLANS), then the listings, suppliers and this year's spending (one BatchGet)."""
        from chalicelib.domain.checkout import Inputs

        try:
            site = site_from_dict(SiteConfigItem.get(site_pk(site_id), "CONFIG").data)
        except SiteConfigItem.DoesNotExist:
            return None
        plans = [
            plan_from_item(i)
            for i in PlanItem.gsi1.query(
                keys.buyer_plans(site_id, buyer_uscc),
                filter_condition=PlanItem.status == PlanStatus.ACCEPTED.value,
                scan_index_forward=False,
                limit=CHECKOUT_PLANS,
            )
            if isinstance(i, PlanItem)
        ]
        level2s = sorted({p.level2_code for p in plans})
        wanted = [(listing_pk(site_id, lid), "LISTING") for lid in dict.fromkeys(listing_ids)]
        wanted += [(supplier_pk(uscc), "PROFILE") for uscc in dict.fromkeys(usccs)]
        wanted += [(usage_pk(site_id, buyer_uscc, year, code), "CAP") for code in level2s]
        listings, suppliers, spent = {}, {}, {}
        for item in MainItem.batch_get(wanted):
            if isinstance(item, ListingItem):
                listing = listing_from_item(item)
                listings[listing.id] = listing
            elif isinstance(item, SupplierItem):
                supplier = supplier_from_item(item)
                suppliers[supplier.uscc] = supplier
            elif isinstance(item, CapUsageItem):
                spent[item.pk.rsplit("#", 1)[-1]] = int(item.spent_fen or 0)
        return Inputs(site, district, tuple(plans), listings, suppliers, spent)

    def place(
        self,
        order: Order,
        annual_cap_fen: int,
        plan_budget_fen: int,
        audit: AuditEvent,
        reserved_fen: int = 0,
        plan_quantity: int | None = None,
        guard: AgreementGuard | None = None,
    ) -> None:
        total = order.total_fen
        taken = total - reserved_fen  # an award's order takes the plan's amount in place of its reservation
        write = AuditedWrite(audit)
        write.put(_item(order), OrderItem.pk.does_not_exist(), Conflict("订单号冲突，请重试", code="ORDER_NO_CONFLICT"))
        # Condition expressions cannot do arithmetic: the budget is fixed once a plan is accepted, so the
        # highest committed amount that still leaves room for this order is a constant.
        actions = [PlanItem.committed_fen.add(taken), PlanItem.version.add(1)]
        condition = (PlanItem.status == PlanStatus.ACCEPTED.value) & (PlanItem.committed_fen <= plan_budget_fen - taken)
        if plan_quantity is not None and order.counted_quantity:
            # Likewise the line's quantity: two orders at once never pay for more units than the plan lists.
            counted = order.counted_quantity
            actions.append(PlanItem.ordered_quantity.add(counted))
            condition = condition & (
                PlanItem.ordered_quantity.does_not_exist() | (PlanItem.ordered_quantity <= plan_quantity - counted)
            )
        write.update(
            PlanItem(pk=keys.plan(order.site_id, order.plan_no), sk="PLAN"),
            actions,
            condition,
            refusal_after_race(
                order.site_id, order.plan_no, taken, order.counted_quantity if plan_quantity is not None else 0
            ),
        )
        write.update(
            CapUsageItem(pk=usage_pk(order.site_id, order.buyer_uscc, order.year, order.level2_code), sk="CAP"),
            # An update may create the item: it must carry its discriminator like a put would.
            [CapUsageItem.spent_fen.add(total), CapUsageItem.kind.set(CapUsageItem)],
            CapUsageItem.spent_fen.does_not_exist() | (CapUsageItem.spent_fen <= annual_cap_fen - total),
            Conflict("超出本年度该品目采购限额（刚被其他订单占用），请刷新后重试", code="LIMIT_EXCEEDED"),
        )
        for line in order.lines:
            if not line.tracks_stock:
                continue  # an awarded or agreed line is not sold from a listing's stock
            write.update(
                ListingItem(pk=listing_pk(order.site_id, line.listing_id), sk="LISTING"),
                [
                    ListingItem.stock.add(-line.quantity),
                    ListingItem.sales.add(line.quantity),
                    ListingItem.version.add(1),
                ],
                (ListingItem.status == ListingStatus.ACTIVE.value) & (ListingItem.stock >= line.quantity),
                Conflict(f"“{line.name}”库存不足或已下架，请刷新后重试", code="STOCK_INSUFFICIENT"),
            )
        write.check(
            SupplierItem,
            supplier_pk(order.supplier_uscc),
            "PROFILE",
            (SupplierItem.status == SupplierStatus.ACTIVE.value)
            & ~SupplierItem.suspended_sites.contains(order.site_id),
            Conflict("该供应商当前不可交易", code="SUPPLIER_NOT_ACTIVE"),
        )
        if guard is not None:
            _guard_agreement(write, order.site_id, guard)
        write.commit()

    # ------------------------------------------------------------ after placing

    def get(self, site_id: str, order_no: str) -> Order | None:
        try:
            return order_from_dict(fields_of("order", OrderItem.get(order_pk(site_id, order_no), "ORDER").data))
        except OrderItem.DoesNotExist:
            return None

    def get_with_ratings(self, site_id: str, order_no: str) -> tuple[Order | None, list[dict[str, Any]]]:
        """The order and its ratings: one Query on the order's partition."""
        order, ratings = None, []
        for item in MainItem.query(order_pk(site_id, order_no)):
            if isinstance(item, OrderItem):
                order = order_from_dict(fields_of("order", item.data))
            elif isinstance(item, RatingItem):
                ratings.append(item.data)
        return order, ratings

    def transition(
        self,
        order: Order,
        previous: Order,
        audit: AuditEvent,
        release: Release | None = None,
        nonce: tuple[str, int] | None = None,
    ) -> None:
        write = AuditedWrite(audit)
        write.put(_item(order), OrderItem.version == previous.version, _VERSION_CONFLICT)
        if release is not None:
            self._release(write, order.site_id, release)
        remember_nonce(write, nonce)
        write.commit()

    @staticmethod
    def _release(write: AuditedWrite, site_id: str, release: Release) -> None:
        """Give back what the order took. The counters only go down by what this order added."""
        actions = [PlanItem.committed_fen.add(-release.amount_fen), PlanItem.version.add(1)]
        if release.quantity:
            actions.append(PlanItem.ordered_quantity.add(-release.quantity))
        write.update(
            PlanItem(pk=keys.plan(site_id, release.plan_no), sk="PLAN"),
            actions,
            PlanItem.committed_fen >= release.amount_fen,
            Conflict("采购计划数据异常，请联系运维", code="PLAN_RELEASE_FAILED"),
        )
        write.update(
            CapUsageItem(pk=usage_pk(site_id, release.buyer_uscc, release.year, release.level2_code), sk="CAP"),
            [CapUsageItem.spent_fen.add(-release.amount_fen)],
            CapUsageItem.spent_fen >= release.amount_fen,
            Conflict("年度限额数据异常，请联系运维", code="CAP_RELEASE_FAILED"),
        )
        for listing_id, quantity in release.stock:
            # A listing may have been delisted since: its stock still comes back, for when it returns.
            write.update(
                ListingItem(pk=listing_pk(site_id, listing_id), sk="LISTING"),
                [ListingItem.stock.add(quantity), ListingItem.sales.add(-quantity), ListingItem.version.add(1)],
                ListingItem.pk.exists(),
                Conflict("商品数据异常，请联系运维", code="STOCK_RELEASE_FAILED"),
            )

    # ------------------------------------------------------------ lists

    def list_for_buyer(
        self, site_id: str, buyer_uscc: str, only: OrderFilter, limit: int, cursor: str | None
    ) -> tuple[list[Order], str | None]:
        return self._list(OrderItem.gsi1, "gsi1", buyer_orders_pk(site_id, buyer_uscc), "", only, limit, cursor)

    def list_for_supplier(
        self, site_id: str, supplier_uscc: str, only: OrderFilter, limit: int, cursor: str | None
    ) -> tuple[list[Order], str | None]:
        # A supplier's index sorts by site first: one site is a key prefix.
        partition = supplier_orders_pk(supplier_uscc)
        return self._list(OrderItem.gsi2, "gsi2", partition, f"{site_id}#", only, limit, cursor)

    def list_for_site(
        self, site_id: str, only: OrderFilter, limit: int, cursor: str | None
    ) -> tuple[list[Order], str | None]:
        return self._list(OrderItem.gsi3, "gsi3", site_orders_pk(site_id), "", only, limit, cursor)

    @staticmethod
    def _list(
        index: Any,
        name: str,
        partition: str,
        prefix: str,
        only: OrderFilter,
        limit: int,
        cursor: str | None,
    ) -> tuple[list[Order], str | None]:
        """Newest first; the days narrow the sort key, the rest is a filter (read a bounded number of pages)."""
        start = decode_cursor(cursor, {f"{name}pk": partition})
        sort_key = getattr(OrderItem, f"{name}sk")
        window = only.window()
        if window:
            key_condition: Condition | None = sort_key.between(prefix + window[0], prefix + window[1])
        else:
            key_condition = sort_key.startswith(prefix) if prefix else None
        rows, next_cursor = filtered_page(
            index,
            partition,
            key_condition,
            _order_condition(only),
            limit,
            start,
            ("pk", "sk", f"{name}pk", f"{name}sk"),
        )
        found = [OrderItem.from_raw_data(raw) for raw in rows]
        return [order_from_dict(fields_of("order", i.data)) for i in found if isinstance(i, OrderItem)], next_cursor


def _order_condition(only: OrderFilter) -> Condition | None:
    parts: list[Condition] = []
    if only.status is not None:
        parts.append(OrderItem.status == only.status.value)
    if only.number:
        parts.append(OrderItem.order_no.contains(only.number.upper()))
    if only.plan_no:
        parts.append(OrderItem.plan_no == only.plan_no)
    if only.supplier:
        parts.append(
            (OrderItem.supplier_uscc == only.supplier.upper()) | OrderItem.supplier_name.contains(only.supplier)
        )
    condition: Condition | None = None
    for part in parts:
        condition = part if condition is None else condition & part
    return condition


class DynamoHistoryStore:
    """Imported purchases (历史导入): looked up and written in batches, with one audit event per import."""

    def existing(self, site_id: str, order_nos: list[str]) -> dict[str, Order]:
        found: dict[str, Order] = {}
        keys_wanted = [(order_pk(site_id, no), "ORDER") for no in order_nos]
        for item in OrderItem.batch_get(keys_wanted):
            if isinstance(item, OrderItem):
                order = order_from_dict(fields_of("order", item.data))
                found[order.order_no] = order
        return found

    def write(self, orders: list[Order]) -> None:
        with OrderItem.batch_write() as batch:
            for order in orders:
                batch.save(_item(order))

    def record(self, audit: AuditEvent) -> None:
        AuditedWrite(audit).commit()
