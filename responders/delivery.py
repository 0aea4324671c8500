"""Posting one approved reply exactly once: the state machine in SQL around the platform call.

    approved --start_posting--> posting --(attempt committed) platform call--> posted | failed

Before every platform call the attempt is committed (``attempts + 1``); a reply in ``posting`` with an
attempt on record may already be on the platform (a crash between the call and the commit, a timeout, a
5xx), so before calling again the responder *reconciles*: it looks through the brand account's recent
replies for the same text under the same post and, if it is there, records that post instead of making
a second one. Retries wait for the platform's budget and back off; a permanent refusal ends in
``failed`` with the platform's reason; a reply the platform keeps refusing for now stays in ``posting``
and the worker stops (:class:`PlatformUnavailableError`), to go on from the same point when restarted.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from responders.approval import Reply, ReplyStore
from responders.budget import PostingBudget
from responders.posting import DuplicatePostError, PermanentPostError, Poster, PostTarget, TransientPostError
from socialcare.errors import ConfigError, PlatformUnavailableError
from socialcare.models import ReplyPosted, utcnow

log = logging.getLogger(__name__)

BACKOFF_START_S = 2.0
BACKOFF_MAX_S = 60.0
ATTEMPT_LEASE_S = 45.0
"""How long a platform call can be in flight: longer than the posters' HTTP timeouts (10 s to connect and
30 s to read, ``collectors.x.limits``; praw's are shorter)."""
MAX_WAIT_S = 240.0
"""The longest the responder sleeps for one reply; a longer wait stops it (a Kafka consumer that sleeps
past ``max.poll.interval.ms`` loses its partitions)."""


@dataclass
class Delivery:
    store: ReplyStore
    posters: Mapping[str, Poster]
    budgets: Mapping[str, PostingBudget] = field(default_factory=dict)
    max_attempts: int = 5
    attempt_lease_s: float = ATTEMPT_LEASE_S
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], datetime] = utcnow

    def deliver(self, reply_id: str) -> ReplyPosted | None:
        """Post ``reply_id`` if it is approved, or finish an interrupted posting; ``None`` if the reply is
        no longer approved (edited or rejected since: its event is stale)."""
        reply = self.store.get(reply_id)
        if reply.status == "approved":
            reply = self.store.start_posting(reply_id)
        elif reply.status == "posting" and reply.attempts > 0:
            reply = self._after_lease(reply)
        if reply.status != "posting":
            return outcome(reply)
        poster = self.posters.get(reply.platform)
        if poster is None:
            raise ConfigError(f"no poster for platform {reply.platform!r}; known: {', '.join(self.posters)}")
        target = PostTarget(reply.platform, reply.in_reply_to_id)
        budget = self.budgets.get(reply.platform)
        duplicate_seen = False
        for attempt in range(self.max_attempts):
            try:
                if reply.attempts > 0 and (found := self._reconcile(poster, reply, target)) is not None:
                    return found
                if duplicate_seen:  # the platform says "already posted" but it is not among our replies
                    reason = "the platform refuses the text as already posted, but no such reply of ours was found"
                    return outcome(self.store.mark_failed(reply_id, reason))
                self._wait(budget, reply)
                reply = self.store.record_attempt(reply_id)
                if budget is not None:
                    budget.spend()
                posted = poster.post(target, reply.text, reply.idempotency_key)
            except PermanentPostError as refusal:
                log.warning("reply=%s status=failed reason=%s", reply_id, refusal)
                return outcome(self.store.mark_failed(reply_id, str(refusal)))
            except TransientPostError as trouble:
                duplicate_seen = isinstance(trouble, DuplicatePostError)
                backoff = min(BACKOFF_MAX_S, BACKOFF_START_S * 2**attempt)
                delay = backoff if trouble.retry_after is None else trouble.retry_after
                log.warning("reply=%s attempt=%d retry_in_s=%.0f reason=%s", reply_id, attempt + 1, delay, trouble)
                if budget is not None:
                    budget.hold(delay)  # slept by the next attempt's budget wait, before any other reply
                else:
                    self._sleep_at_most(delay, reply)
                continue
            return outcome(self.store.mark_posted(reply_id, posted.platform_id, posted.url, posted.posted_at))
        raise PlatformUnavailableError(
            f"{reply.platform} kept failing for reply {reply_id} ({self.max_attempts} attempts); it stays in "
            "posting and is reconciled, then retried, when the responder restarts"
        )

    def _after_lease(self, reply: Reply) -> Reply:
        """A reply found mid-posting may have a call in flight in another responder (one that lost its
        partition in a rebalance but is still running): wait until that call must have ended, then read
        the reply again, so the reconcile step sees what that call did."""
        assert reply.updated_at is not None
        in_flight_for = (reply.updated_at + timedelta(seconds=self.attempt_lease_s)) - self.clock()
        if in_flight_for > timedelta(0):
            log.info("reply=%s waiting_for_attempt_s=%.1f", reply.id, in_flight_for.total_seconds())
            self._sleep_at_most(in_flight_for.total_seconds(), reply)
            return self.store.get(reply.id)
        return reply

    def _reconcile(self, poster: Poster, reply: Reply, target: PostTarget) -> ReplyPosted | None:
        assert reply.posting_started_at is not None
        posted = poster.find_posted(target, reply.text, reply.posting_started_at)
        if posted is None:
            log.info("reply=%s reconcile=not_found attempts=%d", reply.id, reply.attempts)
            return None
        log.info("reply=%s reconcile=found platform_id=%s", reply.id, posted.platform_id)
        return outcome(self.store.mark_posted(reply.id, posted.platform_id, posted.url, posted.posted_at, found=True))

    def _wait(self, budget: PostingBudget | None, reply: Reply) -> None:
        if budget is not None:
            self._sleep_at_most(budget.wait_s(), reply)

    def _sleep_at_most(self, seconds: float, reply: Reply) -> None:
        if seconds > MAX_WAIT_S:
            raise PlatformUnavailableError(
                f"{reply.platform} asks to wait {seconds:.0f} s before the next reply; the responder stops and "
                "goes on with this reply when restarted"
            )
        if seconds > 0:
            self.sleep(seconds)


def outcome(reply: Reply) -> ReplyPosted | None:
    """The ``replies.posted`` event of a reply that is posted or failed; ``None`` for any other state."""
    if reply.status == "posted":
        return ReplyPosted(
            reply_id=reply.id,
            status="posted",
            platform_id=reply.platform_post_id,
            url=reply.platform_url,
            posted_at=reply.posted_at,
        )
    if reply.status == "failed":
        return ReplyPosted(reply_id=reply.id, status="failed", error=reply.reason or "failed")
    return None
