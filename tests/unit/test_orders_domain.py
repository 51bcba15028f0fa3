"""Order rules that need no storage: amounts in words, documents, events, who may do what."""

from __future__ import annotations

import pytest

from chalicelib.domain.money import amount_in_words
from chalicelib.domain.order_documents import DocumentKind, is_due, render
from chalicelib.domain.order_events import event_for_transition
from chalicelib.domain.orders import (
    Delivery,
    Order,
    OrderLine,
    OrderStatus,
    Termination,
    TerminationStatus,
    available_actions,
    order_from_dict,
    order_to_dict,
)
from chalicelib.domain.principals import Principal, Role

BUYER_UNIT = "11371500MB62171065"
SELLER = "91371502MA3C7K2X18"


def principal(role: Role, org: str) -> Principal:
    return Principal("u1", "someone", "某人", role, "liaocheng", org, "某单位", "371500")


def make_order(status: OrderStatus = OrderStatus.PENDING, **changes: object) -> Order:
    order = Order(
        order_no="YC202611220000000001",
        site_id="liaocheng",
        plan_no="37150020010120260001",
        level2_code="A05040000",
        year=2026,
        buyer_uscc=BUYER_UNIT,
        buyer_name="聊城市教育和体育局",
        buyer_district="371500",
        buyer_user="liaocheng.buyer",
        supplier_uscc=SELLER,
        supplier_name="聊城市东昌府区鑫诚办公用品有限公司",
        lines=(
            OrderLine("a" * 32, "得力 A4 复印纸 <70g>", "得力", "DL-7055", "LC-0107", "A05040101", 2_500, 10),
            OrderLine("b" * 32, "得力 中性笔", "得力", "DL-S01", "LC-0101", "A05040402", 250, 20),
        ),
        delivery=Delivery("聊城市东昌府区东昌路 1 号", "张敏", "0635-8241234", "2026-11-28"),
        note="",
        status=status,
        status_reason="",
        termination=Termination(),
        acceptance_note="",
        payment_voucher="",
        created_at="2026-11-21T16:30:00.000Z",  # 2026-11-22 00:30 in China
        updated_at="2026-11-21T16:30:00.000Z",
        version=1,
        milestones={"pending_confirmation": "2026-11-21T16:30:00.000Z"},
    )
    return order._replace(**changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fen", "words"),
    [
        (0, "零元整"),
        (100, "壹元整"),
        (30_000, "叁佰元整"),
        (123_456, "壹仟贰佰叁拾肆元伍角陆分"),
        (100_500, "壹仟零伍元整"),
        (10_000_000, "壹拾万元整"),
        (1_000_000_500, "壹仟万零伍元整"),
        (100_000_001, "壹佰万元零壹分"),
        (120_000_000_000, "壹拾贰亿元整"),
        (50, "伍角"),
        (5, "伍分"),
    ],
)
def test_amounts_in_capital_numerals(fen: int, words: str) -> None:
    assert amount_in_words(fen) == words


def test_an_order_survives_a_round_trip() -> None:
    order = make_order(
        OrderStatus.SHIPPED, termination=Termination(TerminationStatus.REJECTED, "晚到", "t1", "不同意", "t2")
    )
    assert order_from_dict(order_to_dict(order)) == order
    assert order.total_fen == 30_000


def test_documents_are_due_by_milestone_and_escape_what_users_typed() -> None:
    pending = make_order()
    assert not is_due(pending, DocumentKind.CONFIRMATION)
    with pytest.raises(ValueError):
        render(pending, DocumentKind.CONFIRMATION, "聊城市政府采购网上商城")
    accepted = make_order(
        OrderStatus.ACCEPTED,
        acceptance_note="<script>alert(1)</script>",
        milestones={
            "pending_confirmation": "2026-11-21T16:30:00.000Z",
            "confirmed": "2026-11-22T01:00:00.000Z",
            "shipped": "2026-11-23T01:00:00.000Z",
            "accepted": "2026-11-24T17:00:00.000Z",  # 2026-11-25 in China
        },
    )
    html = render(accepted, DocumentKind.ACCEPTANCE, "聊城市政府采购网上商城")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "得力 A4 复印纸 &lt;70g&gt;" in html
    assert "叁佰元整" in html and "¥300.00" in html
    assert "2026-11-22" in html and "2026-11-25" in html  # China calendar days
    assert html == render(accepted, DocumentKind.ACCEPTANCE, "聊城市政府采购网上商城")  # same bytes every time


def test_events_only_on_entering_a_status_the_budget_system_acts_on() -> None:
    shipped = make_order(OrderStatus.SHIPPED)
    accepted = make_order(
        OrderStatus.ACCEPTED,
        acceptance_note="合格",
        milestones={**shipped.milestones, "accepted": "2026-11-24T17:00:00.000Z"},
    )
    event = event_for_transition(shipped, accepted)
    assert event is not None and event.detail_type == "OrderAccepted"
    assert event.detail["event_id"] == "liaocheng:YC202611220000000001:accepted"
    assert event.detail["amount_fen"] == 30_000 and event.detail["amount_yuan"] == "300.00"
    assert event.detail["occurred_at"] == "2026-11-24T17:00:00.000Z"
    assert event_for_transition(accepted, accepted._replace(version=3)) is None  # no new status, no event
    assert event_for_transition(None, make_order()) is None  # placing is not announced
    declined = event_for_transition(make_order(), make_order(OrderStatus.DECLINED, status_reason="缺货"))
    assert (
        declined is not None and declined.detail_type == "OrderBudgetReleased" and declined.detail["reason"] == "缺货"
    )


def test_actions_follow_the_status_and_the_party() -> None:
    buyer, seller = principal(Role.BUYER, BUYER_UNIT), principal(Role.SUPPLIER, SELLER)
    stranger = principal(Role.SUPPLIER, "91370000000000000X")
    operator, finance = principal(Role.CENTER_ADMIN, "x"), principal(Role.FINANCE, "y")
    assert available_actions(make_order(), seller) == ["confirm", "decline"]
    assert available_actions(make_order(), buyer) == ["cancel"]
    assert available_actions(make_order(), stranger) == []
    assert available_actions(make_order(OrderStatus.CONFIRMED), seller) == ["ship"]
    shipped = available_actions(make_order(OrderStatus.SHIPPED), buyer)
    assert shipped == ["accept", "reject_delivery", "request_termination"]
    requested = make_order(OrderStatus.SHIPPED, termination=Termination(TerminationStatus.REQUESTED, "晚到", "t"))
    assert available_actions(requested, buyer) == []
    assert available_actions(requested, operator) == ["decide_termination"]
    assert available_actions(requested, finance) == []
    assert available_actions(make_order(OrderStatus.ACCEPTED), seller) == ["rate"]
    assert available_actions(make_order(OrderStatus.ACCEPTED), seller, frozenset({"buyer"})) == []
    assert available_actions(make_order(OrderStatus.SETTLED), buyer, frozenset({"supplier"})) == ["rate"]
    assert available_actions(make_order(OrderStatus.SETTLED), buyer, frozenset({"supplier", "mall"})) == []
