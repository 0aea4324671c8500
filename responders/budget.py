"""Per-platform posting budgets: at most ``count`` replies per sliding ``window``, and a platform's own
"slow down" (a 429's reset time) holds every later call until then."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from socialcare.errors import ConfigError

_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_budget(text: str) -> tuple[int, float]:
    """``"100/15m"`` -> ``(100, 900.0)``: a count of posts per window (s, m, h or d)."""
    count, _, window = text.strip().partition("/")
    unit = window[-1:] if window else ""
    try:
        posts, length = int(count), int(window[:-1])
    except ValueError:
        posts, length = 0, 0
    if posts <= 0 or length <= 0 or unit not in _UNIT_SECONDS:
        raise ConfigError(f"a posting budget reads like 100/15m (posts per window in s, m, h or d), not {text!r}")
    return posts, float(length * _UNIT_SECONDS[unit])


@dataclass
class PostingBudget:
    posts: int
    window_s: float
    clock: Callable[[], float] = time.monotonic
    _sent: deque[float] = field(default_factory=deque)
    _held_until: float = 0.0

    @classmethod
    def parse(cls, text: str, clock: Callable[[], float] = time.monotonic) -> PostingBudget:
        posts, window_s = parse_budget(text)
        return cls(posts, window_s, clock)

    def wait_s(self) -> float:
        """Seconds to wait before the next post fits the budget (0 when it fits now)."""
        now = self.clock()
        while self._sent and now - self._sent[0] >= self.window_s:
            self._sent.popleft()
        waits = [self._held_until - now]
        if len(self._sent) >= self.posts:
            waits.append(self._sent[0] + self.window_s - now)
        return max(0.0, *waits)

    def spend(self) -> None:
        self._sent.append(self.clock())

    def hold(self, seconds: float) -> None:
        """The platform said to wait ``seconds``: no post before then."""
        self._held_until = max(self._held_until, self.clock() + max(0.0, seconds))
