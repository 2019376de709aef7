"""Pods (ollama and NextChat): why one cannot be scheduled, start or stay up. Pure.

One decision per pod: the scheduler's reason (GPU, CPU, memory, node selector, other), a container
that cannot pull its image, crashes or is OOM-killed, and a ReadWriteOnce volume attached to
another node. ``key`` is the workload's config key (``backend.server``, ``backend.chat``); fixes
name the keys under it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from deepseek_ext.core.findings import Finding, FindingCode, Severity
from deepseek_ext.core.phases import Component
from deepseek_ext.core.quantity import parse_quantity
from deepseek_ext.core.status.common import (
    condition,
    event_evidence,
    events_for,
    finding,
    is_ready_not_terminating,
    name_of,
)
from deepseek_ext.core.status.images import PullCause, cause_key, pull_cause, pull_detail
from deepseek_ext.core.status.inputs import Obj
from deepseek_ext.core.status.nodes import (
    GPU_RESOURCES,
    gpu_capacity,
    human,
    node_rooms,
    pod_request,
    untolerated_taints,
)
from deepseek_ext.core.status.timing import event_time, is_current_event

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
# kube-scheduler tainttoleration plugin: "node(s) had untolerated taint {key: value}" (v1.25+),
# "node(s) had taint {key: value}, that the pod didn't tolerate" (older).
_TAINT = re.compile(r"untolerated taint|that the pod didn't tolerate|had taints? ", re.I)
# volumebinding plugin, ErrReasonNodeConflict: "node(s) had volume node affinity conflict" (<= v1.32),
# "node(s) didn't match PersistentVolume's node affinity" (v1.33+).
_VOLUME_NODE_CONFLICT = re.compile(r"volume node affinity conflict|didn't match PersistentVolume's node affinity")
# kubelet (pkg/kubelet/secret, pkg/kubelet/kubelet_pods.go makeEnvironmentVariables):
# `secret "<name>" not found`, `couldn't find key <key> in Secret <namespace>/<name>`.
_SECRET_MISSING = re.compile(
    r"secrets? \"(?P<name>[^\"]+)\" not found|couldn't find key (?P<key>\S+) in Secret [^/\s]+/(?P<kname>\S+)"
)
_SCALE_UP = ("TriggeredScaleUp",)
_NO_SCALE_UP = ("NotTriggerScaleUp", "FailedScaleUp")


def detect_pod_findings(
    *,
    pods: Sequence[Obj],
    events: Sequence[Obj] | None,
    component: Component,
    key: str,
    nodes: Sequence[Obj] | None = None,
    namespace: str,
    visible_pods: Sequence[Obj] = (),
    access_code_secret: str | None = None,
) -> list[Finding]:
    """Unschedulable (GPU, CPU, memory, taints, node selector, pinned volume), image pulls, missing
    Secrets, crash loops, OOM kills, multi-attach; an autoscaler adding a node is a note, not an error.

    ``visible_pods``: every pod the API can see (any workload), whose requests hold the nodes' room.
    """
    findings: list[Finding] = []
    for pod in pods:
        name = name_of(pod)
        status = pod.get("status") or {}
        pod_events = events_for(events, "Pod", name)
        scheduled = condition(pod, "PodScheduled")
        if scheduled and scheduled.get("status") == "False" and scheduled.get("reason") == "Unschedulable":
            findings.extend(
                _unschedulable_pod(pod, scheduled, pod_events, component, key, nodes, visible_pods or pods, namespace)
            )
        for cs in list(status.get("initContainerStatuses") or []) + list(status.get("containerStatuses") or []):
            findings.extend(
                _container_findings(pod, cs, component, key, namespace, pod_events, access_code_secret)
            )
        attach = next(
            (
                e
                for e in pod_events
                if e.get("reason") == "FailedAttachVolume"
                and "Multi-Attach" in str(e.get("message"))
                and is_current_event(e, pod)
            ),
            None,
        )
        # A pod that is Ready got its volume: the Multi-Attach event is about an earlier attempt.
        if attach is not None and not is_ready_not_terminating(pod):
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


def _unschedulable_pod(
    pod: Obj,
    scheduled: Obj,
    pod_events: Sequence[Obj],
    component: Component,
    key: str,
    nodes: Sequence[Obj] | None,
    visible_pods: Sequence[Obj],
    namespace: str,
) -> list[Finding]:
    text = str(scheduled.get("message") or "")
    sched_event = next((e for e in pod_events if e.get("reason") == "FailedScheduling"), None)
    if sched_event is not None:
        text = str(sched_event.get("message") or text)
    scale_up = _scale_up(pod_events)
    if scale_up is not None:
        return [_scale_up_finding(pod, scale_up, text, component)]
    if _VOLUME_NODE_CONFLICT.search(text):
        return [_volume_node_conflict(pod, text, component, nodes, namespace)]
    codes = [code for pattern, code in _UNSCHEDULABLE if pattern.search(text)]
    tainted = _tainted_candidates(pod, nodes, gpu=FindingCode.POD_UNSCHEDULABLE_GPU in codes)
    if tainted and (FindingCode.POD_UNSCHEDULABLE_GPU in codes or (not codes and _TAINT.search(text))):
        # The only GPU nodes (or the only nodes) refuse the pod for a taint: adding nodes would not help.
        codes = [c for c in codes if c is not FindingCode.POD_UNSCHEDULABLE_GPU]
        return [_taint_finding(pod, tainted, text, component, key)] + [
            _unschedulable(c, component, pod, text, nodes, key, visible_pods) for c in codes
        ]
    if not codes and _WAITS_FOR_STORAGE.search(text):
        return []  # the storage findings explain it
    return [
        _unschedulable(c, component, pod, text, nodes, key, visible_pods)
        for c in codes or [FindingCode.POD_UNSCHEDULABLE]
    ]


def _scale_up(pod_events: Sequence[Obj]) -> Obj | None:
    """cluster-autoscaler's newest verdict on the pod, if it is ``TriggeredScaleUp``.

    cluster-autoscaler v1.30 core/scaleup/orchestrator/executor.go records
    ``TriggeredScaleUp`` "pod triggered scale-up: [{<group> <from>-><to> (max: <max>)}]" on every pod
    it scales up for, and ``NotTriggerScaleUp`` "pod didn't trigger scale-up: ..." when it cannot.
    """
    verdicts = [e for e in pod_events if e.get("reason") in _SCALE_UP + _NO_SCALE_UP]
    verdicts.sort(key=lambda e: str(event_time(e) or ""), reverse=True)
    if verdicts and verdicts[0].get("reason") in _SCALE_UP:
        return verdicts[0]
    return None


def _scale_up_finding(pod: Obj, scale_up: Obj, text: str, component: Component) -> Finding:
    name = name_of(pod)
    return finding(
        FindingCode.SCALE_UP_TRIGGERED,
        Severity.INFO,
        component,
        params={"pod": name, "detail": str(scale_up.get("message") or "")},
        evidence={"kind": "Pod", "name": name, "field": "events[TriggeredScaleUp]", "event": event_evidence(scale_up),
                  "scheduler": text},
    )


def _tainted_candidates(pod: Obj, nodes: Sequence[Obj] | None, *, gpu: bool) -> dict[str, list[str]]:
    """node -> its untolerated taints, when every candidate node (the GPU nodes for a GPU pod) has one."""
    candidates = [n for n in nodes or () if not gpu or gpu_capacity(n) > 0]
    found = {name_of(n): untolerated_taints(n, pod) for n in candidates}
    if not candidates or not all(found.values()):
        return {}
    return found


def _taint_finding(
    pod: Obj, tainted: dict[str, list[str]], text: str, component: Component, key: str
) -> Finding:
    name = name_of(pod)
    node, taints = next(iter(tainted.items()))
    has_key = component is Component.OLLAMA
    first = taints[0]
    taint_key, _, rest = first.partition(":")[0].partition("=")
    effect = first.rpartition(":")[2]
    return finding(
        FindingCode.POD_UNSCHEDULABLE_TAINT,
        Severity.ERROR,
        component,
        params={
            "pod": name,
            "nodes": sorted(tainted),
            "taints": sorted({t for ts in tainted.values() for t in ts}),
            "node": node,
            "taint": first,
            "taintKey": taint_key,
            "taintValue": rest,
            "effect": effect,
            "tolerationsKey": f"{key}.tolerations",
        },
        evidence={"kind": "Pod", "name": name, "field": "spec.tolerations", "event": text,
                  "value": {n: ts for n, ts in sorted(tainted.items())}},
        path=f"{key}.tolerations" if has_key else None,
        # NextChat has no tolerations key: the fix is the taint (or a node selector away from it).
        fix_key=None if has_key else "finding.PodUnschedulableTaint.noKey.fix",
    )


def _volume_node_conflict(
    pod: Obj, text: str, component: Component, nodes: Sequence[Obj] | None, namespace: str
) -> Finding:
    name = name_of(pod)
    claims = [
        str((v.get("persistentVolumeClaim") or {}).get("claimName"))
        for v in (pod.get("spec") or {}).get("volumes") or []
        if v.get("persistentVolumeClaim")
    ]
    pvc = claims[0] if claims else "?"
    return finding(
        FindingCode.VOLUME_NODE_AFFINITY_CONFLICT,
        Severity.ERROR,
        component,
        params={"pod": name, "pvc": pvc, "namespace": namespace, "nodes": sorted(name_of(n) for n in nodes or ())},
        evidence={"kind": "Pod", "name": name, "field": "spec.volumes[].persistentVolumeClaim", "value": pvc,
                  "event": text},
        path="backend.persistence.storageClass",
    )


def _requests(pod: Obj) -> dict[str, str]:
    """The pod's resource requests, with GPU limits (extended resources are asked for as limits)."""
    total: dict[str, str] = {}
    for c in (pod.get("spec") or {}).get("containers") or []:
        resources = c.get("resources") or {}
        total.update({k: str(v) for k, v in (resources.get("limits") or {}).items() if k in GPU_RESOURCES})
        total.update({k: str(v) for k, v in (resources.get("requests") or {}).items()})
    return total


def _unschedulable(
    code: FindingCode,
    component: Component,
    pod: Obj,
    text: str,
    nodes: Sequence[Obj] | None,
    key: str,
    visible_pods: Sequence[Obj] = (),
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
        rooms = node_rooms(nodes, visible_pods, resource)
        room = rooms[0] if rooms else None
        params: dict[str, Any] = {
            "pod": name,
            "requested": asked,
            "largest": largest,
            "requestKey": f"{key}.resources.requests.{resource}",
        }
        message_key = f"finding.{code.value}.withLargest" if largest else None
        if room is not None:
            # Free, not allocatable: allocatable minus what the pods bound to the node request.
            asked_amount = pod_request(pod, resource)
            params = {
                **params,
                "requested": human(resource, asked_amount) if asked_amount else asked,
                "node": room.node,
                "free": human(resource, room.free),
                "allocatable": human(resource, room.allocatable),
                "held": human(resource, room.requested),
                "holders": [f"{who} {human(resource, amount)}" for who, amount in room.holders[:3]],
            }
            message_key = f"finding.{code.value}.withFree"
        return finding(
            code,
            Severity.ERROR,
            component,
            params=params,
            evidence={
                "kind": "Pod",
                "name": name,
                "field": f"spec.containers[].resources.requests.{resource}",
                "value": asked,
                "event": text,
            },
            path=f"{key}.resources",
            message_key=message_key,
            fix_key=f"finding.{code.value}.withFree.fix" if room is not None else None,
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


def _container_findings(
    pod: Obj,
    cs: Obj,
    component: Component,
    key: str,
    namespace: str,
    pod_events: Sequence[Obj] = (),
    access_code_secret: str | None = None,
) -> list[Finding]:
    name, container = name_of(pod), str(cs.get("name") or "")
    waiting = (cs.get("state") or {}).get("waiting") or {}
    terminated = (cs.get("state") or {}).get("terminated") or {}
    last = (cs.get("lastState") or {}).get("terminated") or {}
    reason = waiting.get("reason")
    restarts = cs.get("restartCount", 0)
    if reason in _PULL_ERRORS:
        return [_image_pull(pod, cs, waiting, component, key, namespace, pod_events)]
    if reason == "CreateContainerConfigError":
        missing = _SECRET_MISSING.search(str(waiting.get("message") or ""))
        if missing is not None:
            return [_secret_missing(pod, container, waiting, missing, component, namespace, access_code_secret)]
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


def _image_pull(
    pod: Obj, cs: Obj, waiting: Obj, component: Component, key: str, namespace: str, pod_events: Sequence[Obj]
) -> Finding:
    """The pull error, its cause from the runtime's words, and the one key that fixes that cause."""
    name, container = name_of(pod), str(cs.get("name") or "")
    reason = waiting.get("reason")
    # The spec's image is what was asked for; the status may show a resolved reference.
    spec_image = next(
        (str(c.get("image")) for c in (pod.get("spec") or {}).get("containers") or [] if c.get("name") == container),
        "",
    )
    image = str(cs.get("image") or spec_image)
    detail = pull_detail(waiting, pod, pod_events)
    cause = pull_cause(detail, spec_image or image)
    path = cause_key(cause, key)
    return finding(
        FindingCode.IMAGE_PULL_FAILED,
        Severity.ERROR,
        component,
        params={
            "pod": name,
            "container": container,
            "image": image,
            "detail": detail,
            "pullSecretsKey": f"{key}.image.pullSecrets",
            "key": path,
            "imageKey": f"{key}.image",
            "namespace": namespace,
        },
        evidence={
            "kind": "Pod",
            "name": name,
            "field": f"status.containerStatuses[{container}].state.waiting",
            "value": reason,
            "image": image,
            "cause": cause.value,
        },
        path=path,
        fix_key=None if cause is PullCause.OTHER else f"finding.ImagePullFailed.{cause.value}.fix",
    )


def _secret_missing(
    pod: Obj,
    container: str,
    waiting: Obj,
    missing: re.Match[str],
    component: Component,
    namespace: str,
    access_code_secret: str | None,
) -> Finding:
    """kubelet cannot build the container's environment: a Secret (or its key) it names is missing."""
    name = name_of(pod)
    secret = missing.group("name") or missing.group("kname") or "?"
    data_key = missing.group("key") or "code"
    is_access_code = component is Component.NEXTCHAT and (access_code_secret in (None, secret))
    return finding(
        FindingCode.SECRET_MISSING,
        Severity.ERROR,
        component,
        params={"pod": name, "container": container, "secret": secret, "dataKey": data_key, "namespace": namespace},
        evidence={
            "kind": "Pod",
            "name": name,
            "field": f"status.containerStatuses[{container}].state.waiting",
            "value": "CreateContainerConfigError",
            "event": str(waiting.get("message") or ""),
        },
        path="backend.chat.accessCodeSecret" if is_access_code else None,
        fix_key="finding.SecretMissing.accessCode.fix" if is_access_code else None,
    )


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
