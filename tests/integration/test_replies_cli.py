"""``socialcare users`` and ``socialcare replies`` from draft to posted, on the embedded defaults.

No posting credentials are set, so the responder worker uses the dry-run poster: the reply is recorded in
``dry_run_posts`` and the whole path (template draft, second-person approval, outbox, worker, audit) runs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from socialcare.cli import app
from socialcare.runtime import open_engine
from socialcare.settings import Settings
from socialcare.store.mentions import MentionStore
from socialcare.store.schema import dry_run_posts
from tests.integration.test_triage_cases import file, post
from triage.cases import CaseStore


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    variables = {"SOCIALCARE_VAR_DIR": str(tmp_path), "SOCIALCARE_LOG_LEVEL": "WARNING"}
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    for name in ("SOCIALCARE_DATABASE_URL", "SOCIALCARE_KAFKA_BOOTSTRAP", "SOCIALCARE_USER"):
        monkeypatch.delenv(name, raising=False)
    return variables


def invoke(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_from_a_case_to_a_posted_reply_in_the_terminal(env: dict[str, str]) -> None:
    engine = open_engine(Settings())
    mention = post(1, "jo", 0, text="@Lumora my order never arrived, where is it?")
    MentionStore(engine).upsert_many([mention])
    [decision] = file(CaseStore(engine), mention)

    invoke("users", "add", "alice", "--role", "agent")
    invoke("users", "add", "bob", "--role", "approver")
    drafted = invoke("replies", "draft", decision.case_id, "--as", "alice", "--signature", "AL")
    reply_id = drafted.split()[0].removeprefix("reply=")
    assert "status=draft" in drafted and "^AL" in drafted
    assert "status=pending_approval" in invoke("replies", "submit", reply_id, "--as", "alice")

    own = CliRunner().invoke(app, ["replies", "approve", reply_id, "--as", "alice"])
    assert own.exit_code == 2 and "agent" in own.output  # an agent, and the author: refused, audited

    approved = invoke("replies", "approve", reply_id, "--as", "bob")
    assert "status=approved" in approved and "published=1" in approved
    assert "published=0" in invoke("replies", "publish")  # already sent

    assert "stage=respond" in invoke("worker", "respond", "--until-idle")
    listed = invoke("replies", "list", "--status", "posted")
    assert reply_id in listed and "replies=1" in listed
    shown = invoke("replies", "show", reply_id)
    assert "dry-run:" in shown and "refused" in shown and "posted" in shown
    with engine.connect() as connection:
        [row] = connection.execute(select(dry_run_posts)).mappings().all()
    assert (row["platform"], row["in_reply_to_id"]) == ("x", mention.source_id)
    assert CaseStore(engine).get(decision.case_id)["first_responded_at"] is not None  # type: ignore[index]
    engine.dispose()


def test_a_case_without_a_platform_post_cannot_be_answered(env: dict[str, str]) -> None:
    result = CliRunner().invoke(app, ["replies", "draft", "case:x:404", "--as", "alice"])
    assert result.exit_code == 2 and "there is no case case:x:404" in result.output
