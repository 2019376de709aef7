"""``GET models``: the catalog with default sizing per accelerator and, in a cluster, each model's state.

(Per-model endpoints ``models/<name>``, ``models/<name>/pull`` live in ``api.model_ops``.)
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from deepseek_ext.api import deps
from deepseek_ext.api.errors import language
from deepseek_ext.api.schemas import ModelsSchema
from deepseek_ext.services.models import list_models
from deepseek_ext.settings import API_PREFIX

bp = Blueprint("models", __name__, url_prefix=API_PREFIX)
_MODELS_SCHEMA = ModelsSchema()  # built once: building nested schemas costs more than a dump


@bp.get("/models")
def models() -> Response:
    """List the model catalog.
    ---
    get:
      summary: The model catalog with default sizing per accelerator; in a cluster also each model's state
      description: |
        Works without a cluster (clusterState false, state null). In a cluster, state comes from
        ollama's /api/tags and /api/ps and the manager's progress record (absent, pulling, present,
        loaded, failed, partial, size on GPU).
      tags: [models]
      responses:
        200:
          description: the catalog
          content:
            application/json:
              schema: ModelsSchema
        503:
          description: the catalog file cannot be loaded
          content:
            application/json:
              schema: ErrorSchema
    """
    body = list_models(
        entries=deps.catalog_entries(), settings=deps.settings(), kube=deps.kube(), ollama=deps.ollama()
    )
    body["language"] = language()
    return jsonify(_MODELS_SCHEMA.dump(body))
