"""The web app: ``create_app`` wires the pages, the REST API (OpenAPI at /api/openapi.json), sessions
and the security headers. Every asset is served from ``dashboards/static``: the pages work offline."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from dashboards.deps import LoginRequired, Services
from dashboards.security import ADDRESS_FAILURES, LOGIN_FAILURES, LoginThrottle
from dashboards.web_settings import session_secret
from socialcare import __version__
from socialcare.errors import NotAllowedError
from socialcare.settings import Settings

STATIC = Path(__file__).with_name("static")
SESSION_HOURS = 12
SECURITY_HEADERS = {
    # no inline script or style and no other origin: a mention's text can never run as code
    "content-security-policy": "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
}


def create_app(settings: Settings, engine: Engine | None = None) -> FastAPI:
    from dashboards import api, pages
    from socialcare.runtime import open_engine

    services = Services(settings, engine or open_engine(settings))

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        services.close()

    app = FastAPI(
        title="socialcare",
        version=__version__,
        description="Care inbox, replies and trends over socialcare's system of record.",
        docs_url=None,  # Swagger UI and ReDoc load their code from a CDN; the schema itself is served
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
    )
    app.state.services = services
    app.state.user_throttle = LoginThrottle(LOGIN_FAILURES)
    app.state.address_throttle = LoginThrottle(ADDRESS_FAILURES)
    app.add_middleware(
        SessionMiddleware,
        secret_key=session_secret(settings),
        session_cookie="socialcare_session",
        max_age=SESSION_HOURS * 3600,
        same_site="strict",
        https_only=settings.web_secure_cookies,
    )

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    @app.exception_handler(LoginRequired)
    async def to_login(request: Request, _: LoginRequired) -> Response:
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    @app.exception_handler(NotAllowedError)
    async def not_allowed(request: Request, exc: NotAllowedError) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": str(exc)}, status_code=403)
        return pages.error_page(request, str(exc), 403)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/api/") or request.url.path.startswith("/static/"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        return pages.error_page(request, str(exc.detail), exc.status_code)

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    return app
