"""The reply approval state machine, in SQL, with every step (and every refusal) in the audit log.

    draft --submit--> pending_approval --approve--> approved --start_posting--> posting --> posted | failed
                            |    ^                     |
                       reject|    |edit (back for      |edit (the approval is void:
                            v    |    approval)        v     it goes back for approval)
                        rejected --edit--> draft

Who may do what:

- an *agent* writes drafts, edits them and submits them; an *approver* or *admin* also approves and
  rejects; the author of a draft can never approve it, whatever their role;
- only approved replies may be posted (``start_posting`` is the responder's, as ``system``); a rejected or
  edited reply cannot be posted until it is approved again;
- every transition and every refusal is one row of ``audit_log`` (who, when, what changed or why not);
  the database refuses to update or delete those rows (migration 0005).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal, NoReturn

from sqlalchemy import Connection, Engine, insert, select, update

from responders.length import fit_for
from socialcare.errors import ConcurrentChangeError, NotAllowedError
from socialcare.models import utcnow
from socialcare.store.audit import append_audit
from socialcare.store.db import upsert
from socialcare.store.schema import audit_log, cases, replies, users

Role = Literal["agent", "approver", "admin"]
Status = Literal["draft", "pending_approval", "approved", "posting", "posted", "failed", "rejected"]
SYSTEM = "system"
APPROVERS = frozenset({"approver", "admin"})
EDITABLE = frozenset({"draft", "pending_approval", "approved", "rejected"})


@dataclass(frozen=True)
class Reply:
    id: str
    case_id: str
    platform: str
    in_reply_to_id: str
    text: str
    status: Status
    author: str
    approved_by: str | None
    reason: str | None
    idempotency_key: str
    version: int
    attempts: int = 0
    posting_started_at: datetime | None = None
    published_at: datetime | None = None
    platform_post_id: str | None = None
    platform_url: str | None = None
    posted_at: datetime | None = None
    updated_at: datetime | None = None


def check(action: str, reply: Reply, actor: str, role: Role | None) -> None:
    """Raise :class:`NotAllowedError` with the reason when ``actor`` may not do ``action`` to ``reply``."""
    if actor != SYSTEM and role is None:
        raise NotAllowedError(f"{actor} is not a socialcare user; an admin must add them first")
    if action == "submit" and reply.status != "draft":
        raise NotAllowedError(f"only a draft can be submitted; this reply is {reply.status}")
    if action in {"approve", "reject"}:
        if role not in APPROVERS:
            raise NotAllowedError(f"{actor} is an agent; ask an approver to {action} this reply")
        if actor == reply.author:
            raise NotAllowedError(f"{actor} wrote this reply; a second person must {action} it")
        if reply.status != "pending_approval":
            raise NotAllowedError(f"only a reply waiting for approval can be {action}d; this one is {reply.status}")
    if action == "edit" and reply.status not in EDITABLE:
        raise NotAllowedError(f"a reply that is {reply.status} can no longer be edited")
    if action == "start_posting":
        if actor != SYSTEM:
            raise NotAllowedError("replies are posted by the responder, after approval")
        if reply.status != "approved":
            raise NotAllowedError(f"only an approved reply can be posted; this one is {reply.status}")
    if action in {"attempt", "posted", "failed"} and (actor != SYSTEM or reply.status != "posting"):
        raise NotAllowedError(f"only the responder records {action} on a reply that is posting")
    if action == "published" and (actor != SYSTEM or reply.status != "approved"):
        raise NotAllowedError("only an approved reply's event is published, by the system")


class ReplyStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # users ------------------------------------------------------------------------------------------------
    def add_user(self, user_id: str, role: Role, *, by: str = SYSTEM) -> None:
        with self.engine.begin() as connection:
            upsert(connection, users, [{"id": user_id, "role": role, "created_at": utcnow()}], key=["id"])
            append_audit(connection, by, "add_user", {"user": user_id, "role": role})

    # transitions -----------------------------------------------------------------------------------------
    def create_draft(
        self, case_id: str, platform: str, in_reply_to_id: str, text: str, author: str, now: datetime | None = None
    ) -> Reply:
        now = now or utcnow()
        reply_id = f"reply:{uuid.uuid4().hex[:16]}"
        with self.engine.connect() as connection:
            is_user = self._role(connection, author) is not None
        if not is_user:
            self._refuse(
                author, "create_draft", None, f"{author} is not a socialcare user; an admin must add them first"
            )
        fit = fit_for(platform, text)
        if not fit.fits:
            self._refuse(author, "create_draft", None, fit.reason)
        with self.engine.begin() as connection:
            row = {
                "id": reply_id,
                "case_id": case_id,
                "platform": platform,
                "in_reply_to_id": in_reply_to_id,
                "text": text,
                "status": "draft",
                "author": author,
                "idempotency_key": f"{reply_id}:{uuid.uuid4().hex}",
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
            connection.execute(insert(replies).values(**row))
            append_audit(connection, author, "create_draft", {"after": {"text": text}}, reply_id=reply_id)
        return self.get(reply_id)

    def submit(self, reply_id: str, actor: str) -> Reply:
        return self._transition(reply_id, actor, "submit", {"status": "pending_approval"})

    def approve(self, reply_id: str, actor: str) -> Reply:
        changes = {"status": "approved", "approved_by": actor, "published_at": None}
        return self._transition(reply_id, actor, "approve", changes)

    def reject(self, reply_id: str, actor: str, reason: str) -> Reply:
        if not reason.strip():
            raise NotAllowedError("say why the reply is rejected, so its author can fix it")
        return self._transition(reply_id, actor, "reject", {"status": "rejected", "reason": reason})

    def edit(self, reply_id: str, actor: str, text: str) -> Reply:
        fit = fit_for(self.get(reply_id).platform, text)
        if not fit.fits:
            self._refuse(actor, "edit", reply_id, fit.reason)

        def changes(current: Reply) -> dict[str, Any]:  # read in the same transaction as the write
            status: Status = "draft" if current.status in {"draft", "rejected"} else "pending_approval"
            return {"text": text, "status": status, "approved_by": None, "published_at": None}

        return self._transition(reply_id, actor, "edit", changes)

    def mark_published(self, reply_id: str) -> Reply:
        """The outbox mark: this approval's ``replies.approved`` event is on the topic."""
        return self._transition(reply_id, SYSTEM, "published", {"published_at": utcnow()})

    def start_posting(self, reply_id: str) -> Reply:
        changes = {"status": "posting", "posting_started_at": utcnow(), "attempts": 0}
        return self._transition(reply_id, SYSTEM, "start_posting", changes)

    def record_attempt(self, reply_id: str) -> Reply:
        """Committed before each platform call: from now on the reply may exist on the platform.

        The version check makes this a claim: of two responders holding the same reply, one fails here.
        """
        return self._transition(reply_id, SYSTEM, "attempt", lambda reply: {"attempts": reply.attempts + 1})

    def mark_posted(
        self, reply_id: str, platform_post_id: str, url: str | None, posted_at: datetime, *, found: bool = False
    ) -> Reply:
        """Posted; ``found`` when reconciling found an earlier attempt's post on the platform."""
        changes = {
            "status": "posted",
            "platform_post_id": platform_post_id,
            "platform_url": url,
            "posted_at": posted_at,
            "reason": "found on the platform after an interrupted attempt" if found else None,
        }

        def first_response(connection: Connection, reply: Reply) -> None:  # stops the case's first-response clock
            connection.execute(
                update(cases)
                .where(cases.c.id == reply.case_id, cases.c.first_responded_at.is_(None))
                .values(first_responded_at=posted_at)
            )

        return self._transition(reply_id, SYSTEM, "posted", changes, also=first_response)

    def mark_failed(self, reply_id: str, reason: str) -> Reply:
        return self._transition(reply_id, SYSTEM, "failed", {"status": "failed", "reason": reason})

    # reading ---------------------------------------------------------------------------------------------
    def get(self, reply_id: str) -> Reply:
        with self.engine.connect() as connection:
            return self._get(connection, reply_id)

    def recent(self, status: str | None = None, limit: int = 100) -> list[Reply]:
        query = select(replies).order_by(replies.c.updated_at.desc()).limit(limit)
        if status is not None:
            query = query.where(replies.c.status == status)
        with self.engine.connect() as connection:
            return [_reply(row) for row in connection.execute(query).mappings()]

    def unpublished_approved(self) -> list[Reply]:
        """Approved replies whose event has not gone out (the outbox), oldest first."""
        query = (
            select(replies)
            .where(replies.c.status == "approved", replies.c.published_at.is_(None))
            .order_by(replies.c.updated_at)
        )
        with self.engine.connect() as connection:
            return [_reply(row) for row in connection.execute(query).mappings()]

    def audit(self, reply_id: str) -> list[dict[str, Any]]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(audit_log).where(audit_log.c.reply_id == reply_id).order_by(audit_log.c.id)
            ).mappings()
            return [dict(row) for row in rows]

    # ------------------------------------------------------------------------------------------------------
    def _transition(
        self,
        reply_id: str,
        actor: str,
        action: str,
        changes_for: dict[str, Any] | Callable[[Reply], dict[str, Any]],
        also: Callable[[Connection, Reply], None] | None = None,
    ) -> Reply:
        refused: NotAllowedError | None = None
        with self.engine.begin() as connection:
            reply = self._get(connection, reply_id)
            try:
                check(action, reply, actor, self._role(connection, actor))
            except NotAllowedError as refusal:
                append_audit(connection, actor, action, {"reason": str(refusal)}, reply_id=reply_id, outcome="refused")
                refused = refusal
            else:
                changes = changes_for(reply) if callable(changes_for) else changes_for
                before = {key: getattr(reply, key) for key in changes}
                now = utcnow()
                written = connection.execute(
                    update(replies)
                    .where(replies.c.id == reply_id, replies.c.version == reply.version)
                    .values(**changes, version=reply.version + 1, updated_at=now)
                )
                if written.rowcount != 1:  # someone else changed it since it was read: nothing is written
                    raise ConcurrentChangeError(f"{reply_id} changed while {actor} tried to {action} it; reload it")
                if also is not None:
                    also(connection, reply)
                append_audit(
                    connection,
                    actor,
                    action,
                    {"before": _jsonable(before), "after": _jsonable(changes)},
                    reply_id=reply_id,
                )
                reply = replace(reply, **changes, version=reply.version + 1, updated_at=now)  # as written
        if refused is not None:  # raised after the commit, so the refusal stays in the audit log
            raise refused
        return reply

    def _refuse(self, actor: str, action: str, reply_id: str | None, reason: str) -> NoReturn:
        """Record the refusal (committed on its own) and raise it."""
        with self.engine.begin() as connection:
            append_audit(connection, actor, action, {"reason": reason}, reply_id=reply_id, outcome="refused")
        raise NotAllowedError(reason)

    @staticmethod
    def _get(connection: Connection, reply_id: str) -> Reply:
        row = connection.execute(select(replies).where(replies.c.id == reply_id)).mappings().first()
        if row is None:
            raise NotAllowedError(f"there is no reply {reply_id}")
        return _reply(row)

    @staticmethod
    def _role(connection: Connection, user_id: str) -> Role | None:
        if user_id == SYSTEM:
            return None
        role: Role | None = connection.execute(select(users.c.role).where(users.c.id == user_id)).scalar_one_or_none()
        return role


def _reply(row: Any) -> Reply:
    return Reply(**{key: row[key] for key in Reply.__dataclass_fields__})


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value.isoformat() if isinstance(value, datetime) else value for key, value in values.items()}
