"""Flask application factory for the extension API.

ks-apiserver forwards ``/kapis/deepseek.kubesphere.io/v1alpha1/...`` unchanged, so blueprints
route the full prefix. ``/healthz``, ``/readyz`` and ``/metrics`` live outside it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask

from deepseek_ext.settings import API_PREFIX, load_settings

log = logging.getLogger(__name__)


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then the environment (``load_settings``), then ``config`` (tests)."""
    if not logging.getLogger().handlers:
        # gunicorn configures only its own loggers; ours go to stderr beside them.
        logging.basicConfig(level=logging.INFO, format="[%(asctime)s] [%(process)d] [%(levelname)s] %(name)s: %(message)s")
    app = Flask(__name__)
    settings = load_settings(overrides=(config or {}).get("SETTINGS"))
    app.config.from_mapping(SETTINGS=settings, MAX_CONTENT_LENGTH=settings.api.max_body_bytes, JSON_SORT_KEYS=False)
    if config:
        app.config.from_mapping({k: v for k, v in config.items() if k != "SETTINGS"})

    from deepseek_ext.api import errors, health, openapi

    errors.init_app(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(openapi.bp, url_prefix=API_PREFIX)

    mode = "cluster" if settings.cluster.kubeconfig_source else "standalone"
    log.info("deepseek-ext API ready in %s mode%s", mode, settings.cluster.describe())
    return app
