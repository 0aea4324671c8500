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

    return EnrichStage(Enricher.from_settings(runtime.settings))


STAGES: dict[str, StageFactory] = {
    "store": lambda runtime: StoreMentionsStage(MentionStore(runtime.engine)),
    "enrich": _enrich,
}


def build_stage(name: str, runtime: Runtime) -> Stage[Any]:
    try:
        factory = STAGES[name]
    except KeyError:
        raise KeyError(f"unknown stage {name!r}; known: {', '.join(STAGES)}") from None
    return factory(runtime)
