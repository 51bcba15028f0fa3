"""The order lifecycle on an in-memory store: the actions offered are exactly the moves that succeed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from chalicelib.domain import orders
from chalicelib.domain.errors import DomainError
from chalicelib.domain.orders import ORDER_MOVES, Order, OrderStatus, Termination, TerminationStatus
from chalicelib.domain.principals import Principal, Role
from tests.unit.fakes import MemoryOrderStore
from tests.unit.test_orders_domain import BUYER_UNIT, SELLER, make_order, principal

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
CALLERS = {
    "buyer": principal(Role.BUYER, BUYER_UNIT),
    "other buyer": principal(Role.BUYER, "11371500MB0000000X"),
    "supplier": principal(Role.SUPPLIER, SELLER),
    "other supplier": principal(Role.SUPPLIER, "91370000000000000X"),
    "center": principal(Role.CENTER_ADMIN, "11371500MB1111111X"),
    "province": principal(Role.PROVINCE_ADMIN, "11370000MB2222222X"),
    "finance": principal(Role.FINANCE, "11371500MB3333333X"),
}
# How each action is called: (store, caller, order) -> the order after.
ACTIONS: dict[str, Callable[[MemoryOrderStore, Principal, Order], Order]] = {
    "confirm": lambda s, p, o: orders.confirm(s, p, o, NOW),
    "decline": lambda s, p, o: orders.decline(s, p, o, "缺货", NOW),
    "ship": lambda s, p, o: orders.ship(s, p, o, orders.Shipment("顺丰速运", "SF1234567"), NOW),
    "cancel": lambda s, p, o: orders.cancel(s, p, o, "计划调整", NOW),
    "accept": lambda s, p, o: orders.accept(s, p, o, orders.Acceptance(True, "合格"), NOW),
    "reject_delivery": lambda s, p, o: orders.accept(s, p, o, orders.Acceptance(False, "外包装破损"), NOW),
    "request_termination": lambda s, p, o: orders.request_termination(s, p, o, "超期未到", NOW),
    "decide_termination": lambda s, p, o: orders.decide_termination(s, p, o, True, "同意", NOW),
}
REQUESTED = Termination(TerminationStatus.REQUESTED, "超期未到", "2026-11-22T00:00:00.000Z")
ORDERS = [make_order(status) for status in OrderStatus] + [
    make_order(OrderStatus.CONFIRMED, termination=REQUESTED),
    make_order(OrderStatus.SHIPPED, termination=REQUESTED),
]


def _succeeds(action: str, caller: Principal, order: Order) -> bool:
    store = MemoryOrderStore()
    try:
        after = ACTIONS[action](store, caller, order)
    except DomainError:
        assert store.audit == [] and store.orders == {}  # a refused move writes nothing
        return False
    assert store.audit and store.orders[(after.site_id, after.order_no)] == after
    return True


def test_every_declared_move_is_exercised() -> None:
    assert set(ACTIONS) == {a for a, m in ORDER_MOVES.items() if m.party.value != "system"}


def _label(order: Order) -> str:
    return order.status.value + ("+termination" if order.termination.status is TerminationStatus.REQUESTED else "")


@pytest.mark.parametrize("order", ORDERS, ids=_label)
@pytest.mark.parametrize("caller", list(CALLERS), ids=str)
def test_offered_actions_are_exactly_those_that_succeed(order: Order, caller: str) -> None:
    who = CALLERS[caller]
    offered = orders.available_actions(order, who, frozenset({"supplier", "mall", "buyer"}))  # rated: no "rate"
    succeeding = [a for a in ACTIONS if _succeeds(a, who, order)]
    assert offered == succeeding


def test_moves_lead_where_the_table_says() -> None:
    for action, declared in ORDER_MOVES.items():
        if action not in ACTIONS or declared.to is None:
            continue
        wants_request = action == "decide_termination"
        start = next(
            o
            for o in ORDERS
            if o.status in declared.froms and wants_request == (o.termination.status is TerminationStatus.REQUESTED)
        )
        caller = next(p for p in CALLERS.values() if action in orders.available_actions(start, p, frozenset()))
        after = ACTIONS[action](MemoryOrderStore(), caller, start)
        assert after.status is declared.to, action
        assert after.version == start.version + 1


def test_refusals_say_why_in_chinese() -> None:
    store = MemoryOrderStore()
    with pytest.raises(DomainError) as refused:
        orders.confirm(store, CALLERS["buyer"], make_order(), NOW)
    assert (refused.value.code, str(refused.value)) == ("NOT_ORDER_PARTY", "只有订单的供应商可以执行此操作")
    with pytest.raises(DomainError) as refused:
        orders.ship(store, CALLERS["supplier"], make_order(), orders.Shipment("顺丰速运", "SF1234567"), NOW)
    assert refused.value.code == "ORDER_STATUS_CONFLICT" and "待确认" in str(refused.value)
    with pytest.raises(DomainError) as refused:
        orders.accept(
            store,
            CALLERS["buyer"],
            make_order(OrderStatus.SHIPPED, termination=REQUESTED),
            orders.Acceptance(True, "合格"),
            NOW,
        )
    assert refused.value.code == "TERMINATION_PENDING"


def test_the_stored_document_and_the_api_view_are_separate_shapes() -> None:
    from chalicelib.handlers.views import order_fields
    from chalicelib.store.documents import StoredDocumentTooNew, fields_of, stamped

    order = make_order()
    stored = stamped("order", orders.order_to_dict(order))
    assert stored["schema_version"] == 3 and "status_label" not in stored and "tracks_stock" in stored["lines"][0]
    view = order_fields(order)
    assert "schema_version" not in view and view["status_label"] == "待确认" and "tracks_stock" not in view["lines"][0]
    assert orders.order_from_dict(fields_of("order", stored)) == order
    with pytest.raises(StoredDocumentTooNew):
        fields_of("order", {**stored, "schema_version": 4})
