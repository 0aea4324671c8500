"""The position of a Reddit source: a small JSON checkpoint that makes restarts exact.

A praw stream starts by re-yielding up to 100 recent items, a search is repeated from the top, and
Reddit's ``created_utc`` has whole seconds, so a position must say both *when* and *which*::

    {"v": 1, "last": "t1_dbhn12t", "ts": 1482373043.0, "seen": {"t1_dbhn12t": 1482373043.0, ...}}

- ``last``: fullname of the last item yielded; a restarted stream asks Reddit for what came after it
  (praw's ``continue_after_id``), so a short outage is caught up instead of skipped;
- ``ts``: the newest ``created_utc`` yielded;
- ``seen``: fullnames yielded within ``grace`` seconds before ``ts`` (at most :data:`SEEN_LIMIT`).

An item is new when its fullname is not in ``seen`` and it is not older than ``ts - grace``. Items that
share the newest second are told apart by fullname, and an item that becomes visible a little late (Reddit
listings are not strictly ordered; a post approved from the spam filter appears at its original time) is
still taken if it is within ``grace``. Only if more than :data:`SEEN_LIMIT` items were yielded within
``grace`` can a restart repeat one, which consumers absorb (they upsert by mention id).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Final

from socialcare.errors import ConfigError

CHECKPOINT_VERSION: Final = 1
LATE_ARRIVAL_GRACE_S: Final = 120.0
"""How far before the newest yielded item a not-yet-seen item is still taken (seconds)."""
SEEN_LIMIT: Final = 500
"""Most fullnames a checkpoint remembers; bounds its size to about 10 kB."""


@dataclass
class Watermark:
    """Newest ``created_utc`` yielded, the last fullname, and the recently yielded fullnames."""

    last: str | None = None
    ts: float | None = None
    seen: dict[str, float] = field(default_factory=dict)
    grace: float = LATE_ARRIVAL_GRACE_S
    limit: int = SEEN_LIMIT

    def is_new(self, fullname: str, created_utc: float) -> bool:
        """Whether an item was not yielded before (as far as this position can tell)."""
        if fullname in self.seen:
            return False
        return self.ts is None or created_utc >= self.ts - self.grace

    def add(self, fullname: str, created_utc: float) -> None:
        """Record a yielded item."""
        self.last = fullname
        self.ts = created_utc if self.ts is None else max(self.ts, created_utc)
        self.seen[fullname] = created_utc
        horizon = self.ts - self.grace
        if len(self.seen) > self.limit or min(self.seen.values()) < horizon:
            kept = sorted(
                ((name, ts) for name, ts in self.seen.items() if ts >= horizon),
                key=lambda pair: pair[1],
            )[-self.limit :]
            self.seen = dict(kept)

    def dumps(self) -> str:
        return json.dumps(
            {"v": CHECKPOINT_VERSION, "last": self.last, "ts": self.ts, "seen": self.seen},
            separators=(",", ":"),
        )

    @classmethod
    def loads(cls, text: str | None, *, grace: float = LATE_ARRIVAL_GRACE_S, limit: int = SEEN_LIMIT) -> Watermark:
        """Parse a checkpoint (``None`` = the start); a foreign or corrupt one raises :class:`ConfigError`."""
        if text is None:
            return cls(grace=grace, limit=limit)
        try:
            data = json.loads(text)
            if not isinstance(data, dict) or data.get("v") != CHECKPOINT_VERSION:
                raise ValueError("not a version-1 Reddit checkpoint")
            last, ts, seen = data["last"], data["ts"], data["seen"]
            if not (last is None or isinstance(last, str)) or not (ts is None or isinstance(ts, int | float)):
                raise ValueError("'last' or 'ts' has the wrong type")
            if not isinstance(seen, dict) or not all(
                isinstance(k, str) and isinstance(v, int | float) for k, v in seen.items()
            ):
                raise ValueError("'seen' is not an object of fullname: created_utc")
        except (ValueError, KeyError) as exc:
            raise ConfigError(
                f"saved Reddit checkpoint {text[:80]!r} cannot be read ({exc}): reset this source's "
                "checkpoint to start again from Reddit's newest items"
            ) from exc
        return cls(
            last=last,
            ts=None if ts is None else float(ts),
            seen={k: float(v) for k, v in seen.items()},
            grace=grace,
            limit=limit,
        )
