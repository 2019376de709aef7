"""A gateway on loopback (its own event loop in a thread) in front of the ollama double."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
import requests
from deepseek_ext.adapters.files import load_messages
from deepseek_ext.gateway.app import GatewayConfig, Listen, create_admin_app, create_app, create_metrics_app, start_site
from deepseek_ext.gateway.keys import KeyStore, hash_key
from deepseek_ext.gateway.usage import GatewayMetrics
from prometheus_client.parser import text_string_to_metric_families

from tests.doubles.ollama import OllamaDouble

MODEL = "deepseek-r1:1.5b"
KEYS = {"app-one": "key-one-secret-value", "nextchat": "key-nextchat-secret-value",
        "console": "key-console-secret-value"}
ADMIN_KEY = "admin-secret-value"


@dataclass
class RunningGateway:
    url: str
    admin_url: str
    metrics_url: str
    keys_file: Path
    ollama: OllamaDouble
    loop: asyncio.AbstractEventLoop
    stop_event: asyncio.Event
    thread: threading.Thread
    sessions: list[requests.Session] = field(default_factory=list)

    def session(self, key: str | None = "key-one-secret-value") -> requests.Session:
        s = requests.Session()
        if key is not None:
            s.headers["Authorization"] = f"Bearer {key}"
        self.sessions.append(s)
        return s

    def metrics(self) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
        text = requests.get(self.metrics_url + "/metrics", timeout=5).text
        out: dict[tuple[str, tuple[tuple[str, str], ...]], float] = {}
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                out[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
        return out

    def metric(self, name: str, **labels: str) -> float:
        return self.metrics().get((name, tuple(sorted(labels.items()))), 0.0)

    def metrics_text(self) -> str:
        return requests.get(self.metrics_url + "/metrics", timeout=5).text


def start_gateway(config: GatewayConfig, ollama: OllamaDouble, keys_file: Path) -> RunningGateway:
    ready = threading.Event()
    box: dict[str, Any] = {}

    async def main() -> None:
        metrics = GatewayMetrics()
        stop = asyncio.Event()
        runners = [await start_site(create_app(config, metrics), Listen("127.0.0.1", 0)),
                   await start_site(create_admin_app(config, metrics), Listen("127.0.0.1", 0)),
                   await start_site(create_metrics_app(config, metrics), Listen("127.0.0.1", 0))]
        box["ports"] = [r.addresses[0][1] for r in runners]
        box["loop"], box["stop"] = asyncio.get_running_loop(), stop
        ready.set()
        await stop.wait()
        for runner in runners:
            await runner.cleanup()

    thread = threading.Thread(target=asyncio.run, args=(main(),), daemon=True, name="gateway")
    thread.start()
    assert ready.wait(10)
    app, admin, metrics_port = box["ports"]
    return RunningGateway(url=f"http://127.0.0.1:{app}", admin_url=f"http://127.0.0.1:{admin}",
                          metrics_url=f"http://127.0.0.1:{metrics_port}", keys_file=keys_file, ollama=ollama,
                          loop=box["loop"], stop_event=box["stop"], thread=thread)


def stop_gateway(gw: RunningGateway) -> None:
    for s in gw.sessions:
        s.close()
    gw.loop.call_soon_threadsafe(gw.stop_event.set)
    gw.thread.join(10)


def write_keys(path: Path, keys: dict[str, str]) -> None:
    path.write_text("".join(f"{name}: {value}\n" for name, value in keys.items()))


@pytest.fixture
def ollama() -> Iterator[OllamaDouble]:
    with OllamaDouble(local=[MODEL, "deepseek-r1:7b"]) as double:
        yield double


@pytest.fixture
def base_config(tmp_path: Path, ollama: OllamaDouble) -> GatewayConfig:
    keys_file = tmp_path / "keys.yaml"
    # One plain key and one stored as a hash, the way the chart's Secret holds them.
    write_keys(keys_file, {"app-one": KEYS["app-one"], "nextchat": hash_key(KEYS["nextchat"]),
                           "console": hash_key(KEYS["console"])})
    admin_file = tmp_path / "admin.yaml"
    write_keys(admin_file, {"manager": ADMIN_KEY})
    return GatewayConfig(ollama_url=ollama.url, catalog=load_messages(),
                         keys=KeyStore([keys_file], check_interval=0), require_key=True, models=(MODEL,),
                         admin_keys=KeyStore([admin_file], check_interval=0))


@pytest.fixture
def make_gateway(base_config: GatewayConfig, ollama: OllamaDouble, tmp_path: Path) -> Iterator[Any]:
    running: list[RunningGateway] = []

    def make(**changes: Any) -> RunningGateway:
        gw = start_gateway(replace(base_config, **changes), ollama, tmp_path / "keys.yaml")
        running.append(gw)
        return gw

    yield make
    for gw in running:
        stop_gateway(gw)


@pytest.fixture
def gateway(make_gateway: Any) -> RunningGateway:
    return make_gateway()
