"""Supplier sanctions on an in-memory store: who may suspend where, and what each site's log records."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from chalicelib.domain import suppliers
from chalicelib.domain.errors import DomainError
from chalicelib.domain.principals import Principal, Role
from chalicelib.domain.sme import Declaration, Scale
from chalicelib.domain.suppliers import (
    Contact,
    Ownership,
    Rating,
    Supplier,
    SupplierProfile,
    SupplierStatus,
)
from tests.unit.fakes import MemorySupplierStore, MemoryTimer

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
USCC = "91371502MA3C7K2X18"


def _operator(role: Role, tenant: str) -> Principal:
    return Principal("u", f"{tenant}.center", "王主任", role, tenant, "11371500MB1111111X", "采购中心", "371500")


CENTER, OTHER_CENTER = _operator(Role.CENTER_ADMIN, "liaocheng"), _operator(Role.CENTER_ADMIN, "weihai")
PROVINCE = _operator(Role.PROVINCE_ADMIN, "shandong")


def _supplier() -> Supplier:
    profile = SupplierProfile(
        name="聊城市东昌府区鑫诚办公用品有限公司",
        legal_representative="李明",
        registered_address="东昌府区柳园路 1 号",
        home_district="371502",
        ownership=Ownership("private"),
        scale=Scale("small"),
        declaration=Declaration("retail", 20, 500_000_000, 100_000_000),
        contact=Contact("李明", "13563500000", "x@example.com"),
    )
    return Supplier(USCC, "supplier.demo", profile, SupplierStatus.ACTIVE, "", None, (), Rating(0, 0), "t", "t", 3)


def test_a_city_suspends_trading_in_its_own_site_only() -> None:
    store, timer = MemorySupplierStore(_supplier(), trading_sites=("liaocheng", "weihai")), MemoryTimer()
    after = suppliers.suspend(store, timer, CENTER, USCC, "送货超时", date(2026, 11, 30), NOW)
    assert after.is_active and not after.can_trade_in("liaocheng") and after.can_trade_in("weihai")
    [event] = store.audit
    assert (event.tenant, event.action) == ("liaocheng", "supplier.site_suspended")
    assert timer.started and timer.started[0]["due_at"] == after.next_due
    with pytest.raises(DomainError) as refused:
        suppliers.reinstate(store, OTHER_CENTER, USCC, "误操作", NOW)
    assert refused.value.code == "SUPPLIER_STATUS_CONFLICT"
    assert suppliers.reinstate_if_due(store, USCC, NOW) == "early"
    assert suppliers.reinstate_if_due(store, USCC, NOW + timedelta(days=8)) == "applied"
    assert store.get(USCC).can_trade_in("liaocheng")  # type: ignore[union-attr]
    assert store.audit[-1].action == "supplier.site_reinstated" and store.audit[-1].tenant == "liaocheng"


def test_province_wide_sanctions_are_the_provinces_and_logged_in_each_trading_site() -> None:
    store = MemorySupplierStore(_supplier(), trading_sites=("liaocheng", "weihai"))
    with pytest.raises(DomainError) as refused:
        suppliers.expel(store, CENTER, USCC, "串通报价", None, NOW)
    assert refused.value.code == "PROVINCE_SANCTION_ONLY" and store.audit == []
    suppliers.suspend(store, MemoryTimer(), PROVINCE, USCC, "资质造假", None, NOW)
    assert [(e.tenant, e.action) for e in store.audit] == [
        ("shandong", "supplier.suspended"),
        ("liaocheng", "supplier.suspended"),
        ("weihai", "supplier.suspended"),
    ]
    with pytest.raises(DomainError) as refused:
        suppliers.reinstate(store, CENTER, USCC, "复核", NOW)
    assert refused.value.code == "PROVINCE_SANCTION_ONLY"


def test_a_stale_save_is_a_conflict() -> None:
    store = MemorySupplierStore(_supplier())
    stale = store.get(USCC)
    suppliers.suspend(store, MemoryTimer(), CENTER, USCC, "送货超时", None, NOW)
    assert stale is not None
    with pytest.raises(DomainError) as refused:
        store.save(stale._replace(version=stale.version + 1), stale.version, store.audit[0])
    assert refused.value.code == "VERSION_CONFLICT"
