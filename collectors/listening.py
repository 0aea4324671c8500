"""From a brand file to running sources: compile every query once, then build the X and Reddit sources.

Pure wiring: it decides which source listens for what (and under which checkpoint key); the platform
clients are handed in, so tests can give recorded or local ones.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from collectors.base import Source
from collectors.brands import Brand, BrandConfig, SourceName
from collectors.query import CompiledQuery, compile_query, to_x_rules
from socialcare.models import Mention


@dataclass(frozen=True)
class ListeningRule:
    brand: str
    name: str
    sources: tuple[SourceName, ...]
    compiled: CompiledQuery


@dataclass(frozen=True)
class CompiledBrand:
    brand: Brand
    rules: tuple[ListeningRule, ...]

    def rules_for(self, source: SourceName) -> list[ListeningRule]:
        return [rule for rule in self.rules if source in rule.sources]

    def matcher(self, source: SourceName) -> Callable[[Mention], list[str]]:
        """The names of this brand's rules (for ``source``) that a mention matches; empty = not ours."""
        rules = self.rules_for(source)

        def matches(mention: Mention) -> list[str]:
            return [rule.name for rule in rules if rule.compiled.matcher.matches_mention(mention)]

        return matches


def compile_brands(config: BrandConfig) -> list[CompiledBrand]:
    return [
        CompiledBrand(
            brand,
            tuple(ListeningRule(brand.name, q.name, q.sources, compile_query(q.query)) for q in brand.queries),
        )
        for brand in config.brands
    ]


def x_stream_rules(
    brands: Sequence[CompiledBrand], tag_prefix: str, max_length: int
) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """Filtered-stream rules ``(value, tag)`` for every X query, and the brand of each tag."""
    desired: list[tuple[str, str]] = []
    brand_of_tag: dict[str, str] = {}
    for compiled in brands:
        for rule in compiled.rules_for("x"):
            for x_rule in to_x_rules(rule.compiled.ast, f"{tag_prefix}{rule.name}", max_length):
                desired.append((x_rule.value, x_rule.tag))
                brand_of_tag[x_rule.tag] = compiled.brand.name
    return desired, brand_of_tag


def x_search_sources(
    client: Any,
    brands: Sequence[CompiledBrand],
    *,
    start_time: datetime | None = None,
    end_time: datetime | None = None,
    **options: Any,
) -> list[Source]:
    from collectors.x import XRecentSearchSource

    return [
        XRecentSearchSource(
            client,
            rule.compiled.x_query,
            brand=compiled.brand.name,
            rule_name=rule.name,
            start_time=start_time,
            end_time=end_time,
            **options,
        )
        for compiled in brands
        for rule in compiled.rules_for("x")
    ]


def x_mention_sources(client: Any, brands: Sequence[CompiledBrand], **options: Any) -> list[Source]:
    from collectors.x import XMentionsSource, resolve_user_id

    return [
        XMentionsSource(
            client,
            resolve_user_id(client, compiled.brand.accounts.x),
            brand=compiled.brand.name,
            rule_name=f"mentions:@{compiled.brand.accounts.x}",
            **options,
        )
        for compiled in brands
        if compiled.brand.accounts.x
    ]


def reddit_stream_sources(reddit: Any, brands: Sequence[CompiledBrand], **options: Any) -> list[Source]:
    """Comments and submissions of each brand's subreddits, kept when one of its Reddit queries matches."""
    from collectors.reddit import SubredditStreamSource

    return [
        SubredditStreamSource(
            reddit,
            list(compiled.brand.subreddits),
            kind=kind,
            matches=compiled.matcher("reddit"),
            brand=compiled.brand.name,
            checkpoint_key=f"reddit:stream:{kind}:{compiled.brand.name.lower()}",
            **options,
        )
        for compiled in brands
        if compiled.brand.subreddits and compiled.rules_for("reddit")
        for kind in ("comments", "submissions")
    ]


def reddit_search_sources(reddit: Any, brands: Sequence[CompiledBrand], **options: Any) -> list[Source]:
    """Reddit-wide search for each brand's name, filtered locally by its Reddit queries."""
    from collectors.reddit import RedditSearchSource

    return [
        RedditSearchSource(
            reddit,
            "all",
            compiled.brand.name,
            matches=compiled.matcher("reddit"),
            brand=compiled.brand.name,
            checkpoint_key=f"reddit:search:all:{compiled.brand.name.lower()}",
            **options,
        )
        for compiled in brands
        if compiled.rules_for("reddit")
    ]


def reddit_inbox_sources(reddit: Any, brands: Sequence[CompiledBrand], **options: Any) -> list[Source]:
    """Username mentions of the brand account that the Reddit credentials log in as."""
    from collectors.reddit import RedditInboxMentionsSource

    own = [c for c in brands if c.brand.accounts.reddit]
    return [RedditInboxMentionsSource(reddit, brand=own[0].brand.name, **options)] if own else []
