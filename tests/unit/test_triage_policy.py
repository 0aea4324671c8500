"""Routing policy: validation with file and line, every kind of test, priorities, SLAs, explanations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from socialcare.errors import ConfigError
from socialcare.models import Author, EnrichedMention, Metrics, Risk, Sentiment, Spam
from triage.engine import DEFAULT_POLICY, CompiledPolicy, format_duration
from triage.facts import facts_of
from triage.policy_file import read_policy_file

SLA = """
sla:
  P1: {first_response: 15m, resolution: 4h}
  P2: {first_response: 1h, resolution: 8h}
  P3: {first_response: 4h, resolution: 24h}
  P4: {first_response: 1d, resolution: 3d}
"""


def policy(tmp_path: Path, rules: str, head: str = "version: 1\n") -> CompiledPolicy:
    path = tmp_path / "policy.yaml"
    path.write_text(head + SLA + "rules:\n" + rules, encoding="utf-8")
    return CompiledPolicy.load(path)


def enriched(
    text: str = "my order is late",
    *,
    department: str = "customer_service",
    risk: str = "low",
    risk_score: float = 0.1,
    sentiment: str = "negative",
    followers: int = 10,
    verified: bool = False,
    spam: float = 0.0,
    language: str | None = "en",
    hour: int = 10,
    tags: tuple[str, ...] = (),
) -> EnrichedMention:
    scores = {d: 0.02 for d in ("customer_service", "engineering", "it", "sales", "pr", "none")}
    scores[department] = 0.9
    created = datetime(2026, 11, 30, hour, 0, tzinfo=UTC)  # a Monday
    return EnrichedMention.model_validate(
        {
            "id": "x:1",
            "source": "x",
            "source_id": "1",
            "text": text,
            "created_at": created,
            "collected_at": created + timedelta(seconds=5),
            "author": Author(id="9", handle="someone", followers=followers, verified=verified),
            "metrics": Metrics(),
            "brand": "Lumora",
            "matched_rules": tags,
            "language": language,
            "sentiment": Sentiment(label=sentiment, score=-0.8 if sentiment == "negative" else 0.6, model="t"),  # type: ignore[arg-type]
            "department_scores": scores,
            "risk": Risk(score=risk_score, level=risk, reasons=("because",)),  # type: ignore[arg-type]
            "spam": Spam(score=spam),
            "redacted_text": text,
        }
    )


def route(compiled: CompiledPolicy, mention: EnrichedMention):  # type: ignore[no-untyped-def]
    return compiled.decide(facts_of(mention, compiled.zone))


def test_the_default_policy_is_valid_and_ships_with_the_package() -> None:
    compiled = CompiledPolicy.load()
    assert DEFAULT_POLICY.is_file() and len(compiled.rules) >= 5


def test_errors_name_file_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "version: 1\ntimezone: Nowhere/Land\n" + SLA + "rules:\n"
        "  - name: x\n    when: {risk_score: 'at least 0.8'}\n    then: {priority: P0}\n"
        "  - name: y\n    when: {}\n    then: {cc: [legal]}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        read_policy_file(path)
    message = str(caught.value)
    assert f"{path}:2: timezone: unknown time zone" in message
    assert f"{path}:11: rules[0].when.risk_score: expected a comparison" in message
    assert f"{path}:12: rules[0].then.priority:" in message
    assert f"{path}:14: rules[1].when: a condition needs at least one test" in message
    assert f"{path}:15: rules[1].then.cc[0]:" in message


def test_missing_file_and_broken_yaml_are_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        read_policy_file(tmp_path / "missing.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("rules: [\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        read_policy_file(broken)


def test_duplicate_rule_names_and_missing_priorities_are_refused(tmp_path: Path) -> None:
    rules = (
        "  - {name: a, when: {risk_level: high}, then: {cc: pr}}\n"
        "  - {name: A, when: {sentiment: negative}, then: {cc: pr}}\n"
    )
    with pytest.raises(ConfigError, match="two rules are named"):
        policy(tmp_path, rules)
    path = tmp_path / "p.yaml"
    path.write_text("sla:\n  P1: {first_response: 15m, resolution: 4h}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="missing P2, P3, P4"):
        read_policy_file(path)


def test_without_rules_the_department_comes_from_the_scores_and_the_default_priority(tmp_path: Path) -> None:
    compiled = policy(tmp_path, "  []\n")
    routing = route(compiled, enriched(department="engineering"))
    assert (routing.department, routing.priority, routing.first_response) == ("engineering", "P3", timedelta(hours=4))
    assert route(compiled, enriched(department="none")).priority == "P4"
    assert [step.rule for step in routing.explanation] == ["scores", "default priority"]


def test_priority_is_the_most_urgent_any_fired_rule_gives(tmp_path: Path) -> None:
    compiled = policy(
        tmp_path,
        "  - {name: high, when: {risk_level: high}, then: {priority: P1, cc: [pr]}}\n"
        "  - {name: negative, when: {sentiment: negative}, then: {priority: P3}}\n",
    )
    routing = route(compiled, enriched(risk="high", risk_score=0.95))
    assert routing.priority == "P1" and routing.cc == ("pr",) and routing.first_response == timedelta(minutes=15)
    assert routing.fired == ("high", "negative")
    assert route(compiled, enriched()).priority == "P3"


def test_stop_ends_the_evaluation_and_department_can_be_set(tmp_path: Path) -> None:
    compiled = policy(
        tmp_path,
        "  - {name: spam, when: {spam_score: '>= 0.8'}, then: {department: none, priority: P4}, stop: true}\n"
        "  - {name: negative, when: {sentiment: negative}, then: {priority: P2}}\n",
    )
    routing = route(compiled, enriched(spam=0.9))
    assert (routing.department, routing.priority, routing.fired) == ("none", "P4", ("spam",))


def test_every_kind_of_test(tmp_path: Path) -> None:
    compiled = policy(
        tmp_path,
        "  - {name: lang, when: {language: [JA, ko]}, then: {tags: [cjk]}}\n"
        "  - {name: reach, when: {any: [{followers: '>= 10000'}, {verified: true}]}, then: {tags: [reach]}}\n"
        "  - {name: eng, when: {department_scores: {engineering: '> 0.5'}}, then: {tags: [eng]}}\n"
        "  - {name: words, when: {keywords: [lawyer, 'trading standards']}, then: {tags: [legal]}}\n"
        "  - {name: query, when: {tags: [Lumora-Brand]}, then: {tags: [query]}}\n"
        "  - {name: night, when: {hours: '22:00-06:00'}, then: {tags: [night]}}\n"
        "  - {name: monday, when: {weekdays: mon, source: x, brand: Lumora}, then: {tags: [monday]}}\n"
        "  - {name: happy, when: {not: {sentiment: negative}}, then: {tags: [happy]}}\n"
        "  - {name: score, when: {sentiment_score: '< -0.5', risk_score: '<= 0.1'}, then: {tags: [sad]}}\n",
    )
    plain = route(compiled, enriched())
    assert plain.tags == ("monday", "sad")
    rich = route(
        compiled,
        enriched(
            "Calling my LAWYER and Trading Standards",
            department="engineering",
            language="ja",
            followers=50_000,
            hour=23,
            sentiment="positive",
            tags=("lumora-brand",),
        ),
    )
    assert set(rich.tags) == {"cjk", "reach", "eng", "legal", "query", "night", "monday", "happy"}
    assert route(compiled, enriched("lawyers are people too")).tags == ("monday", "sad")  # whole words only
    assert "cjk" not in route(compiled, enriched(language=None)).tags


def test_explanation_shows_each_fired_rule_with_the_values_it_saw(tmp_path: Path) -> None:
    compiled = policy(
        tmp_path,
        "  - name: big and angry\n"
        "    when: {followers: '>= 10000', sentiment: negative}\n"
        "    then: {cc: [pr], priority: P2}\n"
        "  - {name: legal, when: {keywords: [lawyer]}, then: {tags: [legal], sla: {first_response: 30m}}}\n",
    )
    routing = route(compiled, enriched("my lawyer will call", followers=25_000))
    steps = {step.rule: step for step in routing.explanation}
    assert steps["big and angry"].inputs == {"sentiment": "negative", "followers": 25_000}
    assert steps["big and angry"].detail == "cc pr; priority P2"
    assert steps["legal"].inputs == {"keyword": "lawyer"}
    assert routing.first_response == timedelta(minutes=30) and routing.resolution == timedelta(hours=8)
    assert steps["scores"].inputs["risk_reasons"] == ["because"]


def test_hours_are_read_in_the_policy_time_zone(tmp_path: Path) -> None:
    compiled = policy(
        tmp_path, "  - {name: office, when: {hours: '09:00-17:00'}, then: {tags: [office]}}\n", "timezone: Asia/Tokyo\n"
    )
    assert route(compiled, enriched(hour=1)).tags == ("office",)  # 01:00 UTC is 10:00 in Tokyo
    assert route(compiled, enriched(hour=10)).tags == ()  # 19:00 in Tokyo


def test_default_policy_follows_the_rubric() -> None:
    compiled = CompiledPolicy.load()
    high = route(
        compiled, enriched("my thermostat caught fire", department="engineering", risk="high", risk_score=0.97)
    )
    assert high.priority == "P1" and "pr" in high.cc and high.department == "engineering"
    spam = route(compiled, enriched("buy followers now", spam=0.95))
    assert (spam.department, spam.priority) == ("none", "P4")
    lead = route(compiled, enriched("how much is the pro plan?", department="sales", sentiment="neutral"))
    assert lead.priority == "P3" and lead.first_response == timedelta(hours=1) and "lead" in lead.tags


def test_format_duration() -> None:
    assert format_duration(timedelta(minutes=90)) == "1h30m"
    assert format_duration(timedelta(days=2)) == "2d"
    assert format_duration(timedelta()) == "0s"
