"""The progress record the manager publishes, and when to publish it (pure).

One JSON document under ConfigMap ``deepseek-model-state`` key ``state.json`` (shape in
docs/architecture.md; read and written by ``adapters.state_store``). Records are
``core.model_state.ModelRecord`` dicts with fixed keys, so the API reads them without this
module. ``Throttle`` enforces the contract "written only on change, at most every 2 s":
console polling reads it, and the API server must not get one write per NDJSON line.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from deepseek_ext.core.model_state import ManagerPhase, ModelRecord


def rfc3339(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def new_record(model: str, *, now: float) -> ModelRecord:
    """A record with every documented key present."""
    return {
        "model": model,
        "pods": [],
        "phase": ManagerPhase.PENDING,
        "completedBytes": 0,
        "totalBytes": 0,
        "percent": 0.0,
        "bytesPerSecond": 0.0,
        "etaSeconds": None,
        "attempts": 0,
        "lastError": None,
        "started": None,
        "updated": rfc3339(now),
        "loadSeconds": None,
        "nextRetryAt": None,
        "verifyDeadline": None,
        "hint": None,
        "desired": True,
    }


def _comparable(state: Mapping[str, Any]) -> str:
    """The state without ``updated`` stamps: a new timestamp alone is not a change worth a write."""
    bare = copy.deepcopy(dict(state))
    bare.pop("updated", None)
    for record in bare.get("models", {}).values():
        record.pop("updated", None)
    return json.dumps(bare, sort_keys=True, ensure_ascii=False)


@dataclass
class RateMeter:
    """Bytes per second over the recent samples, and the ETA it implies."""

    window: float = 10.0
    _samples: list[tuple[float, int]] | None = None

    def add(self, now: float, completed: int) -> None:
        samples = self._samples if self._samples is not None else []
        if samples and completed < samples[-1][1]:
            samples = []  # a restarted stream reports from its resume point
        samples.append((now, completed))
        while len(samples) > 2 and now - samples[0][0] > self.window:
            samples.pop(0)
        self._samples = samples

    @property
    def rate(self) -> float:
        samples = self._samples or []
        if len(samples) < 2 or samples[-1][0] <= samples[0][0]:
            return 0.0
        return max(0.0, (samples[-1][1] - samples[0][1]) / (samples[-1][0] - samples[0][0]))

    def eta(self, completed: int, total: int) -> float | None:
        rate = self.rate
        if not total or rate <= 0:
            return None
        return round(max(0, total - completed) / rate, 1)


@dataclass
class StallWatch:
    """Whether a download stalled: judged by *bytes*, not by lines.

    ollama keeps sending progress lines while a part stalls (server/download.go:450-461 reports
    every 60 ms; download.go:294-296 retries a stalled part for ever), so a read timeout never
    fires. A download is stalled when its completed bytes did not grow for ``window`` seconds.
    """

    window: float
    _best: int = -1
    _since: float = 0.0

    def stalled(self, now: float, completed: int) -> bool:
        """Record one progress line; True when no new byte came for ``window`` seconds."""
        if completed > self._best:
            self._best, self._since = completed, now
            return False
        return now - self._since >= self.window

    def quiet_for(self, now: float) -> float:
        """Seconds since the last new byte."""
        return max(0.0, now - self._since) if self._best >= 0 else 0.0


GIB = 1024**3


def verify_deadline_seconds(total_bytes: int, *, base: float, per_gib: float) -> float:
    """How long the silent ``verifying sha256 digest`` pass may take: ``base`` + ``per_gib`` per GiB.

    ollama hashes every downloaded blob and sends nothing meanwhile (server/images.go:1073-1090);
    the time grows with the size (a 404 GB 671b takes far longer than a 1 GB 1.5b).
    """
    return base + per_gib * max(0, total_bytes) / GIB


def apply_progress(
    record: ModelRecord,
    *,
    completed: int,
    total: int,
    meter: RateMeter,
    now: float,
    phase: str = ManagerPhase.PULLING,
) -> ModelRecord:
    """Record one progress line; ``phase`` is a ``ManagerPhase`` (a retry keeps showing ``Failed``)."""
    meter.add(now, completed)
    record.update(
        {
            "phase": phase,
            "completedBytes": completed,
            "totalBytes": total,
            "percent": round(100.0 * completed / total, 1) if total else 0.0,
            "bytesPerSecond": round(meter.rate, 1),
            "etaSeconds": meter.eta(completed, total),
            "updated": rfc3339(now),
        }
    )
    return record


class Throttle:
    """Say when to write: only when the state changed, and not within ``interval`` of the last write."""

    def __init__(self, interval: float = 2.0) -> None:
        self.interval = interval
        self._last_written: str | None = None
        self._last_time = float("-inf")

    def prime(self, state: Mapping[str, Any], now: float) -> None:
        """Remember what is already stored (read at start-up), so an identical state is not rewritten."""
        self._last_written = _comparable(state)
        self._last_time = now - self.interval

    def changed(self, state: Mapping[str, Any]) -> bool:
        return _comparable(state) != self._last_written

    def due(self, state: Mapping[str, Any], now: float) -> bool:
        return self.changed(state) and now - self._last_time >= self.interval

    def wait_time(self, now: float) -> float:
        """Seconds until a write is allowed again."""
        return max(0.0, self._last_time + self.interval - now)

    def written(self, state: Mapping[str, Any], now: float) -> None:
        self._last_written = _comparable(state)
        self._last_time = now
