"""The edge forwards requests to gunicorn as they came and answers as gunicorn answered."""

from __future__ import annotations

import socket
import time

import pytest
import requests

from tests.edge.conftest import PREFIX, body_json
from tests.stack import free_port


def test_path_query_and_headers_arrive_as_sent_without_hop_by_hop(echo, make_edge):
    seen, upstream = echo
    edge = make_edge(upstream.url)
    r = requests.post(f"{edge.url}{PREFIX}/config/validate?lang=zh&x=%2F", data=b"model: x\n",
                      headers={"X-Remote-User": "alice", "Content-Type": "application/yaml",
                               "Authorization": "Bearer t", "Keep-Alive": "timeout=5", "X-Custom": "1",
                               "Connection": "keep-alive, X-Custom"}, timeout=5)
    assert r.status_code == 200 and r.headers["X-Upstream"] == "yes"
    got = seen.seen[-1]
    assert got["method"] == "POST" and got["path_qs"] == f"{PREFIX}/config/validate?lang=zh&x=%2F"
    assert got["body"] == b"model: x\n"
    headers = {k.lower(): v for k, v in got["headers"].items()}
    assert headers["x-remote-user"] == "alice" and headers["content-type"] == "application/yaml"
    assert headers["authorization"] == "Bearer t"
    assert "keep-alive" not in headers and "x-custom" not in headers  # named by Connection: hop-by-hop


def test_streaming_answers_pass_through_chunk_by_chunk(echo, make_edge):
    _, upstream = echo
    edge = make_edge(upstream.url)
    started = time.monotonic()
    with requests.get(f"{edge.url}/stream", stream=True, timeout=5) as r:
        chunks = r.iter_content(chunk_size=None)
        first = next(chunks)
        first_at = time.monotonic() - started
        rest = b"".join(chunks)
    assert first == b"data: 0\n\n" and first_at < 0.25  # before the upstream wrote the second event
    assert rest == b"data: 1\n\ndata: 2\n\n"


def test_healthz_is_the_edge_own_and_readyz_is_gunicorn(echo, make_edge):
    seen, upstream = echo
    edge = make_edge(upstream.url)
    assert body_json(requests.get(edge.url + "/healthz", timeout=5)) == {"status": "ok", "component": "edge"}
    assert not seen.seen
    requests.get(edge.url + "/readyz", timeout=5)
    assert seen.seen[-1]["path_qs"] == "/readyz"


def test_declared_body_over_the_limit_is_refused_before_reading(echo, make_edge):
    seen, upstream = echo
    edge = make_edge(upstream.url)
    r = requests.post(f"{edge.url}{PREFIX}/config/validate", data=b"x" * (1024 * 1024 + 1), timeout=10)
    assert r.status_code == 413
    body = body_json(r)
    assert body["code"] == "PayloadTooLarge" and body["field"] == "body" and body["given"] == 1024 * 1024 + 1
    assert set(body["message"]) == {"en", "zh"} and body["language"] == "en"
    assert not seen.seen


def test_chunked_body_over_the_limit_is_refused(echo, make_edge):
    seen, upstream = echo
    edge = make_edge(upstream.url, max_body_bytes=1000)
    r = requests.post(f"{edge.url}{PREFIX}/config/validate", data=iter([b"x" * 600, b"y" * 600]), timeout=10)
    assert r.status_code == 413 and body_json(r)["code"] == "PayloadTooLarge"
    assert not seen.seen


def test_gunicorn_down_is_a_502_envelope_in_the_callers_language(make_edge):
    edge = make_edge(f"http://127.0.0.1:{free_port()}")
    r = requests.get(f"{edge.url}{PREFIX}/status", headers={"Accept-Language": "zh-CN,zh;q=0.9"}, timeout=5)
    assert r.status_code == 502
    body = body_json(r)
    assert body["code"] == "ApiUpstreamUnavailable" and body["language"] == "zh"
    assert r.headers["Content-Language"] == "zh"


def test_body_that_does_not_arrive_in_time_is_a_408(echo, make_edge):
    seen, upstream = echo
    edge = make_edge(upstream.url, body_timeout_seconds=0.5)
    port = int(edge.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(f"POST {PREFIX}/config/validate HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab".encode())
        answer = sock.recv(65536).decode()
    assert answer.startswith("HTTP/1.1 408"), answer[:200]
    assert '"code": "RequestTimeout"' in answer
    assert not seen.seen


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_other_methods_are_forwarded_too(echo, make_edge, method):
    seen, upstream = echo
    edge = make_edge(upstream.url)
    r = requests.request(method, f"{edge.url}{PREFIX}/models/deepseek-r1:7b", headers={"X-Remote-User": "a"},
                         timeout=5)
    assert r.status_code == 200 and seen.seen[-1]["method"] == method
