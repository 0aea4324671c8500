"""Recognising our own reply on the platform, as X rewrites it."""

from __future__ import annotations

from responders.posting import same_reply_text


def test_a_reply_is_recognised_through_the_platforms_rewriting() -> None:
    ours = "Hi Jo, here is how we can fix this: lumora.com/help. Thanks & sorry!"
    theirs = "@jo_customer Hi Jo, here is how we can fix this: https://t.co/Ab12Cd. Thanks &amp; sorry!"
    assert same_reply_text(ours, theirs)  # t.co for a bare domain too, escaped &, the thread's handle
    assert same_reply_text("see https://lumora.com/a  now", "see https://t.co/x now")
    assert not same_reply_text(ours, "@jo_customer Hi Jo, a different answer https://t.co/Ab12Cd.")
