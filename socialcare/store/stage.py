"""The store stage: mentions from the stream into the system of record, upserted by id."""

from __future__ import annotations

from collections.abc import Sequence

from socialcare.bus.worker import Stage, StageOutput
from socialcare.models import Mention
from socialcare.store.mentions import MentionStore
from socialcare.topics import MENTIONS_RAW


class StoreMentionsStage(Stage[Mention]):
    name = "store"
    input_topic = MENTIONS_RAW
    input_model = Mention

    def __init__(self, store: MentionStore) -> None:
        self.store = store

    def process(self, events: Sequence[Mention]) -> StageOutput:
        self.store.upsert_many(events)
        return StageOutput()
