"""The daily marketing digest: one day of each brand against the week before, as a standalone HTML page
with its charts drawn in (SVG), written to a folder and optionally e-mailed.

Pure parts first (:func:`build_digest`, :func:`render_digest`), I/O at the edges (:func:`write_digest`,
:func:`mail_digest`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy import Engine

from dashboards.charts import Chart, stacked_bars
from dashboards.search.port import SearchIndex, TrendFilter
from dashboards.trends import spikes_in
from socialcare.errors import ConfigError
from socialcare.settings import Settings
from triage.notify import SmtpMailer

HISTORY_DAYS = 14
TOP = 10


@dataclass
class BrandDay:
    brand: str
    mentions: int
    week_average: float
    positive: int
    neutral: int
    negative: int
    hashtags: list[tuple[str, int]]
    terms: list[tuple[str, int]]
    volume_chart: Chart
    sentiment_chart: Chart

    @property
    def change_percent(self) -> float | None:
        return None if not self.week_average else 100.0 * (self.mentions - self.week_average) / self.week_average


@dataclass
class Digest:
    day: date
    generated_at: datetime
    brands: list[BrandDay] = field(default_factory=list)
    share: list[tuple[str, int, float]] = field(default_factory=list)
    spikes: list[dict[str, Any]] = field(default_factory=list)


def build_digest(index: SearchIndex, engine: Engine, day: date, now: datetime | None = None) -> Digest:
    start = datetime.combine(day, time(), UTC)
    end = start + timedelta(days=1)
    history_start = start - timedelta(days=HISTORY_DAYS - 1)
    the_day = TrendFilter(start, end)
    share = index.share_of_voice(the_day)
    total = sum(share.values()) or 1
    digest = Digest(day, now or datetime.now(UTC), share=[(b, c, 100.0 * c / total) for b, c in share.items()])
    digest.spikes = spikes_in(engine, the_day)
    for brand in index.facets().brands:
        only = (brand,)
        history = {p.bucket.date(): p for p in index.volume(TrendFilter(history_start, end, only), "day")}
        days = [history_start.date() + timedelta(days=n) for n in range(HISTORY_DAYS)]
        today = history.get(day)
        week = [history[d].mentions if d in history else 0 for d in days[-8:-1]]
        labels = [d.strftime("%d %b") for d in days]
        digest.brands.append(
            BrandDay(
                brand=brand,
                mentions=today.mentions if today else 0,
                week_average=sum(week) / len(week) if week else 0.0,
                positive=today.positive if today else 0,
                neutral=today.neutral if today else 0,
                negative=today.negative if today else 0,
                hashtags=index.top_tokens(TrendFilter(start, end, only), "hashtag", TOP),
                terms=index.top_tokens(TrendFilter(start, end, only), "term", TOP),
                volume_chart=stacked_bars(
                    [
                        (label, [history[d].mentions if d in history else 0])
                        for label, d in zip(labels, days, strict=True)
                    ]
                ),
                sentiment_chart=stacked_bars(
                    [
                        (
                            label,
                            [history[d].positive, history[d].neutral, history[d].negative]
                            if d in history
                            else [0, 0, 0],
                        )
                        for label, d in zip(labels, days, strict=True)
                    ],
                    ("positive", "neutral", "negative"),
                ),
            )
        )
    digest.brands = [b for b in digest.brands if b.mentions or b.week_average]
    return digest


def render_digest(digest: Digest) -> str:
    env = Environment(loader=PackageLoader("dashboards", "templates"), autoescape=select_autoescape(["html"]))
    return env.get_template("digest.html").render(digest=digest)


def digest_folder(settings: Settings) -> Path:
    return settings.digest_dir or settings.var_dir / "digests"


def write_digest(html: str, folder: Path, day: date) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"digest-{day.isoformat()}.html"
    partial = path.with_suffix(".html.part")
    partial.write_text(html, encoding="utf-8")
    partial.replace(path)  # a reader never sees half a report
    return path


def digest_message(digest: Digest, html: str, sender: str, recipients: list[str]) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Subject"] = f"[socialcare] Daily digest {digest.day.isoformat()}"
    lines = [f"socialcare daily digest for {digest.day.isoformat()} (UTC)", ""]
    for brand in digest.brands:
        change = f"{brand.change_percent:+.0f} % vs the week" if brand.change_percent is not None else "new"
        lines.append(f"{brand.brand}: {brand.mentions} mentions ({change}), {brand.negative} negative")
    lines += ["", f"{len(digest.spikes)} spikes. The full report with charts is attached."]
    message.set_content("\n".join(lines))
    message.add_attachment(html, subtype="html", filename=f"digest-{digest.day.isoformat()}.html")
    return message


def mail_digest(settings: Settings, message: EmailMessage) -> None:
    if not settings.smtp_host:
        raise ConfigError("SOCIALCARE_SMTP_HOST is not set: the digest cannot be mailed (it is written to the folder)")
    SmtpMailer.from_settings(settings, settings.digest_email_to).send(message)
