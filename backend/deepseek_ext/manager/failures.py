"""Failure classification, retry timing and the explanation of a failed pull or load (pure).

Classification reads ollama's own error texts (server/images.go, registry client) so that the
status page can say what to do: a wrong tag will not fix itself, a full disk needs a bigger PVC,
an unreachable registry needs network access or offline seeding. The codes and their explanation
(catalog ``failure.<Code>`` and ``.fix``) live in ``core.failures``, shared with the status report.
"""

from __future__ import annotations

import re

from deepseek_ext.core.failures import LOAD_FAILURES, FailureCode, explanation, failure_params
from deepseek_ext.core.messages import Message, MessageCatalog, Text

__all__ = ["LOAD_FAILURES", "FailureCode", "backoff_seconds", "classify", "explain", "explanation", "failure_params"]


# Texts below are quoted from ollama v0.32.15 (and the Go runtime it is built with); the tests in
# tests/manager/test_failures.py cite the line each one comes from.
_REGISTRY_MARKERS = (
    "no such host",
    "dial tcp",
    "connection refused",
    "connection reset by peer",  # Go net: read tcp ...: read: connection reset by peer
    "broken pipe",
    "no route to host",
    "i/o timeout",
    "tls handshake",
    "network is unreachable",
    "timeout awaiting",
    "context deadline exceeded",
    "server misbehaving",
    "x509:",
    "certificate",
)
_AUTH_MARKERS = (
    "unauthorized: access denied",  # server/images.go:1307, returned at 1352
    "realm host",  # server/auth.go:61: the token realm is on another host
)
_AUTH_STATUS = re.compile(r"(^|: )40[13]: ")
"""A registry 401/403 quoted by makeRequestWithRetry as ``<status>: <body>`` (server/images.go:1346)."""
_PARTIAL_MARKERS = (
    "no such file or directory",
    "unexpected eof",
    "error loading model",
    "invalid file magic",
    "failed to load model",
    "does not support generate",  # server/routes.go:468: the weights blob is gone (images.go:720-725)
    "does not support chat",  # server/routes.go:2636, the same on /api/chat
    "does not support completion",
)
_KILLED_MARKERS = (
    "signal: killed",  # llm/llama_server.go:1325 with the runner's exec.ExitError
    "exit status 137",
    # llm/status.go:85-96, the texts ollama itself reads as out of memory
    "out of memory",
    "out of device memory",
    "cudamalloc failed",
    "hipmalloc failed",
    "failed to allocate",
    "allocation failed",
    "not enough memory",
    "insufficient memory",
    "unable to load full model on gpu",  # llm/server.go:20
)


def _bare_eof(text: str) -> bool:
    """Go's io.EOF at the end of a wrapped error: ``Get "https://...": EOF`` or just ``EOF``."""
    return text == "eof" or text.endswith(": eof")


def classify(
    message: str, *, status: int | None = None, interrupted: bool = False, during_load: bool = False
) -> FailureCode:
    """Map an ollama error (text and HTTP status) to a stable code.

    ``during_load``: the error answered a load (``/api/generate``), not a pull: it is then a load
    failure of some kind, never a download one.
    """
    text = message.strip().lower()
    if interrupted:
        return FailureCode.INTERRUPTED
    if during_load:
        if any(m in text for m in _PARTIAL_MARKERS):
            return FailureCode.PARTIAL
        if any(m in text for m in _KILLED_MARKERS):
            return FailureCode.RUNNER_KILLED
        return FailureCode.LOAD_FAILED
    if status == 412 or "requires a newer version of ollama" in text:
        return FailureCode.OLLAMA_TOO_OLD
    if "no space left on device" in text or "disk quota exceeded" in text:
        return FailureCode.DISK_FULL
    if any(m in text for m in _AUTH_MARKERS) or _AUTH_STATUS.search(text):
        return FailureCode.REGISTRY_AUTH
    if "file does not exist" in text or "manifest unknown" in text or ("not found" in text and "manifest" in text):
        return FailureCode.UNKNOWN_TAG
    if text.endswith("context canceled"):
        # A re-pull that joined a download being cancelled (server/download.go:440-444, 502-516):
        # the next pull starts it again and resumes the parts on disk.
        return FailureCode.INTERRUPTED
    if any(m in text for m in _REGISTRY_MARKERS) or _bare_eof(text) or text.endswith("unexpected eof"):
        return FailureCode.REGISTRY_UNREACHABLE
    return FailureCode.OTHER


def backoff_seconds(attempts: int, *, base: float, cap: float) -> float:
    """Capped exponential backoff: base, 2·base, 4·base ... never above ``cap`` (attempts >= 1)."""
    if attempts < 1:
        return 0.0
    return float(min(cap, base * (2 ** min(attempts - 1, 30))))


def explain(
    code: FailureCode,
    *,
    catalog: MessageCatalog,
    params: dict[str, object],
    detail: str = "",
    seeding: Message | None = None,
) -> Text:
    """``explanation`` in English and Chinese (the record's ``hint``; its English goes into the Event)."""
    return catalog.render(explanation(code, params, detail=detail, seeding=seeding))
