"""What the search index holds of an enriched mention, and the terms counted for "top terms"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import regex

from socialcare.models import EnrichedMention

NO_BRAND = "(none)"
UNKNOWN_LANGUAGE = "und"
MAX_TOKEN_CHARS = 100
_WORD = regex.compile(
    r"[\p{Latin}\p{Greek}\p{Cyrillic}\p{N}][\p{Latin}\p{Greek}\p{Cyrillic}\p{N}'’_-]{2,}"  # words of 3+
    r"|[\p{Katakana}ー]{2,}"  # Japanese loanwords and product names; kanji would need a tokenizer
)
_SKIP = regex.compile(r"https?://\S+|[@#][\p{L}\p{N}_]+|\[[a-z]+\]")  # links, handles, hashtags, redactions
STOPWORDS = frozenset(
    """the and for you your are was were with this that have has had not but they their them from what when
    where which who will would could should just can cant can't don't dont does did its it's i'm im our ours
    out about all any been being into more most much only other over same some such than then there these
    those very also how why too get got let lets here now still even back after before again off one two
    via amp rt""".split()  # noqa: SIM905 - a paragraph of words reads better than a list literal
)


@dataclass(frozen=True)
class IndexDoc:
    id: str
    brand: str
    source: str
    lang: str
    created_at: datetime
    sentiment: str
    risk_level: str
    department: str
    author_handle: str | None
    text: str
    hashtags: tuple[str, ...]
    terms: tuple[str, ...]

    @property
    def hour(self) -> datetime:
        return self.created_at.replace(minute=0, second=0, microsecond=0)


def doc_of(mention: EnrichedMention) -> IndexDoc:
    scores = mention.department_scores
    department = max(scores, key=lambda name: scores[name]) if scores else "none"
    return IndexDoc(
        id=mention.id,
        brand=mention.brand or NO_BRAND,
        source=mention.source,
        lang=(mention.language or mention.lang or UNKNOWN_LANGUAGE)[:16],
        created_at=mention.created_at,
        sentiment=mention.sentiment.label,
        risk_level=mention.risk.level,
        department=department,
        author_handle=mention.author.handle,
        text=mention.redacted_text,
        hashtags=tuple(tag[:MAX_TOKEN_CHARS] for tag in mention.hashtags),
        terms=terms_of(mention.redacted_text, mention.brand),
    )


def terms_of(text: str, brand: str | None = None) -> tuple[str, ...]:
    """Distinct words worth counting: no stop words, links, handles, hashtags or the brand's own name."""
    own = (brand or "").lower()
    words = (word.lower().strip("'’_-") for word in _WORD.findall(_SKIP.sub(" ", text)))
    return tuple(
        dict.fromkeys(
            word[:MAX_TOKEN_CHARS] for word in words if len(word) >= 2 and word not in STOPWORDS and word != own
        )
    )
