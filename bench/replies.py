"""The cost of posting exactly once: the responder's delivery against a bare ``create_tweet`` loop.

    python bench/replies.py [--replies 300] [--rounds 3]

Both post to the same local stand-in for X's write endpoint (tests/x_standin.py) through tweepy, so the
platform costs the same; the difference is the exactly-once bookkeeping: per reply, three committed
transitions (posting, the attempt, posted) with their audit rows in SQLite, and reading the reply. Rounds
alternate, medians reported. (A real X account may post about 100 replies per 15 minutes: what matters
is that the bookkeeping is small beside one platform call, not the absolute rate.)

Prints ``key=value`` lines and a table, writes bench/results/replies.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from responders.approval import ReplyStore  # noqa: E402
from responders.delivery import Delivery  # noqa: E402
from responders.posters.x import XPoster, x_user_client  # noqa: E402
from socialcare.settings import Settings  # noqa: E402
from socialcare.store import migrate  # noqa: E402
from socialcare.store.db import make_engine  # noqa: E402
from tests.x_standin import XStandIn  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "replies.json"


def user_settings(base_url: str) -> Settings:
    return Settings.model_validate(
        {
            "x_consumer_key": "key",
            "x_consumer_secret": "secret",
            "x_access_token": "1-token",
            "x_access_token_secret": "token-secret",
            "x_api_base_url": base_url,
        }
    )


def bare(client: object, n: int, round_number: int) -> float:
    started = time.perf_counter()
    for i in range(n):
        client.create_tweet(  # type: ignore[attr-defined]
            text=f"bare {round_number}-{i}: here is how we can fix this",
            in_reply_to_tweet_id=str(10**18 + i),
            user_auth=True,
        )
    return n / (time.perf_counter() - started)


def exactly_once(store: ReplyStore, poster: XPoster, n: int, round_number: int) -> float:
    ids = []
    for i in range(n):  # untimed: drafting and approval are people's work, not the responder's
        reply = store.create_draft(
            "case:x:1", "x", str(2 * 10**18 + i), f"once {round_number}-{i}: we can fix this", "alice"
        )
        store.submit(reply.id, "alice")
        store.approve(reply.id, "bob")
        ids.append(reply.id)
    delivery = Delivery(store, {"x": poster})
    started = time.perf_counter()
    for reply_id in ids:
        event = delivery.deliver(reply_id)
        assert event is not None and event.status == "posted"
    return n / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replies", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, XStandIn() as x:
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        migrate.upgrade(engine)
        store = ReplyStore(engine)
        store.add_user("alice", "agent")
        store.add_user("bob", "approver")
        settings = user_settings(x.base_url)
        client, poster = x_user_client(settings), XPoster(x_user_client(settings))
        bare_rates, once_rates = [], []
        for round_number in range(1, args.rounds + 1):
            bare_rates.append(bare(client, args.replies, round_number))
            once_rates.append(exactly_once(store, poster, args.replies, round_number))
            print(f"round={round_number} bare={bare_rates[-1]:.0f}/s exactly_once={once_rates[-1]:.0f}/s", flush=True)
        posts = len(x.posts)
        engine.dispose()
    summary = {
        "replies_per_round": args.replies,
        "rounds": args.rounds,
        "bare_create_tweet_per_s": statistics.median(bare_rates),
        "exactly_once_per_s": statistics.median(once_rates),
        "ratio": statistics.median(once_rates) / statistics.median(bare_rates),
        "bookkeeping_ms_per_reply": 1000 / statistics.median(once_rates) - 1000 / statistics.median(bare_rates),
        "posts_on_standin": posts,
    }
    assert posts == 2 * args.replies * args.rounds, "a reply was posted twice or not at all"
    for key, value in summary.items():
        print(f"{key}={value:.2f}" if isinstance(value, float) else f"{key}={value}")
    print(f"\n{'poster':<44}{'replies/s':>10}{'ratio':>8}")
    print(f"{'bare tweepy create_tweet (no state)':<44}{summary['bare_create_tweet_per_s']:>10.0f}{1:>8.2f}")
    once, ratio = summary["exactly_once_per_s"], summary["ratio"]
    print(f"{'exactly-once delivery (SQLite state, audit)':<44}{once:>10.0f}{ratio:>8.2f}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(summary, indent=2) + "\n")


if __name__ == "__main__":
    main()
