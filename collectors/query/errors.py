"""The one error of the query language: a :class:`~socialcare.errors.ConfigError`, since queries are config.

Its first line is the reason, with the column when there is one; the next two lines show the query with a
caret under that column (wide CJK characters count two cells, so the caret lines up in a terminal).
"""

from __future__ import annotations

import unicodedata

from socialcare.errors import ConfigError


class QuerySyntaxError(ConfigError):
    """A query that cannot be parsed, or cannot be turned into X rules; ``column`` is 1-based or None."""

    def __init__(self, reason: str, query: str, column: int | None = None, hint: str = "") -> None:
        where = f" at column {column}" if column is not None else ""
        message = f"{reason}{where}{f' ({hint})' if hint else ''}"
        if column is not None:
            message += "\n" + _caret(query, column)
        super().__init__(message)
        self.reason = reason
        self.query = query
        self.column = column


def _caret(query: str, column: int) -> str:
    shown = "".join(" " if unicodedata.category(c) in {"Cc", "Zl", "Zp"} else c for c in query)
    cells = sum(2 if unicodedata.east_asian_width(c) in {"W", "F"} else 1 for c in shown[: column - 1])
    return f"  {shown}\n  {' ' * cells}^"
