"""Liveness and readiness, outside the API prefix (kubelet probes them directly)."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    settings = current_app.config["SETTINGS"]
    return jsonify(status="ok", mode="cluster" if settings.cluster.kubeconfig_source else "standalone")
