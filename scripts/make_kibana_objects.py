"""Writes dashboards/kibana/socialcare.ndjson: Kibana saved objects for the trend dashboards.

    python scripts/make_kibana_objects.py

A data view over ``socialcare-mentions*`` (time field ``created_at``), five aggregation-based
visualizations (mention volume, sentiment over time, share of voice, top hashtags, top terms) and one
dashboard holding them, the same views as the web app's trends page. Import them with Kibana's Saved
Objects page or ``POST /api/saved_objects/_import``. tests/unit/test_kibana_objects.py checks that every
field they use is in the index template and that every reference resolves.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "dashboards" / "kibana" / "socialcare.ndjson"
DATA_VIEW = "socialcare-mentions"
INDEX_REF = "kibanaSavedObjectMeta.searchSourceJSON.index"

COUNT = {"id": "1", "enabled": True, "type": "count", "schema": "metric", "params": {}}
OVER_TIME = {
    "id": "2",
    "enabled": True,
    "type": "date_histogram",
    "schema": "segment",
    "params": {"field": "created_at", "interval": "auto", "min_doc_count": 1, "extended_bounds": {}},
}


def terms(agg_id: str, field: str, size: int, schema: str) -> dict[str, Any]:
    return {
        "id": agg_id,
        "enabled": True,
        "type": "terms",
        "schema": schema,
        "params": {
            "field": field,
            "size": size,
            "order": "desc",
            "orderBy": "1",
            "otherBucket": False,
            "missingBucket": False,
        },
    }


def bar_params(stacked: bool) -> dict[str, Any]:
    return {
        "type": "histogram",
        "addTooltip": True,
        "addLegend": True,
        "legendPosition": "right",
        "times": [],
        "addTimeMarker": False,
        "grid": {"categoryLines": False},
        "categoryAxes": [
            {
                "id": "CategoryAxis-1",
                "type": "category",
                "position": "bottom",
                "show": True,
                "scale": {"type": "linear"},
                "labels": {"show": True, "filter": True, "truncate": 100},
                "title": {},
            }
        ],
        "valueAxes": [
            {
                "id": "ValueAxis-1",
                "name": "LeftAxis-1",
                "type": "value",
                "position": "left",
                "show": True,
                "scale": {"type": "linear", "mode": "normal"},
                "labels": {"show": True, "rotate": 0, "filter": False, "truncate": 100},
                "title": {"text": "Mentions"},
            }
        ],
        "seriesParams": [
            {
                "show": True,
                "type": "histogram",
                "mode": "stacked" if stacked else "normal",
                "data": {"label": "Mentions", "id": "1"},
                "valueAxis": "ValueAxis-1",
                "drawLinesBetweenPoints": True,
                "showCircles": True,
            }
        ],
    }


VISUALIZATIONS: list[tuple[str, str, str, list[dict[str, Any]], dict[str, Any]]] = [
    ("socialcare-volume", "socialcare · mention volume", "histogram", [COUNT, OVER_TIME], bar_params(False)),
    (
        "socialcare-sentiment",
        "socialcare · sentiment over time",
        "histogram",
        [COUNT, OVER_TIME, terms("3", "sentiment", 3, "group")],
        bar_params(True),
    ),
    (
        "socialcare-share-of-voice",
        "socialcare · share of voice",
        "pie",
        [COUNT, terms("2", "brand", 20, "segment")],
        {
            "type": "pie",
            "addTooltip": True,
            "addLegend": True,
            "legendPosition": "right",
            "isDonut": True,
            "labels": {"show": True, "values": True, "last_level": True, "truncate": 100},
        },
    ),
    (
        "socialcare-top-hashtags",
        "socialcare · top hashtags",
        "table",
        [COUNT, terms("2", "hashtags", 15, "bucket")],
        {
            "perPage": 15,
            "showPartialRows": False,
            "showMetricsAtAllLevels": False,
            "showTotal": False,
            "totalFunc": "sum",
        },
    ),
    (
        "socialcare-top-terms",
        "socialcare · top terms",
        "table",
        [COUNT, terms("2", "terms", 15, "bucket")],
        {
            "perPage": 15,
            "showPartialRows": False,
            "showMetricsAtAllLevels": False,
            "showTotal": False,
            "totalFunc": "sum",
        },
    ),
]


def saved_objects() -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = [
        {
            "id": DATA_VIEW,
            "type": "index-pattern",
            "attributes": {
                "title": "socialcare-mentions*",
                "timeFieldName": "created_at",
                "name": "socialcare mentions",
            },
            "references": [],
        }
    ]
    search_source = json.dumps({"query": {"query": "", "language": "kuery"}, "filter": [], "indexRefName": INDEX_REF})
    for object_id, title, kind, aggs, params in VISUALIZATIONS:
        vis_state = {"title": title, "type": kind, "aggs": aggs, "params": params}
        objects.append(
            {
                "id": object_id,
                "type": "visualization",
                "attributes": {
                    "title": title,
                    "visState": json.dumps(vis_state),
                    "uiStateJSON": "{}",
                    "description": "",
                    "version": 1,
                    "kibanaSavedObjectMeta": {"searchSourceJSON": search_source},
                },
                "references": [{"id": DATA_VIEW, "name": INDEX_REF, "type": "index-pattern"}],
            }
        )
    layout = [(0, 0, 48, 12), (0, 12, 48, 12), (0, 24, 16, 15), (16, 24, 16, 15), (32, 24, 16, 15)]
    panels = [
        {
            "panelIndex": str(n),
            "gridData": {"x": x, "y": y, "w": w, "h": h, "i": str(n)},
            "version": "8.17.0",
            "panelRefName": f"panel_{n}",
            "embeddableConfig": {},
        }
        for n, (x, y, w, h) in enumerate(layout)
    ]
    objects.append(
        {
            "id": "socialcare-trends",
            "type": "dashboard",
            "attributes": {
                "title": "socialcare · trends",
                "description": "Volume, sentiment, share of voice, top hashtags and terms: the trends page.",
                "panelsJSON": json.dumps(panels),
                "optionsJSON": json.dumps({"useMargins": True, "hidePanelTitles": False}),
                "timeRestore": True,
                "timeFrom": "now-7d",
                "timeTo": "now",
                "refreshInterval": {"pause": False, "value": 60000},
                "kibanaSavedObjectMeta": {
                    "searchSourceJSON": json.dumps({"query": {"query": "", "language": "kuery"}, "filter": []})
                },
            },
            "references": [
                {"id": object_id, "name": f"panel_{n}", "type": "visualization"}
                for n, (object_id, *_rest) in enumerate(VISUALIZATIONS)
            ],
        }
    )
    return objects


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("".join(json.dumps(item, ensure_ascii=False, sort_keys=True) + "\n" for item in saved_objects()))
    print(f"wrote={OUT.relative_to(ROOT)} objects={len(saved_objects())}")


if __name__ == "__main__":
    main()
