"""``socialcare demo``: the bundled sample through every stage on the embedded defaults, then a summary."""

from __future__ import annotations

import csv
import secrets
from dataclasses import dataclass, field
from importlib.resources import as_file, files
from pathlib import Path

from rich.console import Console
from rich.table import Table
from sqlalchemy import func, select

from collectors.importer import import_source
from collectors.replay import ReplaySource
from collectors.runner import RunReport
from enrich.department import primary_department
from socialcare.bus.worker import WorkerStats
from socialcare.models import EnrichedMention, TriageDecision, decode_event
from socialcare.pipeline import run_stages
from socialcare.runtime import Runtime
from socialcare.settings import Settings
from socialcare.stages import STAGES
from socialcare.store.schema import cases, mentions
from socialcare.topics import MENTIONS_ENRICHED, TRIAGE_DECISIONS, all_topics_with_dlq, dlq_topic

SAMPLE = "mentions.jsonl"
LABELS = "labels.csv"
DEMO_DB = "demo.db"


@dataclass
class DemoSummary:
    database: str
    imported: RunReport
    stages: dict[str, WorkerStats]
    by_source: dict[str, int] = field(default_factory=dict)
    by_brand: dict[str, int] = field(default_factory=dict)
    by_language: dict[str, int] = field(default_factory=dict)
    threads: int = 0
    topics: dict[str, int] = field(default_factory=dict)
    enriched: dict[str, dict[str, int]] = field(default_factory=dict)
    agreement: dict[str, str] = field(default_factory=dict)
    triage: dict[str, dict[str, int]] = field(default_factory=dict)
    cases: int = 0


def demo_settings(var_dir: Path) -> Settings:
    """Embedded transport on the demo's SQLite file, whatever the environment says: the demo needs no server."""
    database = var_dir / DEMO_DB
    return Settings.model_validate(
        {"var_dir": var_dir, "database_url": f"sqlite:///{database}", "kafka_bootstrap": None}
    )


def fresh_demo_settings(var_dir: Path) -> Settings:
    """:func:`demo_settings` on a new, empty database."""
    database = var_dir / DEMO_DB
    for stale in (database, database.with_name(DEMO_DB + "-wal"), database.with_name(DEMO_DB + "-shm")):
        stale.unlink(missing_ok=True)
    return demo_settings(var_dir)


DEMO_ACCOUNTS = {"demo-agent": "agent", "demo-approver": "approver"}


def demo_accounts(settings: Settings) -> dict[str, tuple[str, str]]:
    """An agent and an approver for the demo's web app, each with a fresh random password."""
    from dashboards.accounts import set_password
    from responders.approval import ReplyStore
    from socialcare.runtime import open_engine

    engine = open_engine(settings)
    store, accounts = ReplyStore(engine), {}
    for user, role in DEMO_ACCOUNTS.items():
        password = secrets.token_urlsafe(12)
        store.add_user(user, role)  # type: ignore[arg-type]
        set_password(engine, user, password)
        accounts[user] = (role, password)
    engine.dispose()
    return accounts


def run_demo(var_dir: Path, progress: bool = True) -> DemoSummary:
    settings = fresh_demo_settings(var_dir)
    with Runtime.open(settings) as runtime, as_file(files("socialcare.sample") / SAMPLE) as sample:
        imported = import_source(runtime, ReplaySource(sample, format="jsonl"), progress=progress)
        stages = run_stages(runtime, list(STAGES), until_idle=True)
        summary = DemoSummary(settings.effective_database_url, imported, stages)
        with runtime.engine.connect() as connection:
            for column, target in (
                (mentions.c.source, summary.by_source),
                (mentions.c.brand, summary.by_brand),
                (mentions.c.lang, summary.by_language),
            ):
                rows = connection.execute(select(column, func.count()).group_by(column)).all()
                target.update({"(unset)" if key is None else str(key): int(count) for key, count in rows})
            summary.threads = int(
                connection.execute(
                    select(func.count()).select_from(
                        select(mentions.c.conversation_id)
                        .where(mentions.c.conversation_id.is_not(None))
                        .group_by(mentions.c.conversation_id)
                        .having(func.count() > 1)
                        .subquery()
                    )
                ).scalar_one()
            )
            summary.cases = int(connection.execute(select(func.count()).select_from(cases)).scalar_one())
        summary.topics = {topic: runtime.transport.end_offsets(topic) for topic in all_topics_with_dlq()}
        decisions = [decode_event(TriageDecision, r.value) for r in runtime.transport.read(TRIAGE_DECISIONS, 1_000_000)]
        enriched = [
            decode_event(EnrichedMention, r.value) for r in runtime.transport.read(MENTIONS_ENRICHED, 1_000_000)
        ]
    summary.enriched, summary.agreement = enrichment_outcomes(enriched)
    summary.triage = triage_outcomes(decisions)
    return summary


def triage_outcomes(decisions: list[TriageDecision]) -> dict[str, dict[str, int]]:
    """Decisions per priority, per department, and how many copy PR."""
    tallies: dict[str, dict[str, int]] = {"priority": {}, "department": {}, "cc": {}}
    for decision in decisions:
        for key, value in (("priority", decision.priority), ("department", decision.department)):
            tallies[key][value] = tallies[key].get(value, 0) + 1
        for copied in decision.cc:
            tallies["cc"][copied] = tallies["cc"].get(copied, 0) + 1
    return tallies


def enrichment_outcomes(enriched: list[EnrichedMention]) -> tuple[dict[str, dict[str, int]], dict[str, str]]:
    """Counts of sentiment, department and risk, and agreement with the sample's own labels."""
    tallies: dict[str, dict[str, int]] = {"sentiment": {}, "department": {}, "risk": {}}
    predicted: dict[str, dict[str, str]] = {}
    for mention in enriched:
        values: dict[str, str] = {
            "sentiment": mention.sentiment.label,
            "department": primary_department(mention.department_scores),
            "risk": mention.risk.level,
        }
        predicted[mention.id] = values
        for key, value in values.items():
            tallies[key][value] = tallies[key].get(value, 0) + 1
    labels = list(csv.DictReader((files("socialcare.sample") / LABELS).read_text("utf-8").splitlines()))
    agreement: dict[str, str] = {}
    for key in ("sentiment", "department"):
        pairs = [(row[key], predicted[row["item_id"]][key]) for row in labels if row["item_id"] in predicted]
        if pairs:
            agreement[f"{key} accuracy"] = f"{sum(g == p for g, p in pairs) / len(pairs):.2f} of {len(pairs)}"
    high = [predicted[r["item_id"]]["risk"] for r in labels if r["risk"] == "high" and r["item_id"] in predicted]
    flagged = [r["risk"] for r in labels if r["item_id"] in predicted and predicted[r["item_id"]]["risk"] == "high"]
    if high:
        agreement["high-risk recall"] = f"{high.count('high') / len(high):.2f} of {len(high)}"
    if flagged:
        agreement["high-risk precision"] = f"{flagged.count('high') / len(flagged):.2f} of {len(flagged)}"
    return tallies, agreement


def print_summary(summary: DemoSummary, console: Console) -> None:
    console.print(f"\n[bold]socialcare demo[/] on the embedded defaults ({summary.database})", highlight=False)
    stages = Table("stage", "consumed", "processed", "emitted", "dead-lettered", title="stages")
    stages.add_row(
        "import (sample)",
        "-",
        str(summary.imported.published + len(summary.imported.rejected)),
        str(summary.imported.published),
        str(len(summary.imported.rejected)),
    )
    for name, stats in summary.stages.items():
        stages.add_row(name, *(str(v) for v in (stats.consumed, stats.processed, stats.emitted, stats.dead_lettered)))
    console.print(stages)
    outcomes = Table("outcome", "count", title="stored mentions")
    for label, counts in (
        ("source", summary.by_source),
        ("brand", summary.by_brand),
        ("lang", summary.by_language),
    ):
        for key, count in sorted(counts.items(), key=lambda kv: -kv[1]):
            outcomes.add_row(f"{label}={key}", str(count))
    outcomes.add_row("threads (2+ mentions)", str(summary.threads))
    console.print(outcomes)
    topics = Table("topic", "records", title="topics")
    for topic, count in summary.topics.items():
        if count or not topic.endswith(".dlq"):
            topics.add_row(topic, str(count))
    console.print(topics)
    if summary.enriched:
        enrichment = Table("enrichment", "count", title="enriched mentions")
        for key, counts in summary.enriched.items():
            for value, count in sorted(counts.items(), key=lambda kv: -kv[1]):
                enrichment.add_row(f"{key}={value}", str(count))
        for name, value in summary.agreement.items():
            enrichment.add_row(f"vs sample labels: {name}", value)
        console.print(enrichment)
    if summary.triage:
        triage = Table("triage", "count", title=f"triage decisions ({summary.cases} cases)")
        for key, counts in summary.triage.items():
            for value, count in sorted(counts.items()):
                triage.add_row(f"{key}={value}", str(count))
        console.print(triage)
    dead = sum(count for topic, count in summary.topics.items() if topic == dlq_topic(topic) and count)
    console.print(f"dead letters: {dead}" + ("  (see  socialcare dlq show TOPIC)" if dead else ""), highlight=False)
