"""Lifecycles as data: each move of an aggregate declared once, serving both its guard and the offered actions.

A move says from which statuses it may start, which party may make it, the
status it leads to, whether it needs a reason, and an extra condition on the
aggregate. `check` raises the same Chinese errors a hand-written guard would;
`allowed` answers the same question without raising, so the actions the API
offers are exactly the moves that would succeed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from enum import StrEnum
from typing import Any, NamedTuple

from chalicelib.domain.errors import Conflict, Forbidden, InvalidInput

# Plain NamedTuples (not Generic ones): a generic NamedTuple costs a cold start ten times as much to define.


class Party(StrEnum):
    BUYER = "buyer"  # the aggregate's own buyer unit
    SUPPLIER = "supplier"  # the aggregate's own supplier
    OPERATOR = "operator"  # a site's 采购中心 or the provincial operator
    SYSTEM = "system"  # timers, the payment system

    @property
    def label(self) -> str:
        return {"buyer": "采购人", "supplier": "供应商", "operator": "采购中心", "system": "系统"}[self.value]


class Condition(NamedTuple):
    """An extra guard: holds(aggregate) or the move is refused with this Conflict."""

    holds: Callable[[Any], bool]
    message: str
    code: str


class Move(NamedTuple):
    froms: frozenset[StrEnum]
    party: Party
    to: StrEnum | None  # None: the status stays (the move changes something else)
    doing: str  # the verb for messages: 不能{doing}
    needs_reason: bool = False
    conditions: tuple[Condition, ...] = ()


def move(
    froms: Iterable[StrEnum],
    party: Party,
    to: StrEnum | None,
    doing: str,
    *,
    needs_reason: bool = False,
    conditions: Iterable[Condition] = (),
) -> Move:
    return Move(frozenset(froms), party, to, doing, needs_reason, tuple(conditions))


class Subject(NamedTuple):
    """How errors name the aggregate: 订单 / ORDER_STATUS_CONFLICT / NOT_ORDER_PARTY."""

    noun: str
    status_code: str
    party_code: str


def check(
    moves: Mapping[str, Move],
    action: str,
    aggregate: Any,
    status: StrEnum,
    party: Party | None,
    status_label: str,
    subject: Subject,
) -> Move:
    """The move, or the error that says why this caller may not make it now (party first, then status)."""
    declared = moves[action]
    if party is not declared.party:
        raise Forbidden(f"只有{subject.noun}的{declared.party.label}可以执行此操作", code=subject.party_code)
    if status not in declared.froms:
        raise Conflict(
            f"{subject.noun}当前状态为“{status_label}”，不能{declared.doing}",
            code=subject.status_code,
            details={"status": status.value},
        )
    for condition in declared.conditions:
        if not condition.holds(aggregate):
            raise Conflict(condition.message, code=condition.code)
    return declared


def allowed(moves: Mapping[str, Move], aggregate: Any, status: StrEnum, party: Party | None) -> list[str]:
    """The actions this party may take now, in declaration order."""
    return [
        action
        for action, declared in moves.items()
        if declared.party is party
        and declared.party is not Party.SYSTEM
        and status in declared.froms
        and all(c.holds(aggregate) for c in declared.conditions)
    ]


def required_reason(reason: str, doing: str) -> str:
    """The reason a move that needs one was given (stripped), or the Chinese error that asks for it."""
    if not reason.strip():
        raise InvalidInput(
            f"{doing}须填写原因", code="REASON_REQUIRED", details=[{"field": "reason", "message": "必填"}]
        )
    return reason.strip()
