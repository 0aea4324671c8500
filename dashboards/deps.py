"""Request dependencies: the signed-in user, role checks, CSRF, and the services a route uses."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from fastapi import HTTPException, Request
from sqlalchemy import Engine, select

from dashboards.search.port import SearchIndex
from dashboards.security import same_token
from responders.approval import APPROVERS, ReplyStore
from socialcare.bus.base import Transport
from socialcare.settings import Settings
from socialcare.store.schema import users


@dataclass(frozen=True)
class User:
    id: str
    role: str

    @property
    def can_approve(self) -> bool:
        return self.role in APPROVERS


class LoginRequired(Exception):  # noqa: N818 - a control-flow signal, handled as a redirect
    """A page asked for a user and there is none: send the browser to the sign-in page."""


class Services:
    """The app's engine, settings and (opened on first use) transport for publishing approvals."""

    def __init__(self, settings: Settings, engine: Engine) -> None:
        self.settings = settings
        self.engine = engine
        self.replies = ReplyStore(engine)
        self._transport: Transport | None = None
        self._search_index: SearchIndex | None = None
        self._lock = threading.Lock()

    def search_index(self) -> SearchIndex:
        with self._lock:
            if self._search_index is None:
                from dashboards.search.factory import search_index_from_settings

                self._search_index = search_index_from_settings(self.settings, self.engine)
            return self._search_index

    def transport(self) -> Transport:
        with self._lock:
            if self._transport is None:
                from socialcare.bus.factory import open_transport
                from socialcare.topics import all_topics_with_dlq

                self._transport = open_transport(self.settings, self.engine)
                self._transport.ensure_topics(all_topics_with_dlq())
            return self._transport

    def close(self) -> None:
        if self._transport is not None:
            self._transport.close()


def services(request: Request) -> Services:
    found: Services = request.app.state.services
    return found


def signed_in(request: Request) -> User | None:
    """The session's user, with the role as it is now in the database (a removed user is signed out)."""
    user_id = request.session.get("user")
    if not user_id:
        return None
    with services(request).engine.connect() as connection:
        role = connection.execute(select(users.c.role).where(users.c.id == user_id)).scalar_one_or_none()
    if role is None:
        request.session.clear()
        return None
    return User(str(user_id), str(role))


def page_user(request: Request) -> User:
    user = signed_in(request)
    if user is None:
        raise LoginRequired
    return user


def api_user(request: Request) -> User:
    user = signed_in(request)
    if user is None:
        raise HTTPException(401, "sign in first: POST /login")
    return user


def check_csrf(request: Request, token: Any) -> None:
    if not same_token(request.session.get("csrf"), token):
        raise HTTPException(403, "the form is stale or forged (CSRF token mismatch): reload the page and try again")


async def api_csrf(request: Request) -> None:
    """State-changing API calls carry the session's token in ``X-CSRF-Token`` (GET /api/me gives it)."""
    check_csrf(request, request.headers.get("x-csrf-token"))
