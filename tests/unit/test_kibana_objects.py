"""The Kibana saved objects are current and consistent with the Elasticsearch index template."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import REPO

NDJSON = REPO / "dashboards" / "kibana" / "socialcare.ndjson"
TEMPLATE = REPO / "dashboards" / "elasticsearch" / "index_template.json"


def load(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def test_the_file_is_what_the_generator_writes() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_kibana_objects", REPO / "scripts" / "make_kibana_objects.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert load(NDJSON) == json.loads(json.dumps(module.saved_objects())), "run python scripts/make_kibana_objects.py"


def test_every_field_is_mapped_and_every_reference_resolves() -> None:
    objects = load(NDJSON)
    mapped = set(json.loads(TEMPLATE.read_text())["template"]["mappings"]["properties"])
    ids = {(item["type"], item["id"]) for item in objects}
    assert len(ids) == len(objects)
    [data_view] = [item for item in objects if item["type"] == "index-pattern"]
    assert data_view["attributes"]["timeFieldName"] in mapped  # type: ignore[index]
    fields_used = set()
    for item in objects:
        for reference in item["references"]:  # type: ignore[attr-defined]
            assert (reference["type"], reference["id"]) in ids, reference
        if item["type"] == "visualization":
            state = json.loads(item["attributes"]["visState"])  # type: ignore[index]
            fields_used |= {agg["params"]["field"] for agg in state["aggs"] if "field" in agg["params"]}
    assert fields_used == {"created_at", "sentiment", "brand", "hashtags", "terms"}
    assert fields_used <= mapped
    [dashboard] = [item for item in objects if item["type"] == "dashboard"]
    panels = json.loads(dashboard["attributes"]["panelsJSON"])  # type: ignore[index]
    assert {panel["panelRefName"] for panel in panels} == {ref["name"] for ref in dashboard["references"]}  # type: ignore[attr-defined]
