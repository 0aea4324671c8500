"""A praw ``Reddit`` client from socialcare's settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from socialcare.errors import ConfigError, MissingExtraError
from socialcare.settings import Settings

if TYPE_CHECKING:
    import praw


def reddit_from_settings(settings: Settings) -> praw.Reddit:
    """A client for the app in ``SOCIALCARE_REDDIT_*``: read-only, or logged in when a user is set.

    Streams and search need only the app (client id and secret); the inbox needs the brand account's
    login (``SOCIALCARE_REDDIT_USERNAME`` and ``SOCIALCARE_REDDIT_PASSWORD``, a "script" app). No request
    is made here: wrong credentials surface at the first read, as a ``ConfigError`` from the source.
    """
    try:
        import praw
    except ImportError as exc:
        raise MissingExtraError("praw", "reddit") from exc
    if not settings.reddit_client_id or settings.reddit_client_secret is None:
        raise ConfigError(
            "Reddit needs an app: set SOCIALCARE_REDDIT_CLIENT_ID and SOCIALCARE_REDDIT_CLIENT_SECRET "
            "(create one at https://www.reddit.com/prefs/apps)"
        )
    if (settings.reddit_username is None) != (settings.reddit_password is None):
        raise ConfigError(
            "set both SOCIALCARE_REDDIT_USERNAME and SOCIALCARE_REDDIT_PASSWORD (a script app's login), "
            "or neither (read-only)"
        )
    client_secret = settings.reddit_client_secret.get_secret_value()
    if settings.reddit_username is not None and settings.reddit_password is not None:
        return praw.Reddit(
            client_id=settings.reddit_client_id,
            client_secret=client_secret,
            user_agent=settings.reddit_user_agent,
            username=settings.reddit_username,
            password=settings.reddit_password.get_secret_value(),
            check_for_updates=False,
        )
    return praw.Reddit(
        client_id=settings.reddit_client_id,
        client_secret=client_secret,
        user_agent=settings.reddit_user_agent,
        check_for_updates=False,
    )
