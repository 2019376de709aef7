"""What the serving chart does, one sentence per test, each rendered with helm for the values it names."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest
import yaml
from deepseek_ext.adapters.files import load_messages
from deepseek_ext.core.messages import message

from tests.chart.checks import (
    hpa_problems,
    ingress_host_problems,
    model_wait_problems,
    nextchat_code_problems,
    privilege_problems,
    pvc_keep_problems,
    storage_class_problems,
)
from tests.chart.conftest import SCENARIOS
from tests.helmtools import ROOT, HelmError, containers, find, one, pod_spec, render

OLLAMA = "deepseek-backend-server"
CHAT = "deepseek-backend-chat"
INGRESS_SUFFIX = {"global.extension.ingress.domainSuffix": "ks.example.com"}
RWX = {"backend.persistence.accessModes[0]": "ReadWriteMany"}


@pytest.fixture(scope="module")
def r(chart: Path):
    """Render with --set values, cached per distinct set of values within this module."""
    cache: dict[tuple, list[dict]] = {}

    def _render(**kwargs: object) -> list[dict]:
        # keys use __ for dots where Python needs an identifier: backend__enableNvidia=True
        set_values = {key.replace("__", "."): value for key, value in kwargs.items()}
        key = tuple(sorted(set_values.items()))
        if key not in cache:
            # helmtools sends non-numbers as --set-string; null has to go as a plain --set
            nulls = [arg for k, v in set_values.items() if v is None for arg in ("--set", f"{k}=null")]
            given = {k: v for k, v in set_values.items() if v is not None}
            cache[key] = render(chart, set_values=given, extra_args=nulls)
        return cache[key]

    return _render


def env_of(objects: list[dict], deployment: str) -> dict[str, dict]:
    return {e["name"]: e for e in containers(one(objects, "Deployment", deployment))[0].get("env", [])}


def fails_with(chart: Path, *fragments: str, **set_values: object) -> str:
    with pytest.raises(HelmError) as error:
        render(chart, set_values=set_values)
    message = str(error.value)
    for fragment in fragments:
        assert fragment in message, message
    return message


# --- ollama -------------------------------------------------------------------------------------


def test_ollama_is_not_privileged_and_runs_as_non_root(r) -> None:
    objects = r()
    deployment = one(objects, "Deployment", OLLAMA)
    spec = pod_spec(deployment)
    assert spec["securityContext"]["runAsNonRoot"] is True
    assert spec["securityContext"]["runAsUser"] != 0
    assert spec["automountServiceAccountToken"] is False
    ollama = containers(deployment)[0]  # ollama first, the gateway second
    sc = ollama["securityContext"]
    assert sc["privileged"] is False and sc["allowPrivilegeEscalation"] is False
    assert sc["capabilities"]["drop"] == ["ALL"]
    assert sc["readOnlyRootFilesystem"] is True
    assert privilege_problems(objects) == []


def test_ollama_keeps_models_at_the_pvc_root_and_writes_nowhere_else(r) -> None:
    deployment = one(r(), "Deployment", OLLAMA)
    ollama = containers(deployment)[0]  # ollama first, the gateway second
    env = {e["name"]: e.get("value") for e in ollama["env"]}
    mounts = {m["mountPath"]: m["name"] for m in ollama["volumeMounts"]}
    volumes = {v["name"]: v for v in pod_spec(deployment)["volumes"]}
    # 0.1.0 mounted the PVC at ~/.ollama/models: models live at the volume root, and still do.
    assert volumes[mounts[env["OLLAMA_MODELS"]]]["persistentVolumeClaim"] == {"claimName": "deepseek-models"}
    assert "subPath" not in next(m for m in ollama["volumeMounts"] if m["mountPath"] == env["OLLAMA_MODELS"])
    assert "emptyDir" in volumes[mounts[env["HOME"]]]
    assert "emptyDir" in volumes[mounts["/tmp"]]
    # fsGroup with OnRootMismatch makes root-owned 0.1.0 data writable for the non-root user.
    assert pod_spec(deployment)["securityContext"]["fsGroupChangePolicy"] == "OnRootMismatch"


def test_ollama_env_serves_on_loopback_keeps_the_model_loaded_and_never_prunes(r) -> None:
    env = {k: v.get("value") for k, v in env_of(r(backend__model__keepAlive="30m"), OLLAMA).items()}
    assert env["OLLAMA_HOST"] == "127.0.0.1:11400"  # only the gateway in the same pod reaches it
    assert env["OLLAMA_KEEP_ALIVE"] == "30m"
    assert env["OLLAMA_NOPRUNE"] == "1"
    assert env_of(r(), OLLAMA)["OLLAMA_KEEP_ALIVE"]["value"] == "-1"
    # An emptied value means the default, in the env and in the config the manager reads alike.
    emptied = r(backend__model__keepAlive="")
    assert env_of(emptied, OLLAMA)["OLLAMA_KEEP_ALIVE"]["value"] == "-1"
    serving = json.loads(one(emptied, "ConfigMap", "deepseek-serving")["data"]["config.json"])
    assert serving["keepAlive"] == "-1"
    # the sizing's memory-relevant settings reach ollama, so the estimate is what it allocates
    sized = env_of(r(backend__model__contextLength=16384, backend__model__parallel=2), OLLAMA)
    assert sized["OLLAMA_CONTEXT_LENGTH"]["value"] == "16384"
    assert sized["OLLAMA_NUM_PARALLEL"]["value"] == "2"


def test_ollama_service_keeps_its_0_1_0_name_port_and_selector(r) -> None:
    service = one(r(), "Service", "deepseek-backend-server-service")
    assert service["spec"]["selector"] == {"app": OLLAMA}
    expected_port = {"name": "http", "port": 11434, "targetPort": "http", "protocol": "TCP"}
    assert service["spec"]["ports"] == [expected_port]
    chat = one(r(), "Service", "deepseek-backend-chat-service")
    assert chat["spec"]["selector"] == {"app": CHAT}
    assert chat["spec"]["ports"][0]["port"] == 3000


def test_selectors_are_exactly_the_0_1_0_labels_and_pods_also_get_standard_labels(r) -> None:
    for name in (OLLAMA, CHAT):
        deployment = one(r(), "Deployment", name)
        assert deployment["spec"]["selector"] == {"matchLabels": {"app": name}}
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert labels["app"] == name and labels["app.kubernetes.io/name"] == "deepseek"


def test_no_probe_or_job_waits_on_the_model(r) -> None:
    for objects in (r(), r(backend__model__tag="70b"), r(backend__model__pull=False)):
        assert model_wait_problems(objects) == []
        assert find(objects, "Job") == [] and find(objects, "CronJob") == []
        ollama = containers(one(objects, "Deployment", OLLAMA))[0]  # ollama first, the gateway second
        pods = containers(one(objects, "Deployment", OLLAMA))
        assert [c["name"] for c in pods] == ["ollama", "gateway"]
        # ollama listens on loopback: its own client lists models (/api/tags); the gateway's
        # readiness asks ollama's banner over loopback.
        for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
            assert ollama[probe]["exec"] == {"command": ["ollama", "list"]}
        assert {pods[1][p]["httpGet"]["path"] for p in ("startupProbe", "readinessProbe", "livenessProbe")} == {
            "/readyz", "/healthz"}
        assert "lifecycle" not in ollama


def test_cpu_ollama_hides_gpus_and_gpu_ollama_does_not(r) -> None:
    assert env_of(r(), OLLAMA)["NVIDIA_VISIBLE_DEVICES"]["value"] == "void"
    assert "NVIDIA_VISIBLE_DEVICES" not in env_of(r(backend__enableNvidia=True), OLLAMA)


def test_nvidia_adds_the_gpu_toleration_and_the_runtime_class(r) -> None:
    objects = r(backend__enableNvidia=True, backend__gpu__runtimeClassName="nvidia")
    spec = pod_spec(one(objects, "Deployment", OLLAMA))
    assert {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"} in spec["tolerations"]
    assert spec["runtimeClassName"] == "nvidia"
    assert "nvidia.com/gpu" in containers(one(objects, "Deployment", OLLAMA))[0]["resources"]["limits"]
    cpu = pod_spec(one(r(), "Deployment", OLLAMA))
    assert "tolerations" not in cpu and "runtimeClassName" not in cpu


def test_gpu_device_groups_can_be_added_for_the_non_root_user(r) -> None:
    objects = r(**{"backend.enableAMD": True, "backend.gpu.supplementalGroups[0]": 44,
                   "backend.gpu.supplementalGroups[1]": 109})
    assert pod_spec(one(objects, "Deployment", OLLAMA))["securityContext"]["supplementalGroups"] == [44, 109]
    assert "supplementalGroups" not in pod_spec(one(r(), "Deployment", OLLAMA))["securityContext"]


def test_user_tolerations_are_kept_next_to_the_gpu_one(r) -> None:
    objects = r(**{"backend.enableNvidia": True, "backend.server.tolerations[0].key": "dedicated",
                   "backend.server.tolerations[0].operator": "Exists"})
    keys = [t["key"] for t in pod_spec(one(objects, "Deployment", OLLAMA))["tolerations"]]
    assert keys == ["dedicated", "nvidia.com/gpu"]


def test_amd_uses_the_rocm_image_and_the_amd_gpu(r) -> None:
    objects = r(backend__enableAMD=True)
    ollama = containers(one(objects, "Deployment", OLLAMA))[0]  # ollama first, the gateway second
    assert ollama["image"].endswith("-rocm")
    assert "amd.com/gpu" in ollama["resources"]["limits"]
    config = json.loads(one(objects, "ConfigMap", "deepseek-serving")["data"]["config.json"])
    assert config["accelerator"] == "amd" and not config["ollamaVersion"].endswith("-rocm")
    pinned_render = r(backend__enableAMD=True, backend__server__image__tag="0.6.2")
    pinned = containers(one(pinned_render, "Deployment", OLLAMA))
    assert pinned[0]["image"] == "docker.io/ollama/ollama:0.6.2-rocm"


def test_ollama_image_defaults_to_the_catalog_version_and_honours_a_pinned_tag(r) -> None:
    catalog = yaml.safe_load((ROOT / "charts/backend/files/catalog.yaml").read_text())
    ollama = containers(one(r(), "Deployment", OLLAMA))[0]  # ollama first, the gateway second
    assert ollama["image"] == f"docker.io/ollama/ollama:{catalog['ollama']['version']}"
    pinned = containers(one(r(backend__server__image__tag="0.5.7"), "Deployment", OLLAMA))[0]
    assert pinned["image"] == "docker.io/ollama/ollama:0.5.7"


def test_recreate_strategy_unless_the_volume_is_read_write_many(r) -> None:
    assert one(r(), "Deployment", OLLAMA)["spec"]["strategy"] == {"type": "Recreate"}
    rwop = r(**{"backend.persistence.accessModes[0]": "ReadWriteOncePod"})
    assert one(rwop, "Deployment", OLLAMA)["spec"]["strategy"] == {"type": "Recreate"}
    assert one(r(**RWX), "Deployment", OLLAMA)["spec"]["strategy"]["type"] == "RollingUpdate"


def test_pdb_only_with_more_than_one_ollama_pod(r) -> None:
    assert find(r(), "PodDisruptionBudget") == []
    pdb = one(r(backend__server__replicas=3, **RWX), "PodDisruptionBudget", OLLAMA)
    assert pdb["spec"]["selector"] == {"matchLabels": {"app": OLLAMA}}
    assert pdb["spec"]["maxUnavailable"] == 1


def test_more_than_one_pod_on_a_read_write_once_volume_fails_with_the_fix(chart: Path) -> None:
    texts = load_messages().render(message("finding.ReplicasNeedReadWriteMany", count=2, modes=["ReadWriteOnce"]))
    fails_with(chart, "backend.server.replicas: " + texts["en"], "backend.server.replicas: " + texts["zh"],
               **{"backend.server.replicas": 2})
    fails_with(chart, "backend.server.autoscaling.enabled: ", **{"backend.server.autoscaling.enabled": True})


def test_hpa_uses_autoscaling_v2_target_form(r) -> None:
    objects = r(**{"backend.server.autoscaling.enabled": True, "backend.chat.autoscaling.enabled": True,
                   "backend.chat.autoscaling.targetMemoryUtilizationPercentage": 75}, **RWX)
    server = one(objects, "HorizontalPodAutoscaler", "deepseek-backend-server-hpa")
    assert server["apiVersion"] == "autoscaling/v2"
    assert server["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": OLLAMA}
    target = {"type": "Utilization", "averageUtilization": 50}
    assert server["spec"]["metrics"] == [
        {"type": "Resource", "resource": {"name": "cpu", "target": target}},
        {"type": "Resource", "resource": {"name": "memory", "target": target}},
    ]
    chat = one(objects, "HorizontalPodAutoscaler", "deepseek-backend-chat-hpa")
    assert chat["spec"]["scaleTargetRef"]["name"] == CHAT
    chat_targets = {m["resource"]["name"]: m["resource"]["target"] for m in chat["spec"]["metrics"]}
    assert chat_targets == {"memory": {"type": "Utilization", "averageUtilization": 75}}
    assert hpa_problems(objects) == []
    # the HPA owns the replica count
    assert "replicas" not in one(objects, "Deployment", OLLAMA)["spec"]
    assert "replicas" not in one(objects, "Deployment", CHAT)["spec"]
    assert find(r(), "HorizontalPodAutoscaler") == []


def test_hpa_without_targets_falls_back_to_cpu(r) -> None:
    objects = r(**{"backend.chat.autoscaling.enabled": True,
                   "backend.chat.autoscaling.targetCPUUtilizationPercentage": None})
    metrics = one(objects, "HorizontalPodAutoscaler", "deepseek-backend-chat-hpa")["spec"]["metrics"]
    assert [m["resource"]["name"] for m in metrics] == ["cpu"]


def test_checksum_annotation_follows_the_serving_config(r) -> None:
    def checksum(objects: list[dict], name: str) -> str:
        template = one(objects, "Deployment", name)["spec"]["template"]
        return template["metadata"]["annotations"]["checksum/config"]

    for name in (OLLAMA, CHAT):
        assert re.fullmatch(r"[0-9a-f]{64}", checksum(r(), name))
        assert checksum(r(), name) != checksum(r(**{"backend.models[0]": "deepseek-r1:7b"}), name)


# --- storage ------------------------------------------------------------------------------------


def test_models_pvc_is_kept_on_uninstall(r) -> None:
    pvc = one(r(), "PersistentVolumeClaim", "deepseek-models")
    assert pvc["metadata"]["annotations"]["helm.sh/resource-policy"] == "keep"
    assert pvc_keep_problems(r()) == []


def test_no_empty_storage_class_name(r) -> None:
    pvc = one(r(), "PersistentVolumeClaim", "deepseek-models")
    assert "storageClassName" not in pvc["spec"]
    assert storage_class_problems(r()) == []
    named = one(r(backend__persistence__storageClass="fast-ssd"), "PersistentVolumeClaim", "deepseek-models")
    assert named["spec"]["storageClassName"] == "fast-ssd"


def test_pvc_size_and_access_modes_come_from_the_config(r) -> None:
    pvc = one(r(backend__persistence__size="123Gi", **RWX), "PersistentVolumeClaim", "deepseek-models")
    assert pvc["spec"]["resources"]["requests"]["storage"] == "123Gi"
    assert pvc["spec"]["accessModes"] == ["ReadWriteMany"]


def test_pvc_size_is_computed_from_the_models_when_unset(r) -> None:
    def size(objects: list[dict]) -> str:
        pvc = one(objects, "PersistentVolumeClaim", "deepseek-models")
        return pvc["spec"]["resources"]["requests"]["storage"]

    small, large = size(r()), size(r(backend__model__tag="70b"))
    assert small.endswith("Gi") and large.endswith("Gi") and int(large[:-2]) > int(small[:-2])


# --- NextChat -----------------------------------------------------------------------------------


def test_nextchat_code_comes_from_a_secret(r) -> None:
    objects = r()
    assert nextchat_code_problems(objects) == []
    code = env_of(objects, CHAT)["CODE"]
    assert code["valueFrom"] == {"secretKeyRef": {"name": "deepseek-chat-access", "key": "code"}}
    assert "value" not in code
    secret = one(objects, "Secret", "deepseek-chat-access")
    assert secret["metadata"]["annotations"]["helm.sh/resource-policy"] == "keep"
    assert len(base64.b64decode(secret["data"]["code"])) >= 16


def test_nextchat_uses_the_users_access_code_secret_and_renders_none(r) -> None:
    objects = r(backend__chat__accessCodeSecret="team-chat-code")
    reference = env_of(objects, CHAT)["CODE"]["valueFrom"]["secretKeyRef"]
    assert reference == {"name": "team-chat-code", "key": "code"}
    assert find(objects, "Secret", "deepseek-chat-access") == []
    config = json.loads(one(objects, "ConfigMap", "deepseek-serving")["data"]["config.json"])
    assert config["accessCodeSecret"] == "team-chat-code"


def test_nextchat_offers_exactly_the_configured_models_through_ollama(r) -> None:
    objects = r(**{"backend.model.tag": "7b", "backend.models[0]": "deepseek-r1:1.5b",
                   "backend.models[1]": "deepseek-r1:7b"})
    env = {k: v.get("value") for k, v in env_of(objects, CHAT).items()}
    assert env["BASE_URL"] == "http://deepseek-backend-server-service:11434"
    assert env["CUSTOM_MODELS"] == "-all,+deepseek-r1:7b@openai,+deepseek-r1:1.5b@openai"
    assert env["DEFAULT_MODEL"] == "deepseek-r1:7b@openai"


def test_nextchat_hardening_env_and_never_a_proxy(r) -> None:
    full = env_of(r(), CHAT)
    env = {k: v.get("value") for k, v in full.items()}
    assert env["HIDE_USER_API_KEY"] == "1" and env["DISABLE_FAST_LINK"] == "1"
    assert env["HOSTNAME"] == "0.0.0.0"
    assert full["OPENAI_API_KEY"]["valueFrom"]["secretKeyRef"] == {"name": "deepseek-chat-gateway-key", "key": "key"}
    assert "PROXY_URL" not in env


def test_nextchat_is_pinned_probed_non_root_and_sized(r) -> None:
    deployment = one(r(), "Deployment", CHAT)
    (chat,) = containers(deployment)
    assert chat["image"] == "docker.io/yidadaa/chatgpt-next-web:v2.16.1"
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert chat[probe]["httpGet"]["path"] == "/api/config"
    assert pod_spec(deployment)["securityContext"]["runAsNonRoot"] is True
    values = yaml.safe_load((ROOT / "values.yaml").read_text())
    assert chat["resources"] == {key: {k: str(v) for k, v in spec.items()}
                                 for key, spec in values["backend"]["chat"]["resources"].items()}


# --- Ingress ------------------------------------------------------------------------------------


def test_ingress_absent_without_domain_suffix(r) -> None:
    assert find(r(), "Ingress") == []
    assert find(r(**{"global.extension.ingress.domainSuffix": "  "}), "Ingress") == []
    config = json.loads(one(r(), "ConfigMap", "deepseek-serving")["data"]["config.json"])
    assert config["chatUrl"] is None


def test_ingress_absent_when_the_extension_ingress_is_turned_off(r) -> None:
    assert find(r(**{"global.extension.enabled": False}, **INGRESS_SUFFIX), "Ingress") == []


def test_ingress_publishes_nextchat_at_deepseek_dot_suffix_without_buffering(r) -> None:
    objects = r(**{"global.extension.ingress.ingressClassName": "nginx"}, **INGRESS_SUFFIX)
    ingress = one(objects, "Ingress", "deepseek-backend-ingress")
    assert ingress["spec"]["ingressClassName"] == "nginx"
    (rule,) = ingress["spec"]["rules"]
    assert rule["host"] == "deepseek.ks.example.com"
    assert rule["http"]["paths"][0]["backend"]["service"] == {"name": "deepseek-backend-chat-service",
                                                              "port": {"name": "http"}}
    annotations = ingress["metadata"]["annotations"]
    assert annotations["nginx.ingress.kubernetes.io/proxy-buffering"] == "off"
    assert int(annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= 600
    assert int(annotations["nginx.ingress.kubernetes.io/proxy-send-timeout"]) >= 600
    assert "nginx.ingress.kubernetes.io/proxy-body-size" in annotations
    assert not any("rewrite-target" in key for key in annotations)
    assert "tls" not in ingress["spec"]
    assert ingress_host_problems(objects) == []
    config = json.loads(one(objects, "ConfigMap", "deepseek-serving")["data"]["config.json"])
    assert config["chatUrl"] == "http://deepseek.ks.example.com"


def test_ingress_uses_tls_only_with_a_secret(r) -> None:
    objects = r(**{"global.extension.ingress.tlsSecretName": "deepseek-tls",
                   "global.extension.ingress.httpsPort": 8443}, **INGRESS_SUFFIX)
    ingress = one(objects, "Ingress", "deepseek-backend-ingress")
    assert ingress["spec"]["tls"] == [{"hosts": ["deepseek.ks.example.com"], "secretName": "deepseek-tls"}]
    assert "ingressClassName" not in ingress["spec"]
    config = json.loads(one(objects, "ConfigMap", "deepseek-serving")["data"]["config.json"])
    assert config["chatUrl"] == "https://deepseek.ks.example.com:8443"


def test_invalid_domain_suffix_fails_with_the_field_named(chart: Path) -> None:
    texts = load_messages().render(message("chart.domainSuffixInvalid", given="Example_Com",
                                           host="deepseek.example_com"))
    fails_with(chart, "global.extension.ingress.domainSuffix: " + texts["en"],
               "global.extension.ingress.domainSuffix: " + texts["zh"],
               **{"global.extension.ingress.domainSuffix": "Example_Com"})


# --- images, registries, nodes --------------------------------------------------------------------


def test_every_image_follows_global_image_registry(r) -> None:
    objects = r(**{"global.imageRegistry": "registry.local:5000", "backend.enableAMD": True})
    images = [c["image"] for o in objects if o["kind"] == "Deployment" for c in containers(o)]
    assert images and all(image.startswith("registry.local:5000/") for image in images), images


def test_every_pod_has_global_node_selector(r) -> None:
    objects = r(**{"global.nodeSelector.zone": "ai", "backend.server.nodeSelector.accelerator": "nvidia"})
    for deployment in find(objects, "Deployment"):
        assert pod_spec(deployment)["nodeSelector"]["zone"] == "ai", deployment["metadata"]["name"]
    assert pod_spec(one(objects, "Deployment", OLLAMA))["nodeSelector"]["accelerator"] == "nvidia"


def test_pull_secrets_and_pull_policy_are_honoured_per_image_then_global(rendered: dict) -> None:
    objects = rendered["private-registry"]
    ollama, chat = one(objects, "Deployment", OLLAMA), one(objects, "Deployment", CHAT)
    assert [s["name"] for s in pod_spec(ollama)["imagePullSecrets"]] == ["regcred", "ollama-pull"]
    assert [s["name"] for s in pod_spec(chat)["imagePullSecrets"]] == ["regcred", "nextchat-pull"]
    assert containers(ollama)[0]["imagePullPolicy"] == "Always"
    assert containers(chat)[0]["imagePullPolicy"] == "Always"
    assert pod_spec(ollama)["nodeSelector"] == {"node-role.kubernetes.io/ai": ""}


# --- the serving config -------------------------------------------------------------------------


def _documented_serving_config() -> dict:
    """The example JSON of docs/architecture.md, "The serving config" (comments stripped)."""
    text = (ROOT / "docs/architecture.md").read_text()
    block = text.split("## The serving config", 1)[1].split("```json", 1)[1].split("```", 1)[0]
    return json.loads(re.sub(r"\s//[^\n]*", "", block))  # "http://" has no blank before //


def test_serving_config_has_exactly_the_documented_keys_and_types(r) -> None:
    documented = _documented_serving_config()
    config = json.loads(one(r(**INGRESS_SUFFIX), "ConfigMap", "deepseek-serving")["data"]["config.json"])
    assert sorted(config) == sorted(documented)
    for key, example in documented.items():
        assert type(config[key]) is type(example), key
    assert config["model"] == "deepseek-r1:1.5b" and config["models"] == ["deepseek-r1:1.5b"]
    assert config["ollamaSelector"] == {"app": OLLAMA} and config["chatSelector"] == {"app": CHAT}
    assert config["pvcName"] == "deepseek-models" and config["ollamaPort"] == 11434


def test_serving_config_follows_the_values(r) -> None:
    objects = r(**{"backend.model.pull": False, "backend.model.tag": "7b", "backend.enableNvidia": True,
                   "backend.model.kvCacheType": "q8_0", "backend.server.replicas": 2}, **RWX)
    config = json.loads(one(objects, "ConfigMap", "deepseek-serving")["data"]["config.json"])
    assert config["pull"] is False and config["model"] == "deepseek-r1:7b"
    assert config["accelerator"] == "nvidia" and config["gpuCount"] >= 1
    assert config["kvCacheType"] == "q8_0" and config["replicas"] == 2
    assert config["accessModes"] == ["ReadWriteMany"]


def test_serving_configmap_ships_the_catalog_verbatim(r) -> None:
    shipped = one(r(), "ConfigMap", "deepseek-serving")["data"]["catalog.yaml"]
    assert shipped.strip() == (ROOT / "charts/backend/files/catalog.yaml").read_text().strip()


# --- scenarios ------------------------------------------------------------------------------------


def test_offline_scenario_never_pulls_and_serves_the_seeded_models(rendered: dict) -> None:
    objects = rendered["offline-existing-pvc"]
    config = json.loads(one(objects, "ConfigMap", "deepseek-serving")["data"]["config.json"])
    assert config["pull"] is False and config["models"] == ["deepseek-r1:7b", "deepseek-r1:1.5b"]
    assert model_wait_problems(objects) == []


def test_every_scenario_file_is_in_the_matrix() -> None:
    expected = {"default", "nvidia", "amd", "ingress-http", "ingress-https", "offline-existing-pvc",
                "replicas-rwx", "autoscaling", "private-registry", "compat-deepseek-0.1.0-values"}
    assert expected <= set(SCENARIOS)
    assert {name for name in SCENARIOS if name.startswith("compat-seed-")} == {
        "compat-seed-basic-install", "compat-seed-nvidia", "compat-seed-resources", "compat-seed-ingress"}
