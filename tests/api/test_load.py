"""Cheap under polling: 200 concurrent status requests cost a bounded number of upstream calls.

The bound (docs/api.md, "Cost under polling"): each gunicorn worker keeps one shared snapshot of
``SNAPSHOT_CALLS`` Kubernetes lists for ``DEEPSEEK_KUBE_CACHE_TTL`` (5 s) and lets one
request refresh it at a time, and one ``/api/tags`` + ``/api/ps`` pair per ollama pod for
max(``DEEPSEEK_OLLAMA_CACHE_TTL``, pods × ``DEEPSEEK_OLLAMA_CACHE_PER_POD``) = max(3 s, pods × 0.1 s),
3 s for the 3 pods here. So in a run of T seconds, with W workers:

    Kubernetes calls <= W * SNAPSHOT_CALLS * (ceil(T / 5) + 1)
    ollama calls     <= W * 2 * pods * (ceil(T / 3) + 1)

whatever the number of requests. Here the API runs as shipped (the chart's command, env and
worker settings, default TTLs).
"""

from __future__ import annotations

import math
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from deepseek_ext.adapters.kube import SNAPSHOT_CALLS
from deepseek_ext.settings import API_PREFIX

from tests.stack import Stack

REQUESTS = 200
CONCURRENCY = 50
WORKERS = 2  # backend/gunicorn.conf.py default (DEEPSEEK_WORKERS), which the chart does not override


@pytest.fixture(scope="module")
def shipped():
    with Stack(ollama_pods=3) as s:
        yield s


def test_200_concurrent_status_requests_cost_a_bounded_number_of_upstream_calls(shipped):
    url = shipped.url + API_PREFIX + "/status"
    requests.get(url, timeout=60)  # workers import the client and fill their caches once
    shipped.kube.reset_stats()
    shipped.fleet.reset_stats()
    sessions: dict[int, requests.Session] = {}

    def one(_: int) -> tuple[int, str]:
        import threading

        session = sessions.setdefault(threading.get_ident(), requests.Session())
        r = session.get(url, timeout=60)
        return r.status_code, r.json()["phase"]

    started = time.monotonic()
    with ThreadPoolExecutor(CONCURRENCY) as pool:
        results = list(pool.map(one, range(REQUESTS)))
    elapsed = time.monotonic() - started

    assert [code for code, _ in results] == [200] * REQUESTS
    assert {phase for _, phase in results} == {"Ready"}
    kube_calls, ollama_calls = shipped.kube.count(), shipped.fleet.requests()
    kube_bound = WORKERS * SNAPSHOT_CALLS * (math.ceil(elapsed / 5) + 1)
    ollama_bound = WORKERS * 2 * 3 * (math.ceil(elapsed / 3) + 1)
    print(
        f"\n{REQUESTS} status requests in {elapsed:.2f}s: {kube_calls} Kubernetes calls (bound {kube_bound}),"
        " "
        f"{ollama_calls} ollama calls (bound {ollama_bound})"
    )
    assert kube_calls <= kube_bound
    assert ollama_calls <= ollama_bound
    # And far fewer than one call per request: the point of the shared caches.
    assert kube_calls < REQUESTS / 4 and ollama_calls < REQUESTS / 4
