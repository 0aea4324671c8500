"""The mentions table: idempotent upserts by mention id, so replays and redeliveries never duplicate."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import Engine, func, select

from socialcare.models import Mention, decode_event, encode_event, utcnow
from socialcare.store.db import upsert
from socialcare.store.schema import mentions


def mention_row(mention: Mention) -> dict[str, Any]:
    return {
        "id": mention.id,
        "source": mention.source,
        "source_id": mention.source_id,
        "brand": mention.brand,
        "created_at": mention.created_at,
        "collected_at": mention.collected_at,
        "author_id": mention.author.id,
        "author_handle": mention.author.handle,
        "lang": mention.lang,
        "conversation_id": mention.conversation_id,
        "in_reply_to": mention.in_reply_to,
        "text": mention.text,
        "payload": encode_event(mention).decode("utf-8"),
    }


class MentionStore:
    """``redact``, when given, replaces the text before it is stored (retention of 0 days)."""

    def __init__(self, engine: Engine, redact: Callable[[str], str] | None = None) -> None:
        self.engine = engine
        self.redact = redact

    def upsert_many(self, batch: Sequence[Mention]) -> int:
        stored_at = utcnow()
        redact = self.redact
        if redact is not None:
            batch = [m.model_copy(update={"text": redact(m.text)}) for m in batch]
        # a replayed original clears the stamp, so the next purge redacts it again
        purged = {"original_purged_at": stored_at if redact is not None else None}
        rows = [{**mention_row(m), "stored_at": stored_at, **purged} for m in batch]
        with self.engine.begin() as connection:
            upsert(connection, mentions, rows, key=["id"])
        return len(rows)

    def count(self) -> int:
        with self.engine.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(mentions)).scalar_one())

    def ids(self) -> set[str]:
        with self.engine.connect() as connection:
            return set(connection.execute(select(mentions.c.id)).scalars())

    def get(self, mention_id: str) -> Mention | None:
        with self.engine.connect() as connection:
            payload = connection.execute(
                select(mentions.c.payload).where(mentions.c.id == mention_id)
            ).scalar_one_or_none()
        return None if payload is None else decode_event(Mention, payload)

    def iter_all(self, chunk: int = 1000) -> Iterable[Mention]:
        with self.engine.connect() as connection:
            result = connection.execution_options(yield_per=chunk).execute(
                select(mentions.c.payload).order_by(mentions.c.created_at, mentions.c.id)
            )
            for payload in result.scalars():
                yield decode_event(Mention, payload)
