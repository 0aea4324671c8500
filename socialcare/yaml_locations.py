"""Line numbers for YAML values, so a configuration error can say ``file:line: field: problem``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from socialcare.errors import ConfigError


def load_with_nodes(path: Path) -> tuple[Any, yaml.Node | None]:
    """The YAML document at ``path`` as plain data and as a node tree (which knows line numbers)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    try:
        return yaml.safe_load(text), yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise ConfigError(f"{where}: not valid YAML: {exc.problem}") from None


def line_of(root: yaml.Node | None, location: Sequence[str | int]) -> int | None:
    """The 1-based line of the value at ``location`` (or of its nearest ancestor that exists)."""
    node, line = root, (root.start_mark.line + 1 if root is not None else None)
    for step in location:
        child = _child(node, step)
        if child is None:
            break
        node, line = child, child.start_mark.line + 1
    return line


def _child(node: yaml.Node | None, step: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == str(step):
                return value  # type: ignore[no-any-return]
    if isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
        return node.value[step]  # type: ignore[no-any-return]
    return None


def dotted(location: Sequence[str | int]) -> str:
    """``("brands", 0, "queries")`` -> ``brands[0].queries``."""
    text = ""
    for step in location:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else step)
    return text


def validation_problems(path: Path, root: yaml.Node | None, exc: ValidationError) -> list[str]:
    """Each pydantic error as ``file:line: field.path: message`` (model class names left out of the path)."""
    problems: list[str] = []
    errors = exc.errors()
    for error in errors:
        if error["type"] == "too_short" and any(
            e is not error and e["loc"][: len(error["loc"])] == error["loc"] for e in errors
        ):
            continue  # "at least 1 item" only because its items failed: the items' errors say why
        location = [step for step in error["loc"] if not isinstance(step, str) or step[:1].islower()]
        line = line_of(root, location)
        message = error["msg"].removeprefix("Value error, ")
        problems.append(f"{path}:{line or 1}: {dotted(location) or '(file)'}: {message}")
    return problems
