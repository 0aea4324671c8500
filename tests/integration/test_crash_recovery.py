"""A stage killed with SIGKILL in the middle of its work and restarted ends with exactly the input stored."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from sqlalchemy import Engine

from socialcare.bus.base import Transport
from socialcare.models import encode_event
from socialcare.settings import Settings
from socialcare.store.mentions import MentionStore
from socialcare.topics import MENTIONS_RAW, dlq_topic
from tests.factories import make_mention, settings_env

TOTAL = 3000


def worker_process(settings: Settings, *extra: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, **settings_env(settings), "SOCIALCARE_BATCH_SIZE": "100"}
    return subprocess.Popen(
        [sys.executable, "-m", "socialcare.cli", "worker", "store", *extra],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def wait_until(condition: object, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.02)
    return False


def test_sigkill_mid_batch_then_restart_stores_exactly_the_input(
    transport: Transport, runtime_settings: Settings, runtime_engine: Engine
) -> None:
    mentions = [make_mention(i) for i in range(TOTAL)]
    transport.ensure_topics([MENTIONS_RAW, dlq_topic(MENTIONS_RAW)])
    with transport.producer() as producer:
        for mention in mentions:
            producer.send(MENTIONS_RAW, encode_event(mention), key=mention.id)
        producer.flush()
    store = MentionStore(runtime_engine)

    victim = worker_process(runtime_settings)
    started = wait_until(lambda: store.count() > 0, 60)
    victim.send_signal(signal.SIGKILL)
    victim.wait(10)
    assert started, victim.stdout.read().decode() if victim.stdout else ""
    stored_at_kill = store.count()
    assert 0 < stored_at_kill < TOTAL, "the kill must land mid-way for this test to mean anything"

    survivor = worker_process(runtime_settings, "--until-idle")
    output, _ = survivor.communicate(timeout=180)
    assert survivor.returncode == 0, output.decode()

    assert store.ids() == {m.id for m in mentions}
    assert store.count() == TOTAL
    assert transport.read(dlq_topic(MENTIONS_RAW), 5) == []
    assert transport.committed("socialcare.store", MENTIONS_RAW) == TOTAL
