"""What-if: replay past mentions through a changed policy and count what would change.

Before a team lead saves a new rule, they see how many decisions move, from which department and priority
to which, and a few examples with the rules that made the difference.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from socialcare.models import EnrichedMention
from triage.engine import CompiledPolicy, Routing
from triage.facts import facts_of

EXAMPLES = 5


@dataclass(frozen=True)
class Change:
    mention_id: str
    text: str
    before: Routing
    after: Routing


@dataclass
class WhatIf:
    total: int = 0
    changed: int = 0
    departments: Counter[tuple[str, str]] = field(default_factory=Counter)
    priorities: Counter[tuple[str, str]] = field(default_factory=Counter)
    cc_changed: int = 0
    sla_changed: int = 0
    examples: list[Change] = field(default_factory=list)


def _key(routing: Routing) -> tuple[object, ...]:
    return (routing.department, routing.priority, routing.cc, routing.first_response, routing.resolution)


def compare_policies(
    mentions: Iterable[EnrichedMention], before: CompiledPolicy, after: CompiledPolicy, examples: int = EXAMPLES
) -> WhatIf:
    """Route every mention with both policies; count the decisions that differ."""
    report = WhatIf()
    for mention in mentions:
        report.total += 1
        old = before.decide(facts_of(mention, before.zone))
        new = after.decide(facts_of(mention, after.zone))
        if _key(old) == _key(new):
            continue
        report.changed += 1
        if old.department != new.department:
            report.departments[(old.department, new.department)] += 1
        if old.priority != new.priority:
            report.priorities[(old.priority, new.priority)] += 1
        report.cc_changed += old.cc != new.cc
        report.sla_changed += (old.first_response, old.resolution) != (new.first_response, new.resolution)
        if len(report.examples) < examples:
            report.examples.append(Change(mention.id, mention.redacted_text or mention.text, old, new))
    return report


def format_whatif(report: WhatIf, before: str, after: str) -> str:
    share = report.changed / report.total if report.total else 0.0
    lines = [
        f"mentions={report.total} changed={report.changed} ({share:.1%}) cc_changed={report.cc_changed} "
        f"sla_changed={report.sla_changed}",
        f"before={before}",
        f"after={after}",
    ]
    if report.departments:
        lines.append("department changes:")
        lines += [f"  {a} -> {b}: {n}" for (a, b), n in report.departments.most_common()]
    if report.priorities:
        lines.append("priority changes:")
        lines += [f"  {a} -> {b}: {n}" for (a, b), n in report.priorities.most_common()]
    for change in report.examples:
        text = change.text.replace("\n", " ")
        lines.append(f"example {change.mention_id}: {text[:100]}")
        lines.append(
            f"  before: {change.before.department} {change.before.priority} cc={','.join(change.before.cc) or '-'}"
            f" rules: {'; '.join(change.before.fired) or '-'}"
        )
        lines.append(
            f"  after:  {change.after.department} {change.after.priority} cc={','.join(change.after.cc) or '-'}"
            f" rules: {'; '.join(change.after.fired) or '-'}"
        )
    return "\n".join(lines)
