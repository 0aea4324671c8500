"""Brand configuration: who we listen for, their own accounts, their competitors, their queries.

A YAML file like the one shipped in ``socialcare/sample/brands.yaml``::

    brands:
      - name: Lumora
        accounts: {x: LumoraHelp, reddit: LumoraSupport}
        subreddits: [Lumora, smarthome]
        competitors: [Brightnest]
        queries:
          - name: lumora-brand
            query: '(lumora OR "lumora home" OR @LumoraHelp OR #lumora) -is:retweet'
      - name: Brightnest
        queries:
          - {name: brightnest-brand, query: 'brightnest OR @BrightnestCare'}

Every problem is reported as ``file:line: field: message``, all of them at once, so a user fixes the file
in one pass (``socialcare brands check FILE``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from socialcare.errors import ConfigError
from socialcare.yaml_locations import dotted, line_of, load_with_nodes, validation_problems

SourceName = Literal["x", "reddit"]
Name = Annotated[str, Field(min_length=1, max_length=100)]
X_USERNAME = re.compile(r"^[A-Za-z0-9_]{1,15}$")
REDDIT_NAME = re.compile(r"^[A-Za-z0-9_-]{3,21}$")


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Accounts(_Strict):
    x: str | None = Field(None, description="the brand's X username, without @")
    reddit: str | None = Field(None, description="the brand's Reddit username, without u/")

    @field_validator("x")
    @classmethod
    def _x_username(cls, value: str | None) -> str | None:
        if value is not None:
            value = value.removeprefix("@")
            if not X_USERNAME.match(value):
                raise ValueError(f"{value!r} is not an X username (letters, digits, _; at most 15)")
        return value

    @field_validator("reddit")
    @classmethod
    def _reddit_username(cls, value: str | None) -> str | None:
        if value is not None:
            value = value.removeprefix("u/").removeprefix("/u/")
            if not REDDIT_NAME.match(value):
                raise ValueError(f"{value!r} is not a Reddit username (3-21 letters, digits, _ or -)")
        return value


class ListeningQuery(_Strict):
    name: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]{0,63}$")]
    query: Annotated[str, Field(min_length=1, max_length=4096)]
    sources: tuple[SourceName, ...] = ("x", "reddit")

    @field_validator("query")
    @classmethod
    def _query_parses(cls, value: str) -> str:
        from collectors.query import QuerySyntaxError, compile_query

        try:
            compile_query(value)
        except QuerySyntaxError as exc:  # a ConfigError: pydantic reports only ValueErrors as field errors
            raise ValueError(str(exc).splitlines()[0]) from None
        return value


class Brand(_Strict):
    name: Name
    accounts: Accounts = Accounts()
    subreddits: tuple[Annotated[str, Field(pattern=r"^[A-Za-z0-9_]{2,21}$")], ...] = ()
    competitors: tuple[Name, ...] = ()
    queries: Annotated[tuple[ListeningQuery, ...], Field(min_length=1)]

    @model_validator(mode="after")
    def _query_names_unique(self) -> Brand:
        seen: set[str] = set()
        for query in self.queries:
            if query.name in seen:
                raise ValueError(f"two queries are named {query.name!r}")
            seen.add(query.name)
        return self


class BrandConfig(_Strict):
    brands: Annotated[tuple[Brand, ...], Field(min_length=1)]

    def brand(self, name: str) -> Brand:
        for brand in self.brands:
            if brand.name.casefold() == name.casefold():
                return brand
        raise ConfigError(f"no brand named {name!r}; known: {', '.join(b.name for b in self.brands)}")


def load_brands(path: str | Path) -> BrandConfig:
    """Read and validate a brand file; raise :class:`ConfigError` listing every problem with its line."""
    path = Path(path)
    data, root = load_with_nodes(path)
    problems: list[str] = []
    try:
        config = BrandConfig.model_validate(data)
    except ValidationError as exc:
        problems = validation_problems(path, root, exc)
        raise ConfigError("invalid brand file:\n  " + "\n  ".join(problems)) from None
    names = {b.name.casefold() for b in config.brands}
    for index, brand in enumerate(config.brands):
        for position, competitor in enumerate(brand.competitors):
            if competitor.casefold() not in names:
                where: list[str | int] = ["brands", index, "competitors", position]
                problems.append(
                    f"{path}:{line_of(root, where)}: {dotted(where)}: competitor {competitor!r} is not "
                    "a brand in this file; add it with its own queries so share of voice can be measured"
                )
    if problems:
        raise ConfigError("invalid brand file:\n  " + "\n  ".join(problems))
    return config
