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

    .venv/bin/python bench/chat_streams.py [--streams 64] [--token-ms 20] [--tokens 100] [--rounds 3]
                                           [--fresh-connections] [--json]

The load generator and the processes are ``bench/_streams.py``'s (keep-alive connections unless
``--fresh-connections``).

Writes ``bench/output/chat_streams.json``; exits 1 when a target is missed or a stream failed.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path

try:
    from bench import _streams as streams
except ImportError:  # `python bench/chat_streams.py`: bench/ is on the path, the repository is not
    import _streams as streams  # type: ignore[no-redef]

KEY = "bench-console-key-not-a-secret"
CHAT = "/kapis/deepseek.kubesphere.io/v1alpha1/chat/completions"
WALL_RATIO_TARGET = 0.95
QUEUED_SHARE = 0.5
"""A first chunk later than the slowest direct one plus this share of a whole answer counts as queued."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--streams", default="64", help="concurrent streams per step (default 64)")
    parser.add_argument("--token-ms", type=float, default=20.0, help="ms between tokens (default 20)")
    parser.add_argument("--tokens", type=int, default=100, help="answer tokens per stream (default 100)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds per step, best kept (3)")
    parser.add_argument("--fresh-connections", action="store_true", help="a new connection per stream")
    parser.add_argument("--json", action="store_true", help="print JSON instead of the table")
    args = parser.parse_args(argv)
    steps = [int(s) for s in args.streams.split(",") if s.strip()]
    ollama_port, gw_port, edge_port = streams.free_port(), streams.free_port(), streams.free_port()
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "keys.yaml").write_text(f"console: {KEY}\n")
        (Path(tmp) / "console-key").write_text(KEY + "\n")
        double = streams.start_double(ollama_port)
        gateway = streams.start_cli("gateway", "--listen", f"127.0.0.1:{gw_port}",
                                    "--ollama-url", f"http://127.0.0.1:{ollama_port}",
                                    "--keys-file", str(Path(tmp) / "keys.yaml"), "--models", streams.MODEL,
                                    "--trusted-proxy-keys", "console")
        edge = streams.start_cli("edge", "--listen", f"127.0.0.1:{edge_port}", "--no-verify-caller",
                                 "--upstream", f"http://127.0.0.1:{streams.free_port()}",
                                 "--gateway-url", f"http://127.0.0.1:{gw_port}",
                                 "--gateway-console-key-file", str(Path(tmp) / "console-key"))
        loop = streams.new_loop()
        direct = streams.Target("127.0.0.1", gw_port, "/v1/chat/completions", fresh=args.fresh_connections)
        via = streams.Target("127.0.0.1", edge_port, CHAT, fresh=args.fresh_connections)
        with_key = lambda i: {"Authorization": f"Bearer {KEY}"}  # noqa: E731
        as_user = lambda i: {"X-Remote-User": f"user-{i}"}  # noqa: E731
        rows = []
        try:
            streams.wait_http(f"http://127.0.0.1:{ollama_port}/", double)
            streams.wait_http(f"http://127.0.0.1:{gw_port}/", gateway)
            streams.wait_http(f"http://127.0.0.1:{edge_port}/healthz", edge)
            events = streams.configure_double(f"http://127.0.0.1:{ollama_port}", token_ms=args.token_ms,
                                              tokens=args.tokens)
            streams.run_streams(direct, max(steps), headers_for=with_key, events=events, loop=loop)  # warm up
            streams.run_streams(via, max(steps), headers_for=as_user, events=events, loop=loop)
            idle = streams.rss_kib(edge.pid)
            for n in steps:
                directs, vias = [], []
                for _ in range(args.rounds):
                    directs.append(streams.run_streams(direct, n, headers_for=with_key, events=events, loop=loop))
                    vias.append(streams.run_streams(via, n, headers_for=as_user, events=events, loop=loop,
                                                    sample_pid=edge.pid))
                best_direct = min(directs, key=lambda r: r["wall_s"])
                best_via = min(vias, key=lambda r: r["wall_s"])
                queued_after = max(best_direct["ttfc_ms"] or [0.0]) + QUEUED_SHARE * args.tokens * args.token_ms
                rows.append({
                    "streams": n, "wall_ratio": best_direct["wall_s"] / best_via["wall_s"],
                    "direct_wall_s": best_direct["wall_s"], "edge_wall_s": best_via["wall_s"],
                    "all_direct_wall_s": [round(r["wall_s"], 3) for r in directs],
                    "all_edge_wall_s": [round(r["wall_s"], 3) for r in vias],
                    "direct_ttfc_ms": streams.summary(best_direct["ttfc_ms"]),
                    "edge_ttfc_ms": streams.summary(best_via["ttfc_ms"]),
                    "queued": sum(1 for t in best_via["ttfc_ms"] if t > queued_after),
                    "queued_after_ms": queued_after,
                    "kib_per_stream": max(0, max(r["peak_rss_kib"] for r in vias) - idle) / n,
                    "failed": sum(r["failed"] for r in directs + vias),
                    "errors": [e for r in directs + vias for e in r["errors"]][:3],
                })
        finally:
            direct.close()
            via.close()
            loop.close()
            streams.stop(edge, gateway, double)
    ok = all(r["wall_ratio"] >= WALL_RATIO_TARGET and not r["queued"] and not r["failed"] for r in rows)
    machine = streams.machine_facts()
    report = {"machine": machine, "load_average": os.getloadavg()[0], "rounds": args.rounds,
              "token_ms": args.token_ms, "tokens": args.tokens, "fresh_connections": args.fresh_connections,
              "edge_idle_rss_kib": idle, "rows": rows, "ok": ok}
    streams.write_report("chat_streams", report)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0 if ok else 1
    connections = "a new connection per stream" if args.fresh_connections else "keep-alive connections"
    print(f"machine: {machine['processor']} x{machine['cpus']}, Python {machine['python']}, load average "
          f"{report['load_average']:.1f}; best of {args.rounds} alternating rounds; {args.tokens} tokens per stream, "
          f"one every {args.token_ms:g} ms, {connections}; edge idle RSS {idle} KiB")
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
