"""One scenario per kind of problem in DESIGN.md "Status", through the real gunicorn server.

Each scenario changes the healthy install in the Kubernetes double (pod statuses, events, PVC
phase...), the ollama doubles or the manager's record, then asserts the finding's stable code,
its evidence (object kind, name, the field or event that shows it), that the message names the object
in both languages and a fix is present in English and in Chinese, and that Accept-Language picks the
language. Wording is the catalog's (tests/core/status renders every finding through it).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.api.conftest import codes, findings, wait_status

NOW = "2026-11-29T10:00:00Z"


# ----- builders --------------------------------------------------------------------------------
def ollama_pod(stack) -> dict[str, Any]:
    return next(p for p in stack.kube.objects("Pod") if p["metadata"]["labels"].get("app") == "deepseek-backend-server")


def chat_pod(stack) -> dict[str, Any]:
    return next(p for p in stack.kube.objects("Pod") if p["metadata"]["labels"].get("app") == "deepseek-backend-chat")


def event(kind: str, name: str, reason: str, message: str, type_: str = "Warning") -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {"name": f"{name}.{reason.lower()}", "namespace": "extension-deepseek"},
        "involvedObject": {"kind": kind, "name": name, "namespace": "extension-deepseek"},
        "reason": reason,
        "message": message,
        "type": type_,
        "count": 3,
        "firstTimestamp": NOW,
        "lastTimestamp": NOW,
        "source": {"component": "test"},
    }


def unschedulable(stack, message: str) -> None:
    pod = ollama_pod(stack)
    pod["status"] = {
        "phase": "Pending",
        "conditions": [
            {
                "type": "PodScheduled",
                "status": "False",
                "reason": "Unschedulable",
                "message": message,
                "lastTransitionTime": NOW,
            }
        ],
    }
    pod["spec"].pop("nodeName", None)
    stack.kube.put(pod)
    stack.kube.put(event("Pod", pod["metadata"]["name"], "FailedScheduling", message))


def waiting(stack, reason: str, message: str, *, last: dict[str, Any] | None = None, chat: bool = False) -> str:
    pod = chat_pod(stack) if chat else ollama_pod(stack)
    cs = pod["status"]["containerStatuses"][0]
    cs.update(ready=False, restartCount=5, state={"waiting": {"reason": reason, "message": message}})
    if last:
        cs["lastState"] = {"terminated": last}
    for cond in pod["status"]["conditions"]:
        if cond["type"] in ("Ready", "ContainersReady"):
            cond["status"] = "False"
    stack.kube.put(pod)
    return str(pod["metadata"]["name"])


def pending_pvc(stack, *, storage_class: str | None) -> dict[str, Any]:
    pvc = stack.kube.get("PersistentVolumeClaim", "deepseek-models")
    pvc["spec"].pop("volumeName", None)
    if storage_class is None:
        pvc["spec"].pop("storageClassName", None)
    else:
        pvc["spec"]["storageClassName"] = storage_class
    pvc["status"] = {"phase": "Pending"}
    stack.kube.put(pvc)
    return pvc


def serving(stack, **changes: Any) -> None:
    path = Path(stack.api.serving_dir / "config.json")
    config = json.loads(stack.serving_text)
    config.update(changes)
    path.write_text(json.dumps(config))


def model_record(stack, model: str, **fields: Any) -> None:
    record = {
        "model": model,
        "pods": [ollama_pod(stack)["metadata"]["name"]],
        "phase": "Failed",
        "completedBytes": 0,
        "totalBytes": 0,
        "percent": 0.0,
        "bytesPerSecond": 0.0,
        "etaSeconds": None,
        "attempts": 3,
        "started": NOW,
        "updated": NOW,
        "loadSeconds": None,
        **fields,
    }
    stack.kube.put(
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "deepseek-model-state", "namespace": "extension-deepseek"},
            "data": {"state.json": json.dumps({"models": {model: record}})},
        }
    )


def ingress(stack, *, host: str | None, address: bool) -> None:
    rule: dict[str, Any] = {
        "http": {
            "paths": [
                {
                    "path": "/",
                    "pathType": "Prefix",
                    "backend": {"service": {"name": "deepseek-backend-chat-service", "port": {"number": 3000}}},
                }
            ]
        }
    }
    if host:
        rule["host"] = host
    stack.kube.put(
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "Ingress",
            "metadata": {"name": "deepseek-backend-ingress", "namespace": "extension-deepseek"},
            "spec": {"rules": [rule]},
            "status": {"loadBalancer": {"ingress": [{"ip": "10.0.0.80"}] if address else []}},
        }
    )


# ----- scenarios: (id, setup(stack), component, code, expected evidence subset, named) --------------------
# ``named``: a value of the install (object, model, resource) the message must name in both languages;
# None: the object the evidence names. Never our wording: that lives in the catalog.
def s_no_default_sc(stack):
    pending_pvc(stack, storage_class=None)
    for sc in stack.kube.objects("StorageClass"):
        sc["metadata"]["annotations"] = {}
        stack.kube.put(sc)
    stack.kube.put(
        event(
            "PersistentVolumeClaim",
            "deepseek-models",
            "FailedBinding",
            "no persistent volumes available for this claim and no storage class is set",
            "Normal",
        )
    )


def s_access_mode(stack):
    pending_pvc(stack, storage_class="standard")
    stack.kube.put(
        event(
            "PersistentVolumeClaim",
            "deepseek-models",
            "ProvisioningFailed",
            'failed to provision volume with StorageClass "standard": NodePath only supports '
            "ReadWriteOnce and ReadWriteOncePod (1.22+) access modes",
        )
    )


def s_gpu(stack):
    unschedulable(
        stack,
        "0/3 nodes are available: 3 Insufficient nvidia.com/gpu. preemption: 0/3 nodes are "
        "available: 3 No preemption victims found for incoming pod.",
    )


def s_cpu(stack):
    unschedulable(stack, "0/2 nodes are available: 2 Insufficient cpu.")


def s_memory(stack):
    unschedulable(stack, "0/2 nodes are available: 2 Insufficient memory.")


def s_selector(stack):
    unschedulable(stack, "0/4 nodes are available: 4 node(s) didn't match Pod's node affinity/selector.")


def s_image(stack):
    waiting(stack, "ImagePullBackOff", 'Back-off pulling image "docker.io/ollama/ollama:0.32.15"')


def s_crash(stack):
    waiting(
        stack,
        "CrashLoopBackOff",
        "back-off 5m0s restarting failed container",
        last={
            "reason": "Error",
            "exitCode": 1,
            "message": "Error: listen tcp: bind: address already in use",
            "startedAt": NOW,
            "finishedAt": NOW,
        },
    )


def s_oom(stack):
    waiting(
        stack,
        "CrashLoopBackOff",
        "back-off 2m40s restarting failed container",
        last={"reason": "OOMKilled", "exitCode": 137, "startedAt": NOW, "finishedAt": NOW},
    )


def s_multi_attach(stack):
    pod = ollama_pod(stack)
    second = copy.deepcopy(pod)
    second["metadata"]["name"] = pod["metadata"]["name"] + "-new"
    second["metadata"].pop("uid", None)
    second["status"] = {
        "phase": "Pending",
        "conditions": [{"type": "PodScheduled", "status": "True"}],
        "containerStatuses": [
            {
                "name": "ollama",
                "ready": False,
                "restartCount": 0,
                "image": "x",
                "imageID": "",
                "state": {"waiting": {"reason": "ContainerCreating"}},
            }
        ],
    }
    stack.kube.put(second)
    stack.kube.put(
        event(
            "Pod",
            second["metadata"]["name"],
            "FailedAttachVolume",
            f'Multi-Attach error for volume "pvc-0001" Volume is already used by pod(s) {pod["metadata"]["name"]}',
        )
    )


def pull_failure(code: str) -> Callable[[Any], None]:
    def setup(stack):
        messages = {
            "RegistryUnreachable": "dial tcp: lookup registry.ollama.ai: no such host",
            "UnknownTag": "pull model manifest: file does not exist",
            "OllamaTooOld": "pull model manifest: 412: The model you are attempting to pull requires a "
            "newer version of Ollama.",
            "DiskFull": "write /models/blobs/sha256-abc-partial: no space left on device",
        }
        model_record(stack, "deepseek-r1:7b", lastError={"code": code, "message": messages[code]})
        serving(stack, model="deepseek-r1:7b", models=["deepseek-r1:7b"])

    return setup


def s_offline_missing(stack):
    serving(stack, model="deepseek-r1:7b", models=["deepseek-r1:7b"], pull=False)


def s_on_cpu(stack):
    serving(stack, accelerator="nvidia", gpuCount=1)
    stack.fleet.configure(vram_fraction=0.0)


def s_partly_gpu(stack):
    serving(stack, accelerator="nvidia", gpuCount=1)
    stack.fleet.configure(vram_fraction=0.6)


def s_ingress_no_host(stack):
    ingress(stack, host=None, address=True)


def s_ingress_no_address(stack):
    ingress(stack, host="deepseek.example.com", address=False)


def s_nextchat(stack):
    name = waiting(stack, "ContainerCreating", "", chat=True)
    pod = stack.kube.get("Pod", name)
    pod["status"]["containerStatuses"][0]["state"] = {"running": {"startedAt": NOW}}
    stack.kube.put(pod)
    dep = stack.kube.get("Deployment", "deepseek-backend-chat")
    dep["status"]["readyReplicas"] = 0
    stack.kube.put(dep)
    stack.kube.put(
        event(
            "Pod",
            name,
            "Unhealthy",
            'Readiness probe failed: Get "http://10.0.0.9:3000/api/config": connection refused',
        )
    )


def s_kube_down(stack):
    stack.kube.fault(500, path="/api/v1/namespaces/extension-deepseek/pods")


def s_kube_slow(stack):
    stack.kube.fault(0, delay=2.5, path="/api/v1/namespaces/extension-deepseek/events")


def s_kube_forbidden(stack):
    stack.kube.fault(403, path="/api/v1/nodes")


def s_ollama_slow(stack):
    stack.fleet.configure(delay_seconds=2.0)


def s_ollama_garbage(stack):
    stack.fleet.configure(garbage=True)


def s_no_serving_config(stack):
    Path(stack.api.serving_dir / "config.json").unlink()
    stack.kube.delete("ConfigMap", "deepseek-serving")


SCENARIOS = [
    pytest.param(
        s_no_default_sc,
        "storage",
        "PvcNoDefaultStorageClass",
        {"kind": "PersistentVolumeClaim", "name": "deepseek-models", "field": "spec.storageClassName"},
        None,
        id="pvc-no-default-storageclass",
    ),
    pytest.param(
        s_access_mode,
        "storage",
        "PvcAccessModeUnsupported",
        {"kind": "PersistentVolumeClaim", "name": "deepseek-models", "field": "spec.accessModes"},
        None,
        id="pvc-access-mode",
    ),
    pytest.param(
        s_gpu,
        "ollama",
        "PodUnschedulableGpu",
        {"kind": "Pod", "field": "status.conditions[PodScheduled]"},
        "nvidia.com/gpu",
        id="unschedulable-gpu",
    ),
    pytest.param(s_cpu, "ollama", "PodUnschedulableCpu", {"kind": "Pod"}, None, id="unschedulable-cpu"),
    pytest.param(s_memory, "ollama", "PodUnschedulableMemory", {"kind": "Pod"}, None, id="unschedulable-memory"),
    pytest.param(
        s_selector,
        "ollama",
        "PodUnschedulableNodeSelector",
        {"kind": "Pod", "field": "spec.nodeSelector"},
        None,
        id="unschedulable-node-selector",
    ),
    pytest.param(
        s_image,
        "ollama",
        "ImagePullFailed",
        {"kind": "Pod", "value": "ImagePullBackOff"},
        None,
        id="image-pull",
    ),
    pytest.param(
        s_crash,
        "ollama",
        "CrashLoop",
        {"kind": "Pod", "value": "CrashLoopBackOff", "exitCode": 1},
        None,
        id="crash-loop",
    ),
    pytest.param(s_oom, "ollama", "OomKilled", {"kind": "Pod", "value": "OOMKilled"}, None, id="oom-killed"),
    pytest.param(
        s_multi_attach,
        "ollama",
        "VolumeMultiAttach",
        {"kind": "Pod", "field": "volumes"},
        None,
        id="rwo-multi-attach",
    ),
    pytest.param(
        pull_failure("RegistryUnreachable"),
        "model",
        "ModelPullRegistryUnreachable",
        {"kind": "ConfigMap", "name": "deepseek-model-state", "value": "RegistryUnreachable"},
        "deepseek-r1:7b",
        id="pull-offline",
    ),
    pytest.param(
        pull_failure("UnknownTag"),
        "model",
        "ModelPullUnknownTag",
        {"kind": "ConfigMap", "value": "UnknownTag"},
        "deepseek-r1:7b",
        id="pull-unknown-tag",
    ),
    pytest.param(
        pull_failure("OllamaTooOld"),
        "model",
        "ModelPullOllamaTooOld",
        {"kind": "ConfigMap", "value": "OllamaTooOld"},
        "deepseek-r1:7b",
        id="pull-ollama-too-old",
    ),
    pytest.param(
        pull_failure("DiskFull"),
        "model",
        "ModelPullDiskFull",
        {"kind": "ConfigMap", "value": "DiskFull"},
        "deepseek-r1:7b",
        id="pull-disk-full",
    ),
    pytest.param(
        s_offline_missing,
        "model",
        "ModelMissingOffline",
        {
            "field": "GET /api/tags",
            "value": "absent",
            "manifest": "manifests/registry.ollama.ai/library/deepseek-r1/7b",
        },
        "deepseek-r1:7b",
        id="offline-missing",
    ),
    pytest.param(
        s_on_cpu,
        "model",
        "ModelOnCpu",
        {"kind": "Pod", "field": "GET /api/ps size_vram", "value": 0},
        None,
        id="model-on-cpu",
    ),
    pytest.param(
        s_partly_gpu,
        "model",
        "ModelPartlyOnGpu",
        {"kind": "Pod", "field": "GET /api/ps size_vram"},
        None,
        id="model-partly-on-gpu",
    ),
    pytest.param(
        s_ingress_no_host,
        "ingress",
        "IngressNoHost",
        {"kind": "Ingress", "name": "deepseek-backend-ingress", "field": "spec.rules[].host"},
        None,
        id="ingress-no-host",
    ),
    pytest.param(
        s_ingress_no_address,
        "ingress",
        "IngressNoAddress",
        {"kind": "Ingress", "field": "status.loadBalancer.ingress"},
        None,
        id="ingress-no-address",
    ),
    pytest.param(
        s_nextchat,
        "nextchat",
        "NextChatNotReady",
        {"kind": "Deployment", "name": "deepseek-backend-chat", "field": "status.readyReplicas", "value": 0},
        "Readiness probe failed",
        id="nextchat-not-ready",
    ),
    pytest.param(
        s_kube_down,
        "api",
        "KubernetesApiUnavailable",
        {"field": "pods"},
        "pods",
        id="kubernetes-api-down",
    ),
    pytest.param(s_kube_slow, "api", "KubernetesApiSlow", {"field": "events"}, "events", id="kubernetes-api-slow"),
    pytest.param(
        s_kube_forbidden,
        "api",
        "KubernetesApiForbidden",
        {"kind": "ServiceAccount", "name": "deepseek-api"},
        "nodes",
        id="kubernetes-api-forbidden",
    ),
    pytest.param(
        s_ollama_slow,
        "ollama",
        "OllamaSlow",
        {"kind": "Pod", "field": "GET /api/tags"},
        None,
        id="ollama-slow",
    ),
    pytest.param(
        s_ollama_garbage,
        "ollama",
        "OllamaUnreachable",
        {"kind": "Pod", "field": "GET /api/tags"},
        None,
        id="ollama-garbage",
    ),
    pytest.param(
        s_no_serving_config,
        "api",
        "ServingConfigMissing",
        {"kind": "ConfigMap", "name": "deepseek-serving", "field": "data.config.json"},
        None,
        id="serving-config-missing",
    ),
]


@pytest.mark.parametrize(("setup", "component", "code", "evidence", "named"), SCENARIOS)
def test_status_names_cause_evidence_and_fix(scenario, setup, component, code, evidence, named):
    setup(scenario)
    report = wait_status(scenario, lambda r: code in codes(r, component))
    assert code in codes(report, component), json.dumps(report, indent=1, ensure_ascii=False)
    finding = next(f for f in findings(report, component) if f["code"] == code)
    for key, value in evidence.items():
        assert finding["evidence"].get(key) == value, (key, finding["evidence"])
    named = named or finding["evidence"]["name"]
    assert named in finding["message"]["en"] and named in finding["message"]["zh"], (named, finding["message"])
    assert finding["message"]["zh"] and finding["message"]["zh"] != finding["message"]["en"]
    assert finding["fix"]["en"] and finding["fix"]["zh"] and finding["fix"]["zh"] != finding["fix"]["en"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in finding["message"]["zh"] + finding["fix"]["zh"])
    assert finding["severity"] in ("error", "warning")
    component_state = next(c["state"] for c in report["components"] if c["name"] == component)
    assert component_state == ("Failed" if finding["severity"] == "error" else "Degraded")
    if finding["severity"] == "error":
        assert report["phase"] in ("Failed", "Degraded", "Unknown")
    assert report["language"] == "en"
    zh = wait_status(scenario, lambda r: code in codes(r, component), lang="zh-CN,zh;q=0.9")
    assert zh["language"] == "zh" and code in codes(zh, component)


def test_healthy_install_is_ready_without_findings(scenario):
    report = wait_status(scenario, lambda r: r["phase"] == "Ready")
    assert report["phase"] == "Ready", json.dumps(report, indent=1)
    assert findings(report) == []
    assert [m["state"] for m in report["models"]] == ["loaded"]
    assert report["endpoints"]["ollama"].startswith("http://deepseek-backend-server-service.extension-deepseek.svc:")
    assert report["endpoints"]["openai"].endswith("/v1")


def test_pulling_model_phase_shows_the_managers_progress(scenario):
    model_record(
        scenario,
        "deepseek-r1:7b",
        phase="Pulling",
        completedBytes=1_000,
        totalBytes=4_000,
        percent=25.0,
        bytesPerSecond=500.0,
        etaSeconds=6,
    )
    serving(scenario, model="deepseek-r1:7b", models=["deepseek-r1:7b"])
    # The serving file is re-read at once, the record with the next snapshot: wait for both.
    report = wait_status(scenario, lambda r: r["phase"] == "PullingModel" and r["progress"] is not None)
    assert report["phase"] == "PullingModel"
    assert report["progress"] == {
        "model": "deepseek-r1:7b",
        "percent": 25.0,
        "completedBytes": 1000,
        "totalBytes": 4000,
        "bytesPerSecond": 500.0,
        "etaSeconds": 6.0,
    }
    assert report["models"][0]["state"] == "pulling"


def test_unknown_model_in_offline_mode_fails_the_phase(scenario):
    s_offline_missing(scenario)
    # Wait for the finding, not only the phase: a slow ollama under load also fails the phase.
    report = wait_status(scenario, lambda r: r["phase"] == "Failed" and "ModelMissingOffline" in codes(r, "model"))
    assert report["phase"] == "Failed"
    assert "ModelMissingOffline" in codes(report, "model")
    [finding] = findings(report, "model")
    assert all(finding["message"][lang] in report["message"][lang] for lang in ("en", "zh")), report["message"]
