"""Views only translate: they import services and the API's helpers, never another view, the manager
or an adapter (the helpers in ``HELPERS`` are where the API layer meets the adapters)."""

from __future__ import annotations

import ast
from pathlib import Path

import deepseek_ext.api
import pytest

API_DIR = Path(deepseek_ext.api.__file__).parent
HELPERS = {"errors", "schemas", "auth", "deps"}
"""API modules views may import; ``__init__`` is the factory, which wires everything."""
VIEWS = sorted(p.stem for p in API_DIR.glob("*.py") if p.stem not in HELPERS | {"__init__"})
FORBIDDEN = ("deepseek_ext.adapters", "deepseek_ext.manager")


def imported(source: str) -> set[str]:
    """Every module a source file imports (``from a import b`` counts as ``a`` and ``a.b``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def violations(source: str, view: str) -> list[str]:
    bad = []
    for module in sorted(imported(source)):
        if module.startswith(FORBIDDEN):
            bad.append(module)
        elif module.startswith("deepseek_ext.api."):
            name = module.removeprefix("deepseek_ext.api.").split(".")[0]
            if name not in HELPERS and name != view:
                bad.append(module)
    return bad


def test_the_views_are_found():
    assert {"config", "model_ops", "models", "status"} <= set(VIEWS)


@pytest.mark.parametrize("view", VIEWS)
def test_a_view_imports_no_view_manager_or_adapter(view):
    assert violations((API_DIR / f"{view}.py").read_text(), view) == []


@pytest.mark.parametrize(
    "source",
    [
        "from deepseek_ext.adapters.kube import get_kube",
        "from deepseek_ext.manager.offline import seeding_steps",
        "from deepseek_ext.api.models import catalog_and_defaults",
        "from deepseek_ext.api import models",
        "import deepseek_ext.adapters.ollama",
    ],
)
def test_the_check_catches_each_kind_of_import(source):
    assert violations(source, "config")
