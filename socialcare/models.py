"""Domain events: the only things that travel between stages.

Every event is a frozen pydantic v2 model that forbids unknown fields, carries ``schema_version``, and
travels as UTF-8 JSON. :func:`decode_event` turns bytes into an event or raises
:class:`~socialcare.errors.EventError` with a one-line reason that a person can act on (it ends up in the
dead-letter topic).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Any, Final, Literal, TypeVar

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    model_validator,
)

from socialcare.errors import EventError

SCHEMA_VERSION: Final = 1

Department = Literal["customer_service", "engineering", "it", "sales", "pr", "none"]
DEPARTMENTS: tuple[Department, ...] = ("customer_service", "engineering", "it", "sales", "pr", "none")
SentimentLabel = Literal["negative", "neutral", "positive"]
RiskLevel = Literal["low", "medium", "high"]
Priority = Literal["P1", "P2", "P3", "P4"]
PRIORITY_RANK: dict[str, int] = {"P1": 1, "P2": 2, "P3": 3, "P4": 4}
"""Lower is more urgent; the one ordering of priorities for routing, cases and queues."""

MAX_TEXT_CHARS = 40_000
"""Longest text accepted; a Reddit self-post tops out at 40,000 characters."""


def _to_utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


UtcDatetime = Annotated[AwareDatetime, AfterValidator(_to_utc)]
SourceName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,31}$")]
NonNegative = Annotated[int, Field(ge=0)]


class EventModel(BaseModel):
    """Base of every event and value object: immutable, strict, no unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)


class Author(EventModel):
    id: Annotated[str, Field(min_length=1)]
    handle: str | None = None
    name: str | None = None
    followers: NonNegative | None = None
    verified: bool = False


class Metrics(EventModel):
    likes: NonNegative = 0
    reposts: NonNegative = 0
    replies: NonNegative = 0
    quotes: NonNegative = 0


class Mention(EventModel):
    """One post that mentions a monitored brand, as collected (topic ``mentions.raw``)."""

    schema_version: Literal[1] = SCHEMA_VERSION
    id: Annotated[str, Field(min_length=3, max_length=200)]
    source: SourceName
    source_id: Annotated[str, Field(min_length=1, max_length=160)]
    url: str | None = None
    text: Annotated[str, Field(max_length=MAX_TEXT_CHARS)]
    created_at: UtcDatetime
    collected_at: UtcDatetime
    author: Author
    metrics: Metrics = Metrics()
    conversation_id: str | None = None
    in_reply_to: str | None = None
    brand: str | None = None
    matched_rules: tuple[str, ...] = ()
    lang: str | None = None

    @model_validator(mode="after")
    def _id_is_source_and_source_id(self) -> Mention:
        expected = mention_id(self.source, self.source_id)
        if self.id != expected:
            raise ValueError(f"id must be {expected!r} (source:source_id), got {self.id!r}")
        return self


def mention_id(source: str, source_id: str) -> str:
    """The stable id of a mention: ``x:<tweet id>``, ``reddit:<fullname>``, ``twcs:<tweet id>``."""
    return f"{source}:{source_id}"


class Sentiment(EventModel):
    label: SentimentLabel
    score: Annotated[float, Field(ge=-1.0, le=1.0)]
    model: str


class Risk(EventModel):
    score: Annotated[float, Field(ge=0.0, le=1.0)]
    level: RiskLevel
    reasons: tuple[str, ...] = ()


class Spam(EventModel):
    score: Annotated[float, Field(ge=0.0, le=1.0)]
    reasons: tuple[str, ...] = ()


class EnrichedMention(Mention):
    """A mention plus everything enrichment learned about it (topic ``mentions.enriched``)."""

    language: str | None = None
    sentiment: Sentiment
    department_scores: dict[Department, float]
    risk: Risk
    spam: Spam = Spam(score=0.0)
    duplicate_of: str | None = None
    redacted_text: str
    hashtags: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()


class ExplanationStep(EventModel):
    """One rule or score that fired, with the inputs it saw, in words a person can read."""

    rule: str
    detail: str
    inputs: dict[str, Any] = {}


class TriageDecision(EventModel):
    """Who must act on a mention, how fast, and why (topic ``triage.decisions``)."""

    schema_version: Literal[1] = SCHEMA_VERSION
    mention_id: str
    case_id: str
    department: Department
    cc: tuple[Department, ...] = ()
    priority: Priority
    sla_due_at: UtcDatetime | None = None
    assignee: str | None = None
    explanation: tuple[ExplanationStep, ...] = ()


class ReplyTarget(EventModel):
    platform: Literal["x", "reddit"]
    in_reply_to_id: Annotated[str, Field(min_length=1)]
    account: str | None = None


class ReplyApproved(EventModel):
    """A reply a second person approved, ready to post (topic ``replies.approved``)."""

    schema_version: Literal[1] = SCHEMA_VERSION
    reply_id: str
    case_id: str
    target: ReplyTarget
    text: Annotated[str, Field(min_length=1, max_length=MAX_TEXT_CHARS)]
    approved_by: str
    idempotency_key: Annotated[str, Field(min_length=8)]


class ReplyPosted(EventModel):
    """The outcome of posting one approved reply (topic ``replies.posted``)."""

    schema_version: Literal[1] = SCHEMA_VERSION
    reply_id: str
    status: Literal["posted", "failed"]
    platform_id: str | None = None
    url: str | None = None
    posted_at: UtcDatetime | None = None
    error: str | None = None

    @model_validator(mode="after")
    def _posted_has_id_failed_has_error(self) -> ReplyPosted:
        if self.status == "posted" and (self.platform_id is None or self.posted_at is None):
            raise ValueError("a posted reply needs platform_id and posted_at")
        if self.status == "failed" and not self.error:
            raise ValueError("a failed reply needs the error")
        return self


Event = TypeVar("Event", bound=EventModel)


def encode_event(event: EventModel) -> bytes:
    """The wire form of an event: compact UTF-8 JSON."""
    return event.model_dump_json(exclude_none=False).encode("utf-8")


def describe_validation_error(error: ValidationError, limit: int = 5) -> str:
    """One readable line for a pydantic error: ``field.path: message; ...``."""
    parts = []
    for item in error.errors()[:limit]:
        where = ".".join(str(p) for p in item["loc"]) or "(event)"
        parts.append(f"{where}: {item['msg']}")
    more = error.error_count() - limit
    if more > 0:
        parts.append(f"... and {more} more")
    return "; ".join(parts)


def decode_event(model: type[Event], data: bytes | str) -> Event:
    """Parse and validate one event; raise :class:`EventError` with a readable reason on any problem."""
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise EventError(f"not UTF-8: byte {exc.start} is {data[exc.start : exc.start + 1]!r}") from exc
    else:
        text = data
    try:
        return model.model_validate_json(text)
    except ValidationError as exc:
        if exc.errors() and exc.errors()[0]["type"] == "json_invalid":
            raise EventError(f"not JSON: {exc.errors()[0]['msg']}") from exc
        version = _schema_version_of(text)
        if isinstance(version, int) and version > SCHEMA_VERSION:
            raise EventError(
                f"schema_version {version} is newer than this socialcare understands ({SCHEMA_VERSION}): "
                "upgrade socialcare on this stage"
            ) from exc
        raise EventError(f"invalid {model.__name__}: {describe_validation_error(exc)}") from exc


def _schema_version_of(text: str) -> object:
    try:
        payload = json.loads(text)
    except ValueError:
        return None
    return payload.get("schema_version") if isinstance(payload, dict) else None


def utcnow() -> datetime:
    return datetime.now(UTC)
