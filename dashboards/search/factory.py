"""The search index the settings ask for: Elasticsearch when ``SOCIALCARE_ES_URL`` is set, else SQL."""

from __future__ import annotations

from sqlalchemy import Engine

from dashboards.search.port import SearchIndex
from dashboards.search.sql_index import SqlSearchIndex
from socialcare.settings import Settings


def search_index_from_settings(settings: Settings, engine: Engine) -> SearchIndex:
    if settings.es_url:
        from dashboards.search.elastic import ElasticSearchIndex

        return ElasticSearchIndex.from_settings(settings)
    return SqlSearchIndex(engine)
