"""What a reply to a case needs to know: where it goes (the customer's newest post) and who it greets."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import Engine, select

from responders.approval import Reply, ReplyStore
from responders.drafts import DraftFacts, TemplateLibrary
from socialcare.errors import NotAllowedError
from socialcare.store.schema import case_mentions, cases, mentions

POSTABLE_SOURCES = frozenset({"x", "reddit"})


@dataclass(frozen=True)
class CaseTarget:
    case_id: str
    platform: str
    in_reply_to_id: str
    customer: str
    brand: str
    department: str
    language: str | None

    def facts(self, situation: str = "general", **extra: str | None) -> DraftFacts:
        return DraftFacts(
            customer=self.customer,
            brand=self.brand,
            department=self.department,
            language=self.language,
            situation=situation,
            **extra,
        )


def case_target(engine: Engine, case_id: str) -> CaseTarget:
    """The reply target of ``case_id``: its newest mention from the customer, on X or Reddit."""
    with engine.connect() as connection:
        case = connection.execute(select(cases).where(cases.c.id == case_id)).mappings().first()
        if case is None:
            raise NotAllowedError(f"there is no case {case_id}; `socialcare cases history <handle>` lists them")
        newest = connection.execute(
            select(mentions.c.source, mentions.c.source_id, mentions.c.author_handle, mentions.c.payload)
            .join(case_mentions, case_mentions.c.mention_id == mentions.c.id)
            .where(case_mentions.c.case_id == case_id)
            .order_by(case_mentions.c.created_at.desc())
            .limit(1)
        ).first()
    if newest is None or newest.source not in POSTABLE_SOURCES:
        source = newest.source if newest is not None else case["source"]
        raise NotAllowedError(f"case {case_id} came from {source}, not X or Reddit: there is no post to reply to")
    author = json.loads(newest.payload).get("author", {})
    customer = author.get("name") or (f"@{newest.author_handle}" if newest.author_handle else "there")
    return CaseTarget(
        case_id=case_id,
        platform=newest.source,
        in_reply_to_id=newest.source_id,
        customer=customer,
        brand=case["brand"] or "us",
        department=case["department"],
        language=case["language"],
    )


def draft_for_case(
    store: ReplyStore,
    case_id: str,
    author: str,
    text: str | None = None,
    *,
    situation: str = "general",
    library: TemplateLibrary | None = None,
    **facts: str | None,
) -> Reply:
    """A draft to the case's newest post: ``text``, or (``None``) the template for ``situation`` filled with
    the case and ``facts`` (``reference``, ``signature``, ...)."""
    target = case_target(store.engine, case_id)
    if text is None:
        text = (library or TemplateLibrary()).draft(target.facts(situation, **facts)).text
    return store.create_draft(case_id, target.platform, target.in_reply_to_id, text, author)
