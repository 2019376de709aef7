"""``GET /usage`` on the admin port: requests, errors and tokens per caller and model since start."""

from __future__ import annotations

import requests

from tests.gateway.conftest import ADMIN_KEY, KEYS, MODEL

CHAT = {"model": MODEL, "messages": [{"role": "user", "content": "hi"}]}


def usage(gw, key: str | None = ADMIN_KEY) -> requests.Response:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return requests.get(gw.admin_url + "/usage", headers=headers, timeout=5)


def test_usage_per_caller_and_model(make_gateway) -> None:
    gw = make_gateway(trusted_proxy_keys=frozenset({"console"}))
    app = gw.session()
    assert app.post(gw.url + "/v1/chat/completions", json=CHAT, timeout=10).status_code == 200
    assert app.post(gw.url + "/api/chat", json={**CHAT, "stream": True}, timeout=10).status_code == 200
    assert app.post(gw.url + "/v1/chat/completions", json={**CHAT, "model": "other:1b"}, timeout=10).status_code == 404
    console = gw.session(KEYS["console"])
    assert console.post(gw.url + "/v1/chat/completions", json={**CHAT, "stream": True}, timeout=10,
                        headers={"X-DeepSeek-User": "alice"}).status_code == 200
    assert gw.session("wrong").post(gw.url + "/v1/chat/completions", json=CHAT, timeout=10).status_code == 401

    answer = usage(gw)
    assert answer.status_code == 200
    body = answer.json()
    assert body["since"].endswith("Z")
    items = {i["caller"]: i for i in body["items"]}
    assert set(items) == {"app-one", "user:alice"}  # a refused key has no caller to charge
    one = items["app-one"]
    assert (one["kind"], one["requests"], one["errors"]) == ("key", 3, 1)
    assert one["promptTokens"] > 0 and one["completionTokens"] > 0
    assert one["models"][MODEL]["requests"] == 2
    assert one["models"][MODEL]["completionTokens"] == one["completionTokens"]
    alice = items["user:alice"]
    assert (alice["kind"], alice["requests"], alice["errors"]) == ("user", 1, 0)
    assert alice["completionTokens"] > 0  # from the usage chunk the gateway asked for
    # The same figures as the Prometheus counters.
    assert one["completionTokens"] == gw.metric("deepseek_gateway_tokens_total", key="app-one", model=MODEL,
                                                kind="completion")
    assert not any(value in answer.text for value in (*KEYS.values(), ADMIN_KEY))


def test_usage_needs_the_admin_key(gateway) -> None:
    assert usage(gateway, None).status_code == 401
    assert usage(gateway, KEYS["app-one"]).status_code == 401
    # The application port does not serve it at all.
    assert gateway.session().get(gateway.url + "/usage", timeout=5).status_code == 404
    assert all(path != "/usage" for _, path, _ in gateway.ollama.stats.log)
