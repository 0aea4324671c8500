"""The enrich stage: ``mentions.raw`` -> ``mentions.enriched``.

The worker's poll is the micro-batch: at most ``SOCIALCARE_BATCH_SIZE`` mentions, waiting at most
``SOCIALCARE_POLL_TIMEOUT_MS`` for them, so a quiet hour gets answers in well under a second and a busy
one fills whole batches for the encoder.
"""

from __future__ import annotations

from collections.abc import Sequence

from enrich.pipeline import Enricher
from socialcare.bus.worker import Emit, Stage, StageOutput
from socialcare.models import Mention
from socialcare.topics import MENTIONS_ENRICHED, MENTIONS_RAW


class EnrichStage(Stage[Mention]):
    name = "enrich"
    input_topic = MENTIONS_RAW
    input_model = Mention

    def __init__(self, enricher: Enricher) -> None:
        self.enricher = enricher

    def process(self, events: Sequence[Mention]) -> StageOutput:
        enriched = self.enricher.enrich(events)
        # keyed by author, so triage sees one customer's mentions in order on any partition
        return StageOutput(emits=[Emit(MENTIONS_ENRICHED, f"{e.source}:{e.author.id}", e) for e in enriched])
