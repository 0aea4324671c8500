"""Reply drafts: every shipped template renders, sounds like the care team, and fits on X."""

from __future__ import annotations

from pathlib import Path

import pytest

from responders.drafts import DraftFacts, TemplateLibrary
from responders.length import fit_x

TEMPLATES = Path(__file__).resolve().parents[2] / "responders" / "templates"
SHIPPED = sorted(p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.j2"))
NEVER = {
    "en": ("against our policy", "unfortunately", "we cannot", "we can't", "not our fault", "you should have"),
    "ja": ("規定により", "できかねます", "対応できません", "お客様の責任"),
}


def facts_for(template: str, **extra: str) -> DraftFacts:
    """The facts that pick exactly ``template`` (``en/general.j2`` is reached by an unknown department)."""
    language, *rest = template.removesuffix(".j2").split("/")
    department, situation = rest if len(rest) == 2 else ("unknown", "general")
    return DraftFacts("Jo", "Lumora", department, language, situation, **extra)  # type: ignore[arg-type]


@pytest.mark.parametrize("template", SHIPPED)
def test_every_shipped_template_is_positive_personal_and_fits_on_x(template: str) -> None:
    draft = TemplateLibrary().draft(facts_for(template, signature="AB"))
    assert draft.template == template
    language = template.split("/", maxsplit=1)[0]
    assert "Jo" in draft.text and draft.text.endswith("^AB")
    assert not any(phrase in draft.text.lower() for phrase in NEVER[language]), draft.text
    fit = fit_x(draft.text)
    assert fit.fits, fit.reason


def test_lookup_falls_back_from_situation_to_department_to_language() -> None:
    library = TemplateLibrary()
    assert library.draft(DraftFacts("Jo", "Lumora", "customer_service", "en", "delay")).template == (
        "en/customer_service/delay.j2"
    )
    assert library.draft(DraftFacts("Jo", "Lumora", "customer_service", "en", "unheard-of")).template == (
        "en/customer_service/general.j2"
    )
    japanese = library.draft(DraftFacts("ジョー", "ルモラ", "it", "ja", "login"))
    assert japanese.template == "ja/it/login.j2" and japanese.text.startswith("ジョー様")
    french = library.draft(DraftFacts("Jo", "Lumora", "sales", "fr", "pricing"))
    assert french.language == "en" and french.template == "en/sales/pricing.j2"


def test_facts_fill_the_gaps() -> None:
    text = (
        TemplateLibrary()
        .draft(
            DraftFacts("Jo", "Lumora", "customer_service", "en", "delay", reference="booking reference", item="parcel")
        )
        .text
    )
    assert "your parcel is running late" in text and "your booking reference" in text


def test_a_team_folder_overrides_the_shipped_template(tmp_path: Path) -> None:
    (tmp_path / "en" / "sales").mkdir(parents=True)
    (tmp_path / "en" / "sales" / "pricing.j2").write_text("Hey {{ customer }}, ask us anything about {{ brand }}!")
    draft = TemplateLibrary(tmp_path).draft(DraftFacts("Jo", "Lumora", "sales", "en", "pricing"))
    assert draft.text == "Hey Jo, ask us anything about Lumora!"
    (tmp_path / "en" / "sales" / "pricing.j2").write_text("Hi {{ custommer }}")
    with pytest.raises(Exception, match="custommer"):
        TemplateLibrary(tmp_path).draft(DraftFacts("Jo", "Lumora", "sales", "en", "pricing"))
