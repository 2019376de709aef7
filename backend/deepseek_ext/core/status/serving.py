"""What the install serves with: CPU or GPU, how many GPUs, context, parallel, memory. Pure.

Read from the cluster first (the ollama Deployment's pod template, else a running ollama pod: the
env and resources of its ``ollama`` container are what ollama actually runs with), then from the
serving config for whatever the pod does not say. The status report's ``serving`` (contract §4).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from deepseek_ext.core.status.common import find_by_name
from deepseek_ext.core.status.inputs import Obj
from deepseek_ext.core.status.nodes import GPU_RESOURCES

MODELS_PER_GPU = 3
"""ollama's default OLLAMA_MAX_LOADED_MODELS per GPU (and for the CPU): server/sched.go defaultModelsPerGPU."""


def _ollama_container(spec: Obj) -> Obj | None:
    containers = spec.get("containers") or []
    return next((c for c in containers if c.get("name") == "ollama"), containers[0] if containers else None)


def ollama_container(deployments: Sequence[Obj] | None, deployment: str, pods: Sequence[Obj]) -> Obj | None:
    """The ollama container spec: the Deployment's template (what new pods get), else a pod's."""
    found = find_by_name(deployments, deployment)
    if found is not None:
        spec = ((found.get("spec") or {}).get("template") or {}).get("spec") or {}
        container = _ollama_container(spec)
        if container is not None:
            return container
    for pod in pods:
        container = _ollama_container(pod.get("spec") or {})
        if container is not None:
            return container
    return None


def _env_int(container: Obj | None, name: str) -> int | None:
    for env in (container or {}).get("env") or []:
        if env.get("name") == name:
            try:
                return int(str(env.get("value")))
            except ValueError:
                return None
    return None


def serving_summary(config: Obj, container: Obj | None) -> dict[str, Any]:
    """accelerator, gpus, contextLength, numParallel, maxLoadedModels, memoryRequest, memoryLimit."""
    resources = (container or {}).get("resources") or {}
    limits, requests = resources.get("limits") or {}, resources.get("requests") or {}
    gpu_resource = next((r for r in GPU_RESOURCES if r in limits), None)
    accelerator = str(config.get("accelerator") or "cpu")
    if gpu_resource is not None:
        accelerator = "nvidia" if gpu_resource.startswith("nvidia") else "amd"
    try:
        gpus = int(str(limits.get(gpu_resource))) if gpu_resource else int(config.get("gpuCount") or 0)
    except ValueError:
        gpus = 0
    if accelerator == "cpu":
        gpus = 0
    context = _env_int(container, "OLLAMA_CONTEXT_LENGTH") or int(config.get("contextLength") or 0)
    parallel = _env_int(container, "OLLAMA_NUM_PARALLEL") or int(config.get("parallel") or 1)
    loaded = _env_int(container, "OLLAMA_MAX_LOADED_MODELS") or MODELS_PER_GPU * max(gpus, 1)
    return {
        "accelerator": accelerator,
        "gpus": gpus,
        "contextLength": context,
        "numParallel": parallel,
        "maxLoadedModels": loaded,
        "memoryRequest": str(requests.get("memory") or ""),
        "memoryLimit": str(limits.get("memory") or ""),
    }


def ollama_image(container: Obj | None, pods: Sequence[Obj]) -> str:
    """The image ollama runs (the spec's reference: a digest pin shows as ``@sha256:``)."""
    if container is not None and container.get("image"):
        return str(container["image"])
    for pod in pods:
        for cs in (pod.get("status") or {}).get("containerStatuses") or []:
            if cs.get("image"):
                return str(cs["image"])
    return ""
