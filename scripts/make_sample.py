"""Generate the bundled demo sample: a week of mentions of the fictional brand Lumora, with labels.

Everything here is invented: the brand, its products, its competitors, every person, handle and post.
The texts are written by hand below; the generator only adds authors, times, ids, urls and metrics from
``random.Random(SEED)``, so a run is deterministic and needs no network.

Brand config (what a monitored-brand setting for the demo holds)::

    brand          Lumora: consumer electronics for the smart home
    products       Halo smart thermostat (Halo, Halo 2), Sentry video doorbell (Sentry, Sentry 2),
                   Pulse speakers (Pulse Mini, Pulse, Pulse Max), the Lumora Home app,
                   Lumora Plus (cloud video history subscription), the online store (accounts,
                   checkout), delivery, returns and Pro Install
    own accounts   X @LumoraHelp (care), X @Lumora (brand); Reddit u/LumoraSupport; subreddit r/Lumora
    rules          lumora-brand: "Lumora" OR "ルモーラ" OR @Lumora OR @LumoraHelp
                   lumora-products: "Pulse Mini" OR "Pulse Max" OR "Halo 2" OR "Halo thermostat"
                                    OR "Sentry 2" OR "Sentry doorbell" OR "Sentryのドアベル"
                   lumora-subreddit: everything in r/Lumora
                   lumora-accounts: posts by the own accounts
                   competitors: "Brightnest" OR "Hearthly"
                   tracked-conversation: replies inside a conversation that matched a rule
    competitors    Brightnest (X @Brightnest, @BrightnestHelp): thermostats and cameras
                   Hearthly (X @Hearthly): speakers and home hubs
    window         2026-11-09 00:00 to 2026-11-15 24:00 UTC
    incident       Friday 2026-11-13 from about 13:20 UTC: Lumora Home app 5.2.0 stops syncing Halo
                   schedules (heat stays on an eco hold); @LumoraHelp acknowledges at 15:10; the
                   5.2.1 hotfix with a "Restore" button ships on Saturday morning

Labels (``labels.csv``: item_id, department, risk, sentiment, note) follow the rubric in
ARCHITECTURE.md, the same way as ``dev_routing.csv``: each mention is judged from the point of view of
its ``brand`` (a Brightnest delivery complaint is customer_service for Brightnest). Posts by a brand's
own accounts are labelled ``none`` / ``low``. In the data below the labels are abbreviated: departments
``cs eng it sales pr none``, risk ``L M H``, sentiment ``- 0 +``.

Usage::

    PYTHONPATH=. python scripts/make_sample.py           # (re)write socialcare/sample/
    PYTHONPATH=. python scripts/make_sample.py --check   # exit 1 if the shipped files differ
"""
# ruff: noqa: E501

from __future__ import annotations

import argparse
import csv
import io
import math
import random
import re
import string
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from socialcare.models import Author, Mention, Metrics, decode_event, encode_event

SEED = 20261113
ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = ROOT / "socialcare" / "sample"
MENTIONS_FILE = "mentions.jsonl"
LABELS_FILE = "labels.csv"
LABEL_COLUMNS = ("item_id", "department", "risk", "sentiment", "note")

BRAND = "Lumora"
COMPETITORS = ("Brightnest", "Hearthly")
OWN_ACCOUNTS = {"LumoraHelp", "Lumora", "LumoraSupport"}
COMPETITOR_ACCOUNTS = {"Brightnest", "BrightnestHelp", "Hearthly"}
YEAR, MONTH, FIRST_DAY, LAST_DAY = 2026, 11, 9, 15
WINDOW_START = datetime(YEAR, MONTH, FIRST_DAY, tzinfo=UTC)
WINDOW_END = datetime(YEAR, MONTH, LAST_DAY + 1, tzinfo=UTC)
TWITTER_EPOCH_MS = 1_288_834_974_657
REDDIT_SUBMISSION_BASE = int("1p4c000", 36)
REDDIT_COMMENT_BASE = int("n9k0000", 36)

DEPARTMENTS = {
    "cs": "customer_service",
    "eng": "engineering",
    "it": "it",
    "sales": "sales",
    "pr": "pr",
    "none": "none",
}
RISKS = {"L": "low", "M": "medium", "H": "high"}
SENTIMENTS = {"-": "negative", "0": "neutral", "+": "positive"}

# Relative activity per UTC hour: English posts follow North American daytime with a European shoulder,
# Japanese posts follow JST (UTC+9), other European languages follow CET.
HOUR_WEIGHTS = {
    "en": (6, 5, 4, 3, 2, 1.5, 1.5, 2, 3, 3.5, 4, 4.5, 5, 6, 7, 8, 8, 8, 8, 8, 7.5, 7, 7, 6.5),
    "ja": (4, 4, 4.5, 6, 5, 4, 4, 4, 4.5, 5, 5.5, 6.5, 7, 7, 6, 4, 2.5, 1, 0.5, 0.3, 0.5, 1.5, 3, 3.5),
    "eu": (0.5, 0.3, 0.3, 0.5, 1, 2, 3.5, 5, 6, 6, 6, 6.5, 6, 6, 6.5, 7, 7, 7, 7, 6.5, 5, 3.5, 2, 1),
}
DAY_WEIGHTS = {9: 1.0, 10: 1.05, 11: 1.0, 12: 1.0, 13: 1.1, 14: 0.8, 15: 0.75}


# --------------------------------------------------------------------------------------------------
# How the data below is written


@dataclass
class Spec:
    """One hand-written post and its labels; where and when it appears is filled in by ``build``."""

    text: str
    department: str
    risk: str
    sentiment: str
    note: str
    source: str = "x"
    lang: str = "en"
    brand: str = BRAND
    author: str | None = None  # a key of PEOPLE, "op" (the thread's first author), or None: someone new
    day: int | None = None
    at: str | None = None  # "HH:MM" on ``day``
    window: tuple[int, str, str] | None = None  # (day, "HH:MM", "HH:MM"): somewhere in it, early-heavy
    heat: float | None = None  # engagement multiplier; None: by risk
    sub: str = "Lumora"
    title: str | None = None  # Reddit submissions
    parent: int | None = None  # index in the thread of the post this one answers
    after: float = 0.0  # minutes after the parent
    thread: int | None = None
    index: int = 0


def rows(data: list[tuple[Any, ...]], **defaults: Any) -> list[Spec]:
    """Standalone posts: ``(text, dept, risk, sentiment, note[, options])``."""
    out = []
    for row in data:
        text, dept, risk, sent, note, *rest = row
        opts = {**defaults, **(rest[0] if rest else {})}
        out.append(Spec(text, DEPARTMENTS[dept], RISKS[risk], SENTIMENTS[sent], note, **opts))
    return out


_thread_counter = iter(range(1, 10_000))


def thread(root: tuple[Any, ...], *replies: tuple[Any, ...], **root_opts: Any) -> list[Spec]:
    """A conversation: the root row, then ``(who, minutes_after_parent, text, dept, risk, sentiment,
    note[, options])``; a reply answers the row before it unless its options give ``parent``."""
    key = next(_thread_counter)
    (spec,) = rows([root], **root_opts)
    spec.thread, spec.index = key, 0
    out = [spec]
    inherit = {k: v for k, v in root_opts.items() if k in ("source", "lang", "sub")}
    for i, reply in enumerate(replies, start=1):
        who, after, text, dept, risk, sent, note, *rest = reply
        opts = {**inherit, **(rest[0] if rest else {})}
        opts.setdefault("parent", i - 1)
        (child,) = rows([(text, dept, risk, sent, note, opts)], author=who, after=float(after))
        child.thread, child.index = key, i
        out.append(child)
    return out


SPIKE = (13, "13:20", "18:30")  # the Lumora Home 5.2.0 schedule incident


# --------------------------------------------------------------------------------------------------
# People who appear by name (everyone else is drawn from the pools further down). All invented.


@dataclass(frozen=True)
class Person:
    id: str
    handle: str
    name: str | None
    followers: int | None
    verified: bool = False
    source: str = "x"


PEOPLE: dict[str, Person] = {
    # own accounts and competitors' accounts
    "LumoraHelp": Person("1102934875520231424", "LumoraHelp", "Lumora Support", 48_213, True),
    "Lumora": Person("3291847726", "Lumora", "Lumora", 612_480, True),
    "LumoraSupport": Person("t2_9k2x1mzq", "LumoraSupport", "LumoraSupport", None, False, "reddit"),
    "Brightnest": Person("2984417350", "Brightnest", "Brightnest", 388_910, True),
    "BrightnestHelp": Person("1230998127364521985", "BrightnestHelp", "Brightnest Help", 27_540, True),
    "Hearthly": Person("1287736150442291200", "Hearthly", "Hearthly Home", 154_300, True),
    # press and creators
    "tessa": Person("41877260", "tessa_writes_tech", "Tessa Lindqvist", 284_611, True),
    "miles": Person("228104937", "mharwood_consumer", "Miles Harwood", 213_904, True),
    "juno": Person("1034417789012054016", "unboxwithjuno", "Juno Vale | Unbox", 261_032, True),
    "sage": Person("880214553", "smarthomesage", "Devon Akers", 418_276, True),
    "kim": Person("1412203394871238657", "cozyflat_kim", "Kim 🌿 cozy flat", 86_412, False),
    "mori": Person("3107722918", "gadget_mori_jp", "森ガジェット研究所", 231_580, True),
    "dealhound": Person("1520337811409362944", "dealhound_daily", "DealHound", 96_108, False),
    # repeat customers
    "dana": Person("1389920417736478721", "dkestrel_", "Dana Kestrel", 642, False),
    "jonah": Person("1187450023318265856", "jonah_wires", "Jonah Pereira", 1_238, False),
    "mikan": Person("1466012997402152961", "mikan_daily", "みかん🍊", 381, False),
    "nightshift": Person("1598200443871817728", "nightshift_notes", "night shift notes", 3_114, False),
    # bad actors
    "impostor": Person("1857713309112086528", "LumoraHeIp_Desk", "Lumora Support Team", 212, False),
    "spam": Person("1849902213776502784", "gr8deals_4u_now", "🔥 MEGA DEALS 🔥", 1_904, False),
    "spam_ja": Person("1861230067712872448", "present_kikaku7", "プレゼント企画アカウント🎁", 5_822, False),
    # Reddit regulars
    "dan": Person("t2_4f8q2l1c", "ductwork_dan", "ductwork_dan", None, False, "reddit"),
    "dealhunter": Person("t2_7hq0v3zd", "bf_deal_hunter", "bf_deal_hunter", None, False, "reddit"),
    "spam_reddit": Person("t2_b0x1qf7a", "GiftCardGuru_2026", "GiftCardGuru_2026", None, False, "reddit"),
}


# --------------------------------------------------------------------------------------------------
# The posts. Texts are written to read like real posts: typos, slang, emoji, sarcasm on purpose.
# ``{to}`` becomes "@<handle of the post answered>", ``{first}`` that person's first name, ``{link}`` a
# t.co link and ``{img}`` a Reddit image link.

# fmt: off
X_CUSTOMER_SERVICE = rows([
    ("@LumoraHelp ordered a Pulse Mini on the 2nd, tracking hasn't moved since Thursday. order LM-4471920. any update?", "cs", "M", "-", "tracking stuck for days", {"day": 9}),
    ("@LumoraHelp hi, my Sentry doorbell arrived with a cracked faceplate 😕 box looked fine. how do I get a replacement?", "cs", "M", "-", "damaged on arrival; wants replacement"),
    ("Huge thanks to @LumoraHelp, Priya sorted my warranty swap in 10 minutes flat. new Halo arrives tomorrow 🙌", "cs", "L", "+", "praise for named agent; warranty swap"),
    ("@LumoraHelp I returned my Pulse Max 3 weeks ago. UPS shows delivered to your warehouse on Oct 24. still no refund. what's going on?", "cs", "M", "-", "refund missing 3 weeks after return"),
    ("been charged twice for one Lumora Plus subscription this month 🙄 @LumoraHelp", "cs", "M", "-", "double charge on subscription"),
    ("@LumoraHelp how do I cancel Lumora Plus? can't find it anywhere in the app", "cs", "L", "0", "how to cancel subscription"),
    ("my lumora delivery said 'delivered' and... it was not delivered. neighbours don't have it either. @LumoraHelp", "cs", "M", "-", "marked delivered, not received"),
    ("@LumoraHelp returns label link in the email just says 'expired' lol. it's day 12 of the 30 day window", "cs", "M", "-", "return label expired early; close call vs it"),
    ("Lumora customer service on the phone today: polite, quick, actually fixed it. rare W", "cs", "L", "+", "praise for phone support"),
    ("@LumoraHelp been on hold 55 minutes. 55. for a question about my order.", "cs", "M", "-", "55 min on hold"),
    ("@LumoraHelp the installer for my Halo didn't show up. took the morning off work for nothing. nobody called.", "cs", "M", "-", "Pro Install no-show"),
    ("@LumoraHelp your rep hung up on me twice today. is that the policy now?", "cs", "M", "-", "rep hung up twice; staff complaint"),
    ("Update: @LumoraHelp refunded the shipping and sent a new cable. thank you, genuinely", "cs", "L", "+", "resolved; thanks"),
    ("@LumoraHelp wrong colour Pulse delivered. ordered sage, got charcoal. it's a gift for my mum's birthday on sat 😩", "cs", "M", "-", "wrong colour; gift deadline", {"day": 11}),
    ("hey @LumoraHelp is the 2-year warranty on the Halo transferable if I sell my house?", "cs", "L", "0", "warranty transfer question"),
    ("@LumoraHelp where is my order. placed Nov 1, 'processing' for 9 days. no email, nothing.", "cs", "M", "-", "order stuck in processing", {"day": 10}),
    ("@LumoraHelp missing the wall plate from my Halo box. can you send one? order LM-4502231", "cs", "M", "0", "missing part in box"),
    ("@LumoraHelp thanks for the quick reply in DMs, all sorted 👍", "cs", "L", "+", "thanks; sorted in DM"),
    ("Lumora sent me a replacement doorbell before I even shipped the broken one back. that's how you keep a customer ✨", "cs", "L", "+", "praise for advance replacement"),
    ("@LumoraHelp 4th time asking for my RMA number. every agent says 'escalated'. escalated to where, the moon?", "cs", "M", "-", "4th request for RMA number"),
    ("@LumoraHelp courier left my Pulse Max on the doorstep in the rain 🌧️ box is soaked through. is it ok to power on?", "cs", "M", "0", "parcel left in rain; asks if safe to use"),
    ("@LumoraHelp can I change the delivery address on an order that already shipped? moving this week lol", "cs", "L", "0", "change address after shipping"),
    ("when @LumoraHelp says 3-5 business days they mean 3-5 business weeks", "cs", "L", "-", "venting about slow delivery"),
    ("@LumoraHelp your chat bot keeps sending me in circles. I want a HUMAN. refund for order LM-4419873 please", "cs", "M", "-", "chatbot loop; wants refund"),
    ("lumora support: 'have you tried turning it off and on again'\nme: it's a doorbell. it's wired into my house.", "cs", "L", "-", "mocking scripted support"),
    ("@LumoraHelp got a survey asking how my support experience was before anyone actually replied to my ticket 💀", "cs", "M", "-", "ticket unanswered; survey sent"),
    ("@LumoraHelp can you confirm the Halo box includes the C-wire adapter? manual says yes, my box says no", "cs", "L", "0", "box contents question"),
    ("@LumoraHelp I was promised a callback 'within 24h' on Monday. It's Wednesday.", "cs", "M", "-", "promised callback missed", {"day": 11}),
    ("@LumoraHelp price dropped $40 two days after I bought my Halo. do you price match your own sale?", "cs", "L", "0", "price adjustment on own order; close call vs sales"),
    ("@LumoraHelp the gift receipt option didn't apply, the invoice in the box shows the price 😬 it's a present. can you resend one without prices?", "cs", "L", "-", "gift receipt not applied"),
    ("Shoutout to the Lumora support agent who stayed on the phone while my dad rewired his doorbell. 45 mins of patience 🫶", "cs", "L", "+", "praise for patient agent"),
    ("@LumoraHelp refund came through today after 5 weeks. glad it's done but 5 weeks is wild", "cs", "L", "-", "resolved but slow refund"),
    ("@LumoraHelp ordered 2 Pulse Minis, got 1. packing slip says 2. help", "cs", "M", "-", "short shipment"),
    ("@LumoraHelp how long does a refund take to show on a card after you receive the return? the email just says 'soon'", "cs", "L", "0", "refund timing question"),
    ("I love my Lumora Halo but dear god the delivery people need a map. 3rd attempt. third.", "cs", "M", "-", "third failed delivery attempt"),
    ("@LumoraHelp can I swap my Pulse Mini for a Pulse Max and pay the difference? still within 30 days", "cs", "L", "0", "exchange on existing order; close call vs sales"),
    ("@LumoraHelp the staff at the Lumora pop-up in Westfield were so rude when I asked about a return. treated me like a thief", "cs", "M", "-", "rude pop-up store staff"),
    ("@LumoraHelp hello!! any news on ticket #88107? it's been a week", "cs", "M", "0", "ticket open a week"),
    ("lumora really said 'your package is on its way' and then sent it to Ohio. I live in Oregon", "cs", "M", "-", "parcel misrouted"),
    ("@LumoraHelp my mum is 79 and lives on her own. her Sentry doorbell stopped working and she's scared to open the door without seeing who it is. your phone line says a 4 day wait. please can someone help", "cs", "H", "-", "vulnerable elderly customer; device down, 4-day support wait; close call vs engineering"),
    ("@LumoraHelp customer since the first Halo. 3 replacement units, 2 lost parcels, 1 refund still pending. I'm done. switching to Hearthly and telling everyone why.", "cs", "H", "-", "repeated failures + public threat to leave"),
    ("@LumoraHelp absolutely furious. 6 weeks, no refund, no reply, 11 emails. RT so they actually see this. I want my $249 back", "cs", "H", "-", "extreme anger, asks for RTs; refund 6 weeks", {"heat": 25.0}),
    ("@LumoraHelp my Lumora Plus renewed even though I cancelled in October. I have the confirmation email. want my money back", "cs", "M", "-", "renewed after cancellation"),
    ("@LumoraHelp do you do gift wrapping for christmas orders?", "cs", "L", "0", "gift wrap question"),
    ("Got my Lumora order in 2 days with a handwritten thank you note?? who does that anymore 🥹", "cs", "L", "+", "praise: fast delivery, note"),
    ("@LumoraHelp please stop emailing me 'how's your new Halo?' I returned it a month ago and I'm still waiting on the refund", "cs", "M", "-", "refund pending a month"),
    ("@LumoraHelp the courier wants a delivery code I never got. where do I find it?", "cs", "L", "0", "delivery code question"),
    ("lumora support has gone downhill fast. used to be the best thing about them", "cs", "L", "-", "general disappointment"),
    ("The Lumora Halo learning mode is genuinely clever. figured out we get up at 6:10 on weekdays in about a week", "cs", "L", "+", "product praise", {"day": 10}),
    ("my Lumora Halo paid for itself in 4 months. my heating bill literally exploded... downwards 📉 lol", "cs", "L", "+", "hard negative: 'exploded' about savings"),
    ("the new Sentry 2 night vision is so clear I scared myself 💀 10/10", "cs", "L", "+", "hard negative: 'scared' is praise", {"day": 9}),
    ("the Lumora Halo is fire. not literally, calm down twitter", "cs", "L", "+", "hard negative: 'fire' slang"),
    ("boycotting cold mornings forever. Halo thermostat early-on mode is perfect ☀️ #lumora", "cs", "L", "+", "hard negative: 'boycotting' is a joke", {"day": 10}),
    ("ok who at Lumora made the doorbell chime a banger. I'm suing for emotional damages, it's been in my head for 3 days", "cs", "L", "+", "hard negative: 'suing' is a joke"),
    ("@LumoraHelp my order confirmation says one Pulse Max but my card was charged for two. order LM-4512096", "cs", "M", "-", "charged twice for one item"),
    ("@LumoraHelp the Lumora Plus trial ended and charged me the annual price instead of monthly?? I picked monthly", "cs", "M", "-", "wrong plan billed"),
    ("@LumoraHelp is there a number I can call instead of the chat? I'm 74 and the chat window keeps closing on me", "cs", "M", "0", "older customer struggling with chat; close call vs high"),
    ("@LumoraHelp paid $15 for next-day delivery on my Sentry, it's day 4. can I at least get the shipping back?", "cs", "M", "-", "paid express, late"),
    ("Lumora's returns process is honestly the smoothest I've used. printed label, dropped it off, refund in 3 days", "cs", "L", "+", "praise for returns"),
    ("@LumoraHelp my Pro Install appointment got moved 3 times by text. can someone confirm a date that will actually happen", "cs", "M", "-", "install rescheduled 3 times"),
    ("thank you @LumoraHelp for replacing my Sentry after my toddler 'washed' it 🙈 you didn't have to", "cs", "L", "+", "thanks for goodwill replacement"),
    ("@LumoraHelp got an email saying my order was cancelled. I didn't cancel it and the money's still gone. order LM-4498815", "cs", "M", "-", "order cancelled, not refunded"),
    ("@LumoraHelp the replacement Halo you sent is the old model, I had a Halo 2. can you swap it?", "cs", "M", "-", "wrong replacement model"),
    ("Lumora support chat: 'I understand your frustration' x6. no solution. 50 minutes.", "cs", "M", "-", "scripted chat, no resolution"),
    ("@BrightnestHelp thermostat delivered to the wrong house AGAIN. second time this month", "cs", "M", "-", "repeat misdelivery", {"brand": "Brightnest"}),
    ("Hearthly support fixed my hub pairing issue over chat in like 5 minutes. impressed", "cs", "L", "+", "praise for chat support", {"brand": "Hearthly"}),
    ("@BrightnestHelp still waiting for my return label, 8 days now", "cs", "M", "-", "return label not sent", {"brand": "Brightnest"}),
    ("Hearthly's delivery window is 'between 8am and 8pm'. very helpful, thank you 🙃", "cs", "L", "-", "sarcasm about delivery window", {"brand": "Hearthly"}),
    ("@Hearthly my order got cancelled with no explanation and the money's still gone from my account??", "cs", "M", "-", "cancelled order not refunded", {"brand": "Hearthly"}),
])

X_ENGINEERING = rows([
    ("@LumoraHelp Lumora Home crashes every time I open the Sentry live view. iPhone 16, iOS 27.1, app 5.1.4", "eng", "M", "-", "app crash on live view", {"day": 9}),
    ("my Sentry doorbell takes like 8 seconds to load the live view. by then the delivery guy is gone. @Lumora", "eng", "M", "-", "slow live view"),
    ("Pulse Mini randomly disconnects from wifi every night at ~2am. factory reset twice. anyone else? #lumora", "eng", "M", "-", "nightly wifi drop"),
    ("feature request @Lumora: let me set different temps per room with the Halo sensors. Brightnest already does this 👀", "eng", "L", "0", "feature request: per-room temps"),
    ("the Pulse Max bass is incredible but why does it reboot when I change the EQ lol", "eng", "L", "-", "reboot on EQ change"),
    ("@Lumora pls add a dark mode to the app. my eyes at 2am checking the doorbell cam 🫠", "eng", "L", "0", "feature request: dark mode", {"day": 10}),
    ("Sentry motion alerts fire for every car that drives past even with zones set. 40 notifications a day. @LumoraHelp", "eng", "M", "-", "motion zones ignored"),
    ("@LumoraHelp Halo says 'humidity 0%' which I'm fairly sure is impossible in Seattle", "eng", "L", "-", "sensor reading bug"),
    ("Halo goes offline every time my router restarts and never reconnects on its own. have to power cycle it at the breaker 🙄 @LumoraHelp", "eng", "M", "-", "no auto-reconnect"),
    ("@LumoraHelp Sentry night vision is just a white blur since the 3.8 firmware. before/after {link}", "eng", "M", "-", "night vision regression"),
    ("Pulse Mini battery goes from 100 to 0 in like 5 hours now. used to last all day", "eng", "M", "-", "battery drain, no safety issue"),
    ("would kill for a lock screen widget for the Lumora Home app. pls @Lumora", "eng", "L", "0", "hard negative: 'kill'; feature request"),
    ("@LumoraHelp the Halo keeps switching to cool mode. in November. it's 34°F outside. why", "eng", "M", "-", "wrong mode switching"),
    ("@Lumora the new Pulse firmware fixed the wifi drops for me, thank you 🙏", "eng", "L", "+", "resolved by firmware", {"day": 12}),
    ("Lumora Halo 'early on' overshoots by 3 degrees every single morning. we wake up in a sauna 🥵", "eng", "L", "-", "overshoot"),
    ("Not Lumora's fault at all but the cat nearly knocked my Pulse into the bath. waterproof version when? 🛁", "eng", "L", "0", "hard negative: near-accident joke; feature request"),
    ("5.2.1 fixed the schedule but now my Halo shows Celsius and won't switch back to F 😑 @LumoraHelp", "eng", "M", "-", "hotfix side effect", {"day": 14}),
    ("@LumoraHelp since 5.2.1 Sentry notifications arrive 10 minutes late. fix one thing, break another huh", "eng", "M", "-", "hotfix side effect: late alerts", {"day": 14}),
    ("Brightnest cam app has been down all morning, can't see my camera at all", "eng", "M", "-", "app outage", {"brand": "Brightnest", "day": 11}),
    ("my Hearthly speaker keeps waking up when someone on TV says 'hey'. every. single. time.", "eng", "L", "-", "false wake word", {"brand": "Hearthly"}),
    ("@BrightnestHelp firmware 9.2 made the thermostat relay click every 5 min. all night. click. click.", "eng", "M", "-", "relay cycling after firmware", {"brand": "Brightnest"}),
])

X_SPIKE = rows([
    ("@LumoraHelp woke up to a 58°F house. app says my Halo has 'no schedule'. did the update just nuke everyone's schedules??", "eng", "M", "-", "schedule gone after 5.2.0"),
    ("anyone else's Lumora thermostat schedule just... vanish after updating the app this morning? #lumora", "eng", "M", "-", "schedule gone after update"),
    ("@LumoraHelp 5.2.0 wiped all 4 of my schedules. took me an hour to set those up. please tell me there's a restore option", "eng", "M", "-", "4 schedules wiped"),
    ("Lumora pushed an app update and now my heat won't come on. cool cool cool. it's 29 degrees outside", "eng", "M", "-", "no heat after update"),
    ("the Lumora Home update reset my Halo to eco and it won't let me change it, just snaps back to 62. @LumoraHelp", "eng", "M", "-", "stuck on eco hold"),
    ("@LumoraHelp known issue w/ 5.2? Halo schedule gone, away mode stuck ON even tho im literally home", "eng", "M", "-", "away mode stuck"),
    ("PSA if you have a Lumora Halo DON'T update the app yet. it deletes your schedule. ask me how I know 🙃", "eng", "M", "-", "warning others; schedule deleted", {"heat": 6.0}),
    ("@Lumora your update broke my thermostat. my THERMOSTAT. the one device in the house that should never break", "eng", "M", "-", "update broke thermostat"),
    ("lol my Halo thinks it's on vacation. apparently that's what 5.2 does. @LumoraHelp", "eng", "L", "-", "away mode bug, joking tone"),
    ("kids eating breakfast in their coats thanks to @Lumora 🥶 thermostat schedule wiped this morning", "eng", "M", "-", "no morning heat"),
    ("me: pays for a smart thermostat\nsmart thermostat after one app update: what's a schedule 🤷 #Lumora", "eng", "M", "-", "sarcasm; schedule gone"),
    ("@LumoraHelp can I roll back the app? Android, Pixel 10, v5.2.0 (5200). schedule tab is blank", "eng", "M", "0", "asks rollback; bug details"),
    ("is @LumoraHelp even awake. 40 min in the chat queue. schedule gone. house at 61.", "eng", "M", "-", "support queue during outage"),
    ("Lumora status page: 'all systems operational'\nevery Halo owner on this app: 🥶🥶🥶", "eng", "M", "-", "status page vs outage"),
    ("so the Lumora update didn't just wipe the schedule, it turned off my geofencing too. what else did it touch", "eng", "M", "-", "geofencing off too"),
    ("working from home in a hoodie, a scarf and regret. @Lumora please fix the Halo schedule bug", "eng", "M", "-", "cold home office"),
    ("cannot believe a PHONE APP update can stop my furnace from running. who tested 5.2?? @LumoraHelp", "eng", "M", "-", "testing criticism"),
    ("@LumoraHelp my dad's Halo got wiped by the update and he can't work the app. it's 55° in his house. he's 81 and lives alone. please call me back, I've DMed", "eng", "H", "-", "vulnerable elderly parent without heat; cc pr"),
    ("@LumoraHelp my daughter has asthma and cold air sets her off. heat hasn't come on since your update. I need a fix NOW not 'we're looking into it'", "eng", "H", "-", "child with asthma, no heat; vulnerable"),
    ("RT this so @Lumora actually listens. your update left thousands of us without heat in NOVEMBER. unacceptable. #LumoraFail", "eng", "H", "-", "extreme anger, amplification call; cc pr", {"heat": 40.0}),
    ("Lumora update killed my Halo schedule but the new dark mode looks great so I'm conflicted 😅", "eng", "L", "0", "hard negative: 'killed'; mild"),
    ("@LumoraHelp fyi re-adding the schedule by hand works, but it's gone again as soon as the app restarts", "eng", "M", "0", "bug report: workaround fails"),
    ("Lumora 5.2 changelog: 'improved scheduling experience'. improved it right out of existence", "eng", "M", "-", "sarcasm about changelog"),
    ("@LumoraHelp heat just came on at 3pm instead of 6am?? time zone bug? I'm in Denver", "eng", "M", "-", "wrong-time schedule"),
    ("switching to a Brightnest this weekend if this isn't fixed today. 2nd time this year an update broke my Halo. @LumoraHelp", "eng", "H", "-", "repeated failures + public threat to leave"),
    ("the Lumora Halo bug is a good reminder to know where your manual override is. mine's on a 68 hold until they fix it", "eng", "L", "0", "workaround shared"),
    ("my Halo thinks we're Away and my Pulse keeps saying 'welcome home' 😂 the house is confused #lumora", "eng", "L", "-", "away-mode bug, joking"),
    ("@LumoraHelp ticket 88213-LH. schedule gone on 2 devices after 5.2. already tried reboot + reinstall", "eng", "M", "0", "ticket with steps tried"),
    ("@LumoraHelp after 5.2 my Halo doesn't even show in the app. 'device offline' but it's glowing right there on the wall", "eng", "M", "-", "device shows offline"),
    ("Lumora's 5.2 app update is wiping Halo thermostat schedules for a lot of people. If you rely on it for heat, set a manual hold on the device now. Asked @Lumora for details, will update.", "pr", "H", "0", "influencer warning followers; asked brand for comment", {"author": "juno"}),
    ("Reports coming in that a Lumora Home app update (5.2.0) left Halo thermostats without their heating schedules. @Lumora, how many homes are affected and when is a fix coming? DMs open.", "pr", "H", "0", "journalist requests comment on outage", {"author": "tessa"}),
    ("Cold morning for some smart thermostat owners today. Ours kept their schedules. 🙂 #NoDrama", "none", "L", "0", "competitor's own account jabbing at the outage", {"author": "Brightnest", "brand": "Brightnest"}),
    ("and now the update wiped the schedule on replacement #2. @LumoraHelp I've been patient. I have been SO patient.", "eng", "M", "-", "repeat customer: third failure", {"author": "dana"}),
    ("Seit dem Update 5.2 ist der Heizplan vom Halo komplett weg. Danke für nichts, @Lumora", "eng", "M", "-", "German: schedule gone after 5.2", {"lang": "de"}),
], window=SPIKE)

X_IT = rows([
    ("@LumoraHelp can't log in to my Lumora account, the password reset email never arrives. checked spam. 3 times.", "it", "M", "-", "reset email not arriving"),
    ("Lumora checkout keeps throwing 'payment could not be processed' on 2 different cards. I'm trying to give you money here 😂", "it", "M", "-", "checkout payment error"),
    ("@LumoraHelp the 2FA code arrives 10 mins after it expires. every time.", "it", "M", "-", "2FA code late"),
    ("lumora website down? getting a 503 on the store page", "it", "M", "-", "store 503", {"day": 12}),
    ("@LumoraHelp got an email saying my password was changed. I didn't change it. now I can't log in and my cameras are on that account. please lock it", "it", "H", "-", "account takeover; camera access"),
    ("someone logged into my Lumora account from another country and ordered 2 Pulse Max to an address I've never heard of. bank flagged it. @LumoraHelp", "it", "H", "-", "account hacked; fraudulent orders"),
    ("@LumoraHelp promo code WINTER15 says invalid at checkout but your email literally sent it to me today", "it", "M", "-", "promo code rejected at checkout"),
    ("why does the Lumora store log me out every time I go from cart to checkout. bizarre", "it", "M", "-", "logged out at checkout"),
    ("@LumoraHelp how do I see which phones are logged in to my account? need to kick my ex off the doorbell camera", "it", "H", "0", "ex-partner has camera access; personal safety"),
    ("does Lumora sell my doorbell footage to anyone? genuine question, the privacy policy is 40 pages", "it", "L", "0", "privacy question"),
    ("@LumoraHelp when I log in your account page shows someone else's order history?! not my name, not my address", "it", "H", "-", "other customer's data exposed; close call vs pr"),
    ("Apple Pay button on the Lumora checkout does nothing. just spins", "it", "M", "-", "Apple Pay fails at checkout"),
    ("@LumoraHelp the 'forgot password' link on your site goes to a 404", "it", "M", "-", "reset link 404"),
    ("@LumoraHelp locked out after 3 attempts, 'try again in 24 hours'. my doorbell cam is on that account.", "it", "M", "-", "account lockout"),
    ("lumora order tracking page has been 'temporarily unavailable' since last night", "it", "M", "-", "tracking page down"),
    ("@LumoraHelp why does Lumora Home suddenly want my precise location all the time? it didn't before", "it", "L", "0", "privacy: location permission"),
    ("@LumoraHelp got a 'your Lumora account has been suspended' email with a link to lumora-secure-verify[.]net. real or scam?", "it", "M", "0", "phishing email question"),
    ("@LumoraHelp the early access sale page says 'you must be logged in' while I am very much logged in", "it", "M", "-", "sale page login bug"),
    ("@LumoraHelp how do I permanently delete all my Sentry recordings from your servers? GDPR request basically", "it", "L", "0", "data deletion request"),
    ("@LumoraHelp an order arrived with someone else's invoice in it. name, address, phone number. pretty sure that's not great", "it", "M", "-", "another customer's data in parcel; privacy"),
    ("Brightnest account login broken all day, just 'unexpected error'", "it", "M", "-", "login outage", {"brand": "Brightnest"}),
    ("@Hearthly checkout says my card is declined, bank says no attempt was even made. tried 3 cards", "it", "M", "-", "checkout card errors", {"brand": "Hearthly"}),
])

X_SALES = rows([
    ("thinking of getting a Halo for my parents' place. does it work with a heat pump? @LumoraHelp", "sales", "L", "0", "compatibility before purchase"),
    ("@Lumora when is the Pulse Max back in stock? been 'sold out' for 3 weeks", "sales", "L", "0", "stock question"),
    ("sick of waiting for the new colour to drop 😩 @Lumora sage green Pulse Mini WHEN", "sales", "L", "-", "hard negative: 'sick of'; wants new colour"),
    ("Lumora's early black friday deal is actually criminal 🔥 Halo + Sentry bundle for $279?? grabbed two", "sales", "L", "+", "hard negative: 'criminal', 'fire'; deal praise", {"day": 14}),
    ("Halo vs Brightnest thermostat: which are you all running? need to decide this weekend", "sales", "L", "0", "comparing before purchase"),
    ("@LumoraHelp does Lumora Plus keep 60 days of video history or 30? your site says both", "sales", "L", "0", "plan details"),
    ("@Lumora do you do bulk pricing? we manage 40 rental units and want Halos in all of them", "sales", "L", "0", "bulk quote"),
    ("is the Lumora Sentry worth it without the subscription? not signing up for another monthly fee", "sales", "L", "0", "value without plan"),
    ("@LumoraHelp student discount? asking for a broke grad student with a freezing apartment", "sales", "L", "0", "discount request"),
    ("switching my speakers from Hearthly to Lumora. can the Pulse do multi-room with 3 units?", "sales", "L", "0", "switching; multi-room question"),
    ("@Lumora any plans to sell the Halo in Canada? the US store won't ship to me 🇨🇦", "sales", "L", "0", "market availability"),
    ("the Pulse Max at $199 is a steal next to the Hearthly Dome tbh", "sales", "L", "+", "price comparison"),
    ("@Lumora partnership question: we're an HVAC installer network in 6 states. who do I talk to?", "sales", "L", "0", "partnership inquiry"),
    ("why is the Halo $30 cheaper on Amazon than on your own site @Lumora?", "sales", "L", "0", "pricing question"),
    ("dying to get the Sentry 2 but $229 is steep. any deals coming @Lumora?", "sales", "L", "0", "hard negative: 'dying'; deal question"),
    ("@Lumora does the Lumora Plus family plan cover two houses? my mum's place + mine", "sales", "L", "0", "plan coverage"),
    ("ok Lumora's ads finally got me. which Pulse should I get for a small kitchen?", "sales", "L", "0", "which model to buy"),
    ("Brightnest just dropped their thermostat to $149. your move @Lumora 👀", "sales", "L", "0", "competitor price cut"),
    ("@Lumora is the Sentry compatible with my existing mechanical chime? don't want to buy it and find out", "sales", "L", "0", "compatibility before purchase"),
    ("@Lumora signed up for the newsletter for the 10% first order code and got nothing. is that still a thing?", "sales", "L", "-", "promo code before purchase"),
    ("upgrading from Halo 1 to Halo 2, is there a trade-in program? @Lumora", "sales", "L", "0", "trade-in"),
    ("🚨 DEAL: Lumora Halo 2 smart thermostat $169 (reg $229), lowest price we've tracked {link} #ad", "sales", "L", "+", "deal account post", {"author": "dealhound"}),
    ("anyone have the Hearthly Dome? worth $249 or wait for black friday?", "sales", "L", "0", "pre-purchase question", {"brand": "Hearthly"}),
    ("@Brightnest do you price match? the Lumora Halo is cheaper this week", "sales", "L", "0", "price match request", {"brand": "Brightnest"}),
    ("@Hearthly is the Hearthly Hub 2 out in Europe yet?", "sales", "L", "0", "availability", {"brand": "Hearthly"}),
])

X_PR = rows([
    ("My @Lumora Halo thermostat started smoking on the wall this morning. burning plastic smell, the plate is scorched. cut the breaker. {link} @LumoraHelp this could have burned my house down", "pr", "H", "-", "thermostat overheating, smoke; safety", {"heat": 30.0, "day": 10}),
    ("the battery in my Lumora Pulse Mini has swollen so much the case split open. it's been on my kid's nightstand 😳 {link}", "pr", "H", "-", "battery swelling; child's room", {"heat": 20.0}),
    ("@LumoraHelp my Sentry doorbell got so hot the plastic warped. it's mounted on a WOODEN door frame. is this a known issue??", "pr", "H", "-", "doorbell overheating; fire risk"),
    ("fine. my lawyer will be in touch, @Lumora. 7 weeks without a refund is theft.", "pr", "H", "-", "lawyer threat"),
    ("Filed an FTC complaint about Lumora auto-renewing Lumora Plus after I cancelled. If it happened to you too, file one. It takes 5 minutes.", "pr", "H", "-", "regulator complaint; encourages others", {"heat": 8.0}),
    ("Working on a story about smart doorbells and police requests for footage. @Lumora, does Sentry share video with law enforcement without a warrant? Would love a comment by Thursday.", "pr", "H", "0", "journalist asks for comment", {"author": "tessa", "day": 10}),
    ("Hearing from a lot of readers that Lumora refunds are taking 6+ weeks. If that's you, my DMs are open. @Lumora @LumoraHelp, care to comment?", "pr", "H", "0", "consumer reporter gathering complaints", {"author": "miles", "day": 12}),
    ("#BoycottLumora they quietly changed the privacy policy so Sentry clips can be used to 'improve services'. not in my house. RT", "pr", "H", "-", "boycott call; privacy", {"heat": 15.0, "day": 11}),
    ("The Lumora installer who came to my house today made comments about my accent and asked if I was 'here legally'. I have never felt so humiliated in my own home. @LumoraHelp", "pr", "H", "-", "discrimination by installer", {"heat": 12.0}),
    ("@LumoraHelp a support agent who had my number from a ticket texted me at 11pm asking if I was single. this is not ok. I have screenshots.", "pr", "H", "-", "harassment by staff"),
    ("former Lumora warehouse temp here. 12h shifts at the Reno DC, no heat in the packing area, bathroom breaks timed. make of that what you will.", "pr", "H", "-", "ethics: warehouse conditions", {"author": "nightshift", "heat": 6.0}),
    ("reporting Lumora to my state AG and the BBB. charged $249 for a doorbell I returned in September.", "pr", "H", "-", "regulator threat"),
    ("Reviewing the Lumora Sentry 2 this week. Lumora's PR agency asked me to 'hold off on negatives until the firmware update'. That's not how this works. Full review Friday.", "pr", "H", "-", "influencer alleges review pressure", {"author": "sage", "day": 11}),
    ("small claims court it is, @LumoraHelp. see you there. $412 and three months of excuses", "pr", "H", "-", "legal threat"),
    ("the Pulse Max charging base SPARKED when I plugged it in. actual sparks. it's now in the garage on the concrete floor. @LumoraHelp", "pr", "H", "-", "charger sparking; safety"),
    ("A Lumora delivery driver just kicked my dog through the gate and LAUGHED. I have it on my (Lumora!) doorbell cam. @Lumora", "pr", "H", "-", "staff abuse on video", {"heat": 35.0}),
    ("@Lumora my friend's kid burned her fingers on the back of a Halo plate. it was hot enough to hurt. is that normal?", "pr", "H", "-", "burn injury; safety"),
    ("Dear @Lumora: I'm a disabled customer. your app removed the large text option and your support told me to 'get someone younger to help'. Unbelievable.", "pr", "H", "-", "disability discrimination by support"),
    ("Lumora sent me a Sentry 2 to review. It arrived broken, and when I said so they asked me to delete the unboxing. Video is staying up.", "pr", "H", "-", "influencer alleges censorship request", {"author": "juno", "day": 9}),
    ("not sponsored, just obsessed: the Lumora Pulse Mini in sage is the prettiest speaker I've owned and it sounds way bigger than it looks 🌿 {link}", "pr", "L", "+", "influencer praise; PR opportunity, no risk", {"author": "kim"}),
    ("Brightnest recall notice in my inbox?? 'risk of overheating'. checking mine now", "pr", "H", "0", "competitor recall", {"brand": "Brightnest"}),
    ("those leaked Hearthly employee group chat screenshots are... something. not buying from them again.", "pr", "H", "-", "competitor ethics scandal", {"brand": "Hearthly"}),
    ("Brightnest confirms a bug let some camera owners see thumbnails from other accounts. Their statement below. {link}", "pr", "H", "0", "journalist: competitor privacy bug", {"author": "tessa", "brand": "Brightnest"}),
])

X_NONE = rows([
    ("Lumora is such a pretty name for a baby girl. adding it to the list 👶", "none", "L", "+", "not about the brand"),
    ("just finished Lumora by Elin Marsh and the ending wrecked me. 5 stars", "none", "L", "+", "novel title, not the brand"),
    ("Lumora (the band) at the Crescent tonight 🎸 who's coming", "none", "L", "+", "band, not the brand"),
    ("🔥 LUMORA HALO GIVEAWAY 🔥 follow + RT + tag 3 friends + click {link} to claim your FREE thermostat!!! #giveaway #lumora #free", "none", "L", "0", "spam giveaway", {"author": "spam"}),
    ("earn $500/day from home 💰 DM me. #Lumora #Bitcoin #smarthome #wfh", "none", "L", "0", "spam"),
    ("Cozy season is here. Halo learns when you wake up, so you don't have to. ☕ {link}", "none", "L", "+", "own account marketing", {"author": "Lumora", "day": 10, "at": "16:00"}),
    ("my cat has claimed the Lumora box as her new house. the thermostat can stay in the drawer", "none", "L", "+", "chit-chat"),
    ("ranking the smart speakers in my flat by how often they misunderstand me: Lumora 7/10, Hearthly 4/10, my roommate 2/10", "none", "L", "0", "banter"),
    ("the way my dad calls the Lumora speaker 'the lady in the can'", "none", "L", "+", "chit-chat"),
    ("@Lumora 👀", "none", "L", "0", "unintelligible"),
    ("my Lumora doorbell caught a raccoon stealing a pumpkin off my porch at 3am 🦝🎃 he knew exactly what he was doing", "none", "L", "+", "doorbell clip share"),
    ("this update is killing me 😂 the Pulse now says 'welcome home, legend' when I walk in. whoever at @Lumora wrote that deserves a raise", "none", "L", "+", "hard negative: 'killing me' is amusement", {"day": 11}),
    ("RT if you also talk to your Lumora Pulse more than to your family", "none", "L", "0", "hard negative: RT call, no grievance"),
    ("the Lumora ad before the game was so wholesome I'm crying over a thermostat commercial", "none", "L", "+", "ad reaction"),
    ("my toddler 'helping' the delivery guy on the doorbell cam 😂 lawyer up @Lumora, she's the new face of Sentry", "none", "L", "+", "hard negative: 'lawyer up' is a joke"),
    ("Brightnest ad before every single YouTube video this week. I know the jingle by heart now", "none", "L", "-", "ad fatigue", {"brand": "Brightnest"}),
    ("the Hearthly hub as a nightlight is underrated", "none", "L", "+", "banter", {"brand": "Hearthly"}),
])

X_JAPANESE = rows([
    ("Lumoraのアプリ更新したらサーモスタットのスケジュールが全部消えた…寒い😇", "eng", "M", "-", "schedule gone after update", {"window": (13, "13:40", "17:00")}),
    ("@LumoraHelp 5.2にアップデートしてからHaloのスケジュールが表示されません。再設定してもアプリを再起動すると消えます。", "eng", "M", "0", "bug report: schedule not kept", {"window": (13, "13:40", "17:00")}),
    ("ルモーラのアプデ、スケジュール消える不具合あるっぽい。まだ更新してない人は待った方がいいかも", "eng", "L", "0", "warning others about bug", {"window": (13, "14:00", "18:00")}),
    ("実家の母(80代)のHalo、アプデで設定が飛んで暖房がつかないらしい。母はアプリ使えないし今夜は冷え込むのに…@LumoraHelp 早く対応してください", "eng", "H", "-", "elderly mother without heat; vulnerable", {"window": (13, "14:00", "16:00")}),
    ("Lumoraの5.2.1で直った!スケジュール復元ボタンありがたい", "eng", "L", "+", "fixed by hotfix", {"day": 14, "at": "11:35"}),
    ("@LumoraHelp 11月3日に注文したPulse Miniがまだ届きません。追跡番号も更新されないままです。", "cs", "M", "-", "delivery delay; tracking stuck", {"day": 10}),
    ("Lumoraの配送遅すぎ問題。1週間以上「発送準備中」ってどういうこと", "cs", "M", "-", "order stuck a week"),
    ("ルモーラの公式ストアで買ったスピーカー、配達予定日過ぎてるのに連絡なし。問い合わせフォームも返信なし😢", "cs", "M", "-", "late delivery, no reply", {"author": "mikan", "day": 9}),
    ("Lumoraの件、まだ届かない。問い合わせ3回目。さすがに怒っていいよね?", "cs", "M", "-", "repeat: third inquiry", {"author": "mikan", "day": 11}),
    ("Lumoraのスピーカーやっと届いた!サポートの方が丁寧に謝ってくれたので許す🍊", "cs", "L", "+", "resolved; thanks support", {"author": "mikan", "day": 12}),
    ("置き配指定したのに持ち帰られてた。Lumoraさん、配送業者ちゃんと選んでほしい", "cs", "M", "-", "parcel taken back despite safe-place"),
    ("@LumoraHelp 届いたドアベルの箱が潰れてて本体に傷がありました。交換できますか?", "cs", "M", "-", "damaged on arrival"),
    ("Lumoraのサポート、チャットの返信早くて神対応だった", "cs", "L", "+", "praise for chat support"),
    ("返品したのに返金がまだ。もう3週間経つんですけど…@LumoraHelp", "cs", "M", "-", "refund 3 weeks late"),
    ("ルモーラのカスタマーサポート、電話が全然つながらない。30分待って切れた", "cs", "M", "-", "phone support unreachable"),
    ("Lumora Plusの解約方法がわかりにくすぎる。どこにあるの", "cs", "L", "-", "cancellation hard to find"),
    ("Lumoraのアプリ、ドアベルのライブ映像を開くと毎回落ちる。iPhone 17です", "eng", "M", "-", "app crashes on live view"),
    ("LumoraのSentry、通知が遅れて来る。来客が帰ったあとに「誰か来ました」って言われても…", "eng", "M", "-", "late notifications"),
    ("Pulse Miniが夜中に勝手に再起動してピコーンって鳴るのやめてほしい笑", "eng", "L", "-", "night reboot chime"),
    ("Lumora Homeアプリ、Androidだと起動直後にクラッシュする。再インストールしても同じ", "eng", "M", "-", "Android crash on start"),
    ("@Lumora ホーム画面ウィジェットがほしいです!", "eng", "L", "0", "feature request: widget"),
    ("Lumoraのアカウントにログインできない。パスワード再設定のメールが来ない", "it", "M", "-", "cannot log in; reset email missing"),
    ("@LumoraHelp 二段階認証のSMSが届かずログインできません。ドアベルの映像が見られなくて困っています", "it", "M", "-", "2FA SMS not arriving"),
    ("Lumoraの公式ストア、決済画面でエラーになって買えない。せっかく買う気満々だったのに", "it", "M", "-", "checkout error"),
    ("ルモーラから「アカウントが停止されました」ってメール来たけど、これ詐欺だよね?リンクは踏んでない", "it", "M", "0", "phishing email question"),
    ("Lumoraのアプリ、ログインしても数分でログアウトされる", "it", "M", "-", "session keeps expiring"),
    ("Lumoraのスピーカー欲しいけど値段がなぁ…ブラックフライデーで安くならないかな", "sales", "L", "0", "price; waiting for sale"),
    ("Pulse Maxって日本だといくら?公式サイトに価格が載ってない", "sales", "L", "0", "price question"),
    ("ルモーラとHearthlyのスマートスピーカーで迷ってる。どっちがいい?", "sales", "L", "0", "comparing before purchase"),
    ("Sentryのドアベル、月額なしでも使える?サブスク地獄はもう嫌", "sales", "L", "0", "works without subscription?"),
    ("Lumoraの新色、早く日本でも発売してほしい", "sales", "L", "0", "wants new colour in Japan"),
    ("Lumoraのサポートに電話したら「そんなことも分からないんですか」って鼻で笑われた。拡散希望。", "pr", "H", "-", "staff mocked customer; asks to spread", {"heat": 20.0}),
    ("Lumoraのスピーカー、充電中に本体がすごく熱くなって焦げ臭い。子供部屋に置いてたのに。怖くてもう使えない", "pr", "H", "-", "speaker overheating, burning smell; safety"),
    ("消費者センターに相談します。Lumoraの返金対応ひどすぎる", "pr", "H", "-", "consumer centre complaint threat"),
    ("Lumoraのサーモスタット、海外でアプリ更新後の不具合が多数報告されています。国内ユーザーも念のため更新は控えた方が良さそう。Lumoraに問い合わせ中です。", "pr", "H", "0", "influential blogger reports incident, asked brand", {"author": "mori", "window": (13, "15:30", "18:00")}),
    ("Lumoraのスピーカー、音が良すぎて死ぬ。低音最高", "cs", "L", "+", "hard negative: 死ぬ is praise"),
    ("推しの炎上でメンタル死んでるけど、Lumoraのスピーカーから流れる推しの声だけが癒し", "none", "L", "+", "hard negative: 炎上 not about brand"),
    ("ルモーラのドアベル、置き配の確認が楽になって最高", "cs", "L", "+", "praise"),
    ("ルモーラって名前、なんかファンタジーの魔法っぽくて好き", "none", "L", "+", "chit-chat"),
    ("【プレゼント企画】Lumoraスピーカーを抽選で3名様に!フォロー&RTで応募完了🎁 #プレゼント企画 #Lumora", "none", "L", "0", "giveaway spam", {"author": "spam_ja"}),
], lang="ja")

X_OTHER_LANGUAGES = rows([
    ("@LumoraHelp mi pedido lleva 12 días 'en preparación' y nadie me responde. ¿Qué pasa?", "cs", "M", "-", "Spanish: order stuck, no reply", {"lang": "es"}),
    ("La app de Lumora se cierra sola cada vez que abro la cámara del timbre 😤", "eng", "M", "-", "Spanish: app crash on doorbell camera", {"lang": "es"}),
    ("¿Alguien sabe si el Lumora Halo funciona en México? Quiero comprar uno", "sales", "L", "0", "Spanish: availability before purchase", {"lang": "es"}),
    ("Wann kommt der Lumora Halo endlich nach Österreich? Würde sofort kaufen", "sales", "L", "0", "German: market availability", {"lang": "de"}),
    ("@LumoraHelp Passwort zurücksetzen funktioniert nicht, die Mail kommt nie an", "it", "M", "-", "German: reset email missing", {"lang": "de"}),
    ("Ma sonnette Lumora Sentry ne se connecte plus au wifi depuis hier soir. Quelqu'un a une solution ?", "eng", "M", "-", "French: doorbell offline", {"lang": "fr"}),
    ("Service client Lumora au top, remboursement reçu en 3 jours 👏", "cs", "L", "+", "French: praise, fast refund", {"lang": "fr"}),
    ("@LumoraHelp colis marqué livré mais rien reçu. Je fais quoi ?", "cs", "M", "-", "French: marked delivered, not received", {"lang": "fr"}),
])

X_THREADS = [
    *thread(
        ("@LumoraHelp my Pulse Max order says delivered but there's nothing here. order LM-4493307", "cs", "M", "-", "marked delivered, not received"),
        ("LumoraHelp", 18, "{to} Hi {first}, sorry about that! Couriers sometimes mark parcels delivered a little early. If it hasn't turned up by the end of the day, DM us your order number and we'll open a trace with the carrier. ^MT", "none", "L", "0", "own account reply"),
        ("op", 260, "{to} end of the day, still nothing. DM sent.", "cs", "M", "-", "follow-up: still missing"),
        ("LumoraHelp", 35, "{to} Got it, thanks! We've opened a trace and sent a replacement, tracking is on its way by email. ^MT", "none", "L", "0", "own account reply"),
        ("op", 12, "{to} ok that was actually painless. thank you!", "cs", "L", "+", "resolved; thanks"),
        day=10, at="15:42",
    ),
    *thread(
        ("@LumoraHelp brand new Halo, dead on arrival. screen won't turn on, wiring checked by an electrician. order LM-4460012", "cs", "M", "-", "DOA unit, wants replacement; close call vs engineering"),
        ("LumoraHelp", 41, "{to} Hi {first}, we're so sorry your Halo arrived faulty. We've sent you a DM to set up a replacement right away. ^JR", "none", "L", "0", "own account reply"),
        ("op", 95, "{to} replied. thanks.", "cs", "L", "0", "acknowledges"),
        ("op", 2885, "{to} replacement arrived today. it powers on, connects, then reboots every 4 minutes. two units, two duds. what is going on with QC", "eng", "M", "-", "replacement also faulty", {"parent": 1}),
        ("LumoraHelp", 52, "{to} That's really not the experience we want for you, {first}. Could you DM us the serial from the back plate? We'll get this to our product team today. ^JR", "none", "L", "0", "own account reply"),
        author="dana", day=9, at="16:05",
    ),
    *thread(
        ("week of Lumora: 2 dead thermostats, 1 update that froze my house, 4 DMs, 0 solutions. returning everything and going Brightnest. RT if Lumora has done this to you too @LumoraHelp @Lumora", "cs", "H", "-", "repeat customer: repeated failures, leaving, asks RTs", {"heat": 30.0}),
        ("op", 26, "@mharwood_consumer you asked for Lumora stories this week. have I got one for you. DMing you", "pr", "H", "-", "repeat customer takes it to a consumer reporter", {"parent": 0}),
        ("LumoraHelp", 74, "{to} Hi {first}, we're truly sorry. A senior member of our team will call you today, and we'll arrange a full refund and collection of both units. ^SR", "none", "L", "0", "own account reply", {"parent": 0}),
        ("op", 38, "{to} we'll see.", "cs", "M", "-", "unconvinced; still unresolved"),
        author="dana", day=14, at="17:48",
    ),
    *thread(
        ("@LumoraHelp the refund for my Sentry still hasn't shown up, it's been 3 weeks. order LM-4471188", "cs", "M", "-", "refund late"),
        ("impostor", 6, "{to} Hello! We're sorry for the delay 🙏 To process your refund immediately please DM us your full card number, expiry date and the 3 digit code on the back. – Lumora Support Team", "it", "H", "0", "impostor account phishing for card details; not Lumora", {"heat": 0.1}),
        ("LumoraHelp", 22, "{to} Hi {first}, please don't share card details with anyone. That account isn't us and we've reported it. We will never ask for your card number. DM us here at @LumoraHelp with your order number instead. ^AK", "none", "L", "0", "own account reply; warns about impostor", {"parent": 0}),
        ("op", 15, "{to} omg thank you, I nearly did. DMing you now", "cs", "L", "+", "thanks"),
        day=11, at="18:20",
    ),
    *rows([
        ("🚨 psa: there's a fake 'Lumora Support' account (@LumoraHeIp_Desk, capital I not l) replying to people asking for card details. the real one is @LumoraHelp. report it", "it", "H", "0", "impostor/phishing warning; cc pr", {"day": 11, "at": "21:02", "heat": 10.0}),
    ]),
    *thread(
        ("@LumoraHelp locked out of the app since this morning, stuck in a 'session expired' loop on login. iOS. can't see my doorbell", "it", "M", "-", "login loop"),
        ("LumoraHelp", 30, "{to} Sorry about that, {first}! We had a login issue on iOS earlier today that should be fixed now. Could you force-close the app and try once more? ^MT", "none", "L", "0", "own account reply"),
        ("op", 12, "{to} that worked, thanks 🙏", "it", "L", "+", "resolved"),
        day=12, at="14:31",
    ),
    *thread(
        ("@LumoraHelp does the Halo 2 work with a two-stage heat pump plus aux heat? want to order before the sale ends", "sales", "L", "0", "compatibility before purchase"),
        ("LumoraHelp", 25, "{to} Great question! Yes, Halo 2 supports two stages of heat pump heating plus aux/emergency heat. Our compatibility checker is here: {link} 😊 ^AK", "none", "L", "0", "own account reply"),
        ("op", 47, "{to} perfect, ordered 🙌", "sales", "L", "+", "purchase made"),
        day=14, at="16:12",
    ),
    *thread(
        ("@LumoraHelp Pulse Mini says 'I'm having trouble connecting' every 10 mins. router is fine, everything else in the house works", "eng", "M", "-", "speaker keeps disconnecting"),
        ("LumoraHelp", 21, "{to} Hi {first}! Could you tell us the firmware version (Settings > Device info) and whether your router broadcasts 5 GHz only?", "none", "L", "0", "own account reply"),
        ("op", 33, "{to} 4.11.2, and yes 5GHz only", "eng", "L", "0", "thread detail: firmware, band"),
        ("LumoraHelp", 19, "{to} Thanks! Pulse Mini needs 2.4 GHz for now; a fix for 5 GHz-only networks is coming in 4.12. Turning on 2.4 GHz should keep it connected until then. ^JR", "none", "L", "0", "own account reply"),
        ("op", 70, "{to} turned on 2.4 and it's been solid for an hour. would have been nice to know that from the manual tbh", "eng", "L", "0", "workaround works; mild complaint"),
        author="jonah", day=12, at="19:05",
    ),
    *thread(
        ("We're aware that some Halo thermostats lost their schedules after updating to Lumora Home 5.2.0. Your schedules are saved and we're working on a fix. Meanwhile you can set a temperature directly on the Halo. We're sorry, and we'll post updates in this thread.", "none", "L", "0", "own account status update"),
        (None, 4, "{to} 'updates in this thread' cool, my pipes will be frozen by then", "eng", "M", "-", "reply to status: unhappy", {"parent": 0}),
        (None, 9, "{to} thanks for owning it quickly at least. manual hold on 68 for now", "eng", "L", "0", "workaround applied", {"parent": 0}),
        (None, 15, "{to} any ETA? we have a 3 week old baby at home and the heat schedule is the whole point", "eng", "H", "-", "newborn at home; vulnerable", {"parent": 0}),
        (None, 31, "{to} how do you break a thermostat with a phone app update. genuinely asking", "eng", "M", "-", "reply to status: unhappy", {"parent": 0}),
        (None, 50, "{to} will Lumora Plus subscribers get a credit for today?", "cs", "L", "0", "asks for credit", {"parent": 0}),
        ("LumoraHelp", 1110, "Update: Lumora Home 5.2.1 is rolling out now and fixes the Halo schedule issue. Open the app and tap Halo > Schedule > Restore to bring yours back. Thank you for your patience, and sorry for the cold start to Friday.", "none", "L", "0", "own account status update", {"parent": 0}),
        (None, 13, "{to} restored in two taps. forgiven (mostly) 😤➡️🙂", "eng", "L", "+", "resolved by hotfix"),
        (None, 26, "{to} no Restore button for me on Android and 5.2.1 is installed", "eng", "M", "-", "hotfix not working", {"parent": 6}),
        (None, 44, "{to} still salty about yesterday but credit for the quick fix + the restore button", "cs", "L", "+", "resolved; mild praise", {"parent": 6}),
        author="LumoraHelp", day=13, at="15:10", heat=3.0,
    ),
    *thread(
        ("@LumoraHelp I want to complain about how your phone rep spoke to me today", "cs", "M", "-", "staff complaint"),
        ("LumoraHelp", 27, "{to} We're sorry to hear that, {first}. We'd like to look into it. Could you DM us the date and time of your call? ^SR", "none", "L", "0", "own account reply"),
        ("op", 14, "{to} sent. she told me I was 'clearly not technical enough for a smart thermostat'. I'm an electrical engineer.", "cs", "M", "-", "condescending rep; staff complaint"),
        day=11, at="16:40",
    ),
    *thread(
        ("@LumoraHelp 注文番号LM-4488120の配送状況を確認していただけますか?予定日を3日過ぎています", "cs", "M", "-", "Japanese: asks delivery status, 3 days late"),
        ("LumoraHelp", 47, "{to} お問い合わせありがとうございます。ご不便をおかけし申し訳ございません。お手数ですが、DMにてお名前とご注文番号をお送りいただけますでしょうか。", "none", "L", "0", "own account reply (Japanese)"),
        ("op", 20, "{to} DM送りました。よろしくお願いします", "cs", "L", "0", "Japanese: DM sent"),
        lang="ja", day=12, at="02:15",
    ),
    *thread(
        ("@BrightnestHelp thermostat says 'E74' and the heat won't turn on", "eng", "M", "-", "error code, no heat", {"brand": "Brightnest"}),
        ("BrightnestHelp", 16, "{to} Hi there! E74 means the thermostat lost power from the C wire. Please check the breaker for your furnace and DM us if it persists.", "none", "L", "0", "competitor's own account reply", {"brand": "Brightnest"}),
        day=10, at="12:55",
    ),
]

REDDIT = [
    *thread(
        ("Woke up to 59F. App says no schedule is set on both my Halos. Anyone else? Already tried restarting the app and power cycling the thermostat.", "eng", "M", "-", "schedule wiped by 5.2.0", {"heat": 5.0}),
        (None, 6, "Same here. Both schedules gone and away mode turned itself on.", "eng", "M", "-", "same issue", {"parent": 0}),
        (None, 14, "Same, Pixel 9 Pro. Rolled back the app with an old APK and the schedule came back, so it's the app, not the thermostat.", "eng", "L", "0", "workaround found", {"parent": 0}),
        (None, 9, "please don't sideload random APKs for a thermostat app lol", "none", "L", "0", "side chat"),
        ("LumoraSupport", 52, "Hi all, we're aware of this and really sorry. Your schedules are stored in your account and have not been deleted; 5.2.0 fails to sync them to the Halo. A fix is in testing now. For now please set a manual hold on the device itself. We'll update this thread.", "none", "L", "0", "own account reply", {"parent": 0}),
        (None, 11, "Appreciate the update. Any chance of an ETA? It's going to be 20F here tonight.", "eng", "M", "-", "asks ETA; cold"),
        ("LumoraSupport", 18, "We're aiming for tomorrow morning US time. I'll post here as soon as it's live.", "none", "L", "0", "own account reply"),
        (None, 96, "My elderly neighbor has one of these and has no idea how to set a manual hold. Went over and did it for her. If you know someone with a Halo who isn't techy, check on them tonight.", "eng", "H", "0", "vulnerable third party without heat", {"parent": 0}),
        ("dan", 120, "HVAC tech here. Every smart thermostat has a manual override at the unit. If yours is stuck in away, hold the dial for 5 seconds. Don't touch the wiring.", "none", "L", "0", "helpful advice from user", {"parent": 0}),
        ("LumoraSupport", 1150, "5.2.1 is rolling out now on iOS and Android. After updating go to Halo > Schedule > Restore. Thanks for your patience, everyone.", "none", "L", "0", "own account reply", {"parent": 0}),
        (None, 40, "Restore worked, both units back to normal. Thanks for keeping us posted here.", "eng", "L", "+", "resolved"),
        (None, 22, "Restore button is greyed out for me. 5.2.1 on iOS.", "eng", "M", "-", "hotfix not working", {"parent": 9}),
        source="reddit", title="5.2.0 update wiped my Halo schedule?", day=13, at="13:52",
    ),
    *thread(
        ("Noticed a burning smell in the hallway last night. The Halo was still working but the back plate was too hot to touch and the paint behind it has gone brown. Breaker is off now. Opened a ticket, no response yet. {img}", "pr", "H", "-", "thermostat overheating, wall discoloured; safety", {"heat": 8.0}),
        (None, 20, "That's not normal. Could be wiring on your side too, but either way get an electrician to look before you turn it back on.", "none", "L", "0", "advice"),
        (None, 35, "Please report this to the CPSC (saferproducts.gov) as well as to Lumora. If it's a pattern they need to know.", "pr", "H", "0", "urges regulator report", {"parent": 0}),
        ("dan", 61, "Check whether there's a C-wire adapter involved. I've seen two of those third party adapters cook themselves. Not saying it isn't the Halo, just check.", "none", "L", "0", "advice from HVAC regular", {"parent": 0}),
        ("LumoraSupport", 140, "Hi, we're very sorry. This is not normal and we take it seriously. Please leave the breaker off. We've sent you a chat message to arrange collection of the unit for investigation and a replacement.", "none", "L", "0", "own account reply", {"parent": 0}),
        ("op", 45, "Thanks, got the chat. A replacement is fine but I want to know what happened before I put another one on my wall.", "pr", "M", "-", "safety follow-up; being handled"),
        source="reddit", title="PSA: my Halo's back plate got hot enough to discolor the wall [pics]", day=11, at="15:03",
    ),
    *thread(
        ("Replacing an old dial thermostat in a 1960s house, I do have a C wire. Mostly care about a decent app and not needing a subscription. Which one would you pick?", "sales", "L", "0", "comparing before purchase"),
        (None, 25, "Had a Brightnest for 3 years. The app is ugly but it has never lost a schedule.", "none", "L", "+", "user opinion", {"parent": 0, "brand": "Brightnest"}),
        (None, 40, "Halo is the nicest hardware of the three. App has had some rough updates though.", "none", "L", "0", "user opinion", {"parent": 0}),
        (None, 63, "Hearthly if you already have their speakers, otherwise skip.", "none", "L", "0", "user opinion", {"parent": 0, "brand": "Hearthly"}),
        ("op", 180, "Thanks all, leaning Halo since it's on sale this week.", "sales", "L", "+", "leaning to buy", {"parent": 0}),
        source="reddit", sub="smarthome", title="Lumora Halo vs Brightnest vs Hearthly Thermo, which one in 2026?", day=10, at="17:20",
    ),
    *thread(
        ("Tried 5 times over two days. Not in spam. Support chat says 'an agent will be with you shortly' and then nothing. My doorbell is on that account so I basically can't see my camera.", "it", "M", "-", "cannot reset password"),
        (None, 30, "Try the reset from the website instead of the app, the app one has been broken for me since September.", "it", "L", "0", "workaround from user", {"parent": 0}),
        (None, 48, "Same issue on gmail. Worked after I added their no-reply address to my contacts, weirdly.", "it", "L", "0", "workaround from user", {"parent": 0}),
        ("LumoraSupport", 75, "Sorry about this! Some reset emails to a few providers were delayed this week. I've sent you a DM so we can verify you and reset it manually.", "none", "L", "0", "own account reply", {"parent": 0}),
        ("op", 90, "Got in. Thanks u/LumoraSupport, that was quick once it got to a human.", "it", "L", "+", "resolved"),
        source="reddit", title="Can't log in to Lumora account, reset email never arrives", day=12, at="16:44",
    ),
    *thread(
        ("Ordered a Pulse Max on Oct 30 with standard shipping. Still 'processing', no tracking. Emailed twice. Is Lumora always this slow or did something go wrong?", "cs", "M", "-", "order stuck in processing"),
        (None, 22, "Mine took 12 days to ship in the last sale, then arrived in 2. Their warehouse just seems slammed.", "none", "L", "0", "user experience"),
        (None, 41, "Call instead of email. The email queue is a black hole.", "none", "L", "-", "advice", {"parent": 0}),
        ("LumoraSupport", 95, "Hi! Sorry for the wait. Orders from the early sale are shipping about a week behind. I've DMed you for your order number so I can check yours.", "none", "L", "0", "own account reply", {"parent": 0}),
        source="reddit", title="Order 'processing' for 10 days, is this normal?", day=9, at="18:30",
    ),
    *thread(
        ("Would love to pair a Mini with the Max in the living room as a stereo pair. Right now the app just greys it out.", "eng", "L", "0", "feature request"),
        (None, 50, "+1, weird that it isn't possible. Hearthly lets you mix sizes.", "eng", "L", "0", "supports feature request"),
        (None, 75, "Pretty sure it's a hardware limitation, different drivers. Would still be nice.", "none", "L", "0", "side chat", {"parent": 0}),
        source="reddit", title="Feature request: let Pulse Mini stereo pair with the Pulse Max", day=12, at="20:10",
    ),
    *thread(
        ("Section 4.2 of the Nov 1 update says recordings may be used to 'develop and improve features including machine learning models'. Am I reading this right? My Sentry points at the front path where my kids play. Not ok with this.", "pr", "H", "-", "public privacy/ethics attack", {"heat": 6.0}),
        (None, 18, "Opt-out is under Account > Privacy > Improve Lumora. It's on by default, which is the problem.", "none", "L", "0", "user tip", {"parent": 0}),
        (None, 27, "This is how every company does it now, sadly. On by default is still shady.", "none", "L", "-", "side chat", {"parent": 0}),
        (None, 44, "Returning mine. Posted this in r/privacy too, people are not happy.", "pr", "H", "-", "returning; spreading to other community", {"parent": 0}),
        ("LumoraSupport", 130, "We've passed this thread to our privacy team and will post a clear answer here. Thanks for raising it.", "none", "L", "0", "own account reply", {"parent": 0}),
        source="reddit", title="Lumora's new privacy policy lets them use Sentry clips for 'AI training'?", day=11, at="13:12",
    ),
    *thread(
        ("Just saw it on the site, $120 off. Not sure if it'll drop further on the actual day.", "sales", "L", "+", "deal share", {"author": "dealhunter"}),
        (None, 35, "Is this the Sentry 2 or the original?", "sales", "L", "0", "product question", {"parent": 0}),
        ("op", 10, "Original. Sentry 2 is only 15% off.", "sales", "L", "0", "answer"),
        (None, 70, "After yesterday's update mess I'm not buying another Lumora device until they prove they can test things.", "eng", "L", "-", "reluctant after incident", {"parent": 0}),
        source="reddit", title="Black Friday early deals are live: Halo + Sentry bundle $279", day=14, at="15:05",
    ),
    *thread(
        ("Started a return on day 12, label link says expired. Policy says 30 days. Anyone else?", "cs", "M", "-", "return label expired"),
        ("LumoraSupport", 64, "That's a bug on our side, sorry! DM me your order number and I'll send a fresh label.", "none", "L", "0", "own account reply"),
        ("op", 12, "Done, thanks.", "cs", "L", "+", "resolved"),
        source="reddit", title="Return label says expired after 12 days?", day=15, at="17:25",
    ),
    *thread(
        ("Finally finished. Cable management took longer than the install lol {img}", "none", "L", "+", "setup showcase"),
        (None, 33, "Clean! Where'd you get the shelf mounts?", "none", "L", "+", "side chat"),
        (None, 58, "Looks great. How's the Sentry with the sun hitting it directly?", "none", "L", "0", "side chat", {"parent": 0}),
        ("op", 25, "Bit washed out around noon but fine otherwise.", "none", "L", "0", "side chat"),
        source="reddit", title="My setup: 3 Pulse Minis, a Halo and a Sentry", day=10, at="20:40",
    ),
    *thread(
        ("After last night's hub update every Zigbee device shows 'unreachable'. 23 devices. Re-pairing one by one is not how I wanted to spend my Thursday.", "eng", "M", "-", "hub update broke devices", {"brand": "Hearthly"}),
        (None, 45, "Same. Rolled back from the web console, everything came back.", "eng", "L", "0", "workaround", {"brand": "Hearthly"}),
        (None, 90, "This is why I keep everything local. Cloud hubs are a liability.", "none", "L", "0", "side chat", {"brand": "Hearthly", "parent": 0}),
        source="reddit", sub="smarthome", title="Hearthly hub dropped all my Zigbee devices after the update", day=12, at="15:55", brand="Hearthly",
    ),
    *thread(
        ("Shoutout to the tech who installed our Halo and Sentry. Explained everything, cleaned up after himself, even fixed a loose wire on our old doorbell transformer.", "cs", "L", "+", "praise for installer"),
        ("LumoraSupport", 180, "Thank you for sharing this! We'll pass it on to the team 😊", "none", "L", "0", "own account reply"),
        source="reddit", title="Lumora Pro Install was great", day=9, at="21:15",
    ),
    *thread(
        ("Pipes froze in the basement Friday night because the heat never came back on after the update. Plumber was $640. I'm not letting this go.", "pr", "H", "-", "property damage; legal action", {"heat": 5.0}),
        (None, 30, "Check your homeowners insurance first. Class actions take years and you'd get $4.", "none", "L", "0", "advice", {"parent": 0}),
        (None, 55, "Same thing happened to a friend in Minnesota, burst pipe. Lumora should be covering these.", "pr", "H", "-", "second property-damage report", {"parent": 0}),
        ("LumoraSupport", 140, "We're really sorry. Please DM us the plumber's invoice; we're reviewing damage claims from Friday's issue case by case.", "none", "L", "0", "own account reply", {"parent": 0}),
        source="reddit", title="Is anyone organizing a class action over the 5.2 thermostat fiasco?", day=15, at="14:20",
    ),
    *thread(
        ("Tried Chrome and Safari, two cards and PayPal. Cart is $312 and I'd really like to check out before the code expires.", "it", "M", "-", "checkout error"),
        (None, 20, "Same from the UK store. Worked about 20 minutes later.", "it", "L", "0", "same issue, recovered", {"parent": 0}),
        ("op", 50, "Went through on the 4th try. Got charged twice though, so now that's a fun email to write.", "cs", "M", "-", "double charge after retries"),
        source="reddit", title="Checkout broken? 'Something went wrong' at the payment step", day=11, at="19:35",
    ),
    *thread(
        ("Used to get about 3 weeks per charge. Since 3.8 it drops about 30% a day. Nothing else changed.", "eng", "M", "-", "battery drain after firmware"),
        (None, 40, "Turn off 'pre-roll', it keeps the sensor awake. Went from 30%/day to about 6% for me.", "none", "L", "0", "user tip"),
        ("op", 300, "That did it, thanks!", "eng", "L", "+", "resolved"),
        source="reddit", title="Sentry battery dropping 30% a day since firmware 3.8", day=10, at="14:02",
    ),
    *thread(
        ("Bought it last December from the Lumora store, have the receipt. Support says the warranty starts from the 'manufacture date' and it's expired. That can't be right?", "cs", "M", "-", "warranty wrongly refused"),
        (None, 28, "That's not how warranty works anywhere I know of. Ask for a supervisor and quote the purchase date.", "none", "L", "0", "advice", {"parent": 0}),
        (None, 51, "Had the same thing. They fixed it when I sent a photo of the receipt in chat instead of by email.", "none", "L", "0", "user experience", {"parent": 0}),
        ("LumoraSupport", 88, "That's not right, sorry! Warranty runs from the purchase date. DM me your order number and I'll correct it on your ticket.", "none", "L", "0", "own account reply", {"parent": 0}),
        ("op", 140, "Sorted, replacement is on the way. Thanks.", "cs", "L", "+", "resolved"),
        source="reddit", title="Lumora says my doorbell is out of warranty, it's 11 months old", day=12, at="18:05",
    ),
    *thread(
        ("Opened my order and there's a used Pulse in there, it still shows someone else's wifi name when I set it up. Mine is nowhere. lol?", "cs", "M", "0", "wrong, used item shipped"),
        (None, 19, "lmao the warehouse is clearly sending returns out as new", "none", "L", "-", "side chat"),
        ("LumoraSupport", 70, "Yikes, sorry! Please don't set it up any further. DM me and we'll send a prepaid label plus a new sealed unit today.", "none", "L", "0", "own account reply", {"parent": 0}),
        source="reddit", title="Got someone else's used Pulse in my order", day=13, at="01:40",
    ),
    *rows([
        ("Deleted my account in September after moving. Just got charged $59.99 for the yearly renewal. How do I even contact them without an account?", "cs", "M", "-", "billed after account deletion", {"title": "Lumora charged me for Lumora Plus after I deleted my account?", "day": 10}),
        ("Returned a Pulse 10 days ago, refund still says 'pending'. Trying to figure out if that's normal.", "cs", "L", "0", "refund timing question", {"title": "How long did your Lumora refund take?", "day": 11}),
        ("Box was opened and the seal broken when the neighbor brought it over. Is it safe to install or should I ask Lumora for a new one?", "cs", "M", "0", "misdelivered, opened box", {"title": "Driver left my Halo at the wrong house, neighbor returned it opened", "day": 9}),
        ("Bought a Pulse Max last week, it dropped $30 for the early sale. Chatted with support and they refunded the difference in 5 minutes. Worth asking.", "cs", "L", "+", "tip; price adjustment", {"title": "PSA: Lumora will price adjust within 14 days if you ask", "day": 14}),
        ("Ordered a Halo and a Sentry separately, both emails show the same tracking number and only one box came.", "cs", "M", "-", "one of two orders missing", {"title": "Two Lumora orders, one tracking number?", "day": 15}),
        ("Have a Brightnest thermostat and cam, both about 4 years old. Considering moving everything to Lumora. Anything I should know before I do?", "sales", "L", "0", "considering switching", {"title": "Thinking about switching from Brightnest to Lumora", "sub": "smarthome", "day": 9}),
        ("Took 5 weeks and three chats but the replacement finally showed up. Works fine. Just wish it hadn't taken that long.", "cs", "L", "-", "resolved but slow", {"title": "Lumora support finally replaced my dead Pulse Mini", "day": 10}),
        ("Barely audible from upstairs now. Volume is maxed in the app.", "eng", "L", "-", "quiet chime after firmware", {"title": "Anyone else's Sentry chime super quiet after the new firmware?", "day": 11}),
        ("Got the email today. $3.99 to $5.99 a month. For 30 days of clips. Is anyone keeping it?", "sales", "L", "-", "price increase discussion", {"title": "Lumora Plus going from $3.99 to $5.99, is it worth it?", "day": 12}),
        ("Considering one for a cabin that has spotty internet. Does the schedule run locally or does it need the cloud?", "sales", "L", "0", "pre-purchase question", {"title": "[Question] Can the Halo run without wifi?", "day": 15}),
        ("Unopened Pulse, receipt in hand, 9 days after purchase. Staff said pop-up purchases are 'final sale' which is not what the receipt says.", "cs", "M", "-", "return refused in store", {"title": "Lumora pop-up refused to take back an unopened item", "day": 14}),
        ("Selling the house next month. What's the right way to hand the Halo and Sentry over to the buyers?", "cs", "L", "0", "transfer devices question", {"title": "Moving house: how do I transfer my Halo to the new owner?", "day": 14}),
        ("100% working, got mine yesterday, just verify your account at the link in my profile 💸💸", "none", "L", "0", "spam", {"title": "FREE Lumora gift cards, legit, inside", "author": "spam_reddit", "day": 12}),
        ("Every critical post about the update yesterday got removed within an hour. Are the mods here Lumora employees? Genuine question.", "pr", "M", "-", "accuses brand of censoring criticism", {"title": "Are r/Lumora mods Lumora employees?", "day": 14}),
        ("Mine finally arrived after the hotfix drama, set it up in 10 minutes. Really like it so far.", "cs", "L", "+", "happy new owner", {"title": "New Halo 2 owner, first impressions", "day": 15}),
    ], source="reddit"),
]

# fmt: on

ALL_SPECS: list[Spec] = [
    *X_CUSTOMER_SERVICE,
    *X_ENGINEERING,
    *X_SPIKE,
    *X_IT,
    *X_SALES,
    *X_PR,
    *X_NONE,
    *X_JAPANESE,
    *X_OTHER_LANGUAGES,
    *X_THREADS,
    *REDDIT,
]


# --------------------------------------------------------------------------------------------------
# Pools for everyone who is not named above (all invented)

# fmt: off
EN_FIRST = ("Maya", "Jordan", "Priya", "Marcus", "Elena", "Tobias", "Hannah", "Dev", "Rosa", "Caleb", "Imani", "Owen",
            "Lena", "Andre", "Sofia", "Grant", "Nadia", "Felix", "Tanya", "Miguel", "Clara", "Isaac", "Amara", "Reid",
            "Bea", "Kofi", "Jess", "Noah", "Fiona", "Luis", "Wren", "Hugo", "Zara", "Ellis", "Mina", "Cole", "Ines",
            "Theo", "Dara", "Sam", "Ruth", "Yusuf", "Gemma", "Abe", "Leah", "Ravi", "Tess", "Jonas", "Kira", "Miles")
EN_LAST = ("Okafor", "Brennan", "Vasquez", "Holloway", "Sato", "Lindgren", "Mercer", "Ashby", "Quinlan", "Delacroix",
           "Fairbanks", "Nwosu", "Castellano", "Pryce", "Whitlock", "Haddad", "Morrow", "Petrov", "Calloway", "Ibarra",
           "Thorne", "Kowal", "Renner", "Bakshi", "Ellery", "Santoro", "Vance", "Oduya", "Hartigan", "Moreau")
EN_WORDS = ("coffee", "rainy", "sleepy", "pixel", "garden", "tiny", "night", "quiet", "lofi", "maple", "retro", "ok",
            "cozy", "north", "salty", "chaos", "bookish", "spicy", "late", "wired")
EN_NOUNS = ("fern", "otter", "toast", "moth", "bagel", "comet", "pigeon", "waffle", "lantern", "pebble", "goose")
JA_PEOPLE = (("ゆき", "yuki"), ("たなか", "tanaka"), ("さとう@在宅勤務", "sato_wfh"), ("まる🐈", "maru_neko"), ("ハル", "haru"),
             ("こーへい", "kohei"), ("みさき☕", "misaki_cafe"), ("りょう|ガジェット好き", "ryo_gadget"), ("ねこまる", "nekomaru"),
             ("ぽんず", "ponzu"), ("あおい", "aoi"), ("しゅん@自作PC", "shun_jisaku"), ("なつ", "natsu"), ("けい", "kei"),
             ("もも🍑", "momo"), ("たける", "takeru"), ("さくら", "sakura"), ("ゆうた", "yuta"), ("えり", "eri"), ("こたつ", "kotatsu"))
EU_PEOPLE = {
    "es": (("Lucía", "Ferrer"), ("Diego", "Salas"), ("Martina", "Ruiz"), ("Javier", "Ortega")),
    "de": (("Jonas", "Reuter"), ("Lea", "Brandt"), ("Matthias", "Kuhn")),
    "fr": (("Camille", "Roux"), ("Théo", "Marchand"), ("Manon", "Girard")),
}
REDDIT_ADJ = ("Quiet", "Brave", "Lucky", "Salty", "Sleepy", "Rough", "Gentle", "Clever", "Fuzzy", "Honest", "Dizzy",
              "Polite", "Nervous", "Plastic", "Cosmic", "Frosty")
REDDIT_NOUN = ("Otter", "Falcon", "Toaster", "Walrus", "Pancake", "Badger", "Lamp", "Heron", "Radiator", "Cactus",
               "Beaver", "Kettle", "Moose", "Lobster")
REDDIT_CUSTOM = ("thermo_nerd", "ducttapeandhope", "midwest_homeowner", "wifi_whisperer", "throwaway_halo", "cold_feet",
                 "not_an_electrician", "furnace_friend", "raspberrypi_guy", "houseplant_hoarder", "DIY_dad", "zigbee_zealot",
                 "crockpot_carl", "basement_dweller", "sparky_apprentice", "renter_rants", "lurker_no_more", "sadcoffeecup",
                 "bikeshed_builder", "pnw_drizzle", "grumpy_landlord", "mildly_caffeinated", "fixit_felicity", "oldhouse_owner",
                 "three_cats_in_a_coat", "procrastinator_prime", "hvac_curious", "midnight_snacker")
# fmt: on


class People:
    """Draws new, unique, invented authors from the pools with the shared random generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.handles: set[str] = {p.handle.lower() for p in PEOPLE.values()}

    def _unique(self, make: Any) -> str:
        while True:
            handle = make()
            if handle.lower() not in self.handles:
                self.handles.add(handle.lower())
                return handle

    def _followers(self) -> int:
        roll = self.rng.random()
        if roll < 0.80:
            low, high = 10, 2_000
        elif roll < 0.92:
            low, high = 2_000, 10_000
        else:
            low, high = 10_000, 100_000
        return int(math.exp(self.rng.uniform(math.log(low), math.log(high))))

    def _x_id(self) -> str:
        if self.rng.random() < 0.35:
            return str(self.rng.randrange(10**7, 5 * 10**9))
        return str(self.rng.randrange(10**18, 2 * 10**18))

    def _en_handle(self, first: str, last: str) -> str:
        rng = self.rng
        pattern = rng.randrange(6)
        if pattern == 0:
            return f"{first}{last}".lower()
        if pattern == 1:
            return f"{first.lower()}_{last[0].lower()}{rng.randrange(1, 99)}"
        if pattern == 2:
            return f"{first.lower()}{rng.randrange(80, 2005)}"
        if pattern == 3:
            return f"{rng.choice(EN_WORDS)}{first.lower()}"
        if pattern == 4:
            return f"{rng.choice(EN_WORDS)}_{rng.choice(EN_NOUNS)}{rng.randrange(1, 99)}"
        return f"{first}{last[:3]}"

    def new(self, source: str, lang: str) -> Person:
        rng = self.rng
        if source == "reddit":

            def reddit_name() -> str:
                if rng.random() < 0.5:
                    return f"{rng.choice(REDDIT_ADJ)}_{rng.choice(REDDIT_NOUN)}_{rng.randrange(1000, 9999)}"
                return f"{rng.choice(REDDIT_CUSTOM)}{rng.choice(('', '_', '-'))}{rng.randrange(2, 99)}"

            handle = self._unique(reddit_name)
            uid = "t2_" + "".join(rng.choice(string.ascii_lowercase + string.digits) for _ in range(8))
            return Person(uid, handle, handle, None, False, "reddit")
        if lang == "ja":
            display, base = rng.choice(JA_PEOPLE)
            handle = self._unique(lambda: f"{base}{rng.choice(('_', ''))}{rng.randrange(1, 9999):02d}"[:15])
            name = display
        elif lang in EU_PEOPLE:
            first, last = rng.choice(EU_PEOPLE[lang])
            handle = self._unique(
                lambda: f"{first.lower()}{last.lower()}{rng.randrange(1, 99)}"[:15].replace("é", "e").replace("í", "i")
            )
            name = f"{first} {last}"
        else:
            first, last = rng.choice(EN_FIRST), rng.choice(EN_LAST)
            handle = self._unique(lambda: self._en_handle(first, last)[:15])
            name = rng.choice(
                (
                    f"{first} {last}",
                    f"{first} {last}",
                    first.lower(),
                    f"{first} ✨",
                    f"{first} {last}",
                    f"{first} | coffee first",
                    f"{first} 🏡",
                    f"{first} {last[0]}.",
                )
            )
        verified = rng.random() < 0.04
        return Person(self._x_id(), handle, name, self._followers(), verified, "x")


# --------------------------------------------------------------------------------------------------
# The generator


@dataclass
class Item:
    spec: Spec
    person: Person
    created_at: datetime
    order: int
    source_id: str = ""
    parent: Item | None = None
    root: Item | None = None
    children: list[Item] = field(default_factory=list)
    text: str = ""


def _hhmm(day: int, hhmm: str) -> datetime:
    hour, minute = (int(x) for x in hhmm.split(":"))
    return datetime(YEAR, MONTH, day, hour, minute, tzinfo=UTC)


def _random_time(rng: random.Random, spec: Spec) -> datetime:
    if spec.window is not None:
        day, start, end = spec.window
        lo, hi = _hhmm(day, start).timestamp(), _hhmm(day, end).timestamp()
        ts = rng.triangular(lo, hi, lo + (hi - lo) * 0.25)
        return datetime.fromtimestamp(int(ts), tz=UTC)
    if spec.at is not None and spec.day is not None:
        return _hhmm(spec.day, spec.at) + timedelta(seconds=rng.randrange(60))
    days = list(DAY_WEIGHTS)
    day = spec.day if spec.day is not None else rng.choices(days, weights=[DAY_WEIGHTS[d] for d in days])[0]
    weights = HOUR_WEIGHTS["ja" if spec.lang == "ja" else "en" if spec.lang == "en" else "eu"]
    hour = rng.choices(range(24), weights=weights)[0]
    start = datetime(YEAR, MONTH, day, hour, tzinfo=UTC)
    return start + timedelta(seconds=rng.randrange(3600))


def _person(spec: Spec, people: People, thread_op: Person | None) -> Person:
    if spec.author == "op":
        assert thread_op is not None
        return thread_op
    if spec.author is not None:
        person = PEOPLE[spec.author]
        if person.source != spec.source:
            raise ValueError(f"{spec.author} is a {person.source} account, not {spec.source}: {spec.text[:40]!r}")
        return person
    return people.new(spec.source, spec.lang)


def _place(rng: random.Random, people: People) -> list[Item]:
    """Give every spec an author and a time, in the order the data is written."""
    items: list[Item] = []
    by_thread: dict[int, list[Item]] = {}
    for order, spec in enumerate(ALL_SPECS):
        if spec.thread is None or spec.index == 0:
            person = _person(spec, people, None)
            created = _random_time(rng, spec)
            item = Item(spec, person, created, order)
            if spec.thread is not None:
                by_thread[spec.thread] = [item]
                item.root = item
        else:
            siblings = by_thread[spec.thread]
            parent = siblings[spec.parent if spec.parent is not None else spec.index - 1]
            root = siblings[0]
            person = _person(spec, people, root.person)
            created = parent.created_at + timedelta(minutes=spec.after, seconds=rng.randrange(5, 60))
            item = Item(spec, person, created, order, parent=parent, root=root)
            parent.children.append(item)
            siblings.append(item)
        if not WINDOW_START <= item.created_at < WINDOW_END:
            raise ValueError(f"outside the window: {item.created_at} {spec.text[:40]!r}")
        items.append(item)
    return items


def _assign_ids(rng: random.Random, items: list[Item]) -> None:
    last_tweet = 0
    last_sub = REDDIT_SUBMISSION_BASE
    last_comment = REDDIT_COMMENT_BASE
    for item in items:  # sorted by time: ids grow with time, like the platforms'
        seconds = int((item.created_at - WINDOW_START).total_seconds())
        if item.spec.source == "x":
            ms = int(item.created_at.timestamp() * 1000) + rng.randrange(1000)
            snowflake = max(((ms - TWITTER_EPOCH_MS) << 22) | rng.getrandbits(22), last_tweet + 1)
            item.source_id = str(snowflake)
            last_tweet = snowflake
        elif item.parent is None:
            last_sub = max(REDDIT_SUBMISSION_BASE + seconds * 9 + rng.randrange(9), last_sub + 1)
            item.source_id = "t3_" + _base36(last_sub)
        else:
            last_comment = max(REDDIT_COMMENT_BASE + seconds * 70 + rng.randrange(70), last_comment + 1)
            item.source_id = "t1_" + _base36(last_comment)


def _base36(number: int) -> str:
    digits = string.digits + string.ascii_lowercase
    out = ""
    while number:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
    return out or "0"


def _slug(title: str) -> str:
    words = re.findall(r"[a-z0-9]+", title.lower())
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > 50:
            break
        slug = f"{slug}_{word}" if slug else word
    return slug


def _first_name(person: Person) -> str:
    name = (person.name or person.handle).replace("|", " ").split()[0].rstrip(".")
    return name.capitalize() if name.islower() else name


def _render_text(rng: random.Random, item: Item) -> str:
    text = item.spec.text
    if item.parent is not None and item.spec.source == "x":
        text = text.replace("{to}", "@" + item.parent.person.handle).replace("{first}", _first_name(item.parent.person))
    if "{to}" in text or "{first}" in text:
        raise ValueError(f"{{to}}/{{first}} outside an X reply: {text[:40]!r}")
    alphabet = string.ascii_letters + string.digits
    text = re.sub(r"\{link\}", lambda _m: "https://t.co/" + "".join(rng.choice(alphabet) for _ in range(10)), text)
    text = re.sub(
        r"\{img\}",
        lambda _m: (
            "https://i.redd.it/"
            + "".join(rng.choice(string.ascii_lowercase + string.digits) for _ in range(13))
            + ".jpeg"
        ),
        text,
    )
    if item.spec.source == "reddit" and item.parent is None:
        title = item.spec.title or text[:80]
        text = f"{title}\n\n{text}"
    return text


def _rules(item: Item) -> tuple[str, ...]:
    spec, text = item.spec, item.text
    rules = []
    if re.search(r"lumora|ルモーラ", text, re.IGNORECASE):
        rules.append("lumora-brand")
    if spec.source == "reddit" and (item.root or item).spec.sub == "Lumora":
        rules.append("lumora-subreddit")
    if re.search(r"pulse (mini|max)|halo (2|thermostat)|sentry (2|doorbell)|sentryのドアベル", text, re.IGNORECASE):
        rules.append("lumora-products")
    if item.person.handle in OWN_ACCOUNTS:
        rules.append("lumora-accounts")
    if re.search(r"brightnest|hearthly", text, re.IGNORECASE) or item.person.handle in COMPETITOR_ACCOUNTS:
        rules.append("competitors")
    if not rules and item.parent is not None:
        rules.append("tracked-conversation")
    if not rules:
        raise ValueError(f"no rule would match: {text[:60]!r}")
    return tuple(rules)


def _metrics(rng: random.Random, item: Item) -> Metrics:
    spec = item.spec
    heat = spec.heat if spec.heat is not None else {"high": 2.0, "medium": 1.0, "low": 0.8}[spec.risk]
    direct = len(item.children)
    if spec.source == "reddit":
        median = 14 if item.parent is None else 4
        score = max(0, int(math.exp(rng.gauss(math.log(median), 0.9)) * heat) - rng.randrange(3))
        if item.parent is None:
            total = _descendants(item)
            score += total * rng.randrange(1, 5)
            return Metrics(likes=score, replies=total + rng.randrange(0, 6 + int(heat * 4)))
        return Metrics(likes=score, replies=direct + (rng.randrange(2) if rng.random() < 0.2 else 0))
    followers = item.person.followers or 0
    brand_reply = (
        item.parent is not None
        and item.person.handle in OWN_ACCOUNTS | COMPETITOR_ACCOUNTS
        and item.parent.person != item.person
    )
    if brand_reply:
        heat = 0.05
    # likes from the author's own reach (a few per mille of followers), plus, for posts that spread,
    # likes from strangers that do not depend on the author's follower count
    rate = min(math.exp(rng.gauss(math.log(0.004), 0.8)), 0.03)
    likes = int(followers * rate * heat) + rng.choice((0, 0, 0, 1, 1, 2))
    if heat >= 5:
        likes += int(math.exp(rng.gauss(math.log(heat * 8), 0.6)))
    if brand_reply:
        likes = min(likes, rng.randrange(0, 12))
    reposts = int(likes * rng.uniform(0.04, 0.25) * (2.0 if heat >= 5 else 1.0))
    replies = direct + int(likes * rng.uniform(0.03, 0.2))
    quotes = int(reposts * rng.uniform(0.0, 0.35))
    return Metrics(likes=likes, reposts=reposts, replies=replies, quotes=quotes)


def _descendants(item: Item) -> int:
    return sum(1 + _descendants(child) for child in item.children)


def _url(item: Item) -> str:
    if item.spec.source == "x":
        return f"https://x.com/{item.person.handle}/status/{item.source_id}"
    root = item.root or item
    base = f"https://www.reddit.com/r/{root.spec.sub}/comments/{root.source_id[3:]}/{_slug(root.spec.title or '')}/"
    return base if item.parent is None else f"{base}{item.source_id[3:]}/"


def _mention(rng: random.Random, item: Item) -> Mention:
    spec, person = item.spec, item.person
    root = item.root or item
    conversation = f"{spec.source}:{root.source_id}"  # a mention id, like in_reply_to
    lag = rng.randrange(3, 240) if spec.source == "x" else rng.randrange(20, 900)
    return Mention(
        id=f"{spec.source}:{item.source_id}",
        source=spec.source,
        source_id=item.source_id,
        url=_url(item),
        text=item.text,
        created_at=item.created_at,
        collected_at=item.created_at + timedelta(seconds=lag),
        author=Author(
            id=person.id,
            handle=person.handle,
            name=person.name,
            followers=person.followers,
            verified=person.verified,
        ),
        metrics=_metrics(rng, item),
        conversation_id=conversation,
        in_reply_to=None if item.parent is None else f"{spec.source}:{item.parent.source_id}",
        brand=spec.brand,
        matched_rules=_rules(item),
        lang=spec.lang if spec.source == "x" else None,
    )


def build() -> dict[str, bytes]:
    """Both sample files, as bytes, from the fixed seed."""
    rng = random.Random(SEED)
    people = People(rng)
    items = _place(rng, people)
    items.sort(key=lambda it: (it.created_at, it.order))
    _assign_ids(rng, items)
    mentions_out = io.StringIO()
    labels_out = io.StringIO()
    writer = csv.writer(labels_out, lineterminator="\n")
    writer.writerow(LABEL_COLUMNS)
    for item in items:
        item.text = _render_text(rng, item)
        mention = _mention(rng, item)
        line = encode_event(mention)
        if decode_event(Mention, line) != mention:
            raise ValueError(f"{mention.id} does not survive a JSON round trip")
        mentions_out.write(line.decode("utf-8") + "\n")
        spec = item.spec
        writer.writerow((mention.id, spec.department, spec.risk, spec.sentiment, spec.note))
    return {
        MENTIONS_FILE: mentions_out.getvalue().encode("utf-8"),
        LABELS_FILE: labels_out.getvalue().encode("utf-8"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="compare with the shipped files instead of writing")
    args = parser.parse_args(argv)
    files = build()
    if args.check:
        stale = [name for name, data in files.items() if (SAMPLE_DIR / name).read_bytes() != data]
        for name in stale:
            print(f"{SAMPLE_DIR / name} is out of date: run scripts/make_sample.py", file=sys.stderr)
        return 1 if stale else 0
    SAMPLE_DIR.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (SAMPLE_DIR / name).write_bytes(data)
        lines = data.count(b"\n")
        print(f"wrote {SAMPLE_DIR / name} ({lines} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
