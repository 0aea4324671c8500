"""Topic names, the event each carries, and the dead-letter naming rule (``T`` -> ``T.dlq``)."""

from __future__ import annotations

from socialcare.models import (
    EnrichedMention,
    EventModel,
    Mention,
    ReplyApproved,
    ReplyPosted,
    TriageDecision,
)

MENTIONS_RAW = "mentions.raw"
MENTIONS_ENRICHED = "mentions.enriched"
TRIAGE_DECISIONS = "triage.decisions"
REPLIES_APPROVED = "replies.approved"
REPLIES_POSTED = "replies.posted"

DLQ_SUFFIX = ".dlq"

EVENT_OF_TOPIC: dict[str, type[EventModel]] = {
    MENTIONS_RAW: Mention,
    MENTIONS_ENRICHED: EnrichedMention,
    TRIAGE_DECISIONS: TriageDecision,
    REPLIES_APPROVED: ReplyApproved,
    REPLIES_POSTED: ReplyPosted,
}

ALL_TOPICS: tuple[str, ...] = tuple(EVENT_OF_TOPIC)


def dlq_topic(topic: str) -> str:
    """The dead-letter topic of ``topic``; a DLQ has no DLQ of its own."""
    return topic if topic.endswith(DLQ_SUFFIX) else topic + DLQ_SUFFIX


def all_topics_with_dlq() -> list[str]:
    return [name for topic in ALL_TOPICS for name in (topic, dlq_topic(topic))]
