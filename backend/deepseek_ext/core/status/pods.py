"""Pods (ollama and NextChat): why one cannot be scheduled, start or stay up. Pure.

One decision per pod: the scheduler's reason (GPU, CPU, memory, node selector, other), a container
that cannot pull its image, crashes or is OOM-killed, and a ReadWriteOnce volume attached to
another node. ``key`` is the workload's config key (``backend.server``, ``backend.chat``); fixes
name the keys under it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from deepseek_ext.core.findings import Finding, FindingCode, Severity
from deepseek_ext.core.phases import Component
from deepseek_ext.core.quantity import parse_quantity
from deepseek_ext.core.status.common import condition, event_evidence, events_for, finding, name_of
from deepseek_ext.core.status.inputs import Obj

GPU_RESOURCES = ("nvidia.com/gpu", "amd.com/gpu")
_PULL_ERRORS = ("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull")
_INSUFFICIENT_GPU = re.compile(r"Insufficient ((?:nvidia|amd)\.com/gpu)")
_UNSCHEDULABLE = (
    (_INSUFFICIENT_GPU, FindingCode.POD_UNSCHEDULABLE_GPU),
    (re.compile(r"Insufficient cpu"), FindingCode.POD_UNSCHEDULABLE_CPU),
    (re.compile(r"Insufficient memory"), FindingCode.POD_UNSCHEDULABLE_MEMORY),
    (
        re.compile(r"didn't match (Pod's )?node (affinity/)?selector|node\(s\) didn't match", re.I),
        FindingCode.POD_UNSCHEDULABLE_NODE_SELECTOR,
    ),
)
_WAITS_FOR_STORAGE = re.compile(r"unbound immediate PersistentVolumeClaims|unbound PersistentVolumeClaim")


def detect_pod_findings(
    *,
    pods: Sequence[Obj],
    events: Sequence[Obj] | None,
    component: Component,
    key: str,
    nodes: Sequence[Obj] | None = None,
    namespace: str,
) -> list[Finding]:
    """Unschedulable (GPU, CPU, memory, node selector), image pulls, crash loops, OOM kills, multi-attach."""
    findings: list[Finding] = []
    for pod in pods:
        name = name_of(pod)
        status = pod.get("status") or {}
        pod_events = events_for(events, "Pod", name)
        scheduled = condition(pod, "PodScheduled")
        if scheduled and scheduled.get("status") == "False" and scheduled.get("reason") == "Unschedulable":
            text = str(scheduled.get("message") or "")
            sched_event = next((e for e in pod_events if e.get("reason") == "FailedScheduling"), None)
            if sched_event is not None:
                text = str(sched_event.get("message") or text)
            codes = [code for pattern, code in _UNSCHEDULABLE if pattern.search(text)]
            if not codes and _WAITS_FOR_STORAGE.search(text):
                continue  # the storage findings explain it
            for code in codes or [FindingCode.POD_UNSCHEDULABLE]:
                findings.append(_unschedulable(code, component, pod, text, nodes, key))
        for cs in list(status.get("initContainerStatuses") or []) + list(status.get("containerStatuses") or []):
            findings.extend(_container_findings(pod, cs, component, key, namespace))
        attach = next(
            (
                e
                for e in pod_events
                if e.get("reason") == "FailedAttachVolume" and "Multi-Attach" in str(e.get("message"))
            ),
            None,
        )
        if attach is not None:
            findings.append(
                finding(
                    FindingCode.VOLUME_MULTI_ATTACH,
                    Severity.ERROR,
                    component,
                    params={"pod": name},
                    evidence={"kind": "Pod", "name": name, "field": "volumes", "event": event_evidence(attach)},
                    path="backend.persistence.accessModes",
                )
            )
    return _dedupe(findings)


def _requests(pod: Obj) -> dict[str, str]:
    """The pod's resource requests, with GPU limits (extended resources are asked for as limits)."""
    total: dict[str, str] = {}
    for c in (pod.get("spec") or {}).get("containers") or []:
        resources = c.get("resources") or {}
        total.update({k: str(v) for k, v in (resources.get("limits") or {}).items() if k in GPU_RESOURCES})
        total.update({k: str(v) for k, v in (resources.get("requests") or {}).items()})
    return total


def _unschedulable(
    code: FindingCode, component: Component, pod: Obj, text: str, nodes: Sequence[Obj] | None, key: str
) -> Finding:
    name, requests = name_of(pod), _requests(pod)
    if code is FindingCode.POD_UNSCHEDULABLE_GPU:
        # The pod's own GPU request says how many; else the resource the scheduler named (it always
        # names one: that is what matched this code).
        named = _INSUFFICIENT_GPU.search(text)
        gpu = next(
            (f"{k}={v}" for k, v in requests.items() if k in GPU_RESOURCES),
            named.group(1) if named else "gpu",
        )
        return finding(
            code,
            Severity.ERROR,
            component,
            params={"pod": name, "gpu": gpu},
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
        largest = largest_allocatable(nodes, resource)
        return finding(
            code,
            Severity.ERROR,
            component,
            params={
                "pod": name,
                "requested": asked,
                "largest": largest,
                "requestKey": f"{key}.resources.requests.{resource}",
            },
            evidence={
                "kind": "Pod",
                "name": name,
                "field": f"spec.containers[].resources.requests.{resource}",
                "value": asked,
                "event": text,
            },
            path=f"{key}.resources",
            message_key=f"finding.{code.value}.withLargest" if largest else None,
        )
    if code is FindingCode.POD_UNSCHEDULABLE_NODE_SELECTOR:
        selector = (pod.get("spec") or {}).get("nodeSelector") or {}
        pairs = [f"{k}={v}" for k, v in selector.items()]
        where = f"{key}.nodeSelector"
        return finding(
            code,
            Severity.ERROR,
            component,
            params={
                "pod": name,
                "labels": pairs,
                "labelArgs": " ".join(pairs) or "<key>=<value>",
                "selectorKey": where,
            },
            evidence={"kind": "Pod", "name": name, "field": "spec.nodeSelector", "value": selector, "event": text},
            path=where,
            # No nodeSelector: the pod's affinity (or KubeSphere's global one) is what no node matches.
            message_key=None if pairs else "finding.PodUnschedulableNodeSelector.affinity",
        )
    return finding(
        FindingCode.POD_UNSCHEDULABLE,
        Severity.ERROR,
        component,
        params={"pod": name, "detail": text},
        evidence={"kind": "Pod", "name": name, "field": "status.conditions[PodScheduled]", "event": text},
    )


def largest_allocatable(nodes: Sequence[Obj] | None, resource: str) -> str | None:
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


def _container_findings(pod: Obj, cs: Obj, component: Component, key: str, namespace: str) -> list[Finding]:
    name, container = name_of(pod), str(cs.get("name") or "")
    waiting = (cs.get("state") or {}).get("waiting") or {}
    terminated = (cs.get("state") or {}).get("terminated") or {}
    last = (cs.get("lastState") or {}).get("terminated") or {}
    reason = waiting.get("reason")
    restarts = cs.get("restartCount", 0)
    if reason in _PULL_ERRORS:
        image = str(cs.get("image") or "")
        return [
            finding(
                FindingCode.IMAGE_PULL_FAILED,
                Severity.ERROR,
                component,
                params={
                    "pod": name,
                    "container": container,
                    "image": image,
                    "detail": str(waiting.get("message", reason)),
                    "pullSecretsKey": f"{key}.image.pullSecrets",
                },
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
    if "OOMKilled" in (terminated.get("reason"), last.get("reason")):
        return [
            finding(
                FindingCode.OOM_KILLED,
                Severity.ERROR,
                component,
                params={
                    "pod": name,
                    "container": container,
                    "restarts": restarts,
                    "limitKey": f"{key}.resources.limits.memory",
                },
                evidence={
                    "kind": "Pod",
                    "name": name,
                    "field": f"status.containerStatuses[{container}].lastState.terminated.reason",
                    "value": "OOMKilled",
                    "restarts": restarts,
                },
                path=f"{key}.resources.limits.memory",
            )
        ]
    if reason == "CrashLoopBackOff":
        exit_code = last.get("exitCode")
        detail = str(last.get("message") or last.get("reason") or "").strip()[:300]
        return [
            finding(
                FindingCode.CRASH_LOOP,
                Severity.ERROR,
                component,
                params={
                    "pod": name,
                    "container": container,
                    "exitCode": exit_code,
                    "restarts": restarts,
                    "detail": detail,
                    "namespace": namespace,
                    "imageTagKey": f"{key}.image.tag",
                },
                evidence={
                    "kind": "Pod",
                    "name": name,
                    "field": f"status.containerStatuses[{container}].state.waiting.reason",
                    "value": reason,
                    "exitCode": exit_code,
                    "restarts": restarts,
                },
                message_key="finding.CrashLoop.withDetail" if detail else None,
            )
        ]
    return []


def _dedupe(findings: Iterable[Finding]) -> list[Finding]:
    """One finding per (code, component, object): a pod with two crashing containers says it once."""
    seen: set[tuple[str, str, str]] = set()
    out = []
    for f in findings:
        identity = (str(f.code), str(f.component), str(f.evidence.get("name")))
        if identity not in seen:
            seen.add(identity)
            out.append(f)
    return out
