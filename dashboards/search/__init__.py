"""The search-index port behind the dashboards: the SQL adapter (default) and the Elasticsearch adapter."""
