"""Server-rendered pages: sign-in, the care inbox, the case view with its replies.

Templates autoescape everything; a link is only ever made from an http(s) URL (:func:`safe_href`), so a
mention's text or URL can hold ``<script>``, event handlers or ``javascript:`` and stays inert text.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from dashboards.accounts import authenticate
from dashboards.actions import ACTIONS, draft_reply, reply_action
from dashboards.charts import stacked_bars
from dashboards.deps import Services, User, check_csrf, page_user, services, signed_in
from dashboards.pr_board import acknowledge_case, acknowledge_spike, assign_case, board_cases, recent_spikes
from dashboards.queries import DEPARTMENTS, CaseView, add_note, case_view, inbox, user_names
from dashboards.security import new_csrf_token
from dashboards.trends import VIEWS, bucket_label, compute, csv_of
from responders.approval import EDITABLE

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).with_name("templates"))
SignedIn = Annotated[User, Depends(page_user)]
App = Annotated[Services, Depends(services)]


def safe_href(url: object) -> str | None:
    """``url`` when it is an absolute http(s) URL, else ``None`` (shown as text, never as a link)."""
    if not isinstance(url, str):
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme in {"http", "https"} and parts.netloc else None


templates.env.filters["safe_href"] = safe_href
templates.env.globals["EDITABLE"] = EDITABLE  # the approval state machine's rule, not a copy of it


def render(
    request: Request, name: str, status_code: int = 200, *, user: User | None = None, **context: Any
) -> HTMLResponse:
    """The page ``name``; a signed-in route passes its ``user``, any other page looks the session up."""
    if "csrf" not in request.session:
        request.session["csrf"] = new_csrf_token()
    context["user"] = user if user is not None else signed_in(request)
    context["csrf"] = request.session["csrf"]
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def error_page(request: Request, message: str, status_code: int) -> HTMLResponse:
    return render(request, "error.html", status_code, message=message)


@router.get("/")
def home() -> Response:
    return RedirectResponse("/inbox", status_code=303)


# sign-in -----------------------------------------------------------------------------------------
@router.get("/login")
def login_page(request: Request, next: str = "/inbox") -> HTMLResponse:
    return render(request, "login.html", next=_local(next), failed=None)


@router.post("/login")
def login(
    request: Request,
    app: App,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/inbox",
) -> Response:
    check_csrf(request, csrf)
    by_user, by_address = request.app.state.user_throttle, request.app.state.address_throttle
    user_key = username.strip().lower()
    address_key = request.client.host if request.client else "?"
    wait = max(by_user.retry_after(user_key), by_address.retry_after(address_key))
    if wait > 0:
        message = f"too many failed sign-ins: try again in {int(wait // 60) + 1} minutes"
        return render(request, "login.html", 429, next=_local(next), failed=message)
    role = authenticate(app.engine, username.strip(), password)
    if role is None:
        by_user.failed(user_key)
        by_address.failed(address_key)
        return render(request, "login.html", 401, next=_local(next), failed="wrong user name or password")
    by_user.succeeded(user_key)
    request.session.clear()  # a new session at sign-in: no fixation
    request.session.update(user=username.strip(), csrf=new_csrf_token())
    return RedirectResponse(_local(next), status_code=303)


@router.post("/logout")
def logout(request: Request, csrf: Annotated[str, Form()] = "") -> Response:
    check_csrf(request, csrf)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


# inbox -------------------------------------------------------------------------------------------
@router.get("/inbox")
def inbox_page(request: Request, app: App, user: SignedIn, department: str | None = None) -> HTMLResponse:
    department = _queue(department)
    rows = inbox(app.engine, department)
    return render(request, "inbox.html", user=user, rows=rows, department=department, departments=DEPARTMENTS)


@router.get("/inbox/rows")
def inbox_rows(request: Request, app: App, user: SignedIn, department: str | None = None) -> HTMLResponse:
    """The inbox table's rows alone: the page polls this to update without a reload."""
    return render(request, "_inbox_rows.html", user=user, rows=inbox(app.engine, _queue(department)))


# cases and replies ---------------------------------------------------------------------------------
@router.get("/cases/{case_id}")
def case_page(request: Request, app: App, user: SignedIn, case_id: str) -> HTMLResponse:
    return render(request, "case.html", user=user, view=_case_or_404(app, case_id))


@router.get("/cases/{case_id}/replies")
def case_replies(request: Request, app: App, user: SignedIn, case_id: str) -> HTMLResponse:
    """The case's replies alone: the case page polls this, so a reply's state updates without a reload."""
    return render(request, "_replies.html", user=user, view=_case_or_404(app, case_id))


@router.post("/cases/{case_id}/notes")
def note_page(
    request: Request,
    app: App,
    user: SignedIn,
    case_id: str,
    text: Annotated[str, Form()],
    csrf: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf)
    add_note(app.engine, case_id, user.id, text)
    return RedirectResponse(f"/cases/{case_id}#notes", status_code=303)


@router.post("/cases/{case_id}/replies")
def draft_page(
    request: Request,
    app: App,
    user: SignedIn,
    case_id: str,
    csrf: Annotated[str, Form()] = "",
    text: Annotated[str, Form()] = "",
    situation: Annotated[str, Form()] = "general",
) -> Response:
    check_csrf(request, csrf)
    draft_reply(app, user, case_id, text, situation)
    return RedirectResponse(f"/cases/{case_id}#replies", status_code=303)


@router.post("/replies/{reply_id}/{action}")
def reply_page_action(
    request: Request,
    app: App,
    user: SignedIn,
    reply_id: str,
    action: str,
    csrf: Annotated[str, Form()] = "",
    text: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf)
    if action not in ACTIONS:
        raise HTTPException(404, f"no action {action!r}")
    reply = reply_action(app, user, reply_id, action, text=text, reason=reason)
    return RedirectResponse(f"/cases/{reply.case_id}#replies", status_code=303)


# trends ------------------------------------------------------------------------------------------------
@router.get("/trends")
def trends_page(request: Request, app: App, user: SignedIn) -> HTMLResponse:
    found = compute(app.search_index(), app.engine, request.query_params)
    interval = found.query.interval
    volume = stacked_bars([(bucket_label(p, interval), [p.mentions]) for p in found.volume], ("mentions",))
    sentiment = stacked_bars(
        [(bucket_label(p, interval), [p.positive, p.neutral, p.negative]) for p in found.volume],
        ("positive", "neutral", "negative"),
    )
    export = urlencode({key: value for key, value in request.query_params.items() if key != "view"})
    return render(request, "trends.html", user=user, trends=found, volume=volume, sentiment=sentiment, export=export)


@router.get("/trends/export.csv")
def trends_export(request: Request, app: App, user: SignedIn, view: str = "volume") -> Response:
    if view not in VIEWS:
        raise HTTPException(404, f"no view {view!r}; one of {', '.join(VIEWS)}")
    found = compute(app.search_index(), app.engine, request.query_params, (view,))
    name = f"socialcare-{view}-{found.query.first_day}-{found.query.last_day}.csv"
    return Response(
        csv_of(found, view),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )


# PR board ----------------------------------------------------------------------------------------------
@router.get("/pr")
def pr_page(request: Request, app: App, user: SignedIn) -> HTMLResponse:
    return render(request, "pr.html", user=user, **_board(app, ("cases", "spikes")))


@router.get("/pr/rows/{part}")
def pr_rows(request: Request, app: App, user: SignedIn, part: str) -> HTMLResponse:
    """One of the board's tables alone (``cases`` or ``spikes``), for the page's refresh."""
    if part not in {"cases", "spikes"}:
        raise HTTPException(404, f"no board part {part!r}")
    return render(request, f"_pr_{part}.html", user=user, **_board(app, (part,)))


@router.post("/pr/cases/{case_id}/acknowledge")
def pr_acknowledge_case(
    request: Request, app: App, user: SignedIn, case_id: str, csrf: Annotated[str, Form()] = ""
) -> Response:
    check_csrf(request, csrf)
    acknowledge_case(app.engine, case_id, user.id)
    return RedirectResponse("/pr", status_code=303)


@router.post("/pr/cases/{case_id}/assign")
def pr_assign_case(
    request: Request,
    app: App,
    user: SignedIn,
    case_id: str,
    assignee: Annotated[str, Form()],
    csrf: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf)
    assign_case(app.engine, case_id, assignee, user.id, user.role)
    return RedirectResponse("/pr", status_code=303)


@router.post("/pr/spikes/acknowledge")
def pr_acknowledge_spike(
    request: Request,
    app: App,
    user: SignedIn,
    key: Annotated[str, Form()],
    series: Annotated[str, Form()],
    at: Annotated[datetime, Form()],
    csrf: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf)
    acknowledge_spike(app.engine, key, series, at, user.id)
    return RedirectResponse("/pr", status_code=303)


def _board(app: Services, parts: tuple[str, ...]) -> dict[str, Any]:
    """What the board's ``parts`` (cases, spikes) show, and nothing the asked-for parts do not."""
    found: dict[str, Any] = {}
    if "cases" in parts:
        found.update(board=board_cases(app.engine), people=user_names(app.engine))
    if "spikes" in parts:
        found["spikes"] = recent_spikes(app.engine)
    return found


def _queue(department: str | None) -> str | None:
    """The department queue asked for, or ``None`` (every queue) for anything else."""
    return department if department in DEPARTMENTS else None


def _case_or_404(app: Services, case_id: str) -> CaseView:
    view = case_view(app.engine, case_id)
    if view is None:
        raise HTTPException(404, f"there is no case {case_id}")
    return view


def _local(target: str) -> str:
    """Only paths on this site are followed after sign-in (no open redirect)."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/inbox"
