"""Stalls judged by bytes, the silent verification pass, and load failures, against the ollama double.

ollama v0.32.15 keeps sending progress lines while a part stalls (server/download.go:450-461 reports
every 60 ms, download.go:294-296 retries the part for ever), and sends nothing while it hashes the
blobs after the last byte (server/images.go:1073-1090).
"""

from __future__ import annotations

import time

import pytest
from deepseek_ext.manager import progress

from tests.doubles.ollama import OllamaDouble
from tests.manager.conftest import serving, standalone

M15, M7 = "deepseek-r1:1.5b", "deepseek-r1:7b"


def record(manager, model):
    return manager.state["models"][model]


def phases_written(manager, model):
    seen: list[str] = []
    original = manager.store.write_state

    def write(state):
        seen.append(state["models"][model]["phase"])
        original(state)

    manager.store.write_state = write
    return seen


# -- pure -------------------------------------------------------------------------------------------------


def test_stall_watch_counts_bytes_not_lines_with_a_fake_clock():
    watch = progress.StallWatch(window=300)
    assert not watch.stalled(0, 1000)
    # A line every 60 ms with the same count, as download.go:450-461 sends them: not yet stalled ...
    assert not any(watch.stalled(t / 1000, 1000) for t in range(60, 299_000, 60))
    # ... until 300 s passed without a new byte.
    assert watch.stalled(300.0, 1000) and watch.quiet_for(300.0) == 300.0
    # One new byte restarts the window.
    assert not watch.stalled(301.0, 1001) and not watch.stalled(600.0, 1001)
    assert watch.stalled(601.0, 1001)


@pytest.mark.parametrize(
    ("size", "seconds"),
    [(0, 120.0), (progress.GIB, 150.0), (404 * 10**9, 120.0 + 30.0 * 404 * 10**9 / progress.GIB)],
    ids=["empty", "1 GiB", "671b (404 GB)"],
)
def test_verify_deadline_grows_with_the_size(size, seconds):
    assert progress.verify_deadline_seconds(size, base=120.0, per_gib=30.0) == pytest.approx(seconds)


# -- against the double -------------------------------------------------------------------------------------


def test_a_stalled_download_is_stalled_then_retried_and_resumes(tmp_path, clock):
    with OllamaDouble(progress_seconds=0.02) as ollama:
        ollama.stall_next_pull(after_bytes=100_000, model=M7)  # lines keep coming, bytes stop
        manager = standalone(ollama.url, serving(M7), tmp_path / "s.json", clock,
                             stall_seconds=0.5, pull_read_timeout=0.3, backoff_base=30)
        manager.reconcile_once()
        rec = record(manager, M7)
        # The read timeout (0.3 s) never fired: lines kept arriving. The bytes decided.
        assert rec["phase"] == "Stalled" and rec["lastError"]["code"] == "Stalled"
        assert rec["nextRetryAt"] and rec["hint"]["en"] and rec["hint"]["zh"]
        assert 0 < rec["completedBytes"] <= 100_000
        # The manager cancelled the pull (closed the stream); the double sees it at its next line.
        deadline = time.monotonic() + 3
        while ollama.stats.active_pulls[M7] and time.monotonic() < deadline:
            time.sleep(0.02)
        assert ollama.stats.active_pulls[M7] == 0
        clock.advance(31)
        manager.reconcile_once()
        assert record(manager, M7)["phase"] == "Ready"
        assert ollama.stats.pulls_started[M7] == 2 and ollama.stats.pulls_succeeded[M7] == 1


def test_slow_but_moving_bytes_are_not_a_stall(tmp_path, clock):
    with OllamaDouble(bytes_per_second=400_000, chunk_bytes=8_000) as ollama:
        manager = standalone(ollama.url, serving(M7), tmp_path / "s.json", clock, stall_seconds=0.3)
        manager.reconcile_once()
        assert record(manager, M7)["phase"] == "Ready"


def test_the_silent_verification_pass_is_verifying_within_its_deadline(tmp_path, clock):
    # About 0.8 s of silence after the last byte, longer than the 0.3 s read timeout between lines.
    with OllamaDouble(verify_bytes_per_second=300_000) as ollama:
        manager = standalone(ollama.url, serving(M7), tmp_path / "s.json", clock,
                             pull_read_timeout=0.3, verify_base_seconds=5, verify_seconds_per_gib=0)
        seen = phases_written(manager, M7)
        manager.reconcile_once()
        rec = record(manager, M7)
        assert rec["phase"] == "Ready" and rec["lastError"] is None, rec["lastError"]
        assert "Verifying" in seen and seen.index("Verifying") < seen.index("Ready")
        assert rec["verifyDeadline"] is None  # cleared once done


def test_a_verification_longer_than_its_deadline_is_verify_timeout_not_interrupted(tmp_path, clock):
    with OllamaDouble(verify_bytes_per_second=150_000) as ollama:  # ~1.6 s of silence
        manager = standalone(ollama.url, serving(M7), tmp_path / "s.json", clock,
                             pull_read_timeout=0.3, verify_base_seconds=0.2, verify_seconds_per_gib=0)
        manager.reconcile_once()
        rec = record(manager, M7)
        assert rec["phase"] == "Failed" and rec["lastError"]["code"] == "VerifyTimeout"


def test_a_runner_killed_while_loading_is_a_load_failure(tmp_path, clock):
    with OllamaDouble(local=[M15]) as ollama:
        # llm/llama_server.go:1325 at v0.32.15, the runner's exec.ExitError after an OOM kill.
        ollama.fail_next_load("llama-server process has terminated: signal: killed")
        manager = standalone(ollama.url, serving(M15), tmp_path / "s.json", clock)
        manager.reconcile_once()
        rec = record(manager, M15)
        assert rec["phase"] == "Failed" and rec["lastError"]["code"] == "RunnerKilled"
        assert "backend.server.resources.limits.memory" in rec["hint"]["en"]
        clock.advance(3600)
        manager.reconcile_once()
        assert record(manager, M15)["phase"] == "Ready"
