"""NextChat, Ingress and upstream rules -> findings naming the object, the namespace and the key."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from deepseek_ext.core.findings import Finding, FindingCode, Severity
from deepseek_ext.core.objects import ObjectNames
from deepseek_ext.core.status.network import (
    detect_ingress_findings,
    detect_nextchat_findings,
    detect_upstream_findings,
)

from tests.core.status.builders import (
    CHAT_APP,
    NAMESPACE,
    NEXTCHAT_PROBES,
    Expect,
    check_all,
    container,
    deployment,
    event,
    ingress,
    kube_failure,
    pod,
    started,
    unanswered,
    with_probes,
)


def nextchat(**case: Any) -> list[Finding]:
    base = {"deployment_name": "chat-x", "pods": [pod("chat-0", app=CHAT_APP)], "events": [], "namespace": NAMESPACE}
    return detect_nextchat_findings(**{**base, **case})


def ingress_rule(**case: Any) -> list[Finding]:
    return detect_ingress_findings(**{"ingress_name": "ingress-x", "chat_url": None, **case})


def upstream(**case: Any) -> list[Finding]:
    base = {"kube_errors": {}, "observations": [], "object_names": ObjectNames(api="api-x"), "namespace": NAMESPACE}
    return detect_upstream_findings(**{**base, **case})


CREATING = [started(with_probes(pod("chat-0", app=CHAT_APP, ready=False,
                                    containers=[container("nextchat", waiting="ContainerCreating")]),
                                NEXTCHAT_PROBES), "2026-01-01T00:00:00Z")]

CASES = [
    pytest.param(nextchat, {"deployment": deployment()}, [], id="nextchat ready"),
    # Issue 16: a NextChat pod creating its container for 5 s is starting, not failed; its window is the
    # chart's probes (startup 40 x 3 s + readiness 3 x 10 s = 150 s).
    pytest.param(nextchat, {"deployment": deployment(ready=0), "pods": CREATING, "now": "2026-01-01T00:00:05Z"}, [],
                 id="nextchat creating its container for 5 s: still starting"),
    pytest.param(
        nextchat,
        {"deployment": deployment(ready=0), "pods": CREATING, "now": "2026-01-01T00:10:00Z"},
        [Expect(FindingCode.NEXTCHAT_NOT_READY, Severity.ERROR, path="backend.chat.resources",
                params={"ready": 0, "wanted": 1, "namespace": NAMESPACE})],
        id="nextchat still not ready after its startup window",
    ),
    pytest.param(nextchat, {"deployment": deployment(replicas=0, ready=0)}, [], id="nextchat scaled to zero"),
    pytest.param(
        nextchat,
        {"deployment": None},
        [Expect(FindingCode.NEXTCHAT_NOT_READY, Severity.ERROR, component="nextchat",
                params={"deployment": "chat-x"}, evidence={"kind": "Deployment", "name": "chat-x"},
                message_key="finding.NextChatNotReady.missing", fix_key="finding.NextChatNotReady.missing.fix")],
        id="nextchat deployment missing",
    ),
    pytest.param(
        nextchat,
        {
            "deployment": deployment(replicas=2, ready=1),
            "events": [event("Pod", "chat-0", "Unhealthy", "Readiness probe failed")],
        },
        [Expect(FindingCode.NEXTCHAT_NOT_READY, Severity.ERROR, path="backend.chat.resources",
                params={"ready": 1, "wanted": 2, "detail": "Unhealthy: Readiness probe failed",
                        "deployment": "deepseek-backend-chat", "namespace": NAMESPACE},
                evidence={"field": "status.readyReplicas", "value": 1, "event": "Unhealthy: Readiness probe failed"},
                message_key="finding.NextChatNotReady.withDetail")],
        id="nextchat not ready, a probe says why",
    ),
    pytest.param(
        nextchat,
        {"deployment": deployment(ready=0), "events": [event("Pod", "chat-0", "Scheduled", "assigned")]},
        [Expect(FindingCode.NEXTCHAT_NOT_READY, Severity.ERROR, path="backend.chat.resources",
                params={"ready": 0, "wanted": 1, "detail": ""})],
        id="nextchat not ready, no event says why",
    ),
    pytest.param(ingress_rule, {"ingress": None}, [], id="no ingress, no chat URL: disabled"),
    pytest.param(ingress_rule, {"ingress": ingress()}, [], id="ingress with host and address"),
    pytest.param(
        ingress_rule,
        {"ingress": None, "chat_url": "http://deepseek.example.com"},
        [Expect(FindingCode.INGRESS_MISSING, Severity.WARNING, path="global.extension.enabled",
                params={"chatUrl": "http://deepseek.example.com", "ingress": "ingress-x"},
                evidence={"kind": "Ingress", "name": "ingress-x"})],
        id="chat URL without its ingress",
    ),
    pytest.param(
        ingress_rule,
        {"ingress": ingress(host=None, address=False, ingress_class="nginx")},
        [
            Expect(FindingCode.INGRESS_NO_HOST, Severity.ERROR, path="global.extension.ingress.domainSuffix",
                   params={"ingress": "deepseek-backend-ingress"}, evidence={"field": "spec.rules[].host"}),
            Expect(FindingCode.INGRESS_NO_ADDRESS, Severity.WARNING,
                   path="global.extension.ingress.ingressClassName", params={"ingressClass": "nginx"},
                   evidence={"field": "status.loadBalancer.ingress", "value": []},
                   message_key="finding.IngressNoAddress.withClass"),
        ],
        id="ingress without host nor address",
    ),
    pytest.param(
        ingress_rule,
        {"ingress": ingress(address=False)},
        [Expect(FindingCode.INGRESS_NO_ADDRESS, Severity.WARNING, path="global.extension.ingress.ingressClassName",
                params={"ingressClass": None})],
        id="ingress without address, no class",
    ),
    pytest.param(upstream, {}, [], id="upstreams answer"),
    pytest.param(
        upstream,
        {"kube_errors": {"storageclasses": kube_failure("KubernetesForbidden", "sc: 403"),
                         "nodes": kube_failure("KubernetesForbidden", "nodes: 403")}},
        [Expect(FindingCode.KUBERNETES_API_FORBIDDEN, Severity.ERROR, component="api",
                params={"resources": ["nodes", "storageclasses"], "role": "api-x"},
                evidence={"kind": "ServiceAccount", "name": "api-x", "event": "sc: 403"})],
        id="forbidden: the chart's role by its real name",
    ),
    pytest.param(
        upstream,
        {"kube_errors": {"pods": kube_failure(message="pods: HTTP 500")}},
        [Expect(FindingCode.KUBERNETES_API_UNAVAILABLE, Severity.ERROR, params={"resources": ["pods"]},
                evidence={"kind": "APIServer", "field": "pods", "event": "pods: HTTP 500"})],
        id="kubernetes API down",
    ),
    pytest.param(
        upstream,
        {"kube_errors": {"pods": kube_failure(message="refused"), "events": kube_failure(timeout=True)}},
        [Expect(FindingCode.KUBERNETES_API_SLOW, Severity.ERROR, params={"resources": ["events", "pods"]},
                evidence={"field": "events, pods"})],
        id="kubernetes API slow: the timeout flag, not the text",
    ),
    pytest.param(
        upstream,
        {"observations": [unanswered("connection refused")]},
        [Expect(FindingCode.OLLAMA_UNREACHABLE, Severity.ERROR, component="ollama",
                params={"pod": "ollama-0", "detail": "connection refused", "namespace": NAMESPACE},
                evidence={"field": "GET /api/tags", "url": "http://10.0.0.10:11434"})],
        id="ollama unreachable",
    ),
    pytest.param(
        upstream,
        {"observations": [unanswered("no answer within 3s", timeout=True)]},
        [Expect(FindingCode.OLLAMA_SLOW, Severity.WARNING, params={"namespace": NAMESPACE},
                evidence={"event": "no answer within 3s"})],
        id="ollama slow: a warning",
    ),
]


@pytest.mark.parametrize(("rule", "case", "expected"), CASES)
def test_network_rule(rule: Callable[..., list[Finding]], case: dict[str, Any], expected: list[Expect]) -> None:
    check_all(rule(**case), expected)
