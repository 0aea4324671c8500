"""Replaying praw's own recorded Reddit traffic (``../shared/data/cassettes/praw``) with vcrpy.

The cassettes are vcrpy interactions saved as pretty JSON (``{interactions, recorded_at, version}``), with
placeholders such as ``<CLIENT_ID>``, ``<USERNAME>``, ``<BASIC_AUTH>`` where the recording had secrets. As
praw's ``tests/integration/utils.py`` does, the persister puts the test's values in their place on load,
and the praw client is built with the same values, so what praw sends and what it reads back agree (the
mentions inbox then reads "Hello /u/placeholder_username"). ``<ACCESS_TOKEN>`` stays as it is: praw uses
whatever token the recorded token response hands it.

Requests match on method, host, path and query (the data README's rule): the token POST matches the
recorded one whatever grant it carries, and every listing request must be the exact one praw made when
recording (``limit``, ``before``, ``raw_json``, ...), in order, each played at most once. Nothing is
ever recorded (``record_mode="none"``): an unrecorded request fails the test.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import praw
import vcr
from vcr.persisters.filesystem import CassetteNotFoundError
from vcr.serialize import deserialize

PLACEHOLDERS: dict[str, str] = {
    key: f"placeholder_{key}"
    for key in ("client_id", "client_secret", "password", "test_subreddit", "user_agent", "username")
}
PLACEHOLDERS["basic_auth"] = base64.b64encode(
    f"{PLACEHOLDERS['client_id']}:{PLACEHOLDERS['client_secret']}".encode()
).decode()
MATCH_ON = ("method", "host", "path", "query")


class PrawCassettePersister:
    """Loads praw's JSON cassettes with the placeholders filled in; refuses to write."""

    @staticmethod
    def load_cassette(cassette_path: str | Path, serializer: Any) -> tuple[list[Any], list[Any]]:
        path = Path(cassette_path)
        if not path.is_file():
            raise CassetteNotFoundError(f"no cassette at {path}")
        text = path.read_text(encoding="utf-8")
        for key, value in PLACEHOLDERS.items():
            text = text.replace(f"<{key.upper()}>", value)
        requests, responses = deserialize(text, serializer)
        return requests, responses

    @staticmethod
    def save_cassette(cassette_path: str | Path, cassette_dict: Any, serializer: Any) -> None:
        raise AssertionError(f"contract tests never record: {cassette_path} would have been written")


def praw_vcr(cassette_dir: Path) -> vcr.VCR:
    recorder = vcr.VCR(
        cassette_library_dir=str(cassette_dir),
        serializer="json",
        record_mode="none",
        match_on=MATCH_ON,
        decode_compressed_response=True,
    )
    recorder.register_persister(PrawCassettePersister)
    return recorder


def placeholder_reddit(*, logged_in: bool = False) -> praw.Reddit:
    """A praw client configured with the placeholder values, as praw's integration tests build theirs."""
    login = {"username": PLACEHOLDERS["username"], "password": PLACEHOLDERS["password"]} if logged_in else {}
    return praw.Reddit(
        client_id=PLACEHOLDERS["client_id"],
        client_secret=PLACEHOLDERS["client_secret"],
        user_agent=PLACEHOLDERS["user_agent"],
        check_for_updates=False,
        **login,
    )
