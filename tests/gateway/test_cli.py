"""The standalone form the checks run: ``deepseek-ext gateway --listen --ollama-url --keys-file --metrics-listen``."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import requests

from tests.gateway.conftest import MODEL
from tests.stack import free_port


def start_gateway(ollama_url: str, keys: Path, *extra: str) -> tuple[subprocess.Popen[bytes], int, int]:
    """``deepseek-ext gateway`` as the checks run it, once it answers: (process, port, metrics port)."""
    port, metrics_port = free_port(), free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "deepseek_ext.cli", "gateway", "--listen", f"127.0.0.1:{port}",
         "--ollama-url", ollama_url, "--keys-file", str(keys), "--metrics-listen", f"127.0.0.1:{metrics_port}",
         "--models", MODEL, *extra], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 20
    while True:
        try:
            requests.get(f"http://127.0.0.1:{port}/", timeout=1)
            return proc, port, metrics_port
        except requests.ConnectionError:
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.1)


def test_standalone_gateway_process(ollama, tmp_path) -> None:
    keys = tmp_path / "keys.yaml"
    keys.write_text("app-one: standalone-key\n")
    proc, port, metrics_port = start_gateway(ollama.url, keys)
    try:
        headers = {"Authorization": "Bearer standalone-key"}
        answer = requests.post(f"http://127.0.0.1:{port}/v1/chat/completions", headers=headers, timeout=10,
                               json={"model": MODEL, "messages": [{"role": "user", "content": "hi"}]})
        assert answer.status_code == 200 and "reasoning_content" in answer.json()["choices"][0]["message"]
        refused = requests.post(f"http://127.0.0.1:{port}/api/pull", headers=headers, json={"model": MODEL},
                                timeout=5)
        assert refused.status_code == 403
        text = requests.get(f"http://127.0.0.1:{metrics_port}/metrics", timeout=5).text
        assert 'deepseek_gateway_requests_total{code="200",key="app-one",model="deepseek-r1:1.5b"} 1.0' in text
        assert 'deepseek_gateway_tokens_total{key="app-one",kind="completion",model="deepseek-r1:1.5b"}' in text
        assert "standalone-key" not in text
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=10)
    assert proc.returncode == 0
    assert b"standalone-key" not in out


def test_standalone_gateway_trusts_only_the_named_proxy_key(ollama, tmp_path) -> None:
    keys = tmp_path / "keys.yaml"
    keys.write_text("console: console-key\napp-one: app-key\n")
    proc, port, metrics_port = start_gateway(ollama.url, keys, "--trusted-proxy-keys", "console",
                                             "--max-concurrent-per-user", "1")
    try:
        chat = {"model": MODEL, "messages": [{"role": "user", "content": "hi"}]}
        for key in ("console-key", "app-key"):
            answer = requests.post(f"http://127.0.0.1:{port}/v1/chat/completions", json=chat, timeout=10,
                                   headers={"Authorization": f"Bearer {key}", "X-DeepSeek-User": "alice"})
            assert answer.status_code == 200
        text = requests.get(f"http://127.0.0.1:{metrics_port}/metrics", timeout=5).text
        assert 'deepseek_gateway_requests_total{code="200",key="user:alice",model="deepseek-r1:1.5b"} 1.0' in text
        assert 'deepseek_gateway_requests_total{code="200",key="app-one",model="deepseek-r1:1.5b"} 1.0' in text
    finally:
        proc.terminate()
        proc.communicate(timeout=10)
    assert proc.returncode == 0
