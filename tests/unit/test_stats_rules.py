"""The statistics' rules on an in-memory twin of the rollup store: exact under replays and corrections."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pytest

from chalicelib.domain import stats
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.purchase import BuyingMode, Mechanism
from chalicelib.domain.reports import Period, growth, parse_period, pct, points


class MemoryRollups:
    """Implements domain.stats.RollupStore in memory (days only: tiling is the DynamoDB store's)."""

    def __init__(self) -> None:
        self.facts: dict[str, stats.Counted] = {}
        self.day: dict[str, dict[str, int]] = {}

    def counted(self, site_id: str, fact_id: str) -> stats.Counted | None:
        return self.facts.get(fact_id)

    def apply(
        self,
        site_id: str,
        fact_id: str,
        previous: stats.Counted | None,
        now: stats.Counted,
        changes: list[stats.Delta],
        labels: Mapping[str, str],
    ) -> bool:
        if self.facts.get(fact_id) != previous:
            return False
        self.facts[fact_id] = now
        for change in changes:
            into = self.day.setdefault(change.day, {})
            for name, value in change.counters.items():
                into[name] = into.get(name, 0) + value
        return True

    def pieces(self, site_id: str, first: str, last: str) -> list[tuple[str, dict[str, int], dict[str, str]]]:
        return [(d, c, {}) for d, c in sorted(self.day.items()) if first <= d <= last]

    def total(self, name: str) -> int:
        return sum(c.get(name, 0) for c in self.day.values())


def purchase(day: str = "2024-03-15", amount: int = 10_000, **changes: object) -> stats.Purchase:
    base = stats.Purchase(
        site_id="liaocheng",
        order_no="YC1",
        deal_date=day,
        district="371522",
        buyer_uscc="B1",
        buyer_name="莘县教育和体育局",
        supplier_uscc="S1",
        supplier_name="聊城某公司",
        supplier_scale="micro",
        supplier_district="371502",
        method=BuyingMode.SUPERMARKET,
        mechanism=Mechanism.BIDDING,
        budget_fen=amount + 2_000,
        lines=(
            stats.PurchaseLine("LC-0101", "签字笔", "A", amount // 2),
            stats.PurchaseLine("LC-0101", "签字笔", "A", amount // 4),
            stats.PurchaseLine("LC-0701", "物业管理服务", "C", amount // 4),
        ),
    )
    return base._replace(**changes)  # type: ignore[arg-type]


def test_a_project_counts_once_in_each_category_and_root_it_holds() -> None:
    counters = stats.contribution(purchase()).counters
    assert counters["t|n"] == 1 and counters["t|amt"] == 10_000 and counters["t|bud"] == 12_000
    assert counters["c|LC-0101|n"] == 1 and counters["c|LC-0101|amt"] == 7_500
    assert counters["r|371522|A|n"] == 1 and counters["r|371522|C|amt"] == 2_500
    assert counters["m|371522|supermarket|bidding|n"] == 1
    assert sum(v for k, v in counters.items() if k.startswith("r|") and k.endswith("|amt")) == 10_000


def test_replays_and_older_versions_add_nothing_and_a_correction_subtracts_exactly() -> None:
    store = MemoryRollups()
    first = stats.contribution(purchase())
    assert stats.record(store, "liaocheng", "order#YC1", 2, first).reason == "applied"
    assert stats.record(store, "liaocheng", "order#YC1", 2, first).reason == "replayed"
    assert stats.record(store, "liaocheng", "order#YC1", 1, None).reason == "replayed"
    assert store.total("t|n") == 1 and store.total("t|amt") == 10_000
    # A later version with another amount on another day moves the figures, not adds to them.
    moved = stats.contribution(purchase(day="2024-04-02", amount=8_000))
    assert stats.record(store, "liaocheng", "order#YC1", 3, moved).applied
    assert store.day["2024-03-15"]["t|n"] == 0 and store.day["2024-04-02"]["t|amt"] == 8_000
    # Terminated: it leaves every figure.
    assert stats.record(store, "liaocheng", "order#YC1", 4, None).applied
    assert all(v == 0 for c in store.day.values() for v in c.values())
    # And a replay of an old version afterwards brings nothing back.
    assert stats.record(store, "liaocheng", "order#YC1", 3, moved).reason == "replayed"
    assert store.total("t|n") == 0


def test_periods_are_tiled_by_whole_years_months_and_days() -> None:
    assert stats.tiles(date(2024, 1, 1), date(2024, 12, 31)) == [("Y", "2024", "2024")]
    running = stats.tiles(date(2026, 1, 1), date(2026, 12, 4))
    assert running[:2] == [("M", "2026-01", "2026-01"), ("M", "2026-02", "2026-02")]
    assert running[-1] == ("D", "2026-12-01", "2026-12-04") and len(running) == 12
    assert stats.tiles(date(2024, 2, 10), date(2024, 3, 31)) == [
        ("D", "2024-02-10", "2024-02-29"),
        ("M", "2024-03", "2024-03"),
    ]
    assert stats.group_of("b|91371500MA0000001X|amt") == stats.group_of("b|91371500MA0000001X|n")
    assert stats.group_of("t|n") == "core" and stats.group_of("s|X|n").startswith("s")


def test_percentages_round_half_up_on_integers() -> None:
    assert pct(8761, 10_000) == "87.61" and pct(1, 3) == "33.33" and pct(2, 3) == "66.67" and pct(1, 0) is None
    assert growth(114_43, 100_00) == "14.43" and growth(85, 100) == "-15.00" and growth(5, 0) is None
    assert points("94.81", "91.13") == "3.68" and points("1.00", "1.50") == "-0.50"


def test_periods_parse_and_refuse_in_chinese() -> None:
    today = date(2026, 12, 4)
    assert parse_period("2024", today) == Period(2024) and parse_period("2026-12", today).last == date(2026, 12, 31)
    assert Period(2024, 2).last == date(2024, 2, 29) and Period(2024).label == "2024 年度"
    for bad in ("2024-00", "2024-3", "二〇二四", "", "2027", "2026-13", "2014"):
        with pytest.raises(InvalidInput) as raised:
            parse_period(bad, today)
        assert raised.value.code in ("PERIOD_INVALID", "PERIOD_IN_FUTURE")
