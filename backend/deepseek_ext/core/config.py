"""The effective config: a user config merged over the defaults, every computed default filled in. Pure.

``resolve_config`` answers "what will the chart deploy?" in the key layout of values.yaml (the CLI's
``resolve`` and the API print it); ``serving_config`` is the JSON the chart renders into the
``deepseek-serving`` ConfigMap (docs/architecture.md), computed from the same effective values.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from deepseek_ext.core.backend_values import (
    DEFAULT_CONTEXT,
    DEFAULT_KV,
    DEFAULT_PARALLEL,
    accelerator,
    keep_alive_text,
    max_loaded_models,
    model_name,
    ollama_tag,
)
from deepseek_ext.core.catalog import DEFAULT_REGISTRY, Catalog
from deepseek_ext.core.objects import DEFAULT_NAMES
from deepseek_ext.core.quantity import quantity_text
from deepseek_ext.core.validation import ValidationReport, validate_config
from deepseek_ext.core.values_schema import ValuesSchema


class ConfigInvalid(ValueError):
    """The config has errors; ``report`` holds them (the chart would refuse to render it)."""

    def __init__(self, report: ValidationReport) -> None:
        self.report = report
        first = report.errors[0]
        super().__init__(f"{first.path}: {first.code.value}")


def resolve_config(
    values: Mapping[str, Any], *, defaults: Mapping[str, Any], catalog: Catalog, schema: ValuesSchema
) -> dict[str, Any]:
    """The effective config in values.yaml layout with the computed sizing filled in. Raises ConfigInvalid.

    Filled in: backend.model.name (full ollama name), backend.server.image.tag, backend.server.resources
    (requests/limits incl. the GPU resource), backend.server.env (OLLAMA_*), backend.gpu.count,
    backend.gpu.memoryPerGPU (the assumed value when empty), backend.persistence.size.
    """
    report = validate_config(values, defaults=defaults, catalog=catalog, schema=schema)
    if not report.valid or report.sizing is None or report.sizing.result is None:
        raise ConfigInvalid(report)
    effective = report.effective
    sizing = report.sizing.result
    backend = effective.setdefault("backend", {})
    model = backend.setdefault("model", {})
    model["name"] = model_name(backend, catalog)
    server = backend.setdefault("server", {})
    server.setdefault("image", {})["tag"] = ollama_tag(backend, catalog)
    server["resources"] = sizing["resources"]
    server["env"] = sizing["env"]
    server["maxLoadedModels"] = max_loaded_models(backend)
    gpu = backend.setdefault("gpu", {})
    gpu["count"] = sizing["gpuCount"]
    if sizing["accelerator"] != "cpu" and quantity_text(gpu.get("memoryPerGPU") or "") == "":
        gpu["memoryPerGPU"] = catalog.sizing.default_gpu_memory
    backend.setdefault("persistence", {})["size"] = sizing["storage"]
    return effective


def chat_url(global_values: Mapping[str, Any]) -> str | None:
    """NextChat's browser URL through the extension Ingress, None without one (the chart's
    backend.chatUrl)."""
    extension = global_values.get("extension") or {}
    ingress = extension.get("ingress") or {}
    suffix = str(ingress.get("domainSuffix") or "").strip()
    if not (extension.get("enabled") and suffix):
        return None
    host = "deepseek." + suffix.removeprefix(".").lower()
    if ingress.get("tlsSecretName"):
        port = quantity_text(ingress.get("httpsPort") or 443)
        return f"https://{host}" + ("" if port == "443" else f":{port}")
    port = quantity_text(ingress.get("httpPort") or 80)
    return f"http://{host}" + ("" if port == "80" else f":{port}")


def serving_config(resolved: Mapping[str, Any]) -> dict[str, Any]:
    """The ``deepseek-serving`` config.json (docs/architecture.md) of a ``resolve_config`` result."""
    backend = resolved.get("backend") or {}
    model = backend.get("model") or {}
    server = backend.get("server") or {}
    chat = backend.get("chat") or {}
    persistence = backend.get("persistence") or {}
    name = str(model.get("name"))
    models = [name]
    for extra in backend.get("models") or []:
        text = str(extra).strip()
        if text and text not in models:
            models.append(text)
    keep_alive = model.get("keepAlive")
    replicas = server.get("replicas")
    return {
        # Object names are the fallback ones: the chart renders the same (docs/architecture.md).
        **copy.deepcopy(DEFAULT_NAMES.to_serving()),
        "model": name,
        "models": models,
        "pull": True if model.get("pull") is None else bool(model.get("pull")),
        "registry": model.get("registry") or DEFAULT_REGISTRY,
        "contextLength": int(model.get("contextLength") or DEFAULT_CONTEXT),
        "parallel": int(model.get("parallel") or DEFAULT_PARALLEL),
        "maxLoadedModels": max_loaded_models(backend),
        "kvCacheType": model.get("kvCacheType") or DEFAULT_KV,
        "keepAlive": keep_alive_text(keep_alive),
        "accelerator": accelerator(backend),
        "gpuCount": int((backend.get("gpu") or {}).get("count") or 0),
        "ollamaVersion": str((server.get("image") or {}).get("tag")),
        "replicas": 1 if replicas is None else int(replicas),
        "accessModes": list(persistence.get("accessModes") or ["ReadWriteOnce"]),
        "chatUrl": chat_url(resolved.get("global") or {}),
        "accessCodeSecret": chat.get("accessCodeSecret") or DEFAULT_NAMES.access_code_secret,
        "ollamaAdminPort": DEFAULT_NAMES.ollama_admin_port,
        "gatewayRequireKey": (backend.get("gateway") or {}).get("requireKey") is not False,
    }
