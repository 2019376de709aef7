"""`make run` (the first command in README.md) serves the API locally, in standalone mode without a
kubeconfig: the edge on $PORT in front of gunicorn, and with DEEPSEEK_OLLAMA_URL a chat route through
a local gateway to that ollama."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.helmtools import ROOT

CHAT = "/kapis/deepseek.kubesphere.io/v1alpha1/chat/completions"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_make_run(tmp_path: Path, **extra_env: str) -> Iterator[tuple[int, int, Path]]:
    port = free_port()
    env = {k: v for k, v in os.environ.items()
           if k not in ("KUBECONFIG", "KUBERNETES_SERVICE_HOST", "DEEPSEEK_OLLAMA_URL")}
    # The edge on PORT; gunicorn and the gateway on free ports of their own.
    env.update(HOME=str(tmp_path), PORT=str(port), DEEPSEEK_WORKERS="1", API_PORT=str(free_port()),
               GATEWAY_PORT=str(free_port()), **extra_env)
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


@pytest.fixture
def make_run(tmp_path):
    with running_make_run(tmp_path) as started:
        yield started


def test_make_run_answers_healthz_and_says_it_is_standalone(make_run):
    port, status, log = make_run
    assert status == 200
    assert "standalone" in log.read_text()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/kapis/deepseek.kubesphere.io/v1alpha1/openapi.json") as resp:
        spec = json.load(resp)
    assert spec["openapi"].startswith("3.")


def test_make_run_serves_through_the_edge(make_run):
    port, _, _ = make_run
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz") as resp:
        assert json.load(resp) == {"status": "ok", "component": "edge"}


def test_make_run_with_an_ollama_url_chats_as_the_named_user(tmp_path):
    from tests.doubles.ollama import OllamaDouble

    with OllamaDouble(local=["deepseek-r1:1.5b"]) as ollama, \
            running_make_run(tmp_path, DEEPSEEK_OLLAMA_URL=ollama.url) as (port, _, log):
        body = json.dumps({"model": "deepseek-r1:1.5b", "stream": True,
                           "messages": [{"role": "user", "content": "hi"}]}).encode()
        chat = urllib.request.Request(f"http://127.0.0.1:{port}{CHAT}", data=body,
                                      headers={"Content-Type": "application/json", "X-Remote-User": "alice"})
        deadline = time.monotonic() + 30
        while True:  # the gateway may still be starting when the edge already answers
            try:
                with urllib.request.urlopen(chat, timeout=10) as resp:
                    text = resp.read().decode()
                break
            except urllib.error.HTTPError as exc:
                if exc.code != 503 or time.monotonic() > deadline:
                    raise AssertionError(f"{exc.code} {exc.read()[:300]!r}\n{log.read_text()[-2000:]}") from None
                time.sleep(0.3)
        assert "reasoning_content" in text and text.rstrip().endswith("data: [DONE]")
        assert "chat goes through a local gateway" in log.read_text()
        nobody = urllib.request.Request(f"http://127.0.0.1:{port}{CHAT}", data=body,
                                        headers={"Content-Type": "application/json"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(nobody, timeout=10)
        assert refused.value.code == 401
