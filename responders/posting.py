"""The poster port: what the responder needs from a platform to post a reply exactly once.

A poster does two things: :meth:`Poster.post` makes one reply on the platform, and
:meth:`Poster.find_posted` looks through the brand account's recent replies for one already made (the
reconcile step after a crash or an ambiguous answer). Its errors say what the responder should do next:

- :class:`TransientPostError`: try again later (429, 5xx, network); ``retry_after`` when the platform said;
- :class:`PermanentPostError`: never try again (deleted target, locked thread, suspended account); the
  reason is shown to the agent;
- :class:`UnconfirmedPostError`: the platform may have posted it but did not say so; reconcile first
  (:class:`DuplicatePostError`: the platform says it already has this text from us).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from pydantic import SecretStr

from responders.length import urls_replaced, without_leading_mentions
from socialcare.errors import SocialcareError


@dataclass(frozen=True)
class PostTarget:
    platform: str
    in_reply_to_id: str
    """The platform's id of the post replied to: a tweet id, or a Reddit fullname (``t1_...``, ``t3_...``)."""
    account: str | None = None


@dataclass(frozen=True)
class Posted:
    platform_id: str
    url: str | None
    posted_at: datetime


class PostError(SocialcareError):
    """Posting a reply did not succeed; the subclass says whether to retry, give up, or reconcile."""


class TransientPostError(PostError):
    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PermanentPostError(PostError):
    """The platform refused the reply for good; the message is the reason the agent reads."""


class UnconfirmedPostError(TransientPostError):
    """The platform's answer does not say whether the reply exists: look before posting again."""


class DuplicatePostError(UnconfirmedPostError):
    """The platform refuses the text as a duplicate of the account's own post: an earlier attempt went
    through, so reconciling should find it."""


class Poster(Protocol):
    platform: str

    def post(self, target: PostTarget, text: str, idempotency_key: str) -> Posted: ...

    def find_posted(self, target: PostTarget, text: str, since: datetime) -> Posted | None: ...


POSTING_SETTINGS: dict[str, tuple[str, ...]] = {
    "x": ("x_consumer_key", "x_consumer_secret", "x_access_token", "x_access_token_secret"),
    "reddit": ("reddit_client_id", "reddit_client_secret", "reddit_username", "reddit_password"),
}
"""The settings a platform needs to post as the brand account."""


def missing_posting_settings(settings: object, platform: str) -> list[str]:
    """The environment variables still to set before ``platform`` can be posted to (blank counts as unset:
    ``.env`` files often hold ``KEY=`` lines for what is not configured)."""
    return [
        f"SOCIALCARE_{name.upper()}" for name in POSTING_SETTINGS[platform] if not _configured(getattr(settings, name))
    ]


def _configured(value: object) -> bool:
    if isinstance(value, SecretStr):
        value = value.get_secret_value()
    return isinstance(value, str) and bool(value.strip())


def same_reply_text(ours: str, theirs: str) -> bool:
    """Whether a post on the platform is our reply: platforms rewrite URLs (t.co), escape ``&<>``, prefix
    the @handles of a thread and trim whitespace, so those differences are ignored."""
    return _comparable(ours) == _comparable(theirs)


def _comparable(text: str) -> str:
    text = html.unescape(text).strip()
    text = without_leading_mentions(text)
    text = urls_replaced(text, "<url>")  # X links every URL (bare domains too) through t.co
    return " ".join(text.split())
