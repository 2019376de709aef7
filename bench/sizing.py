#!/usr/bin/env python3
"""Sizing benchmark: our computed requests against the 0.1.0 extension's hand-made table.

For every catalog tag, on CPU at contextLength 4096 and 8192, and on 24 GiB and 80 GiB GPUs at 8192,
prints the estimated need (classic ollama estimator, docs/sizing.md), our default request and GPU
count, the 0.1.0 table's request and GPU count, and the ratio request/need of both side by side.
A ratio below 1 means the pod is sized below what ollama allocates (OOM kill on CPU, layers spilled
to the CPU on GPUs); far above 1 means a cluster that could run the model may refuse to schedule it.

    .venv/bin/python bench/sizing.py [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from deepseek_ext.adapters.files import load_catalog, load_defaults
from deepseek_ext.core.catalog import Catalog
from deepseek_ext.core.quantity import parse_quantity
from deepseek_ext.core.sizing import compute_sizing
from deepseek_ext.core.validation import merge_values

# The baseline: deepseek/charts/backend/templates/_resources.tpl of the 0.1.0 extension
# (kubesphere-extensions/ks-extensions @ fbb1871), as transcribed in the reference notes, section 5.
# tag: (requests.memory GiB, nvidia.com/gpu, amd.com/gpu). 0.1.0 also listed a "3b" that does not exist.
BASELINE_0_1_0: dict[str, tuple[int, int, int]] = {
    "1.5b": (8, 1, 1),
    "3b": (12, 1, 1),
    "7b": (16, 1, 1),
    "8b": (20, 1, 1),
    "14b": (32, 1, 1),
    "32b": (64, 2, 4),
    "70b": (128, 4, 8),
    "671b": (512, 8, 16),
}

SCENARIOS = (
    ("cpu", 4096, ""),
    ("cpu", 8192, ""),
    ("nvidia", 8192, "24Gi"),
    ("nvidia", 8192, "80Gi"),
)


def measure(catalog: Catalog, defaults: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    base = merge_values(defaults, {})["backend"]
    for model in catalog.models:
        for accelerator, ctx, gpu_memory in SCENARIOS:
            backend = merge_values(
                base,
                {
                    "model": {"tag": model.tag, "contextLength": ctx},
                    "enableNvidia": accelerator == "nvidia",
                    "gpu": {"memoryPerGPU": gpu_memory},
                },
            )
            outcome = compute_sizing(backend, catalog=catalog)
            row: dict[str, Any] = {
                "model": model.name,
                "accelerator": accelerator,
                "contextLength": ctx,
                "gpuMemory": gpu_memory or None,
            }
            assert outcome.estimate is not None
            est = outcome.estimate
            on_gpu = accelerator != "cpu"
            need = est.need_gpu_mib if on_gpu else est.need_cpu_mib
            row["needGiB"] = round(need / 1024, 2)
            if outcome.result is None:
                row.update(ours=None, ourGpus=None, ourRatio=None, error=outcome.errors[0].code.value)
            else:
                resources = outcome.result["resources"]
                if on_gpu:
                    gpus = outcome.result["gpuCount"]
                    provisioned = gpus * parse_quantity(gpu_memory, "memory")
                    row.update(ours=round(provisioned / 1024, 1), ourGpus=gpus)
                else:
                    provisioned = parse_quantity(resources["requests"]["memory"], "memory")
                    row.update(ours=round(provisioned / 1024, 2), ourGpus=0)
                row["ourRatio"] = round(provisioned / need, 2)
            baseline = BASELINE_0_1_0.get(model.tag) if model.tag in BASELINE_0_1_0 else None
            if baseline is None:
                row.update(old=None, oldGpus=None, oldRatio=None)
            elif on_gpu:
                old_provisioned = baseline[1] * parse_quantity(gpu_memory, "memory")
                row.update(
                    old=round(old_provisioned / 1024, 1),
                    oldGpus=baseline[1],
                    oldRatio=round(old_provisioned / need, 2),
                )
            else:
                row.update(old=baseline[0], oldGpus=0, oldRatio=round(baseline[0] * 1024 / need, 2))
            rows.append(row)
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    header = ("model", "where", "ctx", "need GiB", "ours", "ours/need", "0.1.0", "0.1.0/need")
    lines = [header]
    for r in rows:
        where = "cpu" if r["accelerator"] == "cpu" else f"gpu {r['gpuMemory']}"

        def fmt(value: Any, gpus: Any, on_gpu: bool) -> str:
            if value is None:
                return "-"
            return f"{gpus} GPU = {value} GiB" if on_gpu else f"{value} GiB"

        on_gpu = r["accelerator"] != "cpu"
        ours = r.get("error") or fmt(r["ours"], r["ourGpus"], on_gpu)
        lines.append(
            (
                r["model"],
                where,
                str(r["contextLength"]),
                f"{r['needGiB']:.2f}",
                ours,
                "-" if r["ourRatio"] is None else f"{r['ourRatio']:.2f}",
                fmt(r["old"], r["oldGpus"], on_gpu),
                "-" if r["oldRatio"] is None else f"{r['oldRatio']:.2f}",
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() for line in lines
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args(argv)
    catalog, defaults = load_catalog(), load_defaults()
    rows = measure(catalog, defaults)
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    print(table(rows))
    print(
        "\nneed: weights + KV cache + compute graph + runtime (CPU: +1 GiB process; GPU: +457 MiB + one "
        "layer)."
    )
    print(
        "ours: requests.memory on CPU; GPUs x memoryPerGPU on GPUs. 0.1.0: its static table (GPU count for "
        "NVIDIA)."
    )
    print(
        "0.1.0 ran ollama 0.5.7 (context 2048 x 4 parallel = 8192 tokens), listed a non-existent 3b tag "
        "and cannot "
        "pull today's 8b."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
