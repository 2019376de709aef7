"""The edge on loopback (its own event loop in a thread) in front of an upstream: a tiny aiohttp echo
server, or gunicorn running the real Flask app as the chart runs it (standalone, no cluster)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
import requests
from aiohttp import web
from deepseek_ext.edge.app import create_app, start
from deepseek_ext.edge.config import EdgeConfig, IdentitySettings
from deepseek_ext.gateway.app import Listen

from tests.helmtools import ROOT
from tests.stack import free_port

PREFIX = "/kapis/deepseek.kubesphere.io/v1alpha1"
GUNICORN = Path(sys.executable).parent / "gunicorn"


@dataclass
class Running:
    """A server on its own loop in a thread; ``url`` is where it listens."""

    url: str
    loop: asyncio.AbstractEventLoop
    stop_event: asyncio.Event
    thread: threading.Thread
    app: web.Application

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.stop_event.set)
        self.thread.join(10)


def run_in_thread(app_factory: Callable[[], web.Application], *, ssl_context: Any = None,
                  name: str = "edge") -> Running:
    ready = threading.Event()
    box: dict[str, Any] = {}

    async def main() -> None:
        app = app_factory()
        runner = await start(app, Listen("127.0.0.1", 0), ssl_context)
        box.update(port=runner.addresses[0][1], loop=asyncio.get_running_loop(), stop=asyncio.Event(), app=app)
        ready.set()
        await box["stop"].wait()
        await runner.cleanup()

    thread = threading.Thread(target=asyncio.run, args=(main(),), daemon=True, name=name)
    thread.start()
    assert ready.wait(10), "server did not start"
    scheme = "https" if ssl_context else "http"
    return Running(url=f"{scheme}://127.0.0.1:{box['port']}", loop=box["loop"], stop_event=box["stop"],
                   thread=thread, app=box["app"])


@dataclass
class Echo:
    """What the echo upstream saw: one dict per request (method, path_qs, headers, body)."""

    seen: list[dict[str, Any]] = field(default_factory=list)


def echo_app(echo: Echo) -> web.Application:
    async def handle(request: web.Request) -> web.StreamResponse:
        body = await request.read()
        echo.seen.append({"method": request.method, "path_qs": request.raw_path,
                          "headers": dict(request.headers), "body": body})
        if request.path == "/stream":
            response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
            await response.prepare(request)
            for i in range(3):
                await response.write(f"data: {i}\n\n".encode())
                await asyncio.sleep(0.3)
            await response.write_eof()
            return response
        return web.json_response({"path_qs": request.path_qs, "user": request.headers.get("X-Remote-User")},
                                 headers={"X-Upstream": "yes"})

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    return app


@pytest.fixture
def echo() -> Iterator[tuple[Echo, Running]]:
    seen = Echo()
    server = run_in_thread(lambda: echo_app(seen), name="echo")
    yield seen, server
    server.stop()


@pytest.fixture
def make_edge() -> Iterator[Callable[..., Running]]:
    running: list[Running] = []

    def make(upstream: str, *, verify: bool = False, ks_url: str = "http://127.0.0.1:9", ssl_context: Any = None,
             **changes: Any) -> Running:
        identity = IdentitySettings(verify_caller=verify, ks_apiserver_url=ks_url)
        config = replace(EdgeConfig(upstream_url=upstream, identity=identity), **changes)
        server = run_in_thread(lambda: create_app(config), ssl_context=ssl_context)
        running.append(server)
        return server

    yield make
    for server in running:
        server.stop()


class Gunicorn:
    """The real API under gunicorn (the chart's config file), standalone, on a free loopback port."""

    def __init__(self, workdir: Path, *, workers: int = 1, threads: int = 2) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("DEEPSEEK_", "KUBERNETES_", "PROMETHEUS_")) and k != "KUBECONFIG"}
        env.update(DEEPSEEK_BIND=f"127.0.0.1:{self.port}", DEEPSEEK_WORKERS=str(workers),
                   DEEPSEEK_THREADS=str(threads), DEEPSEEK_STANDALONE="1", HOME=str(workdir))
        self.log_path = workdir / "gunicorn.log"
        with self.log_path.open("wb") as log:
            self.proc = subprocess.Popen(
                [str(GUNICORN), "--config", str(ROOT / "backend/gunicorn.conf.py"), "deepseek_ext.api:create_app()"],
                env=env, cwd=workdir, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/readyz", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"gunicorn did not start: {self.log_path.read_text()[-2000:]}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGQUIT)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@pytest.fixture
def gunicorn(tmp_path: Path) -> Iterator[Gunicorn]:
    server = Gunicorn(tmp_path)
    yield server
    server.stop()


def body_json(response: requests.Response) -> dict[str, Any]:
    assert response.headers["Content-Type"].startswith("application/json"), response.text[:200]
    return json.loads(response.content)
