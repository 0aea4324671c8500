"""The ``socialcare`` command: help everywhere, config without secrets, db, dlq, broker lifecycle."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from socialcare.broker import free_port, wait_for_port
from socialcare.cli import app

runner = CliRunner()


def all_command_paths() -> list[list[str]]:
    root = typer.main.get_command(app)
    paths: list[list[str]] = []

    def walk(command: object, path: list[str]) -> None:
        paths.append(path)
        for name, sub in getattr(command, "commands", {}).items():  # a group has subcommands
            walk(sub, [*path, name])

    walk(root, [])
    return paths


@pytest.mark.parametrize("path", all_command_paths(), ids=lambda p: " ".join(p) or "socialcare")
def test_every_command_has_help(path: list[str]) -> None:
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output


def test_the_command_set_covers_the_foundation() -> None:
    paths = {" ".join(p) for p in all_command_paths()}
    assert {
        "config show",
        "db upgrade",
        "db current",
        "broker",
        "import",
        "worker",
        "demo",
        "dlq show",
    } <= paths


def test_config_show_prints_settings_without_secrets(tmp_path: Path) -> None:
    env = {
        "SOCIALCARE_X_BEARER_TOKEN": "tok-abc-123",
        "SOCIALCARE_DATABASE_URL": "postgresql+psycopg://care:pw-xyz@db/socialcare",
    }
    result = runner.invoke(app, ["config", "show", "--json"], env=env)
    assert result.exit_code == 0, result.output
    assert "tok-abc-123" not in result.output and "pw-xyz" not in result.output
    assert '"x_bearer_token": "**********"' in result.output
    assert "postgresql+psycopg://care:**********@db/socialcare" in result.output


def test_invalid_configuration_is_a_clear_error() -> None:
    result = runner.invoke(app, ["config", "show"], env={"SOCIALCARE_BATCH_SIZE": "lots"})
    assert result.exit_code == 2
    assert "invalid configuration: batch_size" in result.output


def test_db_upgrade_and_current(tmp_path: Path) -> None:
    env = {"SOCIALCARE_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    upgraded = runner.invoke(app, ["db", "upgrade"], env=env)
    assert upgraded.exit_code == 0, upgraded.output
    assert "revision=0012" in upgraded.output
    current = runner.invoke(app, ["db", "current"], env=env)
    assert "current=0012 head=0012" in current.output


def test_worker_refuses_an_unknown_stage() -> None:
    result = runner.invoke(app, ["worker", "nonsense"])
    assert result.exit_code == 2
    assert "unknown stage 'nonsense'" in result.output and "store" in result.output


def test_dlq_show_on_an_empty_topic(tmp_path: Path) -> None:
    env = {"SOCIALCARE_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    result = runner.invoke(app, ["dlq", "show", "mentions.raw"], env=env)
    assert result.exit_code == 0, result.output
    assert "mentions.raw.dlq is empty" in result.output


@pytest.mark.kafka
def test_broker_command_serves_kafka_until_interrupted() -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "socialcare.cli", "broker", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=os.environ.copy(),
    )
    try:
        assert wait_for_port("127.0.0.1", port, 20)
        from kafka import KafkaAdminClient

        admin = KafkaAdminClient(bootstrap_servers=f"127.0.0.1:{port}")
        assert isinstance(admin.list_topics(), list)
        admin.close()
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=20)
    assert process.returncode == 0, output.decode()
    assert f"SOCIALCARE_KAFKA_BOOTSTRAP=127.0.0.1:{port}" in output.decode()
    assert not wait_for_port("127.0.0.1", port, 1), "the broker must stop with the command"
