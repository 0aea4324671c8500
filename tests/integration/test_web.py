"""The web app through its HTTP interface (Starlette's TestClient): sign-in, roles, CSRF, escaping,
the reply workflow, and that no secret reaches a page. The browser tests drive the same app in Chromium."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from dashboards.accounts import set_password
from dashboards.app import create_app
from responders.approval import ReplyStore
from socialcare.bus.embedded import EmbeddedTransport
from socialcare.models import EnrichedMention, ReplyApproved, decode_event
from socialcare.settings import Settings
from socialcare.store.mentions import MentionStore
from socialcare.topics import REPLIES_APPROVED
from tests.integration.test_triage_cases import file, post
from triage.cases import CaseStore

HOSTILE = '<script>alert("x")</script><img src=x onerror="alert(1)"> see javascript:alert(2)'
PASSWORDS = {"alice": "alice-password-1", "bob": "bob-password-22", "carol": "carol-password-333"}
SECRETS = {
    "secret_key": "session-signing-s3cr3t",
    "x_consumer_secret": "consumer-s3cr3t",
    "smtp_password": "smtp-s3cr3t",
}


@pytest.fixture
def web(engine: Engine, tmp_path: Path) -> Iterator[tuple[TestClient, str, Engine]]:
    mention = post(1, "jo", 0, text=HOSTILE).model_copy(update={"url": "javascript:alert(3)"})
    MentionStore(engine).upsert_many([mention])
    [decision] = file(CaseStore(engine), mention)
    store = ReplyStore(engine)
    for user, role in (("alice", "agent"), ("bob", "approver"), ("carol", "admin")):
        store.add_user(user, role)  # type: ignore[arg-type]
        set_password(engine, user, PASSWORDS[user])
    settings = Settings.model_validate(
        {"var_dir": tmp_path, "database_url": engine.url.render_as_string(hide_password=False), **SECRETS}
    )
    with TestClient(create_app(settings, engine)) as client:
        yield client, decision.case_id, engine


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "no CSRF field in the page"
    return match.group(1)


def sign_in(client: TestClient, user: str, password: str | None = None) -> str:
    token = csrf_of(client.get("/login").text)
    answer = client.post(
        "/login",
        data={"username": user, "password": password or PASSWORDS[user], "csrf": token},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    return csrf_of(client.get("/inbox").text)


def test_pages_need_a_sign_in_and_the_api_says_401(web: tuple[TestClient, str, Engine]) -> None:
    client, case_id, _ = web
    page = client.get(f"/cases/{case_id}", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login?next=/cases/")
    assert client.get("/api/cases").status_code == 401
    assert client.get("/inbox", follow_redirects=False).status_code == 303


def test_sign_in_needs_the_forms_token_and_the_right_password(web: tuple[TestClient, str, Engine]) -> None:
    client, _, _ = web
    forged = client.post("/login", data={"username": "bob", "password": PASSWORDS["bob"], "csrf": "forged"})
    assert forged.status_code == 403
    token = csrf_of(client.get("/login").text)
    wrong = client.post("/login", data={"username": "bob", "password": "not-his-password", "csrf": token})
    assert wrong.status_code == 401 and "wrong user name or password" in wrong.text
    unknown = client.post("/login", data={"username": "mallory", "password": "whatever-12", "csrf": token})
    assert unknown.status_code == 401 and "wrong user name or password" in unknown.text  # no hint who exists


def test_failed_sign_ins_are_rate_limited(web: tuple[TestClient, str, Engine]) -> None:
    client, _, _ = web
    token = csrf_of(client.get("/login").text)
    for _ in range(5):
        assert (
            client.post("/login", data={"username": "bob", "password": "guess-123456", "csrf": token}).status_code
            == 401
        )
    blocked = client.post("/login", data={"username": "bob", "password": PASSWORDS["bob"], "csrf": token})
    assert blocked.status_code == 429 and "too many failed sign-ins" in blocked.text


def test_a_hostile_mention_renders_as_inert_text_everywhere(web: tuple[TestClient, str, Engine]) -> None:
    from dashboards.search.docs import doc_of
    from dashboards.search.sql_index import SqlSearchIndex

    client, case_id, engine = web
    loud = post(9, "troll", 3, text=HOSTILE + " #<b>tag</b>", risk="high", risk_score=0.95)  # P1: on the PR board
    loud = loud.model_copy(update={"url": "javascript:alert(4)", "hashtags": ('#"><script>alert(5)</script>',)})
    MentionStore(engine).upsert_many([loud])
    file(CaseStore(engine), loud)
    SqlSearchIndex(engine).index([doc_of(loud)])
    token = sign_in(client, "alice")
    client.post(f"/cases/{case_id}/notes", data={"csrf": token, "text": HOSTILE})
    client.post(f"/cases/{case_id}/replies", data={"csrf": token, "text": "<script>alert(6)</script> hi"})
    pages = ["/inbox", "/inbox/rows", f"/cases/{case_id}", f"/cases/{case_id}/replies", "/pr", "/pr/rows/cases"]
    pages += ["/trends", "/trends?q=script", "/trends?brand=%3Cscript%3E"]
    for path in pages:
        html = client.get(path).text
        assert "<script>alert" not in html and "<img src=x" not in html and "<b>tag" not in html, path
        assert 'href="javascript:' not in html.lower(), path
    assert "&lt;script&gt;alert" in client.get("/trends?q=script").text  # shown, as text
    response = client.get(f"/cases/{case_id}")
    assert "script-src" not in response.headers["content-security-policy"]  # default-src 'self' covers scripts
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
    assert response.headers["x-frame-options"] == "DENY"


def test_every_api_route_refuses_the_wrong_role_and_a_missing_token(web: tuple[TestClient, str, Engine]) -> None:
    client, case_id, engine = web
    token = sign_in(client, "alice")
    created = client.post(f"/api/cases/{case_id}/replies", json={"text": "Hi Jo, here is how we can fix this."})
    assert created.status_code == 403  # no CSRF header
    headers = {"x-csrf-token": client.get("/api/me").json()["csrf_token"]}
    assert headers["x-csrf-token"] == token
    reply = client.post(
        f"/api/cases/{case_id}/replies", json={"text": "Hi Jo, here is how we can fix this."}, headers=headers
    )
    assert reply.status_code == 201, reply.text
    reply_id = reply.json()["id"]
    assert (
        client.post(f"/api/replies/{reply_id}/submit", json={}, headers=headers).json()["status"] == "pending_approval"
    )
    refused = client.post(f"/api/replies/{reply_id}/approve", json={}, headers=headers)
    assert refused.status_code == 403 and "agent" in refused.json()["detail"]
    audit = ReplyStore(engine).audit(reply_id)
    assert ("alice", "approve", "refused") in [(row["actor"], row["action"], row["outcome"]) for row in audit]

    client.post("/logout", data={"csrf": token})
    headers = {"x-csrf-token": sign_in(client, "bob")}
    assert client.post(f"/api/replies/{reply_id}/approve", json={}).status_code == 403  # token missing
    approved = client.post(f"/api/replies/{reply_id}/approve", json={}, headers=headers)
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    [event] = [decode_event(ReplyApproved, r.value) for r in EmbeddedTransport(engine).read(REPLIES_APPROVED, 10)]
    assert (event.reply_id, event.approved_by) == (reply_id, "bob")


def test_drafting_and_approving_through_the_pages(web: tuple[TestClient, str, Engine]) -> None:
    client, case_id, engine = web
    token = sign_in(client, "alice")
    page = client.post(f"/cases/{case_id}/replies", data={"csrf": token, "situation": "general"})
    assert page.status_code == 200 and "Submit for approval" in page.text  # followed to the case page
    [reply] = ReplyStore(engine).recent()
    assert reply.author == "alice" and reply.text  # drafted from the template
    client.post(f"/replies/{reply.id}/submit", data={"csrf": token})
    mine = client.get(f"/cases/{case_id}").text
    assert "Approve and post" not in mine  # an agent is not offered approval
    assert "department scores" in mine and "sentiment negative" in mine  # the enrichment behind the routing
    forged = client.post(f"/replies/{reply.id}/approve", data={"csrf": "forged"})
    assert forged.status_code == 403

    client.post("/logout", data={"csrf": token})
    token = sign_in(client, "bob")
    assert "Approve and post" in client.get(f"/cases/{case_id}").text
    done = client.post(f"/replies/{reply.id}/approve", data={"csrf": token})
    assert done.status_code == 200 and "approved by bob" in done.text


def test_no_secret_reaches_a_page_or_the_api_schema(web: tuple[TestClient, str, Engine]) -> None:
    client, case_id, _ = web
    pages = [client.get("/login").text, client.get("/api/openapi.json").text]
    sign_in(client, "carol")
    pages += [client.get(path).text for path in ("/inbox", f"/cases/{case_id}", "/api/me", "/api/cases")]
    for secret in SECRETS.values():
        assert all(secret not in page for page in pages)
    assert all(password not in page for page in pages for password in PASSWORDS.values())


def test_the_api_is_documented(web: tuple[TestClient, str, Engine]) -> None:
    client, _, _ = web
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"/api/me", "/api/cases", "/api/cases/{case_id}", "/api/replies", "/api/replies/{reply_id}/{action}"} <= set(
        paths
    )
    assert not any(path.startswith("/login") for path in paths)  # pages are not API


def test_the_pr_board_shows_high_risk_cases_and_spikes_with_acknowledge_and_assign(
    web: tuple[TestClient, str, Engine],
) -> None:
    from sqlalchemy import insert

    from socialcare.models import utcnow
    from socialcare.store.schema import spike_alerts

    client, _, engine = web
    urgent = post(
        7, "kim", 1, text="@Lumora your heater caught fire, my lawyer will call", risk="high", risk_score=0.95
    )
    MentionStore(engine).upsert_many([urgent])
    [decision] = file(CaseStore(engine), urgent)
    spike_at = utcnow().replace(microsecond=0)
    with engine.begin() as connection:
        connection.execute(
            insert(spike_alerts).values(
                key="Lumora", series="negative", at=spike_at, window_min=60, observed=42, expected=6.5, z=7.1
            )
        )
    token = sign_in(client, "alice")
    board = client.get("/pr").text
    assert decision.case_id in board and "heater caught fire" in board and "42" in board
    assert client.get("/pr/rows/cases").text.count("data-case-id") >= 1

    client.post(f"/pr/cases/{decision.case_id}/acknowledge", data={"csrf": token})
    assert "seen by alice" in client.get("/pr/rows/cases").text
    refused = client.post(f"/pr/cases/{decision.case_id}/assign", data={"csrf": token, "assignee": "bob"})
    assert refused.status_code == 403 and "an agent can take a case" in refused.text
    client.post(f"/pr/cases/{decision.case_id}/assign", data={"csrf": token, "assignee": "alice"})
    assert CaseStore(engine).get(decision.case_id)["assignee"] == "alice"  # type: ignore[index]
    client.post(
        "/pr/spikes/acknowledge",
        data={"csrf": token, "key": "Lumora", "series": "negative", "at": spike_at.isoformat()},
    )
    assert "seen by alice" in client.get("/pr/rows/spikes").text

    headers = {"x-csrf-token": token}
    assert (
        client.post(f"/api/cases/{decision.case_id}/assign", json={"assignee": "bob"}, headers=headers).status_code
        == 403
    )
    client.post("/logout", data={"csrf": token})
    headers = {"x-csrf-token": sign_in(client, "bob")}
    assert (
        client.post(f"/api/cases/{decision.case_id}/assign", json={"assignee": "carol"}, headers=headers).status_code
        == 204
    )
    assert CaseStore(engine).get(decision.case_id)["assignee"] == "carol"  # type: ignore[index]
    [spike] = client.get("/api/pr/spikes").json()
    assert (spike["acknowledged_by"], spike["observed"]) == ("alice", 42)


def test_the_trends_page_draws_charts_filters_and_exports_csv(web: tuple[TestClient, str, Engine]) -> None:
    from dashboards.search.docs import doc_of
    from dashboards.search.sql_index import SqlSearchIndex

    client, _, engine = web

    def tagged(mention: EnrichedMention) -> EnrichedMention:  # as enrichment fills them in
        return mention.model_copy(update={"hashtags": tuple(re.findall(r"#\w+", mention.text))})

    mentions = [
        tagged(post(20, "a", 0, text="@Lumora heater broke #fail", sentiment="negative")),
        tagged(post(21, "b", 90, text="@Lumora heater works great #love", sentiment="positive")),
        tagged(post(22, "c", 60 * 26, text="=HYPERLINK(evil) heater #fail")),
    ]
    competitor = post(23, "d", 30, text="Brightnest is fine").model_copy(update={"brand": "Brightnest"})
    SqlSearchIndex(engine).index([doc_of(m) for m in [*mentions, competitor]])
    sign_in(client, "alice")
    page = client.get("/trends").text
    assert page.count("<rect") >= 3 and "Share of voice" in page and "#fail" in page
    assert "Lumora" in page and "Brightnest" in page
    one_brand = client.get("/trends", params={"brand": "Brightnest"}).text
    assert "#fail" not in one_brand.split('id="hashtags"')[1].split("</section>")[0]

    found = client.get("/trends", params={"q": "works great"}).text
    assert "Mentions with “works great”" in found and "heater works great" in found

    exported = client.get("/trends/export.csv", params={"view": "terms"})
    assert exported.headers["content-type"].startswith("text/csv")
    assert "attachment" in exported.headers["content-disposition"]
    lines = exported.text.splitlines()
    assert lines[0] == "term,mentions" and lines[1] == "heater,3"
    assert "'=" not in exported.text or "hyperlink" not in exported.text  # terms are words, never formulas
    volume = client.get("/trends/export.csv", params={"view": "volume", "interval": "day"}).text.splitlines()
    assert volume[0] == "bucket,mentions,positive,neutral,negative" and len(volume) == 3  # two days
    share = client.get("/api/trends").json()["share_of_voice"]
    assert share == [
        {"brand": "Lumora", "mentions": 3, "percent": 75.0},
        {"brand": "Brightnest", "mentions": 1, "percent": 25.0},
    ]
    assert client.get("/trends/export.csv", params={"view": "nope"}).status_code == 404


def test_csv_cells_that_look_like_formulas_are_defused() -> None:
    from dashboards.trends import _cell

    assert _cell("=SUM(A1)") == "'=SUM(A1)" and _cell("@cmd") == "'@cmd" and _cell("#fail") == "#fail"
    assert _cell(3) == 3


def test_every_api_route_refuses_a_stranger(web: tuple[TestClient, str, Engine]) -> None:
    client, case_id, _ = web
    schema = client.get("/api/openapi.json").json()
    checked = 0
    for path, operations in schema["paths"].items():
        concrete = path.replace("{case_id}", case_id).replace("{reply_id}", "reply:x").replace("{action}", "approve")
        for method in operations:
            answer = client.request(method.upper(), concrete, json={})
            assert answer.status_code in {401, 403}, f"{method.upper()} {path} answered {answer.status_code}"
            checked += 1
    assert checked >= 10  # every route of the API, all refused


def test_sign_in_never_logs_the_password(web: tuple[TestClient, str, Engine], caplog: pytest.LogCaptureFixture) -> None:
    client, _, _ = web
    with caplog.at_level("DEBUG"):
        sign_in(client, "bob")
        token = csrf_of(client.get("/login").text)
        client.post("/login", data={"username": "bob", "password": "wrong-password-xyz", "csrf": token})
    assert PASSWORDS["bob"] not in caplog.text and "wrong-password-xyz" not in caplog.text
    assert all(secret not in caplog.text for secret in SECRETS.values())


def test_internal_notes_on_a_case(web: tuple[TestClient, str, Engine]) -> None:
    client, case_id, _ = web
    token = sign_in(client, "alice")
    client.post(f"/cases/{case_id}/notes", data={"csrf": token, "text": "Called the store: parcel is at the depot <b>"})
    page = client.get(f"/cases/{case_id}").text
    assert "parcel is at the depot &lt;b&gt;" in page
    assert (
        client.post(f"/api/cases/{case_id}/notes", json={"text": "   "}, headers={"x-csrf-token": token}).status_code
        == 403
    )
    assert (
        client.post(f"/api/cases/{case_id}/notes", json={"text": "second"}, headers={"x-csrf-token": token}).status_code
        == 204
    )
    notes = client.get(f"/api/cases/{case_id}").json()["notes"]
    assert [(note["author"], note["text"]) for note in notes] == [
        ("alice", "Called the store: parcel is at the depot <b>"),
        ("alice", "second"),
    ]


def test_the_demo_accounts_can_sign_in(tmp_path: Path) -> None:
    from dashboards.accounts import authenticate
    from socialcare.demo import demo_accounts, demo_settings
    from socialcare.runtime import open_engine

    settings = demo_settings(tmp_path)
    accounts = demo_accounts(settings)
    assert {user: role for user, (role, _) in accounts.items()} == {"demo-agent": "agent", "demo-approver": "approver"}
    engine = open_engine(settings)
    for user, (role, password) in accounts.items():
        assert authenticate(engine, user, password) == role
        assert authenticate(engine, user, password + "x") is None
    engine.dispose()


def test_spraying_many_user_names_from_one_address_is_rate_limited(web: tuple[TestClient, str, Engine]) -> None:
    client, _, _ = web
    token = csrf_of(client.get("/login").text)
    for n in range(50):
        assert (
            client.post("/login", data={"username": f"user{n}", "password": "guess-123456", "csrf": token}).status_code
            == 401
        )
    blocked = client.post("/login", data={"username": "carol", "password": PASSWORDS["carol"], "csrf": token})
    assert blocked.status_code == 429
