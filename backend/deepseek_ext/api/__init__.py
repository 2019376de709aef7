"""Flask application factory for the extension API.

ks-apiserver forwards ``/kapis/deepseek.kubesphere.io/v1alpha1/...`` unchanged, so blueprints
route the full prefix. ``/healthz``, ``/readyz`` and ``/metrics`` live outside it.

Each area wires itself (``init_app`` or a blueprint); to add one, import it below and register
it in the list: one line.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask
from werkzeug.routing import PathConverter

from deepseek_ext.settings import load_settings

log = logging.getLogger(__name__)


class _PathConverter(PathConverter):
    regex = "(?s:[^/].*?)"


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then the environment (``load_settings``), then ``config`` (tests)."""
    app = Flask(__name__, static_folder=None)  # no static files: every answer is JSON
    # Path parameters that contain a newline must reach the view (which answers a documented 400
    # naming the field) instead of falling through to a bare 404: werkzeug's "." stops at "\n".
    app.url_map.converters["path"] = _PathConverter
    if not logging.getLogger().handlers:
        # gunicorn configures only its own loggers; ours (start-up mode, audit of writes) go to stderr too.
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = load_settings(overrides=(config or {}).get("SETTINGS"))
    # No automatic OPTIONS: ks-apiserver forwards no CORS preflights, and an Allow header built from
    # every rule matching a path (models/<path:name> also matches .../pull) would advertise wrong methods.
    app.config.from_mapping(SETTINGS=settings, MAX_CONTENT_LENGTH=settings.api.max_body_bytes,
                            PROVIDE_AUTOMATIC_OPTIONS=False)
    app.json.sort_keys = False  # type: ignore[attr-defined]  # keep the contract's field order (phase first) for people reading it
    if config:
        app.config.from_mapping({k: v for k, v in config.items() if k != "SETTINGS"})

    from deepseek_ext.api import apikeys, deps, errors, health, metrics, model_ops, models, openapi, status
    from deepseek_ext.api import config as config_api

    errors.init_app(app)
    metrics.init_app(app)
    deps.init_app(app, observer=metrics.upstream_call)

    for blueprint in (health.bp, openapi.bp, models.bp, model_ops.bp, config_api.bp, status.bp, apikeys.bp):
        app.register_blueprint(blueprint)

    mode = "cluster" if settings.cluster.kubeconfig_source else "standalone"
    log.info("deepseek-ext API ready in %s mode%s", mode, settings.cluster.describe())
    return app
