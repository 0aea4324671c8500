"""The Elasticsearch adapter of the search index, on the official client.

The index template (``dashboards/elasticsearch/index_template.json``) maps every field; documents are
written with the bulk helper, the mention id as document id, so a replay overwrites instead of adding.
The trend views are aggregations: a date histogram with a sentiment split, terms on brand, hashtags and
terms, each under the same filter the SQL adapter applies.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from dashboards.search.docs import IndexDoc
from dashboards.search.port import Facets, Hit, Interval, TokenKind, TrendFilter, VolumePoint
from socialcare.errors import ConfigError, MissingExtraError
from socialcare.settings import Settings

try:
    from elasticsearch import Elasticsearch, helpers
except ModuleNotFoundError as exc:  # pragma: no cover - exercised only without the extra
    raise MissingExtraError("elasticsearch", "es") from exc

TEMPLATE = Path(__file__).resolve().parents[1] / "elasticsearch" / "index_template.json"
TEMPLATE_NAME = "socialcare-mentions"
INDEX = "socialcare-mentions"
SENTIMENTS = ("positive", "neutral", "negative")


class ElasticSearchIndex:
    def __init__(self, client: Elasticsearch, index: str = INDEX) -> None:
        self.client = client
        self.index_name = index
        self._ready = False

    @classmethod
    def from_settings(cls, settings: Settings) -> ElasticSearchIndex:
        if not settings.es_url:
            raise ConfigError("SOCIALCARE_ES_URL is not set: the Elasticsearch index needs the cluster's URL")
        api_key = settings.es_api_key.get_secret_value() if settings.es_api_key else None
        return cls(Elasticsearch(settings.es_url, api_key=api_key, request_timeout=30))

    def ensure_template(self) -> None:
        body = json.loads(TEMPLATE.read_text())
        self.client.indices.put_index_template(name=TEMPLATE_NAME, **body)
        self._ready = True

    def index(self, docs: Sequence[IndexDoc]) -> None:
        if not self._ready:
            self.ensure_template()
        actions = (
            {"_op_type": "index", "_index": self.index_name, "_id": doc.id, "_source": _source(doc)} for doc in docs
        )
        helpers.bulk(self.client, actions, chunk_size=500, max_retries=3)

    def refresh(self) -> None:
        self.client.indices.refresh(index=self.index_name)

    def volume(self, trend: TrendFilter, interval: Interval) -> list[VolumePoint]:
        aggs = {
            "buckets": {
                "date_histogram": {"field": "created_at", "calendar_interval": interval, "min_doc_count": 1},
                "aggs": {"sentiment": {"terms": {"field": "sentiment", "size": len(SENTIMENTS)}}},
            }
        }
        answer = self._aggregate(trend, aggs)
        points = []
        for bucket in answer["buckets"]["buckets"]:
            split = {item["key"]: item["doc_count"] for item in bucket["sentiment"]["buckets"]}
            when = datetime.fromtimestamp(bucket["key"] / 1000, UTC)
            points.append(VolumePoint(when, bucket["doc_count"], *(split.get(label, 0) for label in SENTIMENTS)))
        return points

    def share_of_voice(self, trend: TrendFilter) -> dict[str, int]:
        answer = self._aggregate(trend, {"brands": {"terms": {"field": "brand", "size": 200, "order": _ORDER}}})
        return {item["key"]: item["doc_count"] for item in answer["brands"]["buckets"]}

    def top_tokens(self, trend: TrendFilter, kind: TokenKind, limit: int = 20) -> list[tuple[str, int]]:
        field = "hashtags" if kind == "hashtag" else "terms"
        answer = self._aggregate(trend, {"tokens": {"terms": {"field": field, "size": limit, "order": _ORDER}}})
        return [(item["key"], item["doc_count"]) for item in answer["tokens"]["buckets"]]

    def facets(self) -> Facets:
        aggs: dict[str, Any] = {
            name: {"terms": {"field": name, "size": 200, "order": {"_key": "asc"}}}
            for name in ("brand", "source", "lang")
        }
        aggs["newest"] = {"max": {"field": "created_at"}}
        answer = self.client.search(index=self.index_name, size=0, aggs=aggs)["aggregations"]
        newest = answer["newest"].get("value")
        brands, sources, languages = (
            tuple(str(i["key"]) for i in answer[n]["buckets"]) for n in ("brand", "source", "lang")
        )
        return Facets(brands, sources, languages, datetime.fromtimestamp(newest / 1000, UTC) if newest else None)

    def search(self, text: str, trend: TrendFilter, limit: int = 50) -> list[Hit]:
        needle = " ".join(text.split())
        if not needle:
            return []
        query = _query(trend)
        query["bool"]["must"] = [{"match": {"text": {"query": needle, "operator": "and"}}}]
        answer = self.client.search(
            index=self.index_name, size=limit, query=query, sort=[{"created_at": "desc"}, {"id": "asc"}]
        )
        return [
            Hit(
                source["id"],
                datetime.fromisoformat(source["created_at"]),
                source["brand"],
                source["source"],
                source["lang"],
                source["sentiment"],
                source["text"],
            )
            for source in (hit["_source"] for hit in answer["hits"]["hits"])
        ]

    def _aggregate(self, trend: TrendFilter, aggs: dict[str, Any]) -> dict[str, Any]:
        answer = self.client.search(index=self.index_name, size=0, query=_query(trend), aggs=aggs)
        aggregations: dict[str, Any] = answer["aggregations"]
        return aggregations


_ORDER = [{"_count": "desc"}, {"_key": "asc"}]


def _query(trend: TrendFilter) -> dict[str, Any]:
    filters: list[dict[str, Any]] = [
        {"range": {"created_at": {"gte": trend.start.isoformat(), "lt": trend.end.isoformat()}}}
    ]
    if trend.brands:
        filters.append({"terms": {"brand": list(trend.brands)}})
    if trend.source:
        filters.append({"term": {"source": trend.source}})
    if trend.lang:
        filters.append({"term": {"lang": trend.lang}})
    return {"bool": {"filter": filters}}


def _source(doc: IndexDoc) -> dict[str, Any]:
    return {**asdict(doc), "created_at": doc.created_at.isoformat()}  # tuples become JSON lists
