"""What the streaming benchmarks (``gateway.py``, ``chat_streams.py``) share: the processes they
start, the machine they ran on, and a lean load generator for SSE streams.

The load generator speaks just enough HTTP/1.1 to send a request and time an SSE answer (first
``data:`` event, every event, the end of the chunked body) on its own keep-alive connections. It
is not aiohttp's client because on these 2-core machines that client spent as much CPU per stream
as the gateway it measured (1.6 s of CPU per round of 128 streams, read from ``/proc/<pid>/stat``),
so the figures showed the load generator fighting the gateway for a core more than the gateway's
own cost. Connections are kept across rounds, as an application's HTTP client pool keeps them
(``fresh=True`` opens one per stream instead, with ``Connection: close``).
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `python bench/x.py` puts bench/ first
    sys.path.insert(0, str(ROOT))

from bench._harness import cpu_model  # noqa: E402
from tests.stack import free_port  # noqa: E402,F401  (re-exported for the benches)

MODEL = "deepseek-r1:1.5b"
EVENT = b"data: "
CHUNKED_END = b"\r\n0\r\n\r\n"
"""The last chunk of a chunked body (RFC 9112 7.1), after the final data chunk's CRLF."""
CHAT_BODY = json.dumps({"model": MODEL, "stream": True,
                        "messages": [{"role": "user", "content": "why is the sky blue"}]}).encode()
"""The streamed chat request every bench stream sends."""


# ----- processes ---------------------------------------------------------------------------------
def python_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def start_double(port: int) -> subprocess.Popen[bytes]:
    """The ollama double as a process, with ``MODEL`` present."""
    return subprocess.Popen([sys.executable, "-m", "tests.doubles.ollama", "--port", str(port), "--local", MODEL],
                            cwd=ROOT, env=python_env(), stdout=subprocess.DEVNULL)


def start_cli(*args: str) -> subprocess.Popen[bytes]:
    """``deepseek-ext <args>`` as a process, quiet."""
    return subprocess.Popen([sys.executable, "-m", "deepseek_ext.cli", *args], cwd=ROOT, env=python_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def configure_double(url: str, *, token_ms: float, tokens: int) -> int:
    """A fixed-rate answer: two reasoning tokens, then ``tokens`` answer tokens, one every
    ``token_ms``; returns the data events a whole stream carries (without the last, empty one)."""
    knobs = {"token_seconds": token_ms / 1000, "reasoning_words": ["Hmm", "."],
             "answer_words": [f" w{i}" for i in range(tokens)]}
    request = urllib.request.Request(url + "/_double/config", data=json.dumps(knobs).encode(),
                                     headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request, timeout=5).read()
    return tokens + 2


def wait_http(url: str, proc: subprocess.Popen[bytes], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"{url} did not come up") from None
            time.sleep(0.1)


def stop(*procs: subprocess.Popen[bytes]) -> None:
    for proc in procs:
        proc.terminate()
        proc.wait(10)


def pin(*, gateway: int, others: list[int]) -> None:
    """The gateway alone on the last CPU, ``others`` (the double, this process) on the rest."""
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        raise SystemExit("--pin needs at least 2 CPUs")
    os.sched_setaffinity(gateway, {cpus[-1]})
    for pid in others:
        os.sched_setaffinity(pid, set(cpus[:-1]))


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def machine_facts() -> dict[str, Any]:
    return {"cpus": os.cpu_count(), "machine": platform.machine(), "python": platform.python_version(),
            "processor": cpu_model(platform.processor() or "unknown")}


def write_report(name: str, report: dict[str, Any]) -> None:
    out = ROOT / "bench/output"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.json").write_text(json.dumps(report, indent=2))


# ----- the load generator ------------------------------------------------------------------------
@dataclass
class Target:
    """One server the streams go to, with the keep-alive connections kept for it across rounds."""

    host: str
    port: int
    path: str
    fresh: bool = False
    idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = field(default_factory=list)

    async def connection(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self.idle and not self.fresh:
            return self.idle.pop()
        return await asyncio.open_connection(self.host, self.port)

    def close(self) -> None:
        for _, writer in self.idle:
            writer.close()
        self.idle.clear()


async def one_stream(target: Target, headers: dict[str, str], body: bytes) -> tuple[float, float, int]:
    """(seconds to the first ``data:`` event, seconds to the end of the answer, data events)."""
    started = time.perf_counter()
    reader, writer = await target.connection()
    lines = [f"POST {target.path} HTTP/1.1", f"Host: {target.host}:{target.port}",
             "Content-Type: application/json", f"Content-Length: {len(body)}",
             *(["Connection: close"] if target.fresh else []), *(f"{k}: {v}" for k, v in headers.items())]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
    status = int((await reader.readline()).split()[1])
    while (await reader.readline()) not in (b"\r\n", b""):
        pass
    if status != 200:
        writer.close()
        raise RuntimeError(f"HTTP {status}: {(await reader.read(300))[:300]!r}")
    first, events, tail = 0.0, 0, b""
    while True:
        chunk = await reader.read(65536)
        if not chunk:
            break
        # A 6-byte "data: " split across reads is whole in tail + chunk and cannot lie in the tail
        # alone, so counting there counts each event once.
        seen = (tail + chunk).count(EVENT)
        if seen and not events:
            first = time.perf_counter() - started
        events += seen
        tail = (tail + chunk)[-len(CHUNKED_END):]
        if tail == CHUNKED_END:
            break
    ended = time.perf_counter() - started
    if target.fresh or tail != CHUNKED_END:
        writer.close()
    else:
        target.idle.append((reader, writer))
    return first, ended, events


async def _run(target: Target, streams: int, headers_for: Callable[[int], dict[str, str]], body: bytes,
               sample_pid: int | None, spread_s: float) -> tuple[list[Any], float, int]:
    peak = 0
    started = time.perf_counter()

    async def stream(i: int) -> tuple[float, float, int]:
        if spread_s:
            await asyncio.sleep(i * spread_s / streams)
        return await one_stream(target, headers_for(i), body)

    tasks = [asyncio.create_task(stream(i)) for i in range(streams)]
    while sample_pid and not all(t.done() for t in tasks):
        peak = max(peak, rss_kib(sample_pid))
        await asyncio.sleep(0.05)
    results = await asyncio.gather(*tasks, return_exceptions=True)
    return results, time.perf_counter() - started, peak


def run_streams(target: Target, streams: int, *, headers_for: Callable[[int], dict[str, str]], events: int,
                loop: asyncio.AbstractEventLoop, sample_pid: int | None = None,
                spread_s: float = 0.0) -> dict[str, Any]:
    """``streams`` chat streams at once (or opened evenly over ``spread_s``); wall time, sorted
    first-chunk times (ms, each from its own stream's start), failures, peak RSS."""
    results, wall, peak = loop.run_until_complete(_run(target, streams, headers_for, CHAT_BODY, sample_pid,
                                                       spread_s))
    ok = [r for r in results if not isinstance(r, BaseException)]
    failed = [r for r in results if isinstance(r, BaseException)] + [r for r in ok if r[2] < events]
    return {"wall_s": wall, "ttfc_ms": sorted(r[0] * 1000 for r in ok), "failed": len(failed),
            "errors": [repr(e)[:200] for e in failed[:3]], "peak_rss_kib": peak}


def new_loop() -> asyncio.AbstractEventLoop:
    """The load generator's loop: uvloop (a requirement of the gateway) costs less per event."""
    import uvloop

    return uvloop.new_event_loop()


def summary(ttfc_ms: list[float]) -> dict[str, float]:
    if not ttfc_ms:
        return {"p50": 0.0, "p95": 0.0, "max": 0.0}
    return {"p50": statistics.median(ttfc_ms), "p95": ttfc_ms[min(len(ttfc_ms) - 1, int(len(ttfc_ms) * 0.95))],
            "max": ttfc_ms[-1]}

