"""Console identity at the gateway: ``X-DeepSeek-User`` counts only from a trusted proxy key.

The extension API's chat route calls the gateway with the console key and names the KubeSphere
user; the gateway then meters and limits that request as ``user:<name>``. Any other key sending
the header is metered as itself, and the header never reaches ollama.
"""

from __future__ import annotations

import pytest
from deepseek_ext.gateway.limits import LimitConfig

from tests.gateway.conftest import KEYS, MODEL

CHAT = {"model": MODEL, "messages": [{"role": "user", "content": "hi"}]}
STREAM = {**CHAT, "stream": True}


@pytest.fixture
def gw(make_gateway):
    return make_gateway(trusted_proxy_keys=frozenset({"console"}))


def chat(gw, key, user=None, body=CHAT):
    headers = {"X-DeepSeek-User": user} if user is not None else {}
    return gw.session(key).post(gw.url + "/v1/chat/completions", json=body, headers=headers, timeout=30)


def test_trusted_key_is_metered_as_the_user(gw) -> None:
    assert chat(gw, KEYS["console"], "alice").status_code == 200
    assert chat(gw, KEYS["console"], "alice").status_code == 200
    assert chat(gw, KEYS["console"], "bob").status_code == 200
    assert gw.metric("deepseek_gateway_requests_total", key="user:alice", model=MODEL, code="200") == 2
    assert gw.metric("deepseek_gateway_requests_total", key="user:bob", model=MODEL, code="200") == 1
    assert gw.metric("deepseek_gateway_requests_total", key="console", model=MODEL, code="200") == 0
    # The header is the gateway's business only: ollama never sees it.
    assert all("x-deepseek-user" not in {h.lower() for h in headers} for headers in gw.ollama.stats.headers)


def test_trusted_key_without_a_user_is_metered_as_itself(gw) -> None:
    assert chat(gw, KEYS["console"]).status_code == 200
    assert gw.metric("deepseek_gateway_requests_total", key="console", model=MODEL, code="200") == 1


@pytest.mark.parametrize("key", ["app-one", "nextchat"])
def test_header_ignored_from_other_keys(gw, key) -> None:
    assert chat(gw, KEYS[key], "alice").status_code == 200
    assert gw.metric("deepseek_gateway_requests_total", key=key, model=MODEL, code="200") == 1
    assert gw.metric("deepseek_gateway_requests_total", key="user:alice", model=MODEL, code="200") == 0
    assert all("x-deepseek-user" not in {h.lower() for h in headers} for headers in gw.ollama.stats.headers)


def test_header_ignored_when_no_key_is_trusted(make_gateway) -> None:
    gw = make_gateway()  # no --trusted-proxy-keys
    assert chat(gw, KEYS["console"], "alice").status_code == 200
    assert gw.metric("deepseek_gateway_requests_total", key="console", model=MODEL, code="200") == 1


@pytest.mark.parametrize("user", ["al ice", "-alice", "a/b", "x" * 300])
def test_bad_user_name_is_400(gw, user) -> None:
    answer = chat(gw, KEYS["console"], user)
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == "GatewayUserInvalid"
    assert gw.ollama.stats.log == []


def test_per_user_concurrency_limit(make_gateway) -> None:
    gw = make_gateway(trusted_proxy_keys=frozenset({"console"}),
                      limits=LimitConfig(concurrent=8, concurrent_per_user=1))
    gw.ollama.configure(token_seconds=0.1)
    with gw.session(KEYS["console"]).post(gw.url + "/v1/chat/completions", json=STREAM, stream=True, timeout=30,
                                          headers={"X-DeepSeek-User": "alice"}) as first:
        lines = first.iter_lines()
        assert next(lines)  # alice's first stream is open
        second = chat(gw, KEYS["console"], "alice", STREAM)
        assert second.status_code == 429
        assert second.headers["Retry-After"] == "1"
        error = second.json()["error"]
        assert (error["code"], error["keyName"], error["limit"]) == ("GatewayLimitConcurrent", "user:alice", 1)
        # Another user of the same console key has a slot of their own.
        assert chat(gw, KEYS["console"], "bob", STREAM).status_code == 200
        assert b"[DONE]" in b"".join(lines)
    assert chat(gw, KEYS["console"], "alice", STREAM).status_code == 200
    assert gw.metric("deepseek_gateway_requests_total", key="user:alice", model=MODEL, code="429") == 1


def test_per_user_limit_defaults_to_the_key_limit() -> None:
    limits = LimitConfig(concurrent=3, concurrent_per_key={"nextchat": 9})
    assert limits.concurrent_for("user:alice") == 3
    assert LimitConfig(concurrent=3, concurrent_per_user=2).concurrent_for("user:alice") == 2
    assert LimitConfig(concurrent=3, concurrent_per_user=2).concurrent_for("app-one") == 3
    assert limits.concurrent_for("nextchat") == 9
