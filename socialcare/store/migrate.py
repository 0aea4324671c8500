"""Schema migrations with Alembic, driven from code (``socialcare db upgrade``), no alembic.ini needed."""

from __future__ import annotations

from importlib.resources import files

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from socialcare.errors import StoreError
from socialcare.settings import mask_url_password


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(files("socialcare.store") / "migrations"))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    except OperationalError as exc:
        raise StoreError(_unreachable(engine, exc)) from exc


def upgrade(engine: Engine, revision: str = "head") -> str:
    """Bring the database to ``revision``; returns the revision it is at afterwards."""
    config = _config()
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    except OperationalError as exc:
        raise StoreError(_unreachable(engine, exc)) from exc
    return current_revision(engine) or "base"


def downgrade(engine: Engine, revision: str) -> str:
    """Step the schema back to ``revision`` (``base`` drops every table); returns where it ends."""
    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
    return current_revision(engine) or "base"


def require_head(engine: Engine) -> None:
    """Refuse to run against a database whose schema is older or newer than this code."""
    current, head = current_revision(engine), head_revision()
    if current != head:
        raise StoreError(
            f"database {mask_url_password(str(engine.url))} is at revision {current or 'none'}, this "
            f"socialcare needs {head}: run  socialcare db upgrade"
        )


def _unreachable(engine: Engine, exc: OperationalError) -> str:
    url = engine.url.render_as_string(hide_password=True)
    return f"cannot reach the database {url}: {exc.orig}; check SOCIALCARE_DATABASE_URL and that it is running"
