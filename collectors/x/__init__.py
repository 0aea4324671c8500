"""The X (Twitter) collector, on the X API v2 through tweepy's ``Client`` (extra ``x``).

Sources (each a :class:`~collectors.base.Source`; they take already compiled X query strings and rule
values, so they do not depend on the query language):

- :class:`XRecentSearchSource` polls recent search for one query (checkpoint: ``since_id``);
- :class:`XMentionsSource` polls the brand account's mentions (find its id with :func:`resolve_user_id`);
- :class:`XFilteredStreamSource` reads the filtered stream and keeps its rules in sync
  (:class:`XStreamRules`), backfilling reconnect gaps with recent search (:func:`search_backfill`).

Limits (rate limits, retries, reconnects, the monthly post budget) are in :mod:`collectors.x.limits`;
normalisation of posts into mentions is the pure :func:`tweet_to_mention`.
"""

from collectors.x.client import XApiError, call_x, make_client
from collectors.x.limits import BudgetStore, MemoryBudgetStore, PostBudget, ReconnectBackoff
from collectors.x.mentions import XMentionsSource, resolve_user_id
from collectors.x.normalize import tweet_to_item, tweet_to_mention, users_by_id
from collectors.x.rules import RuleChanges, StreamRule, XStreamRules
from collectors.x.search import TweetRequest, XRecentSearchSource, search_backfill
from collectors.x.stream import XFilteredStreamSource

__all__ = [
    "BudgetStore",
    "MemoryBudgetStore",
    "PostBudget",
    "ReconnectBackoff",
    "RuleChanges",
    "StreamRule",
    "TweetRequest",
    "XApiError",
    "XFilteredStreamSource",
    "XMentionsSource",
    "XRecentSearchSource",
    "XStreamRules",
    "call_x",
    "make_client",
    "resolve_user_id",
    "search_backfill",
    "tweet_to_item",
    "tweet_to_mention",
    "users_by_id",
]
