"""Caller verification: writes, chat and secret reads need a bearer token ks-apiserver names as X-Remote-User."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.doubles.ks_oauth import KsOAuthDouble
from tests.edge.conftest import PREFIX, body_json

TOKENS = {"token-of-alice": "alice", "token-of-bob": "bob"}


@pytest.fixture
def ks():
    with KsOAuthDouble(TOKENS) as double:
        yield double


@pytest.fixture
def verified_edge(echo, ks, make_edge):
    seen, upstream = echo
    return seen, make_edge(upstream.url, verify=True, ks_url=ks.url)


def post(edge, path="/models/deepseek-r1:7b/pull", **headers):
    return requests.post(f"{edge.url}{PREFIX}{path}", json={}, headers=headers, timeout=5)


def test_a_write_with_the_users_own_token_is_forwarded_with_the_verified_name(verified_edge, ks):
    seen, edge = verified_edge
    r = post(edge, **{"X-Remote-User": "alice", "Authorization": "Bearer token-of-alice"})
    assert r.status_code == 200 and body_json(r)["user"] == "alice"
    assert seen.seen[-1]["headers"]["X-Remote-User"] == "alice"
    assert ks.seen_authorization == ["Bearer token-of-alice"]


@pytest.mark.parametrize(("headers", "code", "reason"), [
    pytest.param({"X-Remote-User": "admin"}, "CallerUnverified", "noToken", id="forged-header-no-token"),
    pytest.param({"X-Remote-User": "admin", "Authorization": "Bearer made-up"}, "CallerUnverified",
                 "invalidToken", id="forged-header-invalid-token"),
    pytest.param({"X-Remote-User": "admin", "Authorization": "Bearer token-of-bob"}, "CallerUnverified",
                 "userMismatch", id="someone-elses-token"),
    pytest.param({"Authorization": "Bearer token-of-bob"}, "Unauthenticated", "noUser", id="no-header"),
    pytest.param({"X-Remote-User": "admin", "Authorization": "Basic YWRtaW46eA=="}, "CallerUnverified",
                 "noToken", id="basic-is-not-a-bearer"),
])
def test_unverified_writes_are_refused_before_gunicorn(verified_edge, headers, code, reason):
    seen, edge = verified_edge
    for method in ("POST", "DELETE"):
        r = requests.request(method, f"{edge.url}{PREFIX}/models/deepseek-r1:7b", headers=headers, timeout=5)
        assert r.status_code == 401
        body = body_json(r)
        assert (body["code"], body["reason"]) == (code, reason)
        assert set(body["message"]) == {"en", "zh"}
    assert not seen.seen


def test_reads_pass_with_the_header_alone(verified_edge, ks):
    seen, edge = verified_edge
    r = requests.get(f"{edge.url}{PREFIX}/status", headers={"X-Remote-User": "anyone"}, timeout=5)
    assert r.status_code == 200 and seen.seen[-1]["headers"]["X-Remote-User"] == "anyone"
    assert ks.requests == 0


def test_a_secret_read_is_verified_like_a_write(verified_edge):
    seen, edge = verified_edge
    r = requests.get(f"{edge.url}{PREFIX}/accesscode", headers={"X-Remote-User": "admin"}, timeout=5)
    assert r.status_code == 401 and body_json(r)["reason"] == "noToken"
    r = requests.get(f"{edge.url}{PREFIX}/accesscode",
                     headers={"X-Remote-User": "alice", "Authorization": "Bearer token-of-alice"}, timeout=5)
    assert r.status_code == 200 and len(seen.seen) == 1


def test_answers_are_cached_by_token_and_shared_between_concurrent_requests(verified_edge, ks):
    _, edge = verified_edge
    ks.delay = 0.3  # every concurrent request arrives while the first lookup is in flight
    headers = {"X-Remote-User": "alice", "Authorization": "Bearer token-of-alice"}
    with ThreadPoolExecutor(10) as pool:
        statuses = list(pool.map(lambda _: post(edge, **headers).status_code, range(10)))
    assert statuses == [200] * 10
    assert post(edge, **headers).status_code == 200
    assert ks.requests == 1


def test_ks_apiserver_unreachable_is_a_503_not_a_guess(verified_edge, ks):
    seen, edge = verified_edge
    ks.fault_status = 500
    r = post(edge, **{"X-Remote-User": "alice", "Authorization": "Bearer token-of-alice"})
    assert r.status_code == 503 and body_json(r)["code"] == "CallerVerificationUnavailable"
    assert not seen.seen


def test_the_token_never_reaches_the_logs(verified_edge, caplog):
    _, edge = verified_edge
    with caplog.at_level(logging.DEBUG):
        post(edge, **{"X-Remote-User": "admin", "Authorization": "Bearer token-of-bob"})
        post(edge, **{"X-Remote-User": "alice", "Authorization": "Bearer token-of-alice"})
    assert "token-of-" not in caplog.text
    assert "admin" in caplog.text and "bob" in caplog.text  # the refusal names both users


def test_without_verification_the_header_alone_decides(echo, make_edge):
    seen, upstream = echo
    edge = make_edge(upstream.url, verify=False)
    r = post(edge, **{"X-Remote-User": "alice"})
    assert r.status_code == 200 and seen.seen[-1]["headers"]["X-Remote-User"] == "alice"
