#!/usr/bin/env python3
"""What do ``POST config/validate`` and ``config/resolve`` cost, over HTTP and in process?

One run starts the API as shipped (tests/stack.py, against the Kubernetes double, so validate
also does its live cluster checks from the shared snapshot), then drives ``/healthz`` (baseline),
``POST config/validate`` and ``POST config/resolve`` with the same concurrent load, one after the
other, with a realistic config (below: a GPU install with an extra model and an explicit volume).
It prints requests/s and p50/p99 of each and the ratios against /healthz side by side, then times
parse + validate + resolve in this process alone (no HTTP, no cluster), which is the floor.

    .venv/bin/python bench/validate_load.py                  # 5 s per phase, 16 connections
    .venv/bin/python bench/validate_load.py --seconds 3 --concurrency 8
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import requests

from bench._harness import PREFIX, Stack, drive, fmt_table, machine, write_result

CONFIG = """\
# A CPU install as an administrator would paste it into Extension Center: a bigger model with a
# longer context, an extra model, private registry, explicit volume and a memory limit override.
global:
  imageRegistry: registry.example.com
backend:
  model:
    tag: 7b
    contextLength: 16384
    parallel: 2
    kvCacheType: q8_0
  models: [deepseek-r1:1.5b]
  server:
    nodeSelector:
      kubernetes.io/os: linux
    resources:
      limits:
        memory: 16Gi
  persistence:
    accessModes: [ReadWriteOnce]
    size: 30Gi
"""
INSTALLED = {"backend.persistence.size": "30Gi"}
"""The running install's PVC already has that size, so the live checks pass (the PVC check compares)."""

def in_process(iterations: int) -> dict[str, float]:
    """parse + validate + resolve with the catalog and defaults loaded once, as the API worker holds them."""
    from deepseek_ext.adapters.files import load_catalog, load_defaults, load_values_schema
    from deepseek_ext.core.config import resolve_config
    from deepseek_ext.core.validation import parse_config_text, validate_config

    catalog, defaults, schema = load_catalog(), load_defaults(), load_values_schema()
    times = []
    for _ in range(iterations):
        started = time.perf_counter()
        values = parse_config_text(CONFIG)
        report = validate_config(values, defaults=defaults, catalog=catalog, schema=schema)
        resolve_config(values, defaults=defaults, catalog=catalog, schema=schema)
        times.append((time.perf_counter() - started) * 1000)
    if not report.valid:
        raise SystemExit(f"the benchmark config does not validate: {report.to_dict()['errors']}")
    q = statistics.quantiles(times, n=100, method="inclusive")
    return {"iterations": iterations, "p50_ms": q[49], "p99_ms": q[98],
            "per_second": 1000 / statistics.mean(times)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="duration of each load phase (1-60)")
    parser.add_argument("--concurrency", type=int, default=16, help="concurrent connections (1-256)")
    parser.add_argument("--iterations", type=int, default=300, help="in-process repetitions (10-100000)")
    args = parser.parse_args(argv)
    if not (1 <= args.seconds <= 60 and 1 <= args.concurrency <= 256 and 10 <= args.iterations <= 100_000):
        parser.error("--seconds 1-60, --concurrency 1-256 and --iterations 10-100000 (bounded runs)")

    print(f"machine: {machine()}")
    print(f"load: hey, {args.concurrency} connections, {args.seconds:g} s per phase; gunicorn as shipped\n")
    body = CONFIG.encode()
    with Stack(ollama_pods=1, set_values=INSTALLED) as stack:
        for path in ("/config/validate", "/config/resolve"):
            check = requests.post(stack.url + PREFIX + path, data=body,
                                  headers={"Content-Type": "application/yaml"}, timeout=30)
            if check.status_code != 200 or check.json().get("valid") is False:
                raise SystemExit(f"{path} refused the benchmark config: {check.status_code} "
                                 f"{check.text[:300]}")
        drive("warm-up", stack.url + "/healthz", seconds=1, concurrency=args.concurrency)
        drive("warm-up", stack.url + PREFIX + "/config/validate", seconds=1, concurrency=args.concurrency,
              method="POST", body=body, content_type="application/yaml")
        base = drive("healthz", stack.url + "/healthz", seconds=args.seconds, concurrency=args.concurrency)
        runs = [drive(name, stack.url + PREFIX + path, seconds=args.seconds, concurrency=args.concurrency,
                      method="POST", body=body, content_type="application/yaml")
                for name, path in (("validate", "/config/validate"), ("resolve", "/config/resolve"))]
    local = in_process(args.iterations)

    rows = []
    for r in [base, *runs]:
        rows.append([r.name, f"{r.rps:.0f}", f"{r.p50_ms:.1f}", f"{r.p99_ms:.1f}", f"{r.rps / base.rps:.2f}",
                     f"{r.p50_ms / base.p50_ms:.1f}", f"{r.p99_ms / base.p99_ms:.1f}", r.requests, r.errors])
    print(fmt_table(["endpoint", "req/s", "p50 ms", "p99 ms", "req/s vs healthz", "p50 vs healthz",
                     "p99 vs healthz", "requests", "5xx/failed"], rows))
    print(f"\nin process (parse + validate + resolve, one thread, {local['iterations']} runs): "
          f"p50 {local['p50_ms']:.2f} ms, p99 {local['p99_ms']:.2f} ms, {local['per_second']:.0f}/s")
    for r in runs:
        overhead = r.p50_ms - local["p50_ms"]
        print(f"{r.name}: p50 over HTTP under load is {r.p50_ms / local['p50_ms']:.1f}x the in-process p50 "
              f"({overhead:.1f} ms of HTTP, queueing and live checks)")
    path = write_result("validate_load", {
        "machine": machine(), "seconds": args.seconds, "concurrency": args.concurrency,
        "http": [{"name": r.name, "rps": r.rps, "p50_ms": r.p50_ms, "p99_ms": r.p99_ms,
                  "requests": r.requests, "errors": r.errors} for r in [base, *runs]],
        "in_process": local,
    })
    print(f"\nfigures also in {path}")
    return 0 if all(r.errors == 0 for r in [base, *runs]) else 1


if __name__ == "__main__":
    sys.exit(main())
