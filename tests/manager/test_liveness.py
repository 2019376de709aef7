"""The manager's heartbeat and its liveness probe (``deepseek-ext manager --check-alive``)."""

from __future__ import annotations

import argparse
import threading
import time

from deepseek_ext.adapters.state_store import FileStore
from deepseek_ext.manager import cli as manager_cli
from deepseek_ext.manager.liveness import Heartbeat, judge, read_beat
from deepseek_ext.manager.run import Manager, ManagerOptions

from tests.doubles.ollama import OllamaDouble
from tests.manager.conftest import FAST, serving


def test_judge_compares_the_age_with_the_allowance_it_promised():
    assert judge({"at": 100.0, "allowance": 60.0}, now=159.0).alive
    verdict = judge({"at": 100.0, "allowance": 60.0}, now=161.0)
    assert not verdict.alive and verdict.age == 61.0 and verdict.limit == 60.0


def test_heartbeat_writes_atomically_and_a_longer_allowance_at_once(tmp_path):
    now = [10.0]
    beat = Heartbeat(tmp_path / "hb" / "heartbeat.json", clock=lambda: now[0])
    beat.beat(allowance=60)
    assert read_beat(tmp_path / "hb" / "heartbeat.json")["at"] == 10.0
    now[0] = 10.5
    beat.beat(allowance=60)  # throttled: the file still promises more than enough
    assert read_beat(tmp_path / "hb" / "heartbeat.json")["at"] == 10.0
    beat.beat(allowance=3600)  # about to wait for a long call: written at once
    assert read_beat(tmp_path / "hb" / "heartbeat.json") == {"at": 10.5, "allowance": 3600, "pid": read_beat(
        tmp_path / "hb" / "heartbeat.json")["pid"]}


def probe(path) -> int:
    return manager_cli.main(argparse.Namespace(check_alive=True, heartbeat_file=path))


def test_a_hung_loop_fails_the_probe(tmp_path, capsys):
    path = tmp_path / "heartbeat.json"
    assert probe(path) == 1  # no loop yet
    release = threading.Event()
    calls = {"n": 0}

    def load_config():
        calls["n"] += 1
        if calls["n"] > 3:
            release.wait(30)  # the loop hangs here (a stuck call with no timeout)
        return serving("deepseek-r1:1.5b")

    with OllamaDouble(local=["deepseek-r1:1.5b"]) as ollama:
        manager = Manager(
            options=ManagerOptions(**{**FAST, "interval": 0.05, "liveness_rounds": 4, "heartbeat_file": path,
                                      "ollama_url": ollama.url}),
            load_config=load_config,
            store=FileStore(tmp_path / "state.json"),
        )
        loop = threading.Thread(target=manager.run, daemon=True)
        loop.start()
        deadline = time.monotonic() + 10
        while calls["n"] < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert probe(path) == 0  # rounds complete: alive
        while calls["n"] < 4 and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.4)  # 0.2 s allowance (4 x 0.05 s) long gone
        assert probe(path) == 1
        assert "not alive" in capsys.readouterr().err
        release.set()
        manager.stop_event.set()
        loop.join(timeout=5)


def test_a_long_pull_with_moving_bytes_keeps_the_probe_passing(tmp_path):
    path = tmp_path / "heartbeat.json"
    with OllamaDouble(bytes_per_second=200_000, chunk_bytes=8_000) as ollama:  # ~1.2 s round
        manager = Manager(
            options=ManagerOptions(**{**FAST, "interval": 0.05, "liveness_rounds": 4, "heartbeat_file": path,
                                      "ollama_url": ollama.url}),
            load_config=lambda: serving("deepseek-r1:7b"),
            store=FileStore(tmp_path / "state.json"),
        )
        worker = threading.Thread(target=manager.reconcile_once)
        worker.start()
        results = []
        while worker.is_alive():
            if path.exists():
                results.append(probe(path))
            time.sleep(0.1)
        worker.join()
    assert results and set(results) == {0}
