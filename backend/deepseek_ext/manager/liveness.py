"""The manager's heartbeat, and the liveness check kubelet runs against it.

The reconcile loop writes a small JSON file (default ``/tmp/deepseek-manager/heartbeat.json``, on
the pod's ``tmp`` emptyDir) each time it makes progress: ``{"at": <time.monotonic()>, "allowance":
<seconds>}``. ``allowance`` is how long the loop may go without another beat: a few intervals when
idle, more before a call that may legitimately block for longer (a pull line may take
``pull_read_timeout``, a load ``load_timeout``, the silent verification pass its size-based
deadline). Each of those calls has a bound, so a loop that overruns its allowance is hung, and
``deepseek-ext manager --check-alive`` (the container's exec liveness probe) exits 1 so kubelet
restarts it. CLOCK_MONOTONIC is one clock for every process on the node, so the probe's
``time.monotonic()`` compares with the loop's; wall-clock jumps do not matter.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_PATH = "/tmp/deepseek-manager/heartbeat.json"
ENV_PATH = "DEEPSEEK_MANAGER_HEARTBEAT"


def heartbeat_path(env: dict[str, str] | None = None) -> Path:
    return Path((os.environ if env is None else env).get(ENV_PATH) or DEFAULT_PATH)


@dataclass(frozen=True)
class Verdict:
    alive: bool
    age: float
    """Seconds since the last beat."""
    limit: float
    """The allowance the last beat gave."""


def judge(beat: dict[str, Any], *, now: float) -> Verdict:
    """Alive when the last beat is younger than the allowance it promised (pure)."""
    at = float(beat.get("at", 0.0))
    limit = float(beat.get("allowance", 0.0))
    age = max(0.0, now - at)
    return Verdict(alive=age <= limit, age=age, limit=limit)


class Heartbeat:
    """Writes the heartbeat file; at most one write per ``min_interval`` unless the allowance grows."""

    def __init__(
        self, path: Path | None, *, clock: Callable[[], float] = time.monotonic, min_interval: float = 1.0
    ) -> None:
        self.path = path
        self.clock = clock
        self.min_interval = min_interval
        self._last: tuple[float, float] | None = None

    def beat(self, *, allowance: float) -> None:
        if self.path is None:
            return
        now = self.clock()
        # Skip a write only well inside the allowance already promised (never a quarter of it).
        quiet = min(self.min_interval, allowance / 4)
        if self._last is not None and now - self._last[0] < quiet and allowance <= self._last[1]:
            return
        tmp = self.path.with_suffix(".tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps({"at": now, "allowance": allowance, "pid": os.getpid()}), encoding="utf-8")
            tmp.replace(self.path)  # atomic: the probe never reads half a file
        except OSError:
            return  # a full or read-only /tmp must not stop the loop; the probe then reports it
        self._last = (now, allowance)


def read_beat(path: Path) -> dict[str, Any] | None:
    try:
        beat = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return beat if isinstance(beat, dict) else None
