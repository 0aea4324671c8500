"""What every command shares: the consoles, logging, settings read afresh, errors that end a command."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console

from socialcare.errors import SocialcareError
from socialcare.settings import Settings

out = Console(soft_wrap=True, emoji=False)  # ids such as case:x:123 must not become emoji
err = Console(stderr=True, soft_wrap=True, emoji=False)


def setup_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.log_level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )
    for chatty in ("alembic", "kafka"):  # their INFO lines are about themselves, not about the pipeline
        logging.getLogger(chatty).setLevel(max(logging.WARNING, logging.getLevelName(settings.log_level)))


@contextmanager
def friendly_errors() -> Iterator[None]:
    """A :class:`SocialcareError` ends the command with its message (which says what to do) and exit 2."""
    try:
        yield
    except SocialcareError as exc:
        err.print(f"[bold red]error:[/] {exc}", highlight=False)
        raise typer.Exit(2) from None


def load_settings() -> Settings:
    from pydantic import ValidationError

    from socialcare.errors import ConfigError
    from socialcare.models import describe_validation_error

    try:
        return Settings()  # read afresh per command: the environment is the source of truth
    except ValidationError as exc:
        raise ConfigError(
            f"invalid configuration: {describe_validation_error(exc)} (check SOCIALCARE_* variables and .env)"
        ) from exc
