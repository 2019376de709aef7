"""Live checks of ``config/validate``: will this config work on *this* cluster? Pure.

Inputs are the effective values and sizing that ``core.validation`` computed, plus the cluster's
nodes, StorageClasses and PVCs as JSON (read by the service through the shared snapshot).
Node fit uses *allocatable* capacity, not what is free right now: pods come and go, while a model
that fits no node's allocatable can never run there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from deepseek_ext.core.findings import Finding, FindingCode, Severity
from deepseek_ext.core.messages import Message, message
from deepseek_ext.core.quantity import parse_quantity

Obj = Mapping[str, Any]
GPU_MEMORY_LABELS = {"nvidia": "nvidia.com/gpu.memory", "amd": "amd.com/gpu.vram"}
"""Per-GPU memory labels: NVIDIA GPU Feature Discovery (MiB) and the AMD node labeller (e.g. 192G)."""


def _name(obj: Obj) -> str:
    return str((obj.get("metadata") or {}).get("name") or "")


def _mib(value: Any) -> int | None:
    try:
        return parse_quantity(value, "memory")
    except (ValueError, TypeError):
        return None


def _milli(value: Any) -> int | None:
    try:
        return parse_quantity(value, "cpu")
    except (ValueError, TypeError):
        return None


def gpu_memory_mib(node: Obj, accelerator: str) -> int | None:
    """Per-GPU memory from the node's labels, in MiB (None when unlabelled)."""
    label = GPU_MEMORY_LABELS.get(accelerator)
    raw = ((node.get("metadata") or {}).get("labels") or {}).get(label or "")
    if raw is None:
        return None
    text = str(raw).strip()
    if accelerator == "nvidia" and text.isdigit():
        return int(text)  # GFD reports plain MiB
    if text.endswith("G") and text[:-1].isdigit():
        return int(text[:-1]) * 1024  # the AMD labeller's "192G" means GiB
    return _mib(text)


def _no_class_or(names: list[str]) -> list[str] | Message:
    """The StorageClass names for a message, or the phrase for none installed."""
    return names or message("validation.noStorageClass")


def _has_default_class(storage_classes: Sequence[Obj]) -> bool:
    return any(
        "true"
        in (
            ((sc.get("metadata") or {}).get("annotations") or {}).get(key)
            for key in (
                "storageclass.kubernetes.io/is-default-class",
                "storageclass.beta.kubernetes.io/is-default-class",
            )
        )
        for sc in storage_classes
    )


def detect_storage_findings(
    *,
    persistence: Obj,
    storage_needed: str | None,
    pvc_name: str,
    pvcs: Sequence[Obj],
    storage_classes: Sequence[Obj],
) -> list[Finding]:
    """The named or default StorageClass exists; an existing models PVC is big enough and has the access
    modes the config asks for."""
    existing = next((p for p in pvcs if _name(p) == pvc_name), None)
    if existing is None:
        return _storage_class_findings(persistence, storage_classes)
    findings: list[Finding] = []
    spec = existing.get("spec") or {}
    have = _mib(
        (existing.get("status") or {}).get("capacity", {}).get("storage")
        or ((spec.get("resources") or {}).get("requests") or {}).get("storage")
    )
    need = _mib(storage_needed) if storage_needed else None
    if have is not None and need is not None and have < need:
        findings.append(
            Finding(
                FindingCode.PVC_TOO_SMALL,
                Severity.ERROR,
                path="backend.persistence.size",
                params={"pvc": pvc_name, "have": have, "need": need, "size": storage_needed},
                evidence={
                    "kind": "PersistentVolumeClaim",
                    "name": pvc_name,
                    "given": have,
                    "allowed": f">= {need} MiB",
                },
            )
        )
    wanted_modes = [str(m) for m in persistence.get("accessModes") or []]
    have_modes = [str(m) for m in spec.get("accessModes") or []]
    if any(m not in have_modes for m in wanted_modes):
        findings.append(
            Finding(
                FindingCode.PVC_ACCESS_MODE_MISMATCH,
                Severity.ERROR,
                path="backend.persistence.accessModes",
                params={"pvc": pvc_name, "have": have_modes, "wanted": wanted_modes},
                evidence={
                    "kind": "PersistentVolumeClaim",
                    "name": pvc_name,
                    "given": wanted_modes,
                    "allowed": have_modes,
                },
            )
        )
    return findings


def _storage_class_findings(persistence: Obj, storage_classes: Sequence[Obj]) -> list[Finding]:
    """Before the PVC exists: the StorageClass it will name (or the cluster default) must exist."""
    names = sorted(_name(sc) for sc in storage_classes)
    wanted_class = str(persistence.get("storageClass") or "")
    if wanted_class and wanted_class not in names:
        return [
            Finding(
                FindingCode.PVC_STORAGE_CLASS_NOT_FOUND,
                Severity.ERROR,
                path="backend.persistence.storageClass",
                params={"given": wanted_class, "classes": _no_class_or(names)},
                evidence={"given": wanted_class, "allowed": names},
                message_key="finding.PvcStorageClassNotFound.validate",
                fix_key="finding.PvcStorageClassNotFound.validate.fix",
            )
        ]
    if not wanted_class and not _has_default_class(storage_classes):
        return [
            Finding(
                FindingCode.PVC_NO_DEFAULT_STORAGE_CLASS,
                Severity.ERROR,
                path="backend.persistence.storageClass",
                params={"classes": _no_class_or(names)},
                evidence={"given": "", "allowed": names},
                message_key="finding.PvcNoDefaultStorageClass.validate",
                fix_key="finding.PvcNoDefaultStorageClass.validate.fix",
            )
        ]
    return []


def detect_node_findings(
    *, sizing: Obj, node_selector: Mapping[str, str], memory_per_gpu: str | None, nodes: Sequence[Obj]
) -> list[Finding]:
    """Some schedulable node matches the nodeSelector and can hold the resolved requests."""
    candidates = [n for n in nodes if not (n.get("spec") or {}).get("unschedulable")]
    if node_selector:
        matching = [
            n
            for n in candidates
            if all(((n.get("metadata") or {}).get("labels") or {}).get(k) == str(v) for k, v in node_selector.items())
        ]
        if not matching:
            return [
                Finding(
                    FindingCode.NODE_SELECTOR_MATCHES_NO_NODE,
                    Severity.ERROR,
                    path="backend.server.nodeSelector",
                    params={"labels": [f"{k}={v}" for k, v in node_selector.items()]},
                    evidence={"given": dict(node_selector), "nodes": len(candidates)},
                )
            ]
        candidates = matching
    resources = sizing.get("resources") or {}
    requests = resources.get("requests") or {}
    limits = resources.get("limits") or {}
    gpu_resource = sizing.get("gpuResource")
    gpu_count = int(sizing.get("gpuCount") or 0)
    reasons: dict[str, str] = {}
    for node in candidates:
        why = _why_node_does_not_fit(node, sizing=sizing, memory_per_gpu=memory_per_gpu)
        if not why:
            return []
        reasons[_name(node)] = "; ".join(why)
    asked = {k: str(v) for k, v in requests.items()}
    if gpu_resource and gpu_count:
        asked[str(gpu_resource)] = str(limits.get(gpu_resource, gpu_count))
    shown = dict(list(reasons.items())[:10])
    return [
        Finding(
            FindingCode.NO_NODE_FITS,
            Severity.ERROR,
            path="backend.server.resources",
            params={"asked": [f"{k}={v}" for k, v in asked.items()], "nodes": len(candidates)},
            evidence={"given": asked, "nodes": shown},
        )
    ]


def _why_node_does_not_fit(node: Obj, *, sizing: Obj, memory_per_gpu: str | None) -> list[str]:
    """What the node's allocatable lacks, as evidence lines ("memory 8Gi < 12Gi"); empty when it fits."""
    requests = (sizing.get("resources") or {}).get("requests") or {}
    accelerator = str(sizing.get("accelerator") or "cpu")
    gpu_resource = sizing.get("gpuResource")
    gpu_count = int(sizing.get("gpuCount") or 0)
    need_cpu, need_mem = _milli(requests.get("cpu")), _mib(requests.get("memory"))
    need_gpu_mem = _mib(memory_per_gpu) if memory_per_gpu else None
    allocatable = (node.get("status") or {}).get("allocatable") or {}
    why = []
    if need_cpu is not None and (_milli(allocatable.get("cpu")) or 0) < need_cpu:
        why.append(f"cpu {allocatable.get('cpu', 0)} < {requests.get('cpu')}")
    if need_mem is not None and (_mib(allocatable.get("memory")) or 0) < need_mem:
        why.append(f"memory {allocatable.get('memory', 0)} < {requests.get('memory')}")
    if gpu_resource and gpu_count:
        raw = str(allocatable.get(gpu_resource) or "0")
        have = int(raw) if raw.isdigit() else 0
        if have < gpu_count:
            why.append(f"{gpu_resource} {have} < {gpu_count}")
        per_gpu = gpu_memory_mib(node, accelerator)
        if need_gpu_mem is not None and per_gpu is not None and per_gpu < need_gpu_mem:
            why.append(f"GPU memory {per_gpu} MiB < {memory_per_gpu}")
    return why
