"""The words of the status report: its phases, its components and their states. Pure.

Schemas, the CLI and the console contract take their lists from these enums; the sentences that
explain each phase and state live in the message catalog (``phase.<Phase>``, ``componentState.<State>``).
"""

from __future__ import annotations

from enum import StrEnum


class StatusPhase(StrEnum):
    """The overall phase of the install (status report ``phase``)."""

    INSTALLING = "Installing"
    SCHEDULING = "Scheduling"
    PULLING_MODEL = "PullingModel"
    LOADING_MODEL = "LoadingModel"
    READY = "Ready"
    DEGRADED = "Degraded"
    FAILED = "Failed"
    UNKNOWN = "Unknown"


IN_PROGRESS_PHASES = frozenset(
    {StatusPhase.INSTALLING, StatusPhase.SCHEDULING, StatusPhase.PULLING_MODEL, StatusPhase.LOADING_MODEL}
)
"""Phases that move on by themselves (the CLI's exit code 3, the console keeps polling)."""


class Component(StrEnum):
    """The parts of the install the report judges, in the order it shows them."""

    STORAGE = "storage"
    OLLAMA = "ollama"
    MODEL = "model"
    NEXTCHAT = "nextchat"
    INGRESS = "ingress"
    API = "api"


class ComponentState(StrEnum):
    """The state of one component (status report ``components[].state``)."""

    READY = "Ready"
    PROGRESSING = "Progressing"
    DEGRADED = "Degraded"
    FAILED = "Failed"
    UNKNOWN = "Unknown"
    DISABLED = "Disabled"
