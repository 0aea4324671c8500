"""Reddit collector: subreddit streams, search and username mentions as ``mentions.raw`` events.

- :mod:`~collectors.reddit.normalize`: praw ``Comment``/``Submission`` -> :class:`~socialcare.models.Mention`
  (pure);
- :mod:`~collectors.reddit.sources`: :class:`SubredditStreamSource`, :class:`RedditSearchSource`,
  :class:`RedditInboxMentionsSource` (each a :class:`~collectors.base.Source`);
- :mod:`~collectors.reddit.checkpoint`: the JSON position that makes restarts exact;
- :mod:`~collectors.reddit.backoff`: which errors are retried, how long to wait, what to fix otherwise;
- :mod:`~collectors.reddit.client`: a praw client from the settings.

Needs the ``reddit`` extra (``pip install 'socialcare[reddit]'``).
"""

from __future__ import annotations

from collectors.reddit.checkpoint import Watermark
from collectors.reddit.client import reddit_from_settings
from collectors.reddit.normalize import removal_reason, to_mention
from collectors.reddit.sources import (
    USERNAME_MENTION_RULE,
    Matcher,
    RedditInboxMentionsSource,
    RedditSearchSource,
    SubredditStreamSource,
    match_everything,
)

__all__ = [
    "USERNAME_MENTION_RULE",
    "Matcher",
    "RedditInboxMentionsSource",
    "RedditSearchSource",
    "SubredditStreamSource",
    "Watermark",
    "match_everything",
    "reddit_from_settings",
    "removal_reason",
    "to_mention",
]
