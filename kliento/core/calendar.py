"""Business time: the hours a team works, in its time zone, minus weekends, national holidays
of the workspace's country and the workspace's own closed days.

Every deadline that should count only working time (escalation in business hours; later, SLAs)
is computed here. All arguments and results are aware datetimes; the arithmetic is done on
real instants, so a DST change inside working hours shortens or lengthens that day as it does
for the people working it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from itertools import pairwise
from zoneinfo import ZoneInfo

import holidays

Interval = tuple[time, time]
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_HOURS: dict[str, list[str]] = {d: ["09:00-17:00"] for d in WEEKDAYS[:5]}
# Beyond this many days without a single working minute the calendar is considered empty.
MAX_SEARCH_DAYS = 3660
_SPAN = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


class CalendarError(ValueError):
    pass


def parse_hours(raw: dict[str, list[str]]) -> dict[int, list[Interval]]:
    """{"mon": ["08:00-12:00", "13:00-17:00"], ...} → {0: [(08:00, 12:00), ...]}; "24:00"
    closes a day at midnight. Raises CalendarError naming the bad entry."""
    out: dict[int, list[Interval]] = {}
    for key, spans in raw.items():
        if key not in WEEKDAYS:
            raise CalendarError(f"unknown weekday {key!r}; use {', '.join(WEEKDAYS)}")
        day: list[Interval] = []
        for span in spans:
            m = _SPAN.match(span)
            if not m:
                raise CalendarError(f"{key}: write hours as HH:MM-HH:MM, not {span!r}")
            h1, m1, h2, m2 = (int(g) for g in m.groups())
            if h1 > 23 or m1 > 59 or m2 > 59 or h2 > 24 or (h2 == 24 and m2):
                raise CalendarError(f"{key}: {span!r} is not a time of day")
            start = time(h1, m1)
            end = time.max if h2 == 24 else time(h2, m2)
            if end <= start:
                raise CalendarError(f"{key}: {span!r} ends before it starts")
            day.append((start, end))
        day.sort()
        for (_s1, e1), (s2, _e2) in pairwise(day):
            if s2 < e1:
                raise CalendarError(f"{key}: the hours overlap")
        if day:
            out[WEEKDAYS.index(key)] = day
    return out


@lru_cache(maxsize=256)
def _national(country: str, year: int) -> frozenset[date]:
    try:
        return frozenset(holidays.country_holidays(country, years=year))
    except NotImplementedError:
        return frozenset()


@dataclass(frozen=True)
class BusinessCalendar:
    time_zone: str
    hours: dict[int, list[Interval]]
    country: str = ""
    closed: frozenset[date] = field(default_factory=frozenset)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def is_closed(self, day: date) -> bool:
        return day in self.closed or (bool(self.country)
                                      and day in _national(self.country, day.year))

    def intervals(self, day: date) -> list[tuple[datetime, datetime]]:
        """The working intervals of one local day, as UTC instants."""
        if self.is_closed(day):
            return []
        tz = self.tz
        out = []
        for start, end in self.hours.get(day.weekday(), []):
            a = datetime.combine(day, start, tzinfo=tz).astimezone(UTC)
            b = (datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
                 if end == time.max else datetime.combine(day, end, tzinfo=tz)).astimezone(UTC)
            if b > a:
                out.append((a, b))
        return out

    def _from(self, moment: datetime) -> Iterator[tuple[datetime, datetime]]:
        day = moment.astimezone(self.tz).date() - timedelta(days=1)  # DST edges: look back
        for _ in range(MAX_SEARCH_DAYS):
            for a, b in self.intervals(day):
                if b > moment:
                    yield max(a, moment), b
            day += timedelta(days=1)

    def add(self, start: datetime, seconds: float) -> datetime:
        """The instant when `seconds` of business time have passed since `start`."""
        if seconds < 0:
            raise CalendarError("cannot add negative business time")
        start = start.astimezone(UTC)
        remaining = timedelta(seconds=seconds)
        for a, b in self._from(start):
            if remaining <= b - a:
                return a + remaining
            remaining -= b - a
        raise CalendarError("the calendar has no working hours")

    def between(self, start: datetime, end: datetime,
                excluding: Iterable[tuple[datetime, datetime]] = ()) -> float:
        """Seconds of business time in [start, end), minus the `excluding` windows (pauses,
        e.g. while waiting on the customer)."""
        start, end = start.astimezone(UTC), end.astimezone(UTC)
        if end <= start:
            return 0.0
        total = 0.0
        pauses = sorted((p.astimezone(UTC), q.astimezone(UTC)) for p, q in excluding)
        for a, b in self._from(start):
            if a >= end:
                break
            b = min(b, end)
            total += (b - a).total_seconds() - sum(
                max(0.0, (min(b, q) - max(a, p)).total_seconds()) for p, q in pauses)
        return total


def calendar_for(*, time_zone: str, hours: dict[str, list[str]] | None, country: str,
                 closed: Iterable[date] = ()) -> BusinessCalendar:
    return BusinessCalendar(time_zone=time_zone, hours=parse_hours(hours or DEFAULT_HOURS),
                            country=country.upper(), closed=frozenset(closed))
