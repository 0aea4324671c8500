"""Thread roots and brands from parent links."""

from __future__ import annotations

from collectors.threads import ThreadIndex


def _index(*links: tuple[str, str | None, str | None]) -> ThreadIndex:
    index = ThreadIndex()
    for post_id, parent, brand in links:
        index.add(post_id, parent, brand)
    return index


def test_root_follows_parents_in_any_file_order() -> None:
    index = _index(("3", "2", None), ("1", None, None), ("2", "1", "Acme"), ("4", "3", None))
    assert [index.root(p) for p in ("1", "2", "3", "4")] == ["1", "1", "1", "1"]


def test_root_stops_at_the_earliest_known_ancestor() -> None:
    index = _index(("3", "2", None), ("2", "99", None))
    assert index.root("3") == "99"  # 99 is not in the file, but 2 says it is the parent
    assert index.root("unknown") == "unknown"


def test_root_survives_a_cycle() -> None:
    index = _index(("1", "2", None), ("2", "1", None))
    assert index.root("1") in {"1", "2"}


def test_brand_is_own_author_else_first_brand_in_thread_else_first_named_handle() -> None:
    index = _index(
        ("1", None, None),
        ("2", "1", "AcmeHelp"),
        ("3", "1", "OtherBrand"),
        ("4", "2", None),
        ("9", None, None),
    )
    assert index.brand("4") == "AcmeHelp"
    assert index.brand("3") == "OtherBrand"
    assert index.brand("9", "@115712 @123 hi @ShopCo and @Acme") == "ShopCo"
    assert index.brand("9", "no handles, mail me at a@b.com") is None
