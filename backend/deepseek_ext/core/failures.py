"""Why a model pull or load failed, and how that is explained. Pure.

``FailureCode`` is the stable code in the manager's record (``lastError.code``); the catalog
explains each one (``failure.<Code>``, ``failure.<Code>.fix``) with the parameters of
``failure_params``. The manager's record and the status report render the same entries with the
same parameters, so the two never explain one failure differently.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from deepseek_ext.core import names
from deepseek_ext.core.messages import Message
from deepseek_ext.core.objects import DEFAULT_NAMES


class FailureCode(StrEnum):
    """A failed pull or load, as ``manager.failures.classify`` reads ollama's error."""

    REGISTRY_UNREACHABLE = "RegistryUnreachable"
    REGISTRY_AUTH = "RegistryAuth"
    """The registry refused ollama's credentials (``unauthorized: access denied``, a 401/403)."""
    UNKNOWN_TAG = "UnknownTag"
    OLLAMA_TOO_OLD = "OllamaTooOld"
    DISK_FULL = "DiskFull"
    INTERRUPTED = "Interrupted"
    STALLED = "Stalled"
    """No new bytes for the stall window although ollama kept reporting: cancelled and re-pulled."""
    VERIFY_TIMEOUT = "VerifyTimeout"
    """The silent ``verifying sha256 digest`` pass outlasted its size-based deadline."""
    PARTIAL = "Partial"
    LOAD_FAILED = "LoadFailed"
    """The model runner failed to start or died while loading (not a download failure)."""
    RUNNER_KILLED = "RunnerKilled"
    """The model runner was killed (``signal: killed``) or ran out of memory while loading."""
    OTHER = "Other"


LOAD_FAILURES = frozenset({FailureCode.LOAD_FAILED, FailureCode.RUNNER_KILLED, FailureCode.PARTIAL})
"""Codes that come from loading a model on disk, not from downloading it."""


DETAIL_LIMIT = 300
"""Characters of ollama's error text quoted in an explanation."""


def failure_params(
    *,
    model: str,
    namespace: str,
    tags: Sequence[str],
    registry: str = names.DEFAULT_REGISTRY,
    pvc: str = DEFAULT_NAMES.pvc,
    ollama_version: str = "",
) -> dict[str, object]:
    """The parameters of every ``failure.<Code>`` entry and its fix (the status report passes the same).

    ``tags``: the catalog's tags, shown when a tag does not exist.
    """
    return {
        "model": model,
        "registry": registry,
        "pvc": pvc,
        "namespace": namespace,
        "ollamaVersion": ollama_version or "?",
        "tags": list(tags),
    }


def explanation(
    code: FailureCode, params: dict[str, object], *, detail: str = "", seeding: Message | None = None
) -> Message:
    """What went wrong (with ollama's words, if any) and what to do; ``seeding``: how to seed instead."""
    what = Message(f"failure.{code.value}", params)
    if detail:
        what = Message("failure.withDetail", {"message": what, "detail": detail[:DETAIL_LIMIT]})
    fix = Message(f"failure.{code.value}.fix", params)
    if seeding is not None:
        return Message("failure.explained.withSeeding", {"message": what, "fix": fix, "seeding": seeding})
    return Message("failure.explained", {"message": what, "fix": fix})
