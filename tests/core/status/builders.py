"""Kubernetes objects, ollama answers and manager records as the status rules read them, plus the
``Expect`` row that the rule tables assert (code, severity, path, params, evidence; never wording)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from deepseek_ext.core.findings import Finding, FindingCode, Severity
from deepseek_ext.core.status import Inputs, KubeFailure, OllamaObservation

NAMESPACE = "ns-under-test"
"""Not the real default, so a fix that names the namespace shows it came from the inputs."""
OLLAMA_APP, CHAT_APP = "deepseek-backend-server", "deepseek-backend-chat"
MODEL = "deepseek-r1:1.5b"
CATALOG_TAGS = ("1.5b", "7b", "8b", "14b", "32b", "70b", "671b", "qwen3-8b")

CONFIG: dict[str, Any] = {
    "model": MODEL,
    "models": [MODEL],
    "pull": True,
    "accelerator": "cpu",
    "ollamaSelector": {"app": OLLAMA_APP},
    "chatSelector": {"app": CHAT_APP},
    "chatDeployment": "deepseek-backend-chat",
    "pvcName": "deepseek-models",
    "chatUrl": None,
}


def pod(
    name: str,
    *,
    app: str = OLLAMA_APP,
    ready: bool = True,
    scheduled: bool = True,
    unschedulable: str | None = None,
    containers: Sequence[Mapping[str, Any]] = (),
    requests: Mapping[str, str] | None = None,
    limits: Mapping[str, str] | None = None,
    node_selector: Mapping[str, str] | None = None,
    deleting: bool = False,
    ip: str | None = "10.0.0.10",
) -> dict[str, Any]:
    scheduled_cond: dict[str, Any] = {"type": "PodScheduled", "status": "True" if scheduled else "False"}
    if unschedulable is not None:
        scheduled_cond.update(status="False", reason="Unschedulable", message=unschedulable)
    spec: dict[str, Any] = {
        "containers": [{"name": "main", "resources": {"requests": dict(requests or {}), "limits": dict(limits or {})}}]
    }
    if node_selector:
        spec["nodeSelector"] = dict(node_selector)
    metadata: dict[str, Any] = {"name": name, "labels": {"app": app}}
    if deleting:
        metadata["deletionTimestamp"] = "2026-01-01T00:00:00Z"
    status: dict[str, Any] = {
        "conditions": [scheduled_cond, {"type": "Ready", "status": "True" if ready else "False"}],
        "containerStatuses": [dict(c) for c in containers],
    }
    if ip:
        status["podIP"] = ip
    return {"metadata": metadata, "spec": spec, "status": status}


def container(
    name: str = "ollama",
    *,
    waiting: str | None = None,
    message: str | None = None,
    last: Mapping[str, Any] | None = None,
    terminated: Mapping[str, Any] | None = None,
    restarts: int = 0,
    image: str = "docker.io/ollama/ollama:0.32.15",
) -> dict[str, Any]:
    state: dict[str, Any] = {"running": {}}
    if waiting is not None:
        state = {"waiting": {"reason": waiting, **({"message": message} if message is not None else {})}}
    if terminated is not None:
        state = {"terminated": dict(terminated)}
    cs: dict[str, Any] = {"name": name, "image": image, "restartCount": restarts, "state": state}
    if last is not None:
        cs["lastState"] = {"terminated": dict(last)}
    return cs


def event(
    kind: str, name: str, reason: str, message: str, *, at: str = "2026-01-01T00:00:00Z", type_: str | None = None,
    source: str | None = None,
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "involvedObject": {"kind": kind, "name": name}, "reason": reason, "message": message, "lastTimestamp": at,
    }
    if type_ is not None:
        out["type"] = type_
    if source is not None:
        out["source"] = {"component": source}
    return out


def warning(kind: str, name: str, reason: str, message: str, *, at: str = "2026-01-01T00:00:00Z",
            source: str = "kubelet") -> dict[str, Any]:
    """A Warning event as the cluster records it (``type: Warning``, the reporting component)."""
    return event(kind, name, reason, message, at=at, type_="Warning", source=source)


OLLAMA_PROBES = {
    "startupProbe": {"exec": {"command": ["ollama", "list"]}, "periodSeconds": 5, "failureThreshold": 60},
    "readinessProbe": {"exec": {"command": ["ollama", "list"]}, "periodSeconds": 10, "failureThreshold": 3},
}
"""The chart's ollama probes (charts/backend/templates/ollama-deployment.yaml): a 330 s startup window."""
NEXTCHAT_PROBES = {
    "startupProbe": {"httpGet": {"path": "/api/config", "port": "http"}, "periodSeconds": 3, "failureThreshold": 40},
    "readinessProbe": {"httpGet": {"path": "/api/config", "port": "http"}, "periodSeconds": 10, "failureThreshold": 3},
}
"""The chart's NextChat probes (nextchat-deployment.yaml): a 150 s startup window."""


def with_probes(p: dict[str, Any], probes: Mapping[str, Any]) -> dict[str, Any]:
    for c in p["spec"]["containers"]:
        c.update(probes)
    return p


def started(p: dict[str, Any], at: str, *, ready_at: str | None = None, node: str | None = None) -> dict[str, Any]:
    """The pod with its start time (and its containers running since ``at``), Ready since ``ready_at``."""
    p["status"]["startTime"] = at
    for cs in p["status"].get("containerStatuses") or []:
        if "running" in cs["state"]:
            cs["state"]["running"] = {"startedAt": at}
    if ready_at is not None:
        for cond in p["status"].get("conditions") or []:
            if cond["type"] == "Ready":
                cond["lastTransitionTime"] = ready_at
    if node is not None:
        p["spec"]["nodeName"] = node
    return p


def pvc(
    *, phase: str = "Bound", storage_class: str | None = None, modes: Sequence[str] = ("ReadWriteOnce",)
) -> dict[str, Any]:
    spec: dict[str, Any] = {"accessModes": list(modes)}
    if storage_class is not None:
        spec["storageClassName"] = storage_class
    return {"metadata": {"name": "deepseek-models"}, "spec": spec, "status": {"phase": phase}}


def storage_class(name: str, *, default: bool = False) -> dict[str, Any]:
    annotations = {"storageclass.kubernetes.io/is-default-class": "true"} if default else {}
    return {"metadata": {"name": name, "annotations": annotations}}


def node(
    name: str, *, cpu: str = "8", memory: str = "16Gi", gpus: int = 0, taints: Sequence[Mapping[str, str]] = (),
    conditions: Sequence[Mapping[str, str]] = (),
) -> dict[str, Any]:
    allocatable: dict[str, Any] = {"cpu": cpu, "memory": memory}
    if gpus:
        allocatable["nvidia.com/gpu"] = str(gpus)
    out: dict[str, Any] = {"metadata": {"name": name}, "status": {"allocatable": allocatable}}
    if taints:
        out["spec"] = {"taints": [dict(t) for t in taints]}
    if conditions:
        out["status"]["conditions"] = [dict(c) for c in conditions]
    return out


def deployment(name: str = "deepseek-backend-chat", *, replicas: int = 1, ready: int = 1) -> dict[str, Any]:
    return {"metadata": {"name": name}, "spec": {"replicas": replicas}, "status": {"readyReplicas": ready}}


def ingress(
    name: str = "deepseek-backend-ingress", *, host: str | None = "deepseek.example.com", address: bool = True,
    ingress_class: str | None = None,
) -> dict[str, Any]:
    spec: dict[str, Any] = {"rules": [{"host": host} if host else {}]}
    if ingress_class:
        spec["ingressClassName"] = ingress_class
    lb = {"ingress": [{"ip": "10.0.0.80"}]} if address else {}
    return {"metadata": {"name": name}, "spec": spec, "status": {"loadBalancer": lb}}


def record(phase: str, *, code: str | None = None, message: str = "", **fields: Any) -> dict[str, Any]:
    """One model's record in the manager's state.json."""
    out: dict[str, Any] = {"model": MODEL, "phase": phase, "attempts": 3, **fields}
    if code is not None:
        out["lastError"] = {"code": code, "message": message}
    return out


def state(**records: Mapping[str, Any]) -> dict[str, Any]:
    """``state(**{MODEL: record(...)})``: the manager's state.json."""
    return {"models": dict(records)}


def answered(
    tags: Sequence[str] = (MODEL,), *, ps: Sequence[Mapping[str, Any]] = (), pod_name: str = "ollama-0"
) -> OllamaObservation:
    return OllamaObservation(pod_name, "http://10.0.0.10:11434", tags=[{"name": t, "size": 100} for t in tags], ps=ps)


def unanswered(error: str = "connection refused", *, timeout: bool = False) -> OllamaObservation:
    return OllamaObservation("ollama-0", "http://10.0.0.10:11434", error=error, timeout=timeout)


def healthy(**changes: Any) -> Inputs:
    """A healthy install (ready pods, Bound PVC, NextChat up, the model listed), with ``changes`` applied."""
    base: dict[str, Any] = {
        "config": CONFIG,
        "namespace": NAMESPACE,
        "pods": [pod("ollama-0"), pod("chat-0", app=CHAT_APP)],
        "events": [],
        "pvcs": [pvc()],
        "deployments": [deployment()],
        "ingresses": [],
        "nodes": [node("node-a")],
        "storage_classes": [storage_class("standard", default=True)],
        "observations": [answered(ps=[{"name": MODEL, "size": 100, "size_vram": 0}])],
        "catalog_tags": CATALOG_TAGS,
    }
    return Inputs(**{**base, **changes})


def kube_failure(code: str = "ClusterUnavailable", message: str = "HTTP 500", *, timeout: bool = False) -> KubeFailure:
    return KubeFailure(code, message, timeout=timeout)


@dataclass(frozen=True)
class Expect:
    """What one finding must be: its code and severity, and (when given) its path, component, catalog
    keys, and a subset of its params and evidence."""

    code: FindingCode
    severity: Severity
    path: str | None = None
    component: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    evidence: Mapping[str, Any] = field(default_factory=dict)
    message_key: str | None = None
    fix_key: str | None = None

    def check(self, finding: Finding) -> None:
        assert (finding.code, finding.severity) == (self.code, self.severity), finding
        assert finding.path == self.path, (finding.code, finding.path)
        if self.component is not None:
            assert finding.component == self.component, finding
        for key, value in self.params.items():
            assert finding.params.get(key) == value, (finding.code, key, finding.params)
        for key, value in self.evidence.items():
            assert finding.evidence.get(key) == value, (finding.code, key, finding.evidence)
        assert finding.message.key == (self.message_key or f"finding.{self.code.value}"), finding.message
        assert finding.fix.key == (self.fix_key or f"finding.{self.code.value}.fix"), finding.fix


def check_all(found: Sequence[Finding], expected: Sequence[Expect]) -> None:
    assert [f.code for f in found] == [e.code for e in expected], [f.code for f in found]
    for finding, expect in zip(found, expected, strict=True):
        expect.check(finding)


Rule = Callable[..., list[Finding]]
