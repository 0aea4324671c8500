"""The outbox of approvals: every approved reply's ``replies.approved`` event goes out, exactly when needed.

An approval is committed in SQL first; the event follows, and ``published_at`` marks it sent. A crash in
between leaves the reply approved and unmarked, and the next :func:`publish_approved` (after any approval,
or ``socialcare replies publish``) sends it. An event sent twice is harmless: the responder posts by the
reply's state, not by the event.
"""

from __future__ import annotations

from responders.approval import Reply, ReplyStore
from socialcare.bus.base import Producer
from socialcare.models import ReplyApproved, ReplyTarget, encode_event
from socialcare.topics import REPLIES_APPROVED


def approved_event(reply: Reply) -> ReplyApproved:
    assert reply.approved_by is not None
    return ReplyApproved(
        reply_id=reply.id,
        case_id=reply.case_id,
        target=ReplyTarget(platform=reply.platform, in_reply_to_id=reply.in_reply_to_id),  # type: ignore[arg-type]
        text=reply.text,
        approved_by=reply.approved_by,
        idempotency_key=reply.idempotency_key,
    )


def publish_approved(store: ReplyStore, producer: Producer) -> list[str]:
    """Send the event of every approved reply not yet sent; returns the reply ids sent."""
    pending = store.unpublished_approved()
    for reply in pending:
        producer.send(REPLIES_APPROVED, encode_event(approved_event(reply)), key=reply.id)
    producer.flush()
    for reply in pending:
        store.mark_published(reply.id)
    return [reply.id for reply in pending]
