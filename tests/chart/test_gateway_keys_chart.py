"""The console key, the API's Secret access and the keys Secret across upgrades (issue 12, 14)."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from tests.chart.test_pvc_lookup import _render_against, emulator  # noqa: F401  (fixture)
from tests.helmtools import NAMESPACE, containers, find, one, pod_spec, render

OLLAMA = "deepseek-backend-server"


@pytest.fixture(scope="module")
def objects(chart: Path) -> list[dict]:
    return render(chart)


def test_gateway_reads_the_console_key_last_and_trusts_only_it(objects) -> None:
    gateway = next(c for c in containers(one(objects, "Deployment", OLLAMA)) if c["name"] == "gateway")
    command = gateway["command"]
    mounts = {m["name"]: m["mountPath"] for m in gateway["volumeMounts"]}
    key_files = [a for a in command if a.startswith("--keys-file=")]
    # Last: a kubectl-added `console` entry in the keys Secret never replaces the console's key.
    assert key_files == ["--keys-file=" + mounts["gateway-keys"], "--keys-file=" + mounts["gateway-console"]]
    assert "--trusted-proxy-keys=console" in command
    assert "--max-concurrent-per-user=2" in command
    volumes = {v["name"]: v for v in pod_spec(one(objects, "Deployment", OLLAMA))["volumes"]}
    console = volumes["gateway-console"]["secret"]
    assert console["secretName"] == "deepseek-gateway-console"
    assert console["items"] == [{"key": "key", "path": "console"}]  # the entry's name is the key's name


def test_console_secret_is_generated_and_kept(objects) -> None:
    secret = one(objects, "Secret", "deepseek-gateway-console")
    assert secret["metadata"]["annotations"]["helm.sh/resource-policy"] == "keep"
    key = base64.b64decode(secret["data"]["key"]).decode()
    assert len(key) == 48 and key.isalnum()


def test_only_the_edge_gets_the_console_key_file(objects) -> None:
    api = one(objects, "Deployment", "deepseek-api")
    # The chat route lives in the edge; gunicorn and the manager never hold the console key.
    for other in (c for c in containers(api) if c["name"] != "edge"):
        assert "gateway-console" not in {m["name"] for m in other.get("volumeMounts") or []}, other["name"]
        assert "DEEPSEEK_GATEWAY_CONSOLE_KEY_FILE" not in {e["name"] for e in other.get("env") or []}
    container = next(c for c in containers(api) if c["name"] == "edge")
    env = {e["name"]: e.get("value") for e in container["env"]}
    mounts = {m["name"]: m["mountPath"] for m in container["volumeMounts"]}
    assert env["DEEPSEEK_GATEWAY_CONSOLE_KEY_FILE"] == "/etc/deepseek/gateway-console/key"
    assert env["DEEPSEEK_GATEWAY_CONSOLE_KEY_FILE"] == mounts["gateway-console"] + "/key"
    volumes = {v["name"]: v for v in pod_spec(api)["volumes"]}
    assert volumes["gateway-console"]["secret"] == {"secretName": "deepseek-gateway-console", "optional": True}


@pytest.mark.parametrize("values, access_secret", [({}, "deepseek-chat-access"),
                                                   ({"backend.chat.accessCodeSecret": "my-code"}, "my-code")])
def test_api_reads_secrets_by_resource_name_only(chart: Path, values, access_secret) -> None:
    objects = render(chart, set_values=values)
    secret_rules = [(tuple(r.get("resourceNames") or ()), tuple(r["verbs"]))
                    for kind in ("Role", "ClusterRole") for o in find(objects, kind) for r in o["rules"]
                    if "secrets" in r["resources"]]
    assert sorted(secret_rules) == sorted([(("deepseek-gateway-keys",), ("get", "patch")),
                                           ((access_secret,), ("get",))])
    binding = one(objects, "RoleBinding", "deepseek-api-secrets")
    assert binding["roleRef"]["name"] == "deepseek-api-secrets"
    assert binding["subjects"] == [{"kind": "ServiceAccount", "name": "deepseek-api", "namespace": NAMESPACE}]


def test_per_user_limit_follows_values(chart: Path) -> None:
    def command(**values: object) -> list[str]:
        objects = render(chart, set_values={"backend.model.parallel": 4, **values})
        return next(c for c in containers(one(objects, "Deployment", OLLAMA)) if c["name"] == "gateway")["command"]

    assert "--max-concurrent-per-user=5" in command(**{"backend.gateway.maxConcurrentPerUser": 5})
    assert "--max-concurrent-per-user=3" in command(**{"backend.gateway.maxConcurrentPerUser": 0})  # = per key


@pytest.mark.asyncio
async def test_keys_their_annotation_and_the_console_key_survive_an_upgrade(
    emulator, chart: Path, tmp_path: Path  # noqa: F811
) -> None:
    console = base64.b64encode(b"the-console-key").decode()
    info = '{"ci-bot": {"createdAt": "2026-01-01T00:00:00Z", "createdBy": "admin"}}'
    emulator.objects["v1/secrets", NAMESPACE, "deepseek-gateway-console"] = {
        "apiVersion": "v1", "kind": "Secret", "type": "Opaque",
        "metadata": {"name": "deepseek-gateway-console", "namespace": NAMESPACE}, "data": {"key": console},
    }
    digest = base64.b64encode(b"sha256:" + b"0" * 64).decode()
    emulator.objects["v1/secrets", NAMESPACE, "deepseek-gateway-keys"] = {
        "apiVersion": "v1", "kind": "Secret", "type": "Opaque",
        "metadata": {"name": "deepseek-gateway-keys", "namespace": NAMESPACE,
                     "annotations": {"deepseek.kubesphere.io/keys": info}},
        "data": {"ci-bot": digest},
    }
    objects = await _render_against(emulator, chart, tmp_path)
    assert one(objects, "Secret", "deepseek-gateway-console")["data"]["key"] == console
    keys = one(objects, "Secret", "deepseek-gateway-keys")
    assert keys["data"]["ci-bot"] == digest and "nextchat" in keys["data"]
    assert keys["metadata"]["annotations"]["deepseek.kubesphere.io/keys"] == info
