"""Reply drafts from Jinja2 templates, per language, department and situation.

The library ships in ``responders/templates/<language>/<department>/<situation>.j2`` (English and
Japanese); a team's own folder with the same layout overrides any of them (``TemplateLibrary(folder)``).
A draft looks for, in order::

    <language>/<department>/<situation>.j2
    <language>/<department>/general.j2
    <language>/general.j2

and falls back to English when the language has no template. The tone is the care team's: thank, own it,
say what happens next ("here is how we can fix this"), invite a DM for anything personal; never quote a
policy at the customer. Variables: ``customer``, ``brand``, ``reference``, ``item``, ``help_url`` and
``sign_off`` (the agent's initials as `` ^AB``, the usual signature of a shared brand account, when given).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined, TemplateNotFound

LANGUAGES = ("en", "ja")
FALLBACK_LANGUAGE = "en"


@dataclass(frozen=True)
class DraftFacts:
    customer: str
    brand: str
    department: str
    language: str | None = "en"
    situation: str = "general"
    reference: str | None = None
    item: str | None = None
    help_url: str | None = None
    signature: str | None = None


@dataclass(frozen=True)
class Draft:
    text: str
    template: str
    language: str


class TemplateLibrary:
    def __init__(self, user_dir: Path | None = None) -> None:
        loaders: list[FileSystemLoader | PackageLoader] = []
        if user_dir is not None:
            loaders.append(FileSystemLoader(str(user_dir)))
        loaders.append(PackageLoader("responders", "templates"))
        self.env = Environment(
            loader=ChoiceLoader(loaders),
            undefined=StrictUndefined,  # a misspelt variable is an error, not an empty gap in a public reply
            autoescape=False,
            keep_trailing_newline=False,
            trim_blocks=True,
        )

    def candidates(self, facts: DraftFacts) -> list[str]:
        language = facts.language if facts.language in LANGUAGES else FALLBACK_LANGUAGE
        names = []
        for lang in dict.fromkeys([language, FALLBACK_LANGUAGE]):
            names += [
                f"{lang}/{facts.department}/{facts.situation}.j2",
                f"{lang}/{facts.department}/general.j2",
                f"{lang}/general.j2",
            ]
        return names

    def draft(self, facts: DraftFacts) -> Draft:
        for name in self.candidates(facts):
            try:
                template = self.env.get_template(name)
            except TemplateNotFound:
                continue
            sign_off = f" ^{facts.signature}" if facts.signature else ""
            text = template.render(
                customer=facts.customer,
                brand=facts.brand,
                reference=facts.reference,
                item=facts.item,
                help_url=facts.help_url,
                sign_off=sign_off,
            ).strip()
            return Draft(text=text, template=name, language=name.split("/", 1)[0])
        first = self.candidates(facts)[0]
        raise LookupError(f"no reply template for {facts.department}/{facts.situation}; add {first}")
