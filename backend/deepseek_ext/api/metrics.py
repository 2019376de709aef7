"""Prometheus metrics at ``/metrics``: request counts and latencies, upstream calls and errors.

Multiprocess-safe: when ``PROMETHEUS_MULTIPROC_DIR`` is set (the chart sets /tmp/metrics, and
backend/gunicorn.conf.py creates and cleans it), every gunicorn worker writes its samples there
and ``/metrics`` sums all workers, whichever worker answers the scrape. Without it (``make run``
with one worker, tests) the metrics are those of the answering process.
"""

from __future__ import annotations

import os
import time

from flask import Blueprint, Flask, Response, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

bp = Blueprint("metrics", __name__)

REQUESTS = Counter("deepseek_api_requests_total", "HTTP requests served", ["method", "endpoint", "status"])
LATENCY = Histogram(
    "deepseek_api_request_duration_seconds",
    "HTTP request latency",
    ["method", "endpoint"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
UPSTREAM_REQUESTS = Counter(
    "deepseek_api_upstream_requests_total", "Calls to the Kubernetes API and ollama", ["upstream"]
)
UPSTREAM_ERRORS = Counter(
    "deepseek_api_upstream_errors_total",
    "Failed calls to the Kubernetes API and ollama",
    ["upstream", "kind"],
)


def upstream_call(upstream: str, error: str | None = None) -> None:
    """Count one call to ``upstream`` (kubernetes | ollama) and, if it failed, its error kind."""
    UPSTREAM_REQUESTS.labels(upstream).inc()
    if error:
        UPSTREAM_ERRORS.labels(upstream, error).inc()


@bp.get("/metrics")
def metrics() -> Response:
    """Prometheus metrics.
    ---
    get:
      summary: Prometheus metrics (requests, latencies, upstream calls and errors) of all gunicorn workers
      tags: [meta]
      responses:
        200:
          description: text exposition format
          content:
            text/plain: {schema: {type: string}}
    """
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        data = generate_latest(registry)
    else:
        data = generate_latest()
    return Response(data, mimetype=CONTENT_TYPE_LATEST)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

    @app.before_request
    def _start() -> None:
        g.deepseek_started = time.perf_counter()

    @app.after_request
    def _count(response: Response) -> Response:
        # The route template, not the raw path: unknown paths must not explode label cardinality.
        endpoint = request.url_rule.rule if request.url_rule is not None else "unmatched"
        started = g.get("deepseek_started")
        if started is not None:
            LATENCY.labels(request.method, endpoint).observe(time.perf_counter() - started)
        REQUESTS.labels(request.method, endpoint, str(response.status_code)).inc()
        return response
