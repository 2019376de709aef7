"""/metrics under gunicorn sums every worker (prometheus-client multiprocess mode, as the chart runs it)."""

from __future__ import annotations

import re

import requests
from deepseek_ext.settings import API_PREFIX


def counter(text: str, name: str, **labels: str) -> float:
    total = 0.0
    for line in text.splitlines():
        if line.startswith(name + "{") and all(f'{k}="{v}"' in line for k, v in labels.items()):
            total += float(line.rsplit(" ", 1)[1])
    return total


def test_metrics_count_requests_of_all_workers_and_upstream_calls(stack):
    assert stack.api.env.get("PROMETHEUS_MULTIPROC_DIR"), "the chart runs the API in multiprocess mode"
    session = requests.Session()
    before = counter(
        session.get(stack.url + "/metrics", timeout=30).text,
        "deepseek_api_requests_total",
        endpoint="/healthz",
        status="200",
    )
    for _ in range(40):
        # New connections, so that both workers answer some of them.
        assert requests.get(stack.url + "/healthz", timeout=30).status_code == 200
    requests.get(stack.url + API_PREFIX + "/status", timeout=30)
    for _ in range(4):  # whichever worker answers the scrape, it reports the sum
        text = session.get(stack.url + "/metrics", timeout=30).text
        assert counter(text, "deepseek_api_requests_total", endpoint="/healthz", status="200") >= before + 40
    assert re.search(r'deepseek_api_request_duration_seconds_bucket\{.*endpoint="/healthz"', text)
    assert counter(text, "deepseek_api_upstream_requests_total", upstream="kubernetes") > 0
    assert counter(text, "deepseek_api_upstream_requests_total", upstream="ollama") > 0


def test_unknown_paths_do_not_create_label_values(client):
    client.get("/no/such/path/123")
    text = client.get("/metrics").get_data(as_text=True)
    assert "/no/such/path/123" not in text and 'endpoint="unmatched"' in text
