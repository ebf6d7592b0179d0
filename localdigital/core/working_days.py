"""Working days in England and Wales: weekdays that are not bank holidays."""

import datetime as dt
import functools
from pathlib import Path

import yaml

BANK_HOLIDAYS = Path(__file__).resolve().parent / "data" / "bank_holidays.yaml"


@functools.cache
def bank_holidays() -> frozenset[dt.date]:
    with BANK_HOLIDAYS.open(encoding="utf-8") as handle:
        return frozenset(yaml.safe_load(handle)["dates"])


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays()


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (0 when end is not after start)."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start`."""
    day, left = start, days
    while left > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day
