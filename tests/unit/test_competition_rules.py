"""The rules of 竞价 and 反拍 that need no AWS: ranking and its arithmetic, draws, working days, the record's chain."""

from __future__ import annotations

from datetime import UTC, date, datetime

from chalicelib.domain.competitions import GENESIS, Rule, chain, draw, evaluated, rank, verify_chain
from chalicelib.domain.workdays import after_working_days
from chalicelib.store.reference import work_calendar

RULE = Rule(3, 2, 1000, 0, 180, 300, True)


def test_small_and_micro_enterprises_are_ranked_on_a_deducted_price_and_ties_go_to_the_earlier_quote() -> None:
    ranked = rank(
        [
            ("A", "大型甲", False, 10_000, "2026-12-01T02:00:00.000Z", "n1"),
            ("B", "小微乙", True, 11_000, "2026-12-01T03:00:00.000Z", "n2"),  # 11,000 × 0.9 = 9,900
            ("C", "小微丙", True, 11_000, "2026-12-01T01:00:00.000Z", "n3"),  # the same, but quoted earlier
        ],
        quantity=10,
        rule=RULE,
        deduct=True,
    )
    assert [e.supplier_uscc for e in ranked] == ["C", "B", "A"]
    assert [e.alias for e in ranked] == ["供应商#1", "供应商#2", "供应商#3"]
    assert ranked[0].total_fen == 110_000 and ranked[0].evaluated_fen == 99_000 and ranked[0].deduction_bp == 1000
    assert "小微企业价格扣除 10%" in ranked[0].explanation and "按报价时间先后排序" in ranked[0].explanation
    assert ranked[2].explanation == "第 3 名：报价 1,000.00 元，不享受价格扣除，评审价 1,000.00 元"
    assert ranked[0].explanation.startswith(
        "第 1 名：报价 1,100.00 元，小微企业价格扣除 10%，评审价 1,100.00 × (1 − 10%) = 990.00 元"
    )


def test_evaluated_price_rounds_half_up_in_fen() -> None:
    assert evaluated(12_345, 1000) == 11_111  # 11,110.5 → 11,111
    assert evaluated(12_345, 0) == 12_345


def test_a_draw_is_replayable_from_its_pool_and_seed() -> None:
    pool = [f"9137150000000000{i:02d}" for i in range(30)]
    first = draw(pool, 8, "seed-1")
    assert len(first) == 8 and set(first) <= set(pool)
    assert draw(list(reversed(pool)), 8, "seed-1") == first  # the pool's order does not matter
    assert draw(pool, 8, "seed-2") != first
    assert draw(pool, 40, "x") == tuple(sorted(pool))  # a pool smaller than the draw: all are invited


def test_the_confirmation_window_counts_china_s_working_days() -> None:
    calendar = work_calendar()
    # Offered on the eve of the 2026 National Day holiday (1–7 October): 8 and 9 October are the two working days.
    window = after_working_days(calendar, datetime(2026, 9, 30, 7, 0, tzinfo=UTC), 2)
    assert window.last_day == date(2026, 10, 9) and not window.estimated
    assert window.ends_at == datetime(2026, 10, 9, 16, 0, tzinfo=UTC)  # 24:00 China time
    # A Saturday worked in exchange counts: Friday 13 February 2026, then Saturday 14 February (调休上班).
    window = after_working_days(calendar, datetime(2026, 2, 13, 2, 0, tzinfo=UTC), 1)
    assert window.last_day == date(2026, 2, 14)
    # A year whose arrangement is not loaded is counted Monday to Friday, and says so.
    window = after_working_days(calendar, datetime(2027, 3, 5, 2, 0, tzinfo=UTC), 2)
    assert window.last_day == date(2027, 3, 9) and window.estimated


def test_the_record_chain_detects_any_change() -> None:
    chained = chain([{"action": "a", "x": 1}, {"action": "b", "x": 2}, {"action": "c", "x": 3}])
    assert chained[0]["prev"] == GENESIS and verify_chain(chained)
    changed = [dict(e) for e in chained]
    changed[1]["x"] = 20
    assert not verify_chain(changed)
    dropped = [chained[0], chained[2]]
    assert not verify_chain(dropped)
