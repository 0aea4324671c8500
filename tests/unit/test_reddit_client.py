"""A praw client from the settings: read-only or logged in, and clear errors when settings are missing."""

from __future__ import annotations

import pytest

pytest.importorskip("praw")

from collectors.reddit import reddit_from_settings
from socialcare.errors import ConfigError
from socialcare.settings import MASK, Settings


def settings(**values: object) -> Settings:
    base: dict[str, object] = {"reddit_client_id": "app-id", "reddit_client_secret": "app-secret"}
    base.update(values)
    return Settings.model_validate(base)


def test_an_app_without_a_user_is_read_only() -> None:
    reddit = reddit_from_settings(settings())
    assert reddit.read_only
    assert reddit.config.client_id == "app-id"
    assert reddit.config.user_agent.startswith("socialcare/")


def test_a_script_app_logs_in_as_the_brand_account() -> None:
    reddit = reddit_from_settings(settings(reddit_username="LumoraSupport", reddit_password="pw-123"))
    assert not reddit.read_only
    assert reddit.config.username == "LumoraSupport"
    assert reddit.config.password == "pw-123"


def test_the_password_is_a_secret_in_the_settings() -> None:
    view = settings(reddit_username="LumoraSupport", reddit_password="pw-123").public_view()
    assert view["reddit_password"] == MASK
    assert view["reddit_username"] == "LumoraSupport"


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"reddit_client_id": None}, "SOCIALCARE_REDDIT_CLIENT_ID and SOCIALCARE_REDDIT_CLIENT_SECRET"),
        ({"reddit_client_secret": None}, "SOCIALCARE_REDDIT_CLIENT_ID and SOCIALCARE_REDDIT_CLIENT_SECRET"),
        (
            {"reddit_username": "LumoraSupport"},
            "both SOCIALCARE_REDDIT_USERNAME and SOCIALCARE_REDDIT_PASSWORD",
        ),
        ({"reddit_password": "pw"}, "both SOCIALCARE_REDDIT_USERNAME and SOCIALCARE_REDDIT_PASSWORD"),
    ],
)
def test_missing_settings_say_which(values: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        reddit_from_settings(settings(**values))
