"""Login throttling and CSRF tokens for the web app."""

from __future__ import annotations

import hmac
import secrets
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field

LOGIN_FAILURES = 5
"""Failed sign-ins per user name in the window: guessing one account's password."""
ADDRESS_FAILURES = 50
"""Failed sign-ins per client address in the window: spraying many accounts. Higher, because a whole
office can sit behind one proxy address."""
LOGIN_WINDOW_S = 300.0


@dataclass
class LoginThrottle:
    """At most ``max_failures`` failed sign-ins per key (a user name, or a client address) in ``window_s``."""

    max_failures: int = LOGIN_FAILURES
    window_s: float = LOGIN_WINDOW_S
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, deque[float]] = field(default_factory=lambda: defaultdict(deque))

    def retry_after(self, *keys: str) -> float:
        """Seconds until a sign-in under any of ``keys`` is allowed again (0 = now)."""
        now = self.clock()
        waits = [0.0]
        for key in keys:
            failures = self._failures[key]
            while failures and now - failures[0] >= self.window_s:
                failures.popleft()
            if len(failures) >= self.max_failures:
                waits.append(failures[0] + self.window_s - now)
        return max(waits)

    def failed(self, *keys: str) -> None:
        for key in keys:
            self._failures[key].append(self.clock())

    def succeeded(self, user_key: str) -> None:
        self._failures.pop(user_key, None)


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def same_token(expected: str | None, given: str | None) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(str(expected), str(given))
