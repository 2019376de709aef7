"""The gateway in every scenario render: ollama only via the gateway, NextChat only to the gateway."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

import pytest

from tests.helmtools import ROOT, containers, find, one, pod_spec, render

SCENARIOS = sorted((ROOT / "ci").glob("*-values.yaml"))
OLLAMA, CHAT = "deepseek-backend-server", "deepseek-backend-chat"


@pytest.fixture(scope="module", params=SCENARIOS, ids=[p.name.removesuffix("-values.yaml") for p in SCENARIOS])
def objects(request, chart: Path) -> list[dict]:
    return render(chart, values_files=[request.param])


def by_name(items: list[dict]) -> dict[str, dict]:
    return {c["name"]: c for c in items}


def test_ollama_binds_loopback_and_only_the_gateway_listens_on_the_pod(objects) -> None:
    deployment = one(objects, "Deployment", OLLAMA)
    pods = by_name(containers(deployment))
    env = {e["name"]: e.get("value") for e in pods["ollama"]["env"]}
    host, _, port = env["OLLAMA_HOST"].partition(":")
    assert host == "127.0.0.1"
    assert "ports" not in pods["ollama"]  # nothing of ollama's is published on the pod IP
    gateway = pods["gateway"]
    assert f"--ollama-url=http://127.0.0.1:{port}" in gateway["command"]
    assert {p["name"]: p["containerPort"] for p in gateway["ports"]} == {"http": 11434, "admin": 11435,
                                                                         "metrics": 9101}
    assert port not in {"11434", "11435", "9101"}
    # The Service (0.1.0 address) points at the gateway's port.
    service = one(objects, "Service", "deepseek-backend-server-service")
    assert [(p["port"], p["targetPort"]) for p in service["spec"]["ports"]] == [(11434, "http")]


def test_gateway_requires_keys_and_mounts_them(objects) -> None:
    gateway = by_name(containers(one(objects, "Deployment", OLLAMA)))["gateway"]
    assert "--no-require-key" not in gateway["command"]
    assert gateway["command"][:2] == ["deepseek-ext", "gateway"]
    mounts = {m["name"]: m["mountPath"] for m in gateway["volumeMounts"]}
    assert "--keys-file=" + mounts["gateway-keys"] in gateway["command"]
    assert "--admin-keys-file=" + mounts["gateway-admin"] in gateway["command"]
    volumes = {v["name"]: v for v in pod_spec(one(objects, "Deployment", OLLAMA))["volumes"]}
    assert volumes["gateway-keys"]["secret"]["secretName"] == "deepseek-gateway-keys"
    assert volumes["gateway-admin"]["secret"]["secretName"] == "deepseek-gateway-admin"
    sc = gateway["securityContext"]
    assert sc["readOnlyRootFilesystem"] is True and sc["allowPrivilegeEscalation"] is False
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert gateway[probe]["httpGet"]["port"] == "metrics"
    assert gateway["resources"]["limits"]["memory"]


def test_nextchat_reaches_the_gateway_with_its_own_key(objects) -> None:
    chat = containers(one(objects, "Deployment", CHAT))[0]
    env = {e["name"]: e for e in chat["env"]}
    assert env["BASE_URL"]["value"] == "http://deepseek-backend-server-service:11434"
    assert env["OPENAI_API_KEY"]["valueFrom"]["secretKeyRef"] == {"name": "deepseek-chat-gateway-key", "key": "key"}
    key = base64.b64decode(one(objects, "Secret", "deepseek-chat-gateway-key")["data"]["key"]).decode()
    keys = one(objects, "Secret", "deepseek-gateway-keys")
    assert base64.b64decode(keys["data"]["nextchat"]).decode() == "sha256:" + hashlib.sha256(key.encode()).hexdigest()
    for name in ("deepseek-gateway-keys", "deepseek-chat-gateway-key", "deepseek-gateway-admin"):
        assert one(objects, "Secret", name)["metadata"]["annotations"]["helm.sh/resource-policy"] == "keep"


def test_network_policies(objects) -> None:
    policies = {p["metadata"]["name"]: p["spec"] for p in find(objects, "NetworkPolicy")}
    ollama = policies[OLLAMA]
    assert ollama["podSelector"]["matchLabels"] == {"app": OLLAMA}
    open_rule, admin_rule = ollama["ingress"]
    assert {p["port"] for p in open_rule["ports"]} == {11434, 9101}
    assert [p["port"] for p in admin_rule["ports"]] == [11435]
    assert admin_rule["from"][0]["podSelector"]["matchLabels"]["app.kubernetes.io/component"] == "api"
    chat = policies[CHAT]
    assert chat["policyTypes"] == ["Egress"]
    dns, gateway = chat["egress"]
    assert {p["port"] for p in dns["ports"]} == {53} and "to" not in dns
    assert gateway["to"] == [{"podSelector": {"matchLabels": {"app": OLLAMA}}}]
    assert [p["port"] for p in gateway["ports"]] == [11434]


def test_api_pod_uses_the_admin_port_and_key(objects) -> None:
    api = one(objects, "Deployment", "deepseek-api")
    # The API and the manager call the admin port; the edge calls the gateway's app port (chat).
    readers = [c for c in containers(api) if c["name"] != "edge"]
    assert {c["name"] for c in readers} == {"api", "manager"}
    for container in readers:
        env = {e["name"]: e.get("value") for e in container["env"]}
        mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
        assert env["DEEPSEEK_OLLAMA_KEY_FILE"] == mounts["gateway-admin"] + "/manager"
    import json
    config = json.loads(one(objects, "ConfigMap", "deepseek-serving")["data"]["config.json"])
    assert config["ollamaAdminPort"] == 11435 and config["ollamaPort"] == 11434


def test_gateway_image_and_node_selector_follow_global(chart: Path) -> None:
    objects = render(chart, set_values={"global.imageRegistry": "registry.example.com:5000",
                                        "global.nodeSelector.zone": "a", "backend.gateway.requireKey": False,
                                        "backend.model.parallel": 4, "backend.gateway.tokensPerMinute": 5000})
    deployment = one(objects, "Deployment", OLLAMA)
    gateway = by_name(containers(deployment))["gateway"]
    assert gateway["image"] == "registry.example.com:5000/kubesphere/deepseek-extension-api:0.2.0"
    assert pod_spec(deployment)["nodeSelector"]["zone"] == "a"
    assert "--no-require-key" in gateway["command"]
    assert "--max-concurrent=3" in gateway["command"]  # 4 slots: one key gets at most 3
    assert "--key-max-concurrent=nextchat=4" in gateway["command"]
    assert "--tokens-per-minute=5000" in gateway["command"]


def test_gateway_values_are_closed(chart: Path) -> None:
    from tests.helmtools import HelmError

    with pytest.raises(HelmError):
        render(chart, set_values={"backend.gateway.requirekey": False})
