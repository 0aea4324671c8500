"""The dry-run poster: records what would be posted (table ``dry_run_posts``) and posts nothing.

It is the poster of any platform without posting credentials, and of every platform with
``SOCIALCARE_REPLY_DRY_RUN=true``. It keeps the contract of a real poster (one record per idempotency
key, found again by :meth:`find_posted`), so the whole approval-to-posted path runs on a laptop.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, select

from responders.posting import Posted, PostTarget
from socialcare.models import utcnow
from socialcare.store.db import insert_ignore
from socialcare.store.schema import dry_run_posts

DRY_RUN_URL = "dry-run:"


class DryRunPoster:
    def __init__(self, engine: Engine, platform: str) -> None:
        self.engine = engine
        self.platform = platform

    def post(self, target: PostTarget, text: str, idempotency_key: str) -> Posted:
        row = {
            "idempotency_key": idempotency_key,
            "platform": self.platform,
            "in_reply_to_id": target.in_reply_to_id,
            "account": target.account,
            "text": text,
            "posted_at": utcnow(),
        }
        with self.engine.begin() as connection:
            insert_ignore(connection, dry_run_posts, [row], key=["idempotency_key"])
        found = self._by_key(idempotency_key)
        assert found is not None
        return found

    def find_posted(self, target: PostTarget, text: str, since: datetime) -> Posted | None:
        with self.engine.connect() as connection:
            row = connection.execute(
                select(dry_run_posts.c.id, dry_run_posts.c.posted_at)
                .where(
                    dry_run_posts.c.platform == self.platform,
                    dry_run_posts.c.in_reply_to_id == target.in_reply_to_id,
                    dry_run_posts.c.text == text,
                    dry_run_posts.c.posted_at >= since,
                )
                .order_by(dry_run_posts.c.id)
            ).first()
        return None if row is None else _posted(row.id, row.posted_at)

    def _by_key(self, idempotency_key: str) -> Posted | None:
        with self.engine.connect() as connection:
            row = connection.execute(
                select(dry_run_posts.c.id, dry_run_posts.c.posted_at).where(
                    dry_run_posts.c.idempotency_key == idempotency_key
                )
            ).first()
        return None if row is None else _posted(row.id, row.posted_at)


def _posted(row_id: int, posted_at: datetime) -> Posted:
    return Posted(f"dry-run-{row_id}", f"{DRY_RUN_URL}{row_id}", posted_at)
