"""``GET P/usage``: the usage of every gateway pod summed, one pod down, within the time budget.

Real gateways (their admin listeners, in front of the ollama double) on fake pod IPs 127.0.2.x,
all on the same admin port as in a cluster; the third pod has nothing listening (a dead pod).
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from deepseek_ext.adapters.files import load_messages
from deepseek_ext.adapters.kube import Kube, Snapshot
from deepseek_ext.gateway.app import GatewayConfig, Listen, create_admin_app, create_app, start_site
from deepseek_ext.gateway.keys import KeyStore
from deepseek_ext.gateway.usage import GatewayMetrics
from deepseek_ext.services.usage import merge, usage_summary
from deepseek_ext.settings import load_settings

from tests.doubles.ollama import OllamaDouble
from tests.stack import free_port

MODEL = "deepseek-r1:1.5b"
ADMIN_KEY = "admin-key-for-usage"
APP_KEY = "app-key-for-usage"
IPS = ["127.0.2.1", "127.0.2.2", "127.0.2.3"]


class _Cache:
    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot

    def get(self) -> Snapshot:
        return self.snapshot


def _pod(name: str, ip: str) -> dict[str, Any]:
    return {"metadata": {"name": name, "labels": {"app": "deepseek-backend-server"}},
            "status": {"podIP": ip, "phase": "Running"}}


@pytest.fixture
def gateways(tmp_path: Path, monkeypatch) -> Iterator[dict[str, Any]]:
    admin = tmp_path / "admin.yaml"
    admin.write_text(f"manager: {ADMIN_KEY}\n")
    keys = tmp_path / "keys.yaml"
    keys.write_text(f"ci-bot: {APP_KEY}\n")
    (tmp_path / "manager").write_text(ADMIN_KEY)
    monkeypatch.setenv("DEEPSEEK_OLLAMA_KEY_FILE", str(tmp_path / "manager"))
    port = free_port(IPS[0])
    ollama = OllamaDouble(local=[MODEL]).start()
    config = GatewayConfig(ollama_url=ollama.url, catalog=load_messages(), keys=KeyStore([keys]),
                           admin_keys=KeyStore([admin]), models=(MODEL,))
    box: dict[str, Any] = {}
    ready = threading.Event()

    async def main() -> None:
        stop = asyncio.Event()
        runners, app_urls = [], []
        for ip in IPS[:2]:
            metrics = GatewayMetrics()
            runners.append(await start_site(create_admin_app(config, metrics), Listen(ip, port)))
            app_runner = await start_site(create_app(config, metrics), Listen(ip, 0))
            runners.append(app_runner)
            app_urls.append(f"http://{ip}:{app_runner.addresses[0][1]}")
        box.update(loop=asyncio.get_running_loop(), stop=stop, app_urls=app_urls)
        ready.set()
        await stop.wait()
        for runner in runners:
            await runner.cleanup()

    thread = threading.Thread(target=asyncio.run, args=(main(),), daemon=True)
    thread.start()
    assert ready.wait(10)
    serving = {"model": MODEL, "models": [MODEL], "ollamaAdminPort": port}
    snapshot = Snapshot(items={
        "pods": [_pod(f"deepseek-backend-server-{i}", ip) for i, ip in enumerate(IPS)],
        "configmaps": [{"metadata": {"name": "deepseek-serving"}, "data": {"config.json": json.dumps(serving)}}],
    })
    kube = Kube(client=object(), cache=_Cache(snapshot))  # type: ignore[arg-type]
    yield {"kube": kube, "app_urls": box["app_urls"]}
    box["loop"].call_soon_threadsafe(box["stop"].set)
    thread.join(10)
    ollama.stop()


def test_usage_is_summed_over_the_pods_that_answer(gateways) -> None:
    chat = {"model": MODEL, "messages": [{"role": "user", "content": "hi"}]}
    headers = {"Authorization": f"Bearer {APP_KEY}"}
    for url, times in zip(gateways["app_urls"], (2, 1), strict=True):
        for _ in range(times):
            assert requests.post(url + "/v1/chat/completions", json=chat, headers=headers, timeout=10).ok
    settings = load_settings(env={"DEEPSEEK_STANDALONE": "1"})
    started = time.monotonic()
    summary = usage_summary(settings=settings, kube=gateways["kube"], budget=2.0)
    assert time.monotonic() - started < 2.5
    assert (summary["podsReporting"], summary["podsTotal"]) == (2, 3)  # 127.0.2.3 is down
    [item] = summary["items"]
    assert (item["caller"], item["kind"], item["requests"], item["errors"]) == ("ci-bot", "key", 3, 0)
    assert item["models"][MODEL]["requests"] == 3
    assert item["completionTokens"] == item["models"][MODEL]["completionTokens"] > 0
    assert summary["since"].endswith("Z")
    assert APP_KEY not in json.dumps(summary) and ADMIN_KEY not in json.dumps(summary)


def test_a_slow_pod_is_left_out_within_the_budget() -> None:
    def fetch(url: str) -> dict[str, Any]:
        if url.endswith("slow"):
            time.sleep(1.0)
        return {"since": "2026-01-01T00:00:00Z", "items": [{"caller": "a", "kind": "key", "requests": 1,
                                                            "errors": 0, "promptTokens": 1, "completionTokens": 2,
                                                            "models": {}}]}

    settings = load_settings(env={"DEEPSEEK_STANDALONE": "1"})
    snapshot = Snapshot(items={"pods": [_pod("fast", "10.0.0.1"), _pod("slow", "10.0.0.2")], "configmaps": []})
    kube = Kube(client=object(), cache=_Cache(snapshot))  # type: ignore[arg-type]

    def routed(url: str) -> dict[str, Any]:
        return fetch(url + ("slow" if "10.0.0.2" in url else ""))

    started = time.monotonic()
    summary = usage_summary(settings=settings, kube=kube, budget=0.3, fetch=routed)
    assert time.monotonic() - started < 0.9
    assert (summary["podsReporting"], summary["podsTotal"]) == (1, 2)


def test_merge_sums_callers_and_models() -> None:
    one = {"items": [{"caller": "user:alice", "kind": "user", "requests": 2, "errors": 1, "promptTokens": 5,
                      "completionTokens": 7, "models": {MODEL: {"requests": 2, "promptTokens": 5,
                                                                "completionTokens": 7}}}]}
    two = {"items": [{"caller": "user:alice", "kind": "user", "requests": 1, "errors": 0, "promptTokens": 1,
                      "completionTokens": 1, "models": {MODEL: {"requests": 1, "promptTokens": 1,
                                                                "completionTokens": 1}}},
                     {"caller": "ci-bot", "kind": "key", "requests": 1, "errors": 0, "promptTokens": 0,
                      "completionTokens": 0, "models": {}}]}
    merged = merge([one, two])
    assert [m["caller"] for m in merged] == ["ci-bot", "user:alice"]
    alice = merged[1]
    assert (alice["requests"], alice["errors"], alice["promptTokens"]) == (3, 1, 6)
    assert alice["models"][MODEL] == {"requests": 3, "promptTokens": 6, "completionTokens": 8}
