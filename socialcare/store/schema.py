"""Tables of the system of record. Alembic migrations in ``migrations/versions`` create exactly these."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Dialect,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
)


class UtcDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC and always returns aware UTC datetimes (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "pk": "pk_%(table_name)s",
    }
)

mentions = Table(
    "mentions",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("source", String(32), nullable=False),
    Column("source_id", String(160), nullable=False),
    Column("brand", String(200)),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("collected_at", UtcDateTime(), nullable=False),
    Column("author_id", String(200), nullable=False),
    Column("author_handle", String(200)),
    Column("lang", String(16)),
    Column("conversation_id", String(200)),
    Column("in_reply_to", String(200)),
    Column("text", Text, nullable=False),
    Column("payload", Text, nullable=False, doc="the Mention event as JSON, for replays"),
    Column("stored_at", UtcDateTime(), nullable=False),
    Column(
        "original_purged_at",
        UtcDateTime(),
        doc="set when text and payload were replaced by the redacted copy (SOCIALCARE_RETAIN_ORIGINAL_TEXT_DAYS)",
    ),
    Index(None, "brand", "created_at"),
    Index(None, "conversation_id"),
    Index(None, "author_id"),
)

collector_checkpoints = Table(
    "collector_checkpoints",
    metadata,
    Column("key", String(500), primary_key=True),
    Column("position", Text, nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

usage_counters = Table(
    "usage_counters",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("period", String(32), primary_key=True),
    Column("count", BigInteger, nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

# Triage: cases thread mentions by conversation, reply chain and author; each mention keeps its decision.
cases = Table(
    "cases",
    metadata,
    Column("id", String(200), primary_key=True, doc="case:<id of the mention that opened it>"),
    Column("brand", String(200)),
    Column("source", String(32), nullable=False),
    Column("author_key", String(260), nullable=False, doc="<source>:<author id>"),
    Column("author_handle", String(200), doc="lower-cased handle: links one customer's cases across sources"),
    Column("department", String(32), nullable=False),
    Column("cc", JSON, nullable=False),
    Column("priority", String(2), nullable=False),
    Column("status", String(16), nullable=False, doc="open or closed"),
    Column("opened_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False, doc="time of the newest mention"),
    Column("closed_at", UtcDateTime()),
    Column("first_response_due", UtcDateTime()),
    Column("resolution_due", UtcDateTime()),
    Column("language", String(16), doc="the language of the mention that opened it"),
    Column("assignee", String(200)),
    Column("assigned_at", UtcDateTime()),
    Column("accepted_at", UtcDateTime(), doc="when the assignee took it; unaccepted offers time out"),
    Column("mention_count", Integer, nullable=False),
    Column("first_responded_at", UtcDateTime(), doc="when the brand first answered (set by the responders)"),
    Column("first_response_sla", String(16), nullable=False, doc="ok, near or breached: the last state alerted"),
    Column("resolution_sla", String(16), nullable=False, doc="ok, near or breached: the last state alerted"),
    Column("acknowledged_by", String(200), doc="who on the PR board took note of it"),
    Column("acknowledged_at", UtcDateTime()),
    Index(None, "author_key", "updated_at"),
    Index(None, "author_handle"),
    Index(None, "status", "priority"),
)

case_mentions = Table(
    "case_mentions",
    metadata,
    Column("mention_id", String(200), primary_key=True),
    Column("case_id", String(200), nullable=False),
    Column("conversation_key", String(260), doc="<source>:<conversation id>"),
    Column("author_key", String(260), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("decision", JSON, nullable=False, doc="the TriageDecision event, explanation included"),
    Index(None, "conversation_key"),
    Index(None, "case_id"),
)

# Notifications: one row per incident key, so a repeated alert is suppressed and e-mails thread.
notifications = Table(
    "notifications",
    metadata,
    Column("key", String(300), primary_key=True, doc="the incident, e.g. spike:Lumora:volume or sla:<case>"),
    Column("first_sent_at", UtcDateTime(), nullable=False),
    Column("last_sent_at", UtcDateTime(), nullable=False),
    Column("suppressed", Integer, nullable=False, doc="repeats not sent since last_sent_at"),
    Column("message_id", String(300), nullable=False, doc="e-mail Message-ID of the first alert (threading)"),
)

# What a stateful stage has learned (the spike detector's baselines), saved after each batch.
stage_state = Table(
    "stage_state",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("state", JSON, nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

spike_alerts = Table(
    "spike_alerts",
    metadata,
    Column("key", String(300), primary_key=True, doc="brand or brand/topic"),
    Column("series", String(16), primary_key=True, doc="volume or negative"),
    Column("at", UtcDateTime(), primary_key=True),
    Column("window_min", Integer, nullable=False),
    Column("observed", Integer, nullable=False),
    Column("expected", Float, nullable=False),
    Column("z", Float, nullable=False),
    Column("acknowledged_by", String(200), doc="who on the PR board took note of it"),
    Column("acknowledged_at", UtcDateTime()),
)

# Responders: users and roles, replies with their approval state, and the append-only audit log.
users = Table(
    "users",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("role", String(16), nullable=False, doc="agent, approver or admin"),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("password_hash", String(300), doc="scrypt hash for the web app's sign-in; none = terminal only"),
)

replies = Table(
    "replies",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("case_id", String(200), nullable=False),
    Column("platform", String(16), nullable=False),
    Column("in_reply_to_id", String(200), nullable=False),
    Column("text", Text, nullable=False),
    Column("status", String(24), nullable=False),
    Column("author", String(200), nullable=False),
    Column("approved_by", String(200)),
    Column("reason", Text, doc="why it was rejected or failed"),
    Column("idempotency_key", String(200), nullable=False, unique=True),
    Column("version", Integer, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0", doc="calls made to the platform"),
    Column("posting_started_at", UtcDateTime()),
    Column("published_at", UtcDateTime(), doc="when this approval's replies.approved event went out"),
    Column("platform_post_id", String(200)),
    Column("platform_url", Text),
    Column("posted_at", UtcDateTime()),
    Index(None, "case_id"),
    Index(None, "status"),
)

dry_run_posts = Table(
    "dry_run_posts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("idempotency_key", String(200), nullable=False, unique=True),
    Column("platform", String(16), nullable=False),
    Column("in_reply_to_id", String(200), nullable=False),
    Column("account", String(200)),
    Column("text", Text, nullable=False),
    Column("posted_at", UtcDateTime(), nullable=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", UtcDateTime(), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("action", String(40), nullable=False),
    Column("reply_id", String(200)),
    Column("outcome", String(16), nullable=False, doc="done or refused"),
    Column("detail", JSON, nullable=False, doc="what changed (before and after), or why it was refused"),
    Index(None, "reply_id"),
)

# The embedded transport: a durable log per topic (one partition) and committed offsets per group.
log_topics = Table(
    "log_topics",
    metadata,
    Column("name", String(249), primary_key=True),
    Column("next_offset", BigInteger, nullable=False),
)

log_records = Table(
    "log_records",
    metadata,
    Column("topic", String(249), primary_key=True),
    Column("offset", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=False),
    Column("key", String(500)),
    Column("value", LargeBinary, nullable=False),
    Column("headers", JSON, nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
)

log_offsets = Table(
    "log_offsets",
    metadata,
    Column("group_id", String(249), primary_key=True),
    Column("topic", String(249), primary_key=True),
    Column("next_offset", BigInteger, nullable=False),
    Column("updated_at", UtcDateTime(), nullable=False),
)

# The SQL search index (dashboards.search): documents, their hashtags and terms, and hourly rollups.
search_docs = Table(
    "search_docs",
    metadata,
    Column("id", String(200), primary_key=True, doc="the mention id: re-indexing overwrites"),
    Column("brand", String(200), nullable=False, doc="'(none)' for a mention of no monitored brand"),
    Column("source", String(32), nullable=False),
    Column("lang", String(16), nullable=False, doc="'und' when unknown"),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("hour", UtcDateTime(), nullable=False, doc="created_at truncated to the hour: the rollup bucket"),
    Column("sentiment", String(16), nullable=False),
    Column("risk_level", String(16), nullable=False),
    Column("department", String(32), nullable=False),
    Column("author_handle", String(200)),
    Column("text", Text, nullable=False, doc="the redacted text"),
    Index("ix_search_docs_hour", "hour"),
    Index("ix_search_docs_brand_created_at", "brand", "created_at"),
)

search_tokens = Table(
    "search_tokens",
    metadata,
    Column("mention_id", String(200), primary_key=True),
    Column("kind", String(8), primary_key=True, doc="hashtag or term"),
    Column("token", String(200), primary_key=True),
    Column("hour", UtcDateTime(), nullable=False),
    Index("ix_search_tokens_hour", "hour"),
)

trend_hours = Table(
    "trend_hours",
    metadata,
    Column("hour", UtcDateTime(), primary_key=True),
    Column("brand", String(200), primary_key=True),
    Column("source", String(32), primary_key=True),
    Column("lang", String(16), primary_key=True),
    Column("mentions", Integer, nullable=False),
    Column("positive", Integer, nullable=False),
    Column("neutral", Integer, nullable=False),
    Column("negative", Integer, nullable=False),
)

token_hours = Table(
    "token_hours",
    metadata,
    Column("hour", UtcDateTime(), primary_key=True),
    Column("brand", String(200), primary_key=True),
    Column("source", String(32), primary_key=True),
    Column("lang", String(16), primary_key=True),
    Column("kind", String(8), primary_key=True),
    Column("token", String(200), primary_key=True),
    Column("mentions", Integer, nullable=False),
    Index("ix_token_hours_kind_brand_hour", "kind", "brand", "hour", "token", "mentions"),
    Index("ix_token_hours_kind_hour", "kind", "hour", "token", "mentions"),
)

token_days = Table(
    "token_days",
    metadata,
    Column("day", UtcDateTime(), primary_key=True, doc="midnight UTC"),
    Column("brand", String(200), primary_key=True),
    Column("source", String(32), primary_key=True),
    Column("lang", String(16), primary_key=True),
    Column("kind", String(8), primary_key=True),
    Column("token", String(200), primary_key=True),
    Column("mentions", Integer, nullable=False),
    Index("ix_token_days_kind_brand_day", "kind", "brand", "day", "token", "mentions"),
    Index("ix_token_days_kind_day", "kind", "day", "token", "mentions"),
)

# Internal notes on a case (the care inbox): for the team, never posted.
case_notes = Table(
    "case_notes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", String(200), nullable=False),
    Column("author", String(200), nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    Column("text", Text, nullable=False),
    Index("ix_case_notes_case_id", "case_id"),
)
