"""The SQL system of record: engine, schema, migrations and repositories."""
