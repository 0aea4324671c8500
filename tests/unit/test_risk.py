from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from enrich.risk import HIGH_AT, MEDIUM_AT, MODEL_HIGH_AT, RiskInputs, assess_risk, level_for

REPO = Path(__file__).resolve().parents[2]


def risk(text: str, sentiment: float = -0.8, **extra: object):  # type: ignore[no-untyped-def]
    label = "negative" if sentiment < 0 else "positive" if sentiment >= 0.5 else "neutral"
    return assess_risk(RiskInputs(text=text, sentiment_label=label, sentiment_score=sentiment, **extra))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("fine. my lawyer will be in touch", "threat of legal action: 'lawyer'"),
        ("see you in small claims court", "threat of legal action: 'small claims'"),
        ("reporting you to the BBB tomorrow", "regulator invoked: 'reporting you to'"),
        ("I filed an FTC complaint", "regulator invoked: 'FTC'"),
        ("as a journalist I will write about this", "media or public-audience involvement: 'journalist'"),
        ("the charger caught fire on my desk", "safety or health incident: 'caught fire'"),
        ("the battery is swollen and hot", "safety or health incident: 'swollen'"),
        ("your installer was racist to my wife", "discrimination or harassment: 'racist'"),
        ("an agent keeps harassing me by text", "discrimination or harassment: 'harassing'"),
        ("someone logged into my account, 3 orders", "account security or privacy breach: 'someone logged into'"),
        ("my elderly father is without heating", "vulnerable customer: 'elderly'"),
        ("I'm in a wheelchair and nobody came", "vulnerable customer: 'wheelchair'"),
        ("my mum is 84 and can't use the app", "vulnerable customer: 'is 84'"),
        ("stranded overnight and I'm pregnant", "vulnerable customer: 'pregnant'"),
        ("弁護士に相談します", "threat of legal action: '弁護士'"),
        ("消費者センターに相談します", "regulator invoked: '消費者センター'"),
        ("充電中に発火した", "safety or health incident: '発火'"),
        ("店員に差別された", "discrimination or harassment: '差別'"),
        ("高齢の母の暖房がつかない", "vulnerable customer: '高齢'"),
        ("ripped off today, I am contacting my local news", "media or public-audience involvement: 'local news'"),
        ("on hold for an hour @CBSNews", "media or public-audience involvement: '@CBSNews'"),
        ("this is a disgrace, I will go to court", "threat of legal action: 'go to court'"),
        ("the pilot announced engine trouble mid-flight", "safety or health incident: 'engine trouble'"),
        ("my driver crashed and I hit my head", "safety or health incident: 'driver crashed'"),
        ("your rep just made me cry", "vulnerable customer: 'made me cry'"),
        ("you gave my number away, I had a security alert", "account security or privacy breach: 'gave my number'"),
        ("complete violation of passenger rights", "regulator invoked: 'violation of'"),
        ("a doctor confirmed over 50 bug bites from my seat", "safety or health incident: 'bug bites'"),
        ("any apps so I can detect my seizures?", "safety or health incident: 'seizures'"),
        ("my son has epilepsy and nobody helped", "vulnerable customer: 'epilepsy'"),
        ("landed an hour ago and still no wheelchairs", "vulnerable customer: 'no wheelchairs'"),
        ("sitting a 5 year old alone is okay?", "vulnerable customer: 'a 5 year old'"),
        ("cancelled twice and I'm out of meds for the baby", "vulnerable customer: 'meds'"),
        ("mom flying solo w. baby and no help at all", "vulnerable customer: 'w. baby'"),
        ("delayed again, I will be filing complaints with the FAA", "regulator invoked: 'with the FAA'"),
        ("I just contacted eyewitness news about it", "media or public-audience involvement: 'eyewitness news'"),
        ("I'm a diabetic and there is no food on board", "vulnerable customer: 'diabetic'"),
        ("can I bring my 2 epipens through security?", "vulnerable customer: 'epipens'"),
        ("now I fly alone with two very sick kids", "vulnerable customer: 'very sick'"),
        ("half the cabin is inebriated and nobody stops it", "safety or health incident: 'inebriated'"),
        ("an agent grabbed and pushed children at the checkpoint", "safety or health incident: 'grabbed and pushed'"),
        ("why hire someone who ignores the safety of children?", "safety or health incident: 'safety of children'"),
        ("not a happy flyer. Stay tuned for a blog post", "media or public-audience involvement: 'blog post'"),
        ("the driver refused the pickup and threaten me", "discrimination or harassment: 'threaten'"),
        ("a flight veers off the icy runway at DFW", "safety or health incident: 'veers off'"),
        ("don't pretend you care about a young girl traveling alone", "vulnerable customer: 'girl traveling alone'"),
        ("what does someone with severe anxiety do when his helper is moved?", "vulnerable customer: 'severe anxiety'"),
        ("you stranded my daughter and failed to keep her safe", "safety or health incident: 'keep her safe'"),
        ("the agent has an issue with women and yelled at me", "discrimination or harassment: 'issue with women'"),
        ("stop lying or I'll make it public", "media or public-audience involvement: 'make it public'"),
        ("the gate agent pushed a passenger", "safety or health incident: 'pushed a passenger'"),
        ("we have a wounded vet stuck in Chicago, help!", "vulnerable customer: 'wounded vet'"),
        ("you are getting a TON of bad publicity right now", "media or public-audience involvement: 'bad publicity'"),
        ("my husband and 5 year old son stuck overnight in DC", "vulnerable customer: 'and 5 year old'"),
    ],
)
def test_pr_grade_cue_families_make_a_negative_post_high(text: str, reason: str) -> None:
    result = risk(text)
    assert result.level == "high"
    assert result.reasons[0] == reason


def test_a_boycott_call_is_high_even_when_calm() -> None:
    result = risk("they sponsor this play. #boycott", sentiment=0.0)
    assert result.level == "high"
    assert result.reasons[0] == "boycott call: '#boycott'"
    assert risk("3 extra nights and no comp #donotflyusair").reasons[0] == "boycott call: '#donotflyusair'"


@pytest.mark.parametrize(
    "text",
    [
        "trying to set up my fire stick, it keeps asking for a code",
        "the new shelf labels are an assault on your eyes",
        "erring on the side of safety is fine but tell us",
        "how do I unlock the weapon skins in the new season?",
        "here's the news article in case you need it",
    ],
)
def test_product_names_and_idioms_are_not_pr_grade_cues(text: str) -> None:
    assert risk(text).level != "high"


def test_repeated_failures_and_a_public_threat_to_leave_are_high() -> None:
    result = risk("Two fake items in one day. Time to cancel my Prime membership")
    assert result.level == "high"
    assert any(r.startswith("repeated failures") for r in result.reasons)
    assert any(r.startswith("threat to leave") for r in result.reasons)
    assert risk("already tried support by mail, please close my account").level == "high"
    assert risk("time to cancel my subscription, money is tight").level != "high"


def test_amplification_with_anger_is_high_and_alone_is_not() -> None:
    loud = risk("RT this so they listen. 6 weeks and no refund, unacceptable")
    assert loud.level == "high"
    assert "call to amplify: 'RT this'" in loud.reasons
    assert risk("拡散希望。サポートの対応が最悪").level == "high"
    assert risk("please share, lovely new colours", sentiment=0.8).level == "low"


def test_anger_reasons() -> None:
    result = risk("THIS IS UNACCEPTABLE!!! worst service ever")
    assert result.level == "medium"
    assert any(r.startswith("anger: shouting 'THIS'") for r in result.reasons)


def test_many_legs_of_delays_plus_leaving_is_high() -> None:
    result = risk("worst airline after 70+ legs of delays, I am officially done and taking my status elsewhere")
    assert result.level == "high"
    assert "repeated failures: '70+ legs'" in result.reasons


def test_repeated_delays_plus_a_hashtag_to_leave_are_high() -> None:
    result = risk("a steering problem delays us again. #neveragain")
    assert result.level == "high"
    assert "threat to leave: '#neveragain'" in result.reasons


def test_repeated_failures_plus_leaving_is_high() -> None:
    result = risk("3rd time the update broke my thermostat, I'm done, switching to Brightnest")
    assert result.level == "high"
    assert "threat to leave: 'I'm done'" in result.reasons
    assert "repeated failures: '3rd time'" in result.reasons


@pytest.mark.parametrize(
    ("text", "sentiment"),
    [
        ("sick of waiting for my refund", -0.8),
        ("this update is killing me 😂", -0.3),
        ("dying to get one of these", 0.6),
        ("lawyer up lol", -0.3),  # borderline: read as a joke (laughing marker right after the cue)
        ("I'm not going to sue, just fix it", -0.5),
        ("loved the safety video", 0.8),
        ("the crew helped an elderly lady off the plane, so kind", 0.8),
        ("adding insult to injury, another delay", -0.8),
        ("this new speaker is fire", 0.8),
        ("what a tone deaf ad", -0.8),
        ("alerts fire for every car that drives past", -0.8),
        ("flying with an infant next week, can I bring formula?", 0.0),
        ("can my 3 year old sit on my lap?", 0.0),
        ("my 10 year old laptop will not charge, so annoying", -0.8),
        ("denied due to a limit which is 4 year old, pointless", -0.8),
        ("I like the TV and the video, just disappointed in the delay", -0.8),
        ("we headed out to de-ice 5 minutes later, now waiting again", -0.8),
        ("you direct all the wheelchairs and strollers into one slow line", -0.8),
        ("my account gets disabled every time I try to log in", -0.8),
        ("is there a reason you disabled my ability to reply?", -0.8),
        ("3 reps could not rebook me. Did I hurt you?", -0.8),
        ("burned a lot of time and cell minutes on this", -0.8),
        ("now they are threatening to take away my companion pass", -0.8),
        ("some woman stole my seat and I had to move", -0.8),
        ("my bag arrived but items were stolen from it", -0.8),
        ("the cabin is 100 degrees and we are stuck", -0.8),
        ("my Executive Club account has been hacked, please DM", -0.8),
        ("the disabled toilet was locked again", -0.8),
        ("two hour delay on the tarmac with infants crying", -0.8),
        ("I'm burned out on these long flights, what does an upgrade cost?", -0.65),
        ("flying to a funeral and you cancelled my return flight", -0.8),
        ("is there special assistance if I travel alone with 2 kids?", -0.05),
        ("you pushed my flight back 3 hours and shoved my bag in the hold", -0.8),
        ("the driver accused me of stealing his cash, then found it under his seat", -0.8),
        ("18 hours trapped in Denver because of mechanical problems #trappedindenver", -0.8),
        ("worst experience today, myself, wife and toddler", -0.8),
        ("plan to repair its brand http://t.co/x via @WSJ", -0.8),
        ("fire yr rep who refused to put me on the flight", -0.8),
        ("exchange rates are #hurt, offer border towns a deal", -0.3),
        ("new CEO seeks balance - Greenfield Daily Reporter", -0.05),
    ],
)
def test_hard_negatives_are_not_high(text: str, sentiment: float) -> None:
    assert risk(text, sentiment).level != "high"


def test_reach_velocity_repeats_and_cluster_raise_the_score() -> None:
    base = risk("broken again").score
    assert base < HIGH_AT
    reach = risk("broken again", author_followers=250_000)
    assert reach.score > base
    assert "author reach 250k followers" in reach.reasons
    assert risk("broken again", engagement_per_hour=500).score > base
    assert risk("broken again", likes=400, reposts=100, age_hours=1.0).score > base
    assert "3 other recent posts by this author" in risk("broken again", repeat_contacts=3).reasons
    assert "part of a cluster of 10 near-identical posts" in risk("broken again", cluster_size=10).reasons
    assert risk("thanks for the quick help", 0.8, author_followers=300_000).level == "low"


def test_the_risk_head_speaks_only_when_nearly_sure() -> None:
    text = "the more eyes I have looking for Pandu the better chance I have of bringing him home"
    assert risk(text).level != "high"
    sure = risk(text, model_high=MODEL_HIGH_AT)
    assert sure.level == "high"
    assert sure.reasons[0] == f"reads like posts reviewers marked high risk ({MODEL_HIGH_AT:.2f})"
    unsure = risk(text, model_high=MODEL_HIGH_AT - 0.01)
    assert unsure.score == risk(text).score
    assert not any("reviewers" in reason for reason in unsure.reasons)
    assert risk(text, model_high=float("nan")).score == risk(text).score
    assert risk("thank you, the crew were wonderful", 0.8, model_high=0.99).level != "high"  # damped when positive


def test_level_thresholds() -> None:
    assert level_for(HIGH_AT) == "high"
    assert level_for(HIGH_AT - 1e-9) == "medium"
    assert level_for(MEDIUM_AT) == "medium"
    assert level_for(MEDIUM_AT - 1e-9) == "low"
    assert risk("what time do you open?", 0.0).level == "low"
    assert risk("my parcel is a week late and nobody answers", -0.8).level == "medium"


@pytest.mark.parametrize("text", ["", "😀😀😀", "x" * 10_000, "bad \ud800 lawyer", "混合 mixed テキスト 弁護士"])
def test_bad_input_never_crashes(text: str) -> None:
    result = risk(text)
    assert 0.0 <= result.score <= 1.0
    assert result.level in {"low", "medium", "high"}
    assert all("\ud800" not in r for r in result.reasons)
    assert risk(text, float("nan")).level in {"low", "medium", "high"}


def _calibrate_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("calibrate_risk", REPO / "scripts" / "calibrate_risk.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["calibrate_risk"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("name", "min_recall", "min_precision"),
    [
        ("dev_risk_targeted.csv", 0.95, 0.8),
        ("dev_routing.csv", 1.0, 0.8),
        ("sample", 0.9, 0.8),
        # the rules alone on the pools, in-sample: the fifth fresh round (600 rows, 15 high) joined them with
        # 4 of its highs found before anything was tuned on it (random 0.897 / 0.650, negative 0.648 / 0.593),
        # then cues were widened for it (random 0.931 / 0.659, negative 0.759 / 0.641). The floors are
        # regression guards, not the target: on fresh tweets the 0.90 / 0.50 is not met (enrich/MODEL_CARD.md)
        ("care_tweets (random)", 0.9, 0.6),
        ("care_tweets (keyword)", 0.75, 0.5),
        # 'funeral' stopped being a vulnerable cue after the seventh round (labelled high 2 times in 11), which
        # cost the negative pool two highs (0.759 -> 0.722)
        ("care_tweets (negative)", 0.7, 0.6),
        # the sixth to eighth rounds, drawn like dev_risk_targeted: before anything was tuned on them 19 of 34
        # (0.559 / 0.543), 24 of 30 (0.800 / 0.490) and 6 of 9 (0.667 / 0.500), and the ninth and tenth (a second
        # word net) 6 of 16 (0.375 / 0.500) and 2 of 9 (0.222 / 0.333), the eleventh 3 of 7 (0.429 / 0.600)
        ("care_tweets (targeted)", 0.8, 0.7),
    ],
)
def test_high_risk_recall_and_precision_on_labelled_data(
    shared_data: Path, name: str, min_recall: float, min_precision: float
) -> None:
    """Gold sentiment as input (negative -0.8, neutral 0, positive +0.6); the issue asks >= 0.90 / >= 0.50."""
    reports = {r.name: r for r in _calibrate_module().all_reports(shared_data)}
    report = reports[name]
    assert report.recall >= min_recall, report.errors
    assert report.precision >= min_precision, report.errors
