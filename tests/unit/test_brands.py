"""Brand files: the shipped sample is valid; every mistake is reported with file, line and field."""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path

import pytest

from collectors.brands import load_brands
from socialcare.errors import ConfigError


def test_the_shipped_sample_is_valid() -> None:
    with as_file(files("socialcare.sample") / "brands.yaml") as path:
        config = load_brands(path)
    lumora = config.brand("lumora")
    assert lumora.accounts.x == "LumoraHelp" and lumora.accounts.reddit == "LumoraSupport"
    assert lumora.competitors == ("Brightnest", "Hearthly")
    assert [q.name for q in lumora.queries] == ["lumora-brand", "lumora-products"]
    assert lumora.queries[1].sources == ("x",)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "brands.yaml"
    path.write_text(text)
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as info:
        load_brands(path)
    return [line.strip() for line in str(info.value).splitlines()[1:]]


def test_every_problem_is_listed_with_its_line_and_field(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """brands:
  - name: Lumora
    accounts:
      x: "@not a handle"
    competitors: [Nobody]
    queries:
      - name: lumora
        query: '(lumora OR "lumora home'
      - name: Bad Name
        query: lumora
        sources: [x, myspace]
""",
    )
    found = problems(path)
    assert found[0].startswith(f"{path}:4: brands[0].accounts.x: 'not a handle' is not an X username")
    assert found[1].startswith(f"{path}:8: brands[0].queries[0].query: ")
    assert "quote" in found[1]
    assert found[2].startswith(f"{path}:9: brands[0].queries[1].name: String should match pattern")
    assert found[3].startswith(f"{path}:11: brands[0].queries[1].sources[1]: Input should be 'x' or 'reddit'")
    assert len(found) == 4


def test_competitors_must_be_brands_of_the_file(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "brands:\n  - name: Lumora\n    competitors: [Brightnest]\n    queries:\n      - {name: l, query: lumora}\n",
    )
    [problem] = problems(path)
    assert problem.startswith(f"{path}:3: brands[0].competitors[0]: competitor 'Brightnest' is not a brand")


def test_yaml_syntax_errors_and_unknown_fields(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"brands.yaml:3:1: not valid YAML"):
        load_brands(write(tmp_path, "brands:\n  - name: [unclosed\n"))
    found = problems(write(tmp_path, "brands:\n  - name: L\n    querys: []\n    queries: [{name: l, query: l}]\n"))
    assert found == [f"{tmp_path / 'brands.yaml'}:3: brands[0].querys: Extra inputs are not permitted"]
    with pytest.raises(ConfigError, match="no such file"):
        load_brands(tmp_path / "missing.yaml")
