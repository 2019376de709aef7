"""Resource sizing of the ollama server, computed from the model catalog. Pure.

The formula is documented once, in the header of charts/backend/files/catalog.yaml, and written
twice: here and in charts/backend/templates/_sizing.tpl (Helm). Both use integer MiB arithmetic so
they agree to the byte; tests/chart/test_sizing_differential.py renders the chart and compares.
``compute_sizing`` follows the Helm helper step by step and returns the same map (accelerator,
gpuResource, gpuCount, resources, storage, env, model, estimate), or the errors where the chart
would ``fail``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from deepseek_ext.core.catalog import (
    DEFAULT_REGISTRY,
    Catalog,
    Model,
    SizingConstants,
    parse_version,
    short_name,
)
from deepseek_ext.core.findings import Finding, FindingCode, error
from deepseek_ext.core.quantity import QuantityError, format_cpu, format_memory, parse_quantity, quantity_text

MIB = 1048576
KV_NIBBLES = {"f16": 4, "q8_0": 2, "q4_0": 1}
"""Half-bytes per KV cache element (ollama kvCacheBytesPerElement: 2, 1, 0.5 bytes)."""
GPU_RESOURCES = {"nvidia": "nvidia.com/gpu", "amd": "amd.com/gpu"}
DEFAULT_CONTEXT = 8192
DEFAULT_PARALLEL = 1
DEFAULT_KV = "f16"
DEFAULT_KEEP_ALIVE = "-1"


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
    """Compute-graph buffer of ollama's classic estimator (fs/ggml GraphSize, full offload)."""
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
    """Memory terms of ``model`` served with this context, parallelism and KV cache type."""
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


def cpu_resources(est: Estimate, constants: SizingConstants) -> tuple[dict[str, Any], dict[str, Any]]:
    """(requests, limits) on CPU: memory = the estimate, limit with headroom; CPU by size, no CPU limit."""
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


def tag_text(value: Any) -> str:
    """A model tag as text, as the chart's backend.tag helper: "latest" when empty."""
    if value is None or value == "":
        return "latest"
    return quantity_text(value) if isinstance(value, (int, float)) else str(value)


def keep_alive_text(value: Any) -> str:
    if value is None or quantity_text(value) == "":
        return DEFAULT_KEEP_ALIVE
    return quantity_text(value)


def ollama_tag(backend: Mapping[str, Any], catalog: Catalog) -> str:
    """backend.server.image.tag, else the tested version; without -rocm (the chart's backend.ollamaTag)."""
    image = _map(_map(backend.get("server")).get("image"))
    tag = image.get("tag")
    text = (
        catalog.ollama_version
        if tag in (None, "", 0)
        else (quantity_text(tag) if isinstance(tag, float) else str(tag))
    )
    return text.removesuffix("-rocm")


def model_name(backend: Mapping[str, Any], catalog: Catalog) -> str:
    """Full ollama name of the configured model (the chart's backend.modelName)."""
    model = _map(backend.get("model"))
    registry = str(model.get("registry") or "")
    registry = registry[:-1] if registry.endswith("/") else registry
    ref = f"{model.get('repository') or catalog.repository}:{tag_text(model.get('tag'))}"
    return f"{registry}/{ref}" if registry and registry != DEFAULT_REGISTRY else ref


def accelerator(backend: Mapping[str, Any]) -> str:
    if backend.get("enableAMD") and not backend.get("enableNvidia"):
        return "amd"
    return "nvidia" if backend.get("enableNvidia") else "cpu"


def unknown_tag_finding(catalog: Catalog, tag: str, path: str) -> Finding:
    """The error for a tag of the catalog's repository that the ollama library does not have."""
    near = catalog.nearest(tag)
    tags = ", ".join(catalog.tags())
    name = f"{catalog.repository}:{tag}"
    near_en = f" Nearest: {', '.join(near)}." if near else ""
    near_zh = f"最接近的: {', '.join(near)}。" if near else ""
    return error(
        FindingCode.UNKNOWN_MODEL_TAG,
        path,
        f"The ollama library has no tag {name}.{near_en} Valid tags: {tags}.",
        f"ollama 模型库中没有 {name}。{near_zh}可用的标签: {tags}。",
        fix_en=f"Set {path} to one of: {tags}.",
        fix_zh=f"将 {path} 设为其中之一: {tags}。",
        given=tag,
        allowed=catalog.tags(),
        nearest=near,
    )


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _int(value: Any, default: int) -> int:
    """Helm's `int64 (default D v)`: empty/zero values take the default."""
    if not value:
        return default
    return int(value)


@dataclass
class SizingOutcome:
    """The chart's backend.sizing map (``result``) or why the chart would refuse to render (``errors``)."""

    result: dict[str, Any] | None = None
    errors: list[Finding] = field(default_factory=list)
    model: Model | None = None
    estimate: Estimate | None = None
    storage_models_mib: int | None = None
    """What the models occupy (None when a model is outside the catalog)."""
    recommended_storage: str | None = None


def compute_sizing(backend: Mapping[str, Any], *, catalog: Catalog) -> SizingOutcome:
    """The sizing of the effective ``backend`` values (defaults already merged), as the chart computes it."""
    out = SizingOutcome()
    constants = catalog.sizing
    model_cfg = _map(backend.get("model"))
    server = _map(backend.get("server"))
    image = _map(server.get("image"))
    user = _map(server.get("resources"))
    user_req = dict(_map(user.get("requests")))
    user_lim = dict(_map(user.get("limits")))

    if backend.get("enableNvidia") and backend.get("enableAMD"):
        out.errors.append(
            error(
                FindingCode.CONFLICTING_ACCELERATORS,
                "backend.enableAMD",
                given={"enableNvidia": True, "enableAMD": True},
            )
        )
        return out
    acc = accelerator(backend)
    gpu_resource = GPU_RESOURCES.get(acc, "")

    repo = str(model_cfg.get("repository") or catalog.repository)
    tag = tag_text(model_cfg.get("tag"))
    model = catalog.get(f"{repo}:{tag}")
    out.model = model
    if model is None and repo == catalog.repository:
        out.errors.append(unknown_tag_finding(catalog, tag, "backend.model.tag"))
        return out

    tag_of_ollama = ollama_tag(backend, catalog)
    version = parse_version(tag_of_ollama)
    if model is not None and version is not None and not image.get("digest"):
        needed = parse_version(model.min_ollama)
        if needed is not None and version < needed:
            out.errors.append(
                error(
                    FindingCode.OLLAMA_TOO_OLD,
                    "backend.server.image.tag",
                    f'{model.name} needs ollama >= {model.min_ollama}, the image tag is "{tag_of_ollama}".',
                    f'{model.name} 需要 ollama >= {model.min_ollama}, 当前镜像标签为 "{tag_of_ollama}"。',
                    fix_en=f"Clear backend.server.image.tag to use the tested {catalog.ollama_version}, or "
                    "set it to "
                    f"{model.min_ollama} or newer.",
                    fix_zh=f"清空 backend.server.image.tag 以使用测试过的 {catalog.ollama_version}, 或设为 "
                    f"{model.min_ollama} 及以上版本。",
                    given=tag_of_ollama,
                    allowed=f">= {model.min_ollama}",
                )
            )
            return out

    ctx = _int(model_cfg.get("contextLength"), DEFAULT_CONTEXT)
    if model is not None:
        ctx = min(ctx, model.max_context)
    parallel = _int(model_cfg.get("parallel"), DEFAULT_PARALLEL)
    kv_type = str(model_cfg.get("kvCacheType") or DEFAULT_KV)
    env = {
        "OLLAMA_CONTEXT_LENGTH": str(ctx),
        "OLLAMA_NUM_PARALLEL": str(parallel),
        "OLLAMA_KV_CACHE_TYPE": kv_type,
        "OLLAMA_KEEP_ALIVE": keep_alive_text(model_cfg.get("keepAlive")),
    }
    if kv_type != "f16":
        # ollama quantizes the KV cache only with flash attention on (reference section 2).
        env["OLLAMA_FLASH_ATTENTION"] = "1"

    requests: dict[str, Any] = {}
    limits: dict[str, Any] = {}
    count = 0
    user_gpu: Any = None
    if gpu_resource:
        user_gpu = user_lim.get(gpu_resource, user_req.get(gpu_resource))
        if user_gpu is not None and quantity_text(user_gpu) == "":
            user_gpu = None

    if model is not None:
        if not isinstance(kv_type, str) or kv_type not in KV_NIBBLES:
            out.errors.append(
                error(
                    FindingCode.INVALID_VALUE,
                    "backend.model.kvCacheType",
                    f'"{kv_type}" is not a KV cache type; allowed: f16, q8_0, q4_0.',
                    f'"{kv_type}" 不是有效的 KV 缓存类型; 可选 f16、q8_0、q4_0。',
                    given=kv_type,
                    allowed=list(KV_NIBBLES),
                )
            )
            return out
        est = estimate(
            model, context_length=ctx, parallel=parallel, kv_cache_type=kv_type, constants=constants
        )
        out.estimate = est
        if acc == "cpu":
            requests, limits = cpu_resources(est, constants)
        else:
            mem_value = _map(backend.get("gpu")).get("memoryPerGPU")
            if mem_value is None or quantity_text(mem_value) == "":
                mem_value = constants.default_gpu_memory
            try:
                mem_mib = parse_quantity(mem_value, "memory")
            except QuantityError:
                out.errors.append(
                    error(
                        FindingCode.INVALID_QUANTITY,
                        "backend.gpu.memoryPerGPU",
                        f'"{quantity_text(mem_value)}" is not a memory quantity; '
                        "allowed: e.g. 16Gi, 24Gi, 80Gi.",
                        f'"{quantity_text(mem_value)}" 不是有效的显存容量, 例如 16Gi、24Gi、80Gi。',
                        given=mem_value,
                        allowed="16Gi, 24Gi, 80Gi",
                    )
                )
                return out
            requests, limits = gpu_host_resources(est, constants)
            if user_gpu is None:
                found = gpu_count(est, mem_mib, constants)
                if found is None:
                    overhead = constants.gpu_minimum_mib + est.graph_mib + est.layer_mib
                    out.errors.append(
                        error(
                            FindingCode.GPU_TOO_SMALL,
                            "backend.gpu.memoryPerGPU",
                            f"{quantity_text(mem_value)} is too small for {model.name} at contextLength "
                            f"{ctx}: one GPU "
                            f"needs more than {overhead} MiB for the compute graph and runtime alone.",
                            f"显存 {quantity_text(mem_value)} 太小: {model.name} 在上下文 {ctx} 下, 单块 "
                            "GPU 仅计算图和运行时"
                            f"就需要超过 {overhead} MiB。",
                            fix_en="Set backend.gpu.memoryPerGPU to the memory of your GPUs (e.g. 24Gi), "
                            "lower "
                            "backend.model.contextLength, or set the GPU count in backend.server.resources.",
                            fix_zh="填写实际显存 (例如 24Gi), 降低 backend.model.contextLength, 或在 "
                            "backend.server.resources 中指定 GPU 数量。",
                            given=quantity_text(mem_value),
                            neededMiB=overhead,
                        )
                    )
                    return out
                if found > constants.max_gpus:
                    out.errors.append(
                        error(
                            FindingCode.GPU_COUNT_EXCEEDS_NODE,
                            "backend.gpu.memoryPerGPU",
                            f"{model.name} at contextLength {ctx} needs {found} GPUs of "
                            f"{quantity_text(mem_value)}, more "
                            f"than one node holds ({constants.max_gpus}).",
                            f"{model.name} 在上下文 {ctx} 下需要 {found} 块 {quantity_text(mem_value)} 的 "
                            "GPU, 超过单个节点"
                            f"上限 {constants.max_gpus}。",
                            fix_en="Use GPUs with more memory (backend.gpu.memoryPerGPU), a smaller model "
                            "or context, or "
                            "set the GPU count in backend.server.resources.",
                            fix_zh="使用更大显存的 GPU, 更小的模型或上下文, 或在 backend.server.resources "
                            "中指定 GPU 数量。",
                            given=found,
                            allowed=f"<= {constants.max_gpus}",
                        )
                    )
                    return out
                count = found
                requests[gpu_resource] = count
                limits[gpu_resource] = count
    else:
        if "memory" not in user_req and "memory" not in user_lim:
            out.errors.append(
                error(
                    FindingCode.CUSTOM_MODEL_NEEDS_RESOURCES,
                    "backend.server.resources",
                    f"{repo}:{tag} is not in the model catalog, so its memory cannot be computed.",
                    f"模型 {repo}:{tag} 不在目录中, 无法计算内存。",
                    fix_en="Set backend.server.resources.requests.memory and limits.memory (and "
                    "backend.persistence.size).",
                    fix_zh="设置 backend.server.resources.requests.memory、limits.memory 和 "
                    "backend.persistence.size。",
                    given=f"{repo}:{tag}",
                    allowed=[m.name for m in catalog.models],
                )
            )
            return out
        requests = {"cpu": "2"}
        if gpu_resource:
            count = 1
            requests[gpu_resource] = 1
            limits[gpu_resource] = 1

    merge_errors = _merge_user_resources(requests, limits, user_req, user_lim)
    if merge_errors:
        out.errors.extend(merge_errors)
        return out
    if gpu_resource and user_gpu is not None:
        try:
            count = int(quantity_text(limits[gpu_resource]))
        except ValueError:
            count = 0

    storage, storage_errors = _storage(backend, catalog, repo, tag, out)
    if storage_errors:
        out.errors.extend(storage_errors)
        return out

    out.result = {
        "accelerator": acc,
        "gpuResource": gpu_resource,
        "gpuCount": count,
        "resources": {"requests": requests, "limits": limits},
        "storage": storage,
        "env": env,
        "model": model_name(backend, catalog),
        "estimate": out.estimate.to_dict() if out.estimate else {},
    }
    return out


def _merge_user_resources(
    requests: dict[str, Any], limits: dict[str, Any], user_req: Mapping[str, Any], user_lim: Mapping[str, Any]
) -> list[Finding]:
    """Explicit resources win key by key; the computed other side is adjusted so the pair stays valid."""
    requests.update(user_req)
    limits.update(user_lim)
    for key in sorted(set(requests) | set(limits)):
        in_req, in_lim = key in user_req, key in user_lim
        if key in ("cpu", "memory"):
            if key not in requests or key not in limits:
                continue
            try:
                r = parse_quantity(requests[key], key)  # type: ignore[arg-type]
                lim = parse_quantity(limits[key], key)  # type: ignore[arg-type]
            except QuantityError:
                return [
                    error(
                        FindingCode.INVALID_QUANTITY,
                        f"backend.server.resources.{'requests' if in_req else 'limits'}.{key}",
                        f"{key} {quantity_text(requests[key])} / {quantity_text(limits[key])} is not a "
                        "quantity; allowed: "
                        "e.g. cpu 500m or 2, memory 8Gi.",
                        f"{key} {quantity_text(requests[key])} / {quantity_text(limits[key])} "
                        "不是有效的资源数量, "
                        "例如 cpu 500m 或 2, memory 8Gi。",
                        given=[requests[key], limits[key]],
                    )
                ]
            if r > lim:
                if in_lim and not in_req:
                    requests[key] = limits[key]
                elif in_req and not in_lim:
                    limits[key] = requests[key]
                else:
                    return [
                        error(
                            FindingCode.REQUEST_ABOVE_LIMIT,
                            f"backend.server.resources.requests.{key}",
                            f"requests.{key} {quantity_text(requests[key])} is above limits.{key} "
                            f"{quantity_text(limits[key])}; allowed: requests <= limits.",
                            f"requests.{key} {quantity_text(requests[key])} 大于 limits.{key} "
                            f"{quantity_text(limits[key])}; "
                            "requests 不能大于 limits。",
                            fix_en=f"Raise limits.{key} or lower requests.{key}.",
                            fix_zh="调高 limits 或调低 requests。",
                            given={"requests": requests[key], "limits": limits[key]},
                        )
                    ]
        else:
            if in_req and not in_lim:
                limits[key] = user_req[key]
            if in_lim and not in_req:
                requests[key] = user_lim[key]
            if in_req and in_lim and quantity_text(user_req[key]) != quantity_text(user_lim[key]):
                return [
                    error(
                        FindingCode.EXTENDED_RESOURCE_MISMATCH,
                        f"backend.server.resources.requests.{key}",
                        f"requests.{key} {quantity_text(user_req[key])} differs from limits.{key} "
                        f"{quantity_text(user_lim[key])}; allowed: equal values for extended resources "
                        "such as GPUs.",
                        f"requests.{key} {quantity_text(user_req[key])} 与 limits.{key} "
                        f"{quantity_text(user_lim[key])} 不同; "
                        "GPU 等扩展资源的 requests 与 limits 必须相等。",
                        given={"requests": user_req[key], "limits": user_lim[key]},
                    )
                ]
    return []


def _storage(
    backend: Mapping[str, Any], catalog: Catalog, repo: str, tag: str, out: SizingOutcome
) -> tuple[str, list[Finding]]:
    """The PVC size (explicit size wins) and its errors; fills out.storage_models_mib/recommended_storage."""
    constants = catalog.sizing
    names = [f"{repo}:{tag}"] + [str(n) for n in (backend.get("models") or [])]
    seen: set[str] = set()
    weights: list[int] = []
    unknown = ""
    for i, name in enumerate(names):
        entry = catalog.get(short_name(name))
        if entry is not None:
            if entry.name not in seen:
                seen.add(entry.name)
                weights.append(weights_mib(entry))
            continue
        if i > 0 and catalog.covers(name):
            extra_tag = short_name(name).split(":", 1)[1] or "latest"
            return "", [unknown_tag_finding(catalog, extra_tag, f"backend.models[{i - 1}]")]
        unknown = unknown or name
    if not unknown:
        out.storage_models_mib = storage_needed_mib(weights)
        out.recommended_storage = recommended_storage(weights, constants)
    size = _map(backend.get("persistence")).get("size")
    if size is not None and quantity_text(size) != "":
        text = quantity_text(size)
        try:
            size_mib = parse_quantity(size, "memory")
        except QuantityError:
            return "", [
                error(
                    FindingCode.INVALID_QUANTITY,
                    "backend.persistence.size",
                    f'"{text}" is not a storage quantity; allowed: e.g. 50Gi.',
                    f'"{text}" 不是有效的存储容量, 例如 50Gi。',
                    given=text,
                    allowed="50Gi",
                )
            ]
        if not unknown and size_mib < sum(weights):
            return "", [
                error(
                    FindingCode.STORAGE_TOO_SMALL,
                    "backend.persistence.size",
                    f"{text} is smaller than the models it must hold ({sum(weights)} MiB: "
                    f"{', '.join(names)}).",
                    f"存储容量 {text} 小于模型所需的 {sum(weights)} MiB ({', '.join(names)})。",
                    fix_en=f"Clear backend.persistence.size to use the computed {out.recommended_storage}, "
                    "or raise it.",
                    fix_zh=f"清空 backend.persistence.size 以使用计算值 {out.recommended_storage}, 或调大。",
                    given=text,
                    neededMiB=sum(weights),
                )
            ]
        return text, []
    if unknown:
        return "", [
            error(
                FindingCode.CUSTOM_MODEL_NEEDS_STORAGE,
                "backend.persistence.size",
                f"{unknown} is not in the model catalog, so the model storage cannot be computed.",
                f"模型 {unknown} 不在目录中, 无法计算存储容量。",
                fix_en="Set backend.persistence.size, e.g. 50Gi.",
                fix_zh="设置 backend.persistence.size, 例如 50Gi。",
                given=unknown,
            )
        ]
    return out.recommended_storage or "", []
