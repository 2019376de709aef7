"""Scenarios of the serving chart: ci/*-values.yaml plus the 0.1.0 and seed README configs.

Each scenario is rendered once per session (helm template of the packaged extension); tests pick
from the cache instead of re-running helm.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helmtools import COMPAT_DIR, ROOT, render

# Configs only: the 0.1.0 rendered manifests and the seed's PVC object are fixtures of other tests.
_NOT_CONFIGS = {"seed-offline-pvc.yaml"}


def _scenarios() -> dict[str, Path]:
    ci_files = sorted((ROOT / "ci").glob("*-values.yaml"))
    found = {path.name.removesuffix("-values.yaml"): path for path in ci_files}
    for path in sorted(COMPAT_DIR.glob("*.yaml")):
        if path.name not in _NOT_CONFIGS and "rendered" not in path.name:
            found[f"compat-{path.stem}"] = path
    return found


SCENARIOS = _scenarios()


def serving_objects(objects: list[dict]) -> list[dict]:
    """The objects this chart (charts/backend) renders, told apart by their helm.sh/chart label."""
    return [
        o for o in objects
        if ((o.get("metadata") or {}).get("labels") or {}).get("helm.sh/chart", "").startswith("backend-")
    ]


@pytest.fixture(scope="session")
def rendered(chart: Path) -> dict[str, list[dict]]:
    """Every scenario rendered once: name -> objects."""
    return {name: render(chart, values_files=[path]) for name, path in SCENARIOS.items()}
