"""Liveness and readiness, outside the API prefix (kubelet probes them directly).

Both answer without calling the Kubernetes API or ollama: a slow upstream must not make kubelet
restart the API, whose job is precisely to report that upstream's trouble.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from deepseek_ext.api import deps

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> Response:
    """Liveness.
    ---
    get:
      summary: Liveness probe (the process serves requests)
      tags: [meta]
      responses:
        200:
          description: alive
          content:
            application/json:
              schema: HealthSchema
    """
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz() -> Response:
    """Readiness.
    ---
    get:
      summary: Readiness probe; `mode` says whether a cluster is configured
      tags: [meta]
      responses:
        200:
          description: ready
          content:
            application/json:
              schema: HealthSchema
    """
    settings = deps.settings()
    return jsonify(status="ok", mode="cluster" if settings.cluster.kubeconfig_source else "standalone")
