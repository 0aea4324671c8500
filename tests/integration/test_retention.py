"""Original-text retention on SQLite and PostgreSQL: old originals become their redacted copy, once."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine, select
from typer.testing import CliRunner

from enrich.pii import redactor
from socialcare.cli import app
from socialcare.models import Mention
from socialcare.runtime import Runtime
from socialcare.settings import Settings
from socialcare.stages import build_stage
from socialcare.store.mentions import MentionStore
from socialcare.store.retention import purge_original_text, retention_cutoff
from socialcare.store.schema import mentions
from tests.factories import BASE_TIME, make_mention

SECRET = "@LumoraHelp mail me at jo@example.com or call +44 7700 900123 about order #AB12345678"


def _with_pii(i: int) -> Mention:
    return make_mention(i, text=f"{SECRET} ({i})")


def _stored_texts(engine: Engine) -> dict[str, tuple[str, str, bool]]:
    with engine.connect() as connection:
        rows = connection.execute(
            select(mentions.c.id, mentions.c.text, mentions.c.payload, mentions.c.original_purged_at)
        )
        return {r.id: (r.text, r.payload, r.original_purged_at is not None) for r in rows}


def test_purge_redacts_only_mentions_older_than_the_cutoff_and_is_idempotent(engine: Engine) -> None:
    store = MentionStore(engine)
    batch = [_with_pii(i) for i in range(5)]  # created BASE_TIME + i seconds
    store.upsert_many(batch)
    cutoff = BASE_TIME + timedelta(seconds=3)
    assert purge_original_text(engine, cutoff, redactor(), chunk=2) == 3
    stored = _stored_texts(engine)
    for mention in batch[:3]:
        text, payload, purged = stored[mention.id]
        assert purged and "jo@example.com" not in text and "jo@example.com" not in payload
        assert "[email]" in text and "[phone]" in text and "[order]" in text
        assert store.get(mention.id).text == text  # type: ignore[union-attr]
    for mention in batch[3:]:
        assert stored[mention.id] == (mention.text, stored[mention.id][1], False)
    assert purge_original_text(engine, cutoff, redactor()) == 0


def test_a_replayed_original_is_purged_again(engine: Engine) -> None:
    store = MentionStore(engine)
    mention = _with_pii(1)
    store.upsert_many([mention])
    cutoff = BASE_TIME + timedelta(days=1)
    assert purge_original_text(engine, cutoff, redactor()) == 1
    store.upsert_many([mention])  # a replay of the raw topic brings the original back
    assert _stored_texts(engine)[mention.id][2] is False
    assert purge_original_text(engine, cutoff, redactor()) == 1
    assert "jo@example.com" not in _stored_texts(engine)[mention.id][0]


def test_zero_days_never_stores_the_original(tmp_path: Path) -> None:
    settings = Settings.model_validate(
        {"database_url": f"sqlite:///{tmp_path / 'r.db'}", "retain_original_text_days": 0}
    )
    with Runtime.open(settings) as runtime:
        stage = build_stage("store", runtime)
        stage.process([_with_pii(7)])
        [(text, payload, purged)] = _stored_texts(runtime.engine).values()
    assert purged and "jo@example.com" not in text + payload and "7700 900123" not in text + payload


def test_purge_command_uses_the_retention_setting(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    with Runtime.open(Settings.model_validate({"database_url": url})) as runtime:
        MentionStore(runtime.engine).upsert_many([_with_pii(i) for i in range(3)])
    env = {"SOCIALCARE_DATABASE_URL": url, "SOCIALCARE_RETAIN_ORIGINAL_TEXT_DAYS": "7"}
    result = CliRunner().invoke(app, ["db", "purge-originals"], env=env)
    assert result.exit_code == 0, result.output
    assert "purged=3 retain_days=7" in result.output  # the factory's mentions are from 2026-11-09
    again = CliRunner().invoke(app, ["db", "purge-originals", "--days", "0"], env=env)
    assert "purged=0 retain_days=0" in again.output


def test_cutoff_is_now_minus_the_days() -> None:
    assert retention_cutoff(30, BASE_TIME) == BASE_TIME - timedelta(days=30)
