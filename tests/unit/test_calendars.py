"""Business-hours calendars: SLA clocks that stop at night, at weekends and on holidays."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialcare.errors import ConfigError
from triage.calendars import ALWAYS, BusinessCalendar
from triage.engine import CompiledPolicy
from triage.facts import facts_of
from triage.policy_file import CalendarSpec, read_policy_file

LONDON = ZoneInfo("Europe/London")
OFFICE = CalendarSpec(
    timezone="Europe/London", hours={"mon-fri": "09:00-17:00"}, holidays=[date(2026, 12, 25)]
).calendar()


def at(day: int, hour: int, minute: int = 0, month: int = 12) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=LONDON)


def test_always_open_is_plain_addition() -> None:
    start = datetime(2026, 12, 5, 23, 0, tzinfo=UTC)
    assert ALWAYS.always_open and ALWAYS.add(start, timedelta(hours=4)) == start + timedelta(hours=4)


def test_friday_afternoon_rolls_over_the_weekend() -> None:
    assert OFFICE.add(at(4, 16), timedelta(hours=4)) == at(7, 12)  # Fri 16:00 + 4h -> Mon 12:00


def test_a_post_at_night_starts_the_clock_at_opening() -> None:
    assert OFFICE.add(at(8, 2), timedelta(minutes=15)) == at(8, 9, 15)
    assert OFFICE.add(at(8, 18), timedelta(hours=1)) == at(9, 10)


def test_holidays_are_closed() -> None:
    assert OFFICE.add(at(24, 16), timedelta(hours=2)) == at(28, 10)  # Thu 24th, closed 25th, weekend


def test_open_time_counts_only_open_hours() -> None:
    assert OFFICE.open_time(at(4, 16), at(7, 12)) == timedelta(hours=4)
    assert OFFICE.open_time(at(7, 12), at(4, 16)) == timedelta(0)


def test_clocks_follow_daylight_saving() -> None:
    # Sunday 29 March 2026 London moves to BST; Monday 09:00 local is 08:00 UTC
    due = OFFICE.add(datetime(2026, 3, 27, 16, 30, tzinfo=UTC), timedelta(hours=1))  # Fri 16:30 GMT
    assert due == datetime(2026, 3, 30, 8, 30, tzinfo=UTC)


@settings(max_examples=200, deadline=None)
@given(
    start=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)),
    minutes=st.integers(min_value=0, max_value=60 * 24 * 10),
)
def test_add_and_open_time_agree(start: datetime, minutes: int) -> None:
    duration = timedelta(minutes=minutes)
    due = OFFICE.add(start, duration)
    assert due >= start
    assert OFFICE.open_time(start, due) == duration


def test_policy_calendars_are_validated_with_lines(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(
        "sla:\n"
        "  P1: {first_response: 15m, resolution: 4h}\n  P2: {first_response: 1h, resolution: 8h}\n"
        "  P3: {first_response: 4h, resolution: 24h}\n  P4: {first_response: 1d, resolution: 3d}\n"
        "calendars:\n"
        "  customer_service: {timezone: Europe/London, hours: {mon-fry: '09:00-17:00'}}\n"
        "  it: {hours: {mon: '9-5'}}\n"
        "  sales: {hours: {mon-sun: closed}}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        read_policy_file(path)
    message = str(caught.value)
    assert f"{path}:7: calendars.customer_service:" in message and "mon-fry" in message
    assert f"{path}:8: calendars.it:" in message and "opening hours" in message
    assert f"{path}:9: calendars.sales: the calendar is never open" in message


def test_decisions_use_the_department_calendar(tmp_path: Path) -> None:
    from tests.unit.test_triage_policy import SLA, enriched

    path = tmp_path / "p.yaml"
    path.write_text(
        SLA + "calendars:\n  customer_service: {timezone: UTC, hours: {mon-fri: '09:00-17:00', sat: '10:00-12:00'}}\n"
        "  pr: always\nrules: []\n",
        encoding="utf-8",
    )
    compiled = CompiledPolicy.load(path)
    mention = enriched().model_copy(update={"created_at": datetime(2026, 12, 4, 16, 0, tzinfo=UTC)})  # Friday
    routing = compiled.decide(facts_of(mention, compiled.zone))
    assert routing.first_response == timedelta(hours=4)
    # 1 h on Friday, 2 h on Saturday morning, the last hour on Monday
    assert routing.first_response_due == datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
    assert any(step.rule == "business hours" for step in routing.explanation)
    pr = enriched(department="pr").model_copy(update={"created_at": datetime(2026, 12, 4, 16, 0, tzinfo=UTC)})
    assert compiled.decide(facts_of(pr, compiled.zone)).first_response_due == datetime(2026, 12, 4, 20, 0, tzinfo=UTC)


def test_calendar_of_all_closed_days_is_refused() -> None:
    closed = BusinessCalendar("UTC", (None,) * 7)
    with pytest.raises(ValueError, match="no open hours"):
        closed.add(datetime(2026, 1, 1, tzinfo=UTC), timedelta(minutes=1))
    assert closed.open_time(datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 9, tzinfo=UTC)) == timedelta(0)
    assert BusinessCalendar("UTC", ((time(9), time(0)),) * 7).add(
        datetime(2026, 1, 1, 23, tzinfo=UTC), timedelta(hours=2)
    ) == datetime(2026, 1, 2, 10, tzinfo=UTC)  # 23:00-24:00, then 09:00-10:00
