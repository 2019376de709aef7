"""Decide what to pull and load, from the desired models and a snapshot of the ollama pods (pure).

``plan`` has no side effects: ``deepseek_ext.manager.run`` acts on its result (pulls, loads,
state, Events). It never plans a deletion: models leave a disk only through the API, on purpose.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from deepseek_ext.manager.desired import Desired


@dataclass(frozen=True)
class PodView:
    """One ollama pod as observed: readiness, and what ``/api/tags`` and ``/api/ps`` listed."""

    name: str
    url: str
    ready: bool = True
    models: frozenset[str] | None = None
    """Normalized names on disk; None when ``/api/tags`` could not be read."""
    loaded: frozenset[str] = frozenset()
    error: str = ""
    """Why ``models`` is None (ollama unreachable, timeout...)."""


@dataclass(frozen=True)
class Observed:
    pods: tuple[PodView, ...]
    requested: frozenset[str] = frozenset()
    """Models an administrator asked to pull now (``POST models/<name>/pull``): skip the backoff."""
    retry_at: Mapping[str, float] = field(default_factory=dict)
    """Model -> earliest time of the next automatic attempt after a failure."""
    partial: frozenset[str] = frozenset()
    """Models known to be half-copied (a load failed on missing/short blobs): not loaded again blindly."""
    now: float = 0.0


@dataclass(frozen=True)
class PullAction:
    model: str
    pod: str
    url: str
    covers: tuple[str, ...]
    """Pods that get the model from this pull (all of them on a shared volume)."""


@dataclass(frozen=True)
class LoadAction:
    model: str
    pod: str
    url: str


@dataclass(frozen=True)
class Plan:
    to_pull: tuple[PullAction, ...] = ()
    to_load: tuple[LoadAction, ...] = ()
    missing: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Model -> pods lacking it that this plan does not pull for (offline, backoff, no pod)."""
    present: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Model -> pods that have it on disk."""
    waiting: Mapping[str, float] = field(default_factory=dict)
    """Model -> retry time, for models held back by the backoff."""
    details: tuple[str, ...] = ()

    @property
    def idle(self) -> bool:
        return not self.to_pull and not self.to_load


def plan(desired: Desired, observed: Observed, *, shared_volume: bool) -> Plan:
    details: list[str] = []
    usable: list[PodView] = []
    for pod in sorted(observed.pods, key=lambda p: p.name):
        if not pod.ready:
            details.append(f"pod {pod.name} not ready yet: skipped")
        elif pod.models is None:
            details.append(f"pod {pod.name}: model list unreadable ({pod.error or 'unknown error'}): skipped")
        else:
            usable.append(pod)
    if not usable:
        details.append("no ready ollama pod: nothing to do until one is ready")
        return Plan(missing={m: () for m in desired.models}, details=tuple(details))

    to_pull: list[PullAction] = []
    to_load: list[LoadAction] = []
    missing: dict[str, tuple[str, ...]] = {}
    present: dict[str, tuple[str, ...]] = {}
    waiting: dict[str, float] = {}
    for model in desired.models:
        have = [p for p in usable if model in (p.models or frozenset())]
        lack = [p for p in usable if model not in (p.models or frozenset())]
        if shared_volume and have:
            # One volume: a model one pod lists is on disk for all of them.
            have, lack = usable, []
        present[model] = tuple(p.name for p in have)
        if lack:
            retry = observed.retry_at.get(model, 0.0)
            if not desired.pull:
                missing[model] = tuple(p.name for p in lack)
                details.append(f"{model}: missing on {', '.join(missing[model])}; offline mode, not pulling")
            elif retry > observed.now and model not in observed.requested:
                missing[model] = tuple(p.name for p in lack)
                waiting[model] = retry
                details.append(f"{model}: missing; next attempt in {retry - observed.now:.0f}s (backoff)")
            elif shared_volume:
                to_pull.append(PullAction(model, lack[0].name, lack[0].url, tuple(p.name for p in usable)))
                details.append(f"{model}: pull once on {lack[0].name} (shared volume, all pods)")
            else:
                for pod in lack:
                    to_pull.append(PullAction(model, pod.name, pod.url, (pod.name,)))
                details.append(f"{model}: pull on {', '.join(p.name for p in lack)}")
        if model == desired.model and model in observed.partial:
            details.append(f"{model}: only partly on disk; not loading it until the files are complete")
        load_held = observed.retry_at.get(model, 0.0) > observed.now and model not in observed.requested
        if model == desired.model and model not in observed.partial and not load_held:
            for pod in have:
                if model not in pod.loaded:
                    to_load.append(LoadAction(model, pod.name, pod.url))
                    details.append(f"{model}: load on {pod.name} (on disk, not in memory)")
        if not lack and (model != desired.model or all(model in p.loaded for p in have)):
            details.append(f"{model}: present on every ready pod")
    return Plan(
        to_pull=tuple(to_pull),
        to_load=tuple(to_load),
        missing=missing,
        present=present,
        waiting=waiting,
        details=tuple(details),
    )
