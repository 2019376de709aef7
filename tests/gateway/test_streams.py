"""Streams through the gateway: incremental, reasoning renamed on /v1 only, usage, disconnects."""

from __future__ import annotations

import json
import socket
import time

import pytest
import requests

from tests.doubles.ollama_inference import DEFAULT_ANSWER, DEFAULT_REASONING
from tests.gateway.conftest import KEYS, MODEL

MESSAGES = [{"role": "user", "content": "why is the sky blue"}]
TOKENS = len(DEFAULT_REASONING) + len(DEFAULT_ANSWER)
PROMPT = 5  # words of MESSAGES: the double's prompt_tokens


def sse_events(answer: requests.Response) -> list[dict]:
    out = []
    for line in answer.iter_lines():
        if line.startswith(b"data: ") and line != b"data: [DONE]":
            out.append(json.loads(line[6:]))
    return out


def test_stream_is_incremental(gateway) -> None:
    gateway.ollama.configure(token_seconds=0.15)
    started = time.monotonic()
    with gateway.session().post(gateway.url + "/v1/chat/completions", stream=True, timeout=30,
                                json={"model": MODEL, "messages": MESSAGES, "stream": True}) as answer:
        assert answer.headers["Content-Type"].startswith("text/event-stream")
        lines = answer.iter_lines()
        first = next(line for line in lines if line)
        first_at = time.monotonic() - started
        # The first token arrived while the double was still generating the rest.
        assert gateway.ollama.stats.generations["/v1/chat/completions finished"] == 0
        assert json.loads(first[6:])["choices"][0]["delta"]["reasoning_content"] == DEFAULT_REASONING[0]
        rest = list(lines)
    total = time.monotonic() - started
    assert first_at < 0.5 * total
    assert b"data: [DONE]" in rest


def test_native_stream_is_incremental_and_untouched(gateway) -> None:
    gateway.ollama.configure(token_seconds=0.1)
    with gateway.session().post(gateway.url + "/api/chat", stream=True, timeout=30,
                                json={"model": MODEL, "messages": MESSAGES}) as answer:
        assert answer.headers["Content-Type"] == "application/x-ndjson"
        stream = answer.iter_lines()
        first = json.loads(next(stream))
        assert gateway.ollama.stats.generations["/api/chat finished"] == 0
        lines = [first] + [json.loads(line) for line in stream if line]
    assert first["message"]["thinking"] == DEFAULT_REASONING[0]
    assert all("reasoning_content" not in line["message"] for line in lines)
    assert lines[-1]["done"] is True and lines[-1]["eval_count"] == TOKENS


def test_reasoning_renamed_in_stream_deltas(gateway) -> None:
    answer = gateway.session().post(gateway.url + "/v1/chat/completions", timeout=30,
                                    json={"model": MODEL, "messages": MESSAGES, "stream": True})
    events = sse_events(answer)
    deltas = [e["choices"][0]["delta"] for e in events if e["choices"]]
    assert "".join(d.get("reasoning_content", "") for d in deltas) == "".join(DEFAULT_REASONING)
    assert "".join(d.get("content", "") for d in deltas) == "".join(DEFAULT_ANSWER)
    assert not any("reasoning" in d for d in deltas)


def test_reasoning_renamed_in_whole_answers(gateway) -> None:
    s = gateway.session()
    chat = s.post(gateway.url + "/v1/chat/completions", json={"model": MODEL, "messages": MESSAGES}, timeout=30)
    message = chat.json()["choices"][0]["message"]
    assert message["reasoning_content"] == "".join(DEFAULT_REASONING) and "reasoning" not in message
    completion = s.post(gateway.url + "/v1/completions", json={"model": MODEL, "prompt": "hi"}, timeout=30)
    choice = completion.json()["choices"][0]
    assert choice["reasoning_content"] == "".join(DEFAULT_REASONING) and "reasoning" not in choice
    native = s.post(gateway.url + "/api/chat", json={"model": MODEL, "messages": MESSAGES, "stream": False},
                    timeout=30).json()
    assert native["message"]["thinking"] == "".join(DEFAULT_REASONING)
    assert "reasoning_content" not in native["message"]


@pytest.mark.parametrize("asked", [False, True], ids=["client-did-not-ask", "client-asked"])
def test_stream_usage_counted_and_chunk_only_when_asked(gateway, asked) -> None:
    gateway.ollama.configure(token_seconds=0.01)  # a measurable generation time for tokens/s
    body = {"model": MODEL, "messages": MESSAGES, "stream": True}
    if asked:
        body["stream_options"] = {"include_usage": True}
    events = sse_events(gateway.session().post(gateway.url + "/v1/chat/completions", json=body, timeout=30))
    usage_chunks = [e for e in events if e["choices"] == []]
    assert len(usage_chunks) == (1 if asked else 0)
    if asked:
        assert usage_chunks[0]["usage"]["completion_tokens"] == TOKENS
    # The gateway asked ollama for usage either way.
    assert gateway.ollama.stats.log[-1][2]["stream_options"] == {"include_usage": True}
    labels = {"key": "app-one", "model": MODEL}
    assert gateway.metric("deepseek_gateway_tokens_total", kind="completion", **labels) == TOKENS
    assert gateway.metric("deepseek_gateway_tokens_total", kind="prompt", **labels) == PROMPT
    assert gateway.metric("deepseek_gateway_requests_total", code="200", **labels) == 1
    assert gateway.metric("deepseek_gateway_time_to_first_token_seconds_count", **labels) == 1
    assert gateway.metric("deepseek_gateway_tokens_per_second_count", **labels) == 1


def test_usage_of_whole_native_and_embedding_answers(gateway) -> None:
    s = gateway.session(KEYS["nextchat"])
    s.post(gateway.url + "/v1/chat/completions", json={"model": MODEL, "messages": MESSAGES}, timeout=30)
    s.post(gateway.url + "/api/chat", json={"model": MODEL, "messages": MESSAGES}, timeout=30)
    s.post(gateway.url + "/v1/embeddings", json={"model": MODEL, "input": "one two three"}, timeout=30)
    s.post(gateway.url + "/api/embed", json={"model": MODEL, "input": ["one two"]}, timeout=30)
    labels = {"key": "nextchat", "model": MODEL}
    assert gateway.metric("deepseek_gateway_tokens_total", kind="completion", **labels) == 2 * TOKENS
    assert gateway.metric("deepseek_gateway_tokens_total", kind="prompt", **labels) == 2 * PROMPT + 3 + 2
    assert gateway.metric("deepseek_gateway_requests_total", code="200", **labels) == 4


def test_metrics_and_logs_never_show_key_values(gateway, caplog) -> None:
    gateway.session().post(gateway.url + "/v1/chat/completions", json={"model": MODEL, "messages": MESSAGES},
                           timeout=30)
    gateway.session("a-wrong-key-value").get(gateway.url + "/api/tags", timeout=5)
    text = gateway.metrics_text()
    for value in [*KEYS.values(), "a-wrong-key-value"]:
        assert value not in text and value not in caplog.text
    assert 'key="app-one"' in text


def test_model_not_served_is_404_with_the_list(gateway) -> None:
    s = gateway.session()
    answer = s.post(gateway.url + "/v1/chat/completions", json={"model": "deepseek-r1:7b", "messages": MESSAGES},
                    timeout=5)
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "GatewayModelNotServed"
    assert answer.json()["error"]["models"] == [MODEL]
    native = s.post(gateway.url + "/api/generate", json={"model": "llama3"}, timeout=5)
    assert native.status_code == 404 and native.json()["models"] == [MODEL]
    assert gateway.ollama.stats.log == []
    # ollama's spelling of the same model is accepted.
    full = s.post(gateway.url + "/v1/chat/completions", timeout=30,
                  json={"model": "registry.ollama.ai/library/deepseek-r1:1.5b", "messages": MESSAGES})
    assert full.status_code == 200


def test_bad_json_is_400(gateway) -> None:
    answer = gateway.session().post(gateway.url + "/v1/chat/completions", data=b"{not json", timeout=5)
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "GatewayBadRequest"


def test_ollama_down_is_502(make_gateway) -> None:
    gw = make_gateway(ollama_url="http://127.0.0.1:9")
    answer = gw.session().get(gw.url + "/api/tags", timeout=15)
    assert answer.status_code == 502 and answer.json()["code"] == "GatewayUpstreamUnavailable"
    assert requests.get(gw.metrics_url + "/readyz", timeout=10).status_code == 503


def test_disconnect_cancels_upstream(gateway) -> None:
    gateway.ollama.configure(token_seconds=0.05, answer_words=tuple(f" w{i}" for i in range(200)))
    body = json.dumps({"model": MODEL, "messages": MESSAGES, "stream": True}).encode()
    host, port = gateway.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Authorization: Bearer " + KEYS["app-one"].encode() + b"\r\n"
                     b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
        seen = b""
        while b"data: " not in seen:
            seen += sock.recv(4096)
    # The client has gone away mid-stream.
    deadline = time.monotonic() + 5
    stats = gateway.ollama.stats.generations
    while time.monotonic() < deadline and not stats["/v1/chat/completions cancelled"]:
        time.sleep(0.05)
    assert stats["/v1/chat/completions cancelled"] == 1
    assert stats["/v1/chat/completions finished"] == 0
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not gateway.metric("deepseek_gateway_requests_total", key="app-one",
                                                             model=MODEL, code="499"):
        time.sleep(0.05)
    assert gateway.metric("deepseek_gateway_requests_total", key="app-one", model=MODEL, code="499") == 1


def _raw_reads(gateway, path: str, body: dict) -> list[bytes]:
    """The bytes of one streamed answer as the client's recv() calls returned them."""
    raw = json.dumps(body).encode()
    host, port = gateway.url.removeprefix("http://").split(":")
    reads: list[bytes] = []
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n".encode()
                     + b"Authorization: Bearer " + KEYS["app-one"].encode() + b"\r\n"
                     + f"Content-Length: {len(raw)}\r\n\r\n".encode() + raw)
        while not b"".join(reads).endswith(b"\r\n0\r\n\r\n"):
            reads.append(sock.recv(65536))
            assert reads[-1], "the gateway closed the connection before the end of the body"
    return reads


@pytest.mark.parametrize(("path", "last"), [("/v1/chat/completions", b"data: [DONE]"),
                                            ("/api/chat", b'"done":true')], ids=["openai", "native"])
def test_the_last_event_goes_out_with_the_end_of_the_body(gateway, path: str, last: bytes) -> None:
    # One write for the final event and the chunked terminator: the client reads both at once
    # instead of waking up once more for five bytes.
    gateway.ollama.configure(token_seconds=0.02)
    reads = _raw_reads(gateway, path, {"model": MODEL, "messages": MESSAGES, "stream": True})
    assert len(reads) > 3  # still a stream: the tokens came one by one
    final = next(r for r in reads if last in r)
    assert final.endswith(b"\r\n0\r\n\r\n"), reads[-3:]


@pytest.mark.parametrize("payload", [
    {"choices": [{"index": 0, "delta": {"role": "assistant", "content": "", "reasoning": "Hmm"}}]},
    {"choices": [{"delta": {"content": 'he wrote "reasoning": yes', "reasoning": 'a "reasoning": b'}}]},
    {"choices": [{"delta": {"content": "no thinking here"}}]},
    {"choices": [{"text": "x", "reasoning": "y"}]},
], ids=["delta", "quoted-key-in-strings", "no-reasoning", "completion-choice"])
def test_byte_rename_equals_the_decoded_rename(payload) -> None:
    """The per-chunk fast path gives the same JSON as decoding, renaming and re-encoding."""
    import copy
    import json as _json

    from deepseek_ext.gateway import reasoning
    from deepseek_ext.gateway.proxy import rename_reasoning_bytes

    go_json = b"data: " + _json.dumps(payload, separators=(",", ":")).encode() + b"\n\n"  # Go's compact form
    renamed = rename_reasoning_bytes(go_json)
    assert renamed is not None
    assert _json.loads(renamed[6:]) == reasoning.rename_reasoning(copy.deepcopy(payload))


def test_byte_rename_leaves_usage_and_existing_reasoning_content_to_the_decoder() -> None:
    from deepseek_ext.gateway.proxy import rename_reasoning_bytes

    assert rename_reasoning_bytes(b'data: {"choices":[],"usage":{"prompt_tokens":1}}\n\n') is None
    both = b'data: {"choices":[{"delta":{"reasoning_content":"a","reasoning":"b"}}]}\n\n'
    assert rename_reasoning_bytes(both) is None
