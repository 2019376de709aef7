"""Checks on rendered manifests, written as functions that return the problems they find.

Each returns a list of human-readable problems (empty = pass), so the same check is asserted
empty on our renders and asserted non-empty on the 0.1.0 renders (tests/data/compat/), which
proves every check can fail.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

import kubernetes_validate
import kubernetes_validate.utils
from kubernetes_validate import SchemaNotFoundError, ValidationError

from tests.helmtools import WORKLOAD_KINDS, containers, pod_spec

DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
OLLAMA_DEPLOYMENT = "deepseek-backend-server"
CHAT_DEPLOYMENT = "deepseek-backend-chat"
MODELS_PVC = "deepseek-models"
# Paths that answer as soon as the server runs, whatever the models: ollama's banner and version,
# NextChat's public config.
MODEL_INDEPENDENT_PATHS = {"/", "/api/version", "/api/config"}
# The gateway's own health (the process) and readiness (ollama's banner over loopback), and ollama's
# client listing models (/api/tags) where ollama listens on loopback, which kubelet cannot reach.
GATEWAY_PROBE_PATHS = {"/healthz", "/readyz"}
MODEL_INDEPENDENT_EXEC = [["ollama", "list"]]
# Words that show a container or probe doing (or waiting for) a model download.
DOWNLOAD_WORDS = re.compile(r"ollama\s+(run|pull)|/api/pull|/api/generate|/tmp/ready")


# kubernetes-validate re-reads and re-parses its JSON schemas on every call (utils.validate ->
# schema_contents), the _definitions.json of a version (several MB) included: most of the time
# of a chart test went there. The files never change while the tests run, and jsonschema does
# not mutate schemas, so one parse per file is enough.
kubernetes_validate.utils.schema_contents = functools.lru_cache(maxsize=None)(
    kubernetes_validate.utils.schema_contents)


def _name(obj: dict) -> str:
    return f"{obj.get('kind')}/{obj.get('metadata', {}).get('name')}"


def workloads(objects: Iterable[dict]) -> list[dict]:
    return [o for o in objects if o.get("kind") in WORKLOAD_KINDS]


def kubernetes_schema_problems(objects: Iterable[dict], version: str) -> list[str]:
    """kubernetes-validate --strict for one Kubernetes version; KubeSphere kinds are left to the CRD test."""
    problems = []
    for obj in objects:
        if "kubesphere.io" in obj.get("apiVersion", ""):
            continue
        try:
            kubernetes_validate.validate(obj, version, strict=True)
        except ValidationError as error:
            problems.append(f"{_name(obj)} @ {version}: {error.message} at {list(error.path)}")
        except SchemaNotFoundError:
            kind = f"{obj.get('apiVersion')} {obj.get('kind')}"
            problems.append(f"{_name(obj)} @ {version}: no schema for {kind}")
    return problems


def privilege_problems(objects: Iterable[dict]) -> list[str]:
    """Any privileged, root-capable or escalating container, or a pod without seccomp RuntimeDefault."""
    problems = []
    for obj in workloads(objects):
        spec = pod_spec(obj)
        pod_sc = spec.get("securityContext") or {}
        if (pod_sc.get("seccompProfile") or {}).get("type") != "RuntimeDefault":
            problems.append(f"{_name(obj)}: pod seccompProfile is not RuntimeDefault")
        if spec.get("hostNetwork") or spec.get("hostPID") or spec.get("hostIPC"):
            problems.append(f"{_name(obj)}: shares a host namespace")
        for container in containers(obj):
            sc = container.get("securityContext") or {}
            where = f"{_name(obj)} container {container['name']}"
            if sc.get("privileged"):
                problems.append(f"{where}: privileged")
            if sc.get("allowPrivilegeEscalation") is not False:
                problems.append(f"{where}: allowPrivilegeEscalation is not false")
            non_root = sc.get("runAsNonRoot", pod_sc.get("runAsNonRoot"))
            uid = sc.get("runAsUser", pod_sc.get("runAsUser"))
            if non_root is not True or uid == 0:
                problems.append(f"{where}: may run as root (runAsNonRoot={non_root}, runAsUser={uid})")
            if "ALL" not in ((sc.get("capabilities") or {}).get("drop") or []):
                problems.append(f"{where}: does not drop ALL capabilities")
    return problems


def storage_class_problems(objects: Iterable[dict]) -> list[str]:
    """A PVC whose storageClassName is present but empty turns dynamic provisioning off."""
    return [
        f"{_name(o)}: storageClassName is {o['spec']['storageClassName']!r}"
        for o in objects
        if o.get("kind") == "PersistentVolumeClaim"
        and "storageClassName" in (o.get("spec") or {})
        and not o["spec"]["storageClassName"]
    ]


def ingress_host_problems(objects: Iterable[dict]) -> list[str]:
    """Every Ingress rule has a host that is a valid DNS-1123 subdomain."""
    problems = []
    for obj in objects:
        if obj.get("kind") != "Ingress":
            continue
        for rule in (obj.get("spec") or {}).get("rules") or []:
            host = rule.get("host") or ""
            if not host or len(host) > 253 or not DNS_SUBDOMAIN.match(host):
                problems.append(f"{_name(obj)}: host {host!r} is not a DNS name")
    return problems


def model_wait_problems(objects: Iterable[dict]) -> list[str]:
    """Anything helm --wait --wait-for-jobs would wait on that depends on a model download.

    Jobs and hooks are waited on; so is every container's readiness (and startup), and a failing
    liveness probe restarts the pod. So: no Job or hook and no container that pulls or runs a model
    anywhere; and the ollama and NextChat probes are HTTP GETs of paths that answer without a
    model, none of which may keep failing past the install timeout.
    """
    problems = []
    for obj in objects:
        if obj.get("kind") in ("Job", "CronJob"):
            problems.append(f"{_name(obj)}: a Job is waited on by --wait-for-jobs")
        if "helm.sh/hook" in (obj.get("metadata", {}).get("annotations") or {}):
            problems.append(f"{_name(obj)}: a Helm hook runs inside the install timeout")
    for obj in workloads(objects):
        serving = obj["metadata"]["name"] in (OLLAMA_DEPLOYMENT, CHAT_DEPLOYMENT)
        for container in containers(obj):
            where = f"{_name(obj)} container {container['name']}"
            argv = (container.get("command") or []) + (container.get("args") or [])
            command = " ".join(str(part) for part in argv)
            if DOWNLOAD_WORDS.search(command):
                problems.append(f"{where}: runs a model download ({command[:80]!r})")
            if not serving:
                continue  # the API's own probes are the API chart's business; it never pulls
            for kind in ("startupProbe", "readinessProbe", "livenessProbe"):
                probe = container.get(kind)
                if not probe:
                    continue
                if "exec" in probe and probe["exec"].get("command") in MODEL_INDEPENDENT_EXEC:
                    continue
                if container["name"] == "gateway" and probe.get("httpGet", {}).get("path") in GATEWAY_PROBE_PATHS:
                    continue
                if "exec" in probe:
                    problems.append(f"{where}: {kind} runs {probe['exec'].get('command')}")
                elif "httpGet" in probe and probe["httpGet"].get("path", "/") not in MODEL_INDEPENDENT_PATHS:
                    problems.append(f"{where}: {kind} GETs {probe['httpGet'].get('path')}")
                if int(probe.get("failureThreshold", 3)) * int(probe.get("periodSeconds", 10)) > 600:
                    problems.append(f"{where}: {kind} may keep failing past the 10 minute install timeout")
    return problems


def hpa_problems(objects: Iterable[dict]) -> list[str]:
    """Every HPA is autoscaling/v2 with `target: {type: Utilization, averageUtilization}` metrics."""
    problems = []
    for obj in objects:
        if obj.get("kind") != "HorizontalPodAutoscaler":
            continue
        if obj.get("apiVersion") != "autoscaling/v2":
            problems.append(f"{_name(obj)}: apiVersion {obj.get('apiVersion')}")
        metrics = (obj.get("spec") or {}).get("metrics") or []
        if not metrics:
            problems.append(f"{_name(obj)}: no metrics")
        for metric in metrics:
            resource = metric.get("resource") or {}
            extra = set(resource) - {"name", "target"}
            target = resource.get("target") or {}
            if metric.get("type") != "Resource" or extra:
                problems.append(f"{_name(obj)}: metric {resource.get('name')} has old fields {sorted(extra)}")
            if target.get("type") != "Utilization" or not isinstance(target.get("averageUtilization"), int):
                problems.append(f"{_name(obj)}: metric {resource.get('name')} target is {target}")
    return problems


def pvc_keep_problems(objects: Iterable[dict]) -> list[str]:
    """The models PVC, when rendered, carries helm.sh/resource-policy: keep."""
    return [
        f"{_name(o)}: no helm.sh/resource-policy: keep"
        for o in objects
        if o.get("kind") == "PersistentVolumeClaim"
        and (o.get("metadata", {}).get("annotations") or {}).get("helm.sh/resource-policy") != "keep"
    ]


def nextchat_code_problems(objects: Iterable[dict]) -> list[str]:
    """NextChat requires an access code, taken from a Secret (never a literal, never absent)."""
    problems = []
    chats = [o for o in objects if o.get("kind") == "Deployment" and o["metadata"]["name"] == CHAT_DEPLOYMENT]
    if not chats:
        return [f"Deployment/{CHAT_DEPLOYMENT}: not rendered"]
    for container in containers(chats[0]):
        env = {e["name"]: e for e in container.get("env") or []}
        code = env.get("CODE")
        if code is None:
            problems.append(f"container {container['name']}: no CODE, anyone can chat")
        elif "value" in code or "secretKeyRef" not in (code.get("valueFrom") or {}):
            problems.append(f"container {container['name']}: CODE is not read from a Secret")
    return problems


ALL_CHECKS = {
    "privilege": privilege_problems,
    "storage_class": storage_class_problems,
    "ingress_host": ingress_host_problems,
    "model_wait": model_wait_problems,
    "hpa": hpa_problems,
    "pvc_keep": pvc_keep_problems,
    "nextchat_code": nextchat_code_problems,
}
