from datetime import UTC, date, datetime

from chalicelib.domain.clock import china_date, china_midnight, parse_iso, to_iso
from chalicelib.domain.money import format_wan, format_yi, format_yuan


def test_amounts_format_from_integer_fen_without_floats() -> None:
    assert format_yuan(12345) == "123.45"
    assert format_yuan(-5) == "-0.05"
    assert format_wan(50_000_000) == "50.00"
    assert format_wan(1_234_567) == "1.23"
    assert format_wan(1_235_000) == "1.24"  # half up
    # 7.06 亿元 in seed 000
    assert format_yi(70_600_000_000) == "7.06"
    assert format_wan(10**13 + 1) == "10,000,000.00"


def test_china_day_starts_at_16_utc_the_day_before() -> None:
    assert to_iso(china_midnight(date(2027, 1, 1))) == "2026-12-31T16:00:00.000Z"
    assert china_date(datetime(2026, 12, 31, 16, 0, tzinfo=UTC)) == date(2027, 1, 1)
    assert china_date(datetime(2026, 12, 31, 15, 59, tzinfo=UTC)) == date(2026, 12, 31)


def test_iso_round_trip_is_utc_with_z() -> None:
    moment = datetime(2024, 1, 15, 2, 30, 5, 123456, tzinfo=UTC)
    assert to_iso(moment) == "2024-01-15T02:30:05.123Z"
    assert parse_iso("2024-01-15T10:30:05.123+08:00") == datetime(2024, 1, 15, 2, 30, 5, 123000, tzinfo=UTC)
