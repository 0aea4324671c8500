"""Reply threads of an import file: the root post of each thread and the brand account answering in it.

Support corpora such as twcs link each post to its parent only; the thread root and the brand are known
only after reading the whole file. The index keeps ids and brand handles, never texts, so a first pass
over a large file stays small.
"""

from __future__ import annotations

import re

_HANDLE = re.compile(r"(?<![\w@])@(\w{1,15})")


class ThreadIndex:
    """Parent links and brand authors by post id; add every post, then ask :meth:`root` and :meth:`brand`."""

    def __init__(self) -> None:
        self._parent: dict[str, str] = {}
        self._brand_posts: dict[str, str] = {}  # post id -> brand account that wrote it, in file order
        self._roots: dict[str, str] = {}
        self._thread_brands: dict[str, str] | None = None

    def add(self, post_id: str, parent_id: str | None, brand_author: str | None) -> None:
        """Record one post: its parent (if a reply) and its author if the author is the brand."""
        if parent_id:
            self._parent[post_id] = parent_id
        if brand_author:
            self._brand_posts[post_id] = brand_author
        self._roots.clear()
        self._thread_brands = None

    def root(self, post_id: str) -> str:
        """The earliest known ancestor: the thread root, or the oldest parent id the file refers to."""
        path: list[str] = []
        node = post_id
        seen: set[str] = set()
        while node not in self._roots and node in self._parent and node not in seen:
            seen.add(node)
            path.append(node)
            node = self._parent[node]
        top = self._roots.get(node, node)
        for visited in path:
            self._roots[visited] = top
        return top

    def brand(self, post_id: str, text: str = "") -> str | None:
        """The brand of a post: its own author if a brand post, else the first brand account that posts in
        the thread, else the first non-numeric @handle in ``text``.

        Numeric handles are skipped: twcs replaced every handle but the support accounts' by a number.
        """
        own = self._brand_posts.get(post_id)
        if own is not None:
            return own
        if self._thread_brands is None:
            self._thread_brands = {}
            for brand_post, author in self._brand_posts.items():
                self._thread_brands.setdefault(self.root(brand_post), author)
        found = self._thread_brands.get(self.root(post_id))
        if found is not None:
            return found
        return next((h for h in _HANDLE.findall(text) if not h.isdigit()), None)
