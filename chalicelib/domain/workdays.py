"""Working days on China's calendar: weekends, the State Council's holidays and the weekend days worked instead.

A rule that counts working days (a winner's confirmation window: 2 个工作日)
ends at 24:00 China time of the last working day counted, the day after the
moment it starts. Years whose arrangement is not loaded count Monday to Friday
and say so, rather than guess at holidays.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import NamedTuple

from chalicelib.domain.clock import china_date, china_midnight


class WorkCalendar(NamedTuple):
    holidays: frozenset[date]
    workdays: frozenset[date]  # weekend days worked in exchange (调休上班)
    years: frozenset[int]  # years whose arrangement is loaded

    def is_working_day(self, day: date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def knows(self, day: date) -> bool:
        return day.year in self.years


class WorkingDeadline(NamedTuple):
    ends_at: datetime  # 24:00 China time of the last working day counted (UTC instant)
    last_day: date
    estimated: bool  # a year without a loaded arrangement was counted Monday to Friday


def calendar_from_dict(raw: Mapping[str, Mapping[str, Sequence[str]]]) -> WorkCalendar:
    holidays: set[date] = set()
    workdays: set[date] = set()
    years: set[int] = set()
    for year, days in raw.items():
        years.add(int(year))
        holidays.update(date.fromisoformat(d) for d in days.get("holidays", ()))
        workdays.update(date.fromisoformat(d) for d in days.get("workdays", ()))
    return WorkCalendar(frozenset(holidays), frozenset(workdays), frozenset(years))


def after_working_days(calendar: WorkCalendar, start: datetime, days: int) -> WorkingDeadline:
    """The end of the `days`-th working day after the China-calendar day of `start`."""
    if days < 1:
        raise ValueError("at least one working day")
    day, counted, estimated = china_date(start), 0, False
    while counted < days:
        day += timedelta(days=1)
        estimated = estimated or not calendar.knows(day)
        if calendar.is_working_day(day):
            counted += 1
    return WorkingDeadline(china_midnight(day + timedelta(days=1)), day, estimated)
