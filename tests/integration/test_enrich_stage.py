"""The enrich stage end to end on the embedded transport: real encoder, shipped heads, rules.

Bad input never crashes the worker: each record becomes a valid enriched mention or a dead letter.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from enrich.heads import Heads, LinearHead
from enrich.pipeline import Enricher
from enrich.stage import EnrichStage
from socialcare.bus.dlq import DeadLetter
from socialcare.bus.worker import Worker
from socialcare.models import EnrichedMention, Mention, decode_event, encode_event
from socialcare.runtime import Runtime
from socialcare.settings import Settings
from socialcare.topics import MENTIONS_ENRICHED, MENTIONS_RAW, dlq_topic
from tests.factories import make_mention

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def enricher(tmp_path_factory: pytest.TempPathFactory) -> Enricher:
    var = tmp_path_factory.mktemp("var")
    return Enricher.from_settings(Settings.model_validate({"var_dir": var}))


HARD_TEXTS = {
    "empty": "",
    "emoji": "😡😡😡🔥🔥",
    "long": "my order never arrived " * 435,  # 10,005 characters
    "mixed": "@LumoraHelp アプリが落ちる after the update, c'est nul, muy mal 😤",
    "unknown-language": "ᚠᛇᚻ᛫ᛒᛦᚦ᛫ᚠᚱᚩᚠᚢᚱ᛫ᚠᛁᚱᚪ᛫ᚷᛖᚻᚹᛦᛚᚳᚢᛗ",
    "surrogate-free-control": "line\u0000with\u0007controls",
}


def test_every_mention_becomes_an_enriched_mention_and_bad_bytes_become_dead_letters(
    enricher: Enricher, tmp_path: Path
) -> None:
    settings = Settings.model_validate({"database_url": f"sqlite:///{tmp_path / 'e.db'}"})
    mentions = [make_mention(i, text=text) for i, text in enumerate(HARD_TEXTS.values())]
    mentions.append(make_mention(99, text="My thermostat caught fire, my lawyer will hear about this! RT!"))
    bad = [b"\xff\xfe\x00broken", b'{"schema_version": 1, "id": "x:1"}']
    with Runtime.open(settings) as runtime:
        with runtime.transport.producer() as producer:
            for mention in mentions:
                producer.send(MENTIONS_RAW, encode_event(mention), key=mention.id)
            for raw in bad:
                producer.send(MENTIONS_RAW, raw)
        stats = Worker(EnrichStage(enricher), runtime.transport, poll_timeout_ms=200).run(stop_when_idle=True)
        out = [decode_event(EnrichedMention, r.value) for r in runtime.transport.read(MENTIONS_ENRICHED, 100)]
        letters = [DeadLetter.from_record(r) for r in runtime.transport.read(dlq_topic(MENTIONS_RAW), 100)]
    assert stats.emitted == len(mentions) and stats.dead_lettered == len(bad)
    assert [e.id for e in out] == [m.id for m in mentions]
    assert {letter.value for letter in letters} == set(bad)
    by_id = {e.id: e for e in out}
    fire = by_id[mentions[-1].id]
    assert fire.risk.level == "high" and fire.sentiment.label == "negative"
    assert by_id[mentions[0].id].redacted_text == ""
    assert all(abs(sum(e.department_scores.values()) - 1) < 0.05 for e in out)


def test_enrich_output_has_every_field_and_redacts_pii(enricher: Enricher) -> None:
    text = "@LumoraHelp order #AB12345678 never came, call me on +44 7700 900123 or mail jo@example.com"
    [enriched] = enricher.enrich([make_mention(1, text=text)])
    assert isinstance(enriched, Mention)
    assert "jo@example.com" not in enriched.redacted_text and "7700 900123" not in enriched.redacted_text
    assert enriched.text == text  # the original is kept beside the redacted copy
    assert enriched.language == "en"
    assert "@LumoraHelp" in enriched.entities
    assert max(enriched.department_scores, key=lambda d: enriched.department_scores[d]) == "customer_service"


def test_the_risk_heads_reading_reaches_the_risk_of_english_posts_only(enricher: Enricher) -> None:
    """A risk head that is always sure (bias only): its reason shows on English posts, never on Japanese ones,
    whose embeddings the English-trained head cannot read."""
    assert enricher.heads.risk is not None
    sure = LinearHead(("other", "high"), np.zeros((2, 384)), [0.0, 10.0], encoder=enricher.heads.risk.encoder)
    heads = Heads(enricher.heads.sentiment, enricher.heads.department, sure)
    always = Enricher(enricher.encoder, heads, languages=enricher.languages)
    english, japanese = always.enrich(
        [
            make_mention(1, text="@LumoraHelp the hinge snapped again and nobody answers my emails"),
            make_mention(2, text="@LumoraHelp 配送が遅いです。いつ届きますか"),
        ]
    )
    assert english.language == "en" and japanese.language == "ja"
    assert any(
        reason.startswith("reads like posts reviewers marked high risk (1.00)") for reason in english.risk.reasons
    )
    assert not any("reviewers" in reason for reason in japanese.risk.reasons)
    [plain] = enricher.enrich([make_mention(3, text="@LumoraHelp what time do you open on Sunday?")])
    assert plain.risk.level == "low" and not any("reviewers" in reason for reason in plain.risk.reasons)


def test_with_zero_retention_the_original_text_never_leaves_the_enricher(enricher: Enricher) -> None:
    strict = Enricher(enricher.encoder, enricher.heads, languages=enricher.languages, keep_original=False)
    text = "@LumoraHelp refund to card 4111 1111 1111 1111 please, mail jo@example.com"
    [enriched] = strict.enrich([make_mention(3, text=text)])
    assert enriched.text == enriched.redacted_text
    assert "4111" not in enriched.text and "jo@example.com" not in enriched.text
