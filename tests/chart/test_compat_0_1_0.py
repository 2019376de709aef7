"""Upgrading from 0.1.0: its config and the seed README's examples keep their meaning, its object
names and kinds are kept, and the 0.1.0 manifests fail the checks ours pass (so the checks can fail)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.chart.checks import (
    hpa_problems,
    ingress_host_problems,
    kubernetes_schema_problems,
    model_wait_problems,
    nextchat_code_problems,
    privilege_problems,
    storage_class_problems,
)
from tests.chart.conftest import COMPAT_DIR
from tests.helmtools import KUBE_VERSIONS, HelmError, containers, helm_template_text, one, pod_spec, render

OLD_DEFAULT = COMPAT_DIR / "deepseek-0.1.0-rendered-default.yaml"
OLD_NVIDIA_HPA_INGRESS = COMPAT_DIR / "deepseek-0.1.0-rendered-nvidia-hpa-ingress.yaml"
OLD_VALUES = COMPAT_DIR / "deepseek-0.1.0-values.yaml"
# The --set flags the 0.1.0 nvidia-hpa-ingress render was made with (its first line), plus the
# ReadWriteMany volume that an autoscaled ollama needs in our chart.
NVIDIA_HPA_INGRESS = {
    "backend.server.autoscaling.enabled": True,
    "backend.enableNvidia": True,
    "global.extension.ingress.domainSuffix": "example.com",
    "backend.persistence.accessModes[0]": "ReadWriteMany",
}


def load(path: Path) -> list[dict]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


def kinds_and_names(objects: list[dict]) -> set[tuple[str, str]]:
    return {(o["kind"], o["metadata"]["name"]) for o in objects}


def config_json(objects: list[dict]) -> dict:
    return json.loads(one(objects, "ConfigMap", "deepseek-serving")["data"]["config.json"])


# --- the 0.1.0 manifests fail our checks ---------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "check", "expected"),
    [
        (OLD_DEFAULT, privilege_problems, "container ollama: privileged"),
        (OLD_DEFAULT, privilege_problems, "may run as root"),
        (OLD_DEFAULT, storage_class_problems, "storageClassName is None"),
        (OLD_DEFAULT, ingress_host_problems, "host 'deepseek.' is not a DNS name"),
        (OLD_DEFAULT, model_wait_problems, "container run-model: runs a model download"),
        (OLD_DEFAULT, model_wait_problems, "readinessProbe runs ['cat', '/tmp/ready']"),
        (OLD_DEFAULT, model_wait_problems, "may keep failing past the 10 minute install timeout"),
        (OLD_DEFAULT, nextchat_code_problems, "no CODE, anyone can chat"),
        (OLD_NVIDIA_HPA_INGRESS, hpa_problems, "has old fields ['targetAverageUtilization']"),
        (OLD_NVIDIA_HPA_INGRESS, hpa_problems, "target is {}"),
    ],
    ids=lambda v: v.name if isinstance(v, Path) else (v.__name__ if callable(v) else None),
)
def test_the_0_1_0_render_fails_the_checks_ours_pass(fixture: Path, check, expected: str) -> None:
    problems = check(load(fixture))
    assert any(expected in problem for problem in problems), problems


@pytest.mark.parametrize("version", [KUBE_VERSIONS[0], KUBE_VERSIONS[-1]])
def test_the_0_1_0_hpa_fails_kubernetes_validate_strict(version: str) -> None:
    problems = kubernetes_schema_problems(load(OLD_NVIDIA_HPA_INGRESS), version)
    assert any("HorizontalPodAutoscaler/deepseek-backend-server-hpa" in p for p in problems), problems


def test_ours_pass_the_same_checks_for_the_same_0_1_0_inputs(chart: Path) -> None:
    for objects in (render(chart, values_files=[OLD_VALUES]), render(chart, set_values=NVIDIA_HPA_INGRESS)):
        for check in (privilege_problems, storage_class_problems, ingress_host_problems, model_wait_problems,
                      nextchat_code_problems, hpa_problems):
            assert check(objects) == [], check.__name__
        for version in (KUBE_VERSIONS[0], KUBE_VERSIONS[-1]):
            assert kubernetes_schema_problems(objects, version) == []


# --- names and kinds are kept ---------------------------------------------------------------------


def test_rendering_the_0_1_0_config_keeps_every_0_1_0_kind_and_name(chart: Path) -> None:
    ours = kinds_and_names(render(chart, values_files=[OLD_VALUES]))
    # 0.1.0 renders the Ingress without a domain suffix; we do not (its host `deepseek.` is invalid)
    old = kinds_and_names(load(OLD_DEFAULT)) - {("Ingress", "deepseek-backend-ingress")}
    assert old <= ours, f"missing after upgrade: {sorted(old - ours)}"


def test_rendering_0_1_0_nvidia_hpa_ingress_keeps_every_kind_and_name(chart: Path) -> None:
    ours = kinds_and_names(render(chart, set_values=NVIDIA_HPA_INGRESS))
    old = kinds_and_names(load(OLD_NVIDIA_HPA_INGRESS))
    assert old <= ours, f"missing after upgrade: {sorted(old - ours)}"


def test_deployment_selectors_match_0_1_0_exactly(chart: Path) -> None:
    ours = render(chart, values_files=[OLD_VALUES])
    for old in load(OLD_DEFAULT):
        if old["kind"] == "Deployment":
            deployment = one(ours, "Deployment", old["metadata"]["name"])
            assert deployment["spec"]["selector"] == old["spec"]["selector"]
        if old["kind"] == "Service":
            service = one(ours, "Service", old["metadata"]["name"])
            assert service["spec"]["selector"] == old["spec"]["selector"]
            assert [p["port"] for p in service["spec"]["ports"]] == [p["port"] for p in old["spec"]["ports"]]


# --- the 0.1.0 config keeps its meaning -------------------------------------------------------------


def test_the_0_1_0_config_keeps_its_model_images_storage_and_affinity(chart: Path) -> None:
    objects = render(chart, values_files=[OLD_VALUES])
    ollama = one(objects, "Deployment", "deepseek-backend-server")
    chat = one(objects, "Deployment", "deepseek-backend-chat")
    # 0.1.0 pins ollama 0.5.7: it still renders (1.5b runs on it); the validation warns about it
    assert containers(ollama)[0]["image"] == "docker.io/ollama/ollama:0.5.7"
    assert containers(chat)[0]["image"] == "docker.io/yidadaa/chatgpt-next-web:v2.16.0"
    assert config_json(objects)["model"] == "deepseek-r1:1.5b"
    assert config_json(objects)["ollamaVersion"] == "0.5.7"
    pvc = one(objects, "PersistentVolumeClaim", "deepseek-models")
    assert pvc["spec"]["resources"]["requests"]["storage"] == "50Gi"
    assert pvc["spec"]["accessModes"] == ["ReadWriteOnce"]
    old_server = yaml.safe_load(OLD_VALUES.read_text())["backend"]["server"]
    assert pod_spec(ollama)["affinity"] == old_server["affinity"]
    assert containers(chat)[0]["resources"] == {"requests": {"cpu": 1, "memory": "1Gi"},
                                                "limits": {"cpu": 1, "memory": "1Gi"}}


# --- the seed README's examples ---------------------------------------------------------------------


def test_seed_basic_install_serves_deepseek_r1_1_5b(rendered: dict) -> None:
    assert config_json(rendered["compat-seed-basic-install"])["model"] == "deepseek-r1:1.5b"


def test_seed_tag_typo_is_refused_with_the_field_named(chart: Path, tmp_path: Path) -> None:
    """The seed prints `tag:1.5b`: YAML makes `model` the string "tag:1.5b". We refuse it by name
    rather than guess, so the user sees the mistake instead of a silently different model."""
    typo = tmp_path / "typo.yaml"
    typo.write_text("backend:\n  model:\n    # registry: x\n    tag:1.5b  # 按需替换模型版本\n")
    with pytest.raises(HelmError) as error:
        helm_template_text(chart, values_files=[typo])
    assert "/backend/model" in str(error.value) and "object" in str(error.value)


def test_seed_nvidia_runs_ollama_on_an_nvidia_gpu(rendered: dict) -> None:
    objects = rendered["compat-seed-nvidia"]
    ollama = one(objects, "Deployment", "deepseek-backend-server")
    assert int(containers(ollama)[0]["resources"]["limits"]["nvidia.com/gpu"]) >= 1
    toleration = {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}
    assert toleration in pod_spec(ollama)["tolerations"]
    assert config_json(objects)["accelerator"] == "nvidia"


def test_seed_resources_and_node_selector_win(rendered: dict) -> None:
    ollama = one(rendered["compat-seed-resources"], "Deployment", "deepseek-backend-server")
    seed = yaml.safe_load((COMPAT_DIR / "seed-resources.yaml").read_text())["backend"]["server"]
    resources = containers(ollama)[0]["resources"]
    for side in ("requests", "limits"):
        wanted = {k: str(v) for k, v in seed["resources"][side].items()}
        assert {k: str(v) for k, v in resources[side].items()} == wanted
    assert pod_spec(ollama)["nodeSelector"] == {"accelerator": "nvidia"}
    # a GPU asked for through resources alone still gets the GPU node toleration
    assert any(t["key"] == "nvidia.com/gpu" for t in pod_spec(ollama)["tolerations"])


def test_seed_ingress_publishes_the_chat_on_its_nip_io_host(rendered: dict) -> None:
    objects = rendered["compat-seed-ingress"]
    ingress = one(objects, "Ingress", "deepseek-backend-ingress")
    assert ingress["spec"]["rules"][0]["host"] == "deepseek.172.1.1.1.nip.io"
    # an empty ingressClassName means the cluster default: the field is left out, not set to ""
    assert "ingressClassName" not in ingress["spec"]
    # httpsPort alone (no TLS secret) does not turn the link into https
    assert config_json(objects)["chatUrl"] == "http://deepseek.172.1.1.1.nip.io"
