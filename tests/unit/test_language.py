from __future__ import annotations

import csv
import itertools
from pathlib import Path

import pytest

from enrich.language import DEFAULT_LANGUAGES, LanguageDetector, normalise_hint


@pytest.fixture(scope="module")
def detector() -> LanguageDetector:
    return LanguageDetector()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my flight was cancelled again and nobody at the desk can help", "en"),
        ("el vuelo llegó tarde otra vez y nadie nos ayudó", "es"),
        ("Le vol a été annulé encore une fois, personne ne répond", "fr"),
        ("Der Flug wurde schon wieder gestrichen, unglaublich", "de"),
        ("ありがとうございます、とても助かりました", "ja"),
        ("배송이 너무 늦어요", "ko"),
        ("这个产品太差了", "zh"),
    ],
)
def test_detects_without_hint(detector: LanguageDetector, text: str, expected: str) -> None:
    assert detector.detect(text, None) == expected


def test_hint_wins_for_short_or_unsure_text(detector: LanguageDetector) -> None:
    assert detector.detect("ok", None) is None
    assert detector.detect("ok", "en") == "en"
    assert detector.detect("@united thanks", "en") == "en"
    assert detector.detect("gracias", "es") == "es"


def test_confident_detector_overrides_a_wrong_hint(detector: LanguageDetector) -> None:
    assert detector.detect("my flight was cancelled again and nobody at the desk can help", "ja") == "en"


def test_mixed_scripts_japanese_with_brand_names(detector: LanguageDetector) -> None:
    assert detector.detect("Lumoraのサポートに電話したら鼻で笑われた @LumoraHelp https://t.co/x", "en") == "ja"
    assert detector.detect("iPhone 15 Pro Maxの値段は？", None) == "ja"


@pytest.mark.parametrize("text", ["", "   ", "😀😀😀", "https://t.co/abc", "@LumoraHelp #fail 123"])
def test_no_letters_gives_the_hint_or_none(detector: LanguageDetector, text: str) -> None:
    assert detector.detect(text, None) is None
    assert detector.detect(text, "en") == "en"


def test_hint_normalisation() -> None:
    assert normalise_hint("en-GB") == "en"
    assert normalise_hint("JA") == "ja"
    assert normalise_hint("und") is None
    assert normalise_hint("zxx") is None
    assert normalise_hint("qme") is None
    assert normalise_hint("in") == "id"
    assert normalise_hint(None) is None
    assert normalise_hint("") is None


def test_bad_input_never_crashes(detector: LanguageDetector) -> None:
    assert detector.detect("x" * 10_000, None) is None
    assert detector.detect("where is my refund, it has been three weeks. " * 250, None) == "en"
    assert detector.detect("bad \ud800 surrogate but otherwise plain english text here", None) == "en"


def test_batch_and_shared_detector(detector: LanguageDetector) -> None:
    texts = ["where is my refund, it has been three weeks", "返金はまだですか", "😀"]
    assert detector.detect_batch(texts, ["en", None, "fr"]) == ["en", "ja", "fr"]
    assert detector.detect_batch(texts) == ["en", "ja", None]
    with pytest.raises(ValueError, match="same length"):
        detector.detect_batch(texts, ["en"])
    assert detector._detector() is LanguageDetector(reversed(DEFAULT_LANGUAGES))._detector()


def test_small_language_set() -> None:
    small = LanguageDetector(["en", "ja"])
    assert small.detect("the parcel never arrived and support is silent", None) == "en"
    with pytest.raises(ValueError, match="does not know"):
        LanguageDetector(["en", "xx"])._detector()
    # detect() itself never raises: a broken detector falls back to the hint
    assert LanguageDetector(["en", "xx"]).detect("the parcel never arrived and support is silent", "en") == "en"


class Recorder:
    """A stand-in lingua detector that answers one fixed list and counts its calls."""

    def __init__(self, values: list[object]) -> None:
        self.values, self.calls = values, 0

    def compute_language_confidence_values(self, text: str) -> list[object]:
        self.calls += 1
        return self.values


def test_the_quick_pass_is_trusted_only_for_sure_english() -> None:
    from types import SimpleNamespace

    from enrich.language import QUICK_ENGLISH_CONFIDENCE, TwoPass

    english, french = object(), object()
    sure = [SimpleNamespace(language=english, value=QUICK_ENGLISH_CONFIDENCE)]
    for quick_says, full_called in (
        (sure, 0),
        ([SimpleNamespace(language=english, value=QUICK_ENGLISH_CONFIDENCE - 0.01)], 1),
        ([SimpleNamespace(language=french, value=0.99)], 1),
        ([], 1),
    ):
        full = Recorder(["full"])
        answer = TwoPass(Recorder(quick_says), full, english).compute_language_confidence_values("text")
        assert full.calls == full_called
        assert answer == (quick_says if not full_called else ["full"])
    full = Recorder(["full"])
    assert TwoPass(None, full, english).compute_language_confidence_values("x") == ["full"]  # no English configured


def test_two_passes_give_the_full_models_answer_on_real_tweets(shared_data: Path) -> None:
    """The quick pass may only settle texts the full models call English or leave undecided."""
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    from enrich import language

    texts = []
    for name in ("airline_tweets/tweets_dev.csv", "twcs/twcs_sample.csv"):
        with (shared_data / name).open(encoding="utf-8", newline="") as handle:
            texts += [row["text"] for row in itertools.islice(csv.DictReader(handle), 500)]
    codes = [getattr(IsoCode639_1, code.upper()) for code in DEFAULT_LANGUAGES]
    full_only = LanguageDetector(DEFAULT_LANGUAGES)
    two_pass = [LanguageDetector().detect(text) for text in texts]
    saved = language._DETECTORS.get(full_only.languages)
    language._DETECTORS[full_only.languages] = LanguageDetectorBuilder.from_iso_codes_639_1(*codes).build()
    try:
        reference = [full_only.detect(text) for text in texts]
    finally:
        if saved is not None:
            language._DETECTORS[full_only.languages] = saved
    differ = [(a, b) for a, b in zip(reference, two_pass, strict=True) if a != b]
    assert all(a is None and b == "en" for a, b in differ), differ
    assert len(differ) <= 0.02 * len(texts)
