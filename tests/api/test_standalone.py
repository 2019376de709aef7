"""Without a kubeconfig every cluster endpoint answers 503 with how to connect; the others work."""

from __future__ import annotations

import pytest
from deepseek_ext.api import create_app
from deepseek_ext.settings import API_PREFIX


def _cluster_endpoints() -> list[tuple[str, str]]:
    app = create_app({"SETTINGS": {"cluster": {"kubeconfig": None, "in_cluster": False}}})
    found = []
    for rule in app.url_map.iter_rules():
        if getattr(app.view_functions[rule.endpoint], "_deepseek_cluster", False):
            path = rule.rule
            for arg in rule.arguments:
                path = path.replace(f"<path:{arg}>", "deepseek-r1:7b").replace(f"<{arg}>", "deepseek-r1:7b")
            found += [(m, path) for m in sorted(rule.methods or ()) if m not in ("HEAD", "OPTIONS")]
    return found


CLUSTER_ENDPOINTS = _cluster_endpoints()


def test_status_is_a_cluster_endpoint():
    assert ("GET", f"{API_PREFIX}/status") in CLUSTER_ENDPOINTS


@pytest.mark.parametrize(("method", "path"), CLUSTER_ENDPOINTS, ids=[f"{m} {p}" for m, p in CLUSTER_ENDPOINTS])
def test_cluster_endpoint_answers_503_with_how_to_connect(client, method, path):
    # An administrator through ks-apiserver, so write endpoints get past their user check.
    r = client.open(path, method=method, headers={"X-Remote-User": "admin", "Accept-Language": "zh"})
    assert r.status_code == 503, r.data
    body = r.get_json()
    assert body["code"] == "ClusterNotConfigured"
    assert "KUBECONFIG" in body["message"]["en"] and "KUBECONFIG" in body["message"]["zh"]
    assert body["reason"] and body["language"] == "zh"


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("GET", f"{API_PREFIX}/models", None),
        ("POST", f"{API_PREFIX}/config/validate", "{}"),
        ("POST", f"{API_PREFIX}/config/resolve", "{}"),
        ("GET", f"{API_PREFIX}/openapi.json", None),
    ],
)
def test_cluster_free_endpoints_work_standalone(client, method, path, data):
    r = client.open(path, method=method, data=data, content_type="application/json" if data else None)
    assert r.status_code == 200, r.data


def test_validate_standalone_says_live_checks_were_skipped(client):
    body = client.post(f"{API_PREFIX}/config/validate", data="{}", content_type="application/json").json
    assert body["valid"] is True and body["clusterChecks"] is False
    assert [f["code"] for f in body["info"]] == ["ClusterChecksSkipped"]


def test_models_standalone_have_no_cluster_state(client):
    body = client.get(f"{API_PREFIX}/models").json
    assert body["clusterState"] is False
    assert body["models"] and all(m["state"] is None for m in body["models"])
    first = body["models"][0]
    assert first["name"] == "deepseek-r1:1.5b"
    assert {s["accelerator"] for s in first["sizing"]} == {"cpu", "nvidia", "amd"}
    gpu = next(s for s in first["sizing"] if s["accelerator"] == "nvidia")
    assert gpu["gpuCount"] >= 1 and "nvidia.com/gpu" in gpu["limits"]
