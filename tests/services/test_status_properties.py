"""Properties over every status scenario, through the real server (issue 16, "Nothing is silent").

For each scenario of ``test_status_scenarios`` and the issue-16 ones below: a generic finding (a
Warning event or failed condition no rule explains) never leaves the phase Installing or Ready; a
component with an error finding is never Ready; no fix carries a ``<namespace>`` placeholder; and
every link names the real namespace. The issue-16 scenarios use the upstream texts (cited).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import codes, findings, wait_status
from tests.services.test_status_scenarios import SCENARIOS, event, ollama_pod, unschedulable, waiting

GENERIC = ("KubernetesWarningEvent", "KubernetesConditionFailed")
NAMESPACE = "extension-deepseek"


def s_gpu_node_tainted(stack):
    # kube-scheduler v1.30 tainttoleration: "node(s) had untolerated taint {%s: %s}".
    for node in stack.kube.objects("Node"):
        node.setdefault("status", {}).setdefault("allocatable", {})["nvidia.com/gpu"] = "1"
        node.setdefault("spec", {})["taints"] = [{"key": "site", "value": "lab", "effect": "NoSchedule"}]
        stack.kube.put(node)
    unschedulable(stack, "0/1 nodes are available: 1 node(s) had untolerated taint {site: lab}. preemption: "
                         "0/1 nodes are available: 1 Preemption is not helpful for scheduling.")


def s_failed_mount(stack):
    # pkg/volume/util/operationexecutor/operation_generator.go: "MountVolume.SetUp failed for volume %q : %v".
    name = waiting(stack, "ContainerCreating", "")
    stack.kube.put(event("Pod", name, "FailedMount",
                         'MountVolume.SetUp failed for volume "ca-bundle" : configmap "corporate-ca" not found'))


def s_probe_on_ready_pod(stack):
    # pkg/kubelet/prober/prober.go "%s probe failed: %s" on a pod that is Ready: a warning, not silence.
    # An exec probe past its timeout says the CRI client's `command %q timed out` (pkg/probe/exec/exec.go
    # since kubernetes#106201; the chart's ollama probe runs `ollama list`).
    pod = ollama_pod(stack)
    stack.kube.put(event("Pod", pod["metadata"]["name"], "Unhealthy",
                         'Liveness probe failed: command "ollama list" timed out'))


def s_access_secret_missing(stack):
    # kubelet: the Secret's NotFound error, `secret "<name>" not found`, as CreateContainerConfigError.
    waiting(stack, "CreateContainerConfigError", 'secret "deepseek-chat-access" not found', chat=True)


ISSUE_16 = [
    pytest.param(s_gpu_node_tainted, "ollama", "PodUnschedulableTaint", id="gpu-node-tainted"),
    pytest.param(s_failed_mount, "ollama", "KubernetesWarningEvent", id="failed-mount"),
    pytest.param(s_probe_on_ready_pod, "ollama", "KubernetesWarningEvent", id="probe-on-ready-pod"),
    pytest.param(s_access_secret_missing, "nextchat", "SecretMissing", id="access-secret-missing"),
]
ALL = [pytest.param(p.values[0], p.values[1], p.values[2], id=p.id) for p in SCENARIOS] + ISSUE_16


def check_properties(report: dict[str, Any]) -> None:
    every = findings(report)
    if any(f["code"] in GENERIC for f in every):
        assert report["phase"] not in ("Installing", "Ready"), report["phase"]
    for component in report["components"]:
        if any(f["severity"] == "error" for f in component["findings"]):
            assert component["state"] != "Ready", component
    for f in every:
        for text in (f["message"], f.get("fix") or {}):
            assert "<namespace>" not in "".join(text.values()), text
        for link in f.get("links") or []:
            assert link["kind"] in ("pod", "events", "logs") and link["namespace"] == NAMESPACE, link


@pytest.mark.parametrize(("setup", "component", "code"), ALL)
def test_every_scenario_keeps_the_report_consistent(scenario, setup, component: str, code: str) -> None:
    # Warm up: on a busy machine the first snapshot of a fresh stack can time out (and is cached briefly).
    wait_status(scenario, lambda r: r["phase"] == "Ready", timeout=60)
    setup(scenario)
    report = wait_status(scenario, lambda r: code in codes(r, component))
    assert code in codes(report, component), [f["evidence"] for f in findings(report)]
    check_properties(report)


def test_the_healthy_install_serves_a_summary(scenario) -> None:
    report = wait_status(scenario, lambda r: r["phase"] == "Ready")
    assert set(report["serving"]) == {"accelerator", "gpus", "contextLength", "numParallel", "maxLoadedModels",
                                      "memoryRequest", "memoryLimit"}
    assert report["serving"]["accelerator"] in ("cpu", "nvidia", "amd")
