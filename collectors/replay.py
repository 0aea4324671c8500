"""Replay import: mentions from a CSV or JSONL file, for backfills, demos and tests.

A bad row never stops an import and is never dropped: it becomes a :class:`Rejected` with its bytes and a
reason naming the row. Only a file that cannot be read at all (missing, no header, required columns
absent) raises :class:`ImportFileError`. The checkpoint is the number of data rows consumed, so a resumed
import skips exactly the rows already published.

Bytes are decoded line by line with ``surrogateescape``: the CSV parser still sees quotes and line breaks
(so multi-line quoted fields parse), and each record is then checked strictly, so one stray Latin-1 byte
rejects one row, not the file.
"""

from __future__ import annotations

import codecs
import csv
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO, Literal, get_args

from collectors.base import Collected, Rejected, Source, SourceItem
from collectors.mappings import (
    BUILTIN_MAPPINGS,
    OPTIONAL_FIELDS,
    ColumnMapping,
    parse_flag,
    row_to_mention,
)
from collectors.threads import ThreadIndex
from socialcare.errors import EventError, ImportFileError
from socialcare.models import Mention, decode_event, mention_id, utcnow

Format = Literal["csv", "jsonl", "airline", "twcs"]
FORMATS: tuple[Format, ...] = get_args(Format)
_EXTENSIONS: dict[str, Format] = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
_GENERIC = ColumnMapping()
"""Columns named like the fields: ``id``, ``text``, ``created_at``, ``author_id``, ``likes``, ..."""


@dataclass(frozen=True, slots=True)
class _Row:
    number: int  # 1-based data row: what checkpoints count
    location: str  # "row N" (CSV) or "line N" (JSONL), for people
    raw: bytes  # the record's bytes without its final line break
    values: dict[str, object] | str  # cells by column, or why the record cannot be read


class ReplaySource(Source):
    """Mentions from a CSV or JSONL file.

    ``format`` is taken from the extension unless given; ``airline`` and ``twcs`` are CSV files read with
    the built-in mapping of that name. ``mapping`` replaces the format's mapping and ``overrides``
    (``{field: column}``, see :func:`~collectors.mappings.parse_mapping_overrides`) adjusts it. JSONL
    lines with ``schema_version`` are complete :class:`Mention` events and pass through as they are; other
    lines are flat objects read like CSV rows, where a missing key is an empty cell (there is no header
    to check).
    ``brand`` overrides every row's brand; ``limit`` caps the items yielded per call of :meth:`items`;
    ``include_outbound`` also imports the brand's own posts where the mapping has an ``inbound`` column.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        format: Format | None = None,
        mapping: ColumnMapping | None = None,
        overrides: Mapping[str, str] | None = None,
        encoding: str = "utf-8",
        brand: str | None = None,
        limit: int | None = None,
        include_outbound: bool = False,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.path = Path(path).resolve()
        self.format: Format = format or _format_of(self.path)
        if self.format not in FORMATS:
            raise ImportFileError(f"unknown format {self.format!r}: use one of {', '.join(FORMATS)}")
        base = mapping or BUILTIN_MAPPINGS.get(self.format, _GENERIC)
        self.mapping = base.with_overrides(overrides or {})
        self.encoding = _check_encoding(encoding)
        self.brand = brand
        self.limit = limit
        self.include_outbound = include_outbound
        self._clock = clock
        self._rules = (f"import:{self.format}",)

    @property
    def checkpoint_key(self) -> str:
        return f"replay:{self.format}:{self.path}"

    def total_hint(self) -> int | None:
        """The number of data rows (the unit of checkpoints), capped by ``limit``; ``None`` if unreadable."""
        try:
            with self._open() as stream:
                total = sum(1 for _ in self._rows(stream)[1])
        except ImportFileError:
            return None
        return total if self.limit is None else min(total, self.limit)

    def items(self, checkpoint: str | None, *, idle: bool = False) -> Iterator[SourceItem]:
        done = _rows_done(checkpoint)
        threads = self._thread_index() if self.mapping.threads else None
        yielded = 0
        with self._open() as stream:
            mapping, rows = self._rows(stream)
            for row in rows:
                if self.limit is not None and yielded >= self.limit:
                    return
                if row.number <= done:
                    continue
                item = self._item(row, mapping, threads)
                if item is not None:
                    yielded += 1
                    yield item

    def _item(self, row: _Row, mapping: ColumnMapping, threads: ThreadIndex | None) -> SourceItem | None:
        """The row as a mention or a rejection; ``None`` for a brand's own post left out on purpose."""
        checkpoint = str(row.number)
        try:
            if isinstance(row.values, str):
                raise EventError(row.values)
            if self.format == "jsonl" and "schema_version" in row.values:
                mention = decode_event(Mention, row.raw)
            elif _is_outbound(row.values, mapping) and not self.include_outbound:
                return None
            else:
                mention = self._mention(row.values, mapping, threads)
        except EventError as exc:
            return Rejected(raw=row.raw, reason=str(exc), location=row.location, checkpoint=checkpoint)
        if self.brand is not None:
            mention = mention.model_copy(update={"brand": self.brand})
        return Collected(mention=mention, checkpoint=checkpoint)

    def _mention(self, values: dict[str, object], mapping: ColumnMapping, threads: ThreadIndex | None) -> Mention:
        brand = conversation = None
        post_id = _cell(values, mapping.source_id)
        if threads is not None and post_id is not None:
            conversation = mention_id(mapping.source, threads.root(post_id))
            brand = threads.brand(post_id, _cell(values, mapping.text) or "")
        return row_to_mention(
            values,
            mapping,
            collected_at=self._clock(),
            matched_rules=self._rules,
            brand=brand,
            conversation_id=conversation,
        )

    def _thread_index(self) -> ThreadIndex:
        """First pass: parent links and brand authors of every readable row (ids only, no texts)."""
        index = ThreadIndex()
        with self._open() as stream:
            mapping, rows = self._rows(stream)
            for row in rows:
                if isinstance(row.values, str) or (post_id := _cell(row.values, mapping.source_id)) is None:
                    continue
                author = _cell(row.values, mapping.author_id or mapping.author_handle)
                try:
                    is_brand = author is not None and not author.isdigit() and _is_outbound(row.values, mapping)
                except EventError:  # reported with the row in the second pass
                    is_brand = False
                index.add(post_id, _cell(row.values, mapping.in_reply_to), author if is_brand else None)
        return index

    @contextmanager
    def _open(self) -> Iterator[BinaryIO]:
        try:
            stream = self.path.open("rb")
        except OSError as exc:
            raise ImportFileError(f"cannot open {self.path}: {exc.strerror}") from exc
        with stream:
            yield stream

    def _rows(self, stream: BinaryIO) -> tuple[ColumnMapping, Iterator[_Row]]:
        """The mapping completed for this file, and its rows; raise if the header lacks mapped columns."""
        lines = _without_bom(stream, self.encoding)
        if self.format == "jsonl":
            return self.mapping.completed(OPTIONAL_FIELDS), _jsonl_rows(lines, self.encoding)
        records = _csv_records(lines, self.encoding)
        header = _header(next(records, None), self.path, self.encoding)
        mapping = self.mapping.completed(header)
        _check_columns(mapping, header, self.path)
        return mapping, _csv_rows(records, header, self.encoding)


def _format_of(path: Path) -> Format:
    found = _EXTENSIONS.get(path.suffix.lower())
    if found is None:
        raise ImportFileError(
            f"cannot tell the format of {path.name} from its extension: pass --format ({', '.join(FORMATS)})"
        )
    return found


def _check_encoding(encoding: str) -> str:
    """The codec's name; only encodings that write a line break as the byte ``\\n`` can be split into rows."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError as exc:
        raise ImportFileError(f"unknown encoding {encoding!r}: try utf-8 or cp1252") from exc
    if not "a\n".encode(name).endswith(b"a\n"):
        raise ImportFileError(f"encoding {name} is not supported: convert the file to UTF-8 first")
    return name


def _rows_done(checkpoint: str | None) -> int:
    if checkpoint is None:
        return 0
    if not checkpoint.isdigit():
        raise ImportFileError(f"checkpoint {checkpoint!r} is not a row count: clear it to start over")
    return int(checkpoint)


def _without_bom(stream: Iterable[bytes], encoding: str) -> Iterator[bytes]:
    lines = iter(stream)
    first = next(lines, b"")
    yield first.removeprefix(codecs.BOM_UTF8) if encoding == "utf-8" else first
    yield from lines


def _csv_records(lines: Iterable[bytes], encoding: str) -> Iterator[tuple[bytes, list[str] | str]]:
    """Each non-blank CSV record with its raw bytes, or the parser's complaint instead of the cells.

    Quoting is strict: a stray quote rejects its record instead of quietly gluing fields or rows together.
    """
    consumed: list[bytes] = []

    def text() -> Iterator[str]:
        for line in lines:
            consumed.append(line)
            yield line.decode(encoding, "surrogateescape")

    reader = csv.reader(text(), strict=True)
    while True:
        cells: list[str] | str
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            cells = f"is not valid CSV: {exc} (broken quoting?)"
        raw = _chomp(b"".join(consumed))
        consumed.clear()
        if cells:
            yield raw, cells


def _header(record: tuple[bytes, list[str] | str] | None, path: Path, encoding: str) -> list[str]:
    if record is None:
        raise ImportFileError(f"{path} is empty: expected a header row naming the columns")
    raw, cells = record
    problem = cells if isinstance(cells, str) else _undecodable(raw, encoding)
    if isinstance(cells, str) or problem is not None:
        raise ImportFileError(f"cannot read the header of {path}: {problem}")
    return [cell.strip() for cell in cells]


def _check_columns(mapping: ColumnMapping, header: list[str], path: Path) -> None:
    missing = {field: column for field, column in mapping.columns().items() if column not in header}
    if not missing:
        return
    named = ", ".join(f"{column!r} (for {field})" for field, column in missing.items())
    hint = "pass --map FIELD=COLUMN for each, e.g. --map text=body"
    fits = [name for name, known in BUILTIN_MAPPINGS.items() if set(known.columns().values()) <= set(header)]
    if fits:
        hint += f", or --format {fits[0]} (its columns match)"
    raise ImportFileError(f"{path.name} has no column {named}; columns found: {', '.join(header)}; {hint}")


def _csv_rows(records: Iterator[tuple[bytes, list[str] | str]], header: list[str], encoding: str) -> Iterator[_Row]:
    for number, (raw, cells) in enumerate(records, start=1):
        problem = cells if isinstance(cells, str) else _undecodable(raw, encoding)
        if problem is None and len(cells) != len(header):
            problem = f"has {len(cells)} fields, header has {len(header)} (broken quoting?)"
        values: dict[str, object] | str = problem or dict(zip(header, cells, strict=True))
        yield _Row(number, f"row {number}", raw, values)


def _jsonl_rows(lines: Iterable[bytes], encoding: str) -> Iterator[_Row]:
    number = 0
    for line_number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        number += 1
        raw = _chomp(line)
        yield _Row(number, f"line {line_number}", raw, _undecodable(raw, encoding) or _json_object(raw, encoding))


def _json_object(raw: bytes, encoding: str) -> dict[str, object] | str:
    try:
        value = json.loads(raw.decode(encoding))
    except ValueError as exc:
        return f"not JSON ({exc})"
    if not isinstance(value, dict):
        return f"is a JSON {type(value).__name__}, expected an object"
    return value


def _undecodable(raw: bytes, encoding: str) -> str | None:
    """Why ``raw`` is not valid in ``encoding``, with the fix when it looks like a Latin-1 file."""
    try:
        raw.decode(encoding)
    except UnicodeDecodeError as exc:
        byte = raw[exc.start]
        if encoding == "utf-8":
            return f"not valid UTF-8 (byte 0x{byte:02x}); if the whole file is Latin-1 pass --encoding cp1252"
        return f"not valid {encoding} (byte 0x{byte:02x})"
    return None


def _chomp(raw: bytes) -> bytes:
    return raw.removesuffix(b"\n").removesuffix(b"\r")


def _cell(values: Mapping[str, object], column: str | None) -> str | None:
    value = values.get(column) if column else None
    if value is None or isinstance(value, dict | list):
        return None
    text = str(value).strip()
    return text or None


def _is_outbound(values: Mapping[str, object], mapping: ColumnMapping) -> bool:
    """True for the brand's own post (``inbound`` false); an unreadable flag is an :class:`EventError`."""
    return parse_flag("inbound", _cell(values, mapping.inbound)) is False
