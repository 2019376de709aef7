"""``GET models``: the catalog with default sizing per accelerator and, in a cluster, each model's state.

(Per-model endpoints ``models/<name>``, ``models/<name>/pull`` live in ``api.model_ops``.)
"""

from __future__ import annotations

import threading
from typing import Any

from flask import Blueprint, Flask, Response, current_app, jsonify

from deepseek_ext.adapters.files import FileLoadError, load_catalog, load_defaults
from deepseek_ext.adapters.kube import get_kube
from deepseek_ext.api.errors import ApiError, language
from deepseek_ext.api.schemas import ModelsSchema
from deepseek_ext.core.catalog import Catalog
from deepseek_ext.services.models import catalog_entries, list_models
from deepseek_ext.settings import API_PREFIX

bp = Blueprint("models", __name__, url_prefix=API_PREFIX)
_MODELS_SCHEMA = ModelsSchema()  # built once: building nested schemas costs more than a dump
_lock = threading.Lock()


def catalog_and_defaults(app: Flask) -> tuple[Catalog, dict[str, Any]]:
    """The catalog and default values, loaded once per process.

    :raise 503: a file is missing or malformed (the message names it, in English and Chinese).
    """
    with _lock:
        loaded = app.extensions.get("deepseek_catalog")
        if loaded is None:
            settings = app.config["SETTINGS"]
            try:
                loaded = (load_catalog(settings.api.catalog_file), load_defaults())
            except FileLoadError as exc:
                raise ApiError(
                    503,
                    "CatalogUnavailable",
                    f"The model catalog or the defaults cannot be loaded: {exc.message_en}",
                    f"无法加载模型目录或默认配置：{exc.message_zh}",
                    field="DEEPSEEK_CATALOG",
                ) from None
            app.extensions["deepseek_catalog"] = loaded
        return loaded  # type: ignore[no-any-return]


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
    app = current_app
    catalog, defaults = catalog_and_defaults(app)
    entries = app.extensions.get("deepseek_catalog_entries")
    if entries is None:
        entries = app.extensions["deepseek_catalog_entries"] = catalog_entries(catalog, defaults)
    body = list_models(
        entries=entries,
        settings=app.config["SETTINGS"],
        kube=get_kube(app),
        ollama=app.extensions["deepseek_ollama"],
    )
    body["language"] = language()
    return jsonify(_MODELS_SCHEMA.dump(body))
