"""What a routing rule can look at: the enriched mention flattened into plain, named values.

Rules never read the event directly, so the policy language stays stable when the event grows, and the
explanation can show exactly the values a rule saw.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from enrich.department import primary_department
from socialcare.models import Department, EnrichedMention


@dataclass(frozen=True)
class Facts:
    mention_id: str
    department: Department
    department_scores: dict[str, float]
    risk_score: float
    risk_level: str
    risk_reasons: tuple[str, ...]
    sentiment: str
    sentiment_score: float
    spam_score: float
    language: str | None
    source: str
    brand: str | None
    followers: int
    verified: bool
    tags: frozenset[str]
    text: str
    local_time: datetime
    created_at: datetime


def facts_of(mention: EnrichedMention, zone: tzinfo) -> Facts:
    """The facts of one enriched mention; times are read in the policy's time zone."""
    scores: dict[str, float] = {str(d): s for d, s in mention.department_scores.items()}
    return Facts(
        mention_id=mention.id,
        department=primary_department(mention.department_scores),
        department_scores=scores,
        risk_score=mention.risk.score,
        risk_level=mention.risk.level,
        risk_reasons=tuple(mention.risk.reasons),
        sentiment=mention.sentiment.label,
        sentiment_score=mention.sentiment.score,
        spam_score=mention.spam.score,
        language=mention.language,
        source=mention.source,
        brand=mention.brand,
        followers=mention.author.followers or 0,
        verified=bool(mention.author.verified),
        tags=frozenset(tag.lower() for tag in mention.matched_rules),
        text=mention.redacted_text or "",
        local_time=mention.created_at.astimezone(zone),
        created_at=mention.created_at,
    )
