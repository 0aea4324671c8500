"""Run several stages in one process: in order until idle (batch jobs, the demo) or side by side."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence

from socialcare.bus.worker import Worker, WorkerStats
from socialcare.runtime import Runtime
from socialcare.stages import build_stage

log = logging.getLogger(__name__)


def run_stages(
    runtime: Runtime,
    names: Sequence[str],
    *,
    until_idle: bool,
    batch_size: int | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    on_batch: Callable[[str, WorkerStats], None] | None = None,
) -> dict[str, WorkerStats]:
    """With ``until_idle`` each stage drains its input in pipeline order; otherwise all run in threads."""
    workers = {
        name: Worker(
            build_stage(name, runtime),
            runtime.transport,
            batch_size=batch_size or runtime.settings.batch_size,
            poll_timeout_ms=runtime.settings.poll_timeout_ms,
            on_batch=(lambda stats, name=name: on_batch(name, stats)) if on_batch else None,  # type: ignore[misc]
        )
        for name in names
    }
    if until_idle:
        return {name: worker.run(stop_when_idle=True, should_stop=should_stop) for name, worker in workers.items()}
    errors: list[BaseException] = []

    def run(worker: Worker[object]) -> None:  # type: ignore[type-var]
        try:
            worker.run(should_stop=lambda: should_stop() or bool(errors))
        except BaseException as exc:
            errors.append(exc)
            log.exception("stage=%s crashed=true", worker.stage.name)

    threads = [threading.Thread(target=run, args=(w,), name=n, daemon=True) for n, w in workers.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return {name: worker.stats for name, worker in workers.items()}
