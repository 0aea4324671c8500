"""Japanese sentiment with asari (Janome tokens + a small ONNX text classifier), offline.

``JapaneseSentiment(var_dir)(text) -> (label, score)`` with ``score = p(positive) - p(negative)`` in -1..1.
asari has only two classes; a post whose top probability is below :data:`NEUTRAL_BELOW` (that is
``|score| < 2 * NEUTRAL_BELOW - 1 = 0.5``) is labelled ``neutral`` and keeps its small score.

asari's ONNX graph holds a StringNormalizer that constructs the C++ locale ``en_US.UTF-8``; many slim
images (this one included) have only ``C.UTF-8``. Before the first session :func:`ensure_locale` checks
the locale and, when it is missing, compiles it into ``<var_dir>/locale`` with ``localedef`` (no root
needed) and points ``LOCPATH`` there, in-process (glibc reads ``LOCPATH`` whenever a locale is created).
When that fails a :class:`~socialcare.errors.ConfigError` says exactly what to run.
"""

from __future__ import annotations

import locale
import os
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Any, Final

from enrich.textutil import clean
from socialcare.errors import ConfigError, MissingExtraError
from socialcare.models import SentimentLabel

NEUTRAL_BELOW: Final = 0.75
"""Top-class probability under which the post counts as neutral (asari has no neutral class)."""
MAX_JA_CHARS: Final = 2_000
LOCALE_NAME: Final = "en_US.UTF-8"

_LOCK = threading.Lock()


def _locale_available() -> bool:
    """Whether glibc can create ``en_US.UTF-8`` now (honours the current ``LOCPATH``)."""
    with _LOCK:
        previous = locale.setlocale(locale.LC_CTYPE)
        try:
            locale.setlocale(locale.LC_CTYPE, LOCALE_NAME)
        except locale.Error:
            return False
        finally:
            locale.setlocale(locale.LC_CTYPE, previous)
        return True


def _fix_command(directory: Path) -> str:
    return f"localedef -i en_US -f UTF-8 {directory / LOCALE_NAME} && export LOCPATH={directory}"


def ensure_locale(var_dir: Path) -> None:
    """Make ``en_US.UTF-8`` available to this process or raise :class:`ConfigError` with the fix."""
    if _locale_available():
        return
    directory = (Path(var_dir) / "locale").resolve()
    target = directory / LOCALE_NAME
    if not target.is_dir():
        localedef = shutil.which("localedef")
        if localedef is None:
            raise ConfigError(
                f"asari needs the {LOCALE_NAME} locale and localedef is not installed: install the locales "
                f"package (apt-get install locales) and run  {_fix_command(directory)}"
            )
        directory.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(
            [localedef, "-i", "en_US", "-f", "UTF-8", str(target)], capture_output=True, text=True, check=False
        )
        if not target.is_dir():
            raise ConfigError(
                f"asari needs the {LOCALE_NAME} locale; localedef failed ({result.stderr.strip()[:200]}): "
                f"run  {_fix_command(directory)}"
            )
    existing = os.environ.get("LOCPATH")
    paths = [str(directory)] + ([existing] if existing and existing != str(directory) else [])
    os.environ["LOCPATH"] = ":".join(paths)
    if not _locale_available():
        raise ConfigError(
            f"asari needs the {LOCALE_NAME} locale and it cannot be loaded: run  {_fix_command(directory)}"
        )


class JapaneseSentiment:
    """Callable: Japanese text -> (label, score -1..1). The model loads lazily, once, on first use."""

    name: Final = "asari"

    def __init__(self, var_dir: Path | str = Path("var")) -> None:
        self.var_dir = Path(var_dir)
        self._sonar: Any = None
        self._lock = threading.Lock()

    def _model(self) -> Any:
        if self._sonar is None:
            with self._lock:
                if self._sonar is None:
                    ensure_locale(self.var_dir)
                    try:
                        from asari.api import Sonar
                    except ImportError as exc:
                        raise MissingExtraError("asari", "ml") from exc
                    self._sonar = Sonar()
        return self._sonar

    def __call__(self, text: str) -> tuple[SentimentLabel, float]:
        value = clean(text, MAX_JA_CHARS).strip()
        if not value:
            return "neutral", 0.0
        result = self._model().ping(text=value)
        probs = {c["class_name"]: float(c["confidence"]) for c in result["classes"]}
        positive, negative = probs.get("positive", 0.0), probs.get("negative", 0.0)
        score = max(-1.0, min(1.0, positive - negative))
        if max(positive, negative) < NEUTRAL_BELOW:
            return "neutral", score
        return ("positive" if positive >= negative else "negative"), score

    def batch(self, texts: list[str]) -> list[tuple[SentimentLabel, float]]:
        return [self(text) for text in texts]
