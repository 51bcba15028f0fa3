"""Time rules: stored in UTC (ISO 8601, Z), shown and reasoned about in China time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

# China has had no daylight saving since 1991, so a fixed offset is exact and
# spares the Lambda bundle a tz database.
CHINA_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")


def utc_now() -> datetime:
    return datetime.now(UTC)


def to_iso(moment: datetime) -> str:
    """UTC ISO 8601 with millisecond precision and a Z, e.g. 2024-01-15T02:00:00.000Z."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_iso(text: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError("timestamp without zone")
    return moment.astimezone(UTC)


def china_midnight(day: date) -> datetime:
    """The UTC instant at which a China calendar day starts (rules take effect then)."""
    return datetime.combine(day, time(0, 0), tzinfo=CHINA_TZ).astimezone(UTC)


def china_date(moment: datetime) -> date:
    return moment.astimezone(CHINA_TZ).date()


def china_date_text(iso: str) -> str:
    """A stored UTC timestamp as the China calendar day, e.g. 2024-01-15."""
    return china_date(parse_iso(iso)).isoformat()


def china_days_window(first_day: date | None, last_day: date | None) -> tuple[str, str] | None:
    """The UTC ISO range (for a sort key that starts with a timestamp) covering China days first…last, either
    end open; None when both are open. A key bound cannot be empty: an open start is "0"."""
    if first_day is None and last_day is None:
        return None
    low = to_iso(china_midnight(first_day)) if first_day else "0"
    high = to_iso(china_midnight(last_day + timedelta(days=1))) if last_day else "~"
    return low, high
