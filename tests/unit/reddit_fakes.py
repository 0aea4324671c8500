"""Offline Reddit for unit tests: real praw objects, a listing with Reddit's paging rules, praw's real
``stream_generator`` on top, and scripted failures."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import praw
import prawcore
import requests
from praw.models import Comment, Submission
from praw.models.util import stream_generator

OFFLINE = praw.Reddit(
    client_id="unit-test",
    client_secret="unit-test",
    user_agent="socialcare unit tests",
    check_for_updates=False,
)
T0 = 1_790_000_000.0


def comment(
    n: int,
    *,
    created: float | None = None,
    body: str | None = None,
    author: str | None = "alice",
    link: str = "t3_post1",
    parent: str | None = None,
    score: int = 1,
    **extra: Any,
) -> Comment:
    """Comment number ``n`` (fullname ``t1_c<n in base 36>``, ids grow with ``n`` as on Reddit)."""
    cid = "c" + _base36(n)
    data: dict[str, Any] = {
        "id": cid,
        "name": f"t1_{cid}",
        "body": body if body is not None else f"comment {n} about Lumora",
        "author": author if author is not None else "[deleted]",
        "created_utc": created if created is not None else T0 + n,
        "link_id": link,
        "parent_id": parent or link,
        "score": score,
        "subreddit": "lumora",
        "permalink": f"/r/lumora/comments/{link[3:]}/title/{cid}/",
        "edited": False,
    }
    data.update(extra)
    return Comment(OFFLINE, _data=data)


def submission(
    n: int,
    *,
    created: float | None = None,
    title: str = "Lumora thermostat",
    selftext: str = "it lost its schedule",
    is_self: bool = True,
    url: str | None = None,
    author: str | None = "bob",
    score: int = 5,
    num_comments: int = 2,
    **extra: Any,
) -> Submission:
    sid = "s" + _base36(n)
    permalink = f"/r/lumora/comments/{sid}/lumora_thermostat/"
    data: dict[str, Any] = {
        "id": sid,
        "name": f"t3_{sid}",
        "title": title,
        "selftext": selftext if is_self else "",
        "is_self": is_self,
        "url": url or f"https://www.reddit.com{permalink}",
        "author": author if author is not None else "[deleted]",
        "created_utc": created if created is not None else T0 + n,
        "score": score,
        "num_comments": num_comments,
        "subreddit": "lumora",
        "permalink": permalink,
        "edited": False,
    }
    data.update(extra)
    return Submission(OFFLINE, _data=data)


def _base36(n: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, rest = divmod(n, 36)
        out = digits[rest] + out
        if n == 0:
            return out.rjust(4, "0")


def response(status: int, headers: dict[str, str] | None = None) -> requests.Response:
    answer = requests.Response()
    answer.status_code = status
    answer.headers.update(headers or {})
    answer._content = b""
    return answer


def server_error() -> prawcore.ServerError:
    return prawcore.ServerError(response(503))


def network_error() -> prawcore.RequestException:
    return prawcore.RequestException(ConnectionResetError("reset by peer"), (), {})


def too_many_requests(retry_after: str | None = None) -> prawcore.TooManyRequests:
    return prawcore.TooManyRequests(response(429, {"retry-after": retry_after} if retry_after else {}))


class Listing:
    """A subreddit's newest-first listing as Reddit serves it, with scripted failures.

    ``before=X`` returns the (up to ``limit``) items just newer than X, or nothing when X is not listed
    (deleted); without ``before`` the newest ``limit`` items. ``fail`` maps a call number (1-based) to the
    exception that call raises instead.
    """

    def __init__(self, items: list[Any] | None = None) -> None:
        self.items: list[Any] = list(items or [])  # oldest first, as posted
        self.fail: dict[int, Exception] = {}
        self.calls: list[dict[str, Any]] = []

    def post(self, *items: Any) -> None:
        self.items.extend(items)

    def remove(self, fullname: str) -> None:
        self.items = [item for item in self.items if item.fullname != fullname]

    def __call__(self, limit: int | None = 100, params: dict[str, Any] | None = None) -> list[Any]:
        before = (params or {}).get("before")
        self.calls.append({"limit": limit, "before": before})
        error = self.fail.get(len(self.calls))
        if error is not None:
            raise error
        newest_first = list(reversed(self.items))
        if before is None:
            return newest_first[: limit or 100]
        names = [item.fullname for item in newest_first]
        if before not in names:
            return []
        newer = newest_first[: names.index(before)]
        return newer[-(limit or 100) :]


class _Stream:
    def __init__(self, listing: Listing, opened: list[dict[str, Any]]) -> None:
        self._listing = listing
        self._opened = opened

    def comments(self, **options: Any) -> Iterator[Any]:
        self._opened.append(options)
        return stream_generator(self._listing, **options)

    submissions = comments


class _Subreddit:
    def __init__(self, reddit: FakeReddit, name: str) -> None:
        self._reddit = reddit
        self.display_name = name
        self.stream = _Stream(reddit.listing, reddit.opened)

    def search(self, query: str, **options: Any) -> Iterator[Any]:
        self._reddit.searches.append({"query": query, **options})
        return iter(self._reddit.listing(limit=options.get("limit") or 1000))


class _Inbox:
    def __init__(self, listing: Listing) -> None:
        self._listing = listing

    def mentions(self, limit: int | None = 100) -> Iterator[Any]:
        return iter(self._listing(limit=limit or 1000))


class _Config:
    username = "LumoraSupport"


class FakeReddit:
    """Just enough of ``praw.Reddit`` for the sources: ``subreddit(name)`` and ``inbox``."""

    def __init__(self, listing: Listing | None = None) -> None:
        self.listing = listing or Listing()
        self.opened: list[dict[str, Any]] = []  # options of every stream the source opened
        self.searches: list[dict[str, Any]] = []
        self.subreddits: list[str] = []
        self.inbox = _Inbox(self.listing)
        self.config = _Config()

    def subreddit(self, name: str) -> _Subreddit:
        self.subreddits.append(name)
        return _Subreddit(self, name)
