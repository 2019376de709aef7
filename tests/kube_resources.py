"""What a rendered object is to the API server: its group, plural resource and scope.

Built-in kinds come from a small table; KubeSphere kinds from the CRDs vendored in tests/data/crds/.
"""

from __future__ import annotations

from functools import cache

import yaml

from tests.helmtools import CRDS_DIR

# kind -> (plural, namespaced) for the built-in kinds a chart may render.
BUILTIN: dict[str, tuple[str, bool]] = {
    "ConfigMap": ("configmaps", True), "Secret": ("secrets", True), "Service": ("services", True),
    "ServiceAccount": ("serviceaccounts", True), "PersistentVolumeClaim": ("persistentvolumeclaims", True),
    "Pod": ("pods", True), "Endpoints": ("endpoints", True), "Event": ("events", True),
    "Deployment": ("deployments", True), "StatefulSet": ("statefulsets", True), "DaemonSet": ("daemonsets", True),
    "ReplicaSet": ("replicasets", True), "Job": ("jobs", True), "CronJob": ("cronjobs", True),
    "HorizontalPodAutoscaler": ("horizontalpodautoscalers", True),
    "PodDisruptionBudget": ("poddisruptionbudgets", True),
    "Ingress": ("ingresses", True), "NetworkPolicy": ("networkpolicies", True),
    "Role": ("roles", True), "RoleBinding": ("rolebindings", True), "Lease": ("leases", True),
    "ClusterRole": ("clusterroles", False), "ClusterRoleBinding": ("clusterrolebindings", False),
    "Namespace": ("namespaces", False), "Node": ("nodes", False), "StorageClass": ("storageclasses", False),
    "PersistentVolume": ("persistentvolumes", False), "CustomResourceDefinition": ("customresourcedefinitions", False),
    "PriorityClass": ("priorityclasses", False), "IngressClass": ("ingressclasses", False),
    "RuntimeClass": ("runtimeclasses", False),
}


@cache
def crds() -> dict[tuple[str, str], dict]:
    """(group, kind) -> the CRD object, for every KubeSphere CRD in tests/data/crds/."""
    found = {}
    for path in sorted(CRDS_DIR.glob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            if doc and doc.get("kind") == "CustomResourceDefinition":
                found[(doc["spec"]["group"], doc["spec"]["names"]["kind"])] = doc
    return found


def group_of(obj: dict) -> str:
    api_version = obj["apiVersion"]
    return api_version.split("/")[0] if "/" in api_version else ""


def resource_of(obj: dict) -> tuple[str, str, bool]:
    """(apiGroup, plural, namespaced) of a rendered object; KeyError for a kind we cannot place."""
    group, kind = group_of(obj), obj["kind"]
    crd = crds().get((group, kind))
    if crd is not None:
        return group, crd["spec"]["names"]["plural"], crd["spec"]["scope"] == "Namespaced"
    plural, namespaced = BUILTIN[kind]
    return group, plural, namespaced


def crd_schema(obj: dict) -> dict:
    """The openAPIV3Schema for the object's group, kind and version (KeyError if unknown)."""
    group, kind = group_of(obj), obj["kind"]
    version = obj["apiVersion"].split("/")[-1]
    crd = crds()[(group, kind)]
    for served in crd["spec"]["versions"]:
        if served["name"] == version:
            return served["schema"]["openAPIV3Schema"]
    raise KeyError(f"{group}/{version} {kind}")


def is_kubesphere_kind(obj: dict) -> bool:
    return (group_of(obj), obj["kind"]) in crds()


def validate_custom_resource(obj: dict) -> None:
    """Validate a KubeSphere custom resource against its CRD schema; raises jsonschema.ValidationError."""
    import jsonschema

    jsonschema.validate(obj, crd_schema(obj))

