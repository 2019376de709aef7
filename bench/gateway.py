#!/usr/bin/env python3
"""Gateway benchmark: streams straight to the ollama double against the same streams through the gateway.

One run starts the ollama double (a process, streaming every token after ``--token-ms``) and
``deepseek-ext gateway`` in front of it (a process, as the chart runs it: key required, usage on),
then for 1, 32 and 128 concurrent ``/v1/chat/completions`` streams measures, direct and through
the gateway: the wall time until every stream has ended, the median time to the first chunk, and
the gateway's resident memory while the streams are open. Printed side by side with

* ``wall ratio`` = direct ÷ gateway (target >= 0.95: the gateway does not slow a stream down);
* ``+ttfc ms`` = gateway median time to first chunk − direct (target <= 2 ms);
* ``KiB/stream`` = (gateway RSS with the streams open − idle RSS) ÷ streams.

    .venv/bin/python bench/gateway.py [--streams 1,32,128] [--token-ms 20] [--tokens 100] [--rounds 5] [--json]

Writes ``bench/output/gateway.json`` and exits 1 when a target is missed or a stream failed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
MODEL = "deepseek-r1:1.5b"
KEY = "bench-key-not-a-secret"
WALL_RATIO_TARGET = 0.95
TTFC_TARGET_MS = 2.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


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


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def one_stream(session: aiohttp.ClientSession, url: str, headers: dict[str, str],
                     body: bytes) -> tuple[float, float, int]:
    """(seconds to first chunk, seconds to the end, data events)."""
    started = time.perf_counter()
    first = 0.0
    events = 0
    async with session.post(url, data=body, headers=headers) as answer:
        if answer.status != 200:
            raise RuntimeError(f"HTTP {answer.status}: {(await answer.text())[:200]}")
        async for line in answer.content:
            if line.startswith(b"data: "):
                if not events:
                    first = time.perf_counter() - started
                events += 1
    return first, time.perf_counter() - started, events


async def run_streams(base: str, streams: int, *, key: str | None, tokens: int,
                      sample_pid: int | None) -> dict[str, Any]:
    headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {key}"} if key else {})}
    body = json.dumps({"model": MODEL, "stream": True,
                       "messages": [{"role": "user", "content": "why is the sky blue"}]}).encode()
    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=600)
    peak = 0
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        started = time.perf_counter()
        tasks = [asyncio.create_task(one_stream(session, base + "/v1/chat/completions", headers, body))
                 for _ in range(streams)]
        while sample_pid and not all(t.done() for t in tasks):
            peak = max(peak, rss_kib(sample_pid))
            await asyncio.sleep(0.05)
        results = await asyncio.gather(*tasks, return_exceptions=True)
        wall = time.perf_counter() - started
    failed = [r for r in results if isinstance(r, BaseException)]
    ok = [r for r in results if not isinstance(r, BaseException)]
    short = [r for r in ok if r[2] < tokens]
    return {"wall_s": wall, "ttfc_ms": statistics.median(r[0] for r in ok) * 1000 if ok else None,
            "failed": len(failed) + len(short), "errors": [repr(e)[:200] for e in failed[:3]], "peak_rss_kib": peak}


def _best_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Best of the rounds (as timeit does): on a shared machine the least-disturbed round is the
    closest to the cost itself; every round's figures stay in the JSON."""
    ttfcs = [r["ttfc_ms"] for r in runs if r["ttfc_ms"] is not None]
    return {"wall_s": min(r["wall_s"] for r in runs), "ttfc_ms": min(ttfcs) if ttfcs else None,
            "all_wall_s": [round(r["wall_s"], 4) for r in runs],
            "all_ttfc_ms": [round(t, 3) for t in ttfcs],
            "failed": sum(r["failed"] for r in runs), "errors": [e for r in runs for e in r["errors"]][:3],
            "peak_rss_kib": max(r["peak_rss_kib"] for r in runs), "rounds": len(runs)}


def configure_double(url: str, knobs: dict[str, Any]) -> None:
    request = urllib.request.Request(url + "/_double/config", data=json.dumps(knobs).encode(),
                                     headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request, timeout=5).read()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--streams", default="1,32,128", help="concurrent streams per step (default 1,32,128)")
    parser.add_argument("--token-ms", type=float, default=20.0, help="ms between tokens of each stream (default 20)")
    parser.add_argument("--tokens", type=int, default=100, help="answer tokens per stream (default 100)")
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds per step, best kept (5)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of the table")
    args = parser.parse_args(argv)
    steps = [int(s) for s in args.streams.split(",") if s.strip()]

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    ollama_port, gw_port, metrics_port = free_port(), free_port(), free_port()
    with tempfile.TemporaryDirectory() as tmp:
        keys = Path(tmp) / "keys.yaml"
        keys.write_text(f"bench: {KEY}\n")
        double = subprocess.Popen([sys.executable, "-m", "tests.doubles.ollama", "--port", str(ollama_port),
                                   "--local", MODEL], cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
        gateway = subprocess.Popen([sys.executable, "-m", "deepseek_ext.cli", "gateway",
                                    "--listen", f"127.0.0.1:{gw_port}", "--ollama-url", f"http://127.0.0.1:{ollama_port}",
                                    "--keys-file", str(keys), "--metrics-listen", f"127.0.0.1:{metrics_port}",
                                    "--models", MODEL], cwd=ROOT, env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            direct_url, gw_url = f"http://127.0.0.1:{ollama_port}", f"http://127.0.0.1:{gw_port}"
            wait_http(direct_url + "/", double)
            wait_http(gw_url + "/", gateway)
            configure_double(direct_url, {"token_seconds": args.token_ms / 1000, "reasoning_words": ["Hmm", "."],
                                          "answer_words": [f" w{i}" for i in range(args.tokens)]})
            tokens = args.tokens + 2
            asyncio.run(run_streams(gw_url, 4, key=KEY, tokens=tokens, sample_pid=None))  # warm both up
            idle = rss_kib(gateway.pid)
            rows = []
            for n in steps:
                # Alternate direct and gateway for --rounds rounds and keep the best of each, so a burst
                # of load from elsewhere on the machine does not land on one side only.
                directs, vias = [], []
                for _ in range(args.rounds):
                    directs.append(asyncio.run(run_streams(direct_url, n, key=None, tokens=tokens, sample_pid=None)))
                    vias.append(asyncio.run(run_streams(gw_url, n, key=KEY, tokens=tokens,
                                                        sample_pid=gateway.pid)))
                direct, via = _best_run(directs), _best_run(vias)
                rows.append({
                    "streams": n, "direct": direct, "gateway": via,
                    "wall_ratio": direct["wall_s"] / via["wall_s"],
                    "added_ttfc_ms": (via["ttfc_ms"] or 0) - (direct["ttfc_ms"] or 0),
                    "kib_per_stream": max(0, via["peak_rss_kib"] - idle) / n,
                })
        finally:
            for proc in (gateway, double):
                proc.terminate()
                proc.wait(10)
    ok = all(r["wall_ratio"] >= WALL_RATIO_TARGET and r["added_ttfc_ms"] <= TTFC_TARGET_MS
             and not r["direct"]["failed"] and not r["gateway"]["failed"] for r in rows)
    machine = {"cpus": os.cpu_count(), "machine": platform.machine(), "python": platform.python_version(),
               "processor": _cpu_model()}
    report = {"machine": machine, "load_average": os.getloadavg()[0], "rounds": args.rounds,
              "token_ms": args.token_ms, "tokens": args.tokens, "idle_rss_kib": idle,
              "rows": rows, "ok": ok}
    out = ROOT / "bench/output"
    out.mkdir(parents=True, exist_ok=True)
    (out / "gateway.json").write_text(json.dumps(report, indent=2))
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"machine: {machine['processor']} x{machine['cpus']}, Python {machine['python']}, "
              f"load average {os.getloadavg()[0]:.1f}; best of {args.rounds} alternating rounds; "
              f"{args.tokens} tokens per stream, one every {args.token_ms:g} ms; gateway idle RSS {idle} KiB")
        print(f"{'streams':>7} {'direct s':>9} {'gateway s':>9} {'wall ratio':>10} {'ttfc ms':>8} "
              f"{'gw ttfc ms':>10} {'+ttfc ms':>8} {'KiB/stream':>10} {'failed':>6}")
        for r in rows:
            print(f"{r['streams']:>7} {r['direct']['wall_s']:>9.3f} {r['gateway']['wall_s']:>9.3f} "
                  f"{r['wall_ratio']:>10.3f} {r['direct']['ttfc_ms']:>8.2f} {r['gateway']['ttfc_ms']:>10.2f} "
                  f"{r['added_ttfc_ms']:>8.2f} {r['kib_per_stream']:>10.1f} "
                  f"{r['direct']['failed'] + r['gateway']['failed']:>6}")
        print(f"targets: wall ratio >= {WALL_RATIO_TARGET}, +ttfc <= {TTFC_TARGET_MS} ms: "
              f"{'met' if ok else 'MISSED'}")
    return 0 if ok else 1


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


if __name__ == "__main__":
    raise SystemExit(main())
