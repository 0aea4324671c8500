"""In Chromium: an agent signs in, triages a case and drafts a reply; a second person approves it; the
responder posts it with the dry-run poster; the case shows it posted; the trends page draws its charts.
Screenshots at each step."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from dashboards.accounts import set_password
from dashboards.app import create_app
from dashboards.search.docs import doc_of
from dashboards.search.sql_index import SqlSearchIndex
from responders.approval import ReplyStore
from responders.delivery import Delivery
from responders.posters.dry_run import DryRunPoster
from responders.stage import RespondStage
from socialcare.bus.embedded import EmbeddedTransport
from socialcare.bus.worker import Worker
from socialcare.settings import Settings
from socialcare.store import migrate
from socialcare.store.db import make_engine
from socialcare.store.mentions import MentionStore
from tests.e2e.conftest import serve_in_thread
from tests.integration.test_triage_cases import file, post
from triage.cases import CaseStore

HOSTILE = 'my order never came <script>alert("x")</script> <img src=x onerror="alert(1)">'
PASSWORDS = {"alice": "alice-password-1", "bob": "bob-password-22"}


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[str, Engine, str]]:
    engine = make_engine(f"sqlite:///{tmp_path / 'socialcare.db'}")
    migrate.upgrade(engine)
    urgent = post(1, "jo", 0, text=f"@Lumora {HOSTILE}", risk="high", risk_score=0.9)
    calm = post(2, "sam", 5, text="@Lumora how do I change my delivery address?")
    MentionStore(engine).upsert_many([urgent, calm])
    trend_sample = [urgent, calm] + [
        post(10 + n, f"fan{n}", 60 * n, text=f"@Lumora loving the new heater #cozy {n}", sentiment="positive")
        for n in range(12)
    ]
    SqlSearchIndex(engine).index([doc_of(m.model_copy(update={"hashtags": ("#cozy",)})) for m in trend_sample])
    [decision, _] = file(CaseStore(engine), urgent, calm)
    store = ReplyStore(engine)
    for user, role in (("alice", "agent"), ("bob", "approver")):
        store.add_user(user, role)  # type: ignore[arg-type]
        set_password(engine, user, PASSWORDS[user])
    settings = Settings.model_validate({"var_dir": tmp_path, "database_url": str(engine.url)})
    for base_url in serve_in_thread(create_app(settings, engine)):
        yield base_url, engine, decision.case_id


def sign_in(page: Any, base_url: str, user: str) -> None:
    page.goto(f"{base_url}/inbox")
    assert "/login" in page.url
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORDS[user])
    page.click("button:has-text('Sign in')")
    page.wait_for_url(f"{base_url}/inbox")


def test_sign_in_triage_draft_approve_and_post(browser: Any, site: tuple[str, Engine, str], artifacts: Path) -> None:
    base_url, engine, case_id = site
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    sign_in(page, base_url, "alice")
    rows = page.locator("#inbox-rows tr")
    assert rows.count() == 2
    assert "P1" in rows.first.inner_text()  # the high-risk case is first
    assert "<script>" in rows.first.inner_text()  # the hostile text shows as text
    page.screenshot(path=str(artifacts / "01-inbox.png"), full_page=True)

    page.click(f"a[href='/cases/{case_id}']")
    page.wait_for_url(f"**/cases/{case_id}")
    assert "alert" in page.locator(".post .text").first.inner_text()
    page.click("button:has-text('Draft reply')")  # from the template
    page.wait_for_selector(".reply.status-draft")
    draft = page.locator(".reply .text").first.inner_text()
    assert draft.strip()
    page.click("button:has-text('Submit for approval')")
    page.wait_for_selector(".reply.status-pending_approval")
    assert page.locator("button:has-text('Approve and post')").count() == 0  # not for the author
    page.screenshot(path=str(artifacts / "02-case-submitted.png"), full_page=True)
    page.click("button:has-text('Sign out')")

    sign_in(page, base_url, "bob")
    page.goto(f"{base_url}/cases/{case_id}")
    page.click("button:has-text('Approve and post')")
    page.wait_for_selector(".reply.status-approved")
    page.screenshot(path=str(artifacts / "03-approved.png"), full_page=True)

    store = ReplyStore(engine)
    stage = RespondStage(Delivery(store, {"x": DryRunPoster(engine, "x"), "reddit": DryRunPoster(engine, "reddit")}))
    stats = Worker(stage, EmbeddedTransport(engine), poll_timeout_ms=20).run(stop_when_idle=True, idle_polls=1)
    assert stats.emitted == 1

    page.wait_for_selector(".reply.status-posted", timeout=20_000)  # the page updates itself: no reload
    assert "Posted as dry-run-" in page.locator(".reply .posted").inner_text()
    page.screenshot(path=str(artifacts / "04-posted.png"), full_page=True)

    page.click("nav a:has-text('Trends')")
    page.wait_for_url(f"{base_url}/trends")
    assert page.locator("#volume svg rect").count() >= 1  # the week, one bar per day
    day = page.locator("input[name=end]").input_value()
    page.fill("input[name=start]", day)  # one day: one bar per hour
    page.click("button:has-text('Show')")
    page.wait_for_url("**/trends?*")
    assert page.locator("#volume svg rect").count() >= 12
    assert page.locator("#sentiment svg rect").count() >= 12
    assert "#cozy" in page.locator("#hashtags").inner_text()
    assert "Lumora" in page.locator("#share").inner_text()
    page.screenshot(path=str(artifacts / "05-trends.png"), full_page=True)
    assert dialogs == []  # no script from the mention ever ran
    context.close()
