"""``GET status``: phase, components with findings, models and endpoints (docs/architecture.md)."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from deepseek_ext.api import deps
from deepseek_ext.api.auth import cluster_endpoint
from deepseek_ext.api.errors import language
from deepseek_ext.api.schemas import StatusSchema
from deepseek_ext.services.status import get_status
from deepseek_ext.settings import API_PREFIX

bp = Blueprint("status", __name__, url_prefix=API_PREFIX)
_STATUS_SCHEMA = StatusSchema()  # built once: building nested schemas costs more than a dump


@bp.get("/status")
@cluster_endpoint
def status() -> Response:
    """Explain the state of the install.
    ---
    get:
      summary: Overall phase, per-component state with findings (cause, evidence, fix), models, endpoints
      description: |
        Reads pods, events, PVCs, Deployments, Ingresses, nodes, StorageClasses and the manager's
        progress record through a shared 5-second snapshot, and ollama's /api/tags and /api/ps through
        a shared cache of max(3 s, 0.1 s per ollama pod) refreshed in the background, so polling costs
        (almost) no upstream calls. When the Kubernetes API or ollama is slow or down the answer still
        comes within the upstream timeout, with that fact as a finding. Messages are in English and
        Chinese; `language` follows Accept-Language.
      tags: [status]
      parameters:
        - {in: header, name: Accept-Language, schema: {type: string}, required: false,
           description: "zh or en (both languages are always in the body)"}
      responses:
        200:
          description: the report
          content:
            application/json:
              schema: StatusSchema
        503:
          description: no cluster (standalone) or the Kubernetes configuration cannot be used
          content:
            application/json:
              schema: ErrorSchema
    """
    report = get_status(settings=deps.settings(), kube=deps.kube(), ollama=deps.ollama())
    report["language"] = language()
    response = jsonify(_STATUS_SCHEMA.dump(report))
    response.headers["Content-Language"] = report["language"]
    # Console tabs poll this: let nobody cache it, the server-side cache already shares the cost.
    response.headers["Cache-Control"] = "no-store"
    return response
