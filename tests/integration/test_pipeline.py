"""Every stage in one process: ``socialcare worker all`` runs the stages side by side until stopped."""

from __future__ import annotations

import threading
import time

from sqlalchemy import Engine

from socialcare.models import encode_event
from socialcare.pipeline import run_stages
from socialcare.runtime import Runtime
from socialcare.settings import Settings
from socialcare.store.mentions import MentionStore
from socialcare.topics import MENTIONS_RAW
from tests.factories import make_mention


def test_stages_run_side_by_side_and_stop_cleanly(runtime_settings: Settings, runtime_engine: Engine) -> None:
    """(``runtime_engine`` migrates the database first, as `socialcare db upgrade` would.)"""
    with Runtime.open(runtime_settings) as runtime:
        stop = threading.Event()
        results: dict[str, object] = {}
        runner = threading.Thread(
            target=lambda: results.update(run_stages(runtime, ["store"], until_idle=False, should_stop=stop.is_set))
        )
        runner.start()
        with runtime.transport.producer() as producer:  # records arrive while the stage is running
            for i in range(200):
                producer.send(MENTIONS_RAW, encode_event(make_mention(i)), key=str(i))
                if i % 50 == 49:
                    producer.flush()
        store = MentionStore(runtime.engine)
        deadline = time.monotonic() + 60
        while store.count() < 200 and time.monotonic() < deadline:
            time.sleep(0.05)
        stop.set()
        runner.join(30)
        assert not runner.is_alive()
        assert store.count() == 200
        assert runtime.transport.committed("socialcare.store", MENTIONS_RAW) == 200
