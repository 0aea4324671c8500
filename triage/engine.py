"""The routing engine: a policy compiled once into predicates, then one pass over the rules per mention.

Compiling turns every test into a small closure (keyword lists into one regex, comparisons into operator
functions) that returns the value it looked at, so the explanation can say what each rule saw. Deciding is
pure: facts in, :class:`Routing` out.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from socialcare.models import DEPARTMENTS, PRIORITY_RANK, Department, ExplanationStep, Priority
from triage.facts import Facts
from triage.policy_file import WEEKDAYS, Comparison, Condition, PolicyFile, Rule, SlaTargets, read_policy_file

DEFAULT_POLICY = Path(__file__).with_name("default_policy.yaml")

_OPS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    "<=": operator.le,
    "==": operator.eq,
    "!=": operator.ne,
    ">": operator.gt,
    "<": operator.lt,
}

Seen = dict[str, Any]
Test = Callable[[Facts, Seen], bool]
"""A compiled test: true or false for the facts; writes the values it read into ``seen``."""


@dataclass
class Routing:
    """The outcome of the policy for one mention (before cases, assignment and calendars)."""

    department: Department
    cc: tuple[Department, ...]
    priority: Priority
    first_response: timedelta
    resolution: timedelta
    first_response_due: datetime
    resolution_due: datetime
    tags: tuple[str, ...]
    explanation: tuple[ExplanationStep, ...] = field(default_factory=tuple)
    fired: tuple[str, ...] = ()


def _in(name: str, allowed: list[Any], read: Callable[[Facts], Any]) -> Test:
    wanted = frozenset(allowed)

    def test(facts: Facts, seen: Seen) -> bool:
        value = read(facts)
        seen[name] = value
        return value in wanted

    return test


def _compare(name: str, comparison: Comparison, read: Callable[[Facts], float]) -> Test:
    op, bound = _OPS[comparison.op], comparison.value

    def test(facts: Facts, seen: Seen) -> bool:
        value = read(facts)
        seen[name] = value
        return op(value, bound)

    return test


def _keywords(words: list[str]) -> Test:
    alternatives = sorted({w.strip().lower() for w in words}, key=len, reverse=True)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in alternatives) + r")(?!\w)", re.IGNORECASE)

    def test(facts: Facts, seen: Seen) -> bool:
        match = pattern.search(facts.text)
        if match is not None:
            seen["keyword"] = match.group(0).lower()
        return match is not None

    return test


def _tags(tags: list[str]) -> Test:
    wanted = frozenset(tags)

    def test(facts: Facts, seen: Seen) -> bool:
        hit = sorted(wanted & facts.tags)
        seen["tags"] = hit or sorted(facts.tags)
        return bool(hit)

    return test


def _hours(start: time, end: time) -> Test:
    def test(facts: Facts, seen: Seen) -> bool:
        now = facts.local_time.time()
        seen["local_time"] = now.strftime("%H:%M")
        return start <= now <= end if start <= end else now >= start or now <= end

    return test


def _weekdays(days: Sequence[str]) -> Test:
    wanted = frozenset(WEEKDAYS.index(d) for d in days)

    def test(facts: Facts, seen: Seen) -> bool:
        seen["weekday"] = WEEKDAYS[facts.local_time.weekday()]
        return facts.local_time.weekday() in wanted

    return test


def _all(tests: list[Test]) -> Test:
    def test(facts: Facts, seen: Seen) -> bool:
        return all(t(facts, seen) for t in tests)

    return test


def _any(tests: list[Test]) -> Test:
    def test(facts: Facts, seen: Seen) -> bool:
        return any(t(facts, seen) for t in tests)

    return test


def _not(inner: Test) -> Test:
    def test(facts: Facts, seen: Seen) -> bool:
        return not inner(facts, seen)

    return test


_CHOICES: dict[str, Callable[[Facts], Any]] = {
    "department": lambda f: f.department,
    "risk_level": lambda f: f.risk_level,
    "sentiment": lambda f: f.sentiment,
    "language": lambda f: f.language,
    "source": lambda f: f.source,
    "brand": lambda f: f.brand,
}
_NUMBERS: dict[str, Callable[[Facts], float]] = {
    "risk_score": lambda f: f.risk_score,
    "sentiment_score": lambda f: f.sentiment_score,
    "spam_score": lambda f: f.spam_score,
    "followers": lambda f: f.followers,
}


def _score_of(department: str) -> Callable[[Facts], float]:
    return lambda facts: facts.department_scores.get(department, 0.0)


def compile_condition(condition: Condition) -> Test:
    """Every test the condition lists, cheapest first, joined with AND."""
    tests: list[Test] = []
    for name, read in _CHOICES.items():
        allowed = getattr(condition, name)
        if allowed is not None:
            tests.append(_in(name, allowed, read))
    if condition.verified is not None:
        tests.append(_in("verified", [condition.verified], lambda f: f.verified))
    for name, number in _NUMBERS.items():
        comparison = getattr(condition, name)
        if comparison is not None:
            tests.append(_compare(name, comparison, number))
    for dept, comparison in (condition.department_scores or {}).items():
        tests.append(_compare(f"department_scores.{dept}", comparison, _score_of(dept)))
    if condition.tags:
        tests.append(_tags(condition.tags))
    if condition.weekdays:
        tests.append(_weekdays(condition.weekdays))
    if condition.hours is not None:
        tests.append(_hours(*condition.hours))
    if condition.keywords:
        tests.append(_keywords(condition.keywords))
    if condition.any:
        tests.append(_any([compile_condition(c) for c in condition.any]))
    if condition.not_ is not None:
        tests.append(_not(compile_condition(condition.not_)))
    return tests[0] if len(tests) == 1 else _all(tests)


@dataclass(frozen=True)
class CompiledRule:
    rule: Rule
    test: Test


def format_duration(value: timedelta) -> str:
    """``timedelta(minutes=90)`` -> ``1h30m``; as the policy file writes durations."""
    seconds = int(value.total_seconds())
    days, seconds = divmod(seconds, 86_400)
    hours, seconds = divmod(seconds, 3_600)
    minutes, seconds = divmod(seconds, 60)
    text = "".join(f"{n}{unit}" for n, unit in ((days, "d"), (hours, "h"), (minutes, "m"), (seconds, "s")) if n)
    return text or "0s"


def _describe(rule: Rule) -> str:
    action, parts = rule.then, []
    if action.department:
        parts.append(f"department {action.department}")
    if action.cc:
        parts.append("cc " + ", ".join(action.cc))
    if action.priority:
        parts.append(f"priority {action.priority}")
    if action.sla is not None:
        targets = action.sla.model_dump(exclude_none=True).items()
        parts += [f"{k.replace('_', ' ')} within {format_duration(v)}" for k, v in targets]
    if action.tags:
        parts.append("tags " + ", ".join(action.tags))
    return "; ".join(parts) + ("; stop" if rule.stop else "")


class CompiledPolicy:
    """A validated policy, compiled; :meth:`decide` routes one mention's facts."""

    def __init__(self, policy: PolicyFile, source: str = "<policy>") -> None:
        self.policy = policy
        self.source = source
        self.zone = ZoneInfo(policy.timezone)
        self.rules = [CompiledRule(rule, compile_condition(rule.when)) for rule in policy.rules]
        self._summaries = {rule.name: _describe(rule) for rule in policy.rules}
        self.calendars = {department: policy.calendar_for(department) for department in DEPARTMENTS}

    @classmethod
    def load(cls, path: str | Path | None = None) -> CompiledPolicy:
        """The policy at ``path``, or the default one that ships with socialcare."""
        chosen = Path(path) if path is not None else DEFAULT_POLICY
        return cls(read_policy_file(chosen), str(chosen))

    def describe(self, name: str) -> str:
        """What the rule called ``name`` does, in words."""
        return self._summaries[name]

    def decide(self, facts: Facts) -> Routing:
        department: Department = facts.department
        cc: list[Department] = []
        chosen: Priority | None = None
        sla: SlaTargets | None = None
        tags: list[str] = []
        fired: list[str] = []
        top = sorted(facts.department_scores.items(), key=lambda kv: -kv[1])[:3]
        steps = [
            ExplanationStep(
                rule="scores",
                detail=f"department {department} from the scores; risk {facts.risk_level} "
                f"({facts.risk_score:.2f}); sentiment {facts.sentiment}",
                inputs={
                    "department_scores": {d: round(s, 3) for d, s in top},
                    "risk_reasons": list(facts.risk_reasons),
                },
            )
        ]
        for compiled in self.rules:
            seen: Seen = {}
            if not compiled.test(facts, seen):
                continue
            rule, action = compiled.rule, compiled.rule.then
            fired.append(rule.name)
            if action.department is not None:
                department = action.department
            cc.extend(d for d in action.cc if d not in cc)
            if action.priority is not None and (
                chosen is None or PRIORITY_RANK[action.priority] < PRIORITY_RANK[chosen]
            ):
                chosen = action.priority
            if action.sla is not None:
                sla = action.sla
            tags.extend(t for t in action.tags if t not in tags)
            steps.append(ExplanationStep(rule=rule.name, detail=self._summaries[rule.name], inputs=seen))
            if rule.stop:
                break
        priority = chosen or (self.policy.none_priority if department == "none" else self.policy.default_priority)
        if chosen is None:
            steps.append(
                ExplanationStep(rule="default priority", detail=f"no rule set a priority: {priority}", inputs={})
            )
        targets = self.policy.sla[priority]
        first = (sla.first_response if sla and sla.first_response else None) or targets.first_response
        resolution = (sla.resolution if sla and sla.resolution else None) or targets.resolution
        assert first is not None and resolution is not None  # PolicyFile guarantees both per priority
        calendar = self.calendars[department]
        if not calendar.always_open:
            steps.append(
                ExplanationStep(
                    rule="business hours",
                    detail=f"SLA clocks run in {department}'s opening hours ({calendar.timezone})",
                    inputs={},
                )
            )
        return Routing(
            department=department,
            cc=tuple(d for d in cc if d != department),
            priority=priority,
            first_response=first,
            resolution=resolution,
            first_response_due=calendar.add(facts.created_at, first),
            resolution_due=calendar.add(facts.created_at, resolution),
            tags=tuple(tags),
            explanation=tuple(steps),
            fired=tuple(fired),
        )
