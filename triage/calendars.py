"""Business-hours calendars: SLA clocks that only run while a department is open.

A first response due in 4 business hours on a Friday at 16:00, for a team open 09:00-17:00 Monday to
Friday, is due Monday at 12:00. Calendars are written in the policy file::

    calendars:
      customer_service: {timezone: Europe/London, hours: {mon-fri: "08:00-20:00", sat: "09:00-13:00"},
                         holidays: [2026-12-25, 2026-12-26]}
      pr: always                      # the default for a department without a calendar: 24/7
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MAX_DAYS_AHEAD = 3 * 366
"""A due time further than this is refused: the calendar has (almost) no open hours."""


@dataclass(frozen=True)
class BusinessCalendar:
    timezone: str = "UTC"
    hours: tuple[tuple[time, time] | None, ...] = ((time(0), time(0)),) * 7
    """Per weekday (Monday first): (open, close) in local time, or None when closed. (00:00, 00:00) = all day."""
    holidays: frozenset[date] = frozenset()

    @property
    def always_open(self) -> bool:
        return not self.holidays and all(h == (time(0), time(0)) for h in self.hours)

    def _open_span(self, day: date) -> tuple[datetime, datetime] | None:
        """The open interval of one local day, as aware datetimes, or None."""
        if day in self.holidays:
            return None
        span = self.hours[day.weekday()]
        if span is None:
            return None
        zone = ZoneInfo(self.timezone)
        start = datetime.combine(day, span[0], zone)
        if span[1] == time(0):  # open until midnight
            end = datetime.combine(day + timedelta(days=1), time(0), zone)
        else:
            end = datetime.combine(day, span[1], zone)
        return (start, end) if end > start else None

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The instant ``duration`` of open time after ``start``."""
        if self.always_open:
            return start + duration
        remaining = duration
        local = start.astimezone(ZoneInfo(self.timezone))
        day = local.date()
        for _ in range(MAX_DAYS_AHEAD):
            span = self._open_span(day)
            if span is not None:
                begin = max(span[0], start)
                if begin < span[1]:
                    available = span[1] - begin
                    if remaining <= available:
                        return begin + remaining
                    remaining -= available
            day += timedelta(days=1)
        raise ValueError("this calendar has no open hours in the next three years")

    def open_time(self, start: datetime, end: datetime) -> timedelta:
        """Open time between two instants (zero when ``end`` is not after ``start``)."""
        if end <= start:
            return timedelta(0)
        if self.always_open:
            return end - start
        total = timedelta(0)
        zone = ZoneInfo(self.timezone)
        day = start.astimezone(zone).date()
        last = end.astimezone(zone).date()
        while day <= last:
            span = self._open_span(day)
            if span is not None:
                begin, finish = max(span[0], start), min(span[1], end)
                if finish > begin:
                    total += finish - begin
            day += timedelta(days=1)
        return total


ALWAYS = BusinessCalendar()
