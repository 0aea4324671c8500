"""Replies on Reddit through praw: ``comment.reply`` or ``submission.reply`` as the brand account.

The target is a Reddit fullname (``t1_`` a comment, ``t3_`` a submission). praw answers ``None`` when
Reddit created the comment but did not hand it back (a quarantined subreddit, for one): that reply is
unconfirmed, and reconciling reads the account's newest comments for one under the same parent with the
same body.

Reddit's answers: ``RATELIMIT`` ("take a break for 5 minutes") and 429 -> transient with the wait it
names; 5xx and network trouble -> unconfirmed; ``DELETED_COMMENT``, ``THREAD_LOCKED``, ``TOO_OLD``, a
banned or blocked account, 403 and 404 -> permanent with Reddit's message; 401 -> the login is wrong.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from collectors.reddit.client import reddit_from_settings
from collectors.reddit.normalize import REDDIT_URL
from responders.length import reddit_markdown
from responders.posting import (
    PermanentPostError,
    Posted,
    PostTarget,
    TransientPostError,
    UnconfirmedPostError,
    same_reply_text,
)
from socialcare.errors import ConfigError, MissingExtraError, PlatformUnavailableError
from socialcare.settings import Settings

try:
    import praw
    import prawcore
    from praw.exceptions import RedditAPIException
except ModuleNotFoundError as exc:  # pragma: no cover - exercised only without the extra
    raise MissingExtraError("praw", "reddit") from exc

RECONCILE_LIMIT = 100
"""The account's newest comments searched for an earlier attempt."""

_WAIT = re.compile(r"(\d+)\s*(second|minute|hour)", re.IGNORECASE)
_WAIT_UNIT_S = {"second": 1, "minute": 60, "hour": 3600}


class RedditPoster:
    platform = "reddit"

    def __init__(self, reddit: praw.Reddit) -> None:
        self.reddit = reddit

    @classmethod
    def from_settings(cls, settings: Settings) -> RedditPoster:
        if settings.reddit_username is None:
            raise ConfigError(
                "posting on Reddit needs the brand account's login: set SOCIALCARE_REDDIT_USERNAME and "
                "SOCIALCARE_REDDIT_PASSWORD (a script app)"
            )
        return cls(reddit_from_settings(settings))

    def post(self, target: PostTarget, text: str, idempotency_key: str) -> Posted:
        parent = self._parent(target.in_reply_to_id)
        comment = self._call(parent.reply, reddit_markdown(text))
        if comment is None:
            raise UnconfirmedPostError(f"Reddit took the reply to {target.in_reply_to_id} but did not return it")
        return _posted(vars(comment))

    def find_posted(self, target: PostTarget, text: str, since: datetime) -> Posted | None:
        me = self._call(self.reddit.user.me)
        if me is None:
            raise PlatformUnavailableError("Reddit has no logged-in account: check SOCIALCARE_REDDIT_USERNAME")
        floor = since.timestamp() - 60
        for comment in self._call(lambda: list(me.comments.new(limit=RECONCILE_LIMIT))):
            data = vars(comment)
            if data.get("created_utc", 0) < floor:
                break  # newest first: nothing older can be ours
            if data.get("parent_id") == target.in_reply_to_id and same_reply_text(text, data.get("body", "")):
                return _posted(data)
        return None

    def _parent(self, fullname: str) -> Any:
        kind, _, base36 = fullname.partition("_")
        if kind == "t1" and base36:
            return self.reddit.comment(id=base36)
        if kind == "t3" and base36:
            return self.reddit.submission(id=base36)
        raise PermanentPostError(f"{fullname!r} is not a Reddit comment (t1_...) or submission (t3_...)")

    @staticmethod
    def _call(method: Any, *args: Any) -> Any:
        try:
            return method(*args)
        except RedditAPIException as exc:
            items = list(exc.items)
            rate = next((item for item in items if item.error_type == "RATELIMIT"), None)
            if rate is not None:
                message = rate.message or "rate limited"
                raise TransientPostError(f"Reddit: {message}", retry_after=_wait_s(message)) from exc
            reasons = "; ".join(f"{item.error_type}: {item.message}" for item in items)
            raise PermanentPostError(f"Reddit refused the reply: {reasons}") from exc
        except prawcore.TooManyRequests as exc:
            raise TransientPostError("Reddit rate limit (429)", retry_after=60.0) from exc
        except (prawcore.OAuthException, prawcore.InvalidToken) as exc:
            raise PlatformUnavailableError(
                "Reddit refused the brand account's login: check SOCIALCARE_REDDIT_CLIENT_ID, "
                "SOCIALCARE_REDDIT_USERNAME and their secrets; the replies wait until the responder restarts"
            ) from exc
        except (prawcore.ServerError, prawcore.RequestException) as exc:
            raise UnconfirmedPostError(f"Reddit did not answer cleanly ({type(exc).__name__})") from exc
        except (prawcore.Forbidden, prawcore.NotFound, prawcore.BadRequest) as exc:
            raise PermanentPostError(f"Reddit refused the reply ({exc.response.status_code})") from exc


def _posted(data: dict[str, Any]) -> Posted:
    comment_id = str(data["id"])
    link = str(data.get("link_id", "")).removeprefix("t3_")
    subreddit = getattr(data.get("subreddit"), "display_name", data.get("subreddit"))
    url = f"{REDDIT_URL}/r/{subreddit}/comments/{link}/comment/{comment_id}/" if subreddit and link else None
    created = data.get("created_utc")
    posted_at = datetime.fromtimestamp(float(created), UTC) if created else datetime.now(UTC)
    return Posted(f"t1_{comment_id}", url, posted_at)


def _wait_s(message: str) -> float:
    match = _WAIT.search(message)
    return float(int(match.group(1)) * _WAIT_UNIT_S[match.group(2).lower()]) if match else 60.0
