"""core.suggestions: each helper with the mistakes it recognises and the ones it must not guess."""

from __future__ import annotations

import pytest
from deepseek_ext.core.suggestions import missing_space_after_colon, nearest_key, suggest_quantity, tag_of_full_name


@pytest.mark.parametrize(("key", "known", "expected"), [
    ("modle", ["model", "models", "gpu"], "model"),
    ("memoryPerGpu", ["memoryPerGPU", "runtimeClassName"], "memoryPerGPU"),
    ("enableNvidai", ["enableNvidia", "enableAMD"], "enableNvidia"),
    ("zzz", ["model", "gpu"], None),
], ids=["transposed", "case", "swap", "far"])
def test_nearest_key(key: str, known: list[str], expected: str | None) -> None:
    assert nearest_key(key, known) == expected


@pytest.mark.parametrize(("value", "kind", "expected"), [
    ("8GB", "memory", "8Gi"), ("8gb", "memory", "8Gi"), ("1.5GiB", "memory", "1.5Gi"), ("512MB", "memory", "512Mi"),
    ("512m", "memory", "512Mi"), (16, "memory", "16Gi"), ("16", "memory", "16Gi"), ("50 GB", "memory", "50Gi"),
    ("1,5Gi", "memory", "1.5Gi"), ("2 cores", "cpu", "2"), ("500mc", "cpu", "500m"),
    ("8Gi", "memory", None), ("lots", "memory", None), ("8XB", "memory", None), (True, "memory", None),
    ("2", "cpu", None),
], ids=repr)
def test_suggest_quantity(value: object, kind: str, expected: str | None) -> None:
    assert suggest_quantity(value, kind=kind) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("tag:1.5b", "tag: 1.5b"), ("repository:qwen3", "repository: qwen3"),
    ("tag: 1.5b", None), ("deepseek-r1", None), (5, None), ("http://x", None),
], ids=repr)
def test_missing_space_after_colon(value: object, expected: str | None) -> None:
    assert missing_space_after_colon(value) == expected


@pytest.mark.parametrize(("tag", "repository", "expected"), [
    ("deepseek-r1:7b", "deepseek-r1", "7b"), ("library/deepseek-r1:14b", "deepseek-r1", "14b"),
    ("qwen3:8b", "deepseek-r1", None), ("7b", "deepseek-r1", None), ("deepseek-r1:", "deepseek-r1", None),
], ids=repr)
def test_tag_of_full_name(tag: str, repository: str, expected: str | None) -> None:
    assert tag_of_full_name(tag, repository) == expected
