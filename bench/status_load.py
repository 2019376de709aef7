#!/usr/bin/env python3
"""How much does a polled ``GET status`` cost, and how does that grow with the install's size?

For each ollama pod count (default 1, 10, 100) one run starts the API as shipped (tests/stack.py)
against the Kubernetes double seeded with that many ready ollama pods, each backed by its own
ollama double, then drives ``/healthz`` (the baseline: no upstream work at all) and ``GET status``
with the same concurrent load, one after the other, and prints side by side:

* requests/s and p50/p99 latency of each, and status/healthz ratios of each;
* Kubernetes API requests and ollama requests per status request, counted at the doubles.

Targets (printed, not asserted: timings depend on the machine): status keeps at least half the
throughput of /healthz, and upstream calls per status request stay well under 0.1.

    .venv/bin/python bench/status_load.py                  # 1, 10, 100 pods, 5 s per phase
    .venv/bin/python bench/status_load.py --pods 1 --seconds 3 --concurrency 8
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import requests

from bench._harness import PREFIX, Stack, drive, fmt_table, machine, write_result

THROUGHPUT_TARGET = 0.5
UPSTREAM_TARGET = 0.1


def run_one(pods: int, *, seconds: float, concurrency: int) -> dict[str, float | int | str]:
    with Stack(ollama_pods=pods) as stack:
        status_url = stack.url + PREFIX + "/status"
        first = requests.get(status_url, timeout=30)
        if first.status_code == 404:
            raise SystemExit(f"{status_url} answered 404: this checkout does not serve GET status yet")
        phase = first.json().get("phase", "?") if first.headers.get("Content-Type", "").startswith(
            "application/json") else "?"
        # Warm both paths (imports, connection pools, first snapshot) so neither phase pays for it.
        drive("warm-up", stack.url + "/healthz", seconds=1, concurrency=concurrency)
        drive("warm-up", status_url, seconds=1, concurrency=concurrency)
        time.sleep(0.5)
        base = drive("healthz", stack.url + "/healthz", seconds=seconds, concurrency=concurrency)
        stack.kube.reset_stats()
        stack.fleet.reset_stats()
        status = drive("status", status_url, seconds=seconds, concurrency=concurrency)
        kube_calls, ollama_calls = stack.kube.count(), stack.fleet.requests()
    return {
        "pods": pods, "phase": phase,
        "healthz_rps": base.rps, "healthz_p50_ms": base.p50_ms, "healthz_p99_ms": base.p99_ms,
        "status_rps": status.rps, "status_p50_ms": status.p50_ms, "status_p99_ms": status.p99_ms,
        "status_requests": status.requests, "status_errors": status.errors, "healthz_errors": base.errors,
        "rps_ratio": status.rps / base.rps if base.rps else 0.0,
        "p50_ratio": status.p50_ms / base.p50_ms if base.p50_ms else 0.0,
        "p99_ratio": status.p99_ms / base.p99_ms if base.p99_ms else 0.0,
        "kube_calls": kube_calls, "ollama_calls": ollama_calls,
        "kube_per_status": kube_calls / status.requests, "ollama_per_status": ollama_calls / status.requests,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--pods", default="1,10,100", help="comma-separated ollama pod counts (1-250)")
    parser.add_argument("--seconds", type=float, default=5.0, help="duration of each load phase (1-60)")
    parser.add_argument("--concurrency", type=int, default=16, help="concurrent connections (1-256)")
    args = parser.parse_args(argv)
    if not 1 <= args.seconds <= 60 or not 1 <= args.concurrency <= 256:
        parser.error("--seconds must be 1-60 and --concurrency 1-256 (bounded runs on loopback only)")
    try:
        pod_counts = [int(p) for p in args.pods.split(",") if p.strip()]
    except ValueError:
        parser.error(f"--pods {args.pods!r}: comma-separated integers expected, e.g. 1,10,100")

    print(f"machine: {machine()}")
    print(f"load: hey, {args.concurrency} connections, {args.seconds:g} s per phase; gunicorn as shipped\n")
    rows = [run_one(p, seconds=args.seconds, concurrency=args.concurrency) for p in pod_counts]

    print(fmt_table(
        ["pods", "phase", "healthz req/s", "p50 ms", "p99 ms", "status req/s", "p50 ms", "p99 ms",
         "req/s ratio", "p50 ratio", "p99 ratio"],
        [[r["pods"], r["phase"], f"{r['healthz_rps']:.0f}", f"{r['healthz_p50_ms']:.1f}",
          f"{r['healthz_p99_ms']:.1f}", f"{r['status_rps']:.0f}", f"{r['status_p50_ms']:.1f}",
          f"{r['status_p99_ms']:.1f}", f"{r['rps_ratio']:.2f}", f"{r['p50_ratio']:.2f}",
          f"{r['p99_ratio']:.2f}"]
         for r in rows]))
    print()
    print(fmt_table(
        ["pods", "status requests", "5xx/failed", "kube calls", "per status", "ollama calls", "per status"],
        [[r["pods"], r["status_requests"], r["status_errors"], r["kube_calls"], f"{r['kube_per_status']:.4f}",
          r["ollama_calls"], f"{r['ollama_per_status']:.4f}"] for r in rows]))
    print()
    ok = True
    for r in rows:
        tp = r["rps_ratio"] >= THROUGHPUT_TARGET
        up = r["kube_per_status"] < UPSTREAM_TARGET and r["ollama_per_status"] < UPSTREAM_TARGET
        clean = r["status_errors"] == 0 and r["healthz_errors"] == 0
        ok &= tp and up and clean
        print(f"{r['pods']:>4} pods: throughput ratio {r['rps_ratio']:.2f} "
              f"(target >= {THROUGHPUT_TARGET}: {'met' if tp else 'MISSED'}); upstream calls per status "
              f"{r['kube_per_status'] + r['ollama_per_status']:.4f} "
              f"(target < {UPSTREAM_TARGET} each: {'met' if up else 'MISSED'}); "
              f"5xx/failed: {r['status_errors'] + r['healthz_errors']}")
    path = write_result("status_load", {"machine": machine(), "seconds": args.seconds,
                                        "concurrency": args.concurrency, "rows": rows})
    print(f"\nfigures also in {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
