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


def detect_storage_findings(
    *,
    persistence: Obj,
    storage_needed: str | None,
    pvc_name: str,
    pvcs: Sequence[Obj],
    storage_classes: Sequence[Obj],
) -> list[Finding]:
    """The named or default StorageClass exists; an existing models PVC is big enough and has the access "
    "mode."""
    findings: list[Finding] = []
    existing = next((p for p in pvcs if _name(p) == pvc_name), None)
    names = sorted(_name(sc) for sc in storage_classes)
    wanted_class = str(persistence.get("storageClass") or "")
    if existing is None:
        if wanted_class and wanted_class not in names:
            findings.append(
                Finding(
                    FindingCode.PVC_STORAGE_CLASS_NOT_FOUND,
                    Severity.ERROR,
                    f"backend.persistence.storageClass is {wanted_class!r}, which this cluster does not "
                    "have; "
                    f"allowed: {', '.join(names) or '(no StorageClass installed)'} or empty for the default.",
                    f"backend.persistence.storageClass 为 {wanted_class!r}，集群中不存在；可选："
                    f"{', '.join(names) or '（未安装 StorageClass）'}，或留空使用默认类。",
                    path="backend.persistence.storageClass",
                    evidence={"given": wanted_class, "allowed": names},
                    fix_en="Use one of the listed classes, or leave it empty for the cluster default.",
                    fix_zh="使用列出的类之一，或留空使用集群默认类。",
                )
            )
        elif not wanted_class and not any(
            "true"
            in (
                ((sc.get("metadata") or {}).get("annotations") or {}).get(key)
                for key in (
                    "storageclass.kubernetes.io/is-default-class",
                    "storageclass.beta.kubernetes.io/is-default-class",
                )
            )
            for sc in storage_classes
        ):
            findings.append(
                Finding(
                    FindingCode.PVC_NO_DEFAULT_STORAGE_CLASS,
                    Severity.ERROR,
                    "backend.persistence.storageClass is empty and the cluster has no default StorageClass, "
                    "so the "
                    "models PVC would stay Pending; allowed: one of "
                    f"{', '.join(names) or '(none installed)'}.",
                    "backend.persistence.storageClass 为空且集群没有默认 StorageClass，模型 PVC 将一直处于 "
                    "Pending；"
                    f"可选：{', '.join(names) or '（未安装）'}。",
                    path="backend.persistence.storageClass",
                    evidence={"given": "", "allowed": names},
                    fix_en="Name a StorageClass here, or mark one as the cluster default.",
                    fix_zh="在此指定一个 StorageClass，或将其中一个设为集群默认类。",
                )
            )
        return findings
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
                f"The existing PVC {pvc_name} holds {have} MiB but the configured models need {need} MiB "
                f"({storage_needed}).",
                f"现有 PVC {pvc_name} 容量为 {have} MiB，而配置的模型需要 {need} MiB（{storage_needed}）。",
                path="backend.persistence.size",
                evidence={
                    "kind": "PersistentVolumeClaim",
                    "name": pvc_name,
                    "given": have,
                    "allowed": f">= {need} MiB",
                },
                fix_en=f"Expand the PVC (kubectl -n <namespace> patch pvc {pvc_name} -p "
                f'\'{{"spec":{{"resources":{{"requests":{{"storage":"{storage_needed}"}}}}}}}}\') if its '
                "StorageClass allows expansion, or choose fewer or smaller models.",
                fix_zh=f"若 StorageClass 支持扩容，请扩容 PVC（kubectl -n <namespace> patch pvc {pvc_name} "
                "...，"
                f"storage: {storage_needed}），或选择更少或更小的模型。",
            )
        )
    wanted_modes = [str(m) for m in persistence.get("accessModes") or []]
    have_modes = [str(m) for m in spec.get("accessModes") or []]
    missing = [m for m in wanted_modes if m not in have_modes]
    if missing:
        findings.append(
            Finding(
                FindingCode.PVC_ACCESS_MODE_MISMATCH,
                Severity.ERROR,
                f"The existing PVC {pvc_name} has access modes {have_modes}, the config asks for "
                f"{wanted_modes}; "
                "a PVC's access modes cannot change.",
                f"现有 PVC {pvc_name} 的访问模式为 {have_modes}，配置要求 {wanted_modes}；PVC 的访问模式不可修改。",
                path="backend.persistence.accessModes",
                evidence={
                    "kind": "PersistentVolumeClaim",
                    "name": pvc_name,
                    "given": wanted_modes,
                    "allowed": have_modes,
                },
                fix_en=f"Keep backend.persistence.accessModes at {have_modes}, or copy the models out, "
                "delete PVC "
                f"{pvc_name} (it is kept on uninstall) and let the chart create it again.",
                fix_zh=f"将 backend.persistence.accessModes 保持为 {have_modes}，或先备份模型、删除 PVC "
                f"{pvc_name}"
                "（卸载时会保留）并让 chart 重新创建。",
            )
        )
    return findings


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
            labels = ", ".join(f"{k}={v}" for k, v in node_selector.items())
            return [
                Finding(
                    FindingCode.NODE_SELECTOR_MATCHES_NO_NODE,
                    Severity.ERROR,
                    f"No schedulable node has the labels {labels} (backend.server.nodeSelector merged with "
                    "global.nodeSelector).",
                    f"没有可调度节点带有标签 {labels}（backend.server.nodeSelector 与 global.nodeSelector 合并后）。",
                    path="backend.server.nodeSelector",
                    evidence={"given": dict(node_selector), "nodes": len(candidates)},
                    fix_en="Label a node with them (kubectl label node <node> ...) or change the nodeSelector.",
                    fix_zh="给节点打上这些标签（kubectl label node <node> ...）或修改 nodeSelector。",
                )
            ]
        candidates = matching
    resources = sizing.get("resources") or {}
    requests = resources.get("requests") or {}
    limits = resources.get("limits") or {}
    accelerator = str(sizing.get("accelerator") or "cpu")
    gpu_resource = sizing.get("gpuResource")
    gpu_count = int(sizing.get("gpuCount") or 0)
    need_cpu, need_mem = _milli(requests.get("cpu")), _mib(requests.get("memory"))
    need_gpu_mem = _mib(memory_per_gpu) if memory_per_gpu else None
    reasons: dict[str, str] = {}
    for node in candidates:
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
            "No node can run ollama with these resources "
            f"({', '.join(f'{k}={v}' for k, v in asked.items())}); "
            f"checked {len(candidates)} node(s) by allocatable capacity.",
            f"没有节点能以这些资源运行 ollama（{', '.join(f'{k}={v}' for k, v in asked.items())}）；"
            f"已按可分配容量检查 {len(candidates)} 个节点。",
            path="backend.server.resources",
            evidence={"given": asked, "nodes": shown},
            fix_en="Choose a smaller backend.model.tag, a smaller backend.model.contextLength or "
            "backend.model.kvCacheType=q8_0, set backend.gpu.memoryPerGPU to your cards, or add a node that "
            "fits.",
            fix_zh="选择更小的 backend.model.tag、更小的 backend.model.contextLength 或 "
            "backend.model.kvCacheType=q8_0，"
            "把 backend.gpu.memoryPerGPU 设为实际显存，或添加足够大的节点。",
        )
    ]
