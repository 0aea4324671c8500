"""The brand account's mentions timeline, and the user lookup that finds the account's id.

:class:`XMentionsSource` polls ``GET /2/users/:id/mentions`` exactly like recent search (see
:mod:`collectors.x.search`): every page of the window after the ``since_id`` checkpoint, yielded oldest
first. Resolve the account's id once with :func:`resolve_user_id` and keep it: handles can change, ids not.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Protocol

from collectors.x.client import call_x
from collectors.x.limits import MAX_PAGES_PER_POLL, PostBudget
from collectors.x.normalize import as_json_object
from collectors.x.search import DEFAULT_REQUEST, PagedPostSource, TweetRequest
from socialcare.errors import ConfigError, EventError
from socialcare.models import utcnow


class MentionsClient(Protocol):
    def get_users_mentions(self, id: str, **params: Any) -> object: ...


class UserLookupClient(Protocol):
    def get_user(self, *, username: str, **params: Any) -> object: ...


class XMentionsSource(PagedPostSource):
    """Posts that mention the X account ``user_id`` (its numeric id, see :func:`resolve_user_id`).

    The checkpoint key is ``x:mentions:<user_id>``; ``matched_rules`` is ``rule_name`` (default
    ``mentions:<user_id>``).
    """

    endpoint = "mentions"
    token_param = "pagination_token"

    def __init__(
        self,
        client: MentionsClient,
        user_id: str,
        *,
        brand: str | None,
        rule_name: str | None = None,
        request: TweetRequest = DEFAULT_REQUEST,
        max_pages: int = MAX_PAGES_PER_POLL,
        budget: PostBudget | None = None,
        clock: Callable[[], datetime] = utcnow,
        sleep: Callable[[float], None] = time.sleep,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        user_id = str(user_id)
        if not user_id.isascii() or not user_id.isdigit():
            raise ConfigError(f"X user id {user_id!r} is not numeric: resolve the handle with resolve_user_id")
        super().__init__(
            brand=brand,
            rule_name=rule_name or f"mentions:{user_id}",
            request=request,
            max_pages=max_pages,
            budget=budget,
            clock=clock,
            sleep=sleep,
            wall_clock=wall_clock,
        )
        self.client = client
        self.user_id = user_id

    @property
    def checkpoint_key(self) -> str:
        return f"x:mentions:{self.user_id}"

    def _request(self, params: dict[str, Any]) -> object:
        return self._call(self.client.get_users_mentions, self.user_id, **params)


def resolve_user_id(
    client: UserLookupClient,
    username: str,
    *,
    sleep: Callable[[float], None] = time.sleep,
    wall_clock: Callable[[], float] = time.time,
) -> str:
    """The numeric id of the account ``@username`` (user lookup by username)."""
    handle = username.strip().removeprefix("@")
    if not handle:
        raise ConfigError("the X account handle is empty")
    response = call_x(client.get_user, username=handle, what=f"user lookup @{handle}", sleep=sleep, clock=wall_clock)
    if isinstance(response, Mapping):
        data, errors = response.get("data"), response.get("errors")
    else:
        data, errors = getattr(response, "data", None), getattr(response, "errors", None)
    try:
        user = as_json_object(data, "user") if data is not None else None
    except EventError:
        user = None
    user_id = str(user.get("id", "")) if user is not None else ""
    if not user_id.isdigit():
        detail = "; ".join(_error_text(error) for error in errors or []) or "no user in the answer"
        raise ConfigError(f"X has no account @{handle}: {detail}")
    return user_id


def _error_text(error: object) -> str:
    if isinstance(error, Mapping):
        return str(error.get("detail") or error.get("title") or error)
    return str(error)
