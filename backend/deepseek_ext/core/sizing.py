"""Resource sizing of the ollama server, computed from the model catalog. Pure.

The formula is documented once, in the header of charts/backend/files/catalog.yaml, and written
twice: here and in charts/backend/templates/_sizing.tpl (Helm). Both use integer MiB arithmetic so
they agree to the byte; tests/chart/test_sizing_differential.py renders the chart and compares.

``compute_sizing`` runs the same named steps as the chart's ``backend.sizing.compute``, each a
function here and a define there with the same name (``estimate`` is ``backend.sizing.estimate``):

  check_accelerators -> choose_model -> check_ollama_version -> serving_settings
  -> check_kv_cache_type -> estimate -> loaded_models (core.formula) -> resources -> overrides -> storage_models
  -> storage

A step that meets a configuration the chart refuses to render raises :class:`SizingRefused` with
the finding; its catalog key is the one the chart's ``deepseek.fail`` renders, with the same
parameters, so ``deepseek-ext validate`` and helm print the same sentence.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from deepseek_ext.core.backend_values import (
    DEFAULT_CONTEXT,
    DEFAULT_KV,
    DEFAULT_PARALLEL,
    GPU_RESOURCES,
    accelerator,
    as_map,
    int_or_default,
    is_empty,
    keep_alive_text,
    max_loaded_models,
    model_name,
    ollama_tag,
    tag_text,
    user_gpu,
    user_resources,
)
from deepseek_ext.core.catalog import Catalog, Model, parse_version, short_name
from deepseek_ext.core.findings import Finding, FindingCode, error
from deepseek_ext.core.formula import (
    KV_NIBBLES,
    Estimate,
    LoadedModels,
    cpu_resources,
    estimate,
    gpu_count,
    gpu_host_resources,
    loaded_models,
    recommended_storage,
    storage_needed_mib,
    weights_mib,
)
from deepseek_ext.core.quantity import Kind, QuantityError, parse_quantity, quantity_text

QUANTITY_EXAMPLES: dict[str, list[str]] = {
    "backend.gpu.memoryPerGPU": ["16Gi", "24Gi", "80Gi"],
    "backend.persistence.size": ["50Gi"],
    "cpu": ["500m", "2"],
    "memory": ["8Gi"],
}
"""Examples in the InvalidQuantity error, by config path or by resource (the chart passes the same)."""


class SizingRefused(Exception):
    """A sizing step met a configuration the chart refuses to render; ``finding`` says why."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(f"{finding.path}: {finding.code.value}")
        self.finding = finding


# --- the steps ------------------------------------------------------------------------------------


def unknown_tag_finding(catalog: Catalog, tag: str, path: str) -> Finding:
    """The error for a tag of the catalog's repository that the ollama library does not have.

    The chart's backend.sizing.unknownTag (which names the nearest sizes only, not close spellings).
    """
    near = catalog.nearest(tag)
    return error(
        FindingCode.UNKNOWN_MODEL_TAG,
        path,
        params={"name": f"{catalog.repository}:{tag}", "nearest": near, "tags": catalog.tags(), "path": path},
        message_key="finding.UnknownModelTag.withNearest" if near else None,
        given=tag,
        allowed=catalog.tags(),
        nearest=near,
    )


def invalid_quantity(path: str, value: Any, kind: str = "") -> Finding:
    """The error for a value that is not a Kubernetes quantity (the same words in the chart)."""
    text = quantity_text(value)
    examples = QUANTITY_EXAMPLES[kind or path]
    return error(
        FindingCode.INVALID_QUANTITY,
        path,
        params={"given": text, "examples": examples},
        given=value,
        allowed=", ".join(examples),
    )


def check_accelerators(backend: Mapping[str, Any]) -> str:
    """cpu, nvidia or amd; refuses enableNvidia together with enableAMD.

    The chart's backend.sizing.checkAccelerators.
    """
    if backend.get("enableNvidia") and backend.get("enableAMD"):
        raise SizingRefused(
            error(
                FindingCode.CONFLICTING_ACCELERATORS,
                "backend.enableAMD",
                given={"enableNvidia": True, "enableAMD": True},
            )
        )
    return accelerator(backend)


@dataclass(frozen=True)
class ModelChoice:
    """The configured model: its repository and tag, and its catalog entry (None outside the catalog)."""

    repository: str
    tag: str
    model: Model | None

    @property
    def name(self) -> str:
        return f"{self.repository}:{self.tag}"


def choose_model(backend: Mapping[str, Any], catalog: Catalog) -> ModelChoice:
    """The configured model; refuses a tag of the catalog's repository that the library does not have.

    The chart's backend.sizing.chooseModel.
    """
    model_cfg = as_map(backend.get("model"))
    repository = str(model_cfg.get("repository") or catalog.repository)
    tag = tag_text(model_cfg.get("tag"))
    choice = ModelChoice(repository, tag, catalog.get(f"{repository}:{tag}"))
    if choice.model is None and repository == catalog.repository:
        raise SizingRefused(unknown_tag_finding(catalog, tag, "backend.model.tag"))
    return choice


def check_ollama_version(backend: Mapping[str, Any], choice: ModelChoice, catalog: Catalog) -> None:
    """Refuses an ollama image tag older than the model needs (unchecked with a digest or a non-version).

    The chart's backend.sizing.checkOllamaVersion.
    """
    model = choice.model
    tag = ollama_tag(backend, catalog)
    version = parse_version(tag)
    digest = as_map(as_map(backend.get("server")).get("image")).get("digest")
    if model is None or version is None or digest:
        return
    needed = parse_version(model.min_ollama)
    if needed is not None and version < needed:
        raise SizingRefused(
            error(
                FindingCode.OLLAMA_TOO_OLD,
                "backend.server.image.tag",
                params={
                    "model": model.name,
                    "minOllama": model.min_ollama,
                    "tag": tag,
                    "tested": catalog.ollama_version,
                },
                given=tag,
                allowed=f">= {model.min_ollama}",
            )
        )


@dataclass(frozen=True)
class ServingSettings:
    """How ollama serves the model: context (capped at the model's), parallel requests, KV cache type."""

    context: int
    parallel: int
    kv_cache_type: str
    max_loaded: int
    """How many models ollama may keep loaded at once (OLLAMA_MAX_LOADED_MODELS)."""
    env: dict[str, str]
    """The OLLAMA_* env of the ollama container."""


def serving_settings(backend: Mapping[str, Any], choice: ModelChoice) -> ServingSettings:
    """Context, parallelism, KV cache type and keep-alive, and the ollama env they make.

    The chart's backend.sizing.servingSettings.
    """
    model_cfg = as_map(backend.get("model"))
    context = int_or_default(model_cfg.get("contextLength"), DEFAULT_CONTEXT)
    if choice.model is not None:
        context = min(context, choice.model.max_context)
    parallel = int_or_default(model_cfg.get("parallel"), DEFAULT_PARALLEL)
    kv_type = str(model_cfg.get("kvCacheType") or DEFAULT_KV)
    max_loaded = max_loaded_models(backend)
    env = {
        "OLLAMA_CONTEXT_LENGTH": str(context),
        "OLLAMA_NUM_PARALLEL": str(parallel),
        "OLLAMA_KV_CACHE_TYPE": kv_type,
        "OLLAMA_KEEP_ALIVE": keep_alive_text(model_cfg.get("keepAlive")),
        # ollama 0.32.15 defaults to 3 loaded models per GPU, 3 on CPU (server/sched.go:86,280-288)
        # and loads a second one on CPU without any memory check; with a limit it unloads an idle
        # model first (sched.go:265-267). The pod is sized for this many (loaded_models).
        "OLLAMA_MAX_LOADED_MODELS": str(max_loaded),
    }
    if kv_type != "f16":
        # ollama quantizes the KV cache only with flash attention on (reference section 2).
        env["OLLAMA_FLASH_ATTENTION"] = "1"
    return ServingSettings(context, parallel, kv_type, max_loaded, env)


def check_kv_cache_type(kv_cache_type: str) -> None:
    """Refuses a KV cache type the formula has no element size for.

    The chart's backend.sizing.checkKvCacheType.
    """
    if kv_cache_type not in KV_NIBBLES:
        raise SizingRefused(
            error(
                FindingCode.INVALID_VALUE,
                "backend.model.kvCacheType",
                params={"given": kv_cache_type},
                message_key="finding.InvalidValue.kvCacheType",
                given=kv_cache_type,
                allowed=list(KV_NIBBLES),
            )
        )


@dataclass(frozen=True)
class Resources:
    """The ollama container's requests and limits, and the GPU count they hold."""

    requests: dict[str, Any]
    limits: dict[str, Any]
    gpu_count: int = 0


def resources(
    backend: Mapping[str, Any],
    *,
    accelerator: str,
    choice: ModelChoice,
    settings: ServingSettings,
    loaded: LoadedModels | None,
    catalog: Catalog,
) -> Resources:
    """The computed requests and limits, before the user's backend.server.resources win.

    The chart's backend.sizing.resources: CPU sizing, GPU sizing (both for the models that can be
    loaded together), or the minimum for a custom model.
    """
    gpu_resource = GPU_RESOURCES.get(accelerator, "")
    if choice.model is None or loaded is None:
        return custom_resources(backend, choice=choice, gpu_resource=gpu_resource, catalog=catalog)
    if accelerator == "cpu":
        requests, limits = cpu_resources(loaded.estimate, catalog.sizing)
        return Resources(requests, limits)
    return gpu_resources(
        backend,
        model=loaded.models[0],
        context=settings.context,
        est=loaded.estimate,
        gpu_resource=gpu_resource,
        catalog=catalog,
    )


def gpu_resources(
    backend: Mapping[str, Any], *, model: Model, context: int, est: Estimate, gpu_resource: str, catalog: Catalog
) -> Resources:
    """Host memory and CPU on GPUs, plus the GPU count (``count_gpus``) unless the user set one.

    The chart's backend.sizing.gpuResources. Refuses a memoryPerGPU that is not a quantity.
    """
    constants = catalog.sizing
    memory = as_map(backend.get("gpu")).get("memoryPerGPU")
    if is_empty(memory):
        memory = constants.default_gpu_memory
    try:
        memory_mib = parse_quantity(memory, "memory")
    except QuantityError:
        raise SizingRefused(invalid_quantity("backend.gpu.memoryPerGPU", memory)) from None
    requests, limits = gpu_host_resources(est, constants)
    if user_gpu(backend, gpu_resource) is not None:
        return Resources(requests, limits)
    count = count_gpus(
        est, memory_mib=memory_mib, memory_text=quantity_text(memory), model=model, context=context, catalog=catalog
    )
    requests[gpu_resource] = count
    limits[gpu_resource] = count
    return Resources(requests, limits, count)


def count_gpus(
    est: Estimate, *, memory_mib: int, memory_text: str, model: Model, context: int, catalog: Catalog
) -> int:
    """The smallest number of GPUs that hold the model (core.formula.gpu_count).

    The chart's backend.sizing.countGpus. Refuses when one GPU cannot even hold the overhead, or
    the model needs more GPUs than one node has.
    """
    constants = catalog.sizing
    count = gpu_count(est, memory_mib, constants)
    params: dict[str, Any] = {"given": memory_text, "model": model.name, "context": context}
    if count is None:
        needed = constants.gpu_minimum_mib + est.graph_mib + est.layer_mib
        raise SizingRefused(
            error(
                FindingCode.GPU_TOO_SMALL,
                "backend.gpu.memoryPerGPU",
                params={**params, "neededMiB": needed},
                given=memory_text,
                neededMiB=needed,
            )
        )
    if count > constants.max_gpus:
        raise SizingRefused(
            error(
                FindingCode.GPU_COUNT_EXCEEDS_NODE,
                "backend.gpu.memoryPerGPU",
                params={**params, "count": count, "max": constants.max_gpus},
                given=count,
                allowed=f"<= {constants.max_gpus}",
            )
        )
    return count


def custom_resources(
    backend: Mapping[str, Any], *, choice: ModelChoice, gpu_resource: str, catalog: Catalog
) -> Resources:
    """A model outside the catalog: 2 CPUs and one GPU; its memory must come from the user.

    The chart's backend.sizing.customResources.
    """
    user_req, user_lim = user_resources(backend)
    if "memory" not in user_req and "memory" not in user_lim:
        raise SizingRefused(
            error(
                FindingCode.CUSTOM_MODEL_NEEDS_RESOURCES,
                "backend.server.resources",
                params={"model": choice.name},
                given=choice.name,
                allowed=[m.name for m in catalog.models],
            )
        )
    if not gpu_resource:
        return Resources({"cpu": "2"}, {})
    return Resources({"cpu": "2", gpu_resource: 1}, {gpu_resource: 1}, 1)


def overrides(backend: Mapping[str, Any], *, computed: Resources, gpu_resource: str) -> Resources:
    """Explicit backend.server.resources win key by key; the computed other side follows them.

    The chart's backend.sizing.overrides. A user GPU count replaces the computed one.
    """
    user_req, user_lim = user_resources(backend)
    requests = {**computed.requests, **user_req}
    limits = {**computed.limits, **user_lim}
    for key in sorted(set(requests) | set(limits)):
        if key in ("cpu", "memory"):
            _override_quantity(key, requests=requests, limits=limits, user_req=user_req, user_lim=user_lim)
        else:
            _override_extended(key, requests=requests, limits=limits, user_req=user_req, user_lim=user_lim)
    count = computed.gpu_count
    if gpu_resource and user_gpu(backend, gpu_resource) is not None:
        try:
            count = int(quantity_text(limits[gpu_resource]))
        except ValueError:
            count = 0
    return Resources(requests, limits, count)


def _override_quantity(
    key: str,
    *,
    requests: dict[str, Any],
    limits: dict[str, Any],
    user_req: Mapping[str, Any],
    user_lim: Mapping[str, Any],
) -> None:
    """cpu or memory: a side the user left out follows the one they set when it would be above it.

    The chart's backend.sizing.overrideQuantity.
    """
    if key not in requests or key not in limits:
        return
    kind: Kind = "cpu" if key == "cpu" else "memory"
    try:
        request = parse_quantity(requests[key], kind)
    except QuantityError:
        raise SizingRefused(invalid_quantity(f"backend.server.resources.requests.{key}", requests[key], key)) from None
    try:
        limit = parse_quantity(limits[key], kind)
    except QuantityError:
        raise SizingRefused(invalid_quantity(f"backend.server.resources.limits.{key}", limits[key], key)) from None
    if request <= limit:
        return
    in_req, in_lim = key in user_req, key in user_lim
    if in_lim and not in_req:
        requests[key] = limits[key]
    elif in_req and not in_lim:
        limits[key] = requests[key]
    else:
        raise SizingRefused(
            error(
                FindingCode.REQUEST_ABOVE_LIMIT,
                f"backend.server.resources.requests.{key}",
                params={
                    "resource": key,
                    "request": quantity_text(requests[key]),
                    "limit": quantity_text(limits[key]),
                },
                given={"requests": requests[key], "limits": limits[key]},
            )
        )


def _override_extended(
    key: str,
    *,
    requests: dict[str, Any],
    limits: dict[str, Any],
    user_req: Mapping[str, Any],
    user_lim: Mapping[str, Any],
) -> None:
    """An extended resource (a GPU): one side set by the user sets both; both set must be equal.

    The chart's backend.sizing.overrideExtended.
    """
    in_req, in_lim = key in user_req, key in user_lim
    if in_req and not in_lim:
        limits[key] = user_req[key]
    if in_lim and not in_req:
        requests[key] = user_lim[key]
    if in_req and in_lim and quantity_text(user_req[key]) != quantity_text(user_lim[key]):
        raise SizingRefused(
            error(
                FindingCode.EXTENDED_RESOURCE_MISMATCH,
                f"backend.server.resources.requests.{key}",
                params={
                    "resource": key,
                    "request": quantity_text(user_req[key]),
                    "limit": quantity_text(user_lim[key]),
                },
                given={"requests": user_req[key], "limits": user_lim[key]},
            )
        )


@dataclass(frozen=True)
class StorageModels:
    """The models the volume holds: every name, the weights of the distinct catalog ones, and the
    first name outside the catalog ("" when all are in it)."""

    names: list[str]
    weights: list[int]
    unknown: str


def storage_models(backend: Mapping[str, Any], *, choice: ModelChoice, catalog: Catalog) -> StorageModels:
    """The configured model and backend.models; refuses an extra with an unknown catalog tag.

    The chart's backend.sizing.storageModels.
    """
    names = [choice.name] + [str(n) for n in (backend.get("models") or [])]
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
            raise SizingRefused(unknown_tag_finding(catalog, extra_tag, f"backend.models[{i - 1}]"))
        unknown = unknown or name
    return StorageModels(names, weights, unknown)


def storage(backend: Mapping[str, Any], *, models: StorageModels, catalog: Catalog) -> str:
    """The PVC size: backend.persistence.size when set (and big enough), else the recommended size.

    The chart's backend.sizing.storage. Refuses a size that is not a quantity or cannot hold the
    catalog models, and a custom model without a size.
    """
    size = as_map(backend.get("persistence")).get("size")
    if not is_empty(size):
        text = quantity_text(size)
        try:
            size_mib = parse_quantity(size, "memory")
        except QuantityError:
            raise SizingRefused(invalid_quantity("backend.persistence.size", size)) from None
        needed = storage_needed_mib(models.weights)
        if not models.unknown and size_mib < needed:
            raise SizingRefused(
                error(
                    FindingCode.STORAGE_TOO_SMALL,
                    "backend.persistence.size",
                    params={
                        "given": text,
                        "neededMiB": needed,
                        "models": models.names,
                        "recommended": recommended_storage(models.weights, catalog.sizing),
                    },
                    given=text,
                    neededMiB=needed,
                )
            )
        return text
    if models.unknown:
        raise SizingRefused(
            error(
                FindingCode.CUSTOM_MODEL_NEEDS_STORAGE,
                "backend.persistence.size",
                params={"model": models.unknown},
                given=models.unknown,
            )
        )
    return recommended_storage(models.weights, catalog.sizing)


# --- the whole computation ------------------------------------------------------------------------


@dataclass
class SizingOutcome:
    """The chart's backend.sizing map (``result``) or why the chart would refuse to render (``errors``)."""

    result: dict[str, Any] | None = None
    errors: list[Finding] = field(default_factory=list)
    model: Model | None = None
    estimate: Estimate | None = None
    loaded: LoadedModels | None = None
    """The models the pod is sized for (None outside the catalog)."""
    storage_models_mib: int | None = None
    """What the models occupy (None when a model is outside the catalog)."""
    recommended_storage: str | None = None


def compute_sizing(backend: Mapping[str, Any], *, catalog: Catalog) -> SizingOutcome:
    """The sizing of the effective ``backend`` values (defaults already merged), as the chart computes it.

    The chart's backend.sizing.compute; the first refusing step ends it with one error.
    """
    out = SizingOutcome()
    try:
        acc = check_accelerators(backend)
        choice = choose_model(backend, catalog)
        out.model = choice.model
        check_ollama_version(backend, choice, catalog)
        settings = serving_settings(backend, choice)
        if choice.model is not None:
            check_kv_cache_type(settings.kv_cache_type)
            out.estimate = estimate(
                choice.model,
                context_length=settings.context,
                parallel=settings.parallel,
                kv_cache_type=settings.kv_cache_type,
                constants=catalog.sizing,
            )
        if choice.model is not None:
            extras = [str(name) for name in backend.get("models") or []]
            out.loaded = loaded_models(
                choice.model,
                extras,
                context_length=settings.context,
                parallel=settings.parallel,
                kv_cache_type=settings.kv_cache_type,
                max_loaded=settings.max_loaded,
                catalog=catalog,
            )
        gpu_resource = GPU_RESOURCES.get(acc, "")
        computed = resources(
            backend, accelerator=acc, choice=choice, settings=settings, loaded=out.loaded, catalog=catalog
        )
        final = overrides(backend, computed=computed, gpu_resource=gpu_resource)
        models = storage_models(backend, choice=choice, catalog=catalog)
        if not models.unknown:
            out.storage_models_mib = storage_needed_mib(models.weights)
            out.recommended_storage = recommended_storage(models.weights, catalog.sizing)
        size = storage(backend, models=models, catalog=catalog)
    except SizingRefused as refused:
        out.errors.append(refused.finding)
        return out
    out.result = {
        "accelerator": acc,
        "gpuResource": gpu_resource,
        "gpuCount": final.gpu_count,
        "resources": {"requests": final.requests, "limits": final.limits},
        "storage": size,
        "env": settings.env,
        "model": model_name(backend, catalog),
        "estimate": out.estimate.to_dict() if out.estimate else {},
        "loaded": out.loaded.to_dict(settings.max_loaded) if out.loaded else {},
    }
    return out
