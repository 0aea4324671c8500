"""The bundled demo sample (``socialcare/sample``): valid events, complete labels, consistent threads,
and reproducible from ``scripts/make_sample.py``."""

from __future__ import annotations

import csv
import importlib.util
import io
import sys
from collections import Counter
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from types import ModuleType

import pytest

from socialcare.models import DEPARTMENTS, Mention, decode_event

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "make_sample.py"
MIN_PER_DEPARTMENT = 25
MIN_HIGH_RISK = 25
RISK_LEVELS = ("low", "medium", "high")
SENTIMENTS = ("negative", "neutral", "positive")
LABEL_COLUMNS = ["item_id", "department", "risk", "sentiment", "note"]


def _read(name: str) -> bytes:
    return resources.files("socialcare.sample").joinpath(name).read_bytes()


@pytest.fixture(scope="module")
def mentions() -> list[Mention]:
    lines = _read("mentions.jsonl").decode("utf-8").splitlines()
    return [decode_event(Mention, line) for line in lines]


@pytest.fixture(scope="module")
def labels() -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(_read("labels.csv").decode("utf-8")))
    assert reader.fieldnames == LABEL_COLUMNS
    return list(reader)


@pytest.fixture(scope="module")
def by_id(mentions: list[Mention]) -> dict[str, Mention]:
    return {m.id: m for m in mentions}


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_sample", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


def test_every_line_is_a_mention_and_ids_are_unique(mentions: list[Mention]) -> None:
    assert 300 <= len(mentions) <= 400
    ids = [m.id for m in mentions]
    assert len(set(ids)) == len(ids)
    assert len({(m.source, m.source_id) for m in mentions}) == len(mentions)


def test_labels_match_mentions_one_to_one(labels: list[dict[str, str]], by_id: dict[str, Mention]) -> None:
    label_ids = [row["item_id"] for row in labels]
    assert len(set(label_ids)) == len(label_ids)
    assert set(label_ids) == set(by_id)
    for row in labels:
        assert row["department"] in DEPARTMENTS
        assert row["risk"] in RISK_LEVELS
        assert row["sentiment"] in SENTIMENTS
        assert row["note"].strip()


def test_every_department_and_risk_level_is_well_represented(labels: list[dict[str, str]]) -> None:
    departments = Counter(row["department"] for row in labels)
    for department in DEPARTMENTS:
        assert departments[department] >= MIN_PER_DEPARTMENT, (department, departments)
    assert departments.most_common(1)[0][0] == "customer_service"
    risks = Counter(row["risk"] for row in labels)
    assert risks["high"] >= MIN_HIGH_RISK
    assert risks["medium"] >= MIN_PER_DEPARTMENT
    assert risks["low"] >= MIN_PER_DEPARTMENT


def test_languages_sources_and_brands(mentions: list[Mention]) -> None:
    langs = Counter(m.lang for m in mentions)
    assert 35 <= langs["ja"] <= 50
    assert all(langs[lang] >= 2 for lang in ("es", "de", "fr"))
    sources = Counter(m.source for m in mentions)
    assert set(sources) == {"x", "reddit"}
    assert 0.65 <= sources["x"] / len(mentions) <= 0.85
    brands = Counter(m.brand for m in mentions)
    assert brands["Lumora"] > brands["Brightnest"] >= 10
    assert brands["Hearthly"] >= 10
    assert all(m.matched_rules for m in mentions)
    assert not any(marker in m.text for m in mentions for marker in ("{to}", "{first}", "{link}", "{img}"))


def test_times_ids_and_urls_look_like_the_platforms(mentions: list[Mention]) -> None:
    start, end = datetime(2026, 11, 9, tzinfo=UTC), datetime(2026, 11, 16, tzinfo=UTC)
    for m in mentions:
        assert start <= m.created_at < end
        assert 0 < (m.collected_at - m.created_at).total_seconds() <= 3600
        if m.source == "x":
            assert m.source_id.isdigit() and len(m.source_id) == 19
            assert m.url == f"https://x.com/{m.author.handle}/status/{m.source_id}"
        else:
            assert m.source_id.startswith(("t3_", "t1_"))
            assert m.url is not None and m.url.startswith("https://www.reddit.com/r/")
    tweets = sorted((m for m in mentions if m.source == "x"), key=lambda m: m.created_at)
    assert [int(m.source_id) for m in tweets] == sorted(int(m.source_id) for m in tweets)


def test_the_incident_spike_is_visible(mentions: list[Mention]) -> None:
    per_hour = Counter(m.created_at.replace(minute=0, second=0) for m in mentions)
    peak_hour, peak = per_hour.most_common(1)[0]
    assert peak_hour.date().isoformat() == "2026-11-13"
    typical = sorted(per_hour.values())[len(per_hour) // 2]
    assert peak >= 4 * typical


def test_threads_are_consistent(mentions: list[Mention], by_id: dict[str, Mention]) -> None:
    replies = 0
    for m in mentions:
        if m.in_reply_to is None:
            assert m.conversation_id == m.id, m.id
            continue
        replies += 1
        parent = by_id.get(m.in_reply_to)
        assert parent is not None, f"{m.id} answers {m.in_reply_to}, which is not in the sample"
        assert parent.source == m.source
        assert parent.created_at < m.created_at
        assert m.conversation_id == parent.conversation_id
        root = by_id[m.conversation_id or ""]
        assert root.in_reply_to is None
        if m.source == "reddit":
            assert m.source_id.startswith("t1_") and root.source_id.startswith("t3_")
            assert m.url is not None and root.url is not None and m.url.startswith(root.url)
    assert replies >= 40
    reddit_threads = {m.conversation_id for m in mentions if m.source == "reddit" and m.in_reply_to}
    assert len(reddit_threads) >= 3
    own = ("LumoraHelp", "LumoraSupport")
    brand_replies = [m for m in mentions if m.author.handle in own and m.in_reply_to]
    assert len(brand_replies) >= 10


def test_the_generator_reproduces_the_shipped_files() -> None:
    files = _load_generator().build()
    assert set(files) == {"mentions.jsonl", "labels.csv"}
    for name, data in files.items():
        assert data == _read(name), f"{name} differs: run scripts/make_sample.py"
