"""The API chart: CRD objects valid against the CRDs in tests/data/crds/, the NetworkPolicy admits only ks-apiserver,
least-privilege RBAC, the Deployment as the brief describes, the APIService pointing at the Service."""

from __future__ import annotations

from functools import cache
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import yaml

from tests.helmtools import CRDS_DIR, KUBE_VERSIONS, NAMESPACE, containers, find, one, pod_spec, render

KS_APISERVER_NAMESPACE_LABELS = {"kubernetes.io/metadata.name": "kubesphere-system"}
KS_APISERVER_POD_LABELS = {"app": "ks-apiserver", "tier": "backend"}


@pytest.fixture(scope="module")
def objects(chart) -> list[dict[str, Any]]:
    return render(chart)


def api_objects(objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [o for o in objects if (o["metadata"].get("labels") or {}).get("app.kubernetes.io/component") == "api"]


@cache
def crd_schema(kind: str, version: str) -> dict[str, Any]:
    for path in CRDS_DIR.glob("*.yaml"):
        crd = yaml.safe_load(path.read_text())
        if crd["spec"]["names"]["kind"] == kind:
            for v in crd["spec"]["versions"]:
                if v["name"] == version:
                    return v["schema"]["openAPIV3Schema"]
    raise AssertionError(f"no CRD for {kind} {version} in {CRDS_DIR}")


def selector_matches(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    """matchLabels and matchExpressions (In, NotIn, Exists, DoesNotExist) against a label set."""
    if not all(labels.get(k) == v for k, v in (selector.get("matchLabels") or {}).items()):
        return False
    for expr in selector.get("matchExpressions") or []:
        key, op, values = expr["key"], expr["operator"], expr.get("values") or []
        if (
            (op == "In" and labels.get(key) not in values)
            or (op == "NotIn" and labels.get(key) in values)
            or (op == "Exists" and key not in labels)
            or (op == "DoesNotExist" and key in labels)
        ):
            return False
    return True


def test_kubesphere_objects_validate_against_the_crds(objects):
    kinds = {"APIService", "RoleTemplate", "GlobalRole", "GlobalRoleBinding"}
    found = [o for o in api_objects(objects) if o["kind"] in kinds]
    assert {o["kind"] for o in found} == kinds
    for obj in found:
        version = obj["apiVersion"].split("/")[1]
        jsonschema.validate(obj, crd_schema(obj["kind"], version))


def test_a_crd_violation_is_caught():
    bad = {
        "apiVersion": "extensions.kubesphere.io/v1alpha1",
        "kind": "APIService",
        "metadata": {"name": "x"},
        "spec": {"group": "deepseek.kubesphere.io", "version": 1},
    }
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, crd_schema("APIService", "v1alpha1"))


@pytest.mark.parametrize("kube_version", KUBE_VERSIONS)
def test_builtin_objects_are_strictly_valid(objects, kube_version):
    for obj in api_objects(objects):
        if obj["apiVersion"].split("/")[0].endswith("kubesphere.io"):
            continue
        kubernetes_validate.validate(obj, kube_version, strict=True)


def test_apiservice_points_at_the_edge_over_tls(objects):
    # Was test_apiservice_points_at_the_api_service_over_http: the edge serves TLS since issue 15.
    apiservice = one(objects, "APIService")
    service = one(objects, "Service", "deepseek-api")
    [port] = service["spec"]["ports"]
    assert apiservice["spec"]["group"] == "deepseek.kubesphere.io" and apiservice["spec"]["version"] == "v1alpha1"
    assert apiservice["spec"]["url"] == f"https://deepseek-api.{NAMESPACE}.svc:{port['port']}"
    assert apiservice["spec"]["caBundle"] == one(objects, "Secret", "deepseek-api-tls")["data"]["ca.crt"]
    assert port["port"] == 8443 and port["targetPort"] == "https"
    edge = next(c for c in containers(one(objects, "Deployment", "deepseek-api")) if c["name"] == "edge")
    assert {"name": "https", "containerPort": 8443} in edge["ports"]


def test_networkpolicy_selects_the_api_pods_and_admits_only_ks_apiserver(objects):
    policy = one(objects, "NetworkPolicy", "deepseek-api")
    pod_labels = one(objects, "Deployment", "deepseek-api")["spec"]["template"]["metadata"]["labels"]
    assert selector_matches(policy["spec"]["podSelector"], pod_labels)
    for other in find(objects, "Deployment"):
        if other["metadata"]["name"] != "deepseek-api":
            assert not selector_matches(policy["spec"]["podSelector"], other["spec"]["template"]["metadata"]["labels"])
    assert policy["spec"]["policyTypes"] == ["Ingress"]
    [rule] = policy["spec"]["ingress"]
    [peer] = rule["from"]
    assert selector_matches(peer["namespaceSelector"], KS_APISERVER_NAMESPACE_LABELS)
    assert selector_matches(peer["podSelector"], KS_APISERVER_POD_LABELS)
    # Same namespace and selector, other pods (the console, anything else) are not admitted.
    assert not selector_matches(peer["podSelector"], {"app": "ks-console", "tier": "frontend"})
    assert not selector_matches(peer["namespaceSelector"], {"kubernetes.io/metadata.name": NAMESPACE})
    assert rule["ports"] == [{"port": 8443, "protocol": "TCP"}]  # the edge's TLS port


def test_rbac_is_read_mostly_without_secrets_wildcards_or_proxy(objects):
    rules = [r for kind in ("Role", "ClusterRole") for o in find(api_objects(objects), kind) for r in o["rules"]]
    assert rules
    for rule in rules:
        assert "*" not in rule["verbs"] and "*" not in rule["resources"] and "*" not in rule["apiGroups"]
        assert "pods/proxy" not in rule["resources"]
        if "secrets" in rule["resources"]:
            # Only by name (apikeys, accesscode; tests/chart/test_gateway_keys_chart.py has the names).
            assert rule["resources"] == ["secrets"] and len(rule.get("resourceNames") or ()) == 1, rule
            assert set(rule["verbs"]) <= {"get", "patch"}, rule
            continue
        writes = set(rule["verbs"]) - {"get", "list", "watch"}
        if writes:
            # Only what the manager needs: Events, its progress record, its Lease.
            assert set(rule["resources"]) <= {"events", "configmaps", "leases"}, rule
            assert writes <= {"create", "update", "patch"}, rule
            if writes & {"update", "patch"} and rule["resources"] != ["events"]:
                assert rule.get("resourceNames") in (["deepseek-model-state"], ["deepseek-model-manager"]), rule
    cluster = one(objects, "ClusterRole", f"deepseek-api:{NAMESPACE}")
    assert {r for rule in cluster["rules"] for r in rule["resources"]} == {"nodes", "storageclasses"}
    assert all(set(rule["verbs"]) == {"get", "list", "watch"} for rule in cluster["rules"])
    for binding in find(objects, "RoleBinding") + find(objects, "ClusterRoleBinding"):
        if binding["metadata"]["name"].startswith("deepseek-api"):
            assert binding["subjects"] == [{"kind": "ServiceAccount", "name": "deepseek-api", "namespace": NAMESPACE}]


def test_iam_lets_authenticated_users_read_and_validate_but_not_manage_models(objects):
    view = one(objects, "RoleTemplate", "global-deepseek-view")
    assert "iam.kubesphere.io/aggregate-to-authenticated" in view["metadata"]["labels"]
    assert yaml.safe_load(view["metadata"]["annotations"]["iam.kubesphere.io/role-template-rules"]) == {
        "deepseek": "view"
    }
    binding = one(objects, "GlobalRoleBinding", "deepseek-viewer")
    assert binding["subjects"] == [
        {"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": "system:authenticated"}
    ]
    role = one(objects, "GlobalRole", binding["roleRef"]["name"])
    for granted in (view["spec"]["rules"], role["rules"]):
        allowed = {(res, verb) for rule in granted for res in rule["resources"] for verb in rule["verbs"]}
        assert {("status", "get"), ("status", "list"), ("models", "list"), ("config", "create")} <= allowed
        assert not {("models/pull", "create"), ("models", "delete")} & allowed
    manage = one(objects, "RoleTemplate", "global-deepseek-manage")
    assert "iam.kubesphere.io/aggregate-to-authenticated" not in manage["metadata"]["labels"]
    assert {(r, v) for rule in manage["spec"]["rules"] for r in rule["resources"] for v in rule["verbs"]} == {
        ("models/pull", "create"),
        ("models", "delete"),
        # gateway keys and NextChat's access code (tests/api/test_iam_roles.py)
        ("apikeys", "get"), ("apikeys", "list"), ("apikeys", "create"), ("apikeys", "delete"),
        ("accesscode", "get"),
    }


def test_deployment_runs_gunicorn_and_the_manager_hardened(chart):
    objects = render(chart, set_values={"api.resources.limits.memory": "640Mi"})
    dep = one(objects, "Deployment", "deepseek-api")
    spec = pod_spec(dep)
    assert spec["serviceAccountName"] == "deepseek-api" and spec["automountServiceAccountToken"] is True
    assert spec["securityContext"]["runAsNonRoot"] is True
    api, manager = (next(c for c in containers(dep) if c["name"] == n) for n in ("api", "manager"))
    assert api["command"][0] == "gunicorn" and "deepseek_ext.api:create_app()" in api["command"]
    assert manager["command"] == ["deepseek-ext", "manager"]
    assert api["resources"]["limits"]["memory"] == "640Mi"
    # gunicorn listens on the loopback behind the edge: kubelet asks it from inside the container.
    assert {e["name"]: e.get("value") for e in api["env"]}["DEEPSEEK_BIND"] == "127.0.0.1:8081"
    assert "127.0.0.1:8081/healthz" in api["livenessProbe"]["exec"]["command"][-1]
    assert "ports" not in api
    for c in (api, manager):
        assert c["securityContext"]["readOnlyRootFilesystem"] is True
        assert c["securityContext"]["allowPrivilegeEscalation"] is False
        mounts = {m["mountPath"]: m["name"] for m in c["volumeMounts"]}
        assert mounts["/tmp"] == "tmp" and mounts["/etc/deepseek/serving"] == "serving"
        env = {e["name"]: e.get("value") for e in c["env"]}
        assert env["DEEPSEEK_SERVING_CONFIG"] == "/etc/deepseek/serving/config.json"
        assert env["DEEPSEEK_CATALOG"] == "/etc/deepseek/serving/catalog.yaml"
    volumes = {v["name"]: v for v in spec["volumes"]}
    assert "emptyDir" in volumes["tmp"] and volumes["serving"]["configMap"]["name"] == "deepseek-serving"
    one(objects, "ConfigMap", "deepseek-serving")  # the mounted ConfigMap is part of the same release


def test_the_edge_owns_the_port_with_tls_probes_and_caller_checks(chart):
    objects = render(chart, set_values={"api.edge.resources.limits.memory": "300Mi"})
    dep = one(objects, "Deployment", "deepseek-api")
    edge = next(c for c in containers(dep) if c["name"] == "edge")
    assert edge["command"][:2] == ["deepseek-ext", "edge"]
    assert "--upstream=http://127.0.0.1:8081" in edge["command"] and "--listen=0.0.0.0:8443" in edge["command"]
    assert edge["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "https", "scheme": "HTTPS"}
    assert edge["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "https", "scheme": "HTTPS"}
    assert edge["resources"]["limits"]["memory"] == "300Mi"
    assert edge["securityContext"]["readOnlyRootFilesystem"] is True
    assert edge["securityContext"]["allowPrivilegeEscalation"] is False
    env = {e["name"]: e.get("value") for e in edge["env"]}
    assert env["DEEPSEEK_VERIFY_CALLER"] == "true"
    assert env["DEEPSEEK_KS_APISERVER_URL"] == "http://ks-apiserver.kubesphere-system.svc"
    assert env["DEEPSEEK_GATEWAY_URL"] == f"http://deepseek-backend-server-service.{NAMESPACE}.svc:11434"
    mounts = {m["mountPath"]: m["name"] for m in edge["volumeMounts"]}
    volumes = {v["name"]: v for v in pod_spec(dep)["volumes"]}
    assert volumes[mounts["/etc/deepseek/tls"]]["secret"]["secretName"] == "deepseek-api-tls"
    console = volumes[mounts["/etc/deepseek/gateway-console"]]["secret"]
    assert console["secretName"] == "deepseek-gateway-console" and console["optional"] is True
    assert env["DEEPSEEK_GATEWAY_CONSOLE_KEY_FILE"] == "/etc/deepseek/gateway-console/key"
    off = render(chart, set_values={"api.verifyCaller": False})
    edge_off = next(c for c in containers(one(off, "Deployment", "deepseek-api")) if c["name"] == "edge")
    assert {e["name"]: e.get("value") for e in edge_off["env"]}["DEEPSEEK_VERIFY_CALLER"] == "false"


def test_the_role_reads_configmaps_by_name_only(objects):
    role = one(objects, "Role", "deepseek-api")
    for rule in role["rules"]:
        if "configmaps" in rule["resources"] and set(rule["verbs"]) & {"get", "list", "watch"}:
            assert not set(rule["verbs"]) & {"list", "watch"}, rule
            assert rule["resources"] == ["configmaps"]
            assert set(rule["resourceNames"]) == {"deepseek-serving", "deepseek-model-state"}, rule
    from deepseek_ext.adapters.kube import NAMED_CONFIGMAPS

    granted = {n for r in role["rules"] if "configmaps" in r["resources"] and "get" in r["verbs"]
               for n in r.get("resourceNames", [])}
    assert set(NAMED_CONFIGMAPS) == granted  # what the adapter reads is what the Role allows
