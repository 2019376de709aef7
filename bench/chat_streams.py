#!/usr/bin/env python3
"""Console chat benchmark: 64 concurrent chat streams through the edge against the same streams sent
straight to the gateway, in one run.

It starts the ollama double (a process, a token every ``--token-ms``), ``deepseek-ext gateway`` in front
of it with a ``console`` key (``--trusted-proxy-keys console`` when the gateway has the flag), and
``deepseek-ext edge`` (a process, as the chart runs it minus TLS) whose chat route calls that gateway.
For each step (default 64 streams) it alternates rounds of

* direct: ``POST /v1/chat/completions`` on the gateway with the console key;
* edge: ``POST /kapis/.../chat/completions`` on the edge with ``X-Remote-User: user-<i>``;

and reports the wall time until every stream ended (``wall ratio`` = direct ÷ edge, target >= 0.95),
the time-to-first-chunk distribution direct and through the edge (p50, p95, max; target: none queued:
a stream that waited for a free worker, as with gthread's thread per stream, would see its first chunk
a whole answer late, so a first chunk later than the slowest direct one plus half an answer counts as
queued), and the edge's memory per open stream
((peak RSS − idle RSS) ÷ streams).

    .venv/bin/python bench/chat_streams.py [--streams 64] [--token-ms 20] [--tokens 100] [--rounds 3] [--json]

Writes ``bench/output/chat_streams.json``; exits 1 when a target is missed or a stream failed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.gateway import _cpu_model, configure_double, free_port, rss_kib, wait_http  # noqa: E402

MODEL = "deepseek-r1:1.5b"
KEY = "bench-console-key-not-a-secret"
CHAT = "/kapis/deepseek.kubesphere.io/v1alpha1/chat/completions"
WALL_RATIO_TARGET = 0.95
QUEUED_SHARE = 0.5
"""A first chunk later than the slowest direct one plus this share of a whole answer counts as queued."""


async def one_stream(session: aiohttp.ClientSession, url: str, headers: dict[str, str],
                     body: bytes) -> tuple[float, float, int]:
    started = time.perf_counter()
    first, events = 0.0, 0
    async with session.post(url, data=body, headers=headers) as answer:
        if answer.status != 200:
            raise RuntimeError(f"HTTP {answer.status}: {(await answer.text())[:200]}")
        async for line in answer.content:
            if line.startswith(b"data: "):
                if not events:
                    first = time.perf_counter() - started
                events += 1
    return first, time.perf_counter() - started, events


async def run_streams(url: str, streams: int, *, via_edge: bool, tokens: int,
                      sample_pid: int | None) -> dict[str, Any]:
    body = json.dumps({"model": MODEL, "stream": True,
                       "messages": [{"role": "user", "content": "why is the sky blue"}]}).encode()
    peak = 0
    timeout = aiohttp.ClientTimeout(total=600)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0), timeout=timeout) as session:
        started = time.perf_counter()
        tasks = []
        for i in range(streams):
            headers = {"Content-Type": "application/json"}
            headers.update({"X-Remote-User": f"user-{i}"} if via_edge else {"Authorization": f"Bearer {KEY}"})
            tasks.append(asyncio.create_task(one_stream(session, url, headers, body)))
        while sample_pid and not all(t.done() for t in tasks):
            peak = max(peak, rss_kib(sample_pid))
            await asyncio.sleep(0.05)
        results = await asyncio.gather(*tasks, return_exceptions=True)
        wall = time.perf_counter() - started
    ok = [r for r in results if not isinstance(r, BaseException)]
    failed = [r for r in results if isinstance(r, BaseException)] + [r for r in ok if r[2] < tokens]
    ttfc = sorted(r[0] * 1000 for r in ok)
    return {"wall_s": wall, "failed": len(failed), "errors": [repr(e)[:200] for e in failed[:3]],
            "ttfc_ms": ttfc, "peak_rss_kib": peak}


def _summary(ttfc: list[float]) -> dict[str, float]:
    if not ttfc:
        return {"p50": 0.0, "p95": 0.0, "max": 0.0}
    return {"p50": statistics.median(ttfc), "p95": ttfc[min(len(ttfc) - 1, int(len(ttfc) * 0.95))],
            "max": ttfc[-1]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--streams", default="64", help="concurrent streams per step (default 64)")
    parser.add_argument("--token-ms", type=float, default=20.0, help="ms between tokens (default 20)")
    parser.add_argument("--tokens", type=int, default=100, help="answer tokens per stream (default 100)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds per step, best kept (3)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of the table")
    args = parser.parse_args(argv)
    steps = [int(s) for s in args.streams.split(",") if s.strip()]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    ollama_port, gw_port, edge_port = free_port(), free_port(), free_port()
    cli = [sys.executable, "-m", "deepseek_ext.cli"]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "cwd": ROOT, "env": env}
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "keys.yaml").write_text(f"console: {KEY}\n")
        (Path(tmp) / "console-key").write_text(KEY + "\n")
        gw_help = subprocess.run([*cli, "gateway", "--help"], capture_output=True, text=True, cwd=ROOT, env=env).stdout
        trusted = ["--trusted-proxy-keys", "console"] if "--trusted-proxy-keys" in gw_help else []
        double = subprocess.Popen([sys.executable, "-m", "tests.doubles.ollama", "--port", str(ollama_port),
                                   "--local", MODEL], **quiet)
        gateway = subprocess.Popen([*cli, "gateway", "--listen", f"127.0.0.1:{gw_port}",
                                    "--ollama-url", f"http://127.0.0.1:{ollama_port}",
                                    "--keys-file", str(Path(tmp) / "keys.yaml"), "--models", MODEL, *trusted], **quiet)
        edge = subprocess.Popen([*cli, "edge", "--listen", f"127.0.0.1:{edge_port}", "--no-verify-caller",
                                 "--upstream", f"http://127.0.0.1:{free_port()}",
                                 "--gateway-url", f"http://127.0.0.1:{gw_port}",
                                 "--gateway-console-key-file", str(Path(tmp) / "console-key")], **quiet)
        rows = []
        try:
            direct_base, edge_base = f"http://127.0.0.1:{gw_port}", f"http://127.0.0.1:{edge_port}"
            wait_http(f"http://127.0.0.1:{ollama_port}/", double)
            wait_http(direct_base + "/", gateway)
            wait_http(edge_base + "/healthz", edge)
            configure_double(f"http://127.0.0.1:{ollama_port}", {
                "token_seconds": args.token_ms / 1000, "reasoning_words": ["Hmm", "."],
                "answer_words": [f" w{i}" for i in range(args.tokens)]})
            tokens = args.tokens + 2
            asyncio.run(run_streams(edge_base + CHAT, 4, via_edge=True, tokens=tokens, sample_pid=None))  # warm up
            idle = rss_kib(edge.pid)
            for n in steps:
                directs, vias = [], []
                for _ in range(args.rounds):
                    directs.append(asyncio.run(run_streams(direct_base + "/v1/chat/completions", n, via_edge=False,
                                                           tokens=tokens, sample_pid=None)))
                    vias.append(asyncio.run(run_streams(edge_base + CHAT, n, via_edge=True, tokens=tokens,
                                                        sample_pid=edge.pid)))
                direct = min(directs, key=lambda r: r["wall_s"])
                via = min(vias, key=lambda r: r["wall_s"])
                queued_after = max(direct["ttfc_ms"] or [0.0]) + QUEUED_SHARE * args.tokens * args.token_ms
                rows.append({
                    "streams": n, "wall_ratio": direct["wall_s"] / via["wall_s"],
                    "direct_wall_s": direct["wall_s"], "edge_wall_s": via["wall_s"],
                    "all_direct_wall_s": [round(r["wall_s"], 3) for r in directs],
                    "all_edge_wall_s": [round(r["wall_s"], 3) for r in vias],
                    "direct_ttfc_ms": _summary(direct["ttfc_ms"]), "edge_ttfc_ms": _summary(via["ttfc_ms"]),
                    "queued": sum(1 for t in via["ttfc_ms"] if t > queued_after), "queued_after_ms": queued_after,
                    "kib_per_stream": max(0, max(r["peak_rss_kib"] for r in vias) - idle) / n,
                    "failed": sum(r["failed"] for r in directs + vias),
                    "errors": [e for r in directs + vias for e in r["errors"]][:3],
                })
        finally:
            for proc in (edge, gateway, double):
                proc.terminate()
                proc.wait(10)
    ok = all(r["wall_ratio"] >= WALL_RATIO_TARGET and not r["queued"] and not r["failed"] for r in rows)
    machine = {"cpus": os.cpu_count(), "machine": platform.machine(), "python": platform.python_version(),
               "processor": _cpu_model()}
    report = {"machine": machine, "load_average": os.getloadavg()[0], "rounds": args.rounds,
              "token_ms": args.token_ms, "tokens": args.tokens, "edge_idle_rss_kib": idle,
              "trusted_proxy": bool(trusted), "rows": rows, "ok": ok}
    out = ROOT / "bench/output"
    out.mkdir(parents=True, exist_ok=True)
    (out / "chat_streams.json").write_text(json.dumps(report, indent=2))
    if args.json:
        print(json.dumps(report, indent=2))
        return 0 if ok else 1
    print(f"machine: {machine['processor']} x{machine['cpus']}, Python {machine['python']}, load average "
          f"{report['load_average']:.1f}; best of {args.rounds} alternating rounds; {args.tokens} tokens per stream, "
          f"one every {args.token_ms:g} ms; edge idle RSS {idle} KiB; gateway trusted proxy: {bool(trusted)}")
    print(f"{'streams':>7} {'direct s':>9} {'edge s':>7} {'wall ratio':>10} {'ttfc ms p50/p95/max direct':>27} "
          f"{'edge':>17} {'queued':>6} {'KiB/stream':>10} {'failed':>6}")
    for r in rows:
        d, t = r["direct_ttfc_ms"], r["edge_ttfc_ms"]
        print(f"{r['streams']:>7} {r['direct_wall_s']:>9.3f} {r['edge_wall_s']:>7.3f} {r['wall_ratio']:>10.3f} "
              f"{d['p50']:>9.0f}/{d['p95']:.0f}/{d['max']:.0f} {t['p50']:>9.0f}/{t['p95']:.0f}/{t['max']:.0f} "
              f"{r['queued']:>6} {r['kib_per_stream']:>10.1f} {r['failed']:>6}")
        if r["errors"]:
            print("  errors:", r["errors"])
    print(f"targets: wall ratio >= {WALL_RATIO_TARGET}, no stream queued: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
