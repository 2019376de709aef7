"""Every value KubeSphere injects renders valid objects, whatever YAML type `--set` gives it.

ks-core installs the extension with `helm upgrade --install ... --set <overrides>`
(kubesphere release-4.1 pkg/controller/core/installplan_controller.go:1199-1257, getOverrides):
`tags.extension`, `tags.agent`, `global.portal.url`, `global.imageRegistry`,
`global.nodeSelector.<key>=<value>` (dots in the key escaped), and the four
`global.extension.ingress.*` values when a domain suffix is configured. `--set` parses `true` as a
bool and `1` as an int, and Kubernetes takes only strings in a nodeSelector. The overrides are
passed here exactly as ks-core writes them (plain `--set`, never `--set-string`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.chart.checks import kubernetes_schema_problems, workloads
from tests.helmtools import KUBE_VERSIONS, containers, pod_spec, render
from tests.kube_resources import is_kubesphere_kind, validate_custom_resource

HOST_RELEASE = ["tags.extension=true", "tags.agent=false"]
INGRESS = ["global.extension.ingress.ingressClassName=nginx",
           "global.extension.ingress.domainSuffix=192.168.0.10.nip.io",
           "global.extension.ingress.httpPort=80", "global.extension.ingress.httpsPort=443"]

CASES = {
    "nodeSelector bool": ["global.nodeSelector.gpu=true"],
    "nodeSelector int": ["global.nodeSelector.zone=1"],
    "nodeSelector dotted key": [r"global.nodeSelector.kubernetes\.io/arch=amd64"],
    "nodeSelector empty value": [r"global.nodeSelector.node-role\.kubernetes\.io/worker="],
    "everything ks-core injects": [
        *HOST_RELEASE, "global.portal.url=http://ks-console.kubesphere-system.svc:30880",
        "global.imageRegistry=registry.example.com:5000", *INGRESS,
        "global.nodeSelector.gpu=true", "global.nodeSelector.zone=1", "global.nodeSelector.ratio=0",
    ],
    "numeric-looking strings": [
        *HOST_RELEASE, "global.imageRegistry=10.0.0.1:5000", "global.extension.ingress.ingressClassName=1",
        "global.extension.ingress.domainSuffix=10.0.0.1.nip.io", "global.extension.ingress.httpPort=8080",
        "global.extension.ingress.httpsPort=8443", "global.nodeSelector.rack=42",
    ],
}


def _args(overrides: list[str]) -> list[str]:
    return [arg for value in overrides for arg in ("--set", value)]


@pytest.fixture(scope="module")
def rendered(chart: Path) -> dict[str, list[dict]]:
    return {name: render(chart, extra_args=_args(overrides)) for name, overrides in CASES.items()}


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("version", KUBE_VERSIONS)
def test_injected_values_render_objects_kubernetes_accepts(rendered: dict, case: str, version: str) -> None:
    assert kubernetes_schema_problems(rendered[case], version) == []


@pytest.mark.parametrize("case", CASES)
def test_injected_values_render_custom_resources_their_crds_accept(rendered: dict, case: str) -> None:
    custom = [o for o in rendered[case] if is_kubesphere_kind(o)]
    assert custom, "no KubeSphere objects rendered"
    for obj in custom:
        validate_custom_resource(obj)


@pytest.mark.parametrize("case", CASES)
def test_every_workload_gets_the_injected_node_selector_as_strings(rendered: dict, case: str) -> None:
    expected = {}
    for override in CASES[case]:
        key, _, value = override.partition("=")
        if key.startswith("global.nodeSelector."):
            expected[key.removeprefix("global.nodeSelector.").replace("\\.", ".")] = value
    pods = workloads(rendered[case])
    assert pods
    for obj in pods:
        selector = pod_spec(obj).get("nodeSelector") or {}
        assert all(isinstance(v, str) for v in selector.values()), (obj["metadata"]["name"], selector)
        assert {k: selector.get(k) for k in expected} == expected, obj["metadata"]["name"]


def test_injected_registry_prefixes_every_image(rendered: dict) -> None:
    for obj in workloads(rendered["everything ks-core injects"]):
        for container in containers(obj):
            assert container["image"].startswith("registry.example.com:5000/"), container["image"]


def test_numeric_looking_ingress_class_stays_a_string(rendered: dict) -> None:
    ingress = [o for o in rendered["numeric-looking strings"] if o["kind"] == "Ingress"]
    assert len(ingress) == 1
    assert ingress[0]["spec"]["ingressClassName"] == "1"
    assert ingress[0]["spec"]["rules"][0]["host"] == "deepseek.10.0.0.1.nip.io"


def test_the_workload_own_node_selector_is_quoted_too(chart: Path, tmp_path: Path) -> None:
    # A values file (the InstallPlan config) gives YAML types too: yes, 1, a large int read as float.
    values = tmp_path / "values.yaml"
    values.write_text("backend:\n  server:\n    nodeSelector:\n      gpu: true\n      zone: 3\n"
                      "      serial: 12345678901\nglobal:\n  nodeSelector:\n    zone: 1\n")
    objects = render(chart, values_files=[values])
    ollama = next(o for o in workloads(objects) if o["metadata"]["name"] == "deepseek-backend-server")
    # The injected global wins over the workload's own value (ks-core's extension.nodeSelector).
    assert pod_spec(ollama)["nodeSelector"] == {"gpu": "true", "zone": "1", "serial": "12345678901"}
    assert kubernetes_schema_problems(objects, KUBE_VERSIONS[-1]) == []
