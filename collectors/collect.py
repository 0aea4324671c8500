"""Run collectors: poll sources on an interval (search, mentions) or read live ones side by side (streams).

A rate-limited source waits out its ``retry_after`` while the others carry on; nothing spins.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from collectors.base import Source
from collectors.runner import RunReport, run_source
from socialcare.errors import RateLimitError
from socialcare.runtime import Runtime
from socialcare.store.checkpoints import CheckpointStore

log = logging.getLogger(__name__)

STOP_CHECK_S = 0.5
"""How often a waiting loop looks at its stop flag."""


@dataclass
class CollectReport:
    runs: dict[str, list[RunReport]] = field(default_factory=dict)
    rate_limited: dict[str, float] = field(default_factory=dict)

    def add(self, key: str, report: RunReport) -> None:
        self.runs.setdefault(key, []).append(report)

    @property
    def published(self) -> int:
        return sum(r.published for reports in self.runs.values() for r in reports)

    @property
    def rejected(self) -> int:
        return sum(len(r.rejected) for reports in self.runs.values() for r in reports)


def _wait(seconds: float, should_stop: Callable[[], bool], sleep: Callable[[float], None]) -> None:
    deadline = time.monotonic() + seconds
    while not should_stop() and (left := deadline - time.monotonic()) > 0:
        sleep(min(STOP_CHECK_S, left))


def poll_sources(
    runtime: Runtime,
    sources: Sequence[Source],
    *,
    once: bool = False,
    interval_s: float = 60.0,
    should_stop: Callable[[], bool] = lambda: False,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> CollectReport:
    """Each round, run every source that is not waiting out a rate limit; then wait ``interval_s``."""
    report = CollectReport()
    not_before: dict[str, float] = {}
    checkpoints = CheckpointStore(runtime.engine)
    with runtime.transport.producer() as producer:
        while not should_stop():
            for source in sources:
                key = source.checkpoint_key
                if should_stop() or clock() < not_before.get(key, 0.0):
                    continue
                try:
                    report.add(key, run_source(source, producer, checkpoints, batch_size=runtime.settings.batch_size))
                except RateLimitError as exc:
                    not_before[key] = clock() + exc.retry_after
                    report.rate_limited[key] = exc.retry_after
                    log.warning("source=%s rate_limited=true retry_after_s=%.0f", key, exc.retry_after)
            if once:
                break
            waits = [t - clock() for t in not_before.values() if t > clock()]
            _wait(min([interval_s, *waits]) if waits else interval_s, should_stop, sleep)
    return report


def stream_sources(
    runtime: Runtime, sources: Sequence[Source], *, should_stop: Callable[[], bool] = lambda: False
) -> CollectReport:
    """Read live sources side by side, each in a thread with its own producer, until told to stop."""
    report = CollectReport()
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run(source: Source) -> None:
        checkpoints = CheckpointStore(runtime.engine)
        try:
            with runtime.transport.producer() as producer:
                result = run_source(source, producer, checkpoints, batch_size=runtime.settings.batch_size)
            with lock:
                report.add(source.checkpoint_key, result)
        except BaseException as exc:
            errors.append(exc)
            log.exception("source=%s crashed=true", source.checkpoint_key)

    threads = [threading.Thread(target=run, args=(s,), name=s.checkpoint_key, daemon=True) for s in sources]
    for thread in threads:
        thread.start()
    while any(t.is_alive() for t in threads) and not should_stop() and not errors:
        time.sleep(STOP_CHECK_S)
    for source in sources:
        stop = getattr(source, "stop", None)
        if callable(stop):
            stop()
    for thread in threads:
        thread.join(timeout=10)
    if errors:
        raise errors[0]
    return report
