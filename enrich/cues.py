"""Readable keyword cues per department (the rubric in ARCHITECTURE.md), in English and Japanese.

Each department has a list of cue terms compiled once into one regex (:class:`enrich.textutil.TermSet`:
word boundaries for Latin script, substrings for Japanese, ``*`` = any word ending). :func:`cue_hits`
says which cues fired (for explanations); :func:`department_cues` turns them into a 0..1 strength per
department: ``1 - (1 - CUE_STRENGTH) ** hits`` (one cue 0.5, two 0.75, three 0.875), so a post that
names several cues of one department counts more than one stray word. A negated cue ("not a bug",
"no problem", "never had an issue", "バグではない") does not count. ``none`` rises for chit-chat and
spam-like text and when no department cue fires at all (:data:`NO_CUE_NONE`).
"""

from __future__ import annotations

from typing import Final

from enrich.textutil import TermSet, TextView, clean
from socialcare.models import DEPARTMENTS, Department

CUE_STRENGTH: Final = 0.5
NO_CUE_NONE: Final = 0.2
"""``none`` strength when no department cue fired (a weak prior, the head decides)."""

CUES: Final[dict[Department, tuple[str, ...]]] = {
    "engineering": (
        "crash", "crashes", "crashed", "crashing", "freeze", "freezes", "froze", "frozen", "freezing", "bug", "bugs",
        "buggy", "glitch*", "broken feature", "not working", "stopped working", "doesn't work", "won't turn on",
        "won't connect", "keeps disconnecting", "update broke", "after the update", "since the update",
        "firmware", "software update", "app update", "reboot*", "restart*", "battery drain*", "overheat*",
        "error code", "black screen", "blue screen", "lag", "laggy", "feature request", "please add",
        "would be nice if", "defect*", "faulty", "hardware", "sync", "pairing", "bluetooth", "wifi", "wi-fi",
        "firmware update", "dead pixel", "won't charge", "not charging", "unresponsive",
        "アプリが落ちる", "落ちる", "フリーズ", "不具合", "バグ", "動かない", "起動しない", "アップデート", "アプデ",
        "接続できない", "繋がらない", "つながらない", "充電できない", "故障", "エラー", "再起動", "機能追加", "要望",
    ),
    "it": (
        "login", "log in", "logged in", "log into", "logging in", "sign in", "signin", "password", "2fa",
        "two-factor", "two factor", "verification code", "otp", "account locked", "locked out", "locked my account",
        "hacked", "compromised", "account suspended", "reset link", "website", "site is down", "website down",
        "site down", "web page", "webpage", "checkout", "check out page", "payment page", "payment failed",
        "payment error", "card declined", "promo code not working", "outage", "server", "503", "404", "500 error",
        "privacy", "data breach", "phishing", "security", "my data", "email verification", "captcha",
        "online account", "my account",
        "ログインできない", "ログイン", "パスワード", "二段階認証", "認証コード", "アカウント", "乗っ取", "サイト",
        "ウェブサイト", "決済", "決済エラー", "サーバー", "個人情報", "不正アクセス",
    ),
    "sales": (
        "price", "prices", "pricing", "how much", "cost", "costs", "quote", "plan", "plans", "upgrade",
        "upgrading", "in stock", "out of stock", "back in stock", "restock", "available in", "availability",
        "promo code", "discount", "coupon", "deal", "deals", "sale", "black friday", "buy", "buying", "purchase",
        "pre-order", "preorder", "order one", "want one", "switch to", "switching to", "bundle", "subscription",
        "trade-in", "trade in", "partnership", "wholesale", "bulk order", "where can i get", "where can i buy",
        "値段", "価格", "料金", "いくら", "購入", "買いたい", "欲しい", "在庫", "入荷", "予約", "割引", "クーポン",
        "セール", "見積", "プラン", "アップグレード", "乗り換え",
    ),
    "pr": (
        "lawyer", "attorney", "sue", "suing", "lawsuit", "class action", "legal action", "small claims", "media",
        "journalist", "reporter", "press", "news", "regulator", "ftc", "bbb", "cpsc", "ombudsman",
        "attorney general", "trading standards", "boycott*", "discriminat*", "racist", "racism", "sexist",
        "harass*", "assault*", "unsafe", "dangerous", "fire", "caught fire", "smoke", "sparks", "explod*",
        "injury", "injured", "burned", "recall", "ethics", "unethical", "scandal", "influencer", "viral",
        "弁護士", "炎上", "訴え", "訴訟", "裁判", "消費者センター", "消費者庁", "マスコミ", "取材", "記者", "差別",
        "セクハラ", "パワハラ", "不買", "発火", "事故", "怪我", "やけど", "危険", "拡散希望",
    ),
    "customer_service": (
        "refund", "refunds", "refunded", "money back", "return", "returns", "delivery", "delivered", "deliver",
        "shipping", "shipped", "package", "parcel", "tracking", "order", "my order", "delayed", "delay", "delays",
        "late", "cancelled", "canceled", "cancellation", "lost luggage", "lost bag", "baggage", "luggage",
        "lost my bag", "rude", "staff", "agent", "customer service", "on hold", "hold for", "waiting for",
        "no response", "no reply", "dm", "dms", "bill", "billing", "charged", "overcharged", "invoice",
        "replacement", "exchange", "complaint", "flight", "rebook*", "missed connection", "voucher", "compensation",
        "thank you", "thanks", "help",
        "返金", "配送", "配達", "届かない", "届いた", "発送", "遅延", "欠航", "キャンセル", "注文", "荷物",
        "交換", "返品", "請求", "対応", "問い合わせ", "サポート", "ありがとう", "店員", "態度",
    ),
    "none": (
        "lol", "lmao", "haha*", "omg", "good morning", "happy friday", "meme", "follow me", "follow back",
        "check out my", "giveaway", "crypto", "bitcoin", "nft", "airdrop", "subscribe to my", "link in bio",
        "草", "笑", "おはよう", "フォローして",
    ),
}  # fmt: skip

NEGATABLE: Final = frozenset(
    {
        "bug", "bugs", "buggy", "glitch*", "crash", "crashes", "crashed", "defect*", "faulty", "lag", "laggy",
        "hacked", "compromised", "lawyer", "attorney", "sue", "suing", "lawsuit", "unsafe", "dangerous", "fire",
        "smoke", "injury", "injured", "burned", "racist", "sexist", "discriminat*", "harass*", "rude", "delayed",
        "late", "cancelled", "canceled", "バグ", "不具合", "故障", "危険", "差別",
    }
)  # fmt: skip
"""Cues that a negation cancels ("not a bug", "never crashed", "staff were not rude"). Other cues describe
the complaint itself when negated ("cannot log in", "no refund", "not charging"), so they always count."""

_COMPILED: Final[dict[Department, TermSet]] = {dept: TermSet(terms) for dept, terms in CUES.items()}


def cue_hits(text: str) -> dict[str, list[str]]:
    """Which cues fired for each department (negated cues left out), in order of appearance."""
    value = clean(text)
    view = TextView.of(value)
    result: dict[str, list[str]] = {}
    for dept, terms in _COMPILED.items():
        ordered = sorted(terms.hits(value, view), key=lambda h: h.start)
        fired = [hit.matched for hit in ordered if not (hit.negated and hit.term in NEGATABLE)]
        if fired:
            result[dept] = list(dict.fromkeys(f.lower() for f in fired))
    return result


def department_cues(text: str) -> dict[str, float]:
    """0..1 cue strength for every department (all six keys present)."""
    hits = cue_hits(text)
    scores: dict[str, float] = {
        dept: round(1.0 - (1.0 - CUE_STRENGTH) ** len(hits.get(dept, [])), 4) for dept in DEPARTMENTS
    }
    if not any(scores[d] for d in DEPARTMENTS if d != "none"):
        scores["none"] = max(scores["none"], NO_CUE_NONE)
    return scores
