"""Filtered-stream rules: list them, and bring socialcare's own rules in line with the desired set.

socialcare owns exactly the rules whose tag starts with the configured prefix (``x_rule_tag_prefix``,
default ``socialcare:``); :meth:`XStreamRules.sync` adds the desired rules that are missing, deletes its
own rules that are no longer desired (deletions first, to free room under the plan's rule count), and never
touches anyone else's rules. A rule is identified by its value and tag together, so changing either
replaces the rule.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import SecretStr

from collectors.x.client import XApiError, call_x
from socialcare.errors import ConfigError, MissingExtraError
from socialcare.settings import Settings

try:
    import requests
    import tweepy
except ModuleNotFoundError as exc:  # pragma: no cover - exercised only without the extra
    raise MissingExtraError("tweepy", "x") from exc

from collectors.x.limits import REST_CONNECT_TIMEOUT, REST_READ_TIMEOUT, parse_reset_header

log = logging.getLogger(__name__)

DEFAULT_API_BASE = "https://api.twitter.com"
RULES_PATH = "/2/tweets/search/stream/rules"
DEFAULT_TAG_PREFIX = "socialcare:"
DEFAULT_RULE_MAX_LENGTH = 512
USER_AGENT = "socialcare (+https://github.com/socialcare)"


@dataclass(frozen=True, slots=True)
class StreamRule:
    value: str
    tag: str | None = None
    id: str | None = None

    @property
    def key(self) -> tuple[str, str | None]:
        return (self.value, self.tag)


@dataclass(frozen=True, slots=True)
class RuleChanges:
    """What :meth:`XStreamRules.sync` did (or, with ``dry_run``, would do)."""

    added: tuple[StreamRule, ...] = ()
    deleted: tuple[StreamRule, ...] = ()
    kept: tuple[StreamRule, ...] = ()
    dry_run: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.added or self.deleted)


class XStreamRules:
    """The rules endpoints of the v2 filtered stream, over ``requests`` with the REST policy of
    :func:`~collectors.x.client.call_x` (5xx retried, 429 raised as ``RateLimitError``)."""

    def __init__(
        self,
        bearer_token: SecretStr | str,
        *,
        base_url: str = DEFAULT_API_BASE,
        tag_prefix: str = DEFAULT_TAG_PREFIX,
        max_rule_length: int = DEFAULT_RULE_MAX_LENGTH,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        if not tag_prefix:
            raise ConfigError("the rule tag prefix must not be empty: sync would treat every rule as its own")
        self._token = bearer_token if isinstance(bearer_token, SecretStr) else SecretStr(bearer_token)
        self.base_url = base_url.rstrip("/")
        self.tag_prefix = tag_prefix
        self.max_rule_length = max_rule_length
        self.session = session or requests.Session()
        self._sleep = sleep
        self._wall_clock = wall_clock

    @classmethod
    def from_settings(cls, settings: Settings, **options: Any) -> XStreamRules:
        if settings.x_bearer_token is None:
            raise ConfigError("SOCIALCARE_X_BEARER_TOKEN is not set: managing stream rules needs the bearer token")
        return cls(
            settings.x_bearer_token,
            base_url=settings.x_api_base_url,
            tag_prefix=settings.x_rule_tag_prefix,
            max_rule_length=settings.x_rule_max_length,
            **options,
        )

    def list(self) -> list[StreamRule]:
        """Every rule of the app (socialcare's and others')."""
        answer = self._send("GET", what="list stream rules")
        data = answer.get("data") or []
        return [_rule(item) for item in data if isinstance(item, Mapping)]

    def sync(self, desired: Iterable[tuple[str, str]], *, dry_run: bool = False) -> RuleChanges:
        """Make socialcare's rules exactly ``desired`` (``(value, tag)`` pairs, tags with the prefix)."""
        wanted = self._validated(desired)
        current = self.list()
        ours = [rule for rule in current if rule.tag is not None and rule.tag.startswith(self.tag_prefix)]
        kept: list[StreamRule] = []
        stale: list[StreamRule] = []
        present: set[tuple[str, str | None]] = set()
        for rule in ours:
            if rule.key in wanted and rule.key not in present:
                kept.append(rule)
                present.add(rule.key)
            else:
                stale.append(rule)  # no longer desired, or a duplicate of a kept rule
        missing = [StreamRule(value=value, tag=tag) for value, tag in wanted if (value, tag) not in present]
        params = {"dry_run": "true"} if dry_run else None
        if stale:
            ids = [rule.id for rule in stale if rule.id]
            self._send("POST", what="delete stream rules", params=params, json={"delete": {"ids": ids}})
        added: list[StreamRule] = []
        if missing:
            answer = self._send(
                "POST",
                what="add stream rules",
                params=params,
                json={"add": [{"value": rule.value, "tag": rule.tag} for rule in missing]},
            )
            refused = [error for error in answer.get("errors") or [] if isinstance(error, Mapping)]
            if refused:
                raise XApiError(
                    f"X refused {len(refused)} of {len(missing)} stream rules"
                    f"{' (dry run)' if dry_run else ''}"
                    f"{f' after deleting {len(stale)} stale ones' if stale and not dry_run else ''}: "
                    + "; ".join(_refusal(error) for error in refused)
                )
            created = {rule.key: rule for rule in map(_rule, answer.get("data") or []) if rule.value}
            added = [created.get(rule.key, rule) for rule in missing]
        changes = RuleChanges(added=tuple(added), deleted=tuple(stale), kept=tuple(kept), dry_run=dry_run)
        log.info(
            "x stream rules synced: added=%d deleted=%d kept=%d others=%d dry_run=%s",
            len(changes.added),
            len(changes.deleted),
            len(changes.kept),
            len(current) - len(ours),
            dry_run,
        )
        return changes

    def _validated(self, desired: Iterable[tuple[str, str]]) -> dict[tuple[str, str | None], None]:
        wanted: dict[tuple[str, str | None], None] = {}
        values: set[str] = set()
        for value, tag in desired:
            if not value.strip():
                raise ConfigError(f"stream rule {tag!r} has an empty value")
            if len(value) > self.max_rule_length:
                raise ConfigError(
                    f"stream rule {tag!r} is {len(value)} characters long; X accepts at most "
                    f"{self.max_rule_length} (SOCIALCARE_X_RULE_MAX_LENGTH)"
                )
            if not tag.startswith(self.tag_prefix):
                raise ConfigError(f"stream rule tag {tag!r} must start with {self.tag_prefix!r}")
            if value in values:
                raise ConfigError(f"stream rule value {value!r} is desired twice: X keeps one rule per value")
            values.add(value)
            wanted[(value, tag)] = None
        return wanted

    def _send(
        self,
        method: str,
        *,
        what: str,
        params: dict[str, str] | None = None,
        json: dict[str, Any] | None = None,
    ) -> Mapping[str, Any]:
        def send() -> Mapping[str, Any]:
            response = self.session.request(
                method,
                self.base_url + RULES_PATH,
                params=params,
                json=json,
                headers={
                    "Authorization": f"Bearer {self._token.get_secret_value()}",
                    "User-Agent": USER_AGENT,
                },
                timeout=(REST_CONNECT_TIMEOUT, REST_READ_TIMEOUT),
            )
            raise_for_x_status(response)
            answer = response.json()
            if not isinstance(answer, Mapping):
                raise XApiError(f"{what}: X answered {type(answer).__name__}, not a JSON object")
            return answer

        return call_x(send, what=what, sleep=self._sleep, clock=self._wall_clock)


def raise_for_x_status(response: requests.Response) -> None:
    """Raise tweepy's exception for an error status, as tweepy's ``Client`` would (for :func:`call_x`)."""
    status = response.status_code
    if status == 429:
        reset = parse_reset_header(response.headers.get("x-rate-limit-reset"))
        raise tweepy.TooManyRequests(response, reset_time=int(reset) if reset is not None else None)
    if status >= 500:
        raise tweepy.TwitterServerError(response)
    if not 200 <= status < 300:
        raise tweepy.HTTPException(response)


def _rule(item: Mapping[str, Any]) -> StreamRule:
    tag = item.get("tag")
    rule_id = item.get("id")
    return StreamRule(
        value=str(item.get("value", "")),
        tag=str(tag) if tag is not None else None,
        id=str(rule_id) if rule_id is not None else None,
    )


def _refusal(error: Mapping[str, Any]) -> str:
    what = error.get("value") or error.get("id") or "?"
    why = error.get("title") or "refused"
    details = error.get("details") or error.get("detail")
    if isinstance(details, list):
        details = ", ".join(map(str, details))
    return f"{what!r}: {why}{f' ({details})' if details else ''}"
