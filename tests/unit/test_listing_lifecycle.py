"""The listing lifecycle on an in-memory store: the actions a listing view offers are exactly the moves that succeed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from chalicelib.domain import listings
from chalicelib.domain.errors import DomainError
from chalicelib.domain.listings import LISTING_MOVES, Listing, ListingStatus
from chalicelib.domain.principals import Principal, Role
from tests.unit.fakes import MemoryListingStore
from tests.unit.test_catalog_index import SITE, listing
from tests.unit.test_supplier_lifecycle import _supplier

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
OWNER_CODE = "9137"
SUPPLIER = _supplier()._replace(uscc=OWNER_CODE)


def _caller(role: Role, org: str) -> Principal:
    return Principal("u", "someone", "某人", role, "liaocheng", org, "某单位", "371500")


CALLERS = {
    "owner": _caller(Role.SUPPLIER, OWNER_CODE),
    "other supplier": _caller(Role.SUPPLIER, "91370000000000000X"),
    "center": _caller(Role.CENTER_ADMIN, "11371500MB1111111X"),
    "province": _caller(Role.PROVINCE_ADMIN, "11370000MB2222222X"),
    "buyer": _caller(Role.BUYER, "11371500MB62171065"),
}
ACTIONS: dict[str, Callable[[MemoryListingStore, Principal, Listing], Listing]] = {
    "edit": lambda s, p, x: listings.edit(s, SITE, SUPPLIER, p, x.id, x.draft, NOW),
    "withdraw": lambda s, p, x: listings.withdraw(s, SUPPLIER, p, x.site_id, x.id, NOW),
    "resubmit": lambda s, p, x: listings.resubmit(s, SITE, SUPPLIER, p, x.id, NOW),
    "review": lambda s, p, x: listings.review(s, p, SITE, SUPPLIER, x.id, True, "", NOW),
    "delist": lambda s, p, x: listings.delist(s, p, x.site_id, x.id, "价格异常", NOW),
}
# The routes let only operators review and delist (api_route roles): the domain sees only those callers there.
OPERATOR_ONLY = {"review", "delist"}


def _succeeds(action: str, caller: Principal, start: Listing) -> bool:
    if action in OPERATOR_ONLY and caller.role not in (Role.CENTER_ADMIN, Role.PROVINCE_ADMIN):
        return False
    store = MemoryListingStore(start)
    try:
        after = ACTIONS[action](store, caller, start)
    except DomainError:
        assert store.audit == [] and store.get(start.site_id, start.id) == start
        return False
    assert store.get(after.site_id, after.id) == after and store.audit
    assert after.status is LISTING_MOVES[action].to
    return True


def test_every_declared_move_is_exercised() -> None:
    assert set(ACTIONS) == set(LISTING_MOVES)


@pytest.mark.parametrize("status", list(ListingStatus), ids=str)
@pytest.mark.parametrize("caller", list(CALLERS), ids=str)
def test_offered_actions_are_exactly_those_that_succeed(status: ListingStatus, caller: str) -> None:
    start = listing(status)
    who = CALLERS[caller]
    assert listings.listing_actions(start, who) == [a for a in ACTIONS if _succeeds(a, who, start)]
