"""The index stage: ``mentions.enriched`` -> the search index (bulk, by mention id, so replays are idempotent)."""

from __future__ import annotations

from collections.abc import Sequence

from dashboards.search.docs import doc_of
from dashboards.search.port import SearchIndex
from socialcare.bus.worker import Stage, StageOutput
from socialcare.models import EnrichedMention
from socialcare.topics import MENTIONS_ENRICHED


class IndexStage(Stage[EnrichedMention]):
    name = "index"
    input_topic = MENTIONS_ENRICHED
    input_model = EnrichedMention

    def __init__(self, search_index: SearchIndex) -> None:
        self.search_index = search_index

    def process(self, events: Sequence[EnrichedMention]) -> StageOutput:
        self.search_index.index([doc_of(event) for event in events])
        return StageOutput()
