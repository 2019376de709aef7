"""The streaming benchmarks run end to end and count what they measure (not their targets: those
are for an idle machine, docs/gateway.md "Benchmark"); a bench that rots shows up here."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.helmtools import ROOT

TINY = ["--streams", "1,3", "--tokens", "4", "--token-ms", "1", "--rounds", "1", "--json"]


def _run(script: str, *extra: str) -> dict:
    result = subprocess.run([sys.executable, f"bench/{script}", *TINY, *extra], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode in (0, 1), result.stderr[-2000:]  # 1 = a target missed, not a crash
    return json.loads(result.stdout)


@pytest.mark.slow
@pytest.mark.parametrize(("extra", "fresh", "spread", "pinned"), [
    ([], False, 1.0, len(os.sched_getaffinity(0)) >= 2),  # the judged run: spread over 1 s, pinned
    (["--spread", "0", "--no-pin"], False, 0.0, False),
    (["--spread", "0.05", "--fresh-connections", "--no-pin"], True, 0.05, False),
], ids=["default", "burst-shared-cpus", "fresh-connections"])
def test_gateway_bench_streams_every_event_both_ways(extra: list[str], fresh: bool, spread: float,
                                                     pinned: bool) -> None:
    report = _run("gateway.py", *extra)
    assert report["fresh_connections"] is fresh
    assert report["spread_s"] == spread
    assert report["pinned"] is pinned
    assert [row["streams"] for row in report["rows"]] == [1, 3]
    for row in report["rows"]:
        for side in ("direct", "gateway"):
            assert row[side]["failed"] == 0, row[side]["errors"]
            assert row[side]["ttfc_ms"] > 0
        assert row["wall_ratio"] > 0


@pytest.mark.slow
def test_chat_bench_streams_through_the_edge() -> None:
    report = _run("chat_streams.py")
    assert [row["streams"] for row in report["rows"]] == [1, 3]
    for row in report["rows"]:
        assert row["failed"] == 0, row["errors"]
        assert row["edge_ttfc_ms"]["p50"] > 0 and row["direct_ttfc_ms"]["p50"] > 0


@pytest.mark.slow
def test_gateway_phases_bench_times_every_phase_of_every_stream() -> None:
    result = subprocess.run([sys.executable, "bench/gateway_phases.py", "--streams", "5", "--gap-ms", "1",
                             "--hops", "20", "--json"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    assert report["complete"] == 5  # each stream's stamps came back whole
    assert all(value and value > 0 for value in report["phases_us"].values()), report["phases_us"]
    assert report["gateway_ttfc_us"] > 0 and report["direct_ttfc_us"] > 0
    assert all(rtt > 0 for rtt in report["hop_rtt_us"].values())
