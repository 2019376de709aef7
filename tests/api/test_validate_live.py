"""config/validate in a cluster: live checks on StorageClasses, the models PVC and node capacity.

The Flask app runs in-process against the loopback Kubernetes double seeded with the chart's
rendered objects plus a healthy install (one 31.5-CPU / 127 GiB node without GPUs, a default
StorageClass ``standard``, the 10 Gi models PVC bound).
"""

from __future__ import annotations

from typing import Any

import pytest
from deepseek_ext.api import create_app
from deepseek_ext.settings import API_PREFIX

from tests.doubles.kube import KubeDouble
from tests.stack import installed_objects, rendered

VALIDATE = f"{API_PREFIX}/config/validate"


@pytest.fixture(scope="module")
def healthy() -> list[dict[str, Any]]:
    return installed_objects(rendered(), ollama_ips=["127.0.1.1"])


@pytest.fixture
def kube(healthy):
    with KubeDouble(healthy) as double:
        yield double


@pytest.fixture
def live(kube, tmp_path):
    kubeconfig = kube.write_kubeconfig(tmp_path / "kubeconfig")
    app = create_app({"TESTING": True, "SETTINGS": {"cluster": {"kubeconfig": str(kubeconfig)}}})
    client = app.test_client()

    def validate(config: str) -> dict[str, Any]:
        r = client.post(VALIDATE, data=config, content_type="application/yaml")
        assert r.status_code == 200, r.data
        return r.get_json()

    return validate


def error(body: dict[str, Any], code: str) -> dict[str, Any]:
    found = [e for e in body["errors"] if e["code"] == code]
    assert found, body
    assert found[0]["message"]["en"] and found[0]["message"]["zh"] and found[0]["fix"]["zh"]
    return found[0]


def test_default_config_passes_the_live_checks(live):
    body = live("{}")
    assert body == {**body, "valid": True, "errors": [], "clusterChecks": True, "info": []}


def test_named_storage_class_must_exist_when_the_pvc_is_created(kube, live):
    kube.delete("PersistentVolumeClaim", "deepseek-models")
    found = error(live("backend: {persistence: {storageClass: fast-ssd}}"), "PvcStorageClassNotFound")
    assert found["path"] == "backend.persistence.storageClass"
    assert found["evidence"] == {"given": "fast-ssd", "allowed": ["standard"]}


def test_empty_storage_class_needs_a_default_one_when_the_pvc_is_created(kube, live):
    kube.delete("PersistentVolumeClaim", "deepseek-models")
    sc = kube.get("StorageClass", "standard")
    sc["metadata"]["annotations"] = {}
    kube.put(sc)
    found = error(live("{}"), "PvcNoDefaultStorageClass")
    assert found["evidence"]["allowed"] == ["standard"]


def test_existing_pvc_must_hold_the_models(live):
    found = error(live("backend: {models: ['deepseek-r1:32b']}"), "PvcTooSmall")
    assert found["path"] == "backend.persistence.size" and found["evidence"]["given"] == 10240


def test_existing_pvc_access_modes_cannot_change(live):
    found = error(live("backend: {persistence: {accessModes: [ReadWriteMany]}}"), "PvcAccessModeMismatch")
    assert found["evidence"]["allowed"] == ["ReadWriteOnce"] and found["evidence"]["given"] == ["ReadWriteMany"]


def test_some_node_must_fit_the_requests(kube, live):
    node = kube.get("Node", "node-1")
    node["status"]["allocatable"].update(cpu="4", memory="8Gi")
    kube.put(node)
    assert live("{}")["valid"] is True  # 1.5b fits a small node
    found = error(live("backend: {model: {tag: 14b}, persistence: {size: 50Gi}}"), "NoNodeFits")
    assert found["path"] == "backend.server.resources"
    assert found["evidence"]["nodes"]["node-1"].startswith("memory 8Gi < ")


def test_gpu_configs_need_a_node_with_that_gpu(live):
    found = error(live("backend: {enableNvidia: true}"), "NoNodeFits")
    assert found["evidence"]["nodes"]["node-1"] == "nvidia.com/gpu 0 < 1"


def test_gpu_memory_label_is_compared_with_memory_per_gpu(kube, live):
    node = kube.get("Node", "node-1")
    node["metadata"]["labels"]["nvidia.com/gpu.memory"] = "15360"  # a T4
    node["status"]["allocatable"]["nvidia.com/gpu"] = "1"
    kube.put(node)
    assert live("backend: {enableNvidia: true, gpu: {memoryPerGPU: 16Gi}}")["valid"] is False
    found = error(live("backend: {enableNvidia: true, gpu: {memoryPerGPU: 16Gi}}"), "NoNodeFits")
    assert "GPU memory 15360 MiB < 16Gi" in found["evidence"]["nodes"]["node-1"]
    assert live("backend: {enableNvidia: true, gpu: {memoryPerGPU: 15Gi}}")["valid"] is True


def test_node_selector_must_match_a_node(live):
    found = error(live("backend: {server: {nodeSelector: {accelerator: h100}}}"), "NodeSelectorMatchesNoNode")
    assert found["evidence"]["given"] == {"accelerator": "h100"}
    assert live("backend: {server: {nodeSelector: {kubernetes.io/os: linux}}}")["valid"] is True


def test_cluster_errors_skip_the_live_checks_with_a_note(kube, live):
    kube.fault(403, path="/api/v1/nodes")
    body = live("{}")
    assert body["valid"] is True and body["clusterChecks"] is False
    assert [f["code"] for f in body["info"]] == ["ClusterChecksSkipped"]
    assert "nodes" in body["info"][0]["message"]["en"]


def test_document_errors_come_first_and_skip_the_live_checks(live):
    body = live("backend: {model: {tag: 3b}}")
    assert body["valid"] is False and [e["code"] for e in body["errors"]] == ["UnknownModelTag"]
    assert body["clusterChecks"] is False
