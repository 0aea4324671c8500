"""Posting approved replies exactly once, with a scripted platform, on SQLite and PostgreSQL.

The platform here is an in-memory list of posts with a script of what each call does (post, answer an
error, post *and* then fail as a timeout would). The live posters' mapping of tweepy and praw answers onto
these outcomes is pinned by the cassette tests; a real process killed mid-call by the crash-injection test.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine

from responders.approval import ReplyStore
from responders.budget import PostingBudget
from responders.delivery import Delivery
from responders.outbox import publish_approved
from responders.posters.dry_run import DryRunPoster
from responders.posting import (
    DuplicatePostError,
    PermanentPostError,
    Posted,
    PostError,
    PostTarget,
    TransientPostError,
    UnconfirmedPostError,
)
from responders.stage import RespondStage
from socialcare.bus.embedded import EmbeddedTransport
from socialcare.bus.worker import Worker
from socialcare.errors import PlatformUnavailableError
from socialcare.models import ReplyApproved, ReplyPosted, decode_event, utcnow
from socialcare.topics import REPLIES_APPROVED, REPLIES_POSTED, all_topics_with_dlq

POST = "post"
LAND_THEN_FAIL = "land-then-fail"  # the post is made but the answer is lost (timeout, crash, 5xx)


@dataclass
class ScriptedPlatform:
    """A platform whose calls follow ``script`` (then plain posts): ``POST``, ``LAND_THEN_FAIL`` or an error."""

    script: list[str | PostError] = field(default_factory=list)
    platform: str = "x"
    posts: list[tuple[str, str]] = field(default_factory=list)
    lookups: int = 0

    def post(self, target: PostTarget, text: str, idempotency_key: str) -> Posted:
        step = self.script.pop(0) if self.script else POST
        if isinstance(step, PostError):
            raise step
        self.posts.append((target.in_reply_to_id, text))
        if step == LAND_THEN_FAIL:
            raise UnconfirmedPostError("read timed out")
        return Posted(str(len(self.posts)), f"https://x.com/i/web/status/{len(self.posts)}", utcnow())

    def find_posted(self, target: PostTarget, text: str, since: datetime) -> Posted | None:
        self.lookups += 1
        for number, post in enumerate(self.posts, start=1):
            if post == (target.in_reply_to_id, text):
                return Posted(str(number), None, utcnow())
        return None


@pytest.fixture
def store(engine: Engine) -> ReplyStore:
    store = ReplyStore(engine)
    store.add_user("alice", "agent")
    store.add_user("bob", "approver")
    return store


def approved(store: ReplyStore, text: str = "Hi Jo, here is how we can fix this today.", target: str = "1001") -> str:
    reply = store.create_draft("case:x:1001", "x", target, text, "alice")
    store.submit(reply.id, "alice")
    store.approve(reply.id, "bob")
    return reply.id


def delivery(store: ReplyStore, platform: ScriptedPlatform, **options: object) -> tuple[Delivery, list[float]]:
    slept: list[float] = []
    return Delivery(store, {"x": platform}, sleep=slept.append, **options), slept  # type: ignore[arg-type]


def test_an_approved_reply_is_posted_once(store: ReplyStore) -> None:
    platform = ScriptedPlatform()
    reply_id = approved(store)
    responder, _ = delivery(store, platform)
    event = responder.deliver(reply_id)
    assert event is not None and (event.status, event.platform_id) == ("posted", "1")
    assert responder.deliver(reply_id) == event  # delivered again: the same outcome, no second post
    assert platform.posts == [("1001", "Hi Jo, here is how we can fix this today.")]
    assert platform.lookups == 0  # a first attempt has nothing to reconcile
    assert store.get(reply_id).attempts == 1


def test_a_lost_answer_is_reconciled_instead_of_posted_again(store: ReplyStore) -> None:
    platform = ScriptedPlatform([LAND_THEN_FAIL])
    reply_id = approved(store)
    responder, slept = delivery(store, platform)
    event = responder.deliver(reply_id)
    assert event is not None and event.status == "posted"
    assert len(platform.posts) == 1 and platform.lookups == 1
    assert slept == [2.0]
    reply = store.get(reply_id)
    assert (reply.platform_post_id, reply.reason) == ("1", "found on the platform after an interrupted attempt")


def test_a_rate_limit_waits_for_the_platform_and_the_budget_holds_it(store: ReplyStore) -> None:
    now = [0.0]
    budget = PostingBudget.parse("100/15m", clock=lambda: now[0])
    platform = ScriptedPlatform([TransientPostError("X rate limit (429)", retry_after=42.0)])
    reply_id = approved(store)
    responder, slept = delivery(store, platform, budgets={"x": budget})
    event = responder.deliver(reply_id)
    assert event is not None and event.status == "posted"
    assert slept == [42.0]
    assert platform.lookups == 1  # a 429 may not have posted, but the responder looks before it calls again


def test_a_permanent_refusal_fails_with_the_reason_the_agent_reads(store: ReplyStore) -> None:
    platform = ScriptedPlatform([PermanentPostError("X refused the reply (404): the post was deleted")])
    reply_id = approved(store)
    responder, _ = delivery(store, platform)
    event = responder.deliver(reply_id)
    assert event == ReplyPosted(
        reply_id=reply_id, status="failed", error="X refused the reply (404): the post was deleted"
    )
    assert store.get(reply_id).status == "failed" and platform.posts == []


def test_a_duplicate_refusal_with_nothing_to_find_fails_instead_of_looping(store: ReplyStore) -> None:
    platform = ScriptedPlatform([DuplicatePostError("X says the account already posted this text")])
    reply_id = approved(store)
    event = delivery(store, platform)[0].deliver(reply_id)
    assert event is not None and event.status == "failed" and "already posted" in (event.error or "")
    assert platform.lookups == 1


def test_a_platform_that_keeps_failing_stops_the_responder_and_a_restart_finishes(store: ReplyStore) -> None:
    platform = ScriptedPlatform([LAND_THEN_FAIL, UnconfirmedPostError("503")])
    reply_id = approved(store)
    responder, _ = delivery(store, platform, max_attempts=1)
    with pytest.raises(PlatformUnavailableError, match="stays in posting"):
        responder.deliver(reply_id)
    assert store.get(reply_id).status == "posting"
    event = delivery(store, platform)[0].deliver(reply_id)  # the restarted responder
    assert event is not None and event.status == "posted"
    assert len(platform.posts) == 1  # found by reconciling, not posted twice


def test_a_reply_edited_after_its_approval_is_not_posted(store: ReplyStore) -> None:
    platform = ScriptedPlatform()
    reply_id = approved(store)
    store.edit(reply_id, "alice", "Hi Jo, a better answer.")
    assert delivery(store, platform)[0].deliver(reply_id) is None
    assert platform.posts == [] and store.get(reply_id).status == "pending_approval"


def test_the_dry_run_poster_records_once_per_key(engine: Engine) -> None:
    poster = DryRunPoster(engine, "reddit")
    target = PostTarget("reddit", "t1_abc")
    first = poster.post(target, "Hi there", "key-12345678")
    assert poster.post(target, "Hi there", "key-12345678") == first
    assert poster.find_posted(target, "Hi there", first.posted_at) == first
    assert poster.find_posted(target, "Something else", first.posted_at) is None


def test_the_posting_budget_spreads_posts_over_the_window() -> None:
    now = [0.0]
    budget = PostingBudget.parse("2/1m", clock=lambda: now[0])
    budget.spend()
    budget.spend()
    assert budget.wait_s() == 60.0
    now[0] = 61.0
    assert budget.wait_s() == 0.0
    budget.hold(30.0)
    assert budget.wait_s() == 30.0


@pytest.fixture
def transport(engine: Engine) -> Iterator[EmbeddedTransport]:
    transport = EmbeddedTransport(engine)
    transport.ensure_topics(all_topics_with_dlq())
    yield transport
    transport.close()


def test_approvals_go_out_through_the_outbox_and_the_responder_posts_them(
    store: ReplyStore, transport: EmbeddedTransport, engine: Engine
) -> None:
    first, second = approved(store), approved(store, "Hi Sam, your refund is on its way.", target="1002")
    with transport.producer() as producer:
        assert publish_approved(store, producer) == [first, second]
        assert publish_approved(store, producer) == []  # sent once
    events = [decode_event(ReplyApproved, record.value) for record in transport.read(REPLIES_APPROVED, 10)]
    assert [event.reply_id for event in events] == [first, second]
    assert events[0].idempotency_key == store.get(first).idempotency_key

    poster = DryRunPoster(engine, "x")
    stage = RespondStage(Delivery(store, {"x": poster}))
    stats = Worker(stage, transport, poll_timeout_ms=20).run(stop_when_idle=True, idle_polls=1)
    assert (stats.emitted, stats.dead_lettered) == (2, 0)
    posted = [decode_event(ReplyPosted, record.value) for record in transport.read(REPLIES_POSTED, 10)]
    assert [(event.reply_id, event.status) for event in posted] == [(first, "posted"), (second, "posted")]
    assert store.get(second).platform_url is not None and store.get(second).platform_url.startswith("dry-run:")


def test_an_event_that_is_not_the_replys_goes_to_the_dead_letters(
    store: ReplyStore, transport: EmbeddedTransport, engine: Engine
) -> None:
    reply_id = approved(store)
    forged = ReplyApproved.model_validate(
        {
            "reply_id": reply_id,
            "case_id": "case:x:1001",
            "target": {"platform": "x", "in_reply_to_id": "1001"},
            "text": "Buy now!",
            "approved_by": "mallory",
            "idempotency_key": "forged-key-0000",
        }
    )
    with transport.producer() as producer:
        producer.send(REPLIES_APPROVED, forged.model_dump_json().encode(), key=reply_id)
        producer.flush()
    stage = RespondStage(Delivery(store, {"x": DryRunPoster(engine, "x")}))
    stats = Worker(stage, transport, poll_timeout_ms=20).run(stop_when_idle=True, idle_polls=1)
    assert (stats.emitted, stats.dead_lettered) == (0, 1)
    assert store.get(reply_id).status == "approved"


def test_posting_stops_the_cases_first_response_clock(engine: Engine) -> None:
    from tests.integration.test_triage_cases import file, post
    from triage.cases import CaseStore

    [decision] = file(CaseStore(engine), post(1, "a", 0))
    store = ReplyStore(engine)
    store.add_user("alice", "agent")
    store.add_user("bob", "approver")
    reply = store.create_draft(decision.case_id, "x", "1", "Hi, here is how we can fix this.", "alice")
    store.submit(reply.id, "alice")
    store.approve(reply.id, "bob")
    event = delivery(store, ScriptedPlatform())[0].deliver(reply.id)
    assert event is not None and event.posted_at is not None
    case = CaseStore(engine).get(decision.case_id)
    assert case is not None and case["first_responded_at"] == event.posted_at


def test_a_reply_found_mid_posting_waits_out_a_call_another_responder_may_have_in_flight(
    store: ReplyStore,
) -> None:
    platform = ScriptedPlatform([LAND_THEN_FAIL])
    reply_id = approved(store)
    with pytest.raises(PlatformUnavailableError):
        delivery(store, platform, max_attempts=1)[0].deliver(reply_id)  # its answer lost, the reply in posting
    attempted_at = store.get(reply_id).updated_at
    assert attempted_at is not None
    later = attempted_at + timedelta(seconds=10)
    responder, slept = delivery(store, platform, attempt_lease_s=45.0, clock=lambda: later)
    event = responder.deliver(reply_id)
    assert slept == [35.0]  # the rest of the lease, then the reconcile finds the post
    assert event is not None and event.status == "posted" and len(platform.posts) == 1
