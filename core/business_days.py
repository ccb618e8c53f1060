"""French business days: Monday to Friday, less France's public holidays
(the ``holidays`` package). Promises made "within N business days" (a
refund within 7 business days of receipt) are counted here."""

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=32)
def _french_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("FR", years=year))


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _french_holidays(day.year)


def add_business_days(start: date, days: int) -> date:
    """The date ``days`` business days after ``start`` (``start`` itself
    does not count): Friday + 1 is Monday, 13 July + 1 is 15 July."""
    day = start
    left = days
    while left > 0:
        day += timedelta(days=1)
        if is_business_day(day):
            left -= 1
    return day


def business_days_between(start: date, end: date) -> int:
    """Business days after ``start`` up to ``end`` included (negative when
    ``end`` comes first)."""
    if end < start:
        return -business_days_between(end, start)
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_business_day(day):
            count += 1
    return count
