"""Column mappings: which column of a tabular record gives each field of a :class:`Mention`.

A mapping is plain data, so an import is described by a name (``--format airline``) plus a few
``--map FIELD=COLUMN`` overrides instead of code. :func:`row_to_mention` turns one record (a CSV row or a
flat JSON object) into a mention, or raises :class:`EventError` with a reason a person can act on.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import ValidationError

from socialcare.errors import ConfigError, EventError
from socialcare.models import Author, Mention, Metrics, describe_validation_error, mention_id

REQUIRED_FIELDS = ("source_id", "text", "created_at")
OPTIONAL_FIELDS = (
    "author_id",
    "author_handle",
    "author_name",
    "author_followers",
    "author_verified",
    "brand",
    "in_reply_to",
    "conversation_id",
    "lang",
    "url",
    "likes",
    "reposts",
    "replies",
    "inbound",
)
FIELDS = REQUIRED_FIELDS + OPTIONAL_FIELDS
"""Every field that ``--map FIELD=COLUMN`` may name."""

_SOURCE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
_TRUE = frozenset({"true", "t", "yes", "y", "1"})
_FALSE = frozenset({"false", "f", "no", "n", "0"})


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """Names the column that gives each mention field; ``None`` means the file has no such column.

    ``inbound`` names a true/false column that is true for a customer's post and false for the brand's own
    reply (the brand's rows are skipped unless asked for). With ``threads``, a first pass over the file
    follows ``in_reply_to`` links to give each post the root of its thread as ``conversation_id`` and the
    brand account that answers in the thread as ``brand``. ``time_format`` is a strptime format; ``None``
    accepts ISO 8601 or epoch seconds. Naive times are in ``default_tz``.
    """

    source: str = "import"
    source_id: str = "id"
    text: str = "text"
    created_at: str = "created_at"
    author_id: str | None = None
    author_handle: str | None = None
    author_name: str | None = None
    author_followers: str | None = None
    author_verified: str | None = None
    brand: str | None = None
    in_reply_to: str | None = None
    conversation_id: str | None = None
    lang: str | None = None
    url: str | None = None
    likes: str | None = None
    reposts: str | None = None
    replies: str | None = None
    inbound: str | None = None
    threads: bool = False
    time_format: str | None = None
    default_tz: str = "UTC"
    brand_default: str | None = None

    def __post_init__(self) -> None:
        if not _SOURCE_NAME.match(self.source):
            raise ConfigError(f"source {self.source!r} must be lower-case letters, digits or _ (e.g. 'airline')")
        try:
            ZoneInfo(self.default_tz)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ConfigError(f"unknown time zone {self.default_tz!r}: use an IANA name such as 'UTC'") from exc

    @property
    def tz(self) -> tzinfo:
        return ZoneInfo(self.default_tz)

    def columns(self) -> dict[str, str]:
        """The mapped fields and their columns, in :data:`FIELDS` order."""
        return {field: column for field in FIELDS if (column := getattr(self, field)) is not None}

    def with_overrides(self, overrides: Mapping[str, str]) -> ColumnMapping:
        """This mapping with some fields pointing at other columns (see :func:`parse_mapping_overrides`)."""
        changes: dict[str, Any] = dict(overrides)
        return dataclasses.replace(self, **changes)

    def completed(self, columns: Iterable[str]) -> ColumnMapping:
        """Unmapped optional fields take the column of the same name, if the file has one."""
        present = set(columns)
        found: dict[str, Any] = {f: f for f in OPTIONAL_FIELDS if getattr(self, f) is None and f in present}
        return dataclasses.replace(self, **found)


AIRLINE = ColumnMapping(
    source="airline",
    source_id="tweet_id",
    text="text",
    created_at="tweet_created",
    author_id="name",
    author_handle="name",
    brand="airline",
    reposts="retweet_count",
    time_format="%m/%d/%Y %H:%M",
    # Verified against the tweet ids (Twitter snowflakes carry the UTC time): every `tweet_created` is
    # exactly 8 hours behind UTC, i.e. US Pacific (PST in February 2015).
    default_tz="America/Los_Angeles",
)
"""Twitter US Airline Sentiment (Kaggle / CrowdFlower, Feb 2015)."""

TWCS = ColumnMapping(
    source="twcs",
    source_id="tweet_id",
    text="text",
    created_at="created_at",
    author_id="author_id",
    author_handle="author_id",  # the corpus replaced customer handles by these numbers, in the text too
    in_reply_to="in_response_to_tweet_id",
    inbound="inbound",
    threads=True,
    time_format="%a %b %d %H:%M:%S %z %Y",
)
"""Customer Support on Twitter (Kaggle, thoughtvector): brand support threads."""

BUILTIN_MAPPINGS: dict[str, ColumnMapping] = {"airline": AIRLINE, "twcs": TWCS}


def parse_mapping_overrides(options: Iterable[str]) -> dict[str, str]:
    """Turn ``--map FIELD=COLUMN`` options into ``{field: column}``; raise :class:`ConfigError` if invalid."""
    overrides: dict[str, str] = {}
    problems: list[str] = []
    for option in options:
        field, sep, column = option.partition("=")
        field, column = field.strip(), column.strip()
        if not sep or not field or not column:
            problems.append(f"{option!r} is not FIELD=COLUMN")
        elif field not in FIELDS:
            problems.append(f"unknown field {field!r}")
        elif field in overrides:
            problems.append(f"{field} is mapped twice")
        else:
            overrides[field] = column
    if problems:
        raise ConfigError(f"--map: {'; '.join(problems)}. Fields: {', '.join(FIELDS)}")
    return overrides


def row_to_mention(
    row: Mapping[str, object],
    mapping: ColumnMapping,
    *,
    collected_at: datetime,
    matched_rules: tuple[str, ...] = (),
    brand: str | None = None,
    conversation_id: str | None = None,
) -> Mention:
    """Build a mention from one record keyed by column; raise :class:`EventError` saying what is wrong.

    ``brand`` and ``conversation_id`` fill in when the record has no value of its own (a thread gives
    them); ``mapping.brand_default`` comes last. Ids in ``in_reply_to`` and ``conversation_id`` columns are
    source ids and become mention ids (``twcs:8``). Without an author id the handle stands in, else
    ``"unknown"``. The text is kept as written; other values are stripped.
    """

    def value(field: str) -> str | None:
        column = getattr(mapping, field)
        cell = None if column is None else _scalar(column, row.get(column))
        return None if cell is None else cell.strip()

    source_id = value("source_id")
    if source_id is None:
        raise EventError(f"{_label('source_id', mapping.source_id)} is empty")
    text = _scalar(mapping.text, row.get(mapping.text))
    if text is None:
        raise EventError(f"{_label('text', mapping.text)} is empty")
    stamp = value("created_at")
    if stamp is None:
        raise EventError(f"{_label('created_at', mapping.created_at)} is empty")
    created_at = parse_time(stamp, mapping.time_format, mapping.tz)
    handle = value("author_handle")
    parent = value("in_reply_to")
    conversation = value("conversation_id")
    try:
        return Mention(
            id=mention_id(mapping.source, source_id),
            source=mapping.source,
            source_id=source_id,
            url=value("url"),
            text=text,
            created_at=created_at,
            collected_at=collected_at,
            author=Author(
                id=value("author_id") or handle or "unknown",
                handle=handle,
                name=value("author_name"),
                followers=parse_count("author_followers", value("author_followers")),
                verified=parse_flag("author_verified", value("author_verified")) or False,
            ),
            metrics=Metrics(
                likes=parse_count("likes", value("likes")) or 0,
                reposts=parse_count("reposts", value("reposts")) or 0,
                replies=parse_count("replies", value("replies")) or 0,
            ),
            conversation_id=mention_id(mapping.source, conversation) if conversation else conversation_id,
            in_reply_to=mention_id(mapping.source, parent) if parent else None,
            brand=value("brand") or brand or mapping.brand_default,
            matched_rules=matched_rules,
            lang=value("lang"),
        )
    except ValidationError as exc:
        raise EventError(describe_validation_error(exc)) from exc


def parse_time(value: str, time_format: str | None, default_tz: tzinfo) -> datetime:
    """A UTC timestamp: ``time_format`` (strptime), else ISO 8601 or epoch seconds; naive → ``default_tz``."""
    try:
        if time_format is not None:
            parsed = datetime.strptime(value, time_format)
        elif _is_number(value):
            return datetime.fromtimestamp(float(value), UTC)
        else:
            parsed = datetime.fromisoformat(value)
    except (ValueError, OverflowError, OSError) as exc:
        expected = f"format {time_format!r}" if time_format else "ISO 8601 or epoch seconds"
        raise EventError(f"created_at {value!r} does not match {expected}") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=default_tz)
    return parsed.astimezone(UTC)


def parse_count(field: str, value: str | None) -> int | None:
    """A non-negative whole number such as ``12`` or ``12.0`` (spreadsheet exports); empty → ``None``."""
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if number < 0 or not number.is_integer():
        raise EventError(f"{field} {value!r} is not a whole number ≥ 0")
    return int(number)


def parse_flag(field: str, value: str | None) -> bool | None:
    """``true/false``, ``yes/no``, ``1/0`` in any case; empty → ``None``."""
    if value is None:
        return None
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise EventError(f"{field} {value!r} is not true or false")


def _scalar(column: str, value: object) -> str | None:
    """A cell or JSON value as text, unstripped; blank → ``None``; nested JSON is an error."""
    if value is None:
        return None
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str | int | float):
        text = str(value)
    else:
        raise EventError(f"{column} is a {type(value).__name__}, expected text or a number")
    return text if text.strip() else None


def _label(field: str, column: str) -> str:
    return field if field == column else f"{column} ({field})"


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True
