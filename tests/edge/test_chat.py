"""``POST P/chat/completions`` through the edge and the real model gateway (deepseek_ext.gateway) to the
ollama double: streamed, as the user, configured models only, errors in the API's envelope.

The gateway trusts the console key as a proxy (``--trusted-proxy-keys console``, as the chart starts it), so
the tests follow one chat from the edge to ollama and read the gateway's own metrics and limits per user.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import requests
from deepseek_ext.adapters.files import load_messages
from deepseek_ext.edge.config import ChatSettings
from deepseek_ext.gateway.app import GatewayConfig
from deepseek_ext.gateway.keys import KeyStore
from deepseek_ext.gateway.limits import LimitConfig

from tests.doubles.ollama import OllamaDouble
from tests.edge.conftest import PREFIX, body_json
from tests.gateway.conftest import start_gateway, stop_gateway, write_keys
from tests.stack import free_port

MODEL = "deepseek-r1:1.5b"
NOT_PULLED = "deepseek-r1:14b"
CONSOLE_KEY = "console-key-secret-value"
CHAT = f"{PREFIX}/chat/completions"
ALICE = {"X-Remote-User": "alice"}


@pytest.fixture
def ollama() -> Iterator[OllamaDouble]:
    with OllamaDouble(local=[MODEL]) as double:
        yield double


@pytest.fixture
def gateway(tmp_path: Path, ollama: OllamaDouble):
    keys_file = tmp_path / "keys.yaml"
    write_keys(keys_file, {"console": CONSOLE_KEY})
    config = GatewayConfig(ollama_url=ollama.url, catalog=load_messages(), keys=KeyStore([keys_file]),
                           models=(MODEL, NOT_PULLED), limits=LimitConfig(concurrent=2, concurrent_per_user=1),
                           trusted_proxy_keys=frozenset({"console"}))
    gw = start_gateway(config, ollama, keys_file)
    yield gw
    stop_gateway(gw)


@pytest.fixture
def console_key(tmp_path: Path) -> Path:
    path = tmp_path / "console-key"
    path.write_text(CONSOLE_KEY + "\n")
    return path


@pytest.fixture
def chat_edge(echo, make_edge, gateway, console_key):
    _, upstream = echo
    return make_edge(upstream.url, chat=ChatSettings(gateway_url=gateway.url, console_key_file=console_key))


def ask(edge, *, stream: bool = True, model: str = MODEL, headers=ALICE, **kwargs):
    body = {"model": model, "messages": [{"role": "user", "content": "hi"}], "stream": stream}
    return requests.post(edge.url + CHAT, json=body, headers=headers, stream=stream, timeout=10, **kwargs)


def sse_payloads(response: requests.Response) -> list[object]:
    out: list[object] = []
    for line in response.iter_lines():
        if line.startswith(b"data: "):
            data = line[len(b"data: "):]
            out.append("[DONE]" if data == b"[DONE]" else json.loads(data))
    return out


def test_a_stream_arrives_chunk_by_chunk_with_reasoning_content(chat_edge, ollama):
    ollama.configure(token_seconds=0.1)
    started = time.monotonic()
    with ask(chat_edge) as r:
        assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/event-stream")
        chunks = r.iter_content(chunk_size=None)
        next(chunks)
        first_at = time.monotonic() - started
        payloads = sse_payloads(r)
    assert first_at < 0.6  # well before the ~1.1 s the whole answer takes
    deltas = [p["choices"][0]["delta"] for p in payloads if isinstance(p, dict) and p.get("choices")]
    assert "".join(d.get("reasoning_content") or "" for d in deltas)  # the gateway's DeepSeek dialect
    assert "".join(d.get("content") or "" for d in deltas) == "Hello from deepseek-r1."
    assert payloads[-1] == "[DONE]"


def test_the_gateway_sees_the_console_key_and_the_user(chat_edge, gateway, monkeypatch):
    from deepseek_ext.gateway import proxy

    seen = {}
    original = proxy.upstream_headers

    def spy(request):
        seen.update(request.headers)
        return original(request)

    monkeypatch.setattr(proxy, "upstream_headers", spy)
    assert ask(chat_edge, stream=False).status_code == 200
    assert seen["Authorization"] == f"Bearer {CONSOLE_KEY}" and seen["X-DeepSeek-User"] == "alice"


def test_usage_is_metered_per_console_user(chat_edge, gateway):
    for headers in (ALICE, ALICE, {"X-Remote-User": "bob"}):
        assert ask(chat_edge, stream=False, headers=headers).status_code == 200
    assert gateway.metric("deepseek_gateway_requests_total", key="user:alice", model=MODEL, code="200") == 2
    assert gateway.metric("deepseek_gateway_requests_total", key="user:bob", model=MODEL, code="200") == 1
    # The console key itself is never the caller: every console request is someone's.
    assert gateway.metric("deepseek_gateway_requests_total", key="console", model=MODEL, code="200") == 0


def test_the_per_user_limit_is_a_429_for_that_user_only(chat_edge, ollama):
    ollama.configure(token_seconds=0.3)
    held = ask(chat_edge, headers=ALICE)  # the one stream a console user may have open here
    try:
        assert held.status_code == 200
        r = ask(chat_edge, stream=False, headers=ALICE)
        body = body_json(r)
        assert r.status_code == 429 and body["code"] == "TooManyRequests" and r.headers["Retry-After"]
        ollama.configure(token_seconds=0.0)
        assert ask(chat_edge, stream=False, headers={"X-Remote-User": "bob"}).status_code == 200
    finally:
        held.close()


def test_a_whole_answer_is_json(chat_edge):
    r = ask(chat_edge, stream=False)
    assert r.status_code == 200 and r.json()["choices"][0]["message"]["content"] == "Hello from deepseek-r1."


def test_no_identity_is_a_401(chat_edge, ollama):
    r = ask(chat_edge, headers={})
    assert r.status_code == 401 and body_json(r)["code"] == "Unauthenticated"
    assert not ollama.stats.generations


def test_only_post(chat_edge):
    r = requests.get(chat_edge.url + CHAT, headers=ALICE, timeout=5)
    assert r.status_code == 405 and r.headers["Allow"] == "POST"


def test_a_model_that_is_not_configured_is_404_with_the_served_ones(chat_edge):
    r = ask(chat_edge, model="llama3:8b", stream=False)
    body = body_json(r)
    assert r.status_code == 404 and body["code"] == "ModelNotServed"
    assert body["given"] == "llama3:8b" and body["allowed"] == [MODEL, NOT_PULLED]


def test_a_configured_model_not_on_ollama_yet_is_not_ready(chat_edge):
    r = ask(chat_edge, model=NOT_PULLED, stream=False)
    body = body_json(r)
    assert r.status_code == 409 and body["code"] == "ModelNotReady" and body["params"] == {"model": NOT_PULLED}


def test_gateway_down_is_ollama_unavailable(echo, make_edge, console_key):
    _, upstream = echo
    edge = make_edge(upstream.url, chat=ChatSettings(gateway_url=f"http://127.0.0.1:{free_port()}",
                                                    console_key_file=console_key))
    r = ask(edge, stream=False)
    assert r.status_code == 503 and body_json(r)["code"] == "OllamaUnavailable"


def test_no_console_key_means_chat_is_unavailable(echo, make_edge, gateway, tmp_path):
    _, upstream = echo
    edge = make_edge(upstream.url, chat=ChatSettings(gateway_url=gateway.url, console_key_file=tmp_path / "none"))
    r = ask(edge, stream=False)
    assert r.status_code == 503 and body_json(r)["code"] == "ChatUnavailable"


def test_a_wrong_console_key_is_the_installs_fault_not_the_users(echo, make_edge, gateway, console_key):
    _, upstream = echo
    console_key.write_text("not-the-key")
    edge = make_edge(upstream.url, chat=ChatSettings(gateway_url=gateway.url, console_key_file=console_key))
    r = ask(edge, stream=False)
    assert r.status_code == 502 and body_json(r)["code"] == "ChatGatewayRefused"


def test_closing_the_browser_stops_the_generation(chat_edge, ollama):
    ollama.configure(token_seconds=0.2, answer_words=tuple(f" w{i}" for i in range(100)))
    with ask(chat_edge) as r:
        next(r.iter_content(chunk_size=None))
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not ollama.stats.generations.get("/v1/chat/completions cancelled"):
        time.sleep(0.1)
    assert ollama.stats.generations["/v1/chat/completions cancelled"] == 1


def test_chat_is_verified_like_a_write(echo, make_edge, gateway, console_key, ollama):
    from tests.doubles.ks_oauth import KsOAuthDouble

    _, upstream = echo
    with KsOAuthDouble({"token-of-alice": "alice"}) as ks:
        edge = make_edge(upstream.url, verify=True, ks_url=ks.url,
                         chat=replace(ChatSettings(), gateway_url=gateway.url, console_key_file=console_key))
        forged = ask(edge, stream=False)
        assert forged.status_code == 401 and body_json(forged)["reason"] == "noToken"
        ok = ask(edge, stream=False, headers={**ALICE, "Authorization": "Bearer token-of-alice"})
        assert ok.status_code == 200
