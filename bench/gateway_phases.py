#!/usr/bin/env python3
"""Where one stream's added time goes: the gateway's path split into phases, against the direct path.

Starts the ollama double and ``deepseek-ext gateway`` (as ``bench/gateway.py`` does, but with
timestamps taken inside the gateway), then sends ``--streams`` streams one after another, a
``--gap-ms`` pause before each (as an application's requests arrive: the processes sleep between
them), straight to the double and through the gateway. Printed, as medians in microseconds:

* the time to the first chunk, direct and through the gateway, and the difference;
* the gateway's phases: the client sends → the handler starts (aiohttp's server); the handler (key,
  body, model, limits) → the call to ollama; that call → ollama's headers (aiohttp's client and the
  double); the first chunk read → written to the client;
* the machine's own cost of a hop: a TCP round trip between two processes, after the same pause
  and back to back.

    .venv/bin/python bench/gateway_phases.py [--streams 500] [--gap-ms 5] [--token-ms 2] [--hops 2000] [--json]

Writes ``bench/output/gateway_phases.json``. It measures, it judges nothing: the targets are
``bench/gateway.py``'s (docs/gateway.md, "Benchmark", has a run).
"""

from __future__ import annotations

import argparse
import asyncio
import contextvars
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

try:
    from bench import _streams as streams
except ImportError:  # `python bench/gateway_phases.py`: bench/ is on the path, the repository is not
    import _streams as streams  # type: ignore[no-redef]

KEY = "bench-key-not-a-secret"
PHASES = ("receive", "handler", "upstream", "first_write")
_STAMPS: contextvars.ContextVar[dict[str, int]] = contextvars.ContextVar("stamps")


# ----- inside the gateway process ----------------------------------------------------------------
def serve_traced(trace: Path, argv: list[str]) -> int:
    """``deepseek-ext gateway`` with a line of timestamps per request appended to ``trace``.

    Wraps public functions only: the handler (its start), ``proxy.forward`` (the call to ollama),
    ``proxy.downstream_headers`` (ollama's headers are in) and ``StreamResponse.write`` (the first
    chunk). The stamps live in a context variable: each request runs in its own task.
    """
    from aiohttp import web
    from deepseek_ext import cli
    from deepseek_ext.gateway import app, proxy

    out = trace.open("a", buffering=1)
    ns = time.monotonic_ns
    handle, forward, headers = app.Gateway.handle, proxy.forward, proxy.downstream_headers
    write = web.StreamResponse.write

    async def traced_handle(self: Any, request: Any) -> Any:
        stamps = {"enter": ns()}
        _STAMPS.set(stamps)
        try:
            return await handle(self, request)
        finally:
            out.write(json.dumps(stamps) + "\n")

    async def traced_forward(*args: Any, **kwargs: Any) -> Any:
        _STAMPS.get({})["forward"] = ns()
        return await forward(*args, **kwargs)

    def traced_headers(upstream: Any) -> Any:
        _STAMPS.get({}).setdefault("headers", ns())
        return headers(upstream)

    async def traced_write(self: Any, data: bytes) -> None:
        stamps = _STAMPS.get({})
        first = "read" not in stamps
        if first:
            stamps["read"] = ns()
        await write(self, data)
        if first:
            stamps["written"] = ns()

    app.Gateway.handle = traced_handle  # type: ignore[method-assign]
    proxy.forward = traced_forward  # type: ignore[assignment]
    proxy.downstream_headers = traced_headers
    web.StreamResponse.write = traced_write  # type: ignore[method-assign]
    return cli.main(argv)


# ----- the client --------------------------------------------------------------------------------
def timed_streams(target: streams.Target, count: int, *, gap_s: float, headers: dict[str, str],
                  loop: asyncio.AbstractEventLoop) -> list[tuple[int, float]]:
    """(clock time sent, µs to the first event) of ``count`` streams, one after another, each after
    a ``gap_s`` pause, on the load generator's keep-alive connection."""
    async def run() -> list[tuple[int, float]]:
        times = []
        for _ in range(count):
            await asyncio.sleep(gap_s)
            sent = time.monotonic_ns()
            first, _ended, _events = await streams.one_stream(target, headers, streams.CHAT_BODY)
            times.append((sent, first * 1e6))
        return times

    return loop.run_until_complete(run())


def hop_rtt_us(*, gap_s: float, count: int = 2000) -> float:
    """Median TCP round trip (1 byte each way) between this process and an echo process."""
    echo = ("import socket\ns=socket.socket();s.bind(('127.0.0.1',0));s.listen()\n"
            "print(s.getsockname()[1],flush=True)\n"
            "c,_=s.accept();c.setsockopt(socket.IPPROTO_TCP,socket.TCP_NODELAY,1)\n"
            "while (d:=c.recv(64)):c.sendall(d)\n")
    proc = subprocess.Popen([sys.executable, "-c", echo], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        port = int(proc.stdout.readline())
        rtts = []
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            for _ in range(count):
                if gap_s:
                    time.sleep(gap_s)
                started = time.perf_counter_ns()
                sock.sendall(b"x")
                sock.recv(64)
                rtts.append(time.perf_counter_ns() - started)
        return statistics.median(rtts) / 1000
    finally:
        proc.wait(timeout=10)


def phases(times: list[tuple[int, float]], stamps: list[dict[str, int]]) -> dict[str, list[float]]:
    """Per phase, the microseconds of each stream whose stamps are complete."""
    out: dict[str, list[float]] = {name: [] for name in PHASES}
    for (sent, _ttfc), s in zip(times, stamps, strict=True):
        if not {"enter", "forward", "headers", "read", "written"} <= s.keys():
            continue
        out["receive"].append((s["enter"] - sent) / 1000)
        out["handler"].append((s["forward"] - s["enter"]) / 1000)
        out["upstream"].append((s["headers"] - s["forward"]) / 1000)
        out["first_write"].append((s["written"] - s["read"]) / 1000)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--streams", type=int, default=500, help="streams each way (default 500)")
    parser.add_argument("--gap-ms", type=float, default=5.0, help="pause before each stream (default 5)")
    parser.add_argument("--token-ms", type=float, default=2.0, help="ms between tokens (default 2)")
    parser.add_argument("--hops", type=int, default=2000, help="TCP round trips timed each way (default 2000)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of the table")
    args = parser.parse_args(argv)
    gap = args.gap_ms / 1000
    ollama_port, gw_port = streams.free_port(), streams.free_port()
    with tempfile.TemporaryDirectory() as tmp:
        keys, trace = Path(tmp) / "keys.yaml", Path(tmp) / "trace.jsonl"
        keys.write_text(f"bench: {KEY}\n")
        double = streams.start_double(ollama_port)
        gateway = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--serve-traced", str(trace), "gateway",
             "--listen", f"127.0.0.1:{gw_port}", "--ollama-url", f"http://127.0.0.1:{ollama_port}",
             "--keys-file", str(keys), "--models", streams.MODEL],
            cwd=streams.ROOT, env=streams.python_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            streams.wait_http(f"http://127.0.0.1:{ollama_port}/", double)
            streams.wait_http(f"http://127.0.0.1:{gw_port}/", gateway)
            streams.configure_double(f"http://127.0.0.1:{ollama_port}", token_ms=args.token_ms, tokens=1)
            loop = streams.new_loop()
            direct_target = streams.Target("127.0.0.1", ollama_port, "/v1/chat/completions")
            via_target = streams.Target("127.0.0.1", gw_port, "/v1/chat/completions")
            warm = min(50, args.streams)
            timed_streams(direct_target, warm, gap_s=gap, headers={}, loop=loop)
            timed_streams(via_target, warm, gap_s=gap, headers={"Authorization": f"Bearer {KEY}"}, loop=loop)
            direct = timed_streams(direct_target, args.streams, gap_s=gap, headers={}, loop=loop)
            skip = len(trace.read_text().splitlines())
            via = timed_streams(via_target, args.streams, gap_s=gap, headers={"Authorization": f"Bearer {KEY}"},
                                loop=loop)
            direct_target.close()
            via_target.close()
            loop.close()
            time.sleep(0.2)  # the last request's line is written after its answer
            stamps = [json.loads(line) for line in trace.read_text().splitlines()[skip:]]
        finally:
            streams.stop(gateway, double)
    if len(stamps) != len(via):
        raise SystemExit(f"the gateway traced {len(stamps)} requests of {len(via)}")
    med = statistics.median
    direct_ttfc = med(ttfc for _, ttfc in direct)
    via_ttfc = med(ttfc for _, ttfc in via)
    split = phases(via, stamps)
    report = {"machine": streams.machine_facts(), "streams": args.streams, "gap_ms": args.gap_ms,
              "token_ms": args.token_ms, "direct_ttfc_us": direct_ttfc, "gateway_ttfc_us": via_ttfc,
              "added_us": via_ttfc - direct_ttfc,
              "phases_us": {name: med(values) if values else None for name, values in split.items()},
              "complete": min(len(v) for v in split.values()),
              "hop_rtt_us": {"after_gap": hop_rtt_us(gap_s=gap, count=args.hops),
                             "back_to_back": hop_rtt_us(gap_s=0, count=args.hops)}}
    streams.write_report("gateway_phases", report)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    machine = report["machine"]
    print(f"machine: {machine['processor']} x{machine['cpus']}, Python {machine['python']}; {args.streams} streams "
          f"each way, one after another, {args.gap_ms:g} ms apart, a token every {args.token_ms:g} ms")
    print(f"first chunk: direct {direct_ttfc:.0f} us, gateway {via_ttfc:.0f} us, added {via_ttfc - direct_ttfc:.0f} us")
    labels = {"receive": "client sends -> gateway handler starts", "handler": "handler: key, body, model, limits",
              "upstream": "call to ollama -> its headers", "first_write": "first chunk read -> written"}
    for name in PHASES:
        value = report["phases_us"][name]
        print(f"  {labels[name]:<40} {value:>8.0f} us" if value is not None else f"  {labels[name]:<40}      n/a")
    hops = report["hop_rtt_us"]
    print(f"TCP round trip between two processes: {hops['after_gap']:.0f} us after the pause, "
          f"{hops['back_to_back']:.0f} us back to back")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--serve-traced":
        sys.path.insert(0, str(streams.ROOT / "backend"))
        raise SystemExit(serve_traced(Path(sys.argv[2]), sys.argv[3:]))
    raise SystemExit(main())
