"""Duplicates, copy-paste campaigns and spam signals.

:class:`DuplicateIndex` remembers the last ``window`` texts (bounded memory: a ring of entries, the oldest
forgotten first) and answers, for each new text, ``(duplicate_of, cluster_size)``:

* exact duplicates after :func:`normalise` (lower case, URLs, ``@handles``, an ``RT @x:`` prefix,
  punctuation and repeated whitespace removed);
* near duplicates: MinHash signatures (:data:`NUM_PERM` hashes) of word 3-shingles (character 3-grams for
  text without spaces, such as Japanese), bucketed by LSH (:data:`BANDS` bands of :data:`ROWS` rows), so a
  lookup compares only with the candidates sharing a band, never with every stored text. A candidate is
  a duplicate when the estimated Jaccard similarity of the shingle sets is at least
  :data:`NEAR_DUPLICATE_JACCARD` (0.7).

``duplicate_of`` is the id of the first copy still remembered; ``cluster_size`` is how many copies of the
text (this one included) the index holds: a number for campaign detection.

:func:`spam_score` adds named weights for link farms, brand-new empty accounts, hashtag stuffing,
copy-paste campaigns and crypto/giveaway bait, clipped to 0..1, with the reasons.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import struct
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np

from enrich.textutil import clean
from socialcare.models import Mention, Spam

NEAR_DUPLICATE_JACCARD: Final = 0.7
NUM_PERM: Final = 64
BANDS: Final = 16
ROWS: Final = NUM_PERM // BANDS
"""16 bands of 4 rows: a pair at Jaccard 0.7 shares a band with probability 1-(1-0.7^4)^16 = 0.99."""
MIN_SHINGLES_FOR_NEAR: Final = 4
"""Texts with fewer shingles are matched exactly only ("thanks!" is not a campaign)."""
DEFAULT_WINDOW: Final = 50_000
MAX_SIG_CHARS: Final = 2_000

_URL = re.compile(r"(?i)\b(?:https?://|www\.)\S+")
_HANDLE = re.compile(r"(?<![\w@])@\w{1,50}")
_RT_PREFIX = re.compile(r"(?i)^\s*(?:rt\s*:?\s*)+")
_PUNCT = re.compile(r"[^\w\s]+")
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """The comparable form of a post: no RT prefix, URLs, @handles or punctuation; lower case; single spaces."""
    value = clean(text, MAX_SIG_CHARS)
    value = _RT_PREFIX.sub("", value)
    value = _URL.sub(" ", value)
    value = _HANDLE.sub(" ", value)
    value = _RT_PREFIX.sub("", value)
    value = _PUNCT.sub(" ", value.lower())
    return _SPACE.sub(" ", value).strip()


def shingles(normalised: str) -> set[str]:
    words = normalised.split()
    if len(words) >= 4 and len(words) * 3 >= len(normalised) / 4:
        return {" ".join(words[i : i + 3]) for i in range(len(words) - 2)}
    compact = normalised.replace(" ", "")
    return {compact[i : i + 3] for i in range(max(0, len(compact) - 2))}


def _hash64(value: str) -> int:
    return int.from_bytes(hashlib.blake2b(value.encode("utf-8"), digest_size=8).digest(), "little")


def _masks() -> np.ndarray[Any, np.dtype[np.uint64]]:
    seed = hashlib.sha256(b"socialcare-minhash").digest()
    values = [
        int.from_bytes(hashlib.sha256(seed + struct.pack("<I", i)).digest()[:8], "little") for i in range(NUM_PERM)
    ]
    return np.array(values, dtype=np.uint64)


_MASKS: Final = _masks()


def minhash(items: set[str]) -> tuple[int, ...]:
    """MinHash signature: for each of NUM_PERM random 64-bit masks, the minimum of (hash XOR mask)."""
    hashes = np.fromiter((_hash64(item) for item in items), dtype=np.uint64, count=len(items))
    return tuple(int(v) for v in (hashes[:, None] ^ _MASKS[None, :]).min(axis=0))


def estimated_jaccard(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    return sum(1 for x, y in zip(a, b, strict=True) if x == y) / len(a)


@dataclass
class _Entry:
    mention_id: str
    exact: str
    signature: tuple[int, ...] | None
    root: str


@dataclass
class DuplicateIndex:
    """Recent texts, exact and near-duplicate lookup in (amortised) constant time, bounded to ``window``."""

    window: int = DEFAULT_WINDOW
    threshold: float = NEAR_DUPLICATE_JACCARD
    _entries: OrderedDict[str, _Entry] = field(default_factory=OrderedDict)
    _exact: dict[str, str] = field(default_factory=dict)
    _buckets: dict[tuple[int, int], deque[str]] = field(default_factory=dict)
    _cluster: dict[str, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self._entries)

    def check(self, mention_id: str, text: str) -> tuple[str | None, int]:
        """Remember ``text``; return (id of the first remembered copy or None, copies in its cluster)."""
        seen = self._entries.get(mention_id)
        if seen is not None:  # a replayed mention: same answer, not a new copy
            first = seen.root
            return (None if first == mention_id else first), self._cluster.get(first, 1)
        norm = normalise(text)
        exact_key = hashlib.blake2b(norm.encode("utf-8"), digest_size=16).hexdigest()
        root: str | None = None
        if norm and exact_key in self._exact:
            root = self._entries[self._exact[exact_key]].root
        signature: tuple[int, ...] | None = None
        items = shingles(norm)
        if len(items) >= MIN_SHINGLES_FOR_NEAR:
            signature = minhash(items)
            if root is None:
                root = self._near(signature)
        if root is not None and root not in self._entries:
            root = None  # its first copy was forgotten
        own_root = root or mention_id
        entry = _Entry(mention_id, exact_key, signature, own_root)
        self._entries[mention_id] = entry
        if norm:
            self._exact.setdefault(exact_key, mention_id)
        if signature is not None:
            for band in range(BANDS):
                key = (band, hash(signature[band * ROWS : (band + 1) * ROWS]))
                self._buckets.setdefault(key, deque()).append(mention_id)
        self._cluster[own_root] = self._cluster.get(own_root, 0) + 1
        cluster_size = self._cluster[own_root]
        while len(self._entries) > self.window:
            self._forget()
        return root, cluster_size

    def cluster_size(self, mention_id: str) -> int:
        entry = self._entries.get(mention_id)
        return self._cluster.get(entry.root, 1) if entry else 0

    def _near(self, signature: tuple[int, ...]) -> str | None:
        best: tuple[float, str] | None = None
        checked: set[str] = set()
        for band in range(BANDS):
            for other_id in self._buckets.get((band, hash(signature[band * ROWS : (band + 1) * ROWS])), ()):
                if other_id in checked:
                    continue
                checked.add(other_id)
                other = self._entries.get(other_id)
                if other is None or other.signature is None:
                    continue
                score = estimated_jaccard(signature, other.signature)
                if score >= self.threshold and (best is None or score > best[0]):
                    best = (score, other.root)
        return best[1] if best else None

    def _forget(self) -> None:
        mention_id, entry = self._entries.popitem(last=False)
        if self._exact.get(entry.exact) == mention_id:
            del self._exact[entry.exact]
        if entry.signature is not None:
            for band in range(BANDS):
                key = (band, hash(entry.signature[band * ROWS : (band + 1) * ROWS]))
                bucket = self._buckets.get(key)
                if bucket is not None:
                    with contextlib.suppress(ValueError):
                        bucket.remove(mention_id)
                    if not bucket:
                        del self._buckets[key]
        remaining = self._cluster.get(entry.root, 0) - 1
        if remaining <= 0:
            self._cluster.pop(entry.root, None)
        else:
            self._cluster[entry.root] = remaining


# spam score -----------------------------------------------------------------------------------------
W_LINKS: Final = 0.25
"""Three or more links in one post."""
W_SHORTENER: Final = 0.15
W_NEW_ACCOUNT: Final = 0.25
"""Zero followers and no display name."""
W_HASHTAG_STUFFING: Final = 0.25
W_CAMPAIGN: Final = 0.3
W_DUPLICATE: Final = 0.15
W_CRYPTO_GIVEAWAY: Final = 0.45
W_HANDLE_STUFFING: Final = 0.15
MANY_LINKS: Final = 3
MANY_HASHTAGS: Final = 6
MANY_HANDLES: Final = 8
CAMPAIGN_MIN: Final = 5
"""A text with at least this many copies in the index is a copy-paste campaign."""

SHORTENERS: Final = frozenset(
    {"bit.ly", "tinyurl.com", "goo.gl", "ow.ly", "is.gd", "buff.ly", "cutt.ly", "rebrand.ly", "shorturl.at",
     "t.ly", "rb.gy", "tiny.cc", "lnkd.in", "s.id", "bl.ink"}
)  # fmt: skip
"""Link shorteners other than the platform's own (t.co wraps every link on X, so it is not counted)."""
_LINK = re.compile(r"(?i)\bhttps?://\S+|\bwww\.\S+")
_HASHTAG = re.compile(r"(?<![\w#])#\w+")
_CRYPTO = re.compile(
    r"(?i)\b(?:crypto|bitcoin|btc|eth|ethereum|usdt|nft|airdrop|web3|memecoin|forex|binary options|"
    r"free (?:iphone|gift ?card|money)|giveaway|give away|claim (?:your|now)|dm (?:me|us) to (?:win|claim)|"
    r"double your|guaranteed (?:profit|returns)|investment opportunity|earn \$?\d+|click (?:the )?link in bio|"
    r"promo code inside|winner(?:s)? (?:announced|selected)|you(?:'ve| have) won)\b|仮想通貨|プレゼント企画|"
    r"フォロー(?:&|＆)RT|当選"
)


def spam_score(mention: Mention, *, duplicate_of: str | None = None, cluster_size: int = 1) -> Spam:
    """Spam/bot likelihood of one mention (0..1) with the reasons; never raises."""
    text = clean(mention.text)
    score = 0.0
    reasons: list[str] = []
    links = _LINK.findall(text)
    if len(links) >= MANY_LINKS:
        score += W_LINKS
        reasons.append(f"link farm: {len(links)} links")
    hosts = {h.lower() for link in links for h in re.findall(r"(?i)^(?:https?://)?(?:www\.)?([^/\s]+)", link)}
    short = sorted(hosts & SHORTENERS)
    if short:
        score += W_SHORTENER
        reasons.append(f"link shortener: {short[0]}")
    author = mention.author
    if (author.followers == 0) and not (author.name or "").strip():
        score += W_NEW_ACCOUNT
        reasons.append("new or empty account: 0 followers, no name")
    tags = _HASHTAG.findall(text)
    if len(tags) >= MANY_HASHTAGS:
        score += W_HASHTAG_STUFFING
        reasons.append(f"hashtag stuffing: {len(tags)} hashtags")
    if len(_HANDLE.findall(text)) >= MANY_HANDLES:
        score += W_HANDLE_STUFFING
        reasons.append("mention stuffing")
    if cluster_size >= CAMPAIGN_MIN:
        score += W_CAMPAIGN
        reasons.append(f"copy-paste campaign: {cluster_size} copies")
    elif duplicate_of is not None:
        score += W_DUPLICATE
        reasons.append(f"duplicate of {duplicate_of}")
    crypto = _CRYPTO.search(text)
    if crypto is not None:
        score += W_CRYPTO_GIVEAWAY
        reasons.append(f"crypto/giveaway bait: '{crypto.group(0)}'")
    return Spam(score=round(min(1.0, score), 4), reasons=tuple(reasons))
