"""What views work with: settings, the Kubernetes adapter, the ollama cache, the model and message catalogs.

Views never import an adapter or the manager: they take their dependencies from here and hand
them to a service. ``init_app`` builds them once per app (one per gunicorn worker: it forks after
import); the accessors read them from ``current_app``. This is the one place of the API layer
that knows which adapter stands behind each dependency.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app

from deepseek_ext.adapters import kube as kube_adapter
from deepseek_ext.adapters.files import FileLoadError, load_catalog, load_defaults, load_messages, load_values_schema
from deepseek_ext.adapters.kube import Kube
from deepseek_ext.core.catalog import Catalog
from deepseek_ext.core.errors import CatalogUnavailable
from deepseek_ext.core.messages import MessageCatalog
from deepseek_ext.services.models import catalog_entries as build_catalog_entries
from deepseek_ext.services.status import OllamaCache
from deepseek_ext.settings import Settings

_OLLAMA = "deepseek_ollama"
_CATALOG = "deepseek_catalog"
_ENTRIES = "deepseek_catalog_entries"
_lock = threading.Lock()

Observer = Callable[[str, str | None], None]
"""``observer(upstream, error_kind_or_None)``: called after every upstream call (metrics count them)."""


def init_app(app: Flask, *, observer: Observer | None = None) -> None:
    """Connect to the cluster (or record why not) and set up the shared ollama cache."""
    settings: Settings = app.config["SETTINGS"]
    kube_adapter.init_app(app)
    client = kube_adapter.get_kube(app).client
    if client is not None and observer is not None:
        client.observer = lambda error: observer("kubernetes", error)
    app.extensions[_OLLAMA] = OllamaCache(
        ttl=settings.ollama.cache_ttl_seconds,
        timeout=settings.ollama.timeout_seconds,
        per_pod=settings.ollama.cache_per_pod_seconds,
        observer=(lambda error: observer("ollama", error)) if observer is not None else None,
    )


def settings() -> Settings:
    return current_app.config["SETTINGS"]  # type: ignore[no-any-return]


def kube() -> Kube:
    """The shared client and snapshot cache, or why there is none (``Kube.unavailable``)."""
    return kube_adapter.get_kube(current_app)


def ollama() -> OllamaCache:
    return current_app.extensions[_OLLAMA]  # type: ignore[no-any-return]


def messages() -> MessageCatalog:
    """The message catalog (read once per process): services render hints and texts with it."""
    return load_messages()


def catalog_and_defaults() -> tuple[Catalog, dict[str, Any]]:
    """The catalog and default values, loaded once per process.

    :raise CatalogUnavailable: a file is missing or malformed (503, naming it).
    """
    app = current_app
    with _lock:
        loaded = app.extensions.get(_CATALOG)
        if loaded is None:
            try:
                loaded = (load_catalog(settings().api.catalog_file), load_defaults())
                load_values_schema()  # read (and checked) now, so a broken one is the same 503
            except FileLoadError as exc:
                raise CatalogUnavailable(exc.texts()) from None
            app.extensions[_CATALOG] = loaded
        return loaded


def catalog_entries() -> list[dict[str, Any]]:
    """The static part of ``GET models`` (catalog and defaults are fixed for the process)."""
    entries = current_app.extensions.get(_ENTRIES)
    if entries is None:
        catalog, defaults = catalog_and_defaults()
        entries = current_app.extensions[_ENTRIES] = build_catalog_entries(catalog, defaults)
    return entries
