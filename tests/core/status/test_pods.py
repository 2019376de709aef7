"""Pod rule: scheduler reasons, container states and volume events -> findings naming the workload's keys."""

from __future__ import annotations

from typing import Any

import pytest
from deepseek_ext.core.findings import Finding, FindingCode, Severity
from deepseek_ext.core.phases import Component
from deepseek_ext.core.status.pods import detect_pod_findings

from tests.core.status.builders import NAMESPACE, Expect, check_all, container, event, node, pod, started

# Upstream texts, verbatim (the source that prints each is cited beside it):
# kube-scheduler v1.30 pkg/scheduler/framework/plugins/tainttoleration/taint_toleration.go:
#   fmt.Sprintf("node(s) had untolerated taint {%s: %s}", taint.Key, taint.Value); noderesources/fit.go
#   "Insufficient %v"; framework/types.go FitError "0/%v nodes are available: %v." + the preemption part.
SITE_TAINT_GPU = (
    "0/3 nodes are available: 1 node(s) had untolerated taint {site: lab}, 2 Insufficient nvidia.com/gpu. "
    "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
)
PLAIN_TAINT = (
    "0/2 nodes are available: 2 node(s) had untolerated taint {dedicated: infra}. "
    "preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."
)
# volumebinding/binder.go ErrReasonNodeConflict: v1.29 text, and the v1.33 one.
VOLUME_CONFLICT_129 = (
    "0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, "
    "1 node(s) had volume node affinity conflict. preemption: 0/2 nodes are available: "
    "2 Preemption is not helpful for scheduling."
)
VOLUME_CONFLICT_133 = "0/3 nodes are available: 3 node(s) didn't match PersistentVolume's node affinity."
# cluster-autoscaler 1.30 core/scaleup/orchestrator/executor.go: "pod triggered scale-up: %v";
# core/static_autoscaler.go (filterOutSchedulable/eventing): "pod didn't trigger scale-up: %s".
SCALE_UP = "pod triggered scale-up: [{gpu-pool 1->2 (max: 5)}]"
NO_SCALE_UP = "pod didn't trigger scale-up: 1 max node group size reached"
# kubelet v1.29 pkg/kubelet/images/image_manager.go: the waiting message is only
# fmt.Sprintf("Back-off pulling image %q", image); the cause is the event
# fmt.Sprintf("Failed to pull image %q: %v", image, err) (reason Failed). containerd v1.7
# pkg/cri/server/image_pull.go: "failed to pull and unpack image %q: %w", "failed to resolve reference
# %q: %w"; remotes/docker/resolver.go: "%s: not found" (errdefs.ErrNotFound) and "pull access denied,
# repository does not exist or may require authorization: server message: %s".
WRONG_TAG = "docker.io/ollama/ollama:0.99.0"
NOT_FOUND = (
    f'rpc error: code = NotFound desc = failed to pull and unpack image "{WRONG_TAG}": failed to resolve '
    f'reference "{WRONG_TAG}": {WRONG_TAG}: not found'
)
PINNED = "docker.io/ollama/ollama@sha256:" + "0" * 64
DIGEST_NOT_FOUND = (
    f'rpc error: code = NotFound desc = failed to pull and unpack image "{PINNED}": failed to resolve '
    f'reference "{PINNED}": {PINNED}: not found'
)
DENIED = (
    'failed to pull and unpack image "registry.local/ollama/ollama:0.32.15": failed to resolve reference '
    '"registry.local/ollama/ollama:0.32.15": pull access denied, repository does not exist or may require '
    "authorization: server message: insufficient_scope: authorization failed"
)
UNREACHABLE = (
    'failed to pull and unpack image "docker.io/ollama/ollama:0.32.15": failed to resolve reference '
    '"docker.io/ollama/ollama:0.32.15": failed to do request: Head '
    '"https://registry-1.docker.io/v2/ollama/ollama/manifests/0.32.15": dial tcp 54.227.20.253:443: i/o timeout'
)
# kubelet v1.30 pkg/kubelet/kubelet_pods.go makeEnvironmentVariables: the Secret's NotFound error
# (`secret "<name>" not found`, apimachinery errors.NewNotFound) or
# fmt.Errorf("couldn't find key %v in Secret %v/%v", key, namespace, name).
SECRET_NOT_FOUND = 'secret "deepseek-chat-access" not found'
KEY_NOT_FOUND = "couldn't find key code in Secret ns-under-test/team-codes"
# attach-detach controller (pkg/volume/util/operationexecutor): reason FailedAttachVolume,
# `Multi-Attach error for volume "<pv>" Volume is already exclusively attached to one node and can't be
# attached to another`.
MULTI_ATTACH = (
    'Multi-Attach error for volume "pvc-1" Volume is already exclusively attached to one node and '
    "can't be attached to another"
)


def with_claim(p: dict[str, Any], claim: str = "deepseek-models") -> dict[str, Any]:
    p["spec"]["volumes"] = [{"name": "models", "persistentVolumeClaim": {"claimName": claim}}]
    return p


def on_node(p: dict[str, Any], node_name: str, namespace: str = "other") -> dict[str, Any]:
    p["spec"]["nodeName"] = node_name
    p["metadata"]["namespace"] = namespace
    return p


GPU_NODE_WITH_SITE_TAINT = node("gpu-0", gpus=1, taints=[{"key": "site", "value": "lab", "effect": "NoSchedule"}])

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
                params={"requested": "32", "largest": "16", "requestKey": "backend.server.resources.requests.cpu",
                        "node": "big", "free": "16", "allocatable": "16"},
                evidence={"value": "32", "event": "0/2 nodes are available: 2 Insufficient cpu."},
                message_key="finding.PodUnschedulableCpu.withFree",
                fix_key="finding.PodUnschedulableCpu.withFree.fix",
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
                params={"requested": "128.0Gi", "largest": "64Gi", "free": "64.0Gi",
                        "requestKey": "backend.chat.resources.requests.memory"},
                message_key="finding.PodUnschedulableMemory.withFree",
                fix_key="finding.PodUnschedulableMemory.withFree.fix",
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
    # --- issue 16: diagnosis from the cluster's evidence ---------------------------------------------
    pytest.param(
        {"pods": [pod("ollama-0", unschedulable=SITE_TAINT_GPU, limits={"nvidia.com/gpu": "1"})],
         "nodes": [GPU_NODE_WITH_SITE_TAINT, node("cpu-a"), node("cpu-b")]},
        [Expect(FindingCode.POD_UNSCHEDULABLE_TAINT, Severity.ERROR, path="backend.server.tolerations",
                params={"nodes": ["gpu-0"], "taints": ["site=lab:NoSchedule"], "node": "gpu-0", "taintKey": "site",
                        "effect": "NoSchedule", "tolerationsKey": "backend.server.tolerations"})],
        id="the only GPU node has a site taint: the taint and the tolerations key, not more GPUs",
    ),
    pytest.param(
        {"pods": [pod("ollama-0", unschedulable=SITE_TAINT_GPU, limits={"nvidia.com/gpu": "1"})],
         "nodes": [GPU_NODE_WITH_SITE_TAINT, node("gpu-1", gpus=1)]},
        [Expect(FindingCode.POD_UNSCHEDULABLE_GPU, Severity.ERROR, path="backend.model.tag")],
        id="one GPU node tainted, another without a free GPU: still no GPU",
    ),
    pytest.param(
        {"pods": [pod("chat-0", app="deepseek-backend-chat", unschedulable=PLAIN_TAINT)],
         "nodes": [node(n, taints=[{"key": "dedicated", "value": "infra", "effect": "NoSchedule"}]) for n in "ab"],
         "component": Component.NEXTCHAT, "key": "backend.chat"},
        [Expect(FindingCode.POD_UNSCHEDULABLE_TAINT, Severity.ERROR, path=None,
                params={"nodes": ["a", "b"], "taint": "dedicated=infra:NoSchedule"},
                fix_key="finding.PodUnschedulableTaint.noKey.fix")],
        id="a plain taint on every node: NextChat's fix is the taint command",
    ),
    pytest.param(
        {"pods": [with_claim(pod("ollama-0", unschedulable=VOLUME_CONFLICT_129))]},
        [Expect(FindingCode.VOLUME_NODE_AFFINITY_CONFLICT, Severity.ERROR, path="backend.persistence.storageClass",
                params={"pvc": "deepseek-models", "namespace": NAMESPACE})],
        id="PV pinned to a lost node (kube-scheduler 1.29 text)",
    ),
    pytest.param(
        {"pods": [with_claim(pod("ollama-0", unschedulable=VOLUME_CONFLICT_133))]},
        [Expect(FindingCode.VOLUME_NODE_AFFINITY_CONFLICT, Severity.ERROR, path="backend.persistence.storageClass",
                params={"pvc": "deepseek-models"})],
        id="PV pinned to a lost node (kube-scheduler 1.33 text)",
    ),
    pytest.param(
        {"pods": [pod("ollama-0", unschedulable=INSUFFICIENT_GPU, limits={"nvidia.com/gpu": "1"})],
         "events": [event("Pod", "ollama-0", "TriggeredScaleUp", SCALE_UP, at="2026-01-01T00:00:05Z")]},
        [Expect(FindingCode.SCALE_UP_TRIGGERED, Severity.INFO, params={"detail": SCALE_UP})],
        id="autoscaler adds a node: a note, not an error",
    ),
    pytest.param(
        {"pods": [pod("ollama-0", unschedulable=INSUFFICIENT_GPU, limits={"nvidia.com/gpu": "1"})],
         "events": [event("Pod", "ollama-0", "TriggeredScaleUp", SCALE_UP, at="2026-01-01T00:00:05Z"),
                    event("Pod", "ollama-0", "NotTriggerScaleUp", NO_SCALE_UP, at="2026-01-01T00:10:00Z")]},
        [Expect(FindingCode.POD_UNSCHEDULABLE_GPU, Severity.ERROR, path="backend.model.tag")],
        id="autoscaler gave up since: unschedulable again",
    ),
    pytest.param(
        {"pods": [on_node(pod("ollama-0", unschedulable="0/1 nodes are available: 1 Insufficient memory.",
                              requests={"memory": "6656Mi"}), "", NAMESPACE)],
         "visible_pods": [on_node(pod("etcd-backup", requests={"memory": "2Gi"}), "node-a")],
         "nodes": [node("node-a", memory="7901008Ki")]},
        [Expect(FindingCode.POD_UNSCHEDULABLE_MEMORY, Severity.ERROR, path="backend.server.resources",
                params={"requested": "6.5Gi", "node": "node-a", "free": "5.5Gi", "allocatable": "7.5Gi",
                        "held": "2.0Gi", "holders": ["other/etcd-backup 2.0Gi"]},
                message_key="finding.PodUnschedulableMemory.withFree",
                fix_key="finding.PodUnschedulableMemory.withFree.fix")],
        id="free, not allocatable, in Gi (not 7901008Ki)",
    ),
    pytest.param(
        {"pods": [pod("ollama-0", ready=False, containers=[
            container(waiting="ImagePullBackOff", message=f'Back-off pulling image "{WRONG_TAG}"', image=WRONG_TAG)])],
         "events": [event("Pod", "ollama-0", "Failed", f'Failed to pull image "{WRONG_TAG}": {NOT_FOUND}'),
                    event("Pod", "ollama-0", "BackOff", f'Back-off pulling image "{WRONG_TAG}"')]},
        [Expect(FindingCode.IMAGE_PULL_FAILED, Severity.ERROR, path="backend.server.image.tag",
                params={"detail": f'Failed to pull image "{WRONG_TAG}": {NOT_FOUND}',
                        "key": "backend.server.image.tag"},
                evidence={"cause": "tag"}, fix_key="finding.ImagePullFailed.tag.fix")],
        id="kubelet 1.29: the cause from the Failed event; a wrong tag names the tag key",
    ),
    pytest.param(
        {"pods": [pod("ollama-0", ready=False, containers=[
            container(waiting="ErrImagePull", message=DIGEST_NOT_FOUND, image=PINNED)])]},
        [Expect(FindingCode.IMAGE_PULL_FAILED, Severity.ERROR, path="backend.server.image.digest",
                evidence={"cause": "digest"}, fix_key="finding.ImagePullFailed.digest.fix")],
        id="a digest pin that does not exist names the digest key",
    ),
    pytest.param(
        {"pods": [pod("ollama-0", ready=False, containers=[container(waiting="ErrImagePull", message=DENIED)])]},
        [Expect(FindingCode.IMAGE_PULL_FAILED, Severity.ERROR, path="backend.server.image.pullSecrets",
                evidence={"cause": "auth"}, fix_key="finding.ImagePullFailed.auth.fix")],
        id="pull access denied names the pull secrets",
    ),
    pytest.param(
        {"pods": [pod("ollama-0", ready=False, containers=[container(waiting="ErrImagePull", message=UNREACHABLE)])]},
        [Expect(FindingCode.IMAGE_PULL_FAILED, Severity.ERROR, path="global.imageRegistry",
                evidence={"cause": "registry"}, fix_key="finding.ImagePullFailed.registry.fix")],
        id="registry unreachable names global.imageRegistry",
    ),
    pytest.param(
        {"pods": [pod("chat-0", app="deepseek-backend-chat", ready=False, containers=[
            container("nextchat", waiting="CreateContainerConfigError", message=SECRET_NOT_FOUND)])],
         "component": Component.NEXTCHAT, "key": "backend.chat", "access_code_secret": "deepseek-chat-access"},
        [Expect(FindingCode.SECRET_MISSING, Severity.ERROR, path="backend.chat.accessCodeSecret",
                params={"secret": "deepseek-chat-access", "dataKey": "code", "namespace": NAMESPACE},
                fix_key="finding.SecretMissing.accessCode.fix")],
        id="missing access-code Secret names backend.chat.accessCodeSecret",
    ),
    pytest.param(
        {"pods": [pod("chat-0", app="deepseek-backend-chat", ready=False, containers=[
            container("nextchat", waiting="CreateContainerConfigError", message=KEY_NOT_FOUND)])],
         "component": Component.NEXTCHAT, "key": "backend.chat", "access_code_secret": "team-codes"},
        [Expect(FindingCode.SECRET_MISSING, Severity.ERROR, path="backend.chat.accessCodeSecret",
                params={"secret": "team-codes", "dataKey": "code"}, fix_key="finding.SecretMissing.accessCode.fix")],
        id="the access-code Secret lacks its key",
    ),
    pytest.param(
        {"pods": [pod("ollama-0", ready=False, containers=[
            container(waiting="CreateContainerConfigError", message='secret "registry-auth" not found')])]},
        [Expect(FindingCode.SECRET_MISSING, Severity.ERROR, path=None, params={"secret": "registry-auth"})],
        id="another missing Secret: the command, no chat key",
    ),
    # --- issue 16: time --------------------------------------------------------------------------------
    pytest.param(
        {"pods": [started(pod("ollama-1", containers=[container()]), "2026-01-01T00:45:00Z",
                          ready_at="2026-01-01T00:46:00Z")],
         "events": [event("Pod", "ollama-1", "FailedAttachVolume", MULTI_ATTACH, at="2026-01-01T00:00:00Z")]},
        [],
        id="Multi-Attach 45 minutes ago, the pod Running and Ready now: nothing",
    ),
    pytest.param(
        {"pods": [started(pod("ollama-1", ready=False, containers=[container()]), "2026-01-01T00:45:00Z")],
         "events": [event("Pod", "ollama-1", "FailedAttachVolume", MULTI_ATTACH, at="2026-01-01T00:00:00Z")]},
        [],
        id="Multi-Attach older than the running container: an earlier attempt",
    ),
]


@pytest.mark.parametrize(("case", "expected"), CASES)
def test_pod_rule(case: dict[str, Any], expected: list[Expect]) -> None:
    check_all(run(case), expected)
