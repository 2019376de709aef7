"""Fair share: per-key concurrent requests and tokens per minute, answered 429 with Retry-After."""

from __future__ import annotations

import json
import threading

import pytest
from deepseek_ext.gateway.limits import LimitConfig, Limiter

from tests.gateway.conftest import KEYS, MODEL

CHAT = {"model": MODEL, "messages": [{"role": "user", "content": "hi"}], "stream": True}


def test_concurrent_limit_is_per_key(make_gateway) -> None:
    gw = make_gateway(limits=LimitConfig(concurrent=1))
    gw.ollama.configure(token_seconds=0.1)
    with gw.session().post(gw.url + "/v1/chat/completions", json=CHAT, stream=True, timeout=30) as first:
        lines = first.iter_lines()  # kept: closing this generator would close the connection
        assert next(lines)  # the first stream is open
        second = gw.session().post(gw.url + "/v1/chat/completions", json=CHAT, timeout=30)
        assert second.status_code == 429
        assert second.headers["Retry-After"] == "1"
        error = second.json()["error"]
        assert (error["code"], error["type"], error["limit"], error["keyName"]) == (
            "GatewayLimitConcurrent", "rate_limit_error", 1, "app-one")
        # Another key still gets its share.
        other = gw.session(KEYS["nextchat"]).post(gw.url + "/v1/chat/completions", json=CHAT, timeout=30)
        assert other.status_code == 200
        assert b"[DONE]" in b"".join(lines)
    # The slot is free again once the stream ends.
    assert gw.session().post(gw.url + "/v1/chat/completions", json=CHAT, timeout=30).status_code == 200
    assert gw.metric("deepseek_gateway_requests_total", key="app-one", model=MODEL, code="429") == 1
    assert gw.ollama.stats.generations["/v1/chat/completions started"] == 3


def test_tokens_per_minute(make_gateway) -> None:
    gw = make_gateway(limits=LimitConfig(tokens_per_minute=10))
    s = gw.session()
    assert s.post(gw.url + "/api/chat", json={**CHAT, "stream": False}, timeout=30).status_code == 200
    refused = s.post(gw.url + "/api/chat", json={**CHAT, "stream": False}, timeout=30)
    assert refused.status_code == 429
    assert refused.json()["code"] == "GatewayLimitTokens"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert gw.session(KEYS["nextchat"]).post(gw.url + "/api/chat", json=CHAT, timeout=30).status_code == 200


def test_limiter_window_and_release() -> None:
    now = [0.0]
    limiter = Limiter(LimitConfig(concurrent=2, tokens_per_minute=100), clock=lambda: now[0])
    assert limiter.acquire("a") is None and limiter.acquire("a") is None
    refusal = limiter.acquire("a")
    assert refusal is not None and refusal.reason == "concurrent"
    limiter.release("a")
    limiter.spend("a", 150)
    now[0] = 20
    refusal = limiter.acquire("a")
    assert refusal is not None and (refusal.reason, refusal.retry_after) == ("tokensPerMinute", 40)
    now[0] = 60.5
    assert limiter.acquire("a") is None
    assert limiter.open_requests("a") == 2


def test_many_parallel_streams_of_one_key_get_at_most_the_limit(make_gateway) -> None:
    gw = make_gateway(limits=LimitConfig(concurrent=3))
    gw.ollama.configure(token_seconds=0.05)
    codes: list[int] = []

    def one() -> None:
        answer = gw.session().post(gw.url + "/v1/chat/completions", json=CHAT, timeout=30)
        codes.append(answer.status_code)
        if answer.status_code == 200:
            assert b"[DONE]" in answer.content
        else:
            json.loads(answer.content)

    threads = [threading.Thread(target=one) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert codes.count(200) >= 3 and codes.count(429) >= 1
    assert gw.ollama.stats.generations["/v1/chat/completions started"] == codes.count(200)


def test_per_key_override() -> None:
    limiter = Limiter(LimitConfig(concurrent=1, concurrent_per_key={"nextchat": 3}))
    assert [limiter.acquire("nextchat") for _ in range(4)][-1] is not None
    assert limiter.open_requests("nextchat") == 3
    assert limiter.acquire("app") is None and limiter.acquire("app") is not None


def test_key_overrides_parse() -> None:
    from deepseek_ext.gateway.cli import key_overrides

    assert key_overrides(" nextchat=4, app=2 ,") == {"nextchat": 4, "app": 2}
    with pytest.raises(ValueError):
        key_overrides("nextchat")
