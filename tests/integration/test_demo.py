"""``socialcare demo``: the bundled sample goes through every stage on the embedded defaults."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

from typer.testing import CliRunner

from socialcare.cli import app
from socialcare.demo import run_demo


def sample_ids() -> set[str]:
    lines = (files("socialcare.sample") / "mentions.jsonl").read_text("utf-8").splitlines()
    return {json.loads(line)["id"] for line in lines if line.strip()}


def test_demo_processes_the_whole_sample_with_nothing_lost(tmp_path: Path) -> None:
    summary = run_demo(tmp_path, progress=False)
    expected = len(sample_ids())
    assert summary.imported.published == expected
    assert summary.imported.rejected == []
    assert summary.stages["store"].processed == expected
    assert sum(summary.by_source.values()) == expected
    assert summary.by_language["ja"] >= 30
    assert summary.threads >= 20
    assert summary.topics["mentions.raw"] == expected
    assert all(count == 0 for topic, count in summary.topics.items() if topic.endswith(".dlq"))


def test_demo_command_is_repeatable_and_prints_the_summary(tmp_path: Path) -> None:
    runner = CliRunner()
    for _ in range(2):  # a second run starts from a fresh demo database, not from the first run's log
        result = runner.invoke(app, ["demo", "--no-serve", "--var-dir", str(tmp_path)])
        assert result.exit_code == 0, result.output
        assert f"│ store           │ {len(sample_ids())}" in result.output
        assert "dead letters: 0" in result.output
