"""The X API v2 filtered stream, read over ``requests``: reconnects, keep-alives, gap backfill.

tweepy 4.17 still ships ``StreamingClient``, but it cannot serve here: its URL is fixed to
``https://api.twitter.com``, it sleeps with the module's ``time.sleep`` (so tests cannot observe or skip the
waits) and it reconnects at once after X closes a connection cleanly. This reader keeps tweepy's policy and
fixes those three points (constants in :mod:`collectors.x.limits`):

- network errors and dropped connections: linear backoff from 0.25 s to 16 s;
- HTTP errors: exponential from 5 s to 320 s; 429: from 60 s, or until ``x-rate-limit-reset`` if later;
- 400, 401, 403 and 404 are raised at once (:class:`~collectors.x.client.XApiError`): waiting cannot fix them;
- the backoff resets only after a connection delivered data, so a connection that drops at once never
  turns into a tight loop; more than ``max_retries`` failed connections in a row raise ``XApiError``.

The stream is newline-delimited JSON: a blank line is a keep-alive, a line that is not a post becomes a
:class:`~collectors.base.Rejected` with the line's bytes, and a message holding only ``errors`` (for example
an operational disconnect) is logged. The ``tag`` of each ``matching_rules`` entry (its id if it has no tag)
goes to ``matched_rules``; ``brands_by_tag`` gives the brand.

The stream cannot resume from a position, so its checkpoint (each post's own id) serves the backfill:
after a reconnect, and on start from a saved checkpoint, ``backfill(since_id)`` (see
:func:`~collectors.x.search.search_backfill`) fetches the posts missed meanwhile through recent search,
once the new connection is open (so the two overlap instead of leaving a gap). Posts seen twice (stream
redeliveries, backfill overlap) are yielded once. A failed backfill is logged and tried again after the next
reconnect.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import SecretStr

from collectors.base import IDLE, Collected, Idle, Rejected, Source, SourceItem
from collectors.x.client import XApiError, describe_error
from collectors.x.limits import (
    STREAM_CHUNK_SIZE,
    STREAM_CONNECT_TIMEOUT,
    STREAM_FATAL_STATUSES,
    STREAM_MAX_LINE_BYTES,
    STREAM_READ_TIMEOUT,
    STREAM_SEEN_IDS,
    PostBudget,
    ReconnectBackoff,
    parse_reset_header,
)
from collectors.x.normalize import post_id_of, tweet_to_mention, users_by_id
from collectors.x.rules import (
    DEFAULT_API_BASE,
    DEFAULT_RULE_MAX_LENGTH,
    DEFAULT_TAG_PREFIX,
    USER_AGENT,
    RuleChanges,
    XStreamRules,
)
from collectors.x.search import DEFAULT_REQUEST, TweetRequest, parse_checkpoint
from socialcare.errors import ConfigError, EventError, MissingExtraError, SocialcareError
from socialcare.models import utcnow
from socialcare.settings import Settings

try:
    import requests
    import urllib3
except ModuleNotFoundError as exc:  # pragma: no cover - exercised only without the extra
    raise MissingExtraError("requests", "x") from exc

log = logging.getLogger(__name__)

STREAM_PATH = "/2/tweets/search/stream"
STREAM_ERRORS = (requests.RequestException, urllib3.exceptions.HTTPError)
"""What a connection or a read can raise when the network or X drops the stream."""

Backfill = Callable[[str], Iterable[SourceItem]]


@dataclass
class StreamStats:
    """Counters of one :meth:`XFilteredStreamSource.items` run, for logs and tests."""

    connections: int = 0
    connected: int = 0
    keep_alives: int = 0
    posts: int = 0
    rejected: int = 0
    duplicates: int = 0
    backfills: int = 0
    backfilled: int = 0
    failed_backfills: int = 0
    waits: int = 0


class XFilteredStreamSource(Source):
    """Posts matching the app's filtered-stream rules, as they are published.

    ``items`` runs until :meth:`stop` is called (from another thread), the consumer closes the generator,
    a fatal answer arrives, or ``max_retries`` connections in a row fail (``None``: never give up). ``sleep``
    is called with every backoff wait (default: an interruptible wait that :meth:`stop` ends), and
    ``wall_clock`` (epoch seconds) is compared with ``x-rate-limit-reset``.
    """

    def __init__(
        self,
        bearer_token: SecretStr | str,
        *,
        brand: str | None = None,
        brands_by_tag: Mapping[str, str] | None = None,
        name: str = "filtered",
        base_url: str = DEFAULT_API_BASE,
        request: TweetRequest = DEFAULT_REQUEST,
        backfill: Backfill | None = None,
        budget: PostBudget | None = None,
        session: requests.Session | None = None,
        max_retries: int | None = None,
        sleep: Callable[[float], object] | None = None,
        wall_clock: Callable[[], float] = time.time,
        clock: Callable[[], datetime] = utcnow,
        connect_timeout: float = STREAM_CONNECT_TIMEOUT,
        read_timeout: float = STREAM_READ_TIMEOUT,
        chunk_size: int = STREAM_CHUNK_SIZE,
    ) -> None:
        self._token = bearer_token if isinstance(bearer_token, SecretStr) else SecretStr(bearer_token)
        if not self._token.get_secret_value():
            raise ConfigError("the X bearer token is empty: set SOCIALCARE_X_BEARER_TOKEN")
        self.brand = brand
        self.brands_by_tag = dict(brands_by_tag or {})
        self.name = name
        self.base_url = base_url.rstrip("/")
        self.request = request
        self.backfill = backfill
        self.budget = budget
        self.session = session or requests.Session()
        self.max_retries = max_retries
        self._stop = threading.Event()
        self._sleep: Callable[[float], object] = sleep or self._stop.wait
        self._wall_clock = wall_clock
        self._clock = clock
        self.timeout = (connect_timeout, read_timeout)
        self.chunk_size = chunk_size
        self.stats = StreamStats()

    @classmethod
    def from_settings(cls, settings: Settings, **options: Any) -> XFilteredStreamSource:
        if settings.x_bearer_token is None:
            raise ConfigError("SOCIALCARE_X_BEARER_TOKEN is not set: the filtered stream needs the bearer token")
        options.setdefault("base_url", settings.x_api_base_url)
        return cls(settings.x_bearer_token, **options)

    @property
    def checkpoint_key(self) -> str:
        return f"x:stream:{self.name}"

    def stop(self) -> None:
        """Ask :meth:`items` to end: at the next line or keep-alive, or at once during a backoff wait."""
        self._stop.set()

    def sync_rules(
        self,
        desired: Sequence[tuple[str, str]],
        *,
        tag_prefix: str = DEFAULT_TAG_PREFIX,
        max_rule_length: int = DEFAULT_RULE_MAX_LENGTH,
        dry_run: bool = False,
    ) -> RuleChanges:
        """Make socialcare's stream rules exactly ``desired`` (see :meth:`XStreamRules.sync`)."""
        rules = XStreamRules(
            self._token,
            base_url=self.base_url,
            tag_prefix=tag_prefix,
            max_rule_length=max_rule_length,
            session=self.session,
            wall_clock=self._wall_clock,
        )
        return rules.sync(desired, dry_run=dry_run)

    # the stream -----------------------------------------------------------------------------------
    def items(self, checkpoint: str | None, *, idle: bool = False) -> Iterator[SourceItem]:
        self._stop.clear()
        self.stats = StreamStats()
        run = _Run(last_id=parse_checkpoint(checkpoint, self.checkpoint_key), last_checkpoint=checkpoint or "")
        gap_since = run.last_id if self.backfill is not None else None
        backoff = ReconnectBackoff(self._wait, self._wall_clock)
        failures = 0
        try:
            while not self._stop.is_set():
                if self.budget is not None:
                    self.budget.check()
                self.stats.connections += 1
                try:
                    response = self._connect()
                except STREAM_ERRORS as exc:
                    failures = self._failed(failures, f"cannot connect: {describe_error(exc)}")
                    backoff.network_error()
                    continue
                received = False
                reason = "closed by X"
                with response:
                    status = response.status_code
                    if status != 200:
                        detail = _error_detail(response)
                        if status in STREAM_FATAL_STATUSES:
                            hint = " (check SOCIALCARE_X_BEARER_TOKEN)" if status == 401 else ""
                            raise XApiError(f"filtered stream: X answered {status} {detail}{hint}", status=status)
                        failures = self._failed(failures, f"X answered {status} {detail}", status)
                        backoff.http_error(status, parse_reset_header(response.headers.get("x-rate-limit-reset")))
                        continue
                    self.stats.connected += 1
                    run.line = 0
                    log.info("x stream=%s connected attempt=%d", self.name, self.stats.connections)
                    if gap_since is not None and self.backfill is not None:
                        filled = yield from self._backfill(gap_since, run)
                        if filled:
                            gap_since = None
                    try:
                        for line, complete in _lines(response, self.chunk_size):
                            if not received:
                                received = True
                                failures = 0
                                backoff.reset()
                            item = self._item(line, complete, run)
                            if item is not None:
                                yield item
                            elif idle:
                                yield IDLE  # a keep-alive: the runner publishes what it holds
                            if self._stop.is_set():
                                return
                    except STREAM_ERRORS as exc:
                        reason = describe_error(exc)
                if self._stop.is_set():
                    return
                if self.backfill is not None and gap_since is None:
                    gap_since = run.last_id
                if not received:
                    failures = self._failed(failures, f"connection delivered nothing ({reason})")
                log.warning(
                    "x stream=%s disconnected reason=%s posts=%d last_id=%s",
                    self.name,
                    reason,
                    self.stats.posts,
                    run.last_id or "none",
                )
                backoff.network_error()
        finally:
            if self.budget is not None:
                self.budget.flush()

    def _connect(self) -> requests.Response:
        return self.session.get(
            self.base_url + STREAM_PATH,
            params=self.request.query_params(),
            headers={"Authorization": f"Bearer {self._token.get_secret_value()}", "User-Agent": USER_AGENT},
            stream=True,
            timeout=self.timeout,
        )

    def _wait(self, seconds: float) -> None:
        self.stats.waits += 1
        log.info("x stream=%s reconnect_in=%.2fs", self.name, seconds)
        self._sleep(seconds)

    def _failed(self, failures: int, reason: str, status: int | None = None) -> int:
        failures += 1
        log.warning("x stream=%s connection failed reason=%s consecutive=%d", self.name, reason, failures)
        if self.max_retries is not None and failures > self.max_retries:
            raise XApiError(
                f"filtered stream: gave up after {failures} failed connections in a row; last: {reason}",
                status=status,
            )
        return failures

    def _backfill(self, since_id: str, run: _Run) -> Generator[SourceItem, None, bool]:
        """Yield the posts after ``since_id`` that the stream missed; return whether the backfill ran."""
        assert self.backfill is not None
        try:
            items = list(self.backfill(since_id))
        except SocialcareError as exc:
            self.stats.failed_backfills += 1
            log.warning(
                "x stream=%s backfill since_id=%s failed, retried after the next reconnect: %s",
                self.name,
                since_id,
                exc,
            )
            return False
        self.stats.backfills += 1
        fresh = 0
        for item in items:
            if isinstance(item, Idle):
                continue
            if isinstance(item, Collected):
                if run.seen.seen(item.mention.id):
                    self.stats.duplicates += 1
                    continue
                run.advance(item.mention.source_id)
                fresh += 1
            run.last_checkpoint = item.checkpoint or run.last_checkpoint
            yield item
        self.stats.backfilled += fresh
        log.info("x stream=%s backfill since_id=%s posts=%d new=%d", self.name, since_id, len(items), fresh)
        return True

    def _item(self, line: bytes, complete: bool, run: _Run) -> SourceItem | None:
        run.line += 1
        if not line.strip():
            self.stats.keep_alives += 1
            return None
        location = f"stream connection {self.stats.connections} line {run.line}"
        if not complete:
            return self._rejected(line[:1024], f"line longer than {STREAM_MAX_LINE_BYTES} bytes", location, run)
        try:
            message = json.loads(line)
        except ValueError as exc:
            return self._rejected(line, f"not JSON: {exc}", location, run)
        if not isinstance(message, Mapping):
            return self._rejected(line, f"a JSON {type(message).__name__}, not a stream message", location, run)
        data = message.get("data")
        if data is None:
            if message.get("errors"):
                log.warning("x stream=%s message errors=%s", self.name, _titles(message["errors"]))
                return None
            return self._rejected(line, "a stream message without data or errors", location, run)
        post_id = post_id_of(data)
        if post_id is not None:
            location = f"{location} (post {post_id})"
            if run.seen.seen(f"x:{post_id}"):
                self.stats.duplicates += 1
                return None
        tags = _matching_tags(message.get("matching_rules"))
        includes = message.get("includes")
        users = users_by_id(includes.get("users") if isinstance(includes, Mapping) else None)
        try:
            mention = tweet_to_mention(
                data,
                users,
                brand=self._brand(tags),
                matched_rules=tags,
                collected_at=self._clock(),
            )
        except EventError as exc:
            return self._rejected(line, str(exc), location, run, post_id)
        run.advance(mention.source_id)
        run.last_checkpoint = mention.source_id
        self.stats.posts += 1
        if self.budget is not None:
            self.budget.charge(1)
        return Collected(mention=mention, checkpoint=mention.source_id)

    def _rejected(self, raw: bytes, reason: str, location: str, run: _Run, post_id: str | None = None) -> Rejected:
        self.stats.rejected += 1
        if post_id is not None:
            run.last_checkpoint = post_id
        return Rejected(raw=bytes(raw), reason=reason, location=location, checkpoint=run.last_checkpoint)

    def _brand(self, tags: Sequence[str]) -> str | None:
        for tag in tags:
            if tag in self.brands_by_tag:
                return self.brands_by_tag[tag]
        return self.brand


class _Run:
    """The state of one ``items`` run: newest post id, last checkpoint, ids seen, line of the connection."""

    def __init__(self, last_id: str | None, last_checkpoint: str) -> None:
        self.last_id = last_id
        self.last_checkpoint = last_checkpoint
        self.seen = _SeenIds(STREAM_SEEN_IDS)
        self.line = 0

    def advance(self, post_id: str) -> None:
        if self.last_id is None or int(post_id) > int(self.last_id):
            self.last_id = post_id


class _SeenIds:
    """The most recent ``limit`` ids, to drop repeats with bounded memory."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._ids: dict[str, None] = {}

    def seen(self, key: str) -> bool:
        """Whether ``key`` was seen before; remembers it either way."""
        if key in self._ids:
            return True
        self._ids[key] = None
        if len(self._ids) > self.limit:
            del self._ids[next(iter(self._ids))]
        return False


def _lines(response: requests.Response, chunk_size: int) -> Iterator[tuple[bytes, bool]]:
    """Complete lines (without the line break) and whether each is whole; an over-long line is cut.

    Bytes after the last line break when X closes the connection are an unfinished message: they are
    dropped with a WARNING (the post is fetched again by the gap backfill).
    """
    buffer = b""
    skipping = False
    for chunk in response.iter_content(chunk_size=chunk_size):
        buffer += chunk
        while True:
            end = buffer.find(b"\n")
            if end < 0:
                break
            line, buffer = buffer[:end], buffer[end + 1 :]
            if skipping:
                skipping = False
                continue
            yield line.rstrip(b"\r"), True
        if len(buffer) > STREAM_MAX_LINE_BYTES and not skipping:
            yield buffer, False
            buffer, skipping = b"", True
        elif skipping:
            buffer = b""
    if buffer.strip() and not skipping:
        log.warning("x stream closed in the middle of a message: %d bytes dropped", len(buffer))


def _matching_tags(value: object) -> tuple[str, ...]:
    tags: list[str] = []
    if isinstance(value, list):
        for rule in value:
            if isinstance(rule, Mapping):
                name = rule.get("tag") or rule.get("id")
                if name is not None and str(name) not in tags:
                    tags.append(str(name))
    return tuple(tags)


def _titles(errors: object) -> str:
    if isinstance(errors, list):
        return "; ".join(
            str(error.get("title") or error.get("detail") or error) if isinstance(error, Mapping) else str(error)
            for error in errors
        )
    return str(errors)


def _error_detail(response: requests.Response) -> str:
    try:
        answer = response.json()
    except ValueError:
        return (response.reason or "").strip()
    if isinstance(answer, Mapping):
        parts = [answer.get("title"), answer.get("detail")]
        if answer.get("errors"):
            parts.append(_titles(answer["errors"]))
        return ": ".join(str(part) for part in parts if part) or (response.reason or "")
    return response.reason or ""
