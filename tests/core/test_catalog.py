"""The catalog file: complete, consistent with the reference, and parsed strictly."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml
from deepseek_ext.core.catalog import Catalog, CatalogError, parse_catalog, parse_version

from tests.helmtools import DATA, ROOT

CATALOG_FILE = ROOT / "charts/backend/files/catalog.yaml"
LIBRARY_TAGS = ("1.5b", "7b", "8b", "14b", "32b", "70b", "671b")  # ollama.com/library/deepseek-r1
SNAPSHOT = yaml.safe_load((DATA / "ollama-library-deepseek-r1.yaml").read_text())
SNAPSHOT_TAGS = {row["tag"]: row for row in SNAPSHOT["tags"]}


def _doc() -> dict[str, Any]:
    return yaml.safe_load(CATALOG_FILE.read_text())


def test_every_library_tag_and_the_llama_distill_are_listed(catalog: Catalog) -> None:
    for tag in (*LIBRARY_TAGS, "8b-llama-distill-q4_K_M", "latest"):
        assert catalog.get(tag) is not None, tag
    assert catalog.get("3b") is None
    # the library lists the Llama distill only with a quantization suffix (issue 13)
    assert catalog.get("8b-llama-distill") is None


def test_the_catalog_covers_exactly_the_tags_of_the_library_snapshot(catalog: Catalog) -> None:
    assert SNAPSHOT["url"] == "https://ollama.com/library/deepseek-r1/tags"
    assert len(SNAPSHOT_TAGS) == len(SNAPSHOT["tags"]) == 35
    assert sorted(catalog.library_tags()) == sorted(SNAPSHOT_TAGS)


def _listed_bytes(size: Any) -> int:
    """Bytes of a snapshot size: exact bytes, or "1.1GB" (decimal GB, the library's rounding)."""
    return size if isinstance(size, int) else round(float(size.removesuffix("GB")) * 10**9)


@pytest.mark.parametrize("tag", sorted(SNAPSHOT_TAGS))
def test_each_entry_matches_its_cited_numbers(catalog: Catalog, tag: str) -> None:
    row = SNAPSHOT_TAGS[tag]
    model = catalog.get(tag)
    assert model is not None
    assert model.quantization == row["quantization"]
    assert model.parameters == round(float(row["parameters"].removesuffix("B")) * 10**9)
    assert model.library_url == f"https://ollama.com/library/{model.name}"
    if row.get("same_as"):
        assert model is catalog.get(row["same_as"]) and tag in model.alias_tags
    if row["size"] is None:
        # no listed size could be sourced: the entry says so and derives one from the parameters
        assert model.download_basis == "derived" and "no listed size found" in model.source
        if model.quantization == "Q4_K_M":
            twin = next(m for m in catalog.models if m is not model and m.quantization == "Q4_K_M"
                        and m.parameters == model.parameters and m.family == model.family)
            assert model.download_bytes == twin.download_bytes
        else:
            assert model.download_bytes == derived_download_bytes(model.parameters, model.quantization)
        return
    assert model.download_bytes == _listed_bytes(row["size"])
    assert model.download_basis == ("exact" if isinstance(row["size"], int) else "listed")


def derived_download_bytes(parameters: int, quantization: str) -> int:
    """Parameters x bytes per weight: ggml Q8_0 stores 32 weights in 34 bytes, F16 in 64."""
    per_block = {"Q8_0": 34, "F16": 64}[quantization]
    return -(-parameters * per_block // 32)


def test_the_derivation_reproduces_every_size_the_library_lists(catalog: Catalog) -> None:
    """The rule used for unsourced sizes, checked on the sourced Q8_0/F16 ones: within 2 %."""
    checked = 0
    for model in catalog.models:
        if model.download_basis != "derived" and model.quantization in ("Q8_0", "F16"):
            derived = derived_download_bytes(model.parameters, model.quantization)
            assert abs(derived - model.download_bytes) / model.download_bytes < 0.02, model.name
            checked += 1
    assert checked >= 3


def test_32b_and_70b_carry_the_published_parameter_counts(catalog: Catalog) -> None:
    assert catalog.get("32b").parameters == 32_800_000_000  # type: ignore[union-attr]
    assert catalog.get("70b").parameters == 70_600_000_000  # type: ignore[union-attr]


def test_aliases_and_mirror_names_resolve_to_the_same_model(catalog: Catalog) -> None:
    seven = catalog.get("deepseek-r1:7b")
    assert catalog.get("deepseek-r1:7b-qwen-distill-q4_K_M") is seven
    assert catalog.get("registry.local/library/deepseek-r1:7b") is seven
    assert catalog.get("70b-llama-distill-q4_K_M") is catalog.get("70b")
    assert catalog.get("qwen3:8b") is None
    # latest and the 0528 long name share the digest of 8b: one entry, one set of numbers
    eight = catalog.get("8b")
    assert catalog.get("deepseek-r1:latest") is eight and catalog.get("8b-0528-qwen3-q4_K_M") is eight
    assert catalog.get("671b-q4_K_M") is catalog.get("671b")
    assert catalog.get("8b-0528-qwen3-q8_0") is not eight


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
        "8b-llama-distill-q4_K_M": (32, 32, 8, 4096),
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


NEAREST = [
    ("3b", ["1.5b", "7b"]),
    ("13b", ["8b", "14b"]),
    ("1000b", ["671b"]),
    ("14", ["14b"]),
    ("7b-q8_0", ["7b-qwen-distill-q4_K_M", "7b-qwen-distill-q8_0", "7b-qwen-distill-fp16"]),
    ("8b-llama-distill", ["8b-llama-distill-q4_K_M", "8b-llama-distill-q8_0", "8b-llama-distill-fp16"]),
    ("671b-0528", ["671b-0528-q4_K_M", "671b-0528-q8_0", "671b-0528-fp16"]),
    ("32b-qwen-distill-q4_0", ["32b-qwen-distill-q4_K_M", "32b-qwen-distill-q8_0", "32b-qwen-distill-fp16"]),
    ("7B", ["7b"]),
    ("Latest", ["latest"]),
    ("deepseek-r1:7b", ["7b"]),  # a full name given as a tag
    ("latst", []),
]


@pytest.mark.parametrize(("tag", "nearest"), NEAREST, ids=[t for t, _ in NEAREST])
def test_invented_tags_get_the_nearest_real_ones(catalog: Catalog, tag: str, nearest: list[str]) -> None:
    assert catalog.nearest(tag) == nearest
    assert all(catalog.get(t) is not None for t in nearest)


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
