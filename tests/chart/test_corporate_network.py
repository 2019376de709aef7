"""Corporate networks: proxy, CA bundle and extra environment for ollama (charts/backend/templates/_network.tpl).

ollama is a Go program: its registry downloads honour HTTPS_PROXY/HTTP_PROXY/NO_PROXY (Go
net/http ProxyFromEnvironment; NO_PROXY takes hosts, `.domain` suffixes and CIDRs) and trust the
roots of the default bundle plus every file in SSL_CERT_DIR (crypto/x509 root_unix.go).
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from tests.chart.checks import kubernetes_schema_problems
from tests.helmtools import KUBE_VERSIONS, ROOT, HelmError, containers, one, pod_spec, render

OLLAMA = "deepseek-backend-server"
CA_DIR = "/etc/deepseek/ca-certificates"


def _render(chart: Path, tmp_path: Path, server: dict) -> list[dict]:
    values = tmp_path / "values.yaml"
    values.write_text(yaml.safe_dump({"backend": {"server": server}}))
    objects = render(chart, values_files=[values])
    for version in KUBE_VERSIONS:
        assert kubernetes_schema_problems(objects, version) == []
    return objects


def _ollama(objects: list[dict]) -> tuple[dict, dict]:
    deployment = one(objects, "Deployment", OLLAMA)
    container = next(c for c in containers(deployment) if c["name"] == "ollama")
    return pod_spec(deployment), container


def _env(container: dict) -> dict[str, dict]:
    names = [e["name"] for e in container["env"]]
    assert len(names) == len(set(names)), f"duplicate env names: {names}"
    return {e["name"]: e for e in container["env"]}


def test_by_default_no_proxy_no_ca_no_extra_env(chart: Path, tmp_path: Path) -> None:
    spec, container = _ollama(_render(chart, tmp_path, {}))
    env = _env(container)
    assert not {"HTTPS_PROXY", "HTTP_PROXY", "NO_PROXY", "SSL_CERT_DIR", "SSL_CERT_FILE"} & set(env)
    assert "ca-certificates" not in {v["name"] for v in spec["volumes"]}


def test_https_proxy_with_no_proxy_covering_the_cluster(chart: Path, tmp_path: Path) -> None:
    _, container = _ollama(_render(chart, tmp_path, {"proxy": {"httpsProxy": "http://proxy.corp:3128"}}))
    env = _env(container)
    assert env["HTTPS_PROXY"]["value"] == "http://proxy.corp:3128"
    assert "HTTP_PROXY" not in env
    no_proxy = env["NO_PROXY"]["value"].split(",")
    # Loopback, in-cluster names, this namespace, and the default (KubeKey) service and pod ranges.
    for entry in ("localhost", "127.0.0.1", "::1", ".svc", ".cluster.local", ".extension-deepseek",
                  "10.233.0.0/18", "10.233.64.0/18"):
        assert entry in no_proxy, entry


def test_own_no_proxy_list_replaces_the_default_ranges_but_not_the_fixed_part(chart: Path, tmp_path: Path) -> None:
    server = {"proxy": {"httpsProxy": "http://p:3128", "httpProxy": "http://p:3128",
                        "noProxy": ["10.96.0.0/12", "192.168.0.0/16", ".corp.example", ".svc"]}}
    env = _env(_ollama(_render(chart, tmp_path, server))[1])
    assert env["HTTP_PROXY"]["value"] == "http://p:3128"
    no_proxy = env["NO_PROXY"]["value"].split(",")
    assert no_proxy == ["localhost", "127.0.0.1", "::1", ".svc", ".cluster.local", ".extension-deepseek",
                        "10.96.0.0/12", "192.168.0.0/16", ".corp.example"]


@pytest.mark.parametrize("source", ["configMap", "secret"])
def test_ca_bundle_is_mounted_and_added_to_the_image_roots(chart: Path, tmp_path: Path, source: str) -> None:
    spec, container = _ollama(_render(chart, tmp_path, {"caBundle": {source: "corporate-ca", "key": "corp.pem"}}))
    # SSL_CERT_DIR keeps the image's /etc/ssl/certs; SSL_CERT_FILE would replace the public roots.
    assert _env(container)["SSL_CERT_DIR"]["value"] == f"/etc/ssl/certs:{CA_DIR}"
    assert "SSL_CERT_FILE" not in _env(container)
    mount = next(m for m in container["volumeMounts"] if m["name"] == "ca-certificates")
    assert mount == {"name": "ca-certificates", "mountPath": CA_DIR, "readOnly": True}
    volume = next(v for v in spec["volumes"] if v["name"] == "ca-certificates")
    ref = volume["configMap"] if source == "configMap" else volume["secret"]
    assert ref.get("name", ref.get("secretName")) == "corporate-ca"
    assert ref["items"] == [{"key": "corp.pem", "path": "ca.crt"}]


def test_extra_env_comes_last_as_strings(chart: Path, tmp_path: Path) -> None:
    server = {"extraEnv": [
        {"name": "OLLAMA_DEBUG", "value": 1},
        {"name": "OLLAMA_ORIGINS", "value": True},
        {"name": "OLLAMA_REGISTRY_TOKEN", "valueFrom": {"secretKeyRef": {"name": "reg", "key": "token"}}},
    ]}
    container = _ollama(_render(chart, tmp_path, server))[1]
    env = _env(container)
    assert env["OLLAMA_DEBUG"] == {"name": "OLLAMA_DEBUG", "value": "1"}
    assert env["OLLAMA_ORIGINS"]["value"] == "true"
    assert env["OLLAMA_REGISTRY_TOKEN"]["valueFrom"]["secretKeyRef"] == {"name": "reg", "key": "token"}
    assert [e["name"] for e in container["env"]][-3:] == ["OLLAMA_DEBUG", "OLLAMA_ORIGINS", "OLLAMA_REGISTRY_TOKEN"]


@pytest.mark.parametrize("name", ["OLLAMA_CONTEXT_LENGTH", "OLLAMA_MODELS", "HOME", "NO_PROXY"])
def test_extra_env_may_not_shadow_what_the_chart_sets(chart: Path, tmp_path: Path, name: str) -> None:
    server = {"proxy": {"httpsProxy": "http://p:3128"},
              "extraEnv": [{"name": "A", "value": "x"}, {"name": name, "value": "1"}]}
    with pytest.raises(HelmError) as error:
        _render(chart, tmp_path, server)
    assert f"backend.server.extraEnv[1].name: {name} " in str(error.value)


def test_two_ca_sources_are_refused_by_the_chart_with_the_way_out(chart: Path, tmp_path: Path) -> None:
    # The chart, not the schema, refuses it: helm's schema error would only say "'not' failed".
    with pytest.raises(HelmError) as error:
        _render(chart, tmp_path, {"caBundle": {"configMap": "a", "secret": "b"}})
    assert "backend.server.caBundle: " in str(error.value)


SCHEMA = json.loads((ROOT / "values.schema.json").read_text())


@pytest.mark.parametrize("server", [
    pytest.param({"proxy": {"httpsProxy": "proxy.corp:3128"}}, id="proxy without scheme"),
    pytest.param({"proxy": {"httpsProxy": "http://a, http://b"}}, id="two proxies"),
    pytest.param({"proxy": {"noProxy": "10.0.0.0/8"}}, id="noProxy not a list"),
    pytest.param({"proxy": {"noProxy": ["a,b"]}}, id="noProxy entry with a comma"),
    pytest.param({"proxy": {"https": "http://p:3128"}}, id="unknown proxy key"),
    pytest.param({"caBundle": {"configMap": "Corp_CA"}}, id="ConfigMap name not DNS"),
    pytest.param({"extraEnv": [{"value": "1"}]}, id="env without name"),
    pytest.param({"extraEnv": [{"name": "1X", "value": "1"}]}, id="env name starts with a digit"),
    pytest.param({"extraEnv": [{"name": "A", "value": "1", "valueFrom": {}}]}, id="value and valueFrom"),
    pytest.param({"extraEnv": {"A": "1"}}, id="extraEnv as a map"),
])
def test_schema_refuses_malformed_network_settings(server: dict) -> None:
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"backend": {"server": server}}, SCHEMA)


def test_schema_accepts_the_documented_example() -> None:
    example = {"proxy": {"httpsProxy": "http://proxy.example.com:3128", "noProxy": ["10.96.0.0/12", ".corp"]},
               "caBundle": {"configMap": "corporate-ca", "key": "ca.crt"},
               "extraEnv": [{"name": "OLLAMA_DEBUG", "value": "1"}]}
    jsonschema.validate({"backend": {"server": example}}, SCHEMA)
