"""One contract for every search-index adapter: SQL on SQLite and PostgreSQL always, Elasticsearch when
``SOCIALCARE_ES_URL`` points at a cluster (``docker compose up -d elasticsearch``, then
``SOCIALCARE_ES_URL=http://localhost:9200 make test``). Ranges are whole hours: the SQL adapter answers
from hourly rollups. The SQL adapter is also checked against the naive queries over its documents."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from dashboards.search.docs import IndexDoc
from dashboards.search.port import TrendFilter, VolumePoint
from dashboards.search.sql_index import NaiveSqlQueries, SqlSearchIndex
from socialcare.store import migrate
from socialcare.store.db import make_engine
from tests.conftest import _reset_postgres

T0 = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
DAY = TrendFilter(T0, T0 + timedelta(days=1))


def doc(n: int, *, brand: str = "Lumora", minutes: int = 0, sentiment: str = "negative", source: str = "x",
        lang: str = "en", hashtags: tuple[str, ...] = (), terms: tuple[str, ...] = ()) -> IndexDoc:  # fmt: skip
    return IndexDoc(
        id=f"{source}:{n}",
        brand=brand,
        source=source,
        lang=lang,
        created_at=T0 + timedelta(minutes=minutes),
        sentiment=sentiment,
        risk_level="low",
        department="customer_service",
        author_handle=f"user{n}",
        text=f"text {n}",
        hashtags=hashtags,
        terms=terms,
    )


CORPUS = [
    doc(1, minutes=5, hashtags=("#fail",), terms=("heater", "broke")),
    doc(2, minutes=20, sentiment="positive", hashtags=("#love",), terms=("heater",)),
    doc(3, minutes=70, sentiment="neutral", source="reddit", terms=("delivery",)),
    doc(4, minutes=75, brand="Brightnest", hashtags=("#fail",), terms=("heater", "late")),
    doc(5, minutes=130, lang="ja", terms=("ヒーター",)),
    doc(6, minutes=60 * 30, terms=("outside", "range")),  # the next day: outside DAY
]


@pytest.fixture(params=["sqlite", "postgresql", "elasticsearch"])
def search_index(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    if request.param in {"sqlite", "postgresql"}:
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path / 'socialcare.db'}"
        else:
            url = request.getfixturevalue("postgres_server")
            _reset_postgres(url)
        engine = make_engine(url)
        migrate.upgrade(engine)
        yield SqlSearchIndex(engine)
        engine.dispose()
        return
    url = os.environ.get("SOCIALCARE_ES_URL")
    if not url:
        pytest.skip("SOCIALCARE_ES_URL is not set: the Elasticsearch contract runs against a real cluster only")
    from elasticsearch import Elasticsearch

    from dashboards.search.elastic import ElasticSearchIndex

    client = Elasticsearch(url)
    adapter = ElasticSearchIndex(client, index=f"socialcare-mentions-test-{uuid.uuid4().hex[:8]}")
    yield adapter
    client.indices.delete(index=adapter.index_name, ignore_unavailable=True)


def filled(search_index: Any, docs: list[IndexDoc] = CORPUS) -> Any:
    search_index.index(docs)
    if hasattr(search_index, "refresh"):
        search_index.refresh()
    return search_index


def test_volume_per_hour_and_day_with_sentiment(search_index: Any) -> None:
    index = filled(search_index)
    assert index.volume(DAY, "hour") == [
        VolumePoint(T0, 2, 1, 0, 1),
        VolumePoint(T0 + timedelta(hours=1), 2, 0, 1, 1),
        VolumePoint(T0 + timedelta(hours=2), 1, 0, 0, 1),
    ]
    assert index.volume(DAY, "day") == [VolumePoint(T0.replace(hour=0), 5, 1, 1, 3)]


def test_filters_narrow_every_view(search_index: Any) -> None:
    index = filled(search_index)
    lumora_x = TrendFilter(DAY.start, DAY.end, brands=("Lumora",), source="x", lang="en")
    assert [(p.bucket.hour, p.mentions) for p in index.volume(lumora_x, "hour")] == [(9, 2)]
    assert index.share_of_voice(DAY) == {"Lumora": 4, "Brightnest": 1}
    assert index.share_of_voice(TrendFilter(DAY.start, DAY.end, lang="ja")) == {"Lumora": 1}


def test_top_hashtags_and_terms(search_index: Any) -> None:
    index = filled(search_index)
    assert index.top_tokens(DAY, "hashtag") == [("#fail", 2), ("#love", 1)]
    assert index.top_tokens(DAY, "term", limit=2) == [("heater", 3), ("broke", 1)]
    assert index.top_tokens(TrendFilter(DAY.start, DAY.end, brands=("Brightnest",)), "term") == [
        ("heater", 1),
        ("late", 1),
    ]


def test_indexing_again_changes_nothing_and_a_changed_doc_replaces_the_old(search_index: Any) -> None:
    index = filled(search_index)
    filled(index)  # a replay
    assert sum(p.mentions for p in index.volume(DAY, "hour")) == 5
    moved = doc(1, minutes=200, sentiment="positive", terms=("fixed",))  # edited: another hour and text
    filled(index, [moved])
    assert [(p.bucket.hour, p.mentions, p.positive) for p in index.volume(DAY, "hour")] == [
        (9, 1, 1), (10, 2, 0), (11, 1, 0), (12, 1, 1),
    ]  # fmt: skip
    assert ("broke", 1) not in index.top_tokens(DAY, "term") and ("fixed", 1) in index.top_tokens(DAY, "term")


def test_the_sql_rollups_answer_as_the_naive_queries_do(engine: Engine) -> None:
    index = filled(SqlSearchIndex(engine))
    naive = NaiveSqlQueries(engine)
    spanning = TrendFilter(T0 - timedelta(hours=20), T0 + timedelta(days=1, hours=8))  # partial, whole, partial
    midnights = TrendFilter(T0.replace(hour=0), T0.replace(hour=0) + timedelta(days=3))  # whole days only
    for trend in (DAY, TrendFilter(DAY.start, DAY.end, brands=("Lumora",), source="x"), spanning, midnights):
        assert index.volume(trend, "hour") == naive.volume(trend, "hour")
        assert index.share_of_voice(trend) == naive.share_of_voice(trend)
        for kind in ("hashtag", "term"):
            assert index.top_tokens(trend, kind) == naive.top_tokens(trend, kind)  # type: ignore[arg-type]
    assert index.rebuild_rollups(T0, T0 + timedelta(days=2)) == 4
    assert index.volume(DAY, "day") == naive.volume(DAY, "day")


def test_facets_name_what_is_indexed(search_index: Any) -> None:
    facets = filled(search_index).facets()
    assert facets.brands == ("Brightnest", "Lumora")
    assert facets.sources == ("reddit", "x") and facets.languages == ("en", "ja")
    assert facets.newest == T0 + timedelta(minutes=60 * 30)


def test_full_text_search_finds_words_and_japanese_under_the_filter(search_index: Any) -> None:
    docs = [
        replace(doc(1, minutes=5), text="My heater broke again, 100% useless"),
        replace(doc(2, minutes=10, brand="Brightnest"), text="Brightnest heater is quiet"),
        replace(doc(3, minutes=15, lang="ja"), text="ルモラのヒーターが壊れました"),
        replace(doc(4, minutes=20), text="delivery was late"),
    ]
    index = filled(search_index, docs)
    assert [hit.id for hit in index.search("heater", DAY)] == ["x:2", "x:1"]  # newest first
    assert [hit.id for hit in index.search("HEATER", TrendFilter(DAY.start, DAY.end, brands=("Lumora",)))] == ["x:1"]
    assert [hit.id for hit in index.search("ヒーター", DAY)] == ["x:3"]
    assert [hit.id for hit in index.search("heater broke", DAY)] == ["x:1"]
    assert index.search("   ", DAY) == [] and index.search("nothing-like-this", DAY) == []
    assert [hit.id for hit in index.search("100%", DAY)] == ["x:1"]  # no wildcard from the user's text
