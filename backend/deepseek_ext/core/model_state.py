"""A model's life: the manager's phases, the states people see, and the one rule between them. Pure.

The model manager keeps one record per model (``ModelRecord``, in ``state.json`` of ConfigMap
``deepseek-model-state``) whose ``phase`` says what *it* is doing. What a person sees is the
model's *observed* state, derived by :func:`observed_state` from that record and from what the
ollama pods answer. The status report, ``GET models/{name}`` and the manager all call it, so the
three never disagree.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypedDict


class ManagerPhase(StrEnum):
    """What the model manager is doing with a model (``ModelRecord.phase``)."""

    PENDING = "Pending"
    """Wanted, not started (no ready ollama pod to ask yet, or waiting for its turn)."""
    PULLING = "Pulling"
    """Downloading; the record carries bytes, rate and ETA."""
    STALLED = "Stalled"
    """ollama kept reporting but no new bytes arrived for the stall window: the pull was cancelled
    and is retried (ollama resumes the parts on disk); ``lastError`` says so, ``nextRetryAt`` when."""
    VERIFYING = "Verifying"
    """Every byte is on disk; ollama hashes the blobs, silently (``verifyDeadline`` is how long that
    may take, from the size)."""
    LOADING = "Loading"
    """On disk; being loaded into memory (the configured model only)."""
    READY = "Ready"
    """On every ollama pod (and loaded, for the configured model)."""
    FAILED = "Failed"
    """The last attempt failed; ``lastError`` says why, ``nextRetryAt`` when it is tried again."""
    MISSING = "Missing"
    """Downloads are off (offline mode) and the model is not on the volume."""
    PARTIAL = "Partial"
    """On the volume, but incomplete (a manifest without all its blobs)."""


class ModelState(StrEnum):
    """A model as a person sees it (status report ``models[].state``, ``GET models/{name}``)."""

    ABSENT = "absent"
    PULLING = "pulling"
    PRESENT = "present"
    LOADED = "loaded"
    FAILED = "failed"
    PARTIAL = "partial"
    MISSING = "missing"
    UNKNOWN = "unknown"
    """Neither the Kubernetes API nor any ollama pod can be read right now: "absent" would be a guess."""


SERVED_STATES = frozenset({ModelState.PRESENT, ModelState.LOADED})
"""States in which the model answers requests."""


class ModelError(TypedDict):
    code: str
    """A ``FailureCode`` (``manager.failures``)."""
    message: str
    """ollama's own error text."""


class ModelRecord(TypedDict, total=False):
    """The manager's record of one model: the fixed shape of ``state.json`` ``models[<name>]``."""

    model: str
    pods: list[str]
    phase: str
    """A ``ManagerPhase``."""
    completedBytes: int
    totalBytes: int
    percent: float
    bytesPerSecond: float
    etaSeconds: float | None
    attempts: int
    lastError: ModelError | None
    started: str | None
    updated: str
    loadSeconds: float | None
    nextRetryAt: str | None
    verifyDeadline: str | None
    """While ``Verifying``: when the manager gives up waiting for the silent hash pass."""
    hint: dict[str, str] | None
    desired: bool


_DOWNLOADING = frozenset({ManagerPhase.PENDING, ManagerPhase.PULLING, ManagerPhase.STALLED, ManagerPhase.VERIFYING})
"""Phases of a download still under way (a stall is retried by itself)."""


def observed_state(
    *,
    phase: str | None,
    present: bool | None,
    loaded: bool = False,
    requested: bool = False,
    record_known: bool = True,
    offline: bool = False,
    configured: bool = True,
) -> ModelState:
    """The state of one model from the manager's ``phase`` and what ollama answered.

    ``present``: the model is listed by the ollama pods that answered; None when none could be
    asked. ``loaded``: it is in ``/api/ps``. ``requested``: a pull request waits for the manager.
    ``record_known``: the manager's record could be read (no record = nothing done yet).
    ``offline``: downloads are off, so a configured model that is not there is ``missing``.
    """
    if phase in _DOWNLOADING and not present:
        return ModelState.PULLING
    if phase == ManagerPhase.FAILED and not present:
        return ModelState.FAILED
    if phase == ManagerPhase.PARTIAL:
        return ModelState.PARTIAL
    if phase == ManagerPhase.MISSING and not present:
        return ModelState.MISSING
    if present is None:
        return ModelState.UNKNOWN
    if loaded:
        return ModelState.LOADED
    if present:
        return ModelState.PRESENT
    if requested:
        return ModelState.PULLING
    if not record_known:
        return ModelState.UNKNOWN
    if offline and configured:
        return ModelState.MISSING
    return ModelState.ABSENT
