"""``socialcare import``: a file replayed into ``mentions.raw``, with a progress bar, resumable."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from tqdm import tqdm

from collectors.base import Idle, Source, SourceItem
from collectors.pacing import paced
from collectors.runner import RunReport, run_source
from socialcare.runtime import Runtime
from socialcare.store.checkpoints import CheckpointStore


def import_source(
    runtime: Runtime,
    source: Source,
    *,
    rate: float | None = None,
    speedup: float | None = None,
    restart: bool = False,
    progress: bool = True,
) -> RunReport:
    """Publish ``source`` after its checkpoint (or from the start with ``restart``)."""
    checkpoints = CheckpointStore(runtime.engine)
    if restart:
        checkpoints.reset(source.checkpoint_key)
    resumed = checkpoints.load(source.checkpoint_key)
    bar = tqdm(
        total=source.total_hint(),
        initial=int(resumed) if resumed and resumed.isdigit() else 0,
        unit="rows",
        desc="import",
        disable=not progress,
        mininterval=0.5,
        dynamic_ncols=True,
    )

    def pace(items: Iterable[SourceItem]) -> Iterator[SourceItem]:
        return paced(items, rate=rate, speedup=speedup)

    with bar, runtime.transport.producer() as producer:
        return run_source(
            source,
            producer,
            checkpoints,
            batch_size=runtime.settings.batch_size,
            pace=pace if rate or speedup else None,
            on_item=lambda item: _advance(bar, item),
        )


def _advance(bar: tqdm[Any], item: SourceItem) -> None:
    """Move the bar to the rows consumed (a replay checkpoint), which counts skipped rows too."""
    if not isinstance(item, Idle):
        bar.update(int(item.checkpoint) - bar.n if item.checkpoint.isdigit() else 1)
