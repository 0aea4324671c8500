"""The triage stage: ``mentions.enriched`` -> routing policy -> cases -> ``triage.decisions``.

The enrich stage keys ``mentions.enriched`` by author (``<source>:<author id>``), so one customer's
mentions stay in one partition, in order, and are threaded the same way on Kafka and on the embedded log.
"""

from __future__ import annotations

from collections.abc import Sequence

from socialcare.bus.worker import Emit, Stage, StageOutput
from socialcare.models import EnrichedMention
from socialcare.topics import MENTIONS_ENRICHED, TRIAGE_DECISIONS
from triage.cases import CaseStore
from triage.engine import CompiledPolicy
from triage.facts import facts_of


class TriageStage(Stage[EnrichedMention]):
    name = "triage"
    input_topic = MENTIONS_ENRICHED
    input_model = EnrichedMention

    def __init__(self, policy: CompiledPolicy, cases: CaseStore) -> None:
        self.policy = policy
        self.cases = cases

    def process(self, events: Sequence[EnrichedMention]) -> StageOutput:
        routed = [(event, self.policy.decide(facts_of(event, self.policy.zone))) for event in events]
        decisions = self.cases.file_batch(routed)
        return StageOutput(emits=[Emit(TRIAGE_DECISIONS, d.mention_id, d) for d in decisions])
