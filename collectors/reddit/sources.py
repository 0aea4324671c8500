"""Reddit sources: subreddit streams, search, and the brand account's username mentions.

Each is a :class:`~collectors.base.Source`. The brand filter is injected as ``matches``: a function from a
:class:`Mention` to the names of the query rules it satisfies (empty = not about the brand), so these
sources do not depend on the query language. An item that does not match is not a mention and is only
counted; a matching item whose text was deleted or removed becomes a :class:`Rejected` with the reason
(see :mod:`collectors.reddit.normalize`), so nothing the brand cares about is dropped silently.

Positions are :class:`~collectors.reddit.checkpoint.Watermark` JSON strings: a restart neither repeats the
items praw re-yields on start nor skips what was posted while the collector was down (the stream resumes
after the last fullname it yielded, as far back as Reddit's listing allows, about 1,000 items).

Errors follow :mod:`collectors.reddit.backoff`: transient ones are logged as ``key=value`` and retried
after a wait (a stream is recreated after the last item it saw, so nothing is lost or repeated); fatal
ones stop the source with a :class:`~socialcare.errors.ConfigError` saying what to fix.
"""

from __future__ import annotations

import logging
import time
from abc import abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final, Literal

from collectors.base import IDLE, Collected, Rejected, Source, SourceItem
from collectors.reddit.backoff import (
    IDLE_BACKOFF_MAX_S,
    IDLE_POLLS_TO_STOP,
    describe,
    fatal_message,
    is_transient,
    retry_delay,
)
from collectors.reddit.checkpoint import LATE_ARRIVAL_GRACE_S, Watermark
from collectors.reddit.normalize import (
    created_utc_of,
    fullname_of,
    raw_bytes,
    removal_reason,
    to_mention,
)
from socialcare.errors import ConfigError, EventError, MissingExtraError
from socialcare.models import Mention, utcnow

try:
    from praw.models.util import ExponentialCounter
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise MissingExtraError("praw", "reddit") from exc

if TYPE_CHECKING:
    import praw

log = logging.getLogger(__name__)

Matcher = Callable[[Mention], Sequence[str]]
"""Names of the brand-query rules a mention satisfies; empty when it is not about the brand."""
Sleep = Callable[[float], None]
StreamKind = Literal["comments", "submissions"]

USERNAME_MENTION_RULE: Final = "reddit:username_mention"
"""Rule name given to inbox mentions when no ``matches`` is passed: naming the account is the match."""
POLL_MAX_RETRIES: Final = 5
"""Transient failures in a row after which a search or inbox poll gives up (it runs again next time)."""


def match_everything(rule: str) -> Matcher:
    """A matcher that accepts every mention under one rule name."""

    def matches(_mention: Mention) -> list[str]:
        return [rule]

    return matches


@dataclass
class _Counters:
    received: int = 0
    yielded: int = 0
    rejected: int = 0
    not_matching: int = 0
    already_seen: int = 0
    retries: int = 0
    idle_polls: int = 0

    def as_line(self) -> str:
        return " ".join(f"{name}={value}" for name, value in vars(self).items())


def _subreddit_name(name: str) -> str:
    cleaned = name.strip().removeprefix("/").removeprefix("r/")
    if not cleaned or "/" in cleaned:
        raise ConfigError(f"{name!r} is not a subreddit name (write it without r/, e.g. 'python')")
    return cleaned


def _id_order(fullname: str) -> int:
    try:
        return int(fullname[3:], 36)
    except ValueError:
        return 0


class _RedditSource(Source):
    """What every Reddit source shares: brand filtering, normalisation, errors, the summary line."""

    def __init__(
        self,
        *,
        matches: Matcher,
        brand: str | None,
        checkpoint_key: str,
        target: str,
        sleep: Sleep,
        clock: Callable[[], datetime],
        max_retries: int | None,
        late_arrival_grace_s: float,
    ) -> None:
        self._matches = matches
        self.brand = brand
        self._checkpoint_key = checkpoint_key
        self._target = target
        self._sleep = sleep
        self._clock = clock
        self.max_retries = max_retries
        self.grace = late_arrival_grace_s

    @property
    def checkpoint_key(self) -> str:
        return self._checkpoint_key

    def _convert(self, item: Any, state: Watermark, counters: _Counters) -> SourceItem | None:
        """A new item as ``Collected`` or ``Rejected`` (advancing ``state``), or ``None`` if off-brand."""
        fullname = fullname_of(item)
        try:
            mention = to_mention(item, collected_at=self._clock())
        except EventError as exc:
            counters.rejected += 1
            state.add(fullname, created_utc_of(item))
            return Rejected(raw_bytes(item), str(exc), f"reddit:{fullname}", state.dumps())
        rules = tuple(str(rule) for rule in self._matches(mention))
        if not rules:
            counters.not_matching += 1
            return None
        state.add(fullname, created_utc_of(item))
        reason = removal_reason(item)
        if reason is not None:
            counters.rejected += 1
            return Rejected(raw_bytes(item), reason, mention.id, state.dumps())
        counters.yielded += 1
        mention = mention.model_copy(update={"brand": self.brand, "matched_rules": rules})
        return Collected(mention, state.dumps())

    def _unreadable(self, item: Any, error: EventError, state: Watermark, counters: _Counters) -> Rejected:
        counters.rejected += 1
        name = vars(item).get("name") or vars(item).get("id") or "without id"
        return Rejected(raw_bytes(item), str(error), f"reddit {type(item).__name__} {name}", state.dumps())

    def _after_failure(self, error: Exception, failures: int, counters: _Counters) -> None:
        """Stop on a fatal or foreign error, give up after ``max_retries``, otherwise wait."""
        message = fatal_message(error, self._target)
        if message is not None:
            log.error("source=%s event=stopped %s", self.checkpoint_key, describe(error))
            raise ConfigError(message) from error
        if not is_transient(error):
            raise error
        if self.max_retries is not None and failures > self.max_retries:
            log.error("source=%s event=gave_up %s attempts=%d", self.checkpoint_key, describe(error), failures)
            raise error
        wait = retry_delay(error, failures)
        counters.retries += 1
        log.warning(
            "source=%s event=retry %s attempt=%d wait_s=%.1f",
            self.checkpoint_key,
            describe(error),
            failures,
            wait,
        )
        self._sleep(wait)


class SubredditStreamSource(_RedditSource):
    """New comments or submissions of one or more subreddits, through praw's stream (oldest first).

    ``pause_after`` is passed to praw: with the default ``0`` praw never sleeps on its own and hands
    control back after every poll that brought nothing new; the source then waits (praw's
    ``ExponentialCounter``, through the injectable ``sleep``) or, with ``stop_when_idle=True``, ends after
    :data:`~collectors.reddit.backoff.IDLE_POLLS_TO_STOP` such polls in a row, so a batch run or a test
    terminates. (One is not enough: a poll anchored on an item Reddit no longer lists comes back empty
    although there is news; praw's next poll drops the anchor.) ``skip_existing`` skips the items that
    exist when a source without a checkpoint starts. ``max_retries`` (``None`` = forever) caps transient
    failures in a row.
    """

    def __init__(
        self,
        reddit: praw.Reddit,
        subreddits: str | Sequence[str],
        *,
        kind: StreamKind = "comments",
        matches: Matcher,
        brand: str | None = None,
        pause_after: int | None = 0,
        stop_when_idle: bool = False,
        skip_existing: bool = False,
        max_retries: int | None = None,
        sleep: Sleep = time.sleep,
        clock: Callable[[], datetime] = utcnow,
        checkpoint_key: str | None = None,
        late_arrival_grace_s: float = LATE_ARRIVAL_GRACE_S,
    ) -> None:
        names = [subreddits] if isinstance(subreddits, str) else list(subreddits)
        if not names:
            raise ConfigError("a subreddit stream needs at least one subreddit")
        if kind not in ("comments", "submissions"):
            raise ConfigError(f"kind must be 'comments' or 'submissions', not {kind!r}")
        if stop_when_idle and pause_after is None:
            raise ConfigError("stop_when_idle needs pause_after (praw never pauses with pause_after=None)")
        self.subreddit = "+".join(_subreddit_name(name) for name in names)
        self.kind: StreamKind = kind
        super().__init__(
            matches=matches,
            brand=brand,
            checkpoint_key=checkpoint_key or f"reddit:stream:{kind}:{self.subreddit.lower()}:{brand or '-'}",
            target=f"r/{self.subreddit} {kind}",
            sleep=sleep,
            clock=clock,
            max_retries=max_retries,
            late_arrival_grace_s=late_arrival_grace_s,
        )
        self._reddit = reddit
        self.pause_after = pause_after
        self.stop_when_idle = stop_when_idle
        self.skip_existing = skip_existing

    def _open(self, continue_after_id: str | None, skip_existing: bool) -> Iterator[Any]:
        stream = self._reddit.subreddit(self.subreddit).stream
        open_stream = stream.comments if self.kind == "comments" else stream.submissions
        return iter(
            open_stream(
                pause_after=self.pause_after,
                skip_existing=skip_existing,
                continue_after_id=continue_after_id,
            )
        )

    def items(self, checkpoint: str | None, *, idle: bool = False) -> Iterator[SourceItem]:
        state = Watermark.loads(checkpoint, grace=self.grace)
        counters = _Counters()
        resume_after = state.last  # newest fullname received: a recreated stream continues after it
        idle_wait = ExponentialCounter(max_counter=IDLE_BACKOFF_MAX_S)
        failures = 0
        idle_in_a_row = 0
        stream: Iterator[Any] | None = None
        try:
            while True:
                if stream is None:
                    skip = self.skip_existing and checkpoint is None and resume_after is None
                    stream = self._open(resume_after, skip)
                try:
                    item = next(stream)
                except StopIteration:
                    return
                except Exception as error:
                    stream = None
                    failures += 1
                    self._after_failure(error, failures, counters)
                    continue
                failures = 0
                if item is None:
                    if idle:
                        yield IDLE  # nothing new: the runner publishes what it holds
                    counters.idle_polls += 1
                    idle_in_a_row += 1
                    if self.stop_when_idle:
                        if idle_in_a_row >= IDLE_POLLS_TO_STOP:
                            return
                        continue
                    self._sleep(idle_wait.counter())
                    continue
                idle_wait.reset()
                idle_in_a_row = 0
                counters.received += 1
                try:
                    fullname, created = fullname_of(item), created_utc_of(item)
                except EventError as error:
                    yield self._unreadable(item, error, state, counters)
                    continue
                resume_after = fullname
                if not state.is_new(fullname, created):
                    counters.already_seen += 1
                    continue
                converted = self._convert(item, state, counters)
                if converted is not None:
                    yield converted
        finally:
            log.info("source=%s event=end %s", self.checkpoint_key, counters.as_line())


class _ListingSource(_RedditSource):
    """One pass over a Reddit listing per :meth:`items` call, yielding what is new, oldest first."""

    newest_first: bool = False
    """Whether the listing is sorted newest first, so reading can stop at the first old item."""

    @abstractmethod
    def _listing(self) -> Iterable[Any]:
        """A fresh praw ``ListingGenerator`` (it pages through the results as it is iterated)."""

    def _read(self, state: Watermark, counters: _Counters) -> tuple[list[Any], list[tuple[Any, EventError]]]:
        failures = 0
        while True:
            found: list[Any] = []
            broken: list[tuple[Any, EventError]] = []
            seen = 0
            try:
                for item in self._listing():
                    try:
                        fullname, created = fullname_of(item), created_utc_of(item)
                    except EventError as error:
                        broken.append((item, error))
                        continue
                    if state.is_new(fullname, created):
                        found.append(item)
                    elif self.newest_first and state.ts is not None and created < state.ts - state.grace:
                        break
                    else:
                        seen += 1
            except Exception as error:
                failures += 1
                self._after_failure(error, failures, counters)
                continue
            counters.received += len(found) + len(broken) + seen
            counters.already_seen += seen
            return found, broken

    def items(self, checkpoint: str | None, *, idle: bool = False) -> Iterator[SourceItem]:
        state = Watermark.loads(checkpoint, grace=self.grace)
        counters = _Counters()
        try:
            found, broken = self._read(state, counters)
            found.sort(key=lambda item: (created_utc_of(item), _id_order(fullname_of(item))))
            for item in found:
                converted = self._convert(item, state, counters)
                if converted is not None:
                    yield converted
            for item, error in broken:
                yield self._unreadable(item, error, state, counters)
        finally:
            log.info("source=%s event=end %s", self.checkpoint_key, counters.as_line())


class RedditSearchSource(_ListingSource):
    """Submissions found by Reddit search in one subreddit (or ``all``), newer than the checkpoint.

    Each :meth:`items` call reads the results page by page (``limit=None``: as many as Reddit returns,
    about 1,000), keeps those not yet yielded and yields them oldest first; with ``sort="new"`` reading
    stops at the first result older than the checkpoint. Reddit's search also matches words the local
    ``matches`` may not, so both must agree for a mention. Search lags behind posting by minutes: run it
    as a backfill or a periodic sweep beside a stream, not instead of one.
    """

    def __init__(
        self,
        reddit: praw.Reddit,
        subreddit: str,
        query_text: str,
        *,
        matches: Matcher,
        brand: str | None = None,
        sort: str = "new",
        time_filter: str = "all",
        syntax: str = "lucene",
        limit: int | None = None,
        max_retries: int | None = POLL_MAX_RETRIES,
        sleep: Sleep = time.sleep,
        clock: Callable[[], datetime] = utcnow,
        checkpoint_key: str | None = None,
        late_arrival_grace_s: float = LATE_ARRIVAL_GRACE_S,
    ) -> None:
        if not query_text.strip():
            raise ConfigError("a Reddit search needs a query")
        self.subreddit = _subreddit_name(subreddit)
        self.query_text = query_text
        self.sort = sort
        self.time_filter = time_filter
        self.syntax = syntax
        self.limit = limit
        self.newest_first = sort == "new"
        super().__init__(
            matches=matches,
            brand=brand,
            checkpoint_key=checkpoint_key
            or f"reddit:search:{self.subreddit.lower()}:{sort}:{brand or '-'}:{query_text}",
            target=f"search {query_text!r} in r/{self.subreddit}",
            sleep=sleep,
            clock=clock,
            max_retries=max_retries,
            late_arrival_grace_s=late_arrival_grace_s,
        )
        self._reddit = reddit

    def _listing(self) -> Iterable[Any]:
        return self._reddit.subreddit(self.subreddit).search(
            self.query_text,
            sort=self.sort,
            syntax=self.syntax,
            time_filter=self.time_filter,
            limit=self.limit,
        )


class RedditInboxMentionsSource(_ListingSource):
    """Comments that name the logged-in account (``u/LumoraSupport``), newer than the checkpoint.

    Needs a user login (a script app with ``username`` and ``password``, or a refresh token). The inbox
    is only read: nothing is marked as read, the checkpoint alone says what was taken. Without
    ``matches`` every mention is the brand's, under the rule :data:`USERNAME_MENTION_RULE`.
    """

    newest_first = True

    def __init__(
        self,
        reddit: praw.Reddit,
        *,
        matches: Matcher | None = None,
        brand: str | None = None,
        limit: int | None = None,
        max_retries: int | None = POLL_MAX_RETRIES,
        sleep: Sleep = time.sleep,
        clock: Callable[[], datetime] = utcnow,
        checkpoint_key: str | None = None,
        late_arrival_grace_s: float = LATE_ARRIVAL_GRACE_S,
    ) -> None:
        username = getattr(getattr(reddit, "config", None), "username", None) or "me"
        super().__init__(
            matches=matches or match_everything(USERNAME_MENTION_RULE),
            brand=brand,
            checkpoint_key=checkpoint_key or f"reddit:inbox:mentions:{str(username).lower()}",
            target=f"the inbox of u/{username}",
            sleep=sleep,
            clock=clock,
            max_retries=max_retries,
            late_arrival_grace_s=late_arrival_grace_s,
        )
        self._reddit = reddit
        self.limit = limit

    def _listing(self) -> Iterable[Any]:
        return self._reddit.inbox.mentions(limit=self.limit)
