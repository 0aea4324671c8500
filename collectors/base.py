"""The source port: anything that yields mentions from a resumable position.

A source yields :class:`Collected` items (a valid mention) and :class:`Rejected` items (raw input that
could not become a mention, with the reason); a live source (a stream) also yields :data:`IDLE` while it
waits, so that what it already produced is published at once rather than with the next post. Each item
carries the checkpoint *after* it, an opaque string the source understands; the runner saves it only
once everything before it is durably published, so a restart resumes without losing anything.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass

from socialcare.models import Mention


@dataclass(frozen=True, slots=True)
class Collected:
    mention: Mention
    checkpoint: str


@dataclass(frozen=True, slots=True)
class Rejected:
    """Input that is not a valid mention: ``raw`` is kept byte for byte for the dead-letter topic."""

    raw: bytes
    reason: str
    location: str  # where in the source, e.g. "row 17"
    checkpoint: str


@dataclass(frozen=True, slots=True)
class Idle:
    """A live source has nothing new right now: the moment for the runner to publish what it holds."""


IDLE = Idle()

PostItem = Collected | Rejected
SourceItem = PostItem | Idle


class Source(ABC):
    """A resumable stream of mentions."""

    @property
    @abstractmethod
    def checkpoint_key(self) -> str:
        """Names this source's saved position, e.g. ``replay:airline:/data/tweets.csv``."""

    @abstractmethod
    def items(self, checkpoint: str | None, *, idle: bool = False) -> Iterator[SourceItem]:
        """Yield items after ``checkpoint`` (``None`` = from the start).

        With ``idle``, a live source also yields :data:`IDLE` whenever it waits for new posts.
        """

    def total_hint(self) -> int | None:
        """How many items the source expects to yield in all, for a progress bar; ``None`` if unknown."""
        return None
