"""``socialcare import`` end to end: bad rows reported and dead-lettered, resumable, crash-safe."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from collectors.base import Collected
from collectors.replay import ReplaySource
from socialcare.bus.dlq import DeadLetter
from socialcare.cli import app
from socialcare.pipeline import run_stages
from socialcare.runtime import Runtime
from socialcare.settings import Settings
from socialcare.store.checkpoints import CheckpointStore
from socialcare.store.mentions import MentionStore
from socialcare.topics import MENTIONS_RAW, dlq_topic

HEADER = "id,text,created_at,author_id,likes\n"
BROKEN_CSV = (
    (
        HEADER
        + "1,first good row,2026-11-09T08:00:00Z,a1,3\n"
        + "2,,2026-11-09T08:01:00Z,a2,0\n"  # row 2: empty text
        + "3,bad date,yesterday,a3,0\n"  # row 3: unparseable time
        + "4,too few fields\n"  # row 4: missing cells
        + '5,"a quoted, multi-line\ntext",2026-11-09T08:04:00Z,a5,1\n'  # row 5: good, spans two lines
    ).encode()
    + "6,caf\xe9 in Latin-1,2026-11-09T08:05:00Z,a6,0\n".encode("latin-1")
    + (  # row 6: bad bytes
        b"7,last good row,2026-11-09T08:06:00Z,a7,x\n"  # row 7: likes is not a number
        b"8,really the last good row,2026-11-09T08:07:00Z,a8,2\n"
    )
)


def env_for(tmp_path: Path) -> dict[str, str]:
    return {"SOCIALCARE_DATABASE_URL": f"sqlite:///{tmp_path / 'sc.db'}", "SOCIALCARE_LOG_LEVEL": "WARNING"}


def test_broken_csv_imports_every_good_row_and_reports_each_bad_one(tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    path.write_bytes(BROKEN_CSV)
    result = CliRunner().invoke(app, ["import", str(path), "--no-progress"], env=env_for(tmp_path))
    assert result.exit_code == 0, result.output
    rejected_lines = [line for line in result.output.splitlines() if line.startswith("rejected ")]
    assert [line.split(":")[0] for line in rejected_lines] == [
        "rejected row 2",
        "rejected row 3",
        "rejected row 4",
        "rejected row 6",
        "rejected row 7",
    ]
    assert "text is empty" in rejected_lines[0]
    assert "yesterday" in rejected_lines[1]
    assert "not valid UTF-8" in rejected_lines[3] and "--encoding" in rejected_lines[3]
    assert "published=3 " in result.output and "rejected=5 " in result.output

    settings = Settings.model_validate({"database_url": env_for(tmp_path)["SOCIALCARE_DATABASE_URL"]})
    with Runtime.open(settings) as runtime:
        run_stages(runtime, ["store"], until_idle=True)
        assert MentionStore(runtime.engine).ids() == {"import:1", "import:5", "import:8"}
        assert MentionStore(runtime.engine).get("import:5").text == "a quoted, multi-line\ntext"  # type: ignore[union-attr]
        letters = [DeadLetter.from_record(r) for r in runtime.transport.read(dlq_topic(MENTIONS_RAW), 10)]
    assert [letter.reason.split(":")[0] for letter in letters] == [
        "row 2",
        "row 3",
        "row 4",
        "row 6",
        "row 7",
    ]
    assert letters[3].value == "6,caf\xe9 in Latin-1,2026-11-09T08:05:00Z,a6,0".encode("latin-1")


def test_missing_columns_fail_at_once_with_a_hint(tmp_path: Path) -> None:
    path = tmp_path / "wrong.csv"
    path.write_text("body,when\nhello,2026-11-09T08:00:00Z\n")
    result = CliRunner().invoke(app, ["import", str(path)], env=env_for(tmp_path))
    assert result.exit_code == 2
    assert "error:" in result.output and "--map" in result.output


def test_a_second_import_of_the_same_file_resumes_and_publishes_nothing(tmp_path: Path, shared_data: Path) -> None:
    twcs = str(shared_data / "twcs" / "twcs_sample.csv")
    runner = CliRunner()
    first = runner.invoke(app, ["import", twcs, "-f", "twcs", "--no-progress"], env=env_for(tmp_path))
    again = runner.invoke(app, ["import", twcs, "-f", "twcs", "--no-progress"], env=env_for(tmp_path))
    redo = runner.invoke(app, ["import", twcs, "-f", "twcs", "--no-progress", "--restart"], env=env_for(tmp_path))
    assert "published=2777 " in first.output, first.output
    assert "published=0 " in again.output and "resumed_from=4999" in again.output
    assert "published=2777 " in redo.output and "resumed_from=start" in redo.output


@pytest.mark.slow
def test_import_killed_with_sigkill_and_restarted_stores_exactly_the_file(tmp_path: Path, shared_data: Path) -> None:
    airline = shared_data / "airline_tweets" / "tweets_dev.csv"
    expected = {
        item.mention.id for item in ReplaySource(airline, format="airline").items(None) if isinstance(item, Collected)
    }
    env = {**os.environ, **env_for(tmp_path), "SOCIALCARE_BATCH_SIZE": "200"}
    command = [
        sys.executable,
        "-m",
        "socialcare.cli",
        "import",
        str(airline),
        "-f",
        "airline",
        "--no-progress",
    ]
    settings = Settings.model_validate({"database_url": env["SOCIALCARE_DATABASE_URL"]})

    victim = subprocess.Popen([*command, "--rate", "3000/s"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    with Runtime.open(settings) as runtime:
        checkpoints = CheckpointStore(runtime.engine)
        key = ReplaySource(airline, format="airline").checkpoint_key
        deadline = time.monotonic() + 60
        while (checkpoints.load(key) is None) and time.monotonic() < deadline:
            time.sleep(0.05)
        victim.send_signal(signal.SIGKILL)
        victim.wait(10)
        killed_at = int(checkpoints.load(key) or 0)
        assert 0 < killed_at < 10_000, "the kill must land mid-way"

        finished = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=False)
        assert finished.returncode == 0, finished.stderr
        assert f"resumed_from={killed_at}" in finished.stdout

        run_stages(runtime, ["store"], until_idle=True)
        store = MentionStore(runtime.engine)
        assert store.ids() == expected
        assert store.count() == len(expected)
        published = runtime.transport.end_offsets(MENTIONS_RAW)
        # at most the batch in flight at the kill is published twice; the store's upsert absorbs it
        assert len(expected) <= published <= len(expected) + 200 + 107


def test_rate_option_paces_the_replay(tmp_path: Path) -> None:
    path = tmp_path / "sixty.csv"
    rows = "".join(f"{i},post {i},2026-11-09T08:00:{i:02d}Z,a{i},0\n" for i in range(60))
    path.write_text(HEADER + rows)
    started = time.monotonic()
    result = CliRunner().invoke(app, ["import", str(path), "--rate", "100/s", "--no-progress"], env=env_for(tmp_path))
    elapsed = time.monotonic() - started
    assert result.exit_code == 0, result.output
    assert "published=60 " in result.output
    assert elapsed >= 59 / 100 * 0.95, f"60 rows at 100/s took only {elapsed:.2f} s"


def test_speedup_replays_the_original_gaps(tmp_path: Path) -> None:
    path = tmp_path / "gaps.csv"
    path.write_text(HEADER + "1,a,2026-11-09T08:00:00Z,a1,0\n2,b,2026-11-09T08:00:30Z,a2,0\n")
    started = time.monotonic()
    result = CliRunner().invoke(app, ["import", str(path), "--speedup", "60", "--no-progress"], env=env_for(tmp_path))
    assert result.exit_code == 0, result.output
    assert 0.45 <= time.monotonic() - started < 5  # a 30 s gap at 60x is half a second
