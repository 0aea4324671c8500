"""The Prefect ``backfill`` flow under ``prefect_test_harness``, on real recorded X search traffic."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import vcr

from flows.backfill import TASK_RETRIES, backfill, backfill_rule, clamp_window
from socialcare.models import Mention, decode_event
from socialcare.runtime import Runtime
from socialcare.settings import Settings
from socialcare.topics import MENTIONS_RAW
from tests.contract.test_x_cassettes import _recorded_query_subset

pytestmark = pytest.mark.slow


def test_backfill_runs_every_x_query_of_the_brand_file_as_a_task(
    prefect_harness: None, shared_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    brands = tmp_path / "brands.yaml"
    brands.write_text(
        "brands:\n  - name: Tweepy\n    queries:\n"
        "      - {name: tweepy, query: Tweepy, sources: [x]}\n"
        "      - {name: tweepy-reddit-only, query: tweepy, sources: [reddit]}\n"
    )
    monkeypatch.setenv("SOCIALCARE_DATABASE_URL", f"sqlite:///{tmp_path / 'flow.db'}")
    monkeypatch.setenv("SOCIALCARE_X_BEARER_TOKEN", "recorded")
    recorder = vcr.VCR(
        cassette_library_dir=str(shared_data / "cassettes" / "tweepy"),
        record_mode="none",
        filter_headers=["Authorization"],
        decode_compressed_response=True,
        match_on=["method", "host", "path", "recorded_query_subset"],
        ignore_localhost=True,  # Prefect's own API calls to the harness server pass through
    )
    sent: list[dict[str, str]] = []

    def keep_and_match(live: Any, recorded: Any) -> None:
        sent.append(dict(live.query))
        _recorded_query_subset(live, recorded)

    recorder.register_matcher("recorded_query_subset", keep_and_match)
    with recorder.use_cassette("test_client_search_recent_tweets.yaml"):
        published = backfill(str(brands), hours=6, max_pages=1)
    assert list(published) == ["tweepy"]  # the Reddit-only query is not an X search
    assert published["tweepy"] > 0
    [query] = [dict(q) for q in {tuple(sorted(q.items())) for q in sent}]  # vcr may match a request twice
    assert query["query"] == "Tweepy" and "start_time" in query and "end_time" in query
    start = datetime.fromisoformat(query["start_time"].replace("Z", "+00:00"))
    end = datetime.fromisoformat(query["end_time"].replace("Z", "+00:00"))
    assert timedelta(hours=5, minutes=59) <= end - start <= timedelta(hours=6)
    settings = Settings.model_validate({"database_url": f"sqlite:///{tmp_path / 'flow.db'}"})
    with Runtime.open(settings) as runtime:
        mentions = [decode_event(Mention, r.value) for r in runtime.transport.read(MENTIONS_RAW, 1000)]
    assert len(mentions) == published["tweepy"]
    assert all(m.brand == "Tweepy" and m.matched_rules == ("tweepy",) for m in mentions)


def test_the_task_retries_with_backoff() -> None:
    assert backfill_rule.retries == TASK_RETRIES >= 3
    assert backfill_rule.retry_delay_seconds == [30.0, 120.0, 600.0]


def test_windows_are_clamped_to_what_recent_search_reaches() -> None:
    now = datetime(2026, 11, 23, 12, tzinfo=UTC)
    start, end = clamp_window(now - timedelta(days=30), now, now)
    assert start == now - timedelta(days=7) + timedelta(minutes=5)
    assert end == now - timedelta(seconds=10)
    with pytest.raises(ValueError, match="beyond recent search's 7 days"):
        clamp_window(now - timedelta(days=30), now - timedelta(days=20), now)
