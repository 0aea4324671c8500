"""The responder stage: ``replies.approved`` in, each reply posted once, ``replies.posted`` out."""

from __future__ import annotations

from collections.abc import Sequence

from responders.delivery import Delivery
from socialcare.bus.worker import Emit, Reject, Stage, StageOutput
from socialcare.errors import ConcurrentChangeError, NotAllowedError
from socialcare.models import ReplyApproved
from socialcare.topics import REPLIES_APPROVED, REPLIES_POSTED


class RespondStage(Stage[ReplyApproved]):
    name = "respond"
    input_topic = REPLIES_APPROVED
    input_model = ReplyApproved

    def __init__(self, delivery: Delivery) -> None:
        self.delivery = delivery

    def process(self, events: Sequence[ReplyApproved]) -> StageOutput:
        output = StageOutput()
        for index, event in enumerate(events):
            try:
                reply = self.delivery.store.get(event.reply_id)
            except NotAllowedError as missing:
                output.rejects.append(Reject(index, str(missing)))
                continue
            if reply.idempotency_key != event.idempotency_key:
                reason = f"the event's idempotency key is not reply {reply.id}'s: not posted"
                output.rejects.append(Reject(index, reason))
                continue
            try:
                posted = self.delivery.deliver(reply.id)
            except ConcurrentChangeError:
                continue  # another responder holds this reply and reports its outcome
            if posted is not None:
                output.emits.append(Emit(REPLIES_POSTED, reply.id, posted))
        return output
