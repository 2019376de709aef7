"""Status rules: from what the cluster and ollama show to findings, component states and a phase.

Pure: every function takes plain JSON-shaped data (``kubectl get -o json`` objects, ollama's
``/api/tags`` and ``/api/ps`` answers, the manager's progress record) as keyword arguments and
returns findings or the report; no I/O, no clock (``now`` is passed in). ``services.status``
gathers the inputs and calls ``build_report``.

Each rule looks at one kind of evidence and says, in English and Chinese, what is wrong and
what to change, naming the config key (``backend.persistence.storageClass``) when one is the fix.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from deepseek_ext.core import names
from deepseek_ext.core.findings import Finding, FindingCode, Severity
from deepseek_ext.core.model_state import ModelState, observed_state
from deepseek_ext.core.phases import Component
from deepseek_ext.core.quantity import parse_quantity

Obj = Mapping[str, Any]

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
COMPONENTS = tuple(c.value for c in Component)
_GPU_RESOURCES = ("nvidia.com/gpu", "amd.com/gpu")
_PULL_ERRORS = ("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull")


@dataclass(frozen=True)
class OllamaObservation:
    """What one ollama server answered (or why not): ``tags``/``ps`` are its ``models`` lists."""

    pod: str
    url: str
    tags: Sequence[Obj] | None = None
    ps: Sequence[Obj] | None = None
    error: str | None = None
    timeout: bool = False


@dataclass
class Inputs:
    """Everything ``build_report`` looks at; resources are None when they could not be read."""

    config: Obj
    namespace: str
    pods: Sequence[Obj] | None = None
    events: Sequence[Obj] | None = None
    pvcs: Sequence[Obj] | None = None
    deployments: Sequence[Obj] | None = None
    ingresses: Sequence[Obj] | None = None
    nodes: Sequence[Obj] | None = None
    storage_classes: Sequence[Obj] | None = None
    state: Obj | None = None
    """The manager's record (``state.json`` of ConfigMap deepseek-model-state), or None."""
    observations: Sequence[OllamaObservation] = ()
    kube_errors: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    """resource -> (error code, message) for lists that failed: ClusterUnavailable, KubernetesForbidden..."""
    now: str = ""
    config_source: str = "file"
    """Where ``config`` came from: a file path, ``ConfigMap deepseek-serving``, or ``defaults`` (neither)."""


def _f(
    code: FindingCode,
    severity: Severity,
    component: str,
    *,
    en: str,
    zh: str,
    fix_en: str,
    fix_zh: str,
    evidence: Mapping[str, Any],
    path: str | None = None,
) -> Finding:
    return Finding(
        code,
        severity,
        en,
        zh,
        path=path,
        component=component,
        evidence={k: v for k, v in evidence.items() if v is not None},
        fix_en=fix_en,
        fix_zh=fix_zh,
    )


# ----------------------------------------------------------------------------------------------
# helpers on Kubernetes objects
# ----------------------------------------------------------------------------------------------


def _name(obj: Obj) -> str:
    return str((obj.get("metadata") or {}).get("name") or "")


def _labels_match(selector: Mapping[str, str], obj: Obj) -> bool:
    labels = (obj.get("metadata") or {}).get("labels") or {}
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def events_for(events: Iterable[Obj] | None, kind: str, name: str) -> list[Obj]:
    """Events about one object, newest first."""
    found = [
        e
        for e in events or ()
        if (e.get("involvedObject") or {}).get("kind") == kind and (e.get("involvedObject") or {}).get("name") == name
    ]
    return sorted(found, key=lambda e: str(e.get("lastTimestamp") or e.get("eventTime") or ""), reverse=True)


def _event_evidence(event: Obj) -> str:
    return f"{event.get('reason', '')}: {event.get('message', '')}".strip(": ")


def _condition(obj: Obj, kind: str) -> Obj | None:
    return next((c for c in (obj.get("status") or {}).get("conditions") or [] if c.get("type") == kind), None)


def pod_ready(pod: Obj) -> bool:
    cond = _condition(pod, "Ready")
    return bool(cond and cond.get("status") == "True") and not (pod.get("metadata") or {}).get("deletionTimestamp")


def _default_storage_class(storage_classes: Iterable[Obj]) -> str | None:
    for sc in storage_classes:
        annotations = (sc.get("metadata") or {}).get("annotations") or {}
        if "true" in (
            annotations.get("storageclass.kubernetes.io/is-default-class"),
            annotations.get("storageclass.beta.kubernetes.io/is-default-class"),
        ):
            return _name(sc)
    return None


# ----------------------------------------------------------------------------------------------
# storage
# ----------------------------------------------------------------------------------------------


def detect_pvc_findings(
    *,
    pvc: Obj | None,
    storage_classes: Sequence[Obj] | None,
    events: Sequence[Obj] | None,
    pvc_name: str = "deepseek-models",
) -> list[Finding]:
    """A Pending models PVC: no default StorageClass, a missing class, an access mode the class cannot "
    "give."""
    if pvc is None:
        return [
            _f(
                FindingCode.PVC_MISSING,
                ERROR,
                "storage",
                en=f"The PersistentVolumeClaim {pvc_name} does not exist, so ollama has nowhere to keep models.",
                zh=f"PersistentVolumeClaim {pvc_name} 不存在，ollama 无处保存模型。",
                fix_en="Run the extension upgrade again (Extension Center > DeepSeek > Update) so the chart "
                "re-creates it, or create it by hand with the size from `deepseek-ext resolve`.",
                fix_zh="在扩展中心重新执行更新（DeepSeek > 更新）让 chart 重新创建它，"
                "或按 `deepseek-ext resolve` 给出的大小手动创建。",
                evidence={"kind": "PersistentVolumeClaim", "name": pvc_name, "field": "metadata.name"},
            )
        ]
    phase = (pvc.get("status") or {}).get("phase")
    if phase != "Pending":
        return []
    name = _name(pvc)
    spec = pvc.get("spec") or {}
    pvc_events = events_for(events, "PersistentVolumeClaim", name)
    modes = list(spec.get("accessModes") or [])
    for event in pvc_events:
        text = str(event.get("message") or "")
        if re.search(r"access ?mode|ReadWriteMany|ReadWriteOnce|ReadOnlyMany", text, re.I) and (
            event.get("reason") in ("ProvisioningFailed", "FailedBinding")
        ):
            return [
                _f(
                    FindingCode.PVC_ACCESS_MODE_UNSUPPORTED,
                    ERROR,
                    "storage",
                    en=f"The StorageClass of PVC {name} cannot provide the access mode {', '.join(modes)}.",
                    zh=f"PVC {name} 的 StorageClass 不支持访问模式 {', '.join(modes)}。",
                    fix_en="Set backend.persistence.accessModes to [ReadWriteOnce] (one ollama replica), or "
                    "pick "
                    "a StorageClass that offers ReadWriteMany (NFS, CephFS) in "
                    "backend.persistence.storageClass. Then delete the Pending PVC so it is re-created.",
                    fix_zh="将 backend.persistence.accessModes 设为 [ReadWriteOnce]（单个 ollama 副本），"
                    "或在 backend.persistence.storageClass 中选择支持 ReadWriteMany 的 StorageClass"
                    "（NFS、CephFS），然后删除处于 Pending 的 PVC 以便重新创建。",
                    evidence={
                        "kind": "PersistentVolumeClaim",
                        "name": name,
                        "field": "spec.accessModes",
                        "value": modes,
                        "event": _event_evidence(event),
                    },
                    path="backend.persistence.accessModes",
                )
            ]
    class_name = spec.get("storageClassName")
    if storage_classes is not None:
        class_names = {_name(sc) for sc in storage_classes}
        if not class_name and _default_storage_class(storage_classes) is None:
            event = next(iter(pvc_events), None)
            return [
                _f(
                    FindingCode.PVC_NO_DEFAULT_STORAGE_CLASS,
                    ERROR,
                    "storage",
                    en=f"PVC {name} is Pending: it names no StorageClass and the cluster has no default one.",
                    zh=f"PVC {name} 处于 Pending：它没有指定 StorageClass，而集群也没有默认 StorageClass。",
                    fix_en="Set backend.persistence.storageClass to one of: "
                    f"{', '.join(sorted(class_names)) or '(none installed)'}; or mark one as default "
                    "(kubectl annotate storageclass <name> "
                    "storageclass.kubernetes.io/is-default-class=true).",
                    fix_zh="将 backend.persistence.storageClass 设为以下之一："
                    f"{', '.join(sorted(class_names)) or '（集群中没有）'}；或把其中一个设为默认"
                    "（kubectl annotate storageclass <name> "
                    "storageclass.kubernetes.io/is-default-class=true）"
                    "。",
                    evidence={
                        "kind": "PersistentVolumeClaim",
                        "name": name,
                        "field": "spec.storageClassName",
                        "value": class_name,
                        "event": _event_evidence(event) if event else None,
                    },
                    path="backend.persistence.storageClass",
                )
            ]
        if class_name and class_name not in class_names:
            return [
                _f(
                    FindingCode.PVC_STORAGE_CLASS_NOT_FOUND,
                    ERROR,
                    "storage",
                    en=f"PVC {name} asks for StorageClass {class_name}, which does not exist.",
                    zh=f"PVC {name} 请求的 StorageClass {class_name} 不存在。",
                    fix_en="Set backend.persistence.storageClass to one of: "
                    f"{', '.join(sorted(class_names)) or '(none)'}"
                    " (empty = the default class), then delete the Pending PVC so it is re-created.",
                    fix_zh="将 backend.persistence.storageClass 设为以下之一"
                    f"：{', '.join(sorted(class_names)) or '（无）'}"
                    "（留空表示默认类），然后删除处于 Pending 的 PVC 以便重新创建。",
                    evidence={
                        "kind": "PersistentVolumeClaim",
                        "name": name,
                        "field": "spec.storageClassName",
                        "value": class_name,
                    },
                    path="backend.persistence.storageClass",
                )
            ]
    failed = next((e for e in pvc_events if e.get("reason") == "ProvisioningFailed"), None)
    if failed is not None:
        return [
            _f(
                FindingCode.PVC_PROVISIONING_FAILED,
                ERROR,
                "storage",
                en=f"The volume of PVC {name} could not be provisioned: {failed.get('message', '')}",
                zh=f"PVC {name} 的存储卷创建失败：{failed.get('message', '')}",
                fix_en="Check the storage provisioner named in the event (its pods and quota), or choose "
                "another "
                "class in backend.persistence.storageClass.",
                fix_zh="检查事件中提到的存储供应器（其 Pod 与配额），或在 backend.persistence.storageClass "
                "中选择其他类。",
                evidence={
                    "kind": "PersistentVolumeClaim",
                    "name": name,
                    "field": "status.phase",
                    "value": phase,
                    "event": _event_evidence(failed),
                },
                path="backend.persistence.storageClass",
            )
        ]
    return []


# ----------------------------------------------------------------------------------------------
# pods (ollama and NextChat)
# ----------------------------------------------------------------------------------------------

_UNSCHEDULABLE = (
    (re.compile(r"Insufficient (nvidia\.com/gpu|amd\.com/gpu)"), FindingCode.POD_UNSCHEDULABLE_GPU),
    (re.compile(r"Insufficient cpu"), FindingCode.POD_UNSCHEDULABLE_CPU),
    (re.compile(r"Insufficient memory"), FindingCode.POD_UNSCHEDULABLE_MEMORY),
    (
        re.compile(r"didn't match (Pod's )?node (affinity/)?selector|node\(s\) didn't match", re.I),
        FindingCode.POD_UNSCHEDULABLE_NODE_SELECTOR,
    ),
)


def _requests(pod: Obj) -> dict[str, str]:
    total: dict[str, str] = {}
    for c in (pod.get("spec") or {}).get("containers") or []:
        resources = c.get("resources") or {}
        total.update({k: str(v) for k, v in (resources.get("limits") or {}).items() if k in _GPU_RESOURCES})
        total.update({k: str(v) for k, v in (resources.get("requests") or {}).items()})
    return total


def _unschedulable_finding(
    code: FindingCode, component: str, pod: Obj, text: str, nodes: Sequence[Obj] | None, key: str
) -> Finding:
    name, requests = _name(pod), _requests(pod)
    selector = (pod.get("spec") or {}).get("nodeSelector") or {}
    where = f"{key}.nodeSelector"
    if code is FindingCode.POD_UNSCHEDULABLE_GPU:
        named = re.search(r"Insufficient ((?:nvidia|amd)\.com/gpu)", text)
        gpu = next(
            (f"{k}={v}" for k, v in requests.items() if k in _GPU_RESOURCES),
            named.group(1) if named else "a GPU",
        )
        return _f(
            code,
            ERROR,
            component,
            en=f"Pod {name} cannot be scheduled: no node has {gpu} free.",
            zh=f"Pod {name} 无法调度：没有节点有空闲的 {gpu}。",
            fix_en="Add GPU nodes with the device plugin (NVIDIA GPU Operator / AMD device plugin), free "
            "GPUs, "
            "choose a smaller model (backend.model.tag) so fewer GPUs are needed, or set "
            "backend.gpu.memoryPerGPU to the real card size; backend.enableNvidia=false runs on CPU.",
            fix_zh="添加安装了设备插件的 GPU 节点（NVIDIA GPU Operator / AMD device plugin）、释放 GPU、"
            "选择更小的模型（backend.model.tag）以减少所需 GPU，或把 backend.gpu.memoryPerGPU 设为"
            "实际显存；backend.enableNvidia=false 则在 CPU 上运行。",
            evidence={
                "kind": "Pod",
                "name": name,
                "field": "status.conditions[PodScheduled]",
                "event": text,
                "value": gpu,
            },
            path="backend.model.tag",
        )
    if code in (FindingCode.POD_UNSCHEDULABLE_CPU, FindingCode.POD_UNSCHEDULABLE_MEMORY):
        resource = "cpu" if code is FindingCode.POD_UNSCHEDULABLE_CPU else "memory"
        asked = requests.get(resource, "?")
        biggest = _largest_allocatable(nodes, resource)
        return _f(
            code,
            ERROR,
            component,
            en=f"Pod {name} cannot be scheduled: no node has {resource} {asked} free"
            + (f" (largest allocatable: {biggest})." if biggest else "."),
            zh=f"Pod {name} 无法调度：没有节点有空闲的 {resource} {asked}"
            + (f"（最大可分配：{biggest}）。" if biggest else "。"),
            fix_en="Choose a smaller model (backend.model.tag), a smaller context "
            "(backend.model.contextLength)"
            f" or q8_0 KV cache (backend.model.kvCacheType), lower {key}.resources.requests.{resource}, "
            "or add a bigger node. `deepseek-ext resolve` shows what each choice needs.",
            fix_zh="选择更小的模型（backend.model.tag）、更小的上下文（backend.model.contextLength）或 "
            "q8_0 KV"
            f" 缓存（backend.model.kvCacheType），降低 {key}.resources.requests.{resource}，或添加更大的节"
            "点。"
            "`deepseek-ext resolve` 会显示每种选择所需的资源。",
            evidence={
                "kind": "Pod",
                "name": name,
                "field": f"spec.containers[].resources.requests.{resource}",
                "value": asked,
                "event": text,
            },
            path=f"{key}.resources",
        )
    if code is FindingCode.POD_UNSCHEDULABLE_NODE_SELECTOR:
        labels = ", ".join(f"{k}={v}" for k, v in selector.items()) or "(affinity)"
        return _f(
            code,
            ERROR,
            component,
            en=f"Pod {name} cannot be scheduled: no node carries the labels {labels}.",
            zh=f"Pod {name} 无法调度：没有节点带有标签 {labels}。",
            fix_en=f"Label a node (kubectl label node <node> {labels.replace(', ', ' ')}) or change {where} "
            "(and global.nodeSelector, which KubeSphere sets from the extension's node selector).",
            fix_zh=f"给节点打标签（kubectl label node <node> {labels.replace(', ', ' ')}）或修改 {where}"
            "（以及 KubeSphere 根据扩展节点选择器设置的 global.nodeSelector）。",
            evidence={
                "kind": "Pod",
                "name": name,
                "field": "spec.nodeSelector",
                "value": selector,
                "event": text,
            },
            path=where,
        )
    return _f(
        FindingCode.POD_UNSCHEDULABLE,
        ERROR,
        component,
        en=f"Pod {name} cannot be scheduled: {text}",
        zh=f"Pod {name} 无法调度：{text}",
        fix_en="Read the scheduler message above; taints need tolerations, full nodes need room.",
        fix_zh="请阅读上面的调度器信息；有污点的节点需要容忍度，资源已满的节点需要腾出空间。",
        evidence={"kind": "Pod", "name": name, "field": "status.conditions[PodScheduled]", "event": text},
    )


def _largest_allocatable(nodes: Sequence[Obj] | None, resource: str) -> str | None:
    """The biggest allocatable ``resource`` (cpu or memory) of any node, as the node reports it."""
    best: tuple[int, str] | None = None
    for node in nodes or ():
        raw = ((node.get("status") or {}).get("allocatable") or {}).get(resource)
        try:
            value = parse_quantity(raw, "cpu" if resource == "cpu" else "memory")
        except (ValueError, TypeError):
            continue
        if best is None or value > best[0]:
            best = (value, str(raw))
    return best[1] if best else None


def detect_pod_findings(
    *,
    pods: Sequence[Obj],
    events: Sequence[Obj] | None,
    component: str,
    key: str,
    nodes: Sequence[Obj] | None = None,
) -> list[Finding]:
    """Unschedulable (GPU, CPU, memory, node selector), image pulls, crash loops, OOM kills, multi-attach.

    ``key`` is the config key of the workload (``backend.server`` or ``backend.chat``), used in fixes.
    """
    findings: list[Finding] = []
    for pod in pods:
        name = _name(pod)
        status = pod.get("status") or {}
        scheduled = _condition(pod, "PodScheduled")
        pod_events = events_for(events, "Pod", name)
        if scheduled and scheduled.get("status") == "False" and scheduled.get("reason") == "Unschedulable":
            text = str(scheduled.get("message") or "")
            sched_event = next((e for e in pod_events if e.get("reason") == "FailedScheduling"), None)
            if sched_event is not None:
                text = str(sched_event.get("message") or text)
            codes = [code for pattern, code in _UNSCHEDULABLE if pattern.search(text)]
            if not codes and re.search(r"unbound immediate PersistentVolumeClaims|unbound PersistentVolumeClaim", text):
                continue  # the storage findings explain it
            for code in codes or [FindingCode.POD_UNSCHEDULABLE]:
                findings.append(_unschedulable_finding(code, component, pod, text, nodes, key))
        for cs in list(status.get("initContainerStatuses") or []) + list(status.get("containerStatuses") or []):
            findings.extend(_container_findings(pod, cs, component, key))
        for event in pod_events:
            if event.get("reason") == "FailedAttachVolume" and "Multi-Attach" in str(event.get("message")):
                findings.append(
                    _f(
                        FindingCode.VOLUME_MULTI_ATTACH,
                        ERROR,
                        component,
                        en=f"Pod {name} cannot start: the ReadWriteOnce models volume is attached to another node.",
                        zh=f"Pod {name} 无法启动：ReadWriteOnce 模型卷已挂载在另一个节点上。",
                        fix_en="Keep one ollama replica (backend.server.replicas=1, autoscaling off) with "
                        "ReadWriteOnce, "
                        "or switch backend.persistence.accessModes to [ReadWriteMany] on a class that "
                        "supports it. "
                        "During a rollout, delete the old pod so the volume is released.",
                        fix_zh="使用 ReadWriteOnce 时保持单个 ollama 副本（backend.server.replicas=1，关闭"
                        "自动伸缩），"
                        "或在支持的存储类上把 backend.persistence.accessModes 改为 [ReadWriteMany]。"
                        "滚动更新期间请删除旧 Pod 以释放存储卷。",
                        evidence={
                            "kind": "Pod",
                            "name": name,
                            "field": "volumes",
                            "event": _event_evidence(event),
                        },
                        path="backend.persistence.accessModes",
                    )
                )
                break
    return _dedupe(findings)


def _container_findings(pod: Obj, cs: Obj, component: str, key: str) -> list[Finding]:
    name, container = _name(pod), str(cs.get("name") or "")
    waiting = (cs.get("state") or {}).get("waiting") or {}
    terminated = (cs.get("state") or {}).get("terminated") or {}
    last = (cs.get("lastState") or {}).get("terminated") or {}
    reason = waiting.get("reason")
    if reason in _PULL_ERRORS:
        image = str(cs.get("image") or "")
        return [
            _f(
                FindingCode.IMAGE_PULL_FAILED,
                ERROR,
                component,
                en=f"Container {container} of pod {name} cannot pull image {image}: {waiting.get('message', reason)}",
                zh=f"Pod {name} 的容器 {container} 无法拉取镜像 {image}：{waiting.get('message', reason)}",
                fix_en="Check that the image exists in the registry and the nodes can reach it. Air-gapped: "
                "mirror "
                "the images listed in extension.yaml and set global.imageRegistry; private registries "
                f"need global.imagePullSecrets or {key}.image.pullSecrets.",
                fix_zh="确认镜像仓库中存在该镜像且节点能访问仓库。离线环境：同步 extension.yaml 中列出的镜"
                "像并设置"
                f" global.imageRegistry；私有仓库需要 global.imagePullSecrets 或 {key}.image.pullSecrets。",
                evidence={
                    "kind": "Pod",
                    "name": name,
                    "field": f"status.containerStatuses[{container}].state.waiting",
                    "value": reason,
                    "image": image,
                },
                path="global.imageRegistry",
            )
        ]
    oom = "OOMKilled" in (terminated.get("reason"), last.get("reason"))
    if oom:
        return [
            _f(
                FindingCode.OOM_KILLED,
                ERROR,
                component,
                en=f"Container {container} of pod {name} was killed for using more memory than its limit "
                f"(restarts: {cs.get('restartCount', 0)}).",
                zh=f"Pod {name} 的容器 {container} 因内存超过限制被终止（重启次数：{cs.get('restartCount', 0)}）。",
                fix_en=f"Raise {key}.resources.limits.memory, or lower the need: a smaller model "
                "(backend.model.tag), "
                "a smaller backend.model.contextLength or backend.model.parallel, or "
                "backend.model.kvCacheType"
                "=q8_0. Empty resources are sized from the model by `deepseek-ext resolve`.",
                fix_zh=f"提高 {key}.resources.limits.memory，或降低需求：更小的模型（backend.model.tag）、"
                "更小的 backend.model.contextLength 或 backend.model.parallel，或 "
                "backend.model.kvCacheType=q8_0。"
                "留空 resources 时由 `deepseek-ext resolve` 按模型计算。",
                evidence={
                    "kind": "Pod",
                    "name": name,
                    "field": f"status.containerStatuses[{container}].lastState.terminated.reason",
                    "value": "OOMKilled",
                    "restarts": cs.get("restartCount", 0),
                },
                path=f"{key}.resources.limits.memory",
            )
        ]
    if reason == "CrashLoopBackOff":
        exit_code = last.get("exitCode")
        detail = str(last.get("message") or last.get("reason") or "").strip()[:300]
        return [
            _f(
                FindingCode.CRASH_LOOP,
                ERROR,
                component,
                en=f"Container {container} of pod {name} keeps crashing (exit code {exit_code}, "
                f"restarts: {cs.get('restartCount', 0)}){': ' + detail if detail else '.'}",
                zh=f"Pod {name} 的容器 {container} 反复崩溃（退出码 {exit_code}，重启次数："
                f"{cs.get('restartCount', 0)}）{'：' + detail if detail else '。'}",
                fix_en=f"Read its log: kubectl -n <namespace> logs {name} -c {container} --previous. Common "
                "causes: "
                "a GPU requested on a node without drivers (set backend.gpu.runtimeClassName), an ollama "
                "image "
                f"too old for the model ({key}.image.tag).",
                fix_zh=f"查看日志：kubectl -n <namespace> logs {name} -c {container} --previous。常见原因："
                "在没有驱动的节点上请求了 GPU（设置 backend.gpu.runtimeClassName），或 ollama 镜像对该模型"
                f"过旧（{key}.image.tag）。",
                evidence={
                    "kind": "Pod",
                    "name": name,
                    "field": f"status.containerStatuses[{container}].state.waiting.reason",
                    "value": reason,
                    "exitCode": exit_code,
                    "restarts": cs.get("restartCount", 0),
                },
            )
        ]
    return []


def _dedupe(findings: Iterable[Finding]) -> list[Finding]:
    seen: set[tuple[str, str, str]] = set()
    out = []
    for f in findings:
        key = (str(f.code), f.component, str(f.evidence.get("name")))
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


# ----------------------------------------------------------------------------------------------
# model
# ----------------------------------------------------------------------------------------------

_PULL_ERROR_CODES = {
    "RegistryUnreachable": FindingCode.MODEL_PULL_REGISTRY_UNREACHABLE,
    "UnknownTag": FindingCode.MODEL_PULL_UNKNOWN_TAG,
    "OllamaTooOld": FindingCode.MODEL_PULL_OLLAMA_TOO_OLD,
    "DiskFull": FindingCode.MODEL_PULL_DISK_FULL,
}


def _pull_failure(model: str, record: Obj, config: Obj) -> Finding:
    error = record.get("lastError") or {}
    code = _PULL_ERROR_CODES.get(str(error.get("code")), FindingCode.MODEL_PULL_FAILED)
    message = str(error.get("message") or "")
    severity = ERROR if record.get("phase") == "Failed" else WARNING
    evidence = {
        "kind": "ConfigMap",
        "name": "deepseek-model-state",
        "field": f"state.json models[{model}].lastError",
        "value": error.get("code"),
        "event": message,
        "attempts": record.get("attempts"),
    }
    registry = config.get("registry") or "registry.ollama.ai/library"
    texts = {
        FindingCode.MODEL_PULL_REGISTRY_UNREACHABLE: (
            f"Model {model} cannot be downloaded: the registry {registry} is unreachable from the ollama pods.",
            f"模型 {model} 无法下载：ollama Pod 访问不到模型仓库 {registry}。",
            "Allow egress from the ollama pods to the registry (proxy: HTTPS_PROXY in backend.server.env, if "
            "your "
            "chart version has it), point backend.model.registry to a reachable mirror, or go offline: "
            'backend.model.pull=false and seed the deepseek-models PVC (README, "Offline").',
            "允许 ollama Pod 访问模型仓库（或配置代理），把 backend.model.registry 指向可访问的镜像仓库，或"
            "使用离线模式："
            "backend.model.pull=false 并预置 deepseek-models PVC（见 README“离线”一节）。",
            "backend.model.registry",
        ),
        FindingCode.MODEL_PULL_UNKNOWN_TAG: (
            f"Model {model} does not exist in the registry {registry}.",
            f"模型仓库 {registry} 中不存在模型 {model}。",
            "Use a tag from the catalog (`deepseek-ext models`: 1.5b, 7b, 8b, 14b, 32b, 70b, 671b) in "
            "backend.model.tag, or fix the name in backend.models.",
            "在 backend.model.tag 中使用目录中的标签（`deepseek-ext models`：1.5b、7b、8b、14b、32b、70b、"
            "671b），"
            "或修正 backend.models 中的名称。",
            "backend.model.tag",
        ),
        FindingCode.MODEL_PULL_OLLAMA_TOO_OLD: (
            f"Model {model} needs a newer ollama than the one running ({config.get('ollamaVersion', '?')}).",
            f"模型 {model} 需要比当前运行版本（{config.get('ollamaVersion', '?')}）更新的 ollama。",
            "Clear backend.server.image.tag (empty = the version this release was tested with) or set a "
            "newer "
            "ollama tag; 0.1.0 configs pin 0.5.7, which cannot run deepseek-r1:8b.",
            "清空 backend.server.image.tag（留空即本版本测试过的版本）或设置更新的 ollama 标签；"
            "0.1.0 的配置固定为 0.5.7，无法运行 deepseek-r1:8b。",
            "backend.server.image.tag",
        ),
        FindingCode.MODEL_PULL_DISK_FULL: (
            f"Model {model} cannot be downloaded: the models volume is full.",
            f"模型 {model} 无法下载：模型存储卷已满。",
            "Grow the deepseek-models PVC (backend.persistence.size, if the StorageClass allows expansion) "
            "or "
            "remove models you no longer use (DELETE .../models/<name>).",
            "扩容 deepseek-models PVC（backend.persistence.size，需 StorageClass 支持扩容），"
            "或删除不再使用的模型（DELETE .../models/<name>）。",
            "backend.persistence.size",
        ),
        FindingCode.MODEL_PULL_FAILED: (
            f"Downloading model {model} failed: {message or error.get('code', 'unknown error')}.",
            f"下载模型 {model} 失败：{message or error.get('code', '未知错误')}。",
            "The manager retries with backoff; POST .../models/<name>/pull retries now. If it keeps failing, "
            "read "
            "the manager log: kubectl -n <namespace> logs deploy/deepseek-api -c manager.",
            "管理器会按退避策略重试；POST .../models/<name>/pull 可立即重试。若持续失败，请查看管理器日志："
            "kubectl -n <namespace> logs deploy/deepseek-api -c manager。",
            None,
        ),
    }
    en, zh, fix_en, fix_zh, path = texts[code]
    return _f(code, severity, "model", en=en, zh=zh, fix_en=fix_en, fix_zh=fix_zh, evidence=evidence, path=path)


def _seed_steps(model: str) -> tuple[str, str]:
    manifest = names.manifest_relpath(model)
    en = (
        f"Offline mode (backend.model.pull=false): copy the model into the deepseek-models PVC: the manifest "
        f"{manifest} and every blob it lists (blobs/sha256-<hex>) from a machine where `ollama pull {model}` "
        "ran "
        "(~/.ollama/models). Or set backend.model.pull=true if the registry is reachable."
    )
    zh = (
        f"离线模式（backend.model.pull=false）：请把模型复制到 deepseek-models PVC 中：清单文件 {manifest} "
        "以及它列出的"
        f"全部 blob（blobs/sha256-<hex>），来源是执行过 `ollama pull {model}` 的机器（~/.ollama/models）。"
        "若能访问模型仓库，也可设置 backend.model.pull=true。"
    )
    return en, zh


def detect_model_findings(
    *, config: Obj, state: Obj | None, observations: Sequence[OllamaObservation]
) -> list[Finding]:
    """Pull failures (from the manager's record), offline models missing or half-copied, CPU/GPU placement."""
    findings: list[Finding] = []
    records = (state or {}).get("models") or {}
    answered = [o for o in observations if o.tags is not None]
    offline = config.get("pull") is False
    accelerator = str(config.get("accelerator") or "cpu")
    for model in [str(m) for m in config.get("models") or [config.get("model")] if m]:
        record = records.get(model) or records.get(names.normalize(model)) or {}
        present = [
            o
            for o in answered
            if any(
                names.normalize(str(t.get("name") or t.get("model"))) == names.normalize(model) for t in o.tags or ()
            )
        ]
        if record.get("phase") == "Partial":
            en, zh = _seed_steps(model)
            findings.append(
                _f(
                    FindingCode.MODEL_PARTIAL,
                    ERROR,
                    "model",
                    en=f"Model {model} is only partly on the volume: {record.get('lastError', {}).get('message', '')}",
                    zh=f"模型 {model} 在存储卷上不完整：{record.get('lastError', {}).get('message', '')}",
                    fix_en="Copy the missing or short blobs again. " + en,
                    fix_zh="请重新复制缺失或不完整的 blob。" + zh,
                    evidence={
                        "kind": "ConfigMap",
                        "name": "deepseek-model-state",
                        "field": f"state.json models[{model}]",
                        "value": "Partial",
                        "manifest": names.manifest_relpath(model),
                    },
                    path="backend.model.pull",
                )
            )
            continue
        if record.get("lastError") and record.get("phase") not in ("Ready", "Loading") and not offline:
            findings.append(_pull_failure(model, record, config))
            continue
        if offline and answered and not present:
            en, zh = _seed_steps(model)
            findings.append(
                _f(
                    FindingCode.MODEL_MISSING_OFFLINE,
                    ERROR,
                    "model",
                    en=f"Model {model} is not on the models volume, and downloads are off (offline mode).",
                    zh=f"模型 {model} 不在模型存储卷上，且下载已关闭（离线模式）。",
                    fix_en=en,
                    fix_zh=zh,
                    evidence={
                        "kind": "Pod",
                        "name": answered[0].pod,
                        "field": "GET /api/tags",
                        "value": "absent",
                        "manifest": names.manifest_relpath(model),
                    },
                    path="backend.model.pull",
                )
            )
        if accelerator != "cpu":
            for obs in observations:
                for loaded in obs.ps or ():
                    if names.normalize(str(loaded.get("name") or loaded.get("model"))) != names.normalize(model):
                        continue
                    size, vram = int(loaded.get("size") or 0), int(loaded.get("size_vram") or 0)
                    if size and vram == 0:
                        findings.append(
                            _f(
                                FindingCode.MODEL_ON_CPU,
                                ERROR,
                                "model",
                                en=f"Model {model} runs on the CPU of pod {obs.pod} although a GPU "
                                f"({accelerator}) was "
                                "asked for: ollama found no usable GPU.",
                                zh=f"模型 {model} 在 Pod {obs.pod} 上使用 CPU 运行，但配置要求 "
                                f"GPU（{accelerator}）："
                                "ollama 没有找到可用的 GPU。",
                                fix_en="Check the GPU driver and device plugin on the node, set "
                                "backend.gpu.runtimeClassName (e.g. nvidia) when the runtime is not the "
                                "default, "
                                'and read the ollama log for "no compatible GPUs".',
                                fix_zh="检查节点上的 GPU 驱动与设备插件；若运行时不是默认的，请设置 "
                                'backend.gpu.runtimeClassName（如 nvidia），并在 ollama 日志中查找 "no '
                                "compatible "
                                'GPUs"。',
                                evidence={
                                    "kind": "Pod",
                                    "name": obs.pod,
                                    "field": "GET /api/ps size_vram",
                                    "value": vram,
                                    "size": size,
                                },
                                path="backend.gpu.runtimeClassName",
                            )
                        )
                    elif size and vram < size:
                        percent = round(100.0 * vram / size, 1)
                        findings.append(
                            _f(
                                FindingCode.MODEL_PARTLY_ON_GPU,
                                WARNING,
                                "model",
                                en=f"Only {percent}% of model {model} fits in GPU memory on pod {obs.pod}; "
                                "the rest runs "
                                "on the CPU, which is much slower.",
                                zh=f"模型 {model} 在 Pod {obs.pod} 上只有 {percent}% 放入显存，其余在 CPU "
                                "上运行，速度会慢很多。",
                                fix_en="Give ollama more GPUs or bigger ones (backend.gpu.memoryPerGPU sizes "
                                "the count), "
                                "or lower the need: backend.model.contextLength, "
                                "backend.model.kvCacheType=q8_0, "
                                "or a smaller backend.model.tag.",
                                fix_zh="为 ollama 提供更多或更大的 GPU（backend.gpu.memoryPerGPU 决定数量）"
                                "，或降低需求："
                                "backend.model.contextLength、backend.model.kvCacheType=q8_0 或更小的 "
                                "backend.model.tag。",
                                evidence={
                                    "kind": "Pod",
                                    "name": obs.pod,
                                    "field": "GET /api/ps size_vram",
                                    "value": vram,
                                    "size": size,
                                    "percent": percent,
                                },
                                path="backend.gpu.memoryPerGPU",
                            )
                        )
    return findings


# ----------------------------------------------------------------------------------------------
# NextChat, Ingress, upstreams
# ----------------------------------------------------------------------------------------------


def detect_nextchat_findings(
    *,
    deployment: Obj | None,
    pods: Sequence[Obj],
    events: Sequence[Obj] | None,
    name: str = "deepseek-backend-chat",
) -> list[Finding]:
    """NextChat Deployment without ready replicas (probe failures, pods not running)."""
    if deployment is None:
        return [
            _f(
                FindingCode.NEXTCHAT_NOT_READY,
                ERROR,
                "nextchat",
                en=f"The NextChat Deployment {name} does not exist.",
                zh=f"NextChat Deployment {name} 不存在。",
                fix_en="Update the extension (Extension Center > DeepSeek > Update) so the chart re-creates it.",
                fix_zh="在扩展中心更新扩展（DeepSeek > 更新），让 chart 重新创建它。",
                evidence={"kind": "Deployment", "name": name, "field": "metadata.name"},
            )
        ]
    spec_replicas = int((deployment.get("spec") or {}).get("replicas", 1) or 0)
    ready = int((deployment.get("status") or {}).get("readyReplicas") or 0)
    if spec_replicas == 0 or ready >= spec_replicas:
        return []
    detail = ""
    for pod in pods:
        for event in events_for(events, "Pod", _name(pod)):
            if event.get("reason") in ("Unhealthy", "BackOff", "Failed"):
                detail = _event_evidence(event)
                break
        if detail:
            break
    return [
        _f(
            FindingCode.NEXTCHAT_NOT_READY,
            ERROR,
            "nextchat",
            en=f"NextChat is not ready ({ready}/{spec_replicas} replicas){': ' + detail if detail else '.'}",
            zh=f"NextChat 未就绪（{ready}/{spec_replicas} 个副本）{'：' + detail if detail else '。'}",
            fix_en="Read the NextChat log (kubectl -n <namespace> logs deploy/deepseek-backend-chat). It "
            "must listen "
            "on 0.0.0.0:3000 (HOSTNAME=0.0.0.0) and have memory to start (backend.chat.resources).",
            fix_zh="查看 NextChat 日志（kubectl -n <namespace> logs deploy/deepseek-backend-chat）。它必须"
            "监听 "
            "0.0.0.0:3000（HOSTNAME=0.0.0.0），并有足够内存启动（backend.chat.resources）。",
            evidence={
                "kind": "Deployment",
                "name": _name(deployment),
                "field": "status.readyReplicas",
                "value": ready,
                "event": detail or None,
            },
            path="backend.chat.resources",
        )
    ]


def detect_ingress_findings(
    *, ingress: Obj | None, chat_url: str | None, name: str = "deepseek-backend-ingress"
) -> list[Finding]:
    """An Ingress without host (no ingress domain suffix) or without an address (no controller)."""
    if not chat_url and ingress is None:
        return []
    if ingress is None:
        return [
            _f(
                FindingCode.INGRESS_MISSING,
                WARNING,
                "ingress",
                en=f"The chat URL {chat_url} is configured but Ingress {name} does not exist.",
                zh=f"已配置聊天地址 {chat_url}，但 Ingress {name} 不存在。",
                fix_en="Update the extension so the chart re-creates it, or set global.extension.enabled=false.",
                fix_zh="更新扩展让 chart 重新创建它，或设置 global.extension.enabled=false。",
                evidence={"kind": "Ingress", "name": name, "field": "metadata.name"},
                path="global.extension.enabled",
            )
        ]
    findings = []
    rules = (ingress.get("spec") or {}).get("rules") or []
    if not rules or any(not r.get("host") for r in rules):
        findings.append(
            _f(
                FindingCode.INGRESS_NO_HOST,
                ERROR,
                "ingress",
                en=f"Ingress {_name(ingress)} has no host, so NextChat has no address of its own.",
                zh=f"Ingress {_name(ingress)} 没有主机名，NextChat 没有自己的访问地址。",
                fix_en="Configure the KubeSphere ingress domain suffix "
                "(global.extension.ingress.domainSuffix is injected "
                "from it; NextChat is published at deepseek.<suffix>), or set "
                "global.extension.enabled=false.",
                fix_zh="配置 KubeSphere 的 Ingress 域名后缀（global.extension.ingress.domainSuffix 由其注入，"
                "NextChat 发布在 deepseek.<后缀>），或设置 global.extension.enabled=false。",
                evidence={
                    "kind": "Ingress",
                    "name": _name(ingress),
                    "field": "spec.rules[].host",
                    "value": None,
                },
                path="global.extension.ingress.domainSuffix",
            )
        )
    lb = ((ingress.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
    if not lb:
        cls = (ingress.get("spec") or {}).get("ingressClassName")
        findings.append(
            _f(
                FindingCode.INGRESS_NO_ADDRESS,
                WARNING,
                "ingress",
                en=f"Ingress {_name(ingress)} has no address yet: no ingress controller has picked it up"
                + (f" (class {cls})." if cls else "."),
                zh=f"Ingress {_name(ingress)} 还没有地址：没有 Ingress 控制器处理它"
                + (f"（类 {cls}）。" if cls else "。"),
                fix_en="Install or enable an ingress controller (KubeSphere Gateway extension), or set "
                "global.extension.ingress.ingressClassName to the class your controller serves.",
                fix_zh="安装或启用 Ingress 控制器（KubeSphere 网关扩展），或把 "
                "global.extension.ingress.ingressClassName "
                "设为控制器所服务的类。",
                evidence={
                    "kind": "Ingress",
                    "name": _name(ingress),
                    "field": "status.loadBalancer.ingress",
                    "value": [],
                },
                path="global.extension.ingress.ingressClassName",
            )
        )
    return findings


def detect_upstream_findings(
    *, kube_errors: Mapping[str, tuple[str, str]], observations: Sequence[OllamaObservation]
) -> list[Finding]:
    """The Kubernetes API or ollama is slow, down or refuses us: say so instead of guessing."""
    findings = []
    forbidden = {r: m for r, (code, m) in kube_errors.items() if code == "KubernetesForbidden"}
    failing = {r: m for r, (code, m) in kube_errors.items() if code != "KubernetesForbidden"}
    if forbidden:
        resources = ", ".join(sorted(forbidden))
        findings.append(
            _f(
                FindingCode.KUBERNETES_API_FORBIDDEN,
                ERROR,
                "api",
                en=f"The API's ServiceAccount may not read: {resources}.",
                zh=f"API 的 ServiceAccount 无权读取：{resources}。",
                fix_en="Restore the Role/ClusterRole deepseek-api from the chart (update the extension); do "
                "not edit them.",
                fix_zh="从 chart 恢复 Role/ClusterRole deepseek-api（更新扩展）；请勿手动修改它们。",
                evidence={
                    "kind": "ServiceAccount",
                    "name": "deepseek-api",
                    "field": "rbac",
                    "event": next(iter(forbidden.values())),
                },
            )
        )
    if failing:
        slow = any("did not answer in time" in m for m in failing.values())
        code = FindingCode.KUBERNETES_API_SLOW if slow else FindingCode.KUBERNETES_API_UNAVAILABLE
        findings.append(
            _f(
                code,
                ERROR,
                "api",
                en=("The Kubernetes API is too slow to answer" if slow else "The Kubernetes API cannot be read")
                + f" ({', '.join(sorted(failing))}); this report is incomplete.",
                zh=("Kubernetes API 响应过慢" if slow else "无法读取 Kubernetes API")
                + f"（{', '.join(sorted(failing))}）；本报告不完整。",
                fix_en="Check the API server's health (kubectl get --raw /readyz) and the network from the "
                "API pod; "
                "the next poll retries.",
                fix_zh="检查 API Server 健康状态（kubectl get --raw /readyz）以及 API Pod 的网络；下次轮询会重试。",
                evidence={
                    "kind": "APIServer",
                    "name": "kubernetes",
                    "field": ", ".join(sorted(failing)),
                    "event": next(iter(failing.values())),
                },
            )
        )
    for obs in observations:
        if obs.error is None:
            continue
        code = FindingCode.OLLAMA_SLOW if obs.timeout else FindingCode.OLLAMA_UNREACHABLE
        findings.append(
            _f(
                code,
                ERROR if not obs.timeout else WARNING,
                "ollama",
                en=(
                    f"ollama on {obs.pod} is too slow to answer"
                    if obs.timeout
                    else f"ollama on {obs.pod} cannot be reached"
                )
                + f": {obs.error}",
                zh=(f"{obs.pod} 上的 ollama 响应过慢" if obs.timeout else f"无法连接 {obs.pod} 上的 ollama")
                + f"：{obs.error}",
                fix_en="Busy with a large model load, or stuck: read its log (kubectl -n <namespace> logs "
                f"{obs.pod}); the NetworkPolicy of your cluster must let the API reach port 11434.",
                fix_zh=f"可能正在加载大模型或已卡住：查看其日志（kubectl -n <namespace> logs {obs.pod}）；"
                "集群的网络策略必须允许 API 访问 11434 端口。",
                evidence={
                    "kind": "Pod",
                    "name": obs.pod,
                    "field": "GET /api/tags",
                    "url": obs.url,
                    "event": obs.error,
                },
            )
        )
    return findings


# ----------------------------------------------------------------------------------------------
# the report
# ----------------------------------------------------------------------------------------------

_PHASE_TEXT = {
    "Installing": ("The install is starting: pods are being created.", "正在安装：正在创建 Pod。"),
    "Scheduling": ("Waiting for the ollama pods to be scheduled.", "正在等待 ollama Pod 调度。"),
    "PullingModel": ("Downloading the model.", "正在下载模型。"),
    "LoadingModel": ("Loading the model into memory.", "正在将模型加载到内存。"),
    "Ready": ("Ready: the model answers requests.", "就绪：模型可以响应请求。"),
    "Degraded": ("The model answers, but something needs attention.", "模型可以响应，但有问题需要处理。"),
    "Failed": ("Not working: see the findings for what to fix.", "无法工作：请根据发现的问题进行修复。"),
    "Unknown": ("The state cannot be read right now.", "当前无法读取状态。"),
}


def _component_state(findings: Sequence[Finding], base: str) -> str:
    if any(f.severity == ERROR for f in findings):
        return "Failed"
    if any(f.severity == WARNING for f in findings):
        return "Degraded" if base == "Ready" else base
    return base


def _find_by_name(items: Sequence[Obj] | None, name: str | None) -> Obj | None:
    return next((i for i in items or () if _name(i) == name), None)


def build_report(inputs: Inputs) -> dict[str, Any]:
    """The status report (docs/architecture.md, "Status report") from everything observed."""
    cfg = inputs.config
    ollama_selector = cfg.get("ollamaSelector") or {"app": "deepseek-backend-server"}
    chat_selector = cfg.get("chatSelector") or {"app": "deepseek-backend-chat"}
    ollama_pods = [p for p in inputs.pods or () if _labels_match(ollama_selector, p)]
    chat_pods = [p for p in inputs.pods or () if _labels_match(chat_selector, p)]
    by_component: dict[str, list[Finding]] = {c: [] for c in COMPONENTS}

    if inputs.pvcs is not None:
        pvc = _find_by_name(inputs.pvcs, cfg.get("pvcName", "deepseek-models"))
        by_component["storage"] += detect_pvc_findings(
            pvc=pvc,
            storage_classes=inputs.storage_classes,
            events=inputs.events,
            pvc_name=cfg.get("pvcName", "deepseek-models"),
        )
    if inputs.pods is not None:
        by_component["ollama"] += detect_pod_findings(
            pods=ollama_pods,
            events=inputs.events,
            component="ollama",
            key="backend.server",
            nodes=inputs.nodes,
        )
        by_component["nextchat"] += detect_pod_findings(
            pods=chat_pods, events=inputs.events, component="nextchat", key="backend.chat", nodes=inputs.nodes
        )
    by_component["model"] += detect_model_findings(config=cfg, state=inputs.state, observations=inputs.observations)
    if inputs.deployments is not None:
        chat_deploy = _find_by_name(inputs.deployments, cfg.get("chatDeployment", "deepseek-backend-chat"))
        if not any(f.severity == ERROR for f in by_component["nextchat"]):
            by_component["nextchat"] += detect_nextchat_findings(
                deployment=chat_deploy,
                pods=chat_pods,
                events=inputs.events,
                name=cfg.get("chatDeployment", "deepseek-backend-chat"),
            )
    if inputs.ingresses is not None:
        ingress = _find_by_name(inputs.ingresses, cfg.get("ingressName", "deepseek-backend-ingress"))
        by_component["ingress"] += detect_ingress_findings(
            ingress=ingress,
            chat_url=cfg.get("chatUrl"),
            name=cfg.get("ingressName", "deepseek-backend-ingress"),
        )
    for f in detect_upstream_findings(kube_errors=inputs.kube_errors, observations=inputs.observations):
        by_component[str(f.component)].append(f)
    if inputs.config_source == "defaults":
        by_component["api"].append(
            _f(
                FindingCode.SERVING_CONFIG_MISSING,
                WARNING,
                "api",
                en="The serving config (ConfigMap deepseek-serving, key config.json) cannot be read; this "
                "report "
                "assumes the default object names and model.",
                zh="无法读取服务配置（ConfigMap deepseek-serving 的 config.json）；本报告按默认的对象名称和模型推断。",
                fix_en="Update the extension so the chart re-creates ConfigMap deepseek-serving; in a "
                "local run "
                "point DEEPSEEK_SERVING_CONFIG at a copy of its config.json.",
                fix_zh="更新扩展让 chart 重新创建 ConfigMap deepseek-serving；本地运行时请把 "
                "DEEPSEEK_SERVING_CONFIG "
                "指向其 config.json 的副本。",
                evidence={"kind": "ConfigMap", "name": "deepseek-serving", "field": "data.config.json"},
            )
        )

    models, progress = model_states(inputs)
    configured = names.normalize(str(cfg.get("model") or ""))
    main = next((m for m in models if names.normalize(m["name"]) == configured), None)
    ready_ollama = [p for p in ollama_pods if pod_ready(p)]

    states = {
        "storage": _storage_state(inputs),
        "ollama": (
            "Ready"
            if ollama_pods and len(ready_ollama) == len(ollama_pods)
            else "Unknown"
            if inputs.pods is None
            else "Progressing"
        ),
        "model": (
            "Ready"
            if main and main["state"] in ("present", "loaded")
            else "Unknown"
            if not inputs.observations
            else "Progressing"
        ),
        "nextchat": _deployment_state(inputs.deployments, cfg.get("chatDeployment", "deepseek-backend-chat")),
        "ingress": (
            "Disabled"
            if not cfg.get("chatUrl")
            and not _find_by_name(inputs.ingresses, cfg.get("ingressName", "deepseek-backend-ingress"))
            else "Unknown"
            if inputs.ingresses is None
            else "Ready"
        ),
        "api": "Ready",
    }
    components = [
        {
            "name": c,
            "state": _component_state(by_component[c], states[c]),
            "findings": [f.to_dict() for f in by_component[c]],
        }
        for c in COMPONENTS
    ]

    all_findings = [f for c in COMPONENTS for f in by_component[c]]
    errors = [f for f in all_findings if f.severity == ERROR]
    served = bool(main and main["state"] in ("present", "loaded") and ready_ollama)
    record = ((inputs.state or {}).get("models") or {}).get(str(cfg.get("model"))) or {}
    if inputs.pods is None:
        phase = "Unknown"
    elif errors:
        phase = "Degraded" if served else "Failed"
    elif not ollama_pods:
        phase = "Installing"
    elif any((_condition(p, "PodScheduled") or {}).get("status") != "True" for p in ollama_pods):
        phase = "Scheduling"
    elif not ready_ollama:
        phase = "Installing"
    elif progress is not None:
        phase = "PullingModel"
    elif record.get("phase") == "Loading":
        phase = "LoadingModel"
    elif not served and not any(o.tags is not None for o in inputs.observations):
        # ollama could not be asked (hung, garbage): what the model is doing is unknown, not "pulling".
        phase = "Unknown"
    elif not served:
        phase = "PullingModel" if cfg.get("pull", True) else "Failed"
    elif states["nextchat"] != "Ready":
        phase = "Installing"
    else:
        phase = "Ready"
    en, zh = _PHASE_TEXT[phase]
    top = errors[0] if errors else next((f for f in all_findings if f.severity == WARNING), None)
    if top is not None and phase in ("Failed", "Degraded", "Ready"):
        en, zh = f"{en} {top.message_en}", f"{zh}{top.message_zh}"
    namespace = inputs.namespace
    ollama_url = (
        f"http://{cfg.get('ollamaService', 'deepseek-backend-server-service')}.{namespace}.svc:"
        f"{cfg.get('ollamaPort', 11434)}"
    )
    return {
        "phase": phase,
        "message": {"en": en, "zh": zh},
        "progress": progress,
        "components": components,
        "models": models,
        "endpoints": {"ollama": ollama_url, "openai": f"{ollama_url}/v1", "chat": cfg.get("chatUrl")},
        "checkedAt": inputs.now,
    }


def _storage_state(inputs: Inputs) -> str:
    if inputs.pvcs is None:
        return "Unknown"
    pvc = _find_by_name(inputs.pvcs, inputs.config.get("pvcName", "deepseek-models"))
    return "Ready" if pvc and (pvc.get("status") or {}).get("phase") == "Bound" else "Progressing"


def _deployment_state(deployments: Sequence[Obj] | None, name: str) -> str:
    if deployments is None:
        return "Unknown"
    deployment = _find_by_name(deployments, name)
    if deployment is None:
        return "Failed"
    want = int((deployment.get("spec") or {}).get("replicas", 1) or 0)
    ready = int((deployment.get("status") or {}).get("readyReplicas") or 0)
    return "Ready" if ready >= want else "Progressing"


def model_states(inputs: Inputs) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    cfg = inputs.config
    records = (inputs.state or {}).get("models") or {}
    wanted = [str(m) for m in cfg.get("models") or [cfg.get("model")] if m]
    configured = set(wanted)
    tags: dict[str, Obj] = {}
    loaded: dict[str, Obj] = {}
    for obs in inputs.observations:
        for t in obs.tags or ():
            tags.setdefault(names.normalize(str(t.get("name") or t.get("model"))), t)
        for p in obs.ps or ():
            loaded.setdefault(names.normalize(str(p.get("name") or p.get("model"))), p)
    for extra in sorted(tags):
        if extra not in {names.normalize(n) for n in wanted}:
            wanted.append(str(tags[extra].get("name") or extra))
    models, progress = [], None
    observed = any(obs.tags is not None for obs in inputs.observations)
    for name in wanted:
        key = names.normalize(name)
        record = records.get(name) or records.get(key) or {}
        phase = record.get("phase")
        state = observed_state(
            phase=phase,
            present=(key in tags) if observed else None,
            loaded=key in loaded,
            offline=cfg.get("pull") is False,
            configured=name in configured,
        )
        item_progress = None
        if state is ModelState.PULLING:
            item_progress = {
                "model": name,
                "percent": float(record.get("percent") or 0.0),
                "completedBytes": int(record.get("completedBytes") or 0),
                "totalBytes": int(record.get("totalBytes") or 0),
                "bytesPerSecond": float(record.get("bytesPerSecond") or 0.0),
                "etaSeconds": record.get("etaSeconds"),
            }
            if progress is None:
                progress = item_progress
        models.append(
            {
                "name": name,
                "state": state.value,
                "sizeBytes": int((tags.get(key) or {}).get("size") or 0),
                "sizeVramBytes": int((loaded.get(key) or {}).get("size_vram") or 0),
                "progress": item_progress,
            }
        )
    return models, progress
