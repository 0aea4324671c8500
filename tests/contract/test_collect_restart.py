"""Collectors through the runner on real recorded traffic: a stopped-and-restarted collector publishes
exactly the mentions of one uninterrupted run, and `socialcare collect x` works end to end."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from collectors.base import SourceItem
from collectors.runner import run_source
from socialcare.bus.base import Transport
from socialcare.cli import app
from socialcare.models import Mention, decode_event
from socialcare.runtime import Runtime
from socialcare.settings import Settings
from socialcare.store.checkpoints import CheckpointStore
from socialcare.topics import MENTIONS_RAW
from tests.contract.praw_cassettes import praw_vcr
from tests.contract.test_reddit_cassettes import SEARCH, search_source

STOP_AFTER = 3  # the crash comes with the third search result, after a batch of two was published


class CrashError(Exception):
    """Stands in for the process dying mid-way."""


def published_ids(transport: Transport) -> list[str]:
    return [decode_event(Mention, r.value).id for r in transport.read(MENTIONS_RAW, 100_000)]


def runtime(tmp_path: Path, name: str) -> Runtime:
    return Runtime.open(Settings.model_validate({"database_url": f"sqlite:///{tmp_path / name}"}))


@pytest.fixture
def cassettes(shared_data: Path) -> Path:
    return shared_data / "cassettes" / "praw"


def test_a_restarted_reddit_collector_publishes_what_one_uninterrupted_run_does(
    cassettes: Path, tmp_path: Path
) -> None:
    recorder = praw_vcr(cassettes)
    with runtime(tmp_path, "whole.db") as whole:
        with recorder.use_cassette(SEARCH), whole.transport.producer() as producer:
            run_source(search_source(), producer, CheckpointStore(whole.engine), batch_size=2)
        uninterrupted = published_ids(whole.transport)

    with runtime(tmp_path, "restarted.db") as restarted:
        checkpoints = CheckpointStore(restarted.engine)
        seen = 0

        def die_at_the_third(_item: SourceItem) -> None:
            nonlocal seen
            seen += 1
            if seen == STOP_AFTER:
                raise CrashError

        with pytest.raises(CrashError), recorder.use_cassette(SEARCH):
            producer = restarted.transport.producer()  # never flushed again: its queue dies with it
            run_source(search_source(), producer, checkpoints, batch_size=2, on_item=die_at_the_third)
        assert len(published_ids(restarted.transport)) == 2
        with recorder.use_cassette(SEARCH), restarted.transport.producer() as producer:
            report = run_source(search_source(), producer, checkpoints, batch_size=2)
        assert report.resumed_from is not None
        after_restart = published_ids(restarted.transport)

    assert len(uninterrupted) == 6
    assert after_restart == uninterrupted


def test_collect_x_once_publishes_the_recorded_search(shared_data: Path, tmp_path: Path) -> None:
    import vcr

    from tests.contract.test_x_cassettes import _recorded_query_subset

    brands = tmp_path / "brands.yaml"
    brands.write_text("brands:\n  - name: Tweepy\n    queries:\n      - {name: tweepy, query: Tweepy, sources: [x]}\n")
    recorder = vcr.VCR(
        cassette_library_dir=str(shared_data / "cassettes" / "tweepy"),
        record_mode="none",
        filter_headers=["Authorization"],
        decode_compressed_response=True,
        match_on=["method", "host", "path", "recorded_query_subset"],
    )
    recorder.register_matcher("recorded_query_subset", _recorded_query_subset)
    env = {"SOCIALCARE_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "SOCIALCARE_X_BEARER_TOKEN": "recorded"}
    with recorder.use_cassette("test_client_search_recent_tweets.yaml"):
        result = CliRunner().invoke(
            app, ["collect", "x", "--brands", str(brands), "--once", "--max-pages", "1"], env=env
        )
    assert result.exit_code == 0, result.output
    assert "collect=x mode=search published=" in result.output
    with runtime(tmp_path, "x.db") as rt:
        mentions = [decode_event(Mention, r.value) for r in rt.transport.read(MENTIONS_RAW, 1000)]
        assert CheckpointStore(rt.engine).load("x:search:tweepy") == max(m.source_id for m in mentions)
    assert mentions, "the recorded search holds posts"
    assert all(m.brand == "Tweepy" and m.matched_rules == ("tweepy",) for m in mentions)
    assert [m.source_id for m in mentions] == sorted((m.source_id for m in mentions), key=int)
