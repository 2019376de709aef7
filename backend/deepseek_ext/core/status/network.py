"""The way in and the way out: NextChat, its Ingress, and the upstreams the report reads. Pure.

Three decisions: NextChat's Deployment has fewer ready replicas than wanted; the Ingress that
publishes it has no host or no address; the Kubernetes API or an ollama server is slow, down or
refuses the API's ServiceAccount (then the report says so instead of guessing).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from deepseek_ext.core.findings import Finding, FindingCode, Severity
from deepseek_ext.core.objects import ObjectNames
from deepseek_ext.core.phases import Component
from deepseek_ext.core.status.common import event_evidence, events_for, finding, is_ready_not_terminating, name_of
from deepseek_ext.core.status.inputs import KubeFailure, Obj, OllamaObservation
from deepseek_ext.core.status.timing import is_current_event, within_startup

_FORBIDDEN = "KubernetesForbidden"
_POD_TROUBLE = ("Unhealthy", "BackOff", "Failed")


def detect_nextchat_findings(
    *,
    deployment: Obj | None,
    deployment_name: str,
    pods: Sequence[Obj],
    events: Sequence[Obj] | None,
    namespace: str,
    now: str = "",
) -> list[Finding]:
    """NextChat Deployment missing, or without its ready replicas (probe failures, pods not running).

    Not ready is no error while every not-ready pod is inside its startup window (its probes'
    ``initialDelay + failureThreshold × period``): the component is then still Progressing.
    """
    if deployment is None:
        return [
            finding(
                FindingCode.NEXTCHAT_NOT_READY,
                Severity.ERROR,
                Component.NEXTCHAT,
                params={"deployment": deployment_name},
                evidence={"kind": "Deployment", "name": deployment_name, "field": "metadata.name"},
                message_key="finding.NextChatNotReady.missing",
                fix_key="finding.NextChatNotReady.missing.fix",
            )
        ]
    wanted = int((deployment.get("spec") or {}).get("replicas", 1) or 0)
    ready = int((deployment.get("status") or {}).get("readyReplicas") or 0)
    if wanted == 0 or ready >= wanted:
        return []
    starting = [p for p in pods if not is_ready_not_terminating(p)]
    if starting and all(within_startup(p, now) for p in starting):
        return []
    detail = next(
        (
            event_evidence(e)
            for pod in pods
            for e in events_for(events, "Pod", name_of(pod))
            if e.get("reason") in _POD_TROUBLE and is_current_event(e, pod)
        ),
        "",
    )
    return [
        finding(
            FindingCode.NEXTCHAT_NOT_READY,
            Severity.ERROR,
            Component.NEXTCHAT,
            params={
                "ready": ready,
                "wanted": wanted,
                "detail": detail,
                "deployment": name_of(deployment),
                "namespace": namespace,
            },
            evidence={
                "kind": "Deployment",
                "name": name_of(deployment),
                "field": "status.readyReplicas",
                "value": ready,
                "event": detail or None,
            },
            path="backend.chat.resources",
            message_key="finding.NextChatNotReady.withDetail" if detail else None,
        )
    ]


def detect_ingress_findings(*, ingress: Obj | None, ingress_name: str, chat_url: str | None) -> list[Finding]:
    """A chat URL without its Ingress, an Ingress without host (no domain suffix) or address (no controller)."""
    if not chat_url and ingress is None:
        return []
    if ingress is None:
        return [
            finding(
                FindingCode.INGRESS_MISSING,
                Severity.WARNING,
                Component.INGRESS,
                params={"chatUrl": chat_url, "ingress": ingress_name},
                evidence={"kind": "Ingress", "name": ingress_name, "field": "metadata.name"},
                path="global.extension.enabled",
            )
        ]
    findings = []
    name = name_of(ingress)
    rules = (ingress.get("spec") or {}).get("rules") or []
    if not rules or any(not r.get("host") for r in rules):
        findings.append(
            finding(
                FindingCode.INGRESS_NO_HOST,
                Severity.ERROR,
                Component.INGRESS,
                params={"ingress": name},
                evidence={"kind": "Ingress", "name": name, "field": "spec.rules[].host", "value": None},
                path="global.extension.ingress.domainSuffix",
            )
        )
    if not ((ingress.get("status") or {}).get("loadBalancer") or {}).get("ingress"):
        ingress_class = (ingress.get("spec") or {}).get("ingressClassName")
        findings.append(
            finding(
                FindingCode.INGRESS_NO_ADDRESS,
                Severity.WARNING,
                Component.INGRESS,
                params={"ingress": name, "ingressClass": ingress_class},
                evidence={"kind": "Ingress", "name": name, "field": "status.loadBalancer.ingress", "value": []},
                path="global.extension.ingress.ingressClassName",
                message_key="finding.IngressNoAddress.withClass" if ingress_class else None,
            )
        )
    return findings


def detect_upstream_findings(
    *,
    kube_errors: Mapping[str, KubeFailure],
    observations: Sequence[OllamaObservation],
    object_names: ObjectNames,
    namespace: str,
) -> list[Finding]:
    """The Kubernetes API or ollama is slow, down or refuses us: say so instead of guessing."""
    findings = []
    forbidden = {r: f for r, f in kube_errors.items() if f.code == _FORBIDDEN}
    failing = {r: f for r, f in kube_errors.items() if f.code != _FORBIDDEN}
    if forbidden:
        findings.append(
            finding(
                FindingCode.KUBERNETES_API_FORBIDDEN,
                Severity.ERROR,
                Component.API,
                params={"resources": sorted(forbidden), "role": object_names.api},
                evidence={
                    "kind": "ServiceAccount",
                    "name": object_names.api,
                    "field": "rbac",
                    "event": next(iter(forbidden.values())).message,
                },
            )
        )
    if failing:
        slow = any(f.timeout for f in failing.values())
        findings.append(
            finding(
                FindingCode.KUBERNETES_API_SLOW if slow else FindingCode.KUBERNETES_API_UNAVAILABLE,
                Severity.ERROR,
                Component.API,
                params={"resources": sorted(failing)},
                evidence={
                    "kind": "APIServer",
                    "name": "kubernetes",
                    "field": ", ".join(sorted(failing)),
                    "event": next(iter(failing.values())).message,
                },
            )
        )
    for obs in observations:
        if obs.error is None:
            continue
        findings.append(
            finding(
                FindingCode.OLLAMA_SLOW if obs.timeout else FindingCode.OLLAMA_UNREACHABLE,
                Severity.WARNING if obs.timeout else Severity.ERROR,
                Component.OLLAMA,
                params={"pod": obs.pod, "detail": obs.error, "namespace": namespace},
                evidence={"kind": "Pod", "name": obs.pod, "field": "GET /api/tags", "url": obs.url, "event": obs.error},
            )
        )
    return findings

