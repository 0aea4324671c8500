"""Cases: mentions threaded by conversation, reply chain and author, in the SQL system of record.

A mention joins the case of its conversation or of the post it replies to; failing that, the case of the
same author updated within :data:`AUTHOR_WINDOW` (a customer who writes again an hour later is the same
matter); failing that, it opens a case whose id is ``case:<mention id>``. Joining a closed case reopens
it. A case takes the priority and department of its most urgent mention, the union of the copies, and the
earliest due times. Filing is idempotent: a redelivered mention gets its stored decision back, so the
stage can be replayed from any offset.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, insert, or_, select, update

from socialcare.models import PRIORITY_RANK, EnrichedMention, ExplanationStep, Mention, TriageDecision, decode_event
from socialcare.store.schema import case_mentions, cases
from triage.assignment import Agent, Assigner, Offer, WaitingCase
from triage.engine import Routing, format_duration

AUTHOR_WINDOW = timedelta(hours=24)


def author_key(mention: Mention) -> str:
    return f"{mention.source}:{mention.author.id}"


def conversation_key(mention: Mention) -> str | None:
    return f"{mention.source}:{mention.conversation_id}" if mention.conversation_id else None


def parent_id(mention: Mention) -> str | None:
    """The mention id of the post this one replies to (ids are ``<source>:<platform id>``)."""
    return f"{mention.source}:{mention.in_reply_to}" if mention.in_reply_to else None


class CaseStore:
    def __init__(self, engine: Engine, author_window: timedelta = AUTHOR_WINDOW) -> None:
        self.engine = engine
        self.author_window = author_window

    def file_batch(self, items: Sequence[tuple[EnrichedMention, Routing]]) -> list[TriageDecision]:
        """File every routed mention in one transaction; returns one decision per item, in order."""
        with self.engine.begin() as connection:
            return [self._file(connection, mention, routing) for mention, routing in items]

    def close(self, case_id: str, at: datetime) -> None:
        with self.engine.begin() as connection:
            connection.execute(update(cases).where(cases.c.id == case_id).values(status="closed", closed_at=at))

    # assignment ---------------------------------------------------------------------------------------

    def assign_waiting(self, agents: Sequence[Agent], now: datetime) -> dict[str, str | None]:
        """Take back offers not accepted in time, then hand out unassigned open cases (most urgent, oldest
        first) to qualified agents with room; returns ``{case id: agent id or None}`` for what changed."""
        with self.engine.begin() as connection:
            assigner = self._assigner(connection, agents)
            changed: dict[str, str | None] = dict(assigner.expire(now))
            changed |= dict(assigner.drain(now))
            for case_id, agent_id in changed.items():
                connection.execute(
                    update(cases)
                    .where(cases.c.id == case_id)
                    .values(assignee=agent_id, assigned_at=now if agent_id else None, accepted_at=None)
                )
        return changed

    def with_assignees(self, decisions: Sequence[TriageDecision]) -> list[TriageDecision]:
        """The decisions with their case's current assignee, stored back so a redelivery says the same."""
        if not decisions:
            return []
        with self.engine.begin() as connection:
            owners = dict(
                connection.execute(
                    select(cases.c.id, cases.c.assignee).where(cases.c.id.in_({d.case_id for d in decisions}))
                ).all()
            )
            out = []
            for decision in decisions:
                owner = owners.get(decision.case_id)
                current = decision if owner == decision.assignee else decision.model_copy(update={"assignee": owner})
                if current is not decision:
                    connection.execute(
                        update(case_mentions)
                        .where(case_mentions.c.mention_id == current.mention_id)
                        .values(decision=current.model_dump(mode="json"))
                    )
                out.append(current)
        return out

    def accept(self, case_id: str, agent_id: str, now: datetime) -> bool:
        """The agent takes the case offered to them; False when it is not theirs (any more)."""
        with self.engine.begin() as connection:
            result = connection.execute(
                update(cases)
                .where(cases.c.id == case_id, cases.c.assignee == agent_id, cases.c.accepted_at.is_(None))
                .values(accepted_at=now)
            )
        return bool(result.rowcount)

    def _assigner(self, connection: Connection, agents: Sequence[Agent]) -> Assigner:
        """The assigner as the database has it. One transaction at a time may assign: the first statement
        locks the open cases (PostgreSQL ``FOR UPDATE``; SQLite serialises writers anyway)."""
        query = select(cases).where(cases.c.status == "open").order_by(cases.c.opened_at, cases.c.id)
        if connection.dialect.name == "postgresql":
            query = query.with_for_update()
        rows = connection.execute(query).mappings().all()
        open_cases = [WaitingCase(r["id"], r["department"], r["language"], r["priority"], r["opened_at"]) for r in rows]
        offers = [
            Offer(r["id"], r["assignee"], r["assigned_at"] or r["opened_at"], accepted=r["accepted_at"] is not None)
            for r in rows
            if r["assignee"]
        ]
        waiting = [case for case, r in zip(open_cases, rows, strict=True) if not r["assignee"]]
        assigner = Assigner(list(agents))
        assigner.restore(offers, waiting, open_cases)
        return assigner

    def get(self, case_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as connection:
            row = connection.execute(select(cases).where(cases.c.id == case_id)).mappings().first()
        return dict(row) if row is not None else None

    def history(self, customer: str) -> list[dict[str, Any]]:
        """Every case of one customer, newest first, with its mention ids, across sources.

        ``customer`` is an author key (``x:12345``) or a handle (``@jo`` or ``jo``): a handle finds the cases of
        that handle on every platform (one person usually keeps one handle; two people may share one).
        """
        if ":" in customer:
            where = cases.c.author_key == customer
        else:
            where = cases.c.author_handle == customer.removeprefix("@").lower()
        with self.engine.connect() as connection:
            rows = connection.execute(select(cases).where(where).order_by(cases.c.updated_at.desc())).mappings()
            found = [{**row, "mentions": []} for row in rows]
            by_id = {case["id"]: case for case in found}
            filed = connection.execute(
                select(case_mentions.c.case_id, case_mentions.c.mention_id)
                .where(case_mentions.c.case_id.in_(by_id))
                .order_by(case_mentions.c.created_at, case_mentions.c.mention_id)
            )
            for case_id, mention_id in filed:
                by_id[case_id]["mentions"].append(mention_id)
        return found

    # --------------------------------------------------------------------------------------------------

    def _file(self, connection: Connection, mention: EnrichedMention, routing: Routing) -> TriageDecision:
        stored = connection.execute(
            select(case_mentions.c.decision).where(case_mentions.c.mention_id == mention.id)
        ).scalar_one_or_none()
        if stored is not None:
            return decode_event(TriageDecision, json.dumps(stored))  # strict models read JSON, not dicts
        case, why = self._find(connection, mention)
        first_due, resolution_due = routing.first_response_due, routing.resolution_due
        if case is None:
            case_id = f"case:{mention.id}"
            step = ExplanationStep(rule="case", detail=f"opened {case_id}", inputs={})
            connection.execute(
                insert(cases).values(
                    id=case_id,
                    brand=mention.brand,
                    source=mention.source,
                    author_key=author_key(mention),
                    author_handle=(mention.author.handle or "").lower() or None,
                    department=routing.department,
                    language=mention.language,
                    cc=list(routing.cc),
                    priority=routing.priority,
                    status="open",
                    opened_at=mention.created_at,
                    updated_at=mention.created_at,
                    first_response_due=first_due,
                    resolution_due=resolution_due,
                    mention_count=1,
                    first_response_sla="ok",
                    resolution_sla="ok",
                )
            )
        else:
            case_id = case["id"]
            reopened = case["status"] == "closed"
            step = ExplanationStep(
                rule="case",
                detail=f"{'reopened' if reopened else 'joined'} {case_id}: {why}",
                inputs={"case_priority": case["priority"], "case_status": case["status"]},
            )
            urgent = PRIORITY_RANK[routing.priority] < PRIORITY_RANK[case["priority"]]
            department = routing.department if urgent else case["department"]
            cc = [d for d in dict.fromkeys([*case["cc"], *routing.cc]) if d != department]
            values: dict[str, Any] = {
                "priority": routing.priority if urgent else case["priority"],
                "department": department,
                "cc": cc,
                "updated_at": max(case["updated_at"], mention.created_at),
                "mention_count": case["mention_count"] + 1,
            }
            if reopened:
                values |= {"status": "open", "closed_at": None, "first_responded_at": None}
                values |= {"first_response_due": first_due, "resolution_due": resolution_due}
                values |= {"first_response_sla": "ok", "resolution_sla": "ok"}
            else:
                values["first_response_due"] = _earliest(case["first_response_due"], first_due)
                values["resolution_due"] = _earliest(case["resolution_due"], resolution_due)
            connection.execute(update(cases).where(cases.c.id == case_id).values(**values))
        decision = TriageDecision(
            mention_id=mention.id,
            case_id=case_id,
            department=routing.department,
            cc=routing.cc,
            priority=routing.priority,
            sla_due_at=first_due,
            explanation=(*routing.explanation, step),
        )
        connection.execute(
            insert(case_mentions).values(
                mention_id=mention.id,
                case_id=case_id,
                conversation_key=conversation_key(mention),
                author_key=author_key(mention),
                created_at=mention.created_at,
                decision=decision.model_dump(mode="json"),
            )
        )
        return decision

    def _find(self, connection: Connection, mention: Mention) -> tuple[dict[str, Any] | None, str]:
        """The case this mention belongs to, and why; ``(None, "")`` when it opens a new one."""
        thread = []
        conversation = conversation_key(mention)
        if conversation is not None:
            thread.append(case_mentions.c.conversation_key == conversation)
        parent = parent_id(mention)
        if parent is not None:
            thread.append(case_mentions.c.mention_id == parent)
        if thread:
            case_id = connection.execute(
                select(case_mentions.c.case_id).where(or_(*thread)).order_by(case_mentions.c.created_at).limit(1)
            ).scalar_one_or_none()
            if case_id is not None:
                row = connection.execute(select(cases).where(cases.c.id == case_id)).mappings().first()
                if row is not None:
                    return dict(row), "same conversation"
        row = (
            connection.execute(
                select(cases)
                .where(
                    cases.c.author_key == author_key(mention),
                    cases.c.updated_at >= mention.created_at - self.author_window,
                )
                .order_by(cases.c.updated_at.desc())
                .limit(1)
            )
            .mappings()
            .first()
        )
        if row is not None:
            return dict(row), f"same author within {format_duration(self.author_window)}"
        return None, ""


def _earliest(current: datetime | None, candidate: datetime) -> datetime:
    return candidate if current is None else min(current, candidate)
