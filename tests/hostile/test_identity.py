"""Callers that claim an identity without coming through ks-apiserver.

ks-apiserver authenticates the user, authorizes the request by RBAC on deepseek.kubesphere.io,
drops whatever ``X-Remote-User`` the client sent and sets its own; the chart's NetworkPolicy lets
only ks-apiserver reach the API. So two guards: in the cluster, the NetworkPolicy (checked here on
the rendered chart); in the API, a request *without* ``X-Remote-User`` is anonymous and may not
change anything, whatever other header it sends (checked here against gunicorn as shipped).
"""

from __future__ import annotations

import requests

from tests.faults.probe import READ_ONLY_POSTS
from tests.helmtools import one
from tests.stack import PREFIX, Stack, rendered

SPOOFS: list[dict[str, str]] = [
    {},
    {"X-Remote-User": ""},
    {"X-Remote-Group": "system:masters"},
    {"X-Remote-Group": "platform-admin", "X-Remote-Extra-Scopes": "*"},
    {"Impersonate-User": "admin", "Impersonate-Group": "system:masters"},
    {"Authorization": "Bearer eyJhbGciOiJub25lIn0.eyJ1c2VybmFtZSI6ImFkbWluIn0."},
    {"X-Forwarded-User": "admin", "X-Forwarded-For": "10.0.0.1"},
    {"X-Auth-Request-User": "admin", "Remote-User": "admin"},
]


def _write_operations(api_url: str) -> list[tuple[str, str]]:
    doc = requests.get(api_url + PREFIX + "/openapi.json", timeout=10).json()
    ops = []
    for path, item in doc.get("paths", {}).items():
        for method in item:
            m = method.upper()
            if m in ("POST", "PUT", "PATCH", "DELETE") and not path.endswith(READ_ONLY_POSTS):
                ops.append((m, path.replace("{name}", "deepseek-r1:7b")))
    return sorted(ops)


def test_the_api_documents_write_endpoints(api_url: str) -> None:
    """Guards the loop below against silently checking nothing."""
    assert _write_operations(api_url), "no write endpoint in the OpenAPI document"


def test_writes_without_x_remote_user_are_refused_whatever_else_is_claimed(hostile_stack: Stack,
                                                                              api_url: str) -> None:
    before = sorted((o["kind"], o["metadata"]["name"], o["metadata"]["resourceVersion"])
                    for o in hostile_stack.kube.objects())
    pulls_before = sum(d.stats.pulls_started.total() for d in hostile_stack.fleet.doubles)
    for method, path in _write_operations(api_url):
        for headers in SPOOFS:
            resp = requests.request(method, api_url + path, headers=headers, json={}, timeout=10)
            assert resp.status_code == 401, (
                f"{method} {path} with {headers}: {resp.status_code} {resp.text[:300]}")
            body = resp.json()
            assert body.get("field") == "X-Remote-User", body
            assert body["message"]["en"] and body["message"]["zh"], body
    after = sorted((o["kind"], o["metadata"]["name"], o["metadata"]["resourceVersion"])
                   for o in hostile_stack.kube.objects())
    assert after == before, "a refused write changed the cluster"
    assert sum(d.stats.pulls_started.total() for d in hostile_stack.fleet.doubles) == pulls_before
    writes = [r for r in hostile_stack.kube.requests if r.method != "GET"]
    assert not writes, "a refused write reached the cluster"


def test_spoofed_headers_are_not_echoed_as_the_caller(prefix_url: str) -> None:
    """Reads are open to any authenticated user; they must not report an identity they were told."""
    resp = requests.get(prefix_url + "/status", headers={"X-Remote-Group": "system:masters",
                                                         "Impersonate-User": "admin"}, timeout=15)
    assert resp.status_code == 200, resp.text[:300]
    assert "system:masters" not in resp.text and "Impersonate" not in resp.text


def test_network_policy_admits_only_ks_apiserver_to_the_api_pods() -> None:
    """The cluster-side guard: without it anybody in the cluster could send X-Remote-User: admin."""
    objects = rendered()
    policy = one(objects, "NetworkPolicy", "deepseek-api")
    api = one(objects, "Deployment", "deepseek-api")
    pod_labels = api["spec"]["template"]["metadata"]["labels"]
    selector = policy["spec"]["podSelector"]["matchLabels"]
    assert selector and all(pod_labels.get(k) == v for k, v in selector.items()), (selector, pod_labels)
    assert "Ingress" in policy["spec"]["policyTypes"]
    rules = policy["spec"].get("ingress") or []
    assert rules, "no ingress rule: the policy would deny everything, including ks-apiserver"
    for rule in rules:
        peers = rule.get("from")
        assert peers, f"a rule without 'from' admits every source: {rule}"
        for peer in peers:
            assert "ipBlock" not in peer, f"an ipBlock admits callers that are not ks-apiserver: {peer}"
            assert peer.get("podSelector", {}).get("matchLabels", {}).get("app") == "ks-apiserver", peer
            ns = peer.get("namespaceSelector", {}).get("matchLabels", {})
            assert ns.get("kubernetes.io/metadata.name") == "kubesphere-system", peer
