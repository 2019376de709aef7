"""`make run` (the first command in README.md) serves the API locally, in standalone mode without a kubeconfig."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.request

import pytest

from tests.helmtools import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def make_run(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("KUBECONFIG", "KUBERNETES_SERVICE_HOST")}
    env.update(HOME=str(tmp_path), PORT=str(port), DEEPSEEK_WORKERS="1")
    log = tmp_path / "run.log"
    with log.open("w") as out:
        proc = subprocess.Popen(["make", "--no-print-directory", "run"], cwd=ROOT, env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as resp:
                    yield port, resp.status, log
                    break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(f"make run exited {proc.returncode}: {log.read_text()}")
                time.sleep(0.3)
        else:
            pytest.fail(f"make run did not answer within 60 s: {log.read_text()}")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)


def test_make_run_answers_healthz_and_says_it_is_standalone(make_run):
    port, status, log = make_run
    assert status == 200
    assert "standalone" in log.read_text()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/kapis/deepseek.kubesphere.io/v1alpha1/openapi.json") as resp:
        spec = json.load(resp)
    assert spec["openapi"].startswith("3.")
