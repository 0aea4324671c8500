"""What the care inbox and the case view read: plain SQL over cases, mentions and replies."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, RowMapping, insert, select
from sqlalchemy.sql.elements import ColumnElement

from socialcare.errors import NotAllowedError
from socialcare.models import DEPARTMENTS as ALL_DEPARTMENTS
from socialcare.models import utcnow
from socialcare.store.schema import case_mentions, case_notes, cases, mentions, replies, users
from triage.cases import CaseStore

DEPARTMENTS = tuple(department for department in ALL_DEPARTMENTS if department != "none")
"""The departments with a queue: ``none`` (spam, chatter) needs no one to act."""
INBOX_LIMIT = 200


@dataclass(frozen=True)
class InboxRow:
    id: str
    priority: str
    department: str
    brand: str | None
    customer: str
    source: str
    first_response_due: datetime | None
    first_response_sla: str
    assignee: str | None
    mention_count: int
    updated_at: datetime
    preview: str


@dataclass
class CaseView:
    case: dict[str, Any]
    thread: list[dict[str, Any]] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)
    replies: list[dict[str, Any]] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)


def inbox(engine: Engine, department: str | None = None, limit: int = INBOX_LIMIT) -> list[InboxRow]:
    """Open cases, most urgent first (priority, then the first-response clock), with the newest text."""
    conditions = [cases.c.department == department] if department else []
    return [row for _, row in open_cases(engine, *conditions, limit=limit)]


def open_cases(
    engine: Engine, *conditions: ColumnElement[bool], limit: int = INBOX_LIMIT
) -> list[tuple[RowMapping, InboxRow]]:
    """Open cases that need someone (``conditions`` narrow them), most urgent first: each case's row as
    stored and as the inbox shows it, with its newest text."""
    query = (
        select(cases)
        .where(cases.c.status == "open", cases.c.department != "none", *conditions)
        # P1 < P2 < P3 < P4 as text too, so the (status, priority) index gives the order
        .order_by(cases.c.priority, cases.c.first_response_due.is_(None), cases.c.first_response_due, cases.c.id)
        .limit(limit)
    )
    with engine.connect() as connection:
        found = list(connection.execute(query).mappings())
        previews = _newest_texts(connection, [row["id"] for row in found])
    return [(row, _inbox_row(row, previews.get(row["id"], ""))) for row in found]


def _inbox_row(row: RowMapping, preview: str) -> InboxRow:
    return InboxRow(
        id=row["id"],
        priority=row["priority"],
        department=row["department"],
        brand=row["brand"],
        customer=f"@{row['author_handle']}" if row["author_handle"] else row["author_key"],
        source=row["source"],
        first_response_due=row["first_response_due"],
        first_response_sla=row["first_response_sla"],
        assignee=row["assignee"],
        mention_count=row["mention_count"],
        updated_at=row["updated_at"],
        preview=preview,
    )


def case_view(engine: Engine, case_id: str) -> CaseView | None:
    store = CaseStore(engine)
    found = store.get(case_id)
    if found is None:
        return None
    view = CaseView(case=found)
    with engine.connect() as connection:
        rows = connection.execute(
            select(mentions, case_mentions.c.decision)
            .join(case_mentions, case_mentions.c.mention_id == mentions.c.id)
            .where(case_mentions.c.case_id == case_id)
            .order_by(case_mentions.c.created_at)
        ).mappings()
        for row in rows:
            payload = json.loads(row["payload"])
            decision = row["decision"] if isinstance(row["decision"], dict) else json.loads(row["decision"])
            view.thread.append(
                {
                    "id": row["id"],
                    "source": row["source"],
                    "author": payload.get("author", {}),
                    "created_at": row["created_at"],
                    "text": row["text"],
                    "url": payload.get("url"),
                    "lang": row["lang"],
                    "decision": decision,
                }
            )
        view.replies = [
            dict(row)
            for row in connection.execute(
                select(replies).where(replies.c.case_id == case_id).order_by(replies.c.created_at)
            ).mappings()
        ]
        view.notes = [
            dict(row)
            for row in connection.execute(
                select(case_notes).where(case_notes.c.case_id == case_id).order_by(case_notes.c.id)
            ).mappings()
        ]
    handle = found.get("author_handle")
    if handle:
        view.history = [other for other in store.history(handle) if other["id"] != case_id]
    return view


def _newest_texts(connection: Any, case_ids: list[str]) -> dict[str, str]:
    if not case_ids:
        return {}
    rows = connection.execute(
        select(case_mentions.c.case_id, mentions.c.text)
        .join(mentions, mentions.c.id == case_mentions.c.mention_id)
        .where(case_mentions.c.case_id.in_(case_ids))
        .order_by(case_mentions.c.created_at)
    )
    return {case_id: text for case_id, text in rows}  # the newest wins


def user_names(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return [str(name) for name in connection.execute(select(users.c.id).order_by(users.c.id)).scalars()]


MAX_NOTE_CHARS = 5000


def add_note(engine: Engine, case_id: str, author: str, text: str) -> None:
    """An internal note on a case, for the team only."""
    text = text.strip()
    if not text:
        raise NotAllowedError("the note is empty")
    if len(text) > MAX_NOTE_CHARS:
        raise NotAllowedError(f"a note holds at most {MAX_NOTE_CHARS} characters; this one has {len(text)}")
    with engine.begin() as connection:
        if connection.execute(select(cases.c.id).where(cases.c.id == case_id)).first() is None:
            raise NotAllowedError(f"there is no case {case_id}")
        connection.execute(insert(case_notes).values(case_id=case_id, author=author, at=utcnow(), text=text))
