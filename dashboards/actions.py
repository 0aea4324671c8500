"""Reply actions shared by the pages and the API: the same rules as the terminal (responders)."""

from __future__ import annotations

from typing import Literal

from dashboards.deps import Services, User
from responders.approval import Reply
from responders.case_target import draft_for_case
from responders.outbox import publish_approved
from socialcare.errors import NotAllowedError

Action = Literal["submit", "approve", "reject", "edit"]
ACTIONS: tuple[Action, ...] = ("submit", "approve", "reject", "edit")


def draft_reply(services: Services, user: User, case_id: str, text: str | None, situation: str = "general") -> Reply:
    """``text``, or when it is blank the template for ``situation``, signed with the user's initials."""
    written = text if text and text.strip() else None
    return draft_for_case(
        services.replies, case_id, user.id, written, situation=situation or "general", signature=_initials(user.id)
    )


def reply_action(
    services: Services, user: User, reply_id: str, action: str, *, text: str | None = None, reason: str | None = None
) -> Reply:
    store = services.replies
    if action == "submit":
        return store.submit(reply_id, user.id)
    if action == "approve":
        reply = store.approve(reply_id, user.id)
        with services.transport().producer() as producer:
            publish_approved(store, producer)  # the responder posts it; the outbox covers a crash here
        return reply
    if action == "reject":
        return store.reject(reply_id, user.id, reason or "")
    if action == "edit":
        return store.edit(reply_id, user.id, text or "")
    raise NotAllowedError(f"unknown action {action!r}; one of {', '.join(ACTIONS)}")


def _initials(user_id: str) -> str:
    parts = [part for part in user_id.replace(".", " ").replace("_", " ").split() if part]
    return "".join(part[0] for part in parts[:2]).upper() or user_id[:2].upper()
