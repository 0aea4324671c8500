"""The triage stage: ``mentions.enriched`` -> routing policy -> cases -> ``triage.decisions``.

The enrich stage keys ``mentions.enriched`` by author (``<source>:<author id>``), so one customer's
mentions stay in one partition, in order, and are threaded the same way on Kafka and on the embedded log.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from socialcare.bus.worker import Emit, Stage, StageOutput
from socialcare.models import EnrichedMention, TriageDecision, utcnow
from socialcare.topics import MENTIONS_ENRICHED, TRIAGE_DECISIONS
from triage.assignment import Agent
from triage.cases import CaseStore
from triage.engine import CompiledPolicy
from triage.facts import facts_of
from triage.notify import Alert, Notifier


class TriageStage(Stage[EnrichedMention]):
    name = "triage"
    input_topic = MENTIONS_ENRICHED
    input_model = EnrichedMention

    def __init__(
        self,
        policy: CompiledPolicy,
        cases: CaseStore,
        notifier: Notifier | None = None,
        agents: Sequence[Agent] = (),
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.policy = policy
        self.cases = cases
        self.notifier = notifier
        self.agents = list(agents)
        self.clock = clock

    def process(self, events: Sequence[EnrichedMention]) -> StageOutput:
        routed = [(event, self.policy.decide(facts_of(event, self.policy.zone))) for event in events]
        decisions = self.cases.file_batch(routed)
        if self.agents:  # new cases go to the least-loaded qualified agent working now, or wait in the queue
            self.cases.assign_waiting(self.agents, self.clock())
            decisions = self.cases.with_assignees(decisions)
        if self.notifier is not None:
            for (event, _), decision in zip(routed, decisions, strict=True):
                if decision.priority == "P1":  # a P1 goes out at once, once per case
                    self.notifier.notify(p1_alert(event, decision))
        return StageOutput(emits=[Emit(TRIAGE_DECISIONS, d.mention_id, d) for d in decisions])


def p1_alert(mention: EnrichedMention, decision: TriageDecision) -> Alert:
    reasons = "; ".join(mention.risk.reasons[:4]) or "priority rules"
    who = f"@{mention.author.handle}" if mention.author.handle else mention.author.id
    text = (
        f"{who} ({mention.author.followers or 0} followers) on {mention.source}: "
        f"{(mention.redacted_text or '')[:280]}\nwhy: {reasons}\n{mention.url or mention.id}"
    )
    title = f"P1 {decision.department} case for {mention.brand or 'the brand'}"
    return Alert(f"p1:{decision.case_id}", title, text, severity="critical")
