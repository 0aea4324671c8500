"""Reddit comments and submissions as :class:`~socialcare.models.Mention` events (pure functions).

Works on praw's ``Comment`` and ``Submission`` objects, reading only the data Reddit already sent
(``vars(item)``): touching a missing attribute of a praw object would make praw fetch it, one request per
item. Any object with the same attributes (a ``SimpleNamespace`` in a test) works as well.

========================  =====================================================================
field                     from
========================  =====================================================================
``id``                    ``reddit:<fullname>`` (``t1_...`` comment, ``t3_...`` submission)
``url``                   ``https://www.reddit.com`` + permalink without its query; comments from the
                          inbox carry ``context`` instead, old listings neither (then it is built as
                          ``/r/<sub>/comments/<link>/_/<id>/``)
``text``                  comment: ``body``; self post: ``title`` + blank line + ``selftext``; link post:
                          ``title`` + blank line + the link. Edited items keep the current text. Longer
                          than ``MAX_TEXT_CHARS`` (a 300-character title over a 40,000-character self
                          post): cut, ending with an ellipsis
``created_at``            ``created_utc`` as UTC
``author``                id and handle = the redditor's name (permanent on Reddit; the ``t2_`` id would
                          cost a request per author); deleted: ``Author(id="[deleted]")``
``metrics``               likes = ``score`` clamped at 0; replies = ``num_comments`` (submissions);
                          reposts = ``num_crossposts`` where Reddit sends it
``conversation_id``       ``reddit:<link_id>`` for a comment, the submission's own id for a submission
``in_reply_to``           ``reddit:<parent_id>`` for a comment; ``None`` for a submission
``lang``                  ``None``: Reddit does not say
========================  =====================================================================

Deleted and removed items: their text is gone (``[deleted]``, ``[removed]``), and a reply to them is
impossible, so a source does not publish them as mentions. :func:`removal_reason` names why
(``deleted by author``, ``removed by moderators``, ``removed (<category>)``); the sources turn a deleted
item that matched the brand query into a ``Rejected`` with that reason, so it lands in the dead-letter
topic instead of vanishing.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Final, Literal
from urllib.parse import urlsplit

from pydantic import ValidationError

from socialcare.errors import EventError
from socialcare.models import (
    MAX_TEXT_CHARS,
    Author,
    Mention,
    Metrics,
    describe_validation_error,
    mention_id,
)

SOURCE: Final = "reddit"
REDDIT_URL: Final = "https://www.reddit.com"
DELETED: Final = "[deleted]"
REMOVED: Final = "[removed]"
DELETED_AUTHOR: Final = Author(id=DELETED)

Kind = Literal["comment", "submission"]
_KIND_PREFIX: Final[dict[str, Kind]] = {"t1": "comment", "t3": "submission"}


def item_data(item: Any) -> dict[str, Any]:
    """The attributes Reddit sent for ``item``, without praw's private ones; never triggers a fetch."""
    return {key: value for key, value in vars(item).items() if not key.startswith("_")}


def fullname_of(item: Any) -> str:
    """``t1_<id>`` or ``t3_<id>``."""
    data = item_data(item)
    name = data.get("name")
    if isinstance(name, str) and name[:2] in _KIND_PREFIX and name[2:3] == "_":
        return name
    prefix = {"Comment": "t1", "Submission": "t3"}.get(type(item).__name__)
    if prefix is None or not data.get("id"):
        what = name if isinstance(name, str) and name else "without a fullname"
        raise EventError(f"not a Reddit comment or submission: {type(item).__name__} {what}")
    return f"{prefix}_{data['id']}"


def kind_of(fullname: str) -> Kind:
    kind = _KIND_PREFIX.get(fullname[:2])
    if kind is None:
        raise EventError(f"{fullname!r} is neither a comment (t1_) nor a submission (t3_)")
    return kind


def created_utc_of(item: Any) -> float:
    value = item_data(item).get("created_utc")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise EventError(f"{fullname_of(item)} has no created_utc")
    return float(value)


def raw_bytes(item: Any) -> bytes:
    """The item's data as JSON, for the dead-letter topic (praw objects appear by name)."""
    return json.dumps(item_data(item), default=str, ensure_ascii=False, sort_keys=True).encode("utf-8")


def removal_reason(item: Any) -> str | None:
    """Why the item's text is gone, or ``None`` when it is there."""
    data = item_data(item)
    if kind_of(fullname_of(item)) == "comment":
        body = data.get("body")
        if body == DELETED:
            return "deleted by author"
        if body == REMOVED:
            return "removed by moderators"
        return None
    category = data.get("removed_by_category")
    if isinstance(category, str) and category:
        return "deleted by author" if category in {"deleted", "author"} else f"removed ({category})"
    selftext = data.get("selftext")
    if selftext == DELETED:
        return "deleted by author"
    if selftext == REMOVED:
        return "removed by moderators"
    return None


def to_mention(
    item: Any,
    *,
    collected_at: datetime,
    brand: str | None = None,
    matched_rules: Sequence[str] = (),
) -> Mention:
    """The :class:`Mention` for a praw ``Comment`` or ``Submission``; :class:`EventError` if it cannot be."""
    data = item_data(item)
    fullname = fullname_of(item)
    kind = kind_of(fullname)
    created = datetime.fromtimestamp(created_utc_of(item), UTC)
    if kind == "comment":
        text = _str(data.get("body"))
        link_id = _link_id(data)
        parent_id = data.get("parent_id")
        conversation = mention_id(SOURCE, link_id) if link_id else None
        in_reply_to = mention_id(SOURCE, parent_id) if isinstance(parent_id, str) and parent_id else None
        replies = 0
        url = _comment_url(data, link_id)
    else:
        text = _submission_text(data)
        conversation = mention_id(SOURCE, fullname)
        in_reply_to = None
        replies = _count(data.get("num_comments"))
        url = _url(data.get("permalink"))
    if len(text) > MAX_TEXT_CHARS:
        text = text[: MAX_TEXT_CHARS - 1] + "…"
    try:
        return Mention(
            id=mention_id(SOURCE, fullname),
            source=SOURCE,
            source_id=fullname,
            url=url,
            text=text,
            created_at=created,
            collected_at=collected_at,
            author=_author(data.get("author")),
            metrics=Metrics(
                likes=_count(data.get("score")),
                replies=replies,
                reposts=_count(data.get("num_crossposts")),
            ),
            conversation_id=conversation,
            in_reply_to=in_reply_to,
            brand=brand,
            matched_rules=tuple(matched_rules),
            lang=None,
        )
    except ValidationError as exc:
        raise EventError(f"{fullname}: {describe_validation_error(exc)}") from exc


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


def _count(value: object) -> int:
    """A non-negative count: scores below zero (downvoted) count as no likes."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0
    return max(int(value), 0)


def _author(value: object) -> Author:
    # praw turns "author" into a Redditor, or None when it was "[deleted]"; str(Redditor) is the name.
    name = None if value is None else str(value)
    if not name or name == DELETED:
        return DELETED_AUTHOR
    return Author(id=name, handle=name)


def _submission_text(data: dict[str, Any]) -> str:
    title = _str(data.get("title"))
    body = _str(data.get("selftext") if data.get("is_self", True) else data.get("url"))
    if not body.strip():
        return title
    return f"{title}\n\n{body}" if title.strip() else body


def _link_id(data: dict[str, Any]) -> str | None:
    """The submission of a comment: ``link_id``, or from the ``context`` path of an inbox comment."""
    link_id = data.get("link_id")
    if isinstance(link_id, str) and link_id.startswith("t3_"):
        return link_id
    for path in (data.get("context"), data.get("permalink")):
        parts = urlsplit(path).path.strip("/").split("/") if isinstance(path, str) else []
        if "comments" in parts and parts.index("comments") + 1 < len(parts):
            return "t3_" + parts[parts.index("comments") + 1]
    return None


def _url(path: object) -> str | None:
    if not isinstance(path, str) or not path:
        return None
    parts = urlsplit(path)
    if parts.netloc:
        return parts._replace(query="", fragment="").geturl()
    return REDDIT_URL + parts.path


def _comment_url(data: dict[str, Any], link_id: str | None) -> str | None:
    for key in ("permalink", "context"):
        url = _url(data.get(key))
        if url:
            return url
    subreddit = data.get("subreddit")
    comment_id = data.get("id")
    if subreddit is None or not link_id or not comment_id:
        return None
    return f"{REDDIT_URL}/r/{subreddit}/comments/{link_id.removeprefix('t3_')}/_/{comment_id}/"
