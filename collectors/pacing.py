"""Replay at a chosen pace: a fixed rate, or the original timing of the posts sped up.

Demos and load tests need mentions to arrive as they did on the platform, not all at once. The clock and
the sleep are injected so tests run on a fake clock in no time.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator

from collectors.base import Collected, Idle, SourceItem

MAX_WAIT_SECONDS = 60.0
"""Longest single wait: a gap of days in a file must not hang a replay."""


def paced(
    items: Iterable[SourceItem],
    *,
    rate: float | None = None,
    speedup: float | None = None,
    max_wait: float = MAX_WAIT_SECONDS,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> Iterator[SourceItem]:
    """Yield ``items`` in their order, waiting between them.

    With ``rate``, consecutive items pass at least ``1 / rate`` seconds apart (at most ``rate`` per
    second). With ``speedup``, each mention waits for the gap between its ``created_at`` and that of the
    previous mention, divided by ``speedup``; a negative gap (the file is not in time order) means no
    wait, and rejected items pass at once. Without either, items pass unchanged. No single wait exceeds
    ``max_wait`` seconds.
    """
    if rate is not None and speedup is not None:
        raise ValueError("give rate or speedup, not both")
    if (rate is not None and rate <= 0) or (speedup is not None and speedup <= 0) or max_wait < 0:
        raise ValueError("rate and speedup must be > 0, max_wait ≥ 0")
    if rate is None and speedup is None:
        yield from items
        return
    step = 1.0 / rate if rate is not None else None
    factor = speedup or 1.0
    previous: tuple[float, float] | None = None  # when the last paced item passed, and its created_at
    for item in items:
        if isinstance(item, Idle) or (step is None and not isinstance(item, Collected)):
            yield item
            continue
        created = item.mention.created_at.timestamp() if isinstance(item, Collected) else 0.0
        if previous is not None:
            passed, before = previous
            gap = step if step is not None else (created - before) / factor
            wait = min(passed + gap - clock(), max_wait)
            if wait > 0:
                sleep(wait)
        previous = (clock(), created)
        yield item
