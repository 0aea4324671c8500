"""Posters for X, Reddit and the dry run; :func:`posters_from_settings` picks one per platform."""

from __future__ import annotations

import logging

from sqlalchemy import Engine

from responders.posters.dry_run import DryRunPoster
from responders.posting import POSTING_SETTINGS, Poster, missing_posting_settings
from socialcare.settings import Settings

log = logging.getLogger(__name__)

PLATFORMS = tuple(POSTING_SETTINGS)


def posting_credentials(settings: Settings, platform: str) -> bool:
    """Whether the settings hold everything needed to post on ``platform`` as the brand."""
    return not missing_posting_settings(settings, platform)


def posters_from_settings(settings: Settings, engine: Engine) -> dict[str, Poster]:
    """The live poster of each platform with credentials, else the dry-run poster (and always with
    ``SOCIALCARE_REPLY_DRY_RUN``)."""
    posters: dict[str, Poster] = {}
    for platform in PLATFORMS:
        if settings.reply_dry_run or not posting_credentials(settings, platform):
            posters[platform] = DryRunPoster(engine, platform)
        elif platform == "x":
            from responders.posters.x import XPoster

            posters[platform] = XPoster.from_settings(settings)
        else:
            from responders.posters.reddit import RedditPoster

            posters[platform] = RedditPoster.from_settings(settings)
        mode = "dry-run" if isinstance(posters[platform], DryRunPoster) else "live"
        log.info("poster platform=%s mode=%s", platform, mode)
    return posters
