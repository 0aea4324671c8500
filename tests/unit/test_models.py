"""Events: JSON round trip, schema_version, strict validation with readable reasons."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from socialcare.errors import EventError
from socialcare.models import (
    Author,
    EnrichedMention,
    ExplanationStep,
    Mention,
    ReplyApproved,
    ReplyPosted,
    ReplyTarget,
    Risk,
    Sentiment,
    TriageDecision,
    decode_event,
    encode_event,
)
from tests.factories import make_mention


def enriched() -> EnrichedMention:
    base = make_mention(1).model_dump()
    return EnrichedMention.model_validate(
        {
            **base,
            "language": "en",
            "sentiment": Sentiment(label="negative", score=-0.8, model="minilm-head-v1"),
            "department_scores": {"engineering": 0.7, "customer_service": 0.2},
            "risk": Risk(score=0.4, level="medium", reasons=("negative sentiment -0.8",)),
            "redacted_text": base["text"],
            "hashtags": ("#fail",),
        }
    )


@pytest.mark.parametrize(
    "event",
    [
        make_mention(7),
        enriched(),
        TriageDecision(
            mention_id="x:1",
            case_id="case-1",
            department="engineering",
            cc=("pr",),
            priority="P1",
            sla_due_at=datetime(2026, 11, 9, 9, tzinfo=UTC),
            explanation=(
                ExplanationStep(rule="high-risk-copies-pr", detail="risk 0.91 >= 0.8", inputs={"risk": 0.91}),
            ),
        ),
        ReplyApproved(
            reply_id="r-1",
            case_id="case-1",
            target=ReplyTarget(platform="x", in_reply_to_id="1850000000000000001"),
            text="Sorry about that! Here is how we can fix it.",
            approved_by="approver@example.com",
            idempotency_key="r-1-3f9a2c7e",
        ),
        ReplyPosted(reply_id="r-1", status="posted", platform_id="1", posted_at=datetime(2026, 11, 9, tzinfo=UTC)),
        ReplyPosted(reply_id="r-2", status="failed", error="the post was deleted"),
    ],
)
def test_every_event_round_trips_through_json(event: Mention) -> None:
    wire = encode_event(event)
    assert decode_event(type(event), wire) == event
    assert b'"schema_version":1' in wire or not hasattr(event, "schema_version")


def test_times_are_normalised_to_utc() -> None:
    tokyo = timezone(timedelta(hours=9))
    mention = make_mention(1).model_copy(update={})
    moved = Mention.model_validate({**mention.model_dump(), "created_at": datetime(2026, 11, 9, 18, 0, tzinfo=tokyo)})
    assert moved.created_at == datetime(2026, 11, 9, 9, 0, tzinfo=UTC)
    assert moved.created_at.tzinfo == UTC


def test_naive_times_unknown_fields_and_wrong_ids_are_refused() -> None:
    data = make_mention(1).model_dump()
    with pytest.raises(ValidationError, match="timezone"):
        Mention.model_validate({**data, "created_at": datetime(2026, 11, 9)})
    with pytest.raises(ValidationError, match="Extra inputs"):
        Mention.model_validate({**data, "surprise": 1})
    with pytest.raises(ValidationError, match=r"id must be 'x:"):
        Mention.model_validate({**data, "id": "x:somethingelse"})
    with pytest.raises(ValidationError):
        Author(id="")


def test_strict_mode_does_not_coerce_types() -> None:
    wire = encode_event(make_mention(1)).replace(b'"likes":1', b'"likes":"1"')
    with pytest.raises(EventError, match=r"metrics\.likes: Input should be a valid integer"):
        decode_event(Mention, wire)


@pytest.mark.parametrize(
    ("wire", "reason"),
    [
        (b"\xc3\x28", "not UTF-8: byte 0"),
        (b"[1, 2", "not JSON"),
        (b"{}", "invalid Mention: id: Field required"),
        (b'{"schema_version": 9}', "schema_version 9 is newer than this socialcare understands"),
    ],
)
def test_decode_errors_are_one_readable_line(wire: bytes, reason: str) -> None:
    with pytest.raises(EventError) as info:
        decode_event(Mention, wire)
    assert reason in str(info.value)
    assert "\n" not in str(info.value)


def test_a_posted_reply_needs_its_platform_id_and_a_failed_one_its_error() -> None:
    with pytest.raises(ValidationError, match="platform_id"):
        ReplyPosted(reply_id="r", status="posted")
    with pytest.raises(ValidationError, match="error"):
        ReplyPosted(reply_id="r", status="failed")


def test_events_are_immutable() -> None:
    mention = make_mention(1)
    with pytest.raises(ValidationError):
        mention.text = "changed"  # type: ignore[misc]
