"""permissions.yaml lets the helm executor create every object the charts render, and no more than needed."""

from __future__ import annotations

import pytest
import yaml

from scripts.kslint import VARIANTS
from tests.helmtools import ROOT, render
from tests.kube_resources import resource_of

# KubeSphere adds these to the executor's Role in the extension namespace (kubesphere.md section 4).
DEFAULT_NAMESPACED_GROUPS = ("", "apps", "batch", "policy", "networking.k8s.io", "autoscaling", "metrics.k8s.io")
HELM_VERBS = ("get", "list", "create", "update", "patch", "delete")


def load_permissions() -> tuple[list[dict], list[dict]]:
    role, cluster = [], []
    for doc in yaml.safe_load_all((ROOT / "permissions.yaml").read_text()):
        if doc:
            (cluster if doc["kind"] == "ClusterRole" else role).extend(doc["rules"])
    return role, cluster


def rule_allows(rule: dict, group: str, resource: str, verb: str) -> bool:
    return ((group in rule.get("apiGroups", []) or "*" in rule.get("apiGroups", []))
            and (resource in rule.get("resources", []) or "*" in rule.get("resources", []))
            and (verb in rule.get("verbs", []) or "*" in rule.get("verbs", [])))


def executor_allows(group: str, resource: str, verb: str, *, namespaced: bool,
                    permissions: tuple[list[dict], list[dict]]) -> bool:
    role, cluster = permissions
    if any(rule_allows(r, group, resource, verb) for r in cluster):
        return True
    if not namespaced:
        return False
    return group in DEFAULT_NAMESPACED_GROUPS or any(rule_allows(r, group, resource, verb) for r in role)


def uncovered(objects: list[dict], permissions) -> list[str]:
    """Objects the executor could not create, update or delete, as 'group/resource verb' strings."""
    missing = []
    for obj in objects:
        group, resource, namespaced = resource_of(obj)
        for verb in HELM_VERBS:
            if not executor_allows(group, resource, verb, namespaced=namespaced, permissions=permissions):
                missing.append(f"{obj['kind']} {group or 'core'}/{resource} {verb}")
    return sorted(set(missing))


@pytest.fixture(scope="module")
def rendered(chart) -> list[dict]:
    objects: list[dict] = []
    for variant in VARIANTS:
        objects += render(chart, set_values={**variant, "backend.server.autoscaling.enabled": True,
                                             "backend.server.replicas": 2,
                                             "backend.persistence.accessModes[0]": "ReadWriteMany"})
    return objects


def test_every_rendered_object_is_covered(rendered):
    assert uncovered(rendered, load_permissions()) == []


def test_a_kind_permissions_do_not_cover_is_reported():
    planted = {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": {"name": "x"}}
    assert "StorageClass storage.k8s.io/storageclasses create" in uncovered([planted], load_permissions())
    crd = {"apiVersion": "kubesphere.io/v1alpha1", "kind": "Category", "metadata": {"name": "x"}}
    assert "Category kubesphere.io/categories create" in uncovered([crd], load_permissions())


def test_rbac_the_charts_grant_is_held_by_the_executor(rendered):
    """Granting a right one does not hold needs `escalate`; we hold them instead of asking for it."""
    permissions = load_permissions()
    missing = []
    for obj in rendered:
        if obj["kind"] not in ("Role", "ClusterRole"):
            continue
        for rule in obj.get("rules") or []:
            for group in rule.get("apiGroups", []):
                for resource in rule.get("resources", []):
                    for verb in rule.get("verbs", []):
                        base = resource.split("/")[0]
                        if not executor_allows(group, base, verb, namespaced=obj["kind"] == "Role",
                                               permissions=permissions):
                            missing.append(f"{obj['kind']}/{obj['metadata']['name']}: {group}/{resource} {verb}")
    assert missing == []


def test_no_wildcards_and_no_escalate_or_bind():
    role, cluster = load_permissions()
    for rule in role + cluster:
        assert "*" not in rule["apiGroups"] and "*" not in rule["resources"] and "*" not in rule["verbs"], rule
        assert not {"escalate", "bind", "impersonate"} & set(rule["verbs"]), rule


def test_no_secret_access_beyond_the_namespace_defaults():
    role, cluster = load_permissions()
    assert not [r for r in role + cluster if "secrets" in r["resources"]]
