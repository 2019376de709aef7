"""Failure classification, retry timing and the explanation of a failed pull or load (pure).

Classification reads ollama's own error texts (server/images.go, registry client) so that the
status page can say what to do: a wrong tag will not fix itself, a full disk needs a bigger PVC,
an unreachable registry needs network access or offline seeding. The codes and their explanation
(catalog ``failure.<Code>`` and ``.fix``) live in ``core.failures``, shared with the status report.
"""

from __future__ import annotations

from deepseek_ext.core.failures import FailureCode, explanation, failure_params
from deepseek_ext.core.messages import Message, MessageCatalog, Text

__all__ = ["FailureCode", "backoff_seconds", "classify", "explain", "explanation", "failure_params"]


_REGISTRY_MARKERS = (
    "no such host",
    "dial tcp",
    "connection refused",
    "i/o timeout",
    "tls handshake",
    "network is unreachable",
    "timeout awaiting",
    "context deadline exceeded",
    "server misbehaving",
    "x509:",
    "certificate",
)
_PARTIAL_MARKERS = (
    "no such file or directory",
    "unexpected eof",
    "error loading model",
    "invalid file magic",
    "failed to load model",
)


def classify(
    message: str, *, status: int | None = None, interrupted: bool = False, during_load: bool = False
) -> FailureCode:
    """Map an ollama error (text and HTTP status) to a stable code."""
    text = message.lower()
    if interrupted:
        return FailureCode.INTERRUPTED
    if status == 412 or "requires a newer version of ollama" in text:
        return FailureCode.OLLAMA_TOO_OLD
    if "no space left on device" in text or "disk quota exceeded" in text:
        return FailureCode.DISK_FULL
    if during_load and any(m in text for m in _PARTIAL_MARKERS):
        return FailureCode.PARTIAL
    if "file does not exist" in text or "manifest unknown" in text or ("not found" in text and "manifest" in text):
        return FailureCode.UNKNOWN_TAG
    if any(m in text for m in _REGISTRY_MARKERS):
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
