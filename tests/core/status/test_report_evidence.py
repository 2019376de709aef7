"""The report against the scenarios of issue 16: time, unexplained signals, links and the serving summary.

The property at the end runs every combination of a base install and a standing signal through the
whole report: a generic finding never leaves the phase Installing or Ready, and a component with an
error finding is never Ready.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from deepseek_ext.core.findings import FindingCode, Severity
from deepseek_ext.core.phases import Component, ComponentState, StatusPhase
from deepseek_ext.core.status import build_report
from deepseek_ext.core.status.generic import GENERIC_CODES

from tests.core.status.builders import (
    CHAT_APP,
    CONFIG,
    MODEL,
    NAMESPACE,
    NEXTCHAT_PROBES,
    OLLAMA_PROBES,
    answered,
    container,
    deployment,
    healthy,
    node,
    pod,
    record,
    started,
    state,
    warning,
    with_probes,
)

T0 = "2026-01-01T00:00:00Z"
MULTI_ATTACH = (
    'Multi-Attach error for volume "pvc-1" Volume is already exclusively attached to one node and '
    "can't be attached to another"
)  # attach-detach controller (pkg/volume/util/operationexecutor), reason FailedAttachVolume
INSUFFICIENT_GPU = (
    "0/3 nodes are available: 3 Insufficient nvidia.com/gpu. preemption: 0/3 nodes are available: "
    "3 No preemption victims found for incoming pod."
)  # kube-scheduler v1.30 noderesources/fit.go "Insufficient %v"
SCALE_UP = "pod triggered scale-up: [{gpu-pool 1->2 (max: 5)}]"  # cluster-autoscaler 1.30 executor.go


def ollama(name: str = "ollama-0", *, ready: bool = True, since: str = T0, **kwargs: Any) -> dict[str, Any]:
    p = with_probes(pod(name, ready=ready, containers=[container()], **kwargs), OLLAMA_PROBES)
    return started(p, since, ready_at=since if ready else None, node="node-a")


def chat(*, ready: bool = True, since: str = T0, waiting: str | None = None) -> dict[str, Any]:
    p = with_probes(pod("chat-0", app=CHAT_APP, ready=ready,
                        containers=[container("nextchat", waiting=waiting)]), NEXTCHAT_PROBES)
    return started(p, since, ready_at=since if ready else None, node="node-a")


def test_nextchat_creating_its_container_for_5_s_is_installing_not_failed() -> None:
    report = build_report(healthy(pods=[ollama(), chat(ready=False, since="2026-01-01T00:10:00Z",
                                                        waiting="ContainerCreating")],
                                  deployments=[deployment(ready=0)], now="2026-01-01T00:10:05Z"))
    assert report.phase is StatusPhase.INSTALLING
    assert {c.component: c.state for c in report.components}[Component.NEXTCHAT] is ComponentState.PROGRESSING
    assert report.findings == []


def test_a_multi_attach_event_45_minutes_old_on_a_ready_pod_is_over() -> None:
    inputs = healthy(pods=[ollama(since="2026-01-01T00:45:00Z"), chat()], now="2026-01-01T00:50:00Z",
                     events=[warning("Pod", "ollama-0", "FailedAttachVolume", MULTI_ATTACH, at=T0,
                                     source="attachdetach-controller")])
    report = build_report(inputs)
    assert (report.phase, report.findings) == (StatusPhase.READY, [])


def test_a_5_s_old_gpu_pod_with_a_scale_up_is_scheduling() -> None:
    waiting = pod("ollama-0", ready=False, unschedulable=INSUFFICIENT_GPU, limits={"nvidia.com/gpu": "1"})
    waiting["status"]["startTime"] = None
    waiting["metadata"]["creationTimestamp"] = "2026-01-01T00:00:00Z"
    inputs = healthy(pods=[waiting, chat()], now="2026-01-01T00:00:05Z", observations=[],
                     events=[{**warning("Pod", "ollama-0", "TriggeredScaleUp", SCALE_UP, at="2026-01-01T00:00:03Z",
                                        source="cluster-autoscaler"), "type": "Normal"}])
    report = build_report(inputs)
    assert report.phase is StatusPhase.SCHEDULING
    assert [(f.code, f.severity) for f in report.findings] == [(FindingCode.SCALE_UP_TRIGGERED, Severity.INFO)]
    assert {c.component: c.state for c in report.components}[Component.OLLAMA] is ComponentState.PROGRESSING


@pytest.mark.parametrize("with_replicasets", [True, False], ids=["ReplicaSets read", "pod-template-hash only"])
def test_completed_pods_of_an_old_replicaset_are_ignored(with_replicasets: bool) -> None:
    current = ollama()
    current["metadata"].update(labels={"app": "deepseek-backend-server", "pod-template-hash": "new"},
                               ownerReferences=[{"kind": "ReplicaSet", "name": "server-new"}])
    old = pod("ollama-old", ready=False)
    old["metadata"].update(labels={"app": "deepseek-backend-server", "pod-template-hash": "old"},
                           ownerReferences=[{"kind": "ReplicaSet", "name": "server-old"}])
    old["status"].update(phase="Succeeded", reason="Completed")
    revision = {"deployment.kubernetes.io/revision": "2"}
    server = {"metadata": {"name": "deepseek-backend-server", "annotations": revision},
              "spec": {"replicas": 1}, "status": {"readyReplicas": 1}}

    def rs(name: str, revision: str) -> dict[str, Any]:
        return {"metadata": {"name": name, "annotations": {"deployment.kubernetes.io/revision": revision},
                             "ownerReferences": [{"kind": "Deployment", "name": "deepseek-backend-server"}]}}

    replicasets = [rs("server-new", "2"), rs("server-old", "1")] if with_replicasets else None
    report = build_report(healthy(pods=[current, old, chat()], deployments=[deployment(), server],
                                  replicasets=replicasets))
    assert (report.phase, report.findings) == (StatusPhase.READY, [])


def test_links_name_the_pod_its_events_and_its_logs() -> None:
    crashing = pod("chat-0", app=CHAT_APP, ready=False,
                   containers=[container("nextchat", waiting="CrashLoopBackOff", last={"exitCode": 1})])
    report = build_report(healthy(pods=[pod("ollama-0"), crashing], deployments=[deployment(ready=0)]))
    [finding] = report.findings
    assert finding.links == (
        {"kind": "pod", "namespace": NAMESPACE, "name": "chat-0"},
        {"kind": "events", "namespace": NAMESPACE, "name": "chat-0"},
        {"kind": "logs", "namespace": NAMESPACE, "name": "chat-0", "container": "nextchat"},
    )


def test_a_load_failure_links_the_ollama_logs() -> None:
    failed = state(**{MODEL: record("Failed", code="LoadFailed",
                                    message="llama-server process has terminated: signal: killed")})
    report = build_report(healthy(state=failed))
    [finding] = [f for f in report.findings if f.code is FindingCode.MODEL_LOAD_FAILED]
    assert {"kind": "logs", "namespace": NAMESPACE, "name": "ollama-0", "container": "ollama"} in finding.links
    assert {c.component: c.state for c in report.components}[Component.MODEL] is ComponentState.FAILED


def test_the_serving_summary_reads_the_ollama_pod_template() -> None:
    server = {
        "metadata": {"name": "deepseek-backend-server"},
        "spec": {"replicas": 1, "template": {"spec": {"containers": [{
            "name": "ollama",
            "image": "docker.io/ollama/ollama:0.32.15",
            "env": [{"name": "OLLAMA_CONTEXT_LENGTH", "value": "16384"}, {"name": "OLLAMA_NUM_PARALLEL", "value": "2"}],
            "resources": {"requests": {"memory": "12Gi"}, "limits": {"memory": "14Gi", "nvidia.com/gpu": "2"}},
        }]}}},
        "status": {"readyReplicas": 1},
    }
    report = build_report(healthy(deployments=[deployment(), server]))
    assert report.serving == {"accelerator": "nvidia", "gpus": 2, "contextLength": 16384, "numParallel": 2,
                              "maxLoadedModels": 6, "memoryRequest": "12Gi", "memoryLimit": "14Gi"}


def test_the_serving_summary_falls_back_to_the_config() -> None:
    serving = build_report(healthy(config={**CONFIG, "contextLength": 8192, "parallel": 1})).serving
    assert serving == {"accelerator": "cpu", "gpus": 0, "contextLength": 8192, "numParallel": 1,
                       "maxLoadedModels": 3, "memoryRequest": "", "memoryLimit": ""}


# --- the property: a standing signal never reads Installing or Ready ----------------------------------
BASES = {
    "ready": {},
    "ollama starting": {"pods": [ollama(ready=False, since="2026-01-01T00:59:00Z"), chat()]},
    "model downloading": {"observations": [answered(tags=[])], "state": state(**{MODEL: record("Pulling")})},
    "nextchat starting": {"pods": [ollama(), chat(ready=False, since="2026-01-01T00:59:30Z")],
                          "deployments": [deployment(ready=0)]},
}
SIGNALS = {
    # An exec probe past its timeout: `command %q timed out` (pkg/probe/exec/exec.go, kubernetes#106201).
    "probe failing on a ready pod": {"events": [warning("Pod", "ollama-0", "Unhealthy",
                                                        'Liveness probe failed: command "ollama list" timed out',
                                                        at="2026-01-01T00:59:50Z")]},
    "mount failing": {"events": [warning("Pod", "ollama-0", "FailedMount",
                                         'MountVolume.SetUp failed for volume "ca" : configmap "ca" not found',
                                         at="2026-01-01T00:59:50Z")]},
    "node not ready": {"nodes": [node("node-a", conditions=[{"type": "Ready", "status": "Unknown",
                                                              "reason": "NodeStatusUnknown",
                                                              "message": "Kubelet stopped posting node status."}])]},
    "node memory pressure": {"nodes": [node("node-a", conditions=[{"type": "MemoryPressure", "status": "True",
                                                                    "reason": "KubeletHasInsufficientMemory",
                                                                    "message": "kubelet has insufficient memory"}])]},
}


def _merge(base: dict[str, Any], signal: dict[str, Any]) -> dict[str, Any]:
    merged = {"pods": [ollama(), chat()], "now": "2026-01-01T01:00:00Z", **base}
    for key, value in signal.items():
        merged[key] = list(merged.get(key) or []) + list(value) if key == "events" else value
    return merged


@pytest.mark.parametrize(("base", "signal"), list(itertools.product(BASES, SIGNALS)))
def test_a_standing_signal_never_reads_installing_or_ready(base: str, signal: str) -> None:
    report = build_report(healthy(**_merge(BASES[base], SIGNALS[signal])))
    generic = [f for f in report.findings if f.code in GENERIC_CODES]
    # A probe failing inside the pod's startup window is expected, not a signal (the one exemption).
    exempt = (base, signal) == ("ollama starting", "probe failing on a ready pod")
    assert bool(generic) is not exempt, "the signal must be reported"
    if generic:
        assert report.phase not in (StatusPhase.INSTALLING, StatusPhase.READY), (report.phase, generic)
    for component in report.components:
        if any(f.severity is Severity.ERROR for f in component.findings):
            assert component.state is not ComponentState.READY, component
