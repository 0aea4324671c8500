from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from enrich import japanese
from enrich.japanese import NEUTRAL_BELOW, JapaneseSentiment, ensure_locale
from socialcare.errors import ConfigError

pytest.importorskip("asari")
needs_localedef = pytest.mark.skipif(shutil.which("localedef") is None, reason="localedef is not installed")


@pytest.fixture(scope="module")
def sentiment(tmp_path_factory: pytest.TempPathFactory) -> JapaneseSentiment:
    return JapaneseSentiment(tmp_path_factory.mktemp("var"))


@needs_localedef
def test_clear_positive_and_negative(sentiment: JapaneseSentiment) -> None:
    label, score = sentiment("最高です！本当にありがとうございました")
    assert label == "positive"
    assert score > 0.9
    label, score = sentiment("最悪です。返金してください")
    assert label == "negative"
    assert score < -0.9


@needs_localedef
def test_low_confidence_is_neutral(sentiment: JapaneseSentiment) -> None:
    label, score = sentiment("明日は晴れ")
    assert label == "neutral"
    assert abs(score) < 2 * NEUTRAL_BELOW - 1


@needs_localedef
@pytest.mark.parametrize("text", ["", "   ", "😀", "bad \ud800 あ", "あ" * 10_000, "Lumoraのapp、mixed scriptsです"])
def test_bad_input_never_crashes(sentiment: JapaneseSentiment, text: str) -> None:
    label, score = sentiment(text)
    assert label in {"negative", "neutral", "positive"}
    assert -1.0 <= score <= 1.0


def test_empty_text_needs_no_model(tmp_path: Path) -> None:
    model = JapaneseSentiment(tmp_path)
    assert model("") == ("neutral", 0.0)
    assert model._sonar is None


@needs_localedef
def test_missing_locale_is_compiled_under_var_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOCPATH", raising=False)  # restored afterwards, as is any LOCPATH set here
    if japanese._locale_available():
        pytest.skip("this machine has en_US.UTF-8 installed; nothing to compile")
    japanese.ensure_locale(tmp_path)
    assert (tmp_path / "locale" / "en_US.UTF-8").is_dir()
    assert japanese._locale_available()


def test_missing_locale_and_localedef_says_what_to_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(japanese, "_locale_available", lambda: False)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(ConfigError, match=r"localedef -i en_US -f UTF-8 .*en_US\.UTF-8 && export LOCPATH="):
        ensure_locale(tmp_path)
