"""The routing policy file: YAML, validated with pydantic, every problem reported as ``file:line: field``.

A policy is an ordered list of rules, SLA targets per priority, and optional business-hours calendars per
department (SLA clocks run only while the department is open; see :mod:`triage.calendars`). Each rule has
``when`` (every listed test must hold) and ``then`` (what it sets). Example::

    version: 1
    timezone: Europe/London
    default_priority: P3
    sla:                              # per priority: first response and resolution targets
      P1: {first_response: 15m, resolution: 4h}
      P2: {first_response: 1h, resolution: 8h}
      P3: {first_response: 4h, resolution: 24h}
      P4: {first_response: 24h, resolution: 72h}
    rules:
      - name: high risk copies PR
        when: {risk_level: high}
        then: {cc: [pr], priority: P1, tags: [escalation]}
      - name: sales leads from big accounts
        when: {department: sales, followers: ">= 10000"}
        then: {priority: P2, sla: {first_response: 30m}}

Tests in ``when``:

- one value or a list of allowed values: ``department``, ``risk_level``, ``sentiment``, ``language``,
  ``source``, ``brand``, ``verified``;
- a comparison (``">= 0.8"``, ``"< 0"``, ``"== 3"``, or a bare number for equality): ``risk_score``,
  ``sentiment_score``, ``spam_score``, ``followers``, and ``department_scores: {engineering: ">= 0.5"}``;
- ``tags``: any of these listening-query tags matched; ``keywords``: any of these words or phrases occurs
  (whole words, any case, in the redacted text);
- ``hours: "09:00-17:30"`` (local time in ``timezone``; may wrap midnight) and ``weekdays: [mon, tue]``;
- ``any: [{...}, {...}]`` (at least one holds) and ``not: {...}``.

What ``then`` sets: ``department`` (the last rule that sets it wins); ``cc`` (added); ``priority`` (the most
urgent any fired rule gives, P1 first; when no rule gives one, ``default_priority``, or ``none_priority``
for department none); ``sla`` (overrides the targets of the priority); ``tags`` (added). ``stop: true``
ends the evaluation after the rule, so put a rule that must have the last word (spam) first.
"""

from __future__ import annotations

import re
from datetime import date, time, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from socialcare.errors import ConfigError
from socialcare.models import Department, Priority
from socialcare.yaml_locations import load_with_nodes, validation_problems
from triage.calendars import ALWAYS, BusinessCalendar

PRIORITIES: tuple[Priority, ...] = ("P1", "P2", "P3", "P4")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_COMPARISON = re.compile(r"^\s*(>=|<=|==|!=|>|<)?\s*(-?\d+(?:\.\d+)?)\s*$")
_DURATION = re.compile(r"^\s*(\d+)\s*(s|m|h|d)\s*$")
_HOURS = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
END_OF_DAY = time(23, 59, 59)
"""A rule's or an agent's ``24:00``: comparisons of the time of day are inclusive, so the last second."""


class Comparison(BaseModel):
    """``op value``; written in YAML as ``">= 0.8"`` or a bare number."""

    model_config = ConfigDict(frozen=True)
    op: Literal[">=", "<=", "==", "!=", ">", "<"]
    value: float

    @model_validator(mode="before")
    @classmethod
    def _parse(cls, raw: Any) -> Any:
        if isinstance(raw, bool):
            raise ValueError("expected a comparison such as '>= 0.8', not true/false")
        if isinstance(raw, int | float):
            return {"op": "==", "value": raw}
        if isinstance(raw, str):
            match = _COMPARISON.match(raw)
            if match is None:
                raise ValueError(f"expected a comparison such as '>= 0.8' or '< 0', not {raw!r}")
            return {"op": match.group(1) or "==", "value": float(match.group(2))}
        return raw

    def __str__(self) -> str:
        return f"{self.op} {self.value:g}"


def parse_duration(raw: Any) -> timedelta:
    if isinstance(raw, timedelta):
        return raw
    match = _DURATION.match(str(raw))
    if match is None or isinstance(raw, bool):
        raise ValueError(f"expected a duration such as 15m, 4h or 2d, not {raw!r}")
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


Duration = Annotated[timedelta, Field(description="15m, 4h, 2d")]


def _one_or_many(value: Any) -> Any:
    return [value] if value is not None and not isinstance(value, list) else value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SlaTargets(_Strict):
    first_response: Duration | None = None
    resolution: Duration | None = None

    @field_validator("first_response", "resolution", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> Any:
        return None if value is None else parse_duration(value)


class Condition(_Strict):
    department: list[Department] | None = None
    risk_level: list[Literal["low", "medium", "high"]] | None = None
    sentiment: list[Literal["negative", "neutral", "positive"]] | None = None
    language: list[str] | None = None
    source: list[str] | None = None
    brand: list[str] | None = None
    verified: bool | None = None
    risk_score: Comparison | None = None
    sentiment_score: Comparison | None = None
    spam_score: Comparison | None = None
    followers: Comparison | None = None
    department_scores: dict[Department, Comparison] | None = None
    tags: list[Annotated[str, Field(min_length=1)]] | None = None
    keywords: list[Annotated[str, Field(min_length=1)]] | None = None
    hours: tuple[time, time] | None = None
    weekdays: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]] | None = None
    any: list[Condition] | None = None
    not_: Condition | None = Field(None, alias="not")

    @field_validator(
        "department", "risk_level", "sentiment", "language", "source", "brand", "tags", "keywords", "weekdays",
        mode="before",
    )  # fmt: skip
    @classmethod
    def _listify(cls, value: Any) -> Any:
        return _one_or_many(value)

    @field_validator("language", "weekdays", "tags", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return [v.lower() if isinstance(v, str) else v for v in value] if isinstance(value, list) else value

    @field_validator("hours", mode="before")
    @classmethod
    def _hours(cls, value: Any) -> Any:
        if value is None or isinstance(value, tuple):
            return value
        start, end = parse_hours(str(value), "a local time range such as '09:00-17:30'")
        return (start, END_OF_DAY if end is None else end)

    @model_validator(mode="after")
    def _not_empty(self) -> Condition:
        if not self.model_fields_set:
            raise ValueError("a condition needs at least one test (an empty 'when' would match everything)")
        return self


class Action(_Strict):
    department: Department | None = None
    cc: list[Department] = []
    priority: Priority | None = None
    sla: SlaTargets | None = None
    tags: list[Annotated[str, Field(min_length=1)]] = []

    @field_validator("cc", "tags", mode="before")
    @classmethod
    def _listify(cls, value: Any) -> Any:
        return _one_or_many(value)

    @model_validator(mode="after")
    def _does_something(self) -> Action:
        if not self.model_fields_set:
            raise ValueError("'then' sets nothing: give a department, cc, priority, sla or tags")
        return self


_DAY_RANGE = re.compile(r"^(mon|tue|wed|thu|fri|sat|sun)(?:-(mon|tue|wed|thu|fri|sat|sun))?$")


def _weekdays_of(spec: str) -> list[int]:
    """``mon-fri`` -> [0..4]; ``sat`` -> [5]; ``mon,wed`` -> [0, 2]."""
    days: list[int] = []
    for part in spec.lower().replace(" ", "").split(","):
        match = _DAY_RANGE.match(part)
        if match is None:
            raise ValueError(f"{spec!r}: name days as mon..sun, ranges as mon-fri, lists as mon,wed")
        first = WEEKDAYS.index(match.group(1))
        last = WEEKDAYS.index(match.group(2) or match.group(1))
        days += list(range(first, last + 1)) if first <= last else [*range(first, 7), *range(0, last + 1)]
    return days


class CalendarSpec(_Strict):
    timezone: str = "UTC"
    hours: dict[str, str]
    holidays: list[date] = []

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        return _known_zone(value)

    def calendar(self) -> BusinessCalendar:
        week: list[tuple[time, time] | None] = [None] * 7
        for days, span in self.hours.items():
            for day in _weekdays_of(days):
                week[day] = None if span.strip().lower() == "closed" else _span(span)
        return BusinessCalendar(self.timezone, tuple(week), frozenset(self.holidays))

    @model_validator(mode="after")
    def _valid_hours(self) -> CalendarSpec:
        for days, span in self.hours.items():
            _weekdays_of(days)
            if span.strip().lower() != "closed":
                _span(span)
        if all(day is None for day in self.calendar().hours):
            raise ValueError("the calendar is never open; write 'always' for a team that never closes")
        return self


def parse_hours(text: str, expected: str) -> tuple[time, time | None]:
    """``"09:00-17:30"`` -> (09:00, 17:30); an end of ``24:00`` is None (the end of the day)."""
    match = _HOURS.match(text)
    if match is None:
        raise ValueError(f"expected {expected}, not {text!r}")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or m1 > 59 or m2 > 59 or h2 > 24 or (h2 == 24 and m2):
        raise ValueError(f"{text!r} is not a time range of one day")
    return time(h1, m1), None if h2 == 24 else time(h2, m2)


def _span(text: str) -> tuple[time, time]:
    """Opening hours for a calendar, whose convention for "until midnight" is an end of 00:00."""
    start, end = parse_hours(text, "opening hours such as '09:00-17:30' or 'closed'")
    return start, time(0) if end is None else end


def _known_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {value!r}; use an IANA name such as Europe/London") from None
    return value


class Rule(_Strict):
    name: Annotated[str, Field(min_length=1, max_length=120)]
    when: Condition
    then: Action
    stop: bool = False


class PolicyFile(_Strict):
    version: Literal[1] = 1
    timezone: str = "UTC"
    default_priority: Priority = "P3"
    none_priority: Priority = "P4"
    sla: dict[Priority, SlaTargets]
    calendars: dict[Department, CalendarSpec] = {}
    rules: list[Rule] = []

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        return _known_zone(value)

    @field_validator("calendars", mode="before")
    @classmethod
    def _always(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: {"hours": {"mon-sun": "00:00-24:00"}} if v == "always" else v for k, v in value.items()}
        return value

    def calendar_for(self, department: str) -> BusinessCalendar:
        spec = self.calendars.get(department)  # type: ignore[call-overload]
        return spec.calendar() if spec is not None else ALWAYS

    @field_validator("sla")
    @classmethod
    def _every_priority(cls, value: dict[Priority, SlaTargets]) -> dict[Priority, SlaTargets]:
        missing = [p for p in PRIORITIES if p not in value]
        if missing:
            raise ValueError(f"give SLA targets for every priority; missing {', '.join(missing)}")
        for priority, targets in value.items():
            if targets.first_response is None or targets.resolution is None:
                raise ValueError(f"{priority} needs both first_response and resolution")
        return value

    @model_validator(mode="after")
    def _unique_names(self) -> PolicyFile:
        seen: set[str] = set()
        for rule in self.rules:
            if rule.name.casefold() in seen:
                raise ValueError(f"two rules are named {rule.name!r}; names identify rules in explanations")
            seen.add(rule.name.casefold())
        return self


def read_policy_file(path: str | Path) -> PolicyFile:
    """Read and validate a policy; raise :class:`ConfigError` listing every problem with its line."""
    path = Path(path)
    data, root = load_with_nodes(path)
    if not isinstance(data, dict):
        raise ConfigError(f"{path}:1: (file): a policy is a mapping with 'sla' and 'rules'")
    try:
        return PolicyFile.model_validate(data)
    except ValidationError as exc:
        problems = validation_problems(path, root, exc)
        raise ConfigError("invalid routing policy:\n  " + "\n  ".join(problems)) from None
