"""The registry of pipeline stages, in pipeline order; each later stage adds itself here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from socialcare.bus.worker import Stage
from socialcare.runtime import Runtime
from socialcare.store.mentions import MentionStore
from socialcare.store.stage import StoreMentionsStage

StageFactory = Callable[[Runtime], Stage[Any]]


def _enrich(runtime: Runtime) -> Stage[Any]:
    from enrich.pipeline import Enricher  # heavy (models): imported only when the stage runs
    from enrich.stage import EnrichStage

    enricher = Enricher.from_settings(runtime.settings)
    enricher.warm_up()
    return EnrichStage(enricher)


def _store(runtime: Runtime) -> Stage[Any]:
    settings = runtime.settings
    redact = None
    if settings.retain_original_text_days == 0:  # the original is never stored
        from enrich.pii import redactor

        redact = redactor(settings.pii_order_pattern)
    return StoreMentionsStage(MentionStore(runtime.engine, redact=redact))


def _triage(runtime: Runtime) -> Stage[Any]:
    from triage.agents import load_agents
    from triage.cases import CaseStore
    from triage.engine import CompiledPolicy
    from triage.notify import notifier_from_settings
    from triage.stage import TriageStage

    settings = runtime.settings
    notifier = notifier_from_settings(runtime.engine, settings)
    agents = load_agents(settings.agents_file) if settings.agents_file else []
    return TriageStage(CompiledPolicy.load(settings.triage_policy), CaseStore(runtime.engine), notifier, agents)


def _spikes(runtime: Runtime) -> Stage[Any]:
    from triage.notify import notifier_from_settings
    from triage.spike_stage import SpikeStage

    return SpikeStage(runtime.engine, notifier_from_settings(runtime.engine, runtime.settings))


def _respond(runtime: Runtime) -> Stage[Any]:
    from responders.approval import ReplyStore
    from responders.budget import PostingBudget
    from responders.delivery import Delivery
    from responders.posters import posters_from_settings
    from responders.stage import RespondStage

    settings = runtime.settings
    budgets = {
        "x": PostingBudget.parse(settings.reply_budget_x),
        "reddit": PostingBudget.parse(settings.reply_budget_reddit),
    }
    posters = posters_from_settings(settings, runtime.engine)
    delivery = Delivery(
        ReplyStore(runtime.engine),
        posters,
        budgets,
        max_attempts=settings.reply_post_attempts,
        attempt_lease_s=settings.reply_attempt_lease_s,
    )
    return RespondStage(delivery)


def _index(runtime: Runtime) -> Stage[Any]:
    from dashboards.search.factory import search_index_from_settings
    from dashboards.search.stage import IndexStage

    return IndexStage(search_index_from_settings(runtime.settings, runtime.engine))


STAGES: dict[str, StageFactory] = {
    "store": _store,
    "enrich": _enrich,
    "triage": _triage,
    "index": _index,
    "spikes": _spikes,
    "respond": _respond,
}


def build_stage(name: str, runtime: Runtime) -> Stage[Any]:
    try:
        factory = STAGES[name]
    except KeyError:
        raise KeyError(f"unknown stage {name!r}; known: {', '.join(STAGES)}") from None
    return factory(runtime)
