"""Past enriched mentions for what-if runs: a JSONL file of events, or the ``mentions.enriched`` topic."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from socialcare.errors import EventError, ImportFileError
from socialcare.models import EnrichedMention, decode_event
from socialcare.topics import MENTIONS_ENRICHED

LOG = "log"


def read_enriched(against: str, load_settings: Callable[[], Any]) -> Iterator[EnrichedMention]:
    """``against`` is a path to JSONL (one ``EnrichedMention`` a line) or ``log`` (the configured transport)."""
    if against == LOG:
        return _from_log(load_settings())
    return _from_file(Path(against))


def _from_file(path: Path) -> Iterator[EnrichedMention]:
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise ImportFileError(f"cannot open {path}: {exc.strerror}; give a JSONL file of enriched mentions") from exc
    with handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                yield decode_event(EnrichedMention, line)
            except EventError as exc:
                raise ImportFileError(f"{path}:{number}: not an enriched mention: {exc}") from exc


def _from_log(settings: Any) -> Iterator[EnrichedMention]:
    from socialcare.runtime import Runtime

    with Runtime.open(settings) as runtime:
        for record in runtime.transport.read(MENTIONS_ENRICHED, 10_000_000):
            yield decode_event(EnrichedMention, record.value)
