"""Original-text retention: after N days a stored mention keeps only its redacted text.

The enrich stage writes ``redacted_text`` beside the original. The original is what a care agent needs
to answer; after ``SOCIALCARE_RETAIN_ORIGINAL_TEXT_DAYS`` it is personal data without a purpose, so
``socialcare db purge-originals`` (run it daily, from cron or a scheduler) replaces ``text`` and the stored
event's text with the redacted copy and stamps ``original_purged_at``. With 0 days the original is never
stored: the store stage and the enricher write the redacted copy straight away.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Engine, select, update

from socialcare.models import Mention, decode_event, encode_event, utcnow
from socialcare.store.schema import mentions

Redactor = Callable[[str], str]
PURGE_CHUNK = 500


def retention_cutoff(days: int, now: datetime | None = None) -> datetime:
    """Mentions created before this instant lose their original text."""
    if days < 0:
        raise ValueError("retention days must not be negative")
    return (now or utcnow()) - timedelta(days=days)


def redacted_copy(mention: Mention, redact: Redactor) -> Mention:
    return mention.model_copy(update={"text": redact(mention.text)})


def purge_original_text(engine: Engine, cutoff: datetime, redact: Redactor, *, chunk: int = PURGE_CHUNK) -> int:
    """Replace the original text of mentions created before ``cutoff``; returns how many were purged.

    Each chunk is one transaction, so an interrupted purge keeps what it did and the next run goes on.
    """
    purged = 0
    pending = (
        select(mentions.c.id, mentions.c.payload)
        .where(mentions.c.created_at < cutoff, mentions.c.original_purged_at.is_(None))
        .order_by(mentions.c.created_at, mentions.c.id)
        .limit(chunk)
    )
    while True:
        with engine.begin() as connection:
            rows = connection.execute(pending).all()
            if not rows:
                return purged
            stamp = utcnow()
            for mention_id, payload in rows:
                copy = redacted_copy(decode_event(Mention, payload), redact)
                connection.execute(
                    update(mentions)
                    .where(mentions.c.id == mention_id)
                    .values(text=copy.text, payload=encode_event(copy).decode("utf-8"), original_purged_at=stamp)
                )
            purged += len(rows)
