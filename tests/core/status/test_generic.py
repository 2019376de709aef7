"""Nothing is silent: Warning events and failed conditions no specific rule explains -> generic findings
that quote the upstream text, name the object and give the command (with the real namespace)."""

from __future__ import annotations

from typing import Any

import pytest
from deepseek_ext.core.findings import Finding, FindingCode, Severity
from deepseek_ext.core.phases import Component
from deepseek_ext.core.status.generic import Workload, detect_unexplained

from tests.core.status.builders import (
    NAMESPACE,
    OLLAMA_PROBES,
    Expect,
    check_all,
    container,
    deployment,
    node,
    pod,
    pvc,
    started,
    warning,
    with_probes,
)

NOW = "2026-01-01T01:00:00Z"

# Upstream texts, verbatim:
# kubernetes v1.30 pkg/controller/deployment/util/deployment_util.go: reason ProgressDeadlineExceeded,
#   fmt.Sprintf("ReplicaSet %q has timed out progressing.", rs.Name)
TIMED_OUT = 'ReplicaSet "deepseek-backend-server-7d9c5" has timed out progressing.'
# pkg/controller/replicaset/replica_set.go: condition ReplicaFailure reason FailedCreate with the API error;
# pkg/controller/controller_utils.go: event FailedCreate "Error creating: %v".
QUOTA = (
    'pods "deepseek-backend-server-7d9c5-x2x9q" is forbidden: exceeded quota: compute, requested: '
    "limits.memory=10Gi, used: limits.memory=0, limited: limits.memory=8Gi"
)
# pkg/kubelet/eviction/helpers.go evictionMessage: "The node was low on resource: %v. Threshold quantity: %v,
#   available: %v. Container %s was using %s, request is %s, has larger consumption of %v. "
EVICTED = (
    "The node was low on resource: ephemeral-storage. Threshold quantity: 10%, available: 8%. Container ollama "
    "was using 12Gi, request is 0, has larger consumption of ephemeral-storage. "
)
# pkg/kubelet/prober/prober.go: "%s probe failed: %s"; pkg/probe/http/http.go
#   "HTTP probe failed with statuscode: %d".
READINESS_503 = "Readiness probe failed: HTTP probe failed with statuscode: 503"
STARTUP_EXEC = "Startup probe failed: Error: could not connect to ollama server, run 'ollama serve' to start it"
# pkg/volume/util/operationexecutor/operation_generator.go: "MountVolume.SetUp failed for volume %q : %v".
FAILED_MOUNT = 'MountVolume.SetUp failed for volume "ca-bundle" : configmap "corporate-ca" not found'
# pkg/controller/nodelifecycle/node_lifecycle_controller.go: reason NodeStatusUnknown,
#   "Kubelet stopped posting node status."
NODE_LOST = {"type": "Ready", "status": "Unknown", "reason": "NodeStatusUnknown",
             "message": "Kubelet stopped posting node status."}
# kubernetes-csi/external-resizer v1.10 pkg/controller/controller.go: "resize volume %q by resizer %q failed: %v".
RESIZE_FAILED = 'resize volume "pvc-1" by resizer "ebs.csi.aws.com" failed: rpc error: code = Internal desc = quota'
# kubernetes-csi/external-provisioner v4 pkg/controller/controller.go:
#   "failed to provision volume with StorageClass %q: %v".
PROVISION_FAILED = 'failed to provision volume with StorageClass "fast": rpc error: code = ResourceExhausted'

OLLAMA = "deepseek-backend-server"


def run(case: dict[str, Any]) -> list[Finding]:
    pods = case.pop("pods", [])
    base: dict[str, Any] = {
        "workloads": [Workload(Component.OLLAMA, OLLAMA, pods)],
        "deployments": [],
        "replicasets": None,
        "current_rs": None,
        "pvc": None,
        "events": [],
        "nodes": [],
        "explained": [],
        "namespace": NAMESPACE,
        "now": NOW,
    }
    found = detect_unexplained(**{**base, **case})
    case["pods"] = pods  # the table row stays reusable (the rendering test runs it again)
    return found


def stuck(**status: Any) -> dict[str, Any]:
    """The ollama Deployment with 0 of 1 replicas and the given status (conditions...)."""
    d = deployment(OLLAMA, replicas=1, ready=0)
    d["status"].update(status)
    return d


def replicaset(name: str, *, conditions: list[dict[str, Any]]) -> dict[str, Any]:
    return {"metadata": {"name": name, "ownerReferences": [{"kind": "Deployment", "name": OLLAMA}]},
            "status": {"conditions": conditions}}


def event_finding(kind: str, name: str, reason: str, severity: Severity, **params: Any) -> Expect:
    command = f"kubectl -n {NAMESPACE} describe {kind.lower()} {name}"
    return Expect(FindingCode.KUBERNETES_WARNING_EVENT, severity,
                  params={"kind": kind, "name": name, "reason": reason, "command": command, **params},
                  evidence={"kind": kind, "name": name})


def condition_finding(kind: str, name: str, signal: str, severity: Severity, **params: Any) -> Expect:
    return Expect(FindingCode.KUBERNETES_CONDITION_FAILED, severity,
                  params={"kind": kind, "name": name, "condition": signal, **params},
                  evidence={"kind": kind, "name": name})


READY_POD = started(pod("ollama-0", containers=[container()]), "2026-01-01T00:00:00Z",
                    ready_at="2026-01-01T00:05:00Z", node="node-a")

CASES = [
    pytest.param({"pods": [READY_POD]}, [], id="a ready pod without events: nothing"),
    pytest.param(
        {"deployments": [stuck(conditions=[{"type": "Progressing", "status": "False",
                                             "reason": "ProgressDeadlineExceeded", "message": TIMED_OUT}])]},
        [condition_finding("Deployment", OLLAMA, "Progressing=False", Severity.ERROR,
                           reason="ProgressDeadlineExceeded", detail=TIMED_OUT)],
        id="Deployment past its progress deadline",
    ),
    pytest.param(
        {"deployments": [stuck()],
         "replicasets": [replicaset("deepseek-backend-server-7d9c5", conditions=[
             {"type": "ReplicaFailure", "status": "True", "reason": "FailedCreate", "message": QUOTA}])],
         "events": [warning("ReplicaSet", "deepseek-backend-server-7d9c5", "FailedCreate", f"Error creating: {QUOTA}",
                            source="replicaset-controller")]},
        [condition_finding("ReplicaSet", "deepseek-backend-server-7d9c5", "ReplicaFailure=True", Severity.ERROR,
                           reason="FailedCreate", detail=QUOTA),
         event_finding("ReplicaSet", "deepseek-backend-server-7d9c5", "FailedCreate", Severity.ERROR)],
        id="quota refuses the pod: ReplicaSet condition and event",
    ),
    pytest.param(
        {"pods": [started({**pod("ollama-0", ready=False),
                           "status": {"phase": "Failed", "reason": "Evicted", "message": EVICTED}},
                          "2026-01-01T00:00:00Z")]},
        [condition_finding("Pod", "ollama-0", "status.reason", Severity.ERROR, reason="Evicted",
                           detail=EVICTED.strip())],
        id="evicted pod of the current revision",
    ),
    pytest.param(
        {"pods": [READY_POD], "events": [warning("Pod", "ollama-0", "Unhealthy", READINESS_503,
                                                 at="2026-01-01T00:50:00Z")]},
        [event_finding("Pod", "ollama-0", "Unhealthy", Severity.WARNING, detail=READINESS_503)],
        id="a probe failing on a Ready pod: a warning",
    ),
    pytest.param(
        {"pods": [READY_POD], "events": [warning("Pod", "ollama-0", "Unhealthy", STARTUP_EXEC,
                                                 at="2026-01-01T00:01:00Z")]},
        [],
        id="startup probe failures before the pod became Ready: over",
    ),
    pytest.param(
        {"pods": [started(with_probes(pod("ollama-0", ready=False, containers=[container()]), OLLAMA_PROBES),
                          "2026-01-01T00:58:00Z")],
         "events": [warning("Pod", "ollama-0", "Unhealthy", STARTUP_EXEC, at="2026-01-01T00:59:00Z")]},
        [],
        id="startup probe failing inside the startup window: expected",
    ),
    pytest.param(
        {"pods": [started(pod("ollama-0", ready=False, containers=[container()]), "2026-01-01T00:00:00Z")],
         "events": [warning("Pod", "ollama-0", "Unhealthy", STARTUP_EXEC, at="2026-01-01T00:59:00Z")]},
        [event_finding("Pod", "ollama-0", "Unhealthy", Severity.ERROR)],
        id="startup probe still failing an hour later: an error",
    ),
    pytest.param(
        {"pods": [pod("ollama-0", ready=False, containers=[container(waiting="ContainerCreating")])],
         "events": [warning("Pod", "ollama-0", "FailedMount", FAILED_MOUNT)]},
        [event_finding("Pod", "ollama-0", "FailedMount", Severity.ERROR, detail=FAILED_MOUNT)],
        id="a mount that fails: quoted",
    ),
    pytest.param(
        {"pods": [pod("ollama-0", ready=False, containers=[
            container(waiting="CreateContainerError", message="context deadline exceeded")])]},
        [condition_finding("Pod", "ollama-0", "ollama: CreateContainerError", Severity.ERROR,
                           detail="context deadline exceeded")],
        id="a container waiting for a reason no rule knows",
    ),
    pytest.param(
        {"pods": [READY_POD], "nodes": [node("node-a", conditions=[NODE_LOST])]},
        [Expect(FindingCode.KUBERNETES_CONDITION_FAILED, Severity.ERROR,
                params={"kind": "Node", "name": "node-a", "condition": "Ready=Unknown",
                        "command": "kubectl describe node node-a"})],
        id="the pod's node stopped reporting",
    ),
    pytest.param(
        {"pods": [READY_POD], "nodes": [node("node-a", taints=[{"key": "maintenance", "effect": "NoExecute"}])]},
        [Expect(FindingCode.KUBERNETES_CONDITION_FAILED, Severity.ERROR,
                params={"kind": "Node", "name": "node-a", "condition": "taint maintenance"})],
        id="a NoExecute taint the pod does not tolerate",
    ),
    pytest.param(
        {"pvc": pvc(), "events": [warning("PersistentVolumeClaim", "deepseek-models", "VolumeResizeFailed",
                                          RESIZE_FAILED, source="external-resizer ebs.csi.aws.com")]},
        [Expect(FindingCode.KUBERNETES_WARNING_EVENT, Severity.WARNING, component="storage",
                params={"kind": "PersistentVolumeClaim", "reason": "VolumeResizeFailed", "detail": RESIZE_FAILED})],
        id="a Bound claim that cannot grow",
    ),
    pytest.param(
        {"pvc": pvc(), "events": [warning("PersistentVolumeClaim", "deepseek-models", "ProvisioningFailed",
                                          PROVISION_FAILED)]},
        [],
        id="provisioning trouble of a claim that is Bound now: over",
    ),
]


@pytest.mark.parametrize(("case", "expected"), CASES)
def test_unexplained_signals(case: dict[str, Any], expected: list[Expect]) -> None:
    check_all(run(case), expected)


def test_a_signal_a_specific_finding_explains_is_not_repeated() -> None:
    pulled = warning("Pod", "ollama-0", "Failed", "Failed to pull image \"x\": not found")
    specific = Finding(FindingCode.IMAGE_PULL_FAILED, Severity.ERROR, component="ollama",
                 evidence={"kind": "Pod", "name": "ollama-0"})
    case = {"pods": [pod("ollama-0", ready=False)], "events": [pulled], "explained": [specific]}
    assert run(case) == []
