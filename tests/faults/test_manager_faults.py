"""Fault matrix for the model manager: killed mid-pull, and the models volume filling up mid-pull.

Both run the manager exactly as the chart's ``manager`` container does (``deepseek-ext manager``
with the API's environment, against the Kubernetes double and an ollama double that keeps real
files under ``models_dir``), beside gunicorn as shipped. Clocks are shortened with the manager's
own flags (``--interval``, ``--backoff-base``, ``--progress-interval``, ``--lease-seconds``): same
code, smaller numbers. The ollama double streams the pull at a set speed so the fault lands in
the middle of it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from deepseek_ext.core.findings import FindingCode

from tests.doubles.ollama import Layer, ModelStore
from tests.faults.probe import call, findings, probe_all
from tests.stack import PREFIX, Stack

BOUND_SECONDS = 10.0
MODEL = "deepseek-r1:1.5b"
FAST_CLOCKS = ("--interval", "0.5", "--backoff-base", "1", "--backoff-cap", "2", "--progress-interval", "0.5",
               "--lease-seconds", "3")


class RecordingStore(ModelStore):
    """The double's disk, remembering each partial write (offset reached) to tell resume from restart."""

    def __init__(self, models_dir: Path) -> None:
        super().__init__(models_dir)
        self.writes: list[tuple[float, str, int]] = []

    def write_partial(self, layer: Layer, upto: int) -> None:
        self.writes.append((time.monotonic(), layer.digest, upto))
        super().write_partial(layer, upto)


def _until(check: Callable[[], Any], *, within: float, what: str) -> Any:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {within:g}s waiting for {what}")


def _weights(stack: Stack) -> Layer:
    model = stack.fleet.doubles[0].registry[MODEL]
    return model.layers[1]


def _state_record(stack: Stack) -> dict[str, Any]:
    cm = stack.kube.get("ConfigMap", "deepseek-model-state")
    if not cm:
        return {}
    return (json.loads((cm.get("data") or {}).get("state.json") or "{}").get("models") or {}).get(MODEL) or {}


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[tuple[Stack, RecordingStore]]:
    """A fresh install: nothing on the ollama disk yet; the pull streams at about 32 KB/s."""
    store = RecordingStore(tmp_path / "models")
    stack = Stack(ollama_pods=1, present=False, workdir=tmp_path / "stack",
                  ollama_knobs={"store": store, "bytes_per_second": 32_000, "chunk_bytes": 8_000})
    stack.start()
    try:
        yield stack, store
    finally:
        stack.stop()
        print(f"logs: {stack.workdir}")


def test_manager_killed_mid_pull_resumes_without_duplicate(fresh: tuple[Stack, RecordingStore]) -> None:
    stack, store = fresh
    double = stack.fleet.doubles[0]
    weights = _weights(stack)
    first = stack.manager(*FAST_CLOCKS).start()
    # Kill only once the pull is well under way (several chunks on disk), as a real crash would.
    _until(lambda: store.partial_bytes(weights) >= 3 * 8_000, within=30, what="the first pull to get going")
    first.kill()
    reached = store.partial_bytes(weights)
    assert reached < weights.size, "the pull finished before the kill: the fault was not exercised"
    # ollama notices the dropped client at its next write and cancels that pull, keeping the partial file.
    _until(lambda: double.stats.active_pulls[MODEL] == 0, within=10,
           what="ollama to cancel the orphaned pull")
    kept = store.partial_bytes(weights)
    assert kept >= reached, "the partial download was thrown away"

    # While no manager runs, the API still answers everything, fast and without 5xx.
    answers = probe_all(stack.url, timeout=BOUND_SECONDS + 5)
    bad = [a for a in answers if a.status == 0 or a.status >= 500 or a.seconds > BOUND_SECONDS]
    assert not bad, "\n".join(map(str, bad))

    restarted_at = time.monotonic()
    second = stack.manager(*FAST_CLOCKS).start()
    _until(lambda: MODEL in double.store.listed(), within=40, what="the restarted manager to finish the pull")
    _until(lambda: double.stats.loads[MODEL] >= 1, within=20, what="the model to be loaded")
    second.stop()

    assert double.stats.pulls_started[MODEL] == 2, dict(double.stats.pulls_started)
    assert double.stats.pulls_succeeded[MODEL] == 1, dict(double.stats.pulls_succeeded)
    assert double.stats.max_active_pulls[MODEL] == 1, "two pulls of the same model ran at once"
    resumed = [upto for t, digest, upto in store.writes if t > restarted_at and digest == weights.digest]
    assert resumed and min(resumed) > kept, (
        f"the second pull started over (first write reached {min(resumed or [0])} bytes, {kept} were kept)")
    models_dir = Path(store.models_dir or "")
    assert not list(models_dir.glob("blobs/*-partial")), "partial files left behind"
    assert sorted(p.name for p in models_dir.glob("blobs/*")) == sorted(
        layer.blob_name for layer in double.registry[MODEL].layers), "a blob is missing or duplicated"
    assert not double.stats.deletes, "something was deleted"
    assert not [r for r in stack.kube.requests if r.method == "DELETE"], "a cluster object was deleted"
    report = _until(lambda: (r := call(stack.url, "GET", PREFIX + "/status", timeout=15).body)
                    and r.get("phase") == "Ready" and r, within=15, what="status Ready")
    assert report["models"][0]["state"] == "loaded", report["models"]


def test_models_volume_full_mid_pull_is_reported_and_deletes_nothing(
        fresh: tuple[Stack, RecordingStore]) -> None:
    stack, store = fresh
    double = stack.fleet.doubles[0]
    weights = _weights(stack)
    # Another model already on the volume (an administrator's extra), then room for half the new weights.
    double.configure(add_model={"name": "custom/keep-me:latest", "size": 40_000})
    other = double.registry["custom/keep-me:latest"]
    for layer in other.layers:
        store.finish_layer(layer)
    store.write_manifest(other)
    disk_before = {p.name: p.stat().st_size for p in Path(store.models_dir or "").glob("blobs/*")}
    store.disk_bytes = store.used_bytes() + weights.size // 2

    stack.manager(*FAST_CLOCKS).start()
    record = _until(lambda: (r := _state_record(stack))
                    and (r.get("lastError") or {}).get("code") == "DiskFull" and r,
                    within=30, what="the manager to record DiskFull")
    assert "no space left" in record["lastError"]["message"], record
    code = FindingCode.MODEL_PULL_DISK_FULL.value
    report = _until(lambda: (r := call(stack.url, "GET", PREFIX + "/status", timeout=15).body)
                    and any(f.get("code") == code for f in findings(r)) and r, within=15,
                    what=f"status to show {code}")
    finding = next(f for f in findings(report) if f.get("code") == code)
    assert finding["fix"]["en"] and finding["fix"]["zh"] and finding.get("evidence"), finding
    assert "backend.persistence.size" in finding["fix"]["en"] or "PVC" in finding["fix"]["en"], finding
    # Between retries the phase is Failed; while a retry streams it is PullingModel (with this finding).
    assert report["phase"] in ("Failed", "Degraded", "PullingModel"), report["phase"]

    # Let it retry a few times (backoff 1-2 s): it must keep refusing to make room by deleting.
    _until(lambda: double.stats.pulls_started[MODEL] >= 3, within=30, what="retries with backoff")
    assert double.stats.max_active_pulls[MODEL] == 1, "two pulls of the same model ran at once"
    assert not double.stats.deletes, f"deleted to make room: {dict(double.stats.deletes)}"
    assert "custom/keep-me:latest" in double.store.listed(), "the other model is gone"
    disk_after = {p.name: p.stat().st_size for p in Path(store.models_dir or "").glob("blobs/*")}
    assert {k: v for k, v in disk_after.items() if k in disk_before} == disk_before, "existing blobs changed"
    assert not [r for r in stack.kube.requests if r.method == "DELETE"], "a cluster object was deleted"
    answers = probe_all(stack.url, timeout=BOUND_SECONDS + 5)
    bad = [a for a in answers if a.status == 0 or a.status >= 500 or a.seconds > BOUND_SECONDS]
    assert not bad, "\n".join(map(str, bad))
