"""Pod rule: scheduler reasons, container states and volume events -> findings naming the workload's keys."""

from __future__ import annotations

from typing import Any

import pytest
from deepseek_ext.core.findings import Finding, FindingCode, Severity
from deepseek_ext.core.phases import Component
from deepseek_ext.core.status.pods import detect_pod_findings

from tests.core.status.builders import NAMESPACE, Expect, check_all, container, event, node, pod

INSUFFICIENT_GPU = "0/3 nodes are available: 3 Insufficient nvidia.com/gpu."
NO_MATCH = "0/4 nodes are available: 4 node(s) didn't match Pod's node affinity/selector."


def run(case: dict[str, Any]) -> list[Finding]:
    base = {
        "events": [],
        "component": Component.OLLAMA,
        "key": "backend.server",
        "nodes": [node("small", cpu="4", memory="8Gi"), node("big", cpu="16", memory="64Gi")],
        "namespace": NAMESPACE,
    }
    return detect_pod_findings(**{**base, **case})


def crashing(**last: Any) -> dict[str, Any]:
    return pod("ollama-0", ready=False, containers=[container(waiting="CrashLoopBackOff", restarts=5, last=last)])


CASES = [
    pytest.param({"pods": [pod("ollama-0")]}, [], id="running: nothing to say"),
    pytest.param(
        {"pods": [pod("ollama-0", unschedulable=INSUFFICIENT_GPU, limits={"nvidia.com/gpu": "2"})]},
        [
            Expect(
                FindingCode.POD_UNSCHEDULABLE_GPU,
                Severity.ERROR,
                path="backend.model.tag",
                component="ollama",
                params={"pod": "ollama-0", "gpu": "nvidia.com/gpu=2"},
                evidence={"kind": "Pod", "field": "status.conditions[PodScheduled]", "value": "nvidia.com/gpu=2"},
            )
        ],
        id="no GPU free: the pod's own request",
    ),
    pytest.param(
        {"pods": [pod("ollama-0", unschedulable="0/1 nodes are available: 1 Insufficient amd.com/gpu.")]},
        [Expect(FindingCode.POD_UNSCHEDULABLE_GPU, Severity.ERROR, path="backend.model.tag",
                params={"gpu": "amd.com/gpu"})],
        id="no GPU free: the resource the scheduler named",
    ),
    pytest.param(
        {
            "pods": [pod("ollama-0", unschedulable="pending", requests={"cpu": "32"})],
            "events": [event("Pod", "ollama-0", "FailedScheduling", "0/2 nodes are available: 2 Insufficient cpu.")],
        },
        [
            Expect(
                FindingCode.POD_UNSCHEDULABLE_CPU,
                Severity.ERROR,
                path="backend.server.resources",
                params={"requested": "32", "largest": "16", "requestKey": "backend.server.resources.requests.cpu"},
                evidence={"value": "32", "event": "0/2 nodes are available: 2 Insufficient cpu."},
                message_key="finding.PodUnschedulableCpu.withLargest",
            )
        ],
        id="no CPU free: the scheduler event wins over the condition",
    ),
    pytest.param(
        {"pods": [pod("ollama-0", unschedulable="Insufficient cpu")], "nodes": []},
        [Expect(FindingCode.POD_UNSCHEDULABLE_CPU, Severity.ERROR, path="backend.server.resources",
                params={"requested": "?", "largest": None})],
        id="no CPU free, nodes unreadable",
    ),
    pytest.param(
        {
            "pods": [pod("chat-0", unschedulable="0/2 nodes are available: 2 Insufficient memory.",
                         requests={"memory": "128Gi"})],
            "component": Component.NEXTCHAT,
            "key": "backend.chat",
        },
        [
            Expect(
                FindingCode.POD_UNSCHEDULABLE_MEMORY,
                Severity.ERROR,
                path="backend.chat.resources",
                component="nextchat",
                params={"requested": "128Gi", "largest": "64Gi",
                        "requestKey": "backend.chat.resources.requests.memory"},
                message_key="finding.PodUnschedulableMemory.withLargest",
            )
        ],
        id="no memory free (NextChat keys)",
    ),
    pytest.param(
        {"pods": [pod("ollama-0", unschedulable=NO_MATCH, node_selector={"gpu": "yes", "zone": "a"})]},
        [
            Expect(
                FindingCode.POD_UNSCHEDULABLE_NODE_SELECTOR,
                Severity.ERROR,
                path="backend.server.nodeSelector",
                params={"labels": ["gpu=yes", "zone=a"], "labelArgs": "gpu=yes zone=a"},
                evidence={"field": "spec.nodeSelector", "value": {"gpu": "yes", "zone": "a"}},
            )
        ],
        id="node selector matches no node",
    ),
    pytest.param(
        {"pods": [pod("ollama-0", unschedulable=NO_MATCH)]},
        [
            Expect(
                FindingCode.POD_UNSCHEDULABLE_NODE_SELECTOR,
                Severity.ERROR,
                path="backend.server.nodeSelector",
                params={"labels": []},
                message_key="finding.PodUnschedulableNodeSelector.affinity",
            )
        ],
        id="affinity matches no node",
    ),
    pytest.param(
        {"pods": [pod("ollama-0", unschedulable="0/1 nodes are available: 1 node(s) had untolerated taint.")]},
        [Expect(FindingCode.POD_UNSCHEDULABLE, Severity.ERROR,
                params={"detail": "0/1 nodes are available: 1 node(s) had untolerated taint."})],
        id="another scheduler reason: quoted",
    ),
    pytest.param(
        {"pods": [pod("ollama-0", unschedulable="pod has unbound immediate PersistentVolumeClaims")]},
        [],
        id="waiting for the PVC: the storage rule explains it",
    ),
    pytest.param(
        {"pods": [pod("ollama-0", ready=False,
                      containers=[container(waiting="ImagePullBackOff", message="back-off")])]},
        [
            Expect(
                FindingCode.IMAGE_PULL_FAILED,
                Severity.ERROR,
                path="global.imageRegistry",
                params={"container": "ollama", "detail": "back-off",
                        "pullSecretsKey": "backend.server.image.pullSecrets"},
                evidence={"value": "ImagePullBackOff", "image": "docker.io/ollama/ollama:0.32.15"},
            )
        ],
        id="image cannot be pulled",
    ),
    pytest.param(
        {"pods": [crashing(reason="OOMKilled", exitCode=137)]},
        [
            Expect(
                FindingCode.OOM_KILLED,
                Severity.ERROR,
                path="backend.server.resources.limits.memory",
                params={"restarts": 5, "limitKey": "backend.server.resources.limits.memory"},
                evidence={"value": "OOMKilled", "restarts": 5},
            )
        ],
        id="OOM-killed, then crash-looping: the OOM is the cause",
    ),
    pytest.param(
        {"pods": [crashing(reason="Error", exitCode=1, message="bind: address already in use")]},
        [
            Expect(
                FindingCode.CRASH_LOOP,
                Severity.ERROR,
                params={"exitCode": 1, "detail": "bind: address already in use", "namespace": NAMESPACE,
                        "pod": "ollama-0", "container": "ollama", "imageTagKey": "backend.server.image.tag"},
                evidence={"value": "CrashLoopBackOff", "exitCode": 1, "restarts": 5},
                message_key="finding.CrashLoop.withDetail",
            )
        ],
        id="crash loop with the container's last words",
    ),
    pytest.param(
        {"pods": [crashing(exitCode=2)]},
        [Expect(FindingCode.CRASH_LOOP, Severity.ERROR, params={"exitCode": 2, "detail": ""})],
        id="crash loop without a message",
    ),
    pytest.param(
        {
            "pods": [pod("ollama-1", ready=False)],
            "events": [event("Pod", "ollama-1", "FailedAttachVolume", 'Multi-Attach error for volume "pvc-1"')],
        },
        [
            Expect(
                FindingCode.VOLUME_MULTI_ATTACH,
                Severity.ERROR,
                path="backend.persistence.accessModes",
                params={"pod": "ollama-1"},
                evidence={"field": "volumes", "event": 'FailedAttachVolume: Multi-Attach error for volume "pvc-1"'},
            )
        ],
        id="ReadWriteOnce volume attached elsewhere",
    ),
    pytest.param(
        {"pods": [pod("ollama-0", ready=False, containers=[container("a", waiting="ErrImagePull"),
                                                            container("b", waiting="ImagePullBackOff")])]},
        [Expect(FindingCode.IMAGE_PULL_FAILED, Severity.ERROR, path="global.imageRegistry", params={"container": "a"})],
        id="two containers, one finding per pod",
    ),
]


@pytest.mark.parametrize(("case", "expected"), CASES)
def test_pod_rule(case: dict[str, Any], expected: list[Expect]) -> None:
    check_all(run(case), expected)
