"""The ``socialcare`` command. Commands are thin: they parse options, open a runtime, call the library."""

from __future__ import annotations

import json
import signal
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from responders.cli import replies_app, users_app
from socialcare import __version__
from socialcare.console import err, friendly_errors, out, setup_logging
from socialcare.console import load_settings as _load_settings
from socialcare.settings import Settings

app = typer.Typer(
    name="socialcare",
    help="Social listening and social customer care: collect, enrich, route and answer brand mentions.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
config_app = typer.Typer(help="Show the effective configuration.", no_args_is_help=True)
db_app = typer.Typer(help="Manage the SQL system of record.", no_args_is_help=True)
dlq_app = typer.Typer(help="Inspect dead-letter topics.", no_args_is_help=True)
brands_app = typer.Typer(help="Brand configuration: accounts, competitors, listening queries.", no_args_is_help=True)
app.add_typer(config_app, name="config")
app.add_typer(db_app, name="db")
app.add_typer(dlq_app, name="dlq")
app.add_typer(brands_app, name="brands")
cases_app = typer.Typer(help="Cases: a customer's history across sources.", no_args_is_help=True)
app.add_typer(cases_app, name="cases")
agents_app = typer.Typer(help="Care agents: skills, languages, hours and capacity.", no_args_is_help=True)
app.add_typer(agents_app, name="agents")
sla_app = typer.Typer(help="SLA clocks: cases near or past their targets.", no_args_is_help=True)
app.add_typer(sla_app, name="sla")
rules_app = typer.Typer(help="Routing policy: check a policy file, see what a change would do.", no_args_is_help=True)
app.add_typer(rules_app, name="rules")
trends_app = typer.Typer(help="Dashboards' flows: hourly rollups and the daily digest.", no_args_is_help=True)
app.add_typer(trends_app, name="trends")
collect_app = typer.Typer(help="Collect mentions from X, Reddit or a file into mentions.raw.", no_args_is_help=True)
app.add_typer(collect_app, name="collect")
app.add_typer(replies_app, name="replies")
app.add_typer(users_app, name="users")

T = TypeVar("T")


def stop_on_signals() -> Callable[[], bool]:
    """A ``should_stop`` flag raised by SIGINT or SIGTERM, so a worker finishes its batch and commits."""
    event = threading.Event()

    def handler(_signum: int, _frame: Any) -> None:
        event.set()

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)
    return event.is_set


def version_callback(value: bool) -> None:
    if value:
        out.print(f"socialcare {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=version_callback, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """Social listening and social customer care for X and Reddit."""


# config ------------------------------------------------------------------------------------------
@config_app.command("show")
def config_show(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Print the effective configuration (environment, .env, defaults) with every secret masked."""
    with friendly_errors():
        view = _load_settings().public_view()
    if as_json:
        out.print_json(json.dumps(view, default=str))
        return
    for name, value in view.items():
        out.print(f"{name:<28} {value}", highlight=False)


# db ----------------------------------------------------------------------------------------------
@db_app.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
) -> None:
    """Create or migrate the database schema (SOCIALCARE_DATABASE_URL; default SQLite under var/)."""
    from socialcare.settings import mask_url_password
    from socialcare.store import migrate
    from socialcare.store.db import make_engine

    with friendly_errors():
        settings = _load_settings()
        engine = make_engine(settings.effective_database_url)
        at = migrate.upgrade(engine, revision)
    out.print(f"database={mask_url_password(settings.effective_database_url)} revision={at}", highlight=False)


@db_app.command("current")
def db_current() -> None:
    """Print the database's schema revision and the one this code expects."""
    from socialcare.store import migrate
    from socialcare.store.db import make_engine

    with friendly_errors():
        engine = make_engine(_load_settings().effective_database_url)
        current = migrate.current_revision(engine)
    out.print(f"current={current or 'none'} head={migrate.head_revision()}", highlight=False)


@db_app.command("purge-originals")
def db_purge_originals(
    days: Annotated[
        int | None, typer.Option(min=0, help="Override SOCIALCARE_RETAIN_ORIGINAL_TEXT_DAYS for this run.")
    ] = None,
) -> None:
    """Replace the original text of mentions older than the retention period with the redacted copy.

    Run it daily (cron, a Kubernetes CronJob or a Prefect schedule); it is idempotent and resumable.
    """
    from enrich.pii import redactor
    from socialcare.runtime import open_engine
    from socialcare.store.retention import purge_original_text, retention_cutoff

    with friendly_errors():
        settings = _load_settings()
        keep = settings.retain_original_text_days if days is None else days
        cutoff = retention_cutoff(keep)
        engine = open_engine(settings)
        try:
            purged = purge_original_text(engine, cutoff, redactor(settings.pii_order_pattern))
        finally:
            engine.dispose()
    out.print(f"purged={purged} retain_days={keep} cutoff={cutoff.isoformat()}", highlight=False)


# broker ------------------------------------------------------------------------------------------
@app.command("broker")
def broker(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 9092,
) -> None:
    """Run a local Kafka-protocol broker (Tansu, in memory) until Ctrl-C: for tests and experiments."""
    from socialcare.broker import LocalBroker

    should_stop = stop_on_signals()  # before the start, so an early Ctrl-C still stops the broker
    with friendly_errors():
        local = LocalBroker(host, port).start()
    out.print(
        f"broker=tansu bootstrap={local.bootstrap} storage=memory\n"
        f"use it with:  export SOCIALCARE_KAFKA_BOOTSTRAP={local.bootstrap}\n"
        "Ctrl-C stops it; its data lives in memory and is not kept",
        highlight=False,
    )
    try:
        while local.running() and not should_stop():
            threading.Event().wait(0.2)
    finally:
        local.stop()


# worker ------------------------------------------------------------------------------------------
@app.command("worker")
def worker(
    stage: Annotated[str, typer.Argument(help="Stage to run: one of the registered stages, or 'all'.")],
    until_idle: Annotated[
        bool, typer.Option("--until-idle", help="Exit once the input topic has nothing left.")
    ] = False,
    batch_size: Annotated[int | None, typer.Option(help="Records per batch (default from settings).")] = None,
) -> None:
    """Run a pipeline stage: consume its input topic, process, publish, commit; Ctrl-C stops cleanly."""
    from socialcare.pipeline import run_stages
    from socialcare.runtime import Runtime
    from socialcare.stages import STAGES

    names = list(STAGES) if stage == "all" else [stage]
    unknown = [n for n in names if n not in STAGES]
    if unknown:
        err.print(f"[bold red]error:[/] unknown stage {unknown[0]!r}; choose one of: all, {', '.join(STAGES)}")
        raise typer.Exit(2)
    with friendly_errors():
        settings = _load_settings()
        setup_logging(settings)
        with Runtime.open(settings) as runtime:
            results = run_stages(
                runtime, names, until_idle=until_idle, batch_size=batch_size, should_stop=stop_on_signals()
            )
    for name, stats in results.items():
        out.print(f"stage={name} {stats.as_line()}", highlight=False)


# dlq ---------------------------------------------------------------------------------------------
@dlq_app.command("show")
def dlq_show(
    topic: Annotated[str, typer.Argument(help="The topic whose dead letters to show, e.g. mentions.raw.")],
    limit: Annotated[int, typer.Option(help="How many to show.")] = 20,
) -> None:
    """Show dead-lettered records of a topic with the reason each was refused."""
    from socialcare.bus.dlq import DeadLetter
    from socialcare.runtime import Runtime
    from socialcare.topics import dlq_topic

    with friendly_errors(), Runtime.open(_load_settings()) as runtime:
        records = runtime.transport.read(dlq_topic(topic), limit)
    if not records:
        out.print(f"{dlq_topic(topic)} is empty", highlight=False)
    for record in records:
        letter = DeadLetter.from_record(record)
        preview = letter.value[:120].decode("utf-8", errors="replace")
        out.print(
            f"[bold]{letter.origin}[/] stage={letter.stage} at={letter.failed_at}\n"
            f"  reason: {letter.reason}\n  value: {preview!r}",
            highlight=False,
        )


# brands ------------------------------------------------------------------------------------------
@rules_app.command("check")
def rules_check(
    policy: Annotated[Path, typer.Argument(help="The routing policy YAML file.")],
) -> None:
    """Validate a routing policy; print its rules in order, or every problem with its line."""
    from triage.engine import CompiledPolicy

    with friendly_errors():
        compiled = CompiledPolicy.load(policy)
    for number, rule in enumerate(compiled.policy.rules, 1):
        out.print(f"{number:>3}. {rule.name}: {compiled.describe(rule.name)}", highlight=False)
    out.print(f"{policy}: ok ({len(compiled.rules)} rules, timezone {compiled.policy.timezone})", highlight=False)


@rules_app.command("test")
def rules_test(
    policy: Annotated[Path, typer.Argument(help="The changed policy to try.")],
    against: Annotated[
        str,
        typer.Option(
            help="Past mentions: a JSONL file of enriched mentions, or 'log' for the mentions.enriched topic "
            "of the configured transport."
        ),
    ],
    baseline: Annotated[
        Path | None, typer.Option(help="The policy in use now (default: the one that ships with socialcare).")
    ] = None,
    examples: Annotated[int, typer.Option(min=0, help="How many changed decisions to show.")] = 5,
) -> None:
    """Replay past mentions through POLICY and the baseline; report how many decisions would change."""
    from triage.engine import DEFAULT_POLICY, CompiledPolicy
    from triage.history import read_enriched
    from triage.whatif import compare_policies, format_whatif

    with friendly_errors():
        after = CompiledPolicy.load(policy)
        before = CompiledPolicy.load(baseline)
        mentions = read_enriched(against, _load_settings)
        report = compare_policies(mentions, before, after, examples=examples)
    out.print(format_whatif(report, str(baseline or DEFAULT_POLICY), str(policy)), highlight=False)


@cases_app.command("history")
def cases_history(
    customer: Annotated[str, typer.Argument(help="A handle (@jo, on every platform) or an author key (x:12345).")],
) -> None:
    """A customer's cases across sources, newest first, with their mentions."""
    from socialcare.runtime import open_engine
    from triage.cases import CaseStore

    with friendly_errors():
        engine = open_engine(_load_settings())
        try:
            found = CaseStore(engine).history(customer)
        finally:
            engine.dispose()
    for case in found:
        out.print(
            f"{case['id']} source={case['source']} status={case['status']} priority={case['priority']} "
            f"department={case['department']} assignee={case['assignee'] or '-'} "
            f"opened={case['opened_at']:%Y-%m-%d %H:%M} mentions={','.join(case['mentions'])}",
            highlight=False,
        )
    out.print(f"customer={customer} cases={len(found)}", highlight=False)


@agents_app.command("check")
def agents_check(file: Annotated[Path, typer.Argument(help="The agents YAML file.")]) -> None:
    """Validate an agents file; print each agent, or every problem with its line."""
    from triage.agents import load_agents

    with friendly_errors():
        agents = load_agents(file)
    for agent in agents:
        out.print(
            f"agent={agent.id} departments={','.join(sorted(agent.departments))} "
            f"languages={','.join(sorted(agent.languages)) or 'any'} capacity={agent.capacity} "
            f"hours={agent.start:%H:%M}-{agent.end:%H:%M} {agent.timezone}",
            highlight=False,
        )
    out.print(f"{file}: ok ({len(agents)} agents)", highlight=False)


@sla_app.command("sweep")
def sla_sweep_command(
    serve: Annotated[bool, typer.Option(help="Serve the flow as a Prefect deployment on a schedule.")] = False,
    cron: Annotated[str, typer.Option(help="The schedule when serving.")] = "* * * * *",
) -> None:
    """Run the Prefect `sla_sweep` flow: one alert per case and clock that turned near or breached."""
    with friendly_errors():
        from flows.sla_sweep import sla_sweep

        if serve:
            sla_sweep.serve(name="sla_sweep", cron=cron)
            return
        alerts = sla_sweep()
    for alert in alerts:
        out.print(alert.summary, highlight=False)
    out.print(f"sla_sweep alerts={len(alerts)}", highlight=False)


@trends_app.command("rollups")
def trends_rollups_command(
    hours: Annotated[int, typer.Option(min=1, help="Hours back to rebuild, the current one included.")] = 3,
    serve: Annotated[bool, typer.Option(help="Serve the flow as a Prefect deployment on a schedule.")] = False,
    cron: Annotated[str, typer.Option(help="The schedule when serving.")] = "5 * * * *",
) -> None:
    """Run the Prefect `trend_rollups` flow: rebuild the trend rollups of the last hours from the index."""
    with friendly_errors():
        from flows.trends import trend_rollups

        if serve:
            trend_rollups.serve(name="trend_rollups", cron=cron, parameters={"hours": hours})
            return
        rebuilt = trend_rollups(hours)
    out.print(f"trend_rollups hours={hours} rebuilt={rebuilt}", highlight=False)


@trends_app.command("digest")
def trends_digest_command(
    day: Annotated[str | None, typer.Option(help="The day (YYYY-MM-DD, UTC); default yesterday.")] = None,
    serve: Annotated[bool, typer.Option(help="Serve the flow as a Prefect deployment on a schedule.")] = False,
    cron: Annotated[str, typer.Option(help="The schedule when serving.")] = "0 6 * * *",
) -> None:
    """Run the Prefect `daily_digest` flow: write the marketing digest (HTML with charts), mail it if set."""
    from datetime import date

    with friendly_errors():
        from flows.trends import daily_digest

        if serve:
            daily_digest.serve(name="daily_digest", cron=cron)
            return
        path = daily_digest(date.fromisoformat(day) if day else None)
    out.print(f"daily_digest path={path}", highlight=False)


@brands_app.command("check")
def brands_check(
    file: Annotated[Path, typer.Argument(help="The brand YAML file.")],
) -> None:
    """Validate a brand file; print each brand's queries as X rules, or every problem with its line."""
    from collectors.brands import load_brands
    from collectors.query import compile_query

    with friendly_errors():
        config = load_brands(file)
        for brand in config.brands:
            out.print(
                f"brand={brand.name} x={brand.accounts.x or '-'} reddit={brand.accounts.reddit or '-'} "
                f"competitors={','.join(brand.competitors) or '-'} "
                f"subreddits={','.join(brand.subreddits) or '-'}",
                highlight=False,
            )
            for query in brand.queries:
                compiled = compile_query(query.query)
                out.print(
                    f"  query={query.name} sources={','.join(query.sources)} x={compiled.x_query}",
                    highlight=False,
                )
    out.print(f"{file}: ok ({len(config.brands)} brands)", highlight=False)


# import ------------------------------------------------------------------------------------------
REJECTS_SHOWN = 1000
"""Rejected rows printed one per line; the rest are counted (all of them are in the dead-letter topic)."""


def parse_rate(value: str | None) -> float | None:
    """``"50"`` or ``"50/s"`` -> 50.0 mentions per second."""
    if value is None:
        return None
    number = value.removesuffix("/s").strip()
    try:
        rate = float(number)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a rate; write it like 50/s") from None
    if rate <= 0:
        raise typer.BadParameter("the rate must be above 0")
    return rate


@app.command("import")
def import_file(
    file: Annotated[Path, typer.Argument(help="CSV or JSONL file to import.", exists=True, dir_okay=False)],
    format: Annotated[
        str | None,
        typer.Option("--format", "-f", help="csv, jsonl, airline or twcs (default: from the extension)."),
    ] = None,
    mapping: Annotated[
        list[str] | None,
        typer.Option("--map", "-m", help="FIELD=COLUMN, e.g. --map text=body (repeatable)."),
    ] = None,
    brand: Annotated[str | None, typer.Option(help="Brand of every imported mention.")] = None,
    encoding: Annotated[str, typer.Option(help="Encoding of the whole file.")] = "utf-8",
    include_outbound: Annotated[
        bool, typer.Option("--include-outbound", help="Also import the brand's own replies (twcs).")
    ] = False,
    rate: Annotated[str | None, typer.Option(help="Replay at most N mentions per second, e.g. 50/s.")] = None,
    speedup: Annotated[
        float | None, typer.Option(help="Replay with the original timing, X times faster.", min=0.000001)
    ] = None,
    limit: Annotated[int | None, typer.Option(help="Import at most N mentions.", min=1)] = None,
    restart: Annotated[
        bool, typer.Option("--restart", help="Forget the saved position and import from the first row.")
    ] = False,
    progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
) -> None:
    """Replay a file of mentions into mentions.raw; resumes where a stopped import left off."""
    from collectors.importer import import_source
    from collectors.mappings import parse_mapping_overrides
    from collectors.replay import FORMATS, ReplaySource
    from socialcare.runtime import Runtime

    if format is not None and format not in FORMATS:
        raise typer.BadParameter(f"{format!r} is not a format; choose one of {', '.join(FORMATS)}")
    if rate is not None and speedup is not None:
        raise typer.BadParameter("give --rate or --speedup, not both")
    with friendly_errors():
        settings = _load_settings()
        setup_logging(settings.model_copy(update={"log_level": "WARNING"}))
        source = ReplaySource(
            file,
            format=format,
            overrides=parse_mapping_overrides(mapping or []),
            encoding=encoding,
            brand=brand,
            limit=limit,
            include_outbound=include_outbound,
        )
        with Runtime.open(settings) as runtime:
            report = import_source(
                runtime, source, rate=parse_rate(rate), speedup=speedup, restart=restart, progress=progress
            )
    for location, reason in report.rejected[:REJECTS_SHOWN]:
        err.print(f"[yellow]rejected[/] {location}: {reason}", highlight=False)
    if len(report.rejected) > REJECTS_SHOWN:
        err.print(f"... and {len(report.rejected) - REJECTS_SHOWN} more rejected rows", highlight=False)
    if report.rejected:
        err.print("every rejected row is kept with its reason:  socialcare dlq show mentions.raw", highlight=False)
    out.print(f"file={file} {report.as_line()}", highlight=False)


collect_app.command("replay", help="Replay a CSV or JSONL file into mentions.raw (same as `socialcare import`).")(
    import_file
)

BrandsOption = Annotated[Path, typer.Option("--brands", "-b", help="The brand YAML file.")]


@collect_app.command("x")
def collect_x(
    brands: BrandsOption,
    mode: Annotated[str, typer.Option(help="search (recent search per query), mentions, or stream.")] = "search",
    once: Annotated[bool, typer.Option("--once", help="Poll once and exit (search, mentions).")] = False,
    interval: Annotated[float, typer.Option(help="Seconds between polls.", min=5)] = 60.0,
    max_pages: Annotated[
        int, typer.Option(help="Pages (up to 100 posts each) per query and poll: bounds the monthly cap.", min=1)
    ] = 10,
) -> None:
    """Collect brand mentions from X (API v2): recent search, account mentions, or the filtered stream."""
    from collectors.collect import poll_sources, stream_sources
    from collectors.listening import compile_brands, x_mention_sources, x_search_sources, x_stream_rules
    from collectors.x import PostBudget, XFilteredStreamSource, XStreamRules, make_client
    from socialcare.runtime import Runtime
    from socialcare.store.counters import UsageCounterStore

    if mode not in {"search", "mentions", "stream"}:
        raise typer.BadParameter(f"{mode!r}: choose search, mentions or stream")
    with friendly_errors():
        settings = _load_settings()
        setup_logging(settings)
        compiled = compile_brands(load_brand_file(brands))
        should_stop = stop_on_signals()
        with Runtime.open(settings) as runtime:
            budget = (
                PostBudget(
                    UsageCounterStore(runtime.engine, "x.posts_read"),
                    settings.x_monthly_post_cap,
                    reset_day=settings.x_post_cap_reset_day,
                )
                if settings.x_monthly_post_cap
                else None
            )
            if mode == "stream":
                desired, brand_of_tag = x_stream_rules(compiled, settings.x_rule_tag_prefix, settings.x_rule_max_length)
                changes = XStreamRules.from_settings(settings).sync(desired)
                out.print(f"x_rules {changes}", highlight=False)
                stream = XFilteredStreamSource.from_settings(settings, brands_by_tag=brand_of_tag, budget=budget)
                report = stream_sources(runtime, [stream], should_stop=should_stop)
            else:
                client = make_client(settings)
                build = x_search_sources if mode == "search" else x_mention_sources
                sources = build(client, compiled, budget=budget, max_pages=max_pages)
                report = poll_sources(runtime, sources, once=once, interval_s=interval, should_stop=should_stop)
    out.print(f"collect=x mode={mode} published={report.published} rejected={report.rejected}", highlight=False)


@collect_app.command("reddit")
def collect_reddit(
    brands: BrandsOption,
    mode: Annotated[str, typer.Option(help="stream (subreddits), search (all of Reddit), or inbox.")] = "stream",
    once: Annotated[bool, typer.Option("--once", help="Read what is there and exit.")] = False,
    interval: Annotated[float, typer.Option(help="Seconds between polls (search, inbox).", min=5)] = 120.0,
) -> None:
    """Collect brand mentions from Reddit: subreddit streams, search, or the brand account's inbox."""
    from collectors.collect import poll_sources, stream_sources
    from collectors.listening import (
        compile_brands,
        reddit_inbox_sources,
        reddit_search_sources,
        reddit_stream_sources,
    )
    from collectors.reddit import reddit_from_settings
    from socialcare.runtime import Runtime

    if mode not in {"stream", "search", "inbox"}:
        raise typer.BadParameter(f"{mode!r}: choose stream, search or inbox")
    with friendly_errors():
        settings = _load_settings()
        setup_logging(settings)
        compiled = compile_brands(load_brand_file(brands))
        should_stop = stop_on_signals()
        reddit = reddit_from_settings(settings)
        with Runtime.open(settings) as runtime:
            if mode == "stream":
                sources = reddit_stream_sources(reddit, compiled, stop_when_idle=once)
                report = stream_sources(runtime, sources, should_stop=should_stop)
            else:
                build = reddit_search_sources if mode == "search" else reddit_inbox_sources
                report = poll_sources(
                    runtime, build(reddit, compiled), once=once, interval_s=interval, should_stop=should_stop
                )
    out.print(f"collect=reddit mode={mode} published={report.published} rejected={report.rejected}", highlight=False)


@app.command("backfill")
def backfill_command(
    brands: BrandsOption,
    hours: Annotated[float, typer.Option(help="How far back to search (X recent search reaches 7 days).")] = 24.0,
    max_pages: Annotated[int, typer.Option(help="Pages of up to 100 posts per query.", min=1)] = 10,
    serve: Annotated[
        bool, typer.Option("--serve", help="Register with the Prefect server and run on --cron until Ctrl-C.")
    ] = False,
    cron: Annotated[str, typer.Option(help="Schedule for --serve (UTC).")] = "15 * * * *",
) -> None:
    """Run the Prefect `backfill` flow: search a time window for every brand query, with retries."""
    try:
        from flows.backfill import backfill
    except ModuleNotFoundError as exc:
        from socialcare.errors import MissingExtraError

        with friendly_errors():
            raise MissingExtraError(exc.name or "prefect", "flows") from exc
    with friendly_errors():
        load_brand_file(brands)  # refuse a bad brand file before Prefect starts
    brands_file = str(brands.resolve())
    if serve:
        parameters = {"brands_file": brands_file, "hours": hours, "max_pages": max_pages}
        backfill.serve(name="backfill", cron=cron, parameters=parameters)
        return
    published = backfill(brands_file, hours=hours, max_pages=max_pages)
    out.print(f"backfill published={sum(published.values())} rules={published}", highlight=False)


# enrichment --------------------------------------------------------------------------------------
def _enricher_and_rows(file: Path, text_column: str) -> tuple[Any, list[Any]]:
    from enrich.classify import read_rows
    from enrich.pipeline import Enricher

    settings = _load_settings()
    rows = list(read_rows(file, text_column))
    err.print(f"loading models (encoder={settings.encoder}) ...", highlight=False)
    return Enricher.from_settings(settings), rows


def _classify_with_progress(enricher: Any, rows: list[Any], desc: str) -> list[dict[str, Any]]:
    from tqdm import tqdm

    from enrich.classify import classify_rows

    with tqdm(total=len(rows), unit="texts", desc=desc, mininterval=0.5, dynamic_ncols=True) as bar:
        return classify_rows(enricher, rows, on_batch=bar.update)


@app.command("classify")
def classify(
    file: Annotated[Path, typer.Argument(help="CSV, JSONL or plain text (one text a line).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the JSON lines.")],
    text_column: Annotated[str, typer.Option(help="Column (CSV) or key (JSONL) holding the text.")] = "text",
) -> None:
    """Score every text: language, sentiment, department, escalation risk, spam, redacted text."""
    with friendly_errors():
        enricher, rows = _enricher_and_rows(file, text_column)
        results = _classify_with_progress(enricher, rows, "classify")
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("w", encoding="utf-8") as handle:
        for result in results:
            handle.write(json.dumps(result, ensure_ascii=False) + "\n")
    out.print(f"classified={len(results)} output={output}", highlight=False)


@app.command("eval")
def evaluate(
    file: Annotated[Path, typer.Argument(help="A labelled CSV or JSONL with sentiment, department and/or risk.")],
    text_column: Annotated[str, typer.Option(help="Column holding the text.")] = "text",
) -> None:
    """Accuracy, macro-F1, macro-recall, per-class precision/recall and a confusion matrix per label."""
    from enrich.classify import canonical_labels
    from enrich.metrics import evaluate as score
    from enrich.metrics import format_report
    from socialcare.models import DEPARTMENTS

    label_sets = {
        "sentiment": ("sentiment", ("negative", "neutral", "positive")),
        "department": ("department", DEPARTMENTS),
        "risk": ("risk_level", ("low", "medium", "high")),
    }
    with friendly_errors():
        enricher, rows = _enricher_and_rows(file, text_column)
        rows = [canonical_labels(row) for row in rows]
        present = [c for c in label_sets if any(c in row.labels for row in rows)]
        if not present:
            from socialcare.errors import ImportFileError

            raise ImportFileError(f"{file}: no label column; expected one of {', '.join(label_sets)}")
        results = _classify_with_progress(enricher, rows, "eval")
    for column in present:
        key, labels = label_sets[column]
        pairs = [
            (row.labels[column], result[key])
            for row, result in zip(rows, results, strict=True)
            if row.labels.get(column)
        ]
        report = score([g for g, _ in pairs], [p for _, p in pairs], list(labels))
        out.print(format_report(f"{column} ({len(pairs)} rows, {file.name})", report), highlight=False)


def load_brand_file(path: Path) -> Any:
    from collectors.brands import load_brands

    return load_brands(path)


# demo --------------------------------------------------------------------------------------------
@app.command("serve")
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on (default SOCIALCARE_WEB_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default SOCIALCARE_WEB_PORT, 8000).")] = None,
) -> None:
    """Serve the web app: care inbox, case view and replies, and the REST API (/api/openapi.json)."""
    with friendly_errors():
        settings = _load_settings()
        setup_logging(settings)
        _serve(settings, host, port)


def _serve(settings: Settings, host: str | None, port: int | None) -> None:
    import uvicorn

    from dashboards.app import create_app

    host, port = host or settings.web_host, port or settings.web_port
    out.print(f"serving=http://{host}:{port}/ stop=Ctrl-C", highlight=False)
    uvicorn.run(create_app(settings), host=host, port=port, log_level=settings.log_level.lower())


@app.command("demo")
def demo(
    no_serve: Annotated[
        bool, typer.Option("--no-serve", help="Exit once the sample is processed, without serving the web app.")
    ] = False,
    var_dir: Annotated[Path, typer.Option(help="Folder for the demo database (recreated each run).")] = Path("var"),
    port: Annotated[int, typer.Option(help="Port of the web app.")] = 8000,
) -> None:
    """Run every stage on the embedded defaults over the bundled sample of a fictional brand, then serve the
    web app on it with two demo accounts (an agent and an approver)."""
    from socialcare.demo import demo_accounts, demo_settings, print_summary, run_demo

    with friendly_errors():
        summary = run_demo(var_dir)
    print_summary(summary, out)
    if no_serve:
        return
    with friendly_errors():
        settings = demo_settings(var_dir)
        for user, (role, password) in demo_accounts(settings).items():
            out.print(f"sign_in={user} role={role} password={password}", highlight=False)
        _serve(settings, "127.0.0.1", port)


if __name__ == "__main__":  # python -m socialcare.cli
    app()
