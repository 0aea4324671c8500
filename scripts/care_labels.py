"""The project's own hand labels of real customer tweets (``scripts/labels/care_tweets.csv``), with their texts.

The file holds ids, labels (department, risk, sentiment, with the rubric of ../shared/ARCHITECTURE.md) and a
short note; the texts stay in ../shared/data (twcs and airline tweets) and are joined here by id, so the
repository never copies the data. ``pool``: ``random`` rows were drawn at random from the customers' tweets
(seeds 20261207 to 20261211) and keep the real base rates; ``keyword`` rows were drawn from tweets holding
a routing or risk word ("app", "account", "price", "news", "safety", ...) to add minority-class examples;
``negative`` rows are random airline tweets that the airline data set marks negative (more risk cases);
``targeted`` rows (the sixth to eighth rounds) were drawn at random (seeds 20261212 to 20261214) from the customers'
tweets that hold a word of the themes ``labelled/dev_risk_targeted.csv`` was chosen around (legal, regulator, media,
safety, health, discrimination, harassment, vulnerable customers, extreme anger), with a word net written from the
data README, not from the cue lists: the kind of tweets that set was drawn from; the eighth round took the net's
last 145 tweets and 155 random ones from outside it (pool ``rest``: not base rates). The ninth to eleventh rounds
(seeds 20261215 to 20261217, pool ``targeted``; the eleventh took the net's last 166) drew from a second net of
words the first lacked (fear, pain, family, staff conduct, public exposure, escalation). None of them is in
``labelled/dev_routing.csv`` or ``labelled/dev_risk_targeted.csv``.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Sequence
from pathlib import Path

CARE_LABELS = Path(__file__).resolve().parent / "labels" / "care_tweets.csv"
ADAPTER_HOLDOUT = 300
ADAPTER_HOLDOUT_SEED = 7
ADAPTER_ROWS = 2999
"""The rows the shipped adapter was trained with; the hold-out is drawn from them, so rows appended later
(the fifth round on) leave it where it was."""


def read_csv(path: Path) -> list[dict[str, str]]:
    """Rows of a UTF-8 CSV as dicts (undecodable bytes replaced: the tweet files hold a few)."""
    with path.open(encoding="utf-8", errors="replace", newline="") as handle:
        return list(csv.DictReader(handle))


def load_care_labels(shared: Path, labels: Path = CARE_LABELS) -> list[dict[str, str]]:
    """The labelled rows, each with its ``text`` (``twcs:<tweet_id>`` or ``airline:<tweet_id>``)."""
    texts = {
        f"{source}:{r['tweet_id']}": r["text"]
        for source, file in (("twcs", "twcs/twcs_sample.csv"), ("airline", "airline_tweets/tweets_dev.csv"))
        for r in read_csv(shared / file)
    }
    rows = read_csv(labels)
    missing = [r["item_id"] for r in rows if r["item_id"] not in texts]
    if missing:
        raise SystemExit(f"{len(missing)} labelled ids are not in {shared} (first: {missing[0]}): is the data current?")
    return [{**r, "text": texts[r["item_id"]]} for r in rows]


def adapter_holdout(rows: Sequence[dict[str, str]]) -> list[int]:
    """Indices of the :data:`ADAPTER_HOLDOUT` random-pool rows that ``train_adapter.py`` never trains on (and no
    sentiment head sees): the one clean set for choosing the sentiment head, and a routing check."""
    pool = [i for i, r in enumerate(rows[:ADAPTER_ROWS]) if r["pool"] == "random"]
    return sorted(random.Random(ADAPTER_HOLDOUT_SEED).sample(pool, ADAPTER_HOLDOUT))
