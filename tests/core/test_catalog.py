"""The catalog file: complete, consistent with the reference, and parsed strictly."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml
from deepseek_ext.core.catalog import Catalog, CatalogError, parse_catalog, parse_version

from tests.helmtools import ROOT

CATALOG_FILE = ROOT / "charts/backend/files/catalog.yaml"
LIBRARY_TAGS = ("1.5b", "7b", "8b", "14b", "32b", "70b", "671b")  # ollama.com/library/deepseek-r1


def _doc() -> dict[str, Any]:
    return yaml.safe_load(CATALOG_FILE.read_text())


def test_every_library_tag_and_the_llama_distill_are_listed(catalog: Catalog) -> None:
    for tag in (*LIBRARY_TAGS, "8b-llama-distill"):
        assert catalog.get(tag) is not None, tag
    assert catalog.get("3b") is None


def test_aliases_and_mirror_names_resolve_to_the_same_model(catalog: Catalog) -> None:
    seven = catalog.get("deepseek-r1:7b")
    assert catalog.get("deepseek-r1:7b-qwen-distill-q4_K_M") is seven
    assert catalog.get("registry.local/library/deepseek-r1:7b") is seven
    assert catalog.get("70b-llama-distill-q4_K_M") is catalog.get("70b")
    assert catalog.get("qwen3:8b") is None
    assert catalog.get("deepseek-r1") is None  # "latest" is not pinned in the catalog


def test_every_model_runs_on_the_tested_ollama_and_8b_needs_0_7_1(catalog: Catalog) -> None:
    tested = parse_version(catalog.ollama_version)
    assert catalog.ollama_version == "0.32.15"
    for model in catalog.models:
        assert parse_version(model.min_ollama) <= tested, model.name  # type: ignore[operator]
    assert catalog.get("8b").min_ollama == "0.7.1"  # type: ignore[union-attr]


def test_the_chart_default_ollama_tag_is_the_catalogs() -> None:
    chart = yaml.safe_load((ROOT / "charts/backend/Chart.yaml").read_text())
    assert str(chart["appVersion"]) == _doc()["ollama"]["version"]


def test_architecture_numbers_match_the_reference(catalog: Catalog) -> None:
    # reference section 4: layers, heads / KV heads, embedding
    expected = {
        "1.5b": (28, 12, 2, 1536),
        "7b": (28, 28, 4, 3584),
        "8b": (36, 32, 8, 4096),
        "8b-llama-distill": (32, 32, 8, 4096),
        "14b": (48, 40, 8, 5120),
        "32b": (64, 40, 8, 5120),
        "70b": (80, 64, 8, 8192),
        "671b": (61, 128, 128, 7168),
    }
    for tag, numbers in expected.items():
        m = catalog.get(tag)
        assert m is not None
        assert (m.layers, m.head_count, m.kv_heads, m.embedding) == numbers, tag
        assert m.source and m.vocab > 100000


def test_nearest_tags(catalog: Catalog) -> None:
    assert catalog.nearest("3b") == ["1.5b", "7b"]
    assert catalog.nearest("13b") == ["8b", "14b"]
    assert catalog.nearest("1000b") == ["671b"]
    assert catalog.nearest("7b-q8_0") == ["7b"]
    assert catalog.nearest("latst") == []
    assert catalog.nearest("14") == ["14b"]


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("models", 0, "layers"), 0, "layers: expected a positive integer"),
        (("models", 0, "min_ollama"), "0.99.0", "must be a version <= the tested ollama"),
        (("models", 1, "name"), "deepseek-r1:1.5b", "appears twice"),
        (("models", 0, "name"), "qwen3:8b", "is not in repository"),
        (("ollama", "version"), "latest", "catalog.ollama.version"),
        (("sizing", "batch"), -1, "catalog.sizing.batch"),
    ],
)
def test_malformed_catalogs_are_refused_with_the_field(path: tuple, value: Any, message: str) -> None:
    doc = copy.deepcopy(_doc())
    node = doc
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    with pytest.raises(CatalogError, match=message):
        parse_catalog(doc)
    assert parse_catalog(_doc()).tags()[0] == "1.5b"
