"""The REST API under /api: the same data and rules as the pages, as JSON. Roles are checked by the
reply state machine (an agent cannot approve, nobody approves their own reply); every state-changing
call needs the session's CSRF token in ``X-CSRF-Token``."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import BaseModel

from dashboards.actions import ACTIONS, draft_reply, reply_action
from dashboards.deps import Services, User, api_csrf, api_user, services
from dashboards.pr_board import BoardCase, acknowledge_case, assign_case, board_cases, recent_spikes
from dashboards.queries import DEPARTMENTS, InboxRow, add_note, case_view, inbox
from dashboards.trends import compute
from responders.approval import Reply

router = APIRouter(prefix="/api", tags=["api"])
SignedIn = Annotated[User, Depends(api_user)]
App = Annotated[Services, Depends(services)]


class Me(BaseModel):
    user: str
    role: str
    csrf_token: str


class ReplyOut(BaseModel):
    id: str
    case_id: str
    platform: str
    in_reply_to_id: str
    text: str
    status: str
    author: str
    approved_by: str | None
    reason: str | None
    platform_post_id: str | None
    platform_url: str | None
    posted_at: datetime | None

    @classmethod
    def of(cls, reply: Reply) -> ReplyOut:
        return cls(**{name: getattr(reply, name) for name in cls.model_fields})


class DraftIn(BaseModel):
    text: str | None = None
    situation: str = "general"


class ActionIn(BaseModel):
    text: str | None = None
    reason: str | None = None


@router.get("/me")
def me(request: Request, user: SignedIn) -> Me:
    """Who is signed in, their role, and the CSRF token for state-changing calls."""
    return Me(user=user.id, role=user.role, csrf_token=str(request.session.get("csrf", "")))


@router.get("/cases")
def list_cases(app: App, user: SignedIn, department: Annotated[str | None, Query()] = None) -> list[InboxRow]:
    """Open cases, most urgent first; ``department`` narrows to one queue."""
    if department is not None and department not in DEPARTMENTS:
        raise HTTPException(422, f"department must be one of {', '.join(DEPARTMENTS)}")
    return inbox(app.engine, department)


@router.get("/cases/{case_id}")
def get_case(app: App, user: SignedIn, case_id: str) -> dict[str, Any]:
    """A case with its thread, routing explanations, the customer's other cases and its replies."""
    view = case_view(app.engine, case_id)
    if view is None:
        raise HTTPException(404, f"there is no case {case_id}")
    return {
        "case": view.case,
        "thread": view.thread,
        "history": view.history,
        "replies": view.replies,
        "notes": view.notes,
    }


class NoteIn(BaseModel):
    text: str


@router.post("/cases/{case_id}/notes", dependencies=[Depends(api_csrf)], status_code=204)
def api_add_note(app: App, user: SignedIn, case_id: str, body: NoteIn) -> None:
    """An internal note on the case: for the team, never posted."""
    add_note(app.engine, case_id, user.id, body.text)


@router.get("/replies")
def list_replies(app: App, user: SignedIn, status: Annotated[str | None, Query()] = None) -> list[ReplyOut]:
    return [ReplyOut.of(reply) for reply in app.replies.recent(status)]


@router.post("/cases/{case_id}/replies", dependencies=[Depends(api_csrf)], status_code=201)
def create_reply(app: App, user: SignedIn, case_id: str, body: DraftIn) -> ReplyOut:
    """Draft a reply to the case's newest post: ``text``, or the template for ``situation``."""
    return ReplyOut.of(draft_reply(app, user, case_id, body.text, body.situation))


@router.post("/replies/{reply_id}/{action}", dependencies=[Depends(api_csrf)])
def act_on_reply(app: App, user: SignedIn, reply_id: str, action: str, body: ActionIn) -> ReplyOut:
    """``submit``, ``approve`` (approvers; never your own), ``reject`` (with ``reason``) or ``edit`` (``text``)."""
    if action not in ACTIONS:
        raise HTTPException(404, f"no action {action!r}; one of {', '.join(ACTIONS)}")
    return ReplyOut.of(reply_action(app, user, reply_id, action, text=body.text, reason=body.reason))


class AssignIn(BaseModel):
    assignee: str


@router.get("/pr/cases")
def pr_cases(app: App, user: SignedIn) -> list[BoardCase]:
    """Open cases PR must see (P1, routed to PR or PR copied), unacknowledged first."""
    return board_cases(app.engine)


@router.get("/pr/spikes")
def pr_spikes(app: App, user: SignedIn) -> list[dict[str, Any]]:
    """Spike alerts of the last seven days, newest first."""
    return recent_spikes(app.engine)


@router.post("/cases/{case_id}/acknowledge", dependencies=[Depends(api_csrf)], status_code=204)
def api_acknowledge_case(app: App, user: SignedIn, case_id: str) -> None:
    acknowledge_case(app.engine, case_id, user.id)


@router.post("/cases/{case_id}/assign", dependencies=[Depends(api_csrf)], status_code=204)
def api_assign_case(app: App, user: SignedIn, case_id: str, body: AssignIn) -> None:
    """Approvers and admins assign anyone; an agent can only take the case themselves."""
    assign_case(app.engine, case_id, body.assignee, user.id, user.role)


@router.get("/trends")
def api_trends(request: Request, app: App, user: SignedIn) -> dict[str, Any]:
    """Every trend view under one filter: ``brand``, ``source``, ``lang``, ``start`` and ``end`` (dates,
    inclusive), ``interval`` (hour or day). The default range is the week up to the newest mention."""
    found = compute(app.search_index(), app.engine, request.query_params)
    return {
        "start": found.query.first_day.isoformat(),
        "end": found.query.last_day.isoformat(),
        "interval": found.query.interval,
        "volume": found.volume,
        "share_of_voice": [{"brand": b, "mentions": c, "percent": round(p, 1)} for b, c, p in found.share],
        "hashtags": found.hashtags,
        "terms": found.terms,
        "spikes": found.spikes,
    }
