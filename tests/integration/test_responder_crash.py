"""Crash injection: the responder is killed (SIGKILL) around the platform call, 100 times; every approved
reply still ends posted exactly once.

Each run approves one reply and publishes its event, then forks a real responder process (the
``respond`` stage's worker: tweepy against a local stand-in for X's write endpoint, SQLite, the embedded
log). The stand-in kills it at a random point: when the post arrives (nothing is posted), once the post
is stored but before X answers, or a random 0-30 ms after the answer (between the answer and the
database commit, during it, or before the offset commit). A restarted responder then finishes, and the
test checks the platform holds exactly one reply to the post and the database records that one.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import random
import signal
import threading
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

pytest.importorskip("tweepy")

from responders.approval import ReplyStore
from responders.outbox import publish_approved
from socialcare.bus.embedded import EmbeddedTransport
from socialcare.bus.worker import Worker
from socialcare.models import ReplyPosted, decode_event
from socialcare.runtime import Runtime
from socialcare.settings import Settings
from socialcare.stages import build_stage
from socialcare.store import migrate
from socialcare.store.db import make_engine
from socialcare.topics import REPLIES_POSTED, all_topics_with_dlq
from tests.x_standin import DropRequestError, XStandIn

RUNS = 100
PHASES = ("received", "stored", "answered")
FORK = multiprocessing.get_context("fork")


def run_responder(settings: Settings, failures: Path) -> None:
    """The responder process: the registered ``respond`` stage on a fresh engine, until its input is drained.
    A failure's traceback goes to ``failures`` (a forked child's stderr is pytest's capture, lost with it)."""
    try:
        engine = make_engine(settings.effective_database_url)
        transport = EmbeddedTransport(engine)
        stage = build_stage("respond", Runtime(settings, engine, transport))
        Worker(stage, transport, poll_timeout_ms=20).run(stop_when_idle=True, idle_polls=1)
    except BaseException:
        with failures.open("a") as log:
            log.write(traceback.format_exc())
        os._exit(1)
    # Leave at once, as a killed process would: multiprocessing's own teardown in a child forked from a
    # test process that ran Prefect's temporary server can fail after the work is done (exit code 1).
    os._exit(0)


def killer(pid: int, phase: str, delay_s: float) -> Callable[[str], None]:
    def kill() -> None:
        with contextlib.suppress(ProcessLookupError):  # it may have finished already
            os.kill(pid, signal.SIGKILL)

    def hook(at: str) -> None:
        if at != phase:
            return
        if phase == "answered":
            threading.Timer(delay_s, kill).start()
            return
        kill()
        if phase == "received":
            raise DropRequestError

    return hook


@pytest.mark.slow
def test_killed_anywhere_around_the_platform_call_every_reply_is_posted_exactly_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'socialcare.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    store = ReplyStore(engine)
    store.add_user("alice", "agent")
    store.add_user("bob", "approver")
    transport = EmbeddedTransport(engine)
    transport.ensure_topics(all_topics_with_dlq())
    rng = random.Random(20261204)
    failures = tmp_path / "responder-failures.txt"
    failures.touch()
    exits: Counter[tuple[str, int | None]] = Counter()
    replies: dict[str, str] = {}
    with XStandIn() as x:
        settings = Settings.model_validate(
            {
                "database_url": url,
                "var_dir": tmp_path,
                "x_consumer_key": "key",
                "x_consumer_secret": "secret",
                "x_access_token": "1-token",
                "x_access_token_secret": "token-secret",
                "x_api_base_url": x.base_url,
                # no call can be in flight once the killed responder is reaped: no need to wait for one
                "reply_attempt_lease_s": 0,
            }
        )
        for run in range(RUNS):
            target = str(1578000000000000000 + run)
            draft = store.create_draft(
                f"case:x:{target}", "x", target, f"Hi #{run}, here is how we can fix it.", "alice"
            )
            store.submit(draft.id, "alice")
            store.approve(draft.id, "bob")
            with transport.producer() as producer:
                publish_approved(store, producer)
            replies[draft.id] = target
            engine.dispose()  # no open connection crosses the fork

            phase = rng.choice(PHASES)
            responder = FORK.Process(target=run_responder, args=(settings, failures))
            responder.start()
            assert responder.pid is not None
            x.on_post = killer(responder.pid, phase, rng.uniform(0.0, 0.03))
            responder.join(60)
            x.on_post = None
            exits[(phase, responder.exitcode)] += 1

            restarted = FORK.Process(target=run_responder, args=(settings, failures))
            restarted.start()
            restarted.join(60)
            assert restarted.exitcode == 0, f"run {run}: the restarted responder failed:\n{failures.read_text()}"

            on_x = x.replies_to(target)
            assert len(on_x) == 1, f"run {run} ({phase}): {len(on_x)} replies on X"
            reply = store.get(draft.id)
            assert (reply.status, reply.platform_post_id) == ("posted", on_x[0]["id"]), f"run {run} ({phase})"

        assert len(x.posts) == RUNS  # nothing else was ever posted
    posted = {decode_event(ReplyPosted, record.value).reply_id for record in transport.read(REPLIES_POSTED, 10 * RUNS)}
    assert posted == set(replies)
    reconciled = [reply_id for reply_id in replies if "found on the platform" in (store.get(reply_id).reason or "")]
    assert reconciled, "no run needed the reconcile step: the kill points missed the window it covers"
    killed = sum(count for (_, code), count in exits.items() if code == -signal.SIGKILL)
    assert killed >= RUNS * 0.8, f"too few runs were killed for the test to mean anything: {dict(exits)}"
    print(
        f"crash runs={RUNS} reconciled={len(reconciled)} "
        + " ".join(f"{phase}:{code}={count}" for (phase, code), count in sorted(exits.items(), key=str))
    )
    transport.close()
    engine.dispose()
