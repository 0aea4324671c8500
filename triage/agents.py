"""The agents file: who takes which cases, in which languages, when, and how many at once.

    agents:
      - id: ann
        departments: [customer_service, sales]
        languages: [en]              # leave out to take any language
        capacity: 6                  # open cases at most
        timezone: Europe/London
        hours: "09:00-17:30"         # local working hours
        weekdays: mon-fri
      - id: kenji
        departments: [customer_service, it]
        languages: [ja, en]
        timezone: Asia/Tokyo

Point ``SOCIALCARE_AGENTS_FILE`` at it; ``socialcare agents check FILE`` validates it. Problems are
reported as ``file:line: field: message``.
"""

from __future__ import annotations

from datetime import time
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from socialcare.errors import ConfigError
from socialcare.models import Department
from socialcare.yaml_locations import load_with_nodes, validation_problems
from triage.assignment import Agent
from triage.policy_file import END_OF_DAY, _known_zone, _weekdays_of, parse_hours


class AgentSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[str, Field(min_length=1, max_length=200)]
    departments: Annotated[list[Department], Field(min_length=1)]
    languages: list[Annotated[str, Field(min_length=2, max_length=3)]] = []
    capacity: Annotated[int, Field(ge=0, le=1000)] = 5
    timezone: str = "UTC"
    hours: str = "00:00-24:00"
    weekdays: str = "mon-sun"

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        return _known_zone(value)

    @field_validator("hours")
    @classmethod
    def _hours(cls, value: str) -> str:
        parse_hours(value, "working hours such as '09:00-17:30'")
        return value

    @field_validator("weekdays")
    @classmethod
    def _days(cls, value: str) -> str:
        _weekdays_of(value)
        return value

    def agent(self) -> Agent:
        start, end = parse_hours(self.hours, "working hours")
        return Agent(
            id=self.id,
            departments=frozenset(self.departments),
            languages=frozenset(code.lower() for code in self.languages),
            capacity=self.capacity,
            timezone=self.timezone,
            start=start,
            end=END_OF_DAY if end in (None, time(0)) else end,  # "until 00:00" means until midnight
            weekdays=frozenset(_weekdays_of(self.weekdays)),
        )


class AgentsFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    agents: list[AgentSpec]

    @model_validator(mode="after")
    def _unique(self) -> AgentsFile:
        ids = [a.id.casefold() for a in self.agents]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"agent ids must be unique; repeated: {', '.join(twice)}")
        return self


def load_agents(path: str | Path) -> list[Agent]:
    path = Path(path)
    data, root = load_with_nodes(path)
    try:
        parsed = AgentsFile.model_validate(data)
    except ValidationError as exc:
        raise ConfigError("invalid agents file:\n  " + "\n  ".join(validation_problems(path, root, exc))) from None
    return [spec.agent() for spec in parsed.agents]
