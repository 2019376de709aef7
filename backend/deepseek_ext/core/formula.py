"""The sizing formula: memory terms of one model served one way, in integer MiB. Pure.

The formula is documented once, in the header of charts/backend/files/catalog.yaml. These are its
terms (weights, KV cache, compute graph, runtime overhead) and the resources and storage derived
from them; ``core.sizing`` runs them as steps, and charts/backend/templates/_sizing.tpl computes
the same integers (a differential test compares the two).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from deepseek_ext.core.catalog import Catalog, Model, SizingConstants, short_name
from deepseek_ext.core.quantity import format_cpu, format_memory

MIB = 1048576
KV_NIBBLES = {"f16": 4, "q8_0": 2, "q4_0": 1}
"""Half-bytes per KV cache element (ollama kvCacheBytesPerElement: 2, 1, 0.5 bytes)."""


def ceil_div(a: int, b: int) -> int:
    return (a + b - 1) // b


def round_up(value: int, step: int) -> int:
    return ceil_div(value, step) * step


@dataclass(frozen=True)
class Estimate:
    """The terms of the formula for one model and configuration, in MiB."""

    context: int
    """Context per request after capping at the model's maximum (OLLAMA_CONTEXT_LENGTH)."""
    context_total: int
    """context x parallel: what ollama allocates the KV cache for."""
    weights_mib: int
    kv_mib: int
    graph_mib: int
    layer_mib: int
    need_cpu_mib: int
    need_gpu_mib: int

    def to_dict(self) -> dict[str, int]:
        """The chart's `estimate` map."""
        return {
            "weightsMiB": self.weights_mib,
            "kvMiB": self.kv_mib,
            "graphMiB": self.graph_mib,
            "layerMiB": self.layer_mib,
            "needCpuMiB": self.need_cpu_mib,
            "needGpuMiB": self.need_gpu_mib,
        }


def weights_mib(model: Model) -> int:
    """Size of the GGUF weights, MiB rounded up (the download size: ollama maps the file as is)."""
    return ceil_div(model.download_bytes, MIB)


def kv_nibbles(model: Model, context_total: int, kv_cache_type: str) -> int:
    """KV cache size in half-bytes: layers x kv_heads x (head_dim_k + head_dim_v) x tokens x nibbles."""
    return (
        model.layers
        * model.kv_heads
        * (model.head_dim_k + model.head_dim_v)
        * context_total
        * KV_NIBBLES[kv_cache_type]
    )


def graph_bytes(model: Model, context_total: int, kv_half_bytes: int, batch: int) -> int:
    """Compute-graph buffer of ollama's classic estimator (fs/ggml GraphSize, full offload).

    The chart's backend.sizing.graphBytes.
    """
    b = min(context_total, batch)
    emb, vocab, heads, kvh, ctx = (
        model.embedding,
        model.vocab,
        model.head_count,
        model.kv_heads,
        context_total,
    )
    if model.family == "qwen2":
        return 4 * b * max(emb + vocab, 1 + 2 * emb + ctx + ctx * heads)
    if model.family == "llama":
        return 4 * b * max(1 + 4 * emb + ctx * (1 + heads), emb + vocab)
    if model.family == "deepseek2":
        return 4 * b * max(3 * emb + vocab, 3 * emb + 2 + ctx * (1 + kvh) + 2 * model.head_dim_k * kvh)
    # ollama's fallback for other architectures (qwen3 here): GQA x KV bytes / 6.
    return (heads // kvh) * kv_half_bytes // 12


def estimate(
    model: Model, *, context_length: int, parallel: int, kv_cache_type: str, constants: SizingConstants
) -> Estimate:
    """Memory terms of ``model`` served with this context, parallelism and KV cache type.

    The chart's backend.sizing.estimate.
    """
    ctx = min(context_length, model.max_context)
    ctx_total = ctx * parallel
    weights = weights_mib(model)
    layer = ceil_div(weights, model.layers)
    half_bytes = kv_nibbles(model, ctx_total, kv_cache_type)
    kv = ceil_div(half_bytes, 2 * MIB)
    graph = ceil_div(graph_bytes(model, ctx_total, half_bytes, constants.batch), MIB)
    return Estimate(
        context=ctx,
        context_total=ctx_total,
        weights_mib=weights,
        kv_mib=kv,
        graph_mib=graph,
        layer_mib=layer,
        need_cpu_mib=weights + kv + graph + constants.cpu_overhead_mib,
        need_gpu_mib=weights + kv + graph + constants.gpu_minimum_mib + layer,
    )


def combined(estimates: list[Estimate]) -> Estimate:
    """The memory of models loaded together: every term summed (each runner has its own weights, KV
    cache, graph and process); the context is the first one's. The chart's backend.sizing.loadedModels."""
    first = estimates[0]
    return Estimate(
        context=first.context,
        context_total=first.context_total,
        weights_mib=sum(e.weights_mib for e in estimates),
        kv_mib=sum(e.kv_mib for e in estimates),
        graph_mib=sum(e.graph_mib for e in estimates),
        layer_mib=sum(e.layer_mib for e in estimates),
        need_cpu_mib=sum(e.need_cpu_mib for e in estimates),
        need_gpu_mib=sum(e.need_gpu_mib for e in estimates),
    )


@dataclass(frozen=True)
class LoadedModels:
    """The models the pod is sized for: those ollama may hold loaded together, largest first."""

    models: list[Model]
    estimate: Estimate
    """Their memory terms summed (``combined``)."""

    def to_dict(self, max_loaded: int) -> dict[str, Any]:
        """The chart's ``loaded`` map."""
        return {
            "maxLoadedModels": max_loaded,
            "models": [m.name for m in self.models],
            "estimate": self.estimate.to_dict(),
        }


def loaded_models(
    model: Model,
    extras: list[str],
    *,
    context_length: int,
    parallel: int,
    kv_cache_type: str,
    max_loaded: int,
    catalog: Catalog,
) -> LoadedModels:
    """The largest ``max_loaded`` of the configured model and the catalog models among ``extras``.

    Any of them may be loaded (NextChat offers them all), so the pod must hold the largest set
    ollama may keep loaded at once (OLLAMA_MAX_LOADED_MODELS). Each is estimated with the same
    serving settings (the context capped at its own maximum) and ranked by its need on CPU, config
    order breaking ties; names outside the catalog cannot be sized and are left out.
    The chart's backend.sizing.loadedModels.
    """
    candidates = [model]
    for name in extras:
        entry = catalog.get(short_name(name))
        if entry is not None and entry not in candidates:
            candidates.append(entry)
    estimates = [
        estimate(m, context_length=context_length, parallel=parallel, kv_cache_type=kv_cache_type,
                 constants=catalog.sizing)
        for m in candidates
    ]
    order = sorted(range(len(candidates)), key=lambda i: -estimates[i].need_cpu_mib)[:max_loaded]
    return LoadedModels([candidates[i] for i in order], combined([estimates[i] for i in order]))


def cpu_resources(est: Estimate, constants: SizingConstants) -> tuple[dict[str, Any], dict[str, Any]]:
    """(requests, limits) on CPU: memory = the estimate, limit with headroom; CPU by size, no CPU limit.

    The chart's backend.sizing.cpuResources.
    """
    need = est.need_cpu_mib
    headroom = max(need * constants.limit_headroom_percent // 100, constants.cpu_overhead_mib)
    cores = min(2 + est.weights_mib // 4096, 16)
    requests = {"cpu": format_cpu(cores * 1000), "memory": format_memory(round_up(need, 256))}
    limits = {"memory": format_memory(round_up(need + headroom, 256))}
    return requests, limits


def gpu_host_resources(est: Estimate, constants: SizingConstants) -> tuple[dict[str, Any], dict[str, Any]]:
    """(requests, limits) of host memory and CPU when the model runs on GPUs."""
    host = round_up(constants.cpu_overhead_mib + est.layer_mib, 256)
    return {"cpu": "2", "memory": format_memory(host)}, {
        "memory": format_memory(round_up(host + est.weights_mib // 4, 256))
    }


def gpu_usable_mib(est: Estimate, memory_per_gpu_mib: int, constants: SizingConstants) -> int:
    """What one GPU holds for weights and KV cache after the runtime minimum, graph and spare layer."""
    return (
        memory_per_gpu_mib * constants.gpu_usable_percent // 100
        - constants.gpu_minimum_mib
        - est.graph_mib
        - est.layer_mib
    )


def gpu_count(est: Estimate, memory_per_gpu_mib: int, constants: SizingConstants) -> int | None:
    """Smallest number of GPUs that hold the model; None when one GPU cannot even hold the overhead."""
    usable = gpu_usable_mib(est, memory_per_gpu_mib, constants)
    if usable <= 0:
        return None
    return ceil_div(est.weights_mib + est.kv_mib, usable)


def storage_needed_mib(weights: list[int]) -> int:
    """What the models occupy on the volume."""
    return sum(weights)


def recommended_storage(weights: list[int], constants: SizingConstants) -> str:
    """PVC size: the models, plus room to re-pull the largest (ollama prunes old layers only after a
    successful pull), plus 1 GiB for manifests and partial downloads; whole GiB, at least the floor."""
    gib = ceil_div(sum(weights) + max(weights, default=0) + 1024, 1024)
    return f"{max(gib, constants.storage_floor_gib)}Gi"
