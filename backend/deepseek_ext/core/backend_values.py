"""The backend values, read the way the chart's helpers read them. Pure.

Helm's templates see YAML numbers as floats and treat empty strings, zero and null alike; these
readers give the same text and defaults, so ``core.sizing`` and _sizing.tpl start from the same
inputs. The chart helper each one mirrors is named in its docstring.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from deepseek_ext.core.catalog import DEFAULT_REGISTRY, Catalog
from deepseek_ext.core.quantity import quantity_text

DEFAULT_KEEP_ALIVE = "-1"
DEFAULT_CONTEXT = 8192
DEFAULT_PARALLEL = 1
DEFAULT_KV = "f16"
DEFAULT_MAX_LOADED = 1
"""OLLAMA_MAX_LOADED_MODELS when backend.server.maxLoadedModels is empty: one model in memory, so the
pod sized for the largest configured model is never exceeded (docs/sizing.md, "Several models")."""
GPU_RESOURCES = {"nvidia": "nvidia.com/gpu", "amd": "amd.com/gpu"}
"""The extended resource of each GPU vendor."""


def as_map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def int_or_default(value: Any, default: int) -> int:
    """Helm's `int64 (default D v)`: empty/zero values take the default."""
    if not value:
        return default
    return int(value)


def is_empty(value: Any) -> bool:
    """True for a missing or blank value (the chart: kindIs "invalid", or toString is "")."""
    return value is None or quantity_text(value) == ""


def tag_text(value: Any) -> str:
    """A model tag as text, as the chart's backend.tag helper: "latest" when empty."""
    if value is None or value == "":
        return "latest"
    return quantity_text(value) if isinstance(value, (int, float)) else str(value)


def keep_alive_text(value: Any) -> str:
    """OLLAMA_KEEP_ALIVE of a backend.model.keepAlive value: "-1" (keep loaded) when empty."""
    return DEFAULT_KEEP_ALIVE if is_empty(value) else quantity_text(value)


def ollama_tag(backend: Mapping[str, Any], catalog: Catalog) -> str:
    """backend.server.image.tag, else the tested version; without -rocm (the chart's backend.ollama.tag)."""
    image = as_map(as_map(backend.get("server")).get("image"))
    tag = image.get("tag")
    text = (
        catalog.ollama_version
        if tag in (None, "", 0)
        else (quantity_text(tag) if isinstance(tag, float) else str(tag))
    )
    return text.removesuffix("-rocm")


def model_name(backend: Mapping[str, Any], catalog: Catalog) -> str:
    """Full ollama name of the configured model (the chart's backend.modelName)."""
    model = as_map(backend.get("model"))
    registry = str(model.get("registry") or "")
    registry = registry[:-1] if registry.endswith("/") else registry
    ref = f"{model.get('repository') or catalog.repository}:{tag_text(model.get('tag'))}"
    return f"{registry}/{ref}" if registry and registry != DEFAULT_REGISTRY else ref


def max_loaded_models(backend: Mapping[str, Any]) -> int:
    """backend.server.maxLoadedModels, 1 when empty (the chart: int64 (default 1 ...))."""
    value = as_map(backend.get("server")).get("maxLoadedModels")
    try:
        return int_or_default(value, DEFAULT_MAX_LOADED)
    except (TypeError, ValueError):
        return DEFAULT_MAX_LOADED  # not an integer: values.schema.json refuses it before sizing


def accelerator(backend: Mapping[str, Any]) -> str:
    """cpu, nvidia or amd from backend.enableNvidia/enableAMD (the sizing refuses both at once)."""
    if backend.get("enableAMD") and not backend.get("enableNvidia"):
        return "amd"
    return "nvidia" if backend.get("enableNvidia") else "cpu"


def user_resources(backend: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(requests, limits) the user set in backend.server.resources."""
    user = as_map(as_map(backend.get("server")).get("resources"))
    return dict(as_map(user.get("requests"))), dict(as_map(user.get("limits")))


def user_gpu(backend: Mapping[str, Any], gpu_resource: str) -> Any:
    """The GPU count the user set (limits first, then requests), None when none is set."""
    if not gpu_resource:
        return None
    requests, limits = user_resources(backend)
    value = limits.get(gpu_resource, requests.get(gpu_resource))
    return None if is_empty(value) else value
