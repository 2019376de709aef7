"""Nothing is silent: every signal our objects carry that no specific rule explains. Pure.

Specific rules (storage, pods, model, network) know what a signal means and which key fixes it;
they will never cover everything a cluster can say. This rule reads every object's own signals
and turns each one that no specific finding explains into a generic finding that quotes the
upstream text, names the object and gives the command that shows it:

* ``Warning`` events on our pods, Deployments, their current ReplicaSets and the models PVC
  (probe failures included), except those about an earlier attempt (older than the running
  container or than the pod's readiness) and startup-probe failures inside the startup window;
* Deployment and ReplicaSet conditions that failed (``ReplicaFailure=True``,
  ``Progressing=False``: kubernetes pkg/controller/deployment/util/deployment_util.go);
* a pod's ``status.reason``/``message`` (``Evicted``, ``NodeShutdown``...) and its
  ``DisruptionTarget`` condition, and a container waiting for a reason no rule knows;
* the conditions of the nodes our pods run on (``Ready`` not True, pressure True) and their
  ``NoExecute`` taints the pod does not tolerate.

An unhealthy object makes the finding an error; a healthy one (a Ready pod, a complete
Deployment) a warning, which still keeps the phase from saying Ready (``report.decide_phase``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from deepseek_ext.core.findings import Finding, FindingCode, Severity
from deepseek_ext.core.phases import Component
from deepseek_ext.core.status.common import condition, event_evidence, events_for, find_by_name, finding, name_of
from deepseek_ext.core.status.common import is_ready_not_terminating as is_ready
from deepseek_ext.core.status.inputs import Obj
from deepseek_ext.core.status.nodes import tolerates
from deepseek_ext.core.status.timing import event_time, is_current_event, is_finished, ready_since, within_startup

GENERIC_CODES = frozenset({FindingCode.KUBERNETES_WARNING_EVENT, FindingCode.KUBERNETES_CONDITION_FAILED})

_EXPLAINED_POD_REASONS = frozenset(
    {"Failed", "BackOff", "ErrImagePull", "ImagePullBackOff", "InspectFailed", "ErrImageNeverPull",
     "FailedAttachVolume", "Unhealthy", "FailedScheduling", "NotTriggerScaleUp", "FailedScaleUp"}
)
"""Pod event reasons a specific finding on the same pod already explains."""
_ALWAYS_CONDITION_RULED = frozenset({"FailedScheduling", "NotTriggerScaleUp"})
"""Judged by the PodScheduled condition (the pods rule), never as events: once scheduled they are over."""
_EXPLAINED_PVC_REASONS = frozenset({"ProvisioningFailed", "FailedBinding"})
_NORMAL_WAITING = frozenset({"ContainerCreating", "PodInitializing"})
_PRESSURE = ("MemoryPressure", "DiskPressure", "PIDPressure", "NetworkUnavailable")


@dataclass(frozen=True)
class Workload:
    """One of our Deployments, its component and its (current) pods."""

    component: Component
    deployment: str
    pods: Sequence[Obj]


def detect_unexplained(
    *,
    workloads: Sequence[Workload],
    deployments: Sequence[Obj] | None,
    replicasets: Sequence[Obj] | None,
    current_rs: set[str] | None,
    pvc: Obj | None,
    events: Sequence[Obj] | None,
    nodes: Sequence[Obj] | None,
    explained: Iterable[Finding],
    namespace: str,
    now: str,
) -> list[Finding]:
    """Generic findings for the signals no finding in ``explained`` accounts for."""
    known = list(explained)
    about = {(str(f.evidence.get("kind")), str(f.evidence.get("name"))) for f in known}
    quoted = {str(f.evidence.get("event")) for f in known if f.evidence.get("event")}
    fields = {(str(f.evidence.get("name")), str(f.evidence.get("field"))) for f in known}
    out: list[Finding] = []
    for workload in workloads:
        for pod in workload.pods:
            out += _pod_signals(pod, workload.component, events, about, quoted, fields, namespace, now)
        deployment = find_by_name(deployments, workload.deployment)
        if deployment is not None:
            out += _deployment_signals(deployment, workload, replicasets, current_rs, events, quoted, namespace)
    if pvc is not None:
        out += _pvc_signals(pvc, events, about, quoted, namespace)
    out += _node_signals(workloads, nodes)
    return _unique(out)


def _command(kind: str, name: str, namespace: str) -> str:
    if kind == "Node":
        return f"kubectl describe node {name}"
    return f"kubectl -n {namespace} describe {kind.lower()} {name}"


def _event_finding(event: Obj, kind: str, name: str, component: Component, namespace: str, *, healthy: bool) -> Finding:
    detail = str(event.get("message") or "").strip()[:500]
    return finding(
        FindingCode.KUBERNETES_WARNING_EVENT,
        Severity.WARNING if healthy else Severity.ERROR,
        component,
        params={
            "kind": kind,
            "name": name,
            "reason": str(event.get("reason") or ""),
            "detail": detail,
            "count": int(event.get("count") or 1),
            "namespace": namespace,
            "command": _command(kind, name, namespace),
        },
        evidence={"kind": kind, "name": name, "field": "events", "event": event_evidence(event),
                  "source": (event.get("source") or {}).get("component") or event.get("reportingComponent")},
    )


def _condition_finding(
    kind: str,
    name: str,
    component: Component,
    namespace: str,
    *,
    signal: str,
    reason: str,
    detail: str,
    field: str,
    healthy: bool,
) -> Finding:
    return finding(
        FindingCode.KUBERNETES_CONDITION_FAILED,
        Severity.WARNING if healthy else Severity.ERROR,
        component,
        params={
            "kind": kind,
            "name": name,
            "condition": signal,
            "reason": reason,
            "detail": detail.strip()[:500],
            "namespace": namespace,
            "command": _command(kind, name, namespace),
        },
        evidence={
            "kind": kind, "name": name, "field": field, "value": signal, "event": f"{reason}: {detail}".strip(": "),
        },
    )


def _pod_signals(
    pod: Obj,
    component: Component,
    events: Sequence[Obj] | None,
    about: set[tuple[str, str]],
    quoted: set[str],
    fields: set[tuple[str, str]],
    namespace: str,
    now: str,
) -> list[Finding]:
    name, status = name_of(pod), pod.get("status") or {}
    healthy = is_ready(pod)
    has_specific = ("Pod", name) in about
    since = ready_since(pod)
    out = []
    seen_reasons: set[str] = set()
    for event in events_for(events, "Pod", name):
        reason = str(event.get("reason") or "")
        if event.get("type") != "Warning" or reason in _ALWAYS_CONDITION_RULED or reason in seen_reasons:
            continue
        if event_evidence(event) in quoted or (has_specific and reason in _EXPLAINED_POD_REASONS):
            continue
        if not is_current_event(event, pod):
            continue  # about a container that has since been replaced
        at = event_time(event)
        if since is not None and at is not None and at < since:
            continue  # the pod became Ready after it: that trouble is over
        if reason == "Unhealthy" and not healthy and within_startup(pod, now):
            continue  # probes fail while the server starts; the startup window allows for it
        seen_reasons.add(reason)
        out.append(_event_finding(event, "Pod", name, component, namespace, healthy=healthy))
    if status.get("reason") or (is_finished(pod) and status.get("message")):
        out.append(
            _condition_finding(
                "Pod", name, component, namespace,
                signal="status.reason", reason=str(status.get("reason") or status.get("phase") or ""),
                detail=str(status.get("message") or ""), field="status.reason", healthy=False,
            )
        )
    disruption = condition(pod, "DisruptionTarget")
    if disruption and disruption.get("status") == "True":
        out.append(
            _condition_finding(
                "Pod", name, component, namespace,
                signal="DisruptionTarget", reason=str(disruption.get("reason") or ""),
                detail=str(disruption.get("message") or ""), field="status.conditions[DisruptionTarget]",
                healthy=healthy,
            )
        )
    for cs in list(status.get("initContainerStatuses") or []) + list(status.get("containerStatuses") or []):
        waiting = (cs.get("state") or {}).get("waiting") or {}
        reason = str(waiting.get("reason") or "")
        field = f"status.containerStatuses[{cs.get('name')}].state.waiting"
        if not reason or reason in _NORMAL_WAITING or (name, field) in fields:
            continue
        if reason == "CrashLoopBackOff" and has_specific:
            continue
        out.append(
            _condition_finding(
                "Pod", name, component, namespace,
                signal=f"{cs.get('name')}: {reason}", reason=reason, detail=str(waiting.get("message") or ""),
                field=field, healthy=False,
            )
        )
    return out


def _complete(deployment: Obj) -> bool:
    spec, status = deployment.get("spec") or {}, deployment.get("status") or {}
    want = int(spec.get("replicas", 1) or 0)
    return all(int(status.get(k) or 0) >= want for k in ("readyReplicas", "updatedReplicas", "availableReplicas"))


def _failed_conditions(obj: Obj) -> list[Obj]:
    """``ReplicaFailure=True`` and ``Progressing=False`` (the Deployment controller's failure signals)."""
    found = []
    for cond in (obj.get("status") or {}).get("conditions") or []:
        if (cond.get("type"), cond.get("status")) in (("ReplicaFailure", "True"), ("Progressing", "False")):
            found.append(cond)
    return found


def _deployment_signals(
    deployment: Obj,
    workload: Workload,
    replicasets: Sequence[Obj] | None,
    current_rs: set[str] | None,
    events: Sequence[Obj] | None,
    quoted: set[str],
    namespace: str,
) -> list[Finding]:
    complete = _complete(deployment)
    objects: list[tuple[str, Obj]] = [("Deployment", deployment)]
    for rs in replicasets or ():
        owners = [r.get("name") for r in (rs.get("metadata") or {}).get("ownerReferences") or []]
        if workload.deployment in owners and (current_rs is None or name_of(rs) in current_rs):
            objects.append(("ReplicaSet", rs))
    out = []
    for kind, obj in objects:
        name = name_of(obj)
        for cond in _failed_conditions(obj):
            out.append(
                _condition_finding(
                    kind, name, workload.component, namespace,
                    signal=f"{cond.get('type')}={cond.get('status')}", reason=str(cond.get("reason") or ""),
                    detail=str(cond.get("message") or ""), field=f"status.conditions[{cond.get('type')}]",
                    healthy=complete,
                )
            )
        if complete:
            continue  # every replica is up to date and ready: earlier warnings are over
        seen: set[str] = set()
        for event in events_for(events, kind, name):
            reason = str(event.get("reason") or "")
            if event.get("type") != "Warning" or reason in seen or event_evidence(event) in quoted:
                continue
            seen.add(reason)
            out.append(_event_finding(event, kind, name, workload.component, namespace, healthy=False))
    return out


def _pvc_signals(
    pvc: Obj, events: Sequence[Obj] | None, about: set[tuple[str, str]], quoted: set[str], namespace: str
) -> list[Finding]:
    name = name_of(pvc)
    bound = (pvc.get("status") or {}).get("phase") == "Bound"
    out = []
    seen: set[str] = set()
    for event in events_for(events, "PersistentVolumeClaim", name):
        reason = str(event.get("reason") or "")
        if event.get("type") != "Warning" or reason in seen or event_evidence(event) in quoted:
            continue
        if reason in _EXPLAINED_PVC_REASONS and (bound or ("PersistentVolumeClaim", name) in about):
            continue  # provisioning trouble of a claim that is Bound now, or one a storage finding explains
        seen.add(reason)
        out.append(_event_finding(event, "PersistentVolumeClaim", name, Component.STORAGE, namespace, healthy=bound))
    return out


def _node_signals(workloads: Sequence[Workload], nodes: Sequence[Obj] | None) -> list[Finding]:
    out = []
    by_name: Mapping[str, Obj] = {name_of(n): n for n in nodes or ()}
    for workload in workloads:
        for pod in workload.pods:
            node = by_name.get(str((pod.get("spec") or {}).get("nodeName") or ""))
            if node is None or is_finished(pod):
                continue
            out += _one_node(node, pod, workload.component)
    return out


def _one_node(node: Obj, pod: Obj, component: Component) -> list[Finding]:
    name, healthy = name_of(node), is_ready(pod)
    out = []
    for cond in (node.get("status") or {}).get("conditions") or []:
        kind, value = cond.get("type"), cond.get("status")
        failed = (kind == "Ready" and value != "True") or (kind in _PRESSURE and value == "True")
        if failed:
            out.append(
                _condition_finding(
                    "Node", name, component, "",
                    signal=f"{kind}={value}", reason=str(cond.get("reason") or ""),
                    detail=str(cond.get("message") or ""), field=f"status.conditions[{kind}]",
                    healthy=healthy and kind != "Ready",
                )
            )
    tolerations = (pod.get("spec") or {}).get("tolerations") or []
    for taint in (node.get("spec") or {}).get("taints") or []:
        key = str(taint.get("key") or "")
        # node.kubernetes.io/* taints mirror the conditions above (the node lifecycle controller sets them).
        if taint.get("effect") != "NoExecute" or key.startswith("node.kubernetes.io/") or tolerates(tolerations, taint):
            continue
        out.append(
            _condition_finding(
                "Node", name, component, "",
                signal=f"taint {key}", reason=str(taint.get("effect") or ""),
                detail=f"{key}={taint.get('value') or ''}:{taint.get('effect')}", field="spec.taints",
                healthy=False,
            )
        )
    return out


def _unique(findings: Iterable[Finding]) -> list[Finding]:
    seen: set[tuple[str, str, str, str]] = set()
    out = []
    for f in findings:
        identity = (str(f.code), str(f.evidence.get("kind")), str(f.evidence.get("name")), str(f.evidence.get("event")))
        if identity not in seen:
            seen.add(identity)
            out.append(f)
    return out
