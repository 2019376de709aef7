"""Model-changing endpoints never reach ollama through the application listener, key or not."""

from __future__ import annotations

import pytest

from tests.gateway.conftest import ADMIN_KEY, KEYS, MODEL

ADMIN_REQUESTS = [
    ("POST", "/api/pull", {"model": MODEL}),
    ("POST", "/api/push", {"model": MODEL}),
    ("POST", "/api/create", {"model": MODEL, "from": MODEL, "system": "poisoned"}),
    ("POST", "/api/copy", {"source": "evil", "destination": MODEL}),
    ("DELETE", "/api/delete", {"model": MODEL}),
    ("POST", "/api/blobs/sha256-" + "0" * 64, None),
    ("HEAD", "/api/blobs/sha256-" + "0" * 64, None),
]


@pytest.mark.parametrize("key", [None, KEYS["app-one"], "wrong", ADMIN_KEY], ids=["no-key", "app-key", "bad-key",
                                                                                   "admin-key"])
@pytest.mark.parametrize(("method", "path", "body"), ADMIN_REQUESTS,
                         ids=[f"{m} {p[:16]}" for m, p, _ in ADMIN_REQUESTS])
def test_admin_endpoint_refused_and_not_forwarded(gateway, method, path, body, key) -> None:
    answer = gateway.session(key).request(method, gateway.url + path, json=body, timeout=5)
    assert answer.status_code == 403
    if method != "HEAD":
        assert answer.json()["code"] == "GatewayAdminRoute"
        assert answer.json()["path"] == path
    assert not [r for r in gateway.ollama.stats.requests if r.endswith(path)]
    assert gateway.ollama.stats.log == []


def test_unknown_route_is_404_and_not_forwarded(gateway) -> None:
    answer = gateway.session().get(gateway.url + "/api/../api/pull", timeout=5)
    assert answer.status_code in (403, 404)
    answer = gateway.session().post(gateway.url + "/v1/files", json={}, timeout=5)
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "GatewayUnknownRoute"
    assert gateway.ollama.stats.log == []


def test_admin_listener_needs_the_admin_key(gateway) -> None:
    for key in (None, KEYS["app-one"], "wrong"):
        answer = gateway.session(key).post(gateway.admin_url + "/api/pull", json={"model": MODEL}, timeout=5)
        assert answer.status_code == 401
        assert answer.json()["code"] == "GatewayAdminKey"
    assert gateway.ollama.stats.log == []


def test_admin_listener_forwards_everything_with_the_admin_key(gateway) -> None:
    s = gateway.session(ADMIN_KEY)
    answer = s.post(gateway.admin_url + "/api/pull", json={"model": "deepseek-r1:14b"}, timeout=30)
    assert answer.status_code == 200
    assert answer.text.strip().splitlines()[-1] == '{"status": "success"}'
    assert s.delete(gateway.admin_url + "/api/delete", json={"model": "deepseek-r1:14b"}, timeout=5).status_code == 200
    assert gateway.ollama.stats.pulls_succeeded["deepseek-r1:14b"] == 1
    assert gateway.ollama.stats.deletes["deepseek-r1:14b"] == 1
    # ollama never sees the caller's credentials.
    assert s.get(gateway.admin_url + "/api/tags", timeout=5).status_code == 200
