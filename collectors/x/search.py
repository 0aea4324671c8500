"""Polling sources on tweepy's v2 ``Client``: recent search (here) and user mentions (:mod:`.mentions`).

One call of :meth:`~collectors.base.Source.items` is one poll. X answers newest first, while the checkpoint
(``since_id``: the newest post id already published) may only move forward once everything before it is
published; so a poll first reads every page of its window, then yields the posts oldest first, each
carrying its own id as checkpoint. A crash halfway through re-reads only what was not yet checkpointed.

A poll reads at most ``max_pages`` pages (:data:`~collectors.x.limits.MAX_PAGES_PER_POLL`). When the window
holds more, or the monthly post budget runs out between pages, the poll yields the newest pages it read and
logs a WARNING naming the skipped range: recent search cannot be read oldest first, so the posts between the
old checkpoint and the oldest post read are not collected. Poll more often to avoid it.

A rate limit raises :class:`~socialcare.errors.RateLimitError` before anything of the poll is yielded, so the
checkpoint stays where it was and the next poll reads the same window.
"""

from __future__ import annotations

import logging
import time
from abc import abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from collectors.base import Idle, PostItem, Rejected, Source, SourceItem
from collectors.x.client import XApiError, call_x
from collectors.x.limits import MAX_PAGES_PER_POLL, PAGE_SIZE, PostBudget
from collectors.x.normalize import (
    JsonObject,
    as_json_object,
    post_id_of,
    raw_json,
    tweet_to_item,
    users_by_id,
)
from socialcare.errors import ConfigError, EventError, RateLimitError
from socialcare.models import utcnow

log = logging.getLogger(__name__)

EXPANSIONS: tuple[str, ...] = ("author_id",)
TWEET_FIELDS: tuple[str, ...] = (
    "created_at",
    "public_metrics",
    "conversation_id",
    "referenced_tweets",
    "lang",
    "entities",
    "note_tweet",
    "edit_history_tweet_ids",
    "author_id",
)
USER_FIELDS: tuple[str, ...] = ("username", "name", "public_metrics", "verified")


@dataclass(frozen=True, slots=True)
class TweetRequest:
    """The expansions, fields and page size asked of every post endpoint (search, mentions, stream)."""

    expansions: tuple[str, ...] = EXPANSIONS
    tweet_fields: tuple[str, ...] = TWEET_FIELDS
    user_fields: tuple[str, ...] = USER_FIELDS
    max_results: int | None = PAGE_SIZE

    @classmethod
    def bare(cls) -> TweetRequest:
        """X's defaults only (``id``, ``text``, ``edit_history_tweet_ids``), as in the recorded traffic."""
        return cls(expansions=(), tweet_fields=(), user_fields=(), max_results=None)

    def client_params(self) -> dict[str, Any]:
        """Keyword arguments for tweepy's ``Client`` methods (tweepy joins the lists with commas)."""
        params: dict[str, Any] = {}
        if self.expansions:
            params["expansions"] = list(self.expansions)
        if self.tweet_fields:
            params["tweet_fields"] = list(self.tweet_fields)
        if self.user_fields:
            params["user_fields"] = list(self.user_fields)
        if self.max_results is not None:
            params["max_results"] = self.max_results
        return params

    def query_params(self) -> dict[str, str]:
        """The same as URL query parameters (for the stream, which is read without tweepy)."""
        params: dict[str, str] = {}
        if self.expansions:
            params["expansions"] = ",".join(self.expansions)
        if self.tweet_fields:
            params["tweet.fields"] = ",".join(self.tweet_fields)
        if self.user_fields:
            params["user.fields"] = ",".join(self.user_fields)
        return params


DEFAULT_REQUEST = TweetRequest()


@dataclass(slots=True)
class Page:
    """One answer of a post endpoint, whatever tweepy's ``return_type``."""

    tweets: list[object] = field(default_factory=list)
    users: dict[str, JsonObject] = field(default_factory=dict)
    next_token: str | None = None
    errors: list[object] = field(default_factory=list)


def parse_page(response: object) -> Page:
    """Read a tweepy ``Response`` (default), a ``dict`` (``return_type=dict``) or a ``requests.Response``."""
    to_json = getattr(response, "json", None)
    if callable(to_json) and not isinstance(response, Mapping):
        response = to_json()
    if isinstance(response, Mapping):
        data, includes = response.get("data"), response.get("includes") or {}
        meta, errors = response.get("meta") or {}, response.get("errors") or []
    else:
        data, includes = getattr(response, "data", None), getattr(response, "includes", None) or {}
        meta, errors = getattr(response, "meta", None) or {}, getattr(response, "errors", None) or []
    if data is None:
        tweets: list[object] = []
    elif isinstance(data, list):
        tweets = list(data)
    else:
        tweets = [data]
    users = includes.get("users") if isinstance(includes, Mapping) else None
    token = meta.get("next_token") if isinstance(meta, Mapping) else None
    return Page(
        tweets=tweets,
        users=users_by_id(users if isinstance(users, list) else None),
        next_token=str(token) if token else None,
        errors=list(errors) if isinstance(errors, list) else [errors],
    )


def parse_checkpoint(checkpoint: str | None, key: str) -> str | None:
    """A saved position as a post id (``since_id``); ``None``/empty = from the start of the window."""
    if checkpoint is None or checkpoint == "":
        return None
    if not checkpoint.isascii() or not checkpoint.isdigit():
        raise ConfigError(f"checkpoint {checkpoint!r} of {key} is not an X post id: reset that checkpoint")
    return checkpoint


class PagedPostSource(Source):
    """A poll of an X post timeline, read newest first and yielded oldest first (see the module doc)."""

    endpoint: str = "posts"
    """Names the endpoint in logs and errors."""
    token_param: str = "pagination_token"
    """The keyword that carries ``meta.next_token`` into the next request."""

    def __init__(
        self,
        *,
        brand: str | None,
        rule_name: str,
        request: TweetRequest = DEFAULT_REQUEST,
        max_pages: int = MAX_PAGES_PER_POLL,
        budget: PostBudget | None = None,
        clock: Callable[[], datetime] = utcnow,
        sleep: Callable[[float], None] = time.sleep,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        if max_pages < 1:
            raise ValueError("max_pages must be at least 1")
        self.brand = brand
        self.rule_name = rule_name
        self.request = request
        self.max_pages = max_pages
        self.budget = budget
        self._clock = clock
        self._sleep = sleep
        self._wall_clock = wall_clock

    @abstractmethod
    def _request(self, params: dict[str, Any]) -> object:
        """One call of the endpoint with ``params`` (already holding since_id and the page token)."""

    def items(self, checkpoint: str | None, *, idle: bool = False) -> Iterator[SourceItem]:
        since_id = parse_checkpoint(checkpoint, self.checkpoint_key)
        yield from self.poll(since_id)

    def poll(self, since_id: str | None) -> list[SourceItem]:
        """Read the window after ``since_id`` and return its items oldest first (each checkpoint = its id)."""
        by_id: dict[str, object] = {}
        unidentified: list[object] = []
        users: dict[str, JsonObject] = {}
        pages = 0
        stopped: str | None = None
        token: str | None = None
        since = since_id
        while True:
            if self.budget is not None:
                try:
                    self.budget.check()
                except RateLimitError as exc:
                    if not pages:
                        raise  # nothing read yet: the checkpoint stays, the caller waits
                    stopped = f"post budget ({exc})"
                    break
            page, since = self._fetch(since, token)
            pages += 1
            if self.budget is not None:
                self.budget.charge(len(page.tweets))
            users.update(page.users)
            for tweet in page.tweets:
                post_id = post_id_of(tweet)
                if post_id is None:
                    unidentified.append(tweet)
                else:
                    by_id.setdefault(post_id, tweet)
            if page.errors:
                log.debug("source=%s page=%d partial_errors=%d", self.checkpoint_key, pages, len(page.errors))
            token = page.next_token
            if token is None:
                break
            if pages >= self.max_pages:
                stopped = f"page cap of {self.max_pages} pages"
                break
        ordered = sorted(by_id, key=int)
        if stopped is not None:
            log.warning(
                "source=%s poll cut short by the %s: posts after since_id=%s and before oldest_read=%s "
                "are not collected; poll more often or raise the cap",
                self.checkpoint_key,
                stopped,
                since or "start",
                ordered[0] if ordered else "none",
            )
        items = self._items(ordered, by_id, unidentified, users, since_id)
        log.info(
            "source=%s pages=%d posts=%d rejected=%d since_id=%s newest_id=%s cut=%s",
            self.checkpoint_key,
            pages,
            len(by_id) + len(unidentified),
            sum(isinstance(item, Rejected) for item in items),
            since_id or "start",
            ordered[-1] if ordered else since_id or "none",
            "yes" if stopped else "no",
        )
        return items

    def _items(
        self,
        ordered: list[str],
        by_id: Mapping[str, object],
        unidentified: Iterable[object],
        users: Mapping[str, JsonObject],
        since_id: str | None,
    ) -> list[SourceItem]:
        collected_at = self._clock()
        items: list[SourceItem] = [
            tweet_to_item(
                by_id[post_id],
                users,
                brand=self.brand,
                matched_rules=(self.rule_name,),
                collected_at=collected_at,
                checkpoint=post_id,
                location=f"{self.endpoint} post {post_id}",
            )
            for post_id in ordered
        ]
        last = ordered[-1] if ordered else since_id or ""
        for number, tweet in enumerate(unidentified, start=1):
            try:
                as_json_object(tweet)
                reason = f"post without a usable id: {_id_repr(tweet)}"
            except EventError as exc:
                reason = str(exc)
            items.append(
                Rejected(
                    raw=raw_json(tweet),
                    reason=reason,
                    location=f"{self.endpoint} unidentified post {number}",
                    checkpoint=last,
                )
            )
        return items

    def _fetch(self, since_id: str | None, token: str | None) -> tuple[Page, str | None]:
        """One page; a ``since_id`` X refuses as too old is dropped once (the gap is logged)."""
        params = self.request.client_params()
        if since_id is not None:
            params["since_id"] = since_id
        if token is not None:
            params[self.token_param] = token
        try:
            return parse_page(self._request(params)), since_id
        except XApiError as exc:
            if not (exc.status == 400 and since_id is not None and "since_id" in str(exc)):
                raise
        log.warning(
            "source=%s since_id=%s refused by X (older than the searchable window): reading the whole "
            "window; posts in between are lost",
            self.checkpoint_key,
            since_id,
        )
        params.pop("since_id")
        return parse_page(self._request(params)), None

    def _call(self, method: Callable[..., object], *args: Any, **params: Any) -> object:
        return call_x(
            method,
            *args,
            what=f"{self.endpoint} ({self.checkpoint_key})",
            sleep=self._sleep,
            clock=self._wall_clock,
            **params,
        )


def _id_repr(tweet: object) -> str:
    try:
        return repr(as_json_object(tweet).get("id"))
    except EventError:
        return "none"


class SearchClient(Protocol):
    def search_recent_tweets(self, query: str, **params: Any) -> object: ...


class XRecentSearchSource(PagedPostSource):
    """Posts of the last seven days matching an already compiled X search ``query``.

    ``rule_name`` names the query: it is the checkpoint key (``x:search:<rule_name>``) and the mention's
    ``matched_rules``. ``client`` is tweepy's ``Client`` (see :func:`~collectors.x.client.make_client`).
    """

    endpoint = "recent search"
    token_param = "next_token"

    def __init__(
        self,
        client: SearchClient,
        query: str,
        *,
        brand: str | None,
        rule_name: str,
        start_time: datetime | None = None,
        end_time: datetime | None = None,
        request: TweetRequest = DEFAULT_REQUEST,
        max_pages: int = MAX_PAGES_PER_POLL,
        budget: PostBudget | None = None,
        clock: Callable[[], datetime] = utcnow,
        sleep: Callable[[float], None] = time.sleep,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        if not query.strip():
            raise ConfigError(f"the X search query of rule {rule_name!r} is empty")
        super().__init__(
            brand=brand,
            rule_name=rule_name,
            request=request,
            max_pages=max_pages,
            budget=budget,
            clock=clock,
            sleep=sleep,
            wall_clock=wall_clock,
        )
        self.client = client
        self.query = query
        self.window = {
            name: value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            for name, value in (("start_time", start_time), ("end_time", end_time))
            if value is not None
        }

    @property
    def checkpoint_key(self) -> str:
        """A windowed search (a backfill) keeps its own position, apart from the live poll's."""
        if self.window:
            span = f"{self.window.get('start_time', '')}/{self.window.get('end_time', '')}"
            return f"x:search:{self.rule_name}:{span}"
        return f"x:search:{self.rule_name}"

    def _request(self, params: dict[str, Any]) -> object:
        return self._call(self.client.search_recent_tweets, self.query, **params, **self.window)


def search_backfill(*sources: PagedPostSource) -> Callable[[str], list[PostItem]]:
    """A gap filler for :class:`~collectors.x.stream.XFilteredStreamSource`: every post after ``since_id``
    found by ``sources`` (one per stream rule), merged oldest first.

    Give each source the stream rule's value as its query and the rule's tag as its ``rule_name``, so a
    backfilled mention carries the same ``matched_rules`` as a streamed one.
    """

    def backfill(since_id: str) -> list[PostItem]:
        items: list[PostItem] = []
        for source in sources:
            items.extend(item for item in source.poll(since_id) if not isinstance(item, Idle))
        items.sort(key=lambda item: int(item.checkpoint) if item.checkpoint.isdigit() else 0)
        return items

    return backfill
