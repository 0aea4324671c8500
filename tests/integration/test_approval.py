"""Two-person approval on SQLite and PostgreSQL: who may do what, and an audit log nobody can rewrite."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy
from sqlalchemy import Engine, delete, update

from responders.approval import ReplyStore
from socialcare.errors import NotAllowedError
from socialcare.store.schema import audit_log


@pytest.fixture
def store(engine: Engine) -> ReplyStore:
    store = ReplyStore(engine)
    store.add_user("alice", "agent")
    store.add_user("bob", "approver")
    store.add_user("carol", "admin")
    return store


def draft(store: ReplyStore, author: str = "alice") -> str:
    return store.create_draft("case:x:1", "x", "1850000000000000001", "Hi Jo, here is how we can fix this.", author).id


NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


def refusals(store: ReplyStore, reply_id: str) -> list[tuple[str, str]]:
    return [(row["actor"], row["action"]) for row in store.audit(reply_id) if row["outcome"] == "refused"]


def test_the_happy_path_is_on_the_record(store: ReplyStore) -> None:
    reply_id = draft(store)
    store.submit(reply_id, "alice")
    approved = store.approve(reply_id, "bob")
    assert (approved.status, approved.approved_by) == ("approved", "bob")
    store.start_posting(reply_id)
    assert store.record_attempt(reply_id).attempts == 1
    posted = store.mark_posted(reply_id, "1460323737035677698", "https://x.com/i/web/status/1", NOW)
    assert (posted.status, posted.platform_post_id, posted.posted_at) == ("posted", "1460323737035677698", NOW)
    trail = [(row["actor"], row["action"], row["outcome"]) for row in store.audit(reply_id)]
    assert trail == [
        ("alice", "create_draft", "done"),
        ("alice", "submit", "done"),
        ("bob", "approve", "done"),
        ("system", "start_posting", "done"),
        ("system", "attempt", "done"),
        ("system", "posted", "done"),
    ]
    before_approval = store.audit(reply_id)[2]["detail"]["before"]
    assert before_approval == {"status": "pending_approval", "approved_by": None, "published_at": None}


def test_an_agent_cannot_approve_and_the_refusal_is_audited(store: ReplyStore) -> None:
    reply_id = draft(store, author="carol")
    store.submit(reply_id, "carol")
    with pytest.raises(NotAllowedError, match="alice is an agent"):
        store.approve(reply_id, "alice")
    assert store.get(reply_id).status == "pending_approval"
    assert refusals(store, reply_id) == [("alice", "approve")]


def test_an_author_cannot_approve_their_own_draft_even_as_admin(store: ReplyStore) -> None:
    reply_id = draft(store, author="carol")
    store.submit(reply_id, "carol")
    with pytest.raises(NotAllowedError, match="a second person must approve"):
        store.approve(reply_id, "carol")
    assert refusals(store, reply_id) == [("carol", "approve")]
    assert store.approve(reply_id, "bob").status == "approved"


def test_a_rejected_or_edited_reply_cannot_be_posted(store: ReplyStore) -> None:
    rejected = draft(store)
    store.submit(rejected, "alice")
    with pytest.raises(NotAllowedError, match="say why"):
        store.reject(rejected, "bob", " ")
    assert store.reject(rejected, "bob", "mention the refund window").reason == "mention the refund window"
    with pytest.raises(NotAllowedError, match="only an approved reply can be posted"):
        store.start_posting(rejected)
    edited = draft(store)
    store.submit(edited, "alice")
    store.approve(edited, "bob")
    after = store.edit(edited, "alice", "Hi Jo, here is how we can fix this today.")
    assert (after.status, after.approved_by) == ("pending_approval", None)  # the approval is void
    with pytest.raises(NotAllowedError, match="only an approved reply can be posted"):
        store.start_posting(edited)
    assert refusals(store, rejected) == [("system", "start_posting")]
    assert refusals(store, edited) == [("system", "start_posting")]
    assert store.edit(rejected, "alice", "Hi Jo, refunds take 3 days.").status == "draft"  # a new round


def test_only_the_responder_posts_and_strangers_are_refused(store: ReplyStore) -> None:
    reply_id = draft(store)
    store.submit(reply_id, "alice")
    store.approve(reply_id, "bob")
    with pytest.raises(NotAllowedError):
        store._transition(reply_id, "carol", "start_posting", {"status": "posting"})
    with pytest.raises(NotAllowedError, match="not a socialcare user"):
        store.edit(reply_id, "mallory", "hacked")
    with pytest.raises(NotAllowedError, match="not a socialcare user"):
        store.create_draft("case:x:1", "x", "1", "hello", "mallory")
    assert {actor for actor, _ in refusals(store, reply_id)} == {"carol", "mallory"}
    store.start_posting(reply_id)
    with pytest.raises(NotAllowedError, match="can no longer be edited"):
        store.edit(reply_id, "alice", "too late")


def test_the_audit_log_cannot_be_edited(store: ReplyStore, engine: Engine) -> None:
    draft(store)
    for statement in (update(audit_log).values(actor="someone else"), delete(audit_log)):
        with pytest.raises(sqlalchemy.exc.DatabaseError, match="append-only"), engine.begin() as connection:
            connection.execute(statement)


def test_a_reply_too_long_for_its_platform_is_refused_with_the_reason(store: ReplyStore) -> None:
    too_long = "こんにちは" * 29  # 145 CJK characters weigh 290 of X's 280
    with pytest.raises(NotAllowedError, match="10 over X's limit"):
        store.create_draft("case:x:1", "x", "1", too_long, "alice")
    reply_id = draft(store)
    with pytest.raises(NotAllowedError, match="over X's limit"):
        store.edit(reply_id, "alice", too_long)
    assert store.get(reply_id).text != too_long
    assert refusals(store, reply_id) == [("alice", "edit")]
    with store.engine.connect() as connection:
        orphan = connection.execute(
            sqlalchemy.select(audit_log.c.actor, audit_log.c.outcome).where(
                audit_log.c.reply_id.is_(None), audit_log.c.action == "create_draft"
            )
        ).all()
    assert [tuple(row) for row in orphan] == [("alice", "refused")]
