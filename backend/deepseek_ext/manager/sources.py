"""What the manager reads besides ollama and the state store: the serving config file, the models
directory, the catalog's tags. The only file I/O of the manager."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from deepseek_ext.adapters.files import FileLoadError, load_catalog
from deepseek_ext.core import names
from deepseek_ext.manager import offline

log = logging.getLogger(__name__)


def read_models_dir(models_dir: Path, model: str) -> offline.LayoutCheck:
    """Read the files ``offline.check_layout`` judges."""
    manifest = models_dir / names.manifest_relpath(model)
    try:
        text: str | None = manifest.read_text()
    except OSError:
        text = None
    sizes: dict[str, int] = {}
    blobs = models_dir / "blobs"
    if blobs.is_dir():
        for entry in os.scandir(blobs):
            if entry.is_file():
                sizes["blobs/" + entry.name] = entry.stat().st_size
    return offline.check_layout(model, manifest_text=text, blob_sizes=sizes)


def catalog_tags() -> list[str]:
    """The model catalog's tags (``DEEPSEEK_CATALOG`` or the shipped copy); none when it cannot be read."""
    try:
        return load_catalog().tags()
    except FileLoadError as exc:
        log.warning("cannot read the model catalog (%s): the unknown-tag hint lists no tags", exc.texts()["en"])
        return []


def file_config_loader(path: str | Path) -> Callable[[], Mapping[str, Any]]:
    """Read the serving config on every round: kubelet updates the mounted file on helm upgrade."""

    def load() -> Mapping[str, Any]:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        if not isinstance(data, dict):
            raise ValueError(f"{path}: expected a JSON object")
        return data

    return load
