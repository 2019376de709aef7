"""Model names compared as ollama compares them: defaults filled in, case ignored.

ollama v0.32.15 folds host, namespace, model and tag with strings.EqualFold when it looks a name up
(server/routes.go:1222-1245 getExistingName; types/model/name.go:309-314 Name.EqualFold).
"""

from __future__ import annotations

import pytest
from deepseek_ext.core import names


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("deepseek-r1:1.5b", "DEEPSEEK-R1:1.5B", True),
        ("deepseek-r1:1.5b", "registry.ollama.ai/library/deepseek-r1:1.5b", True),
        ("Registry.Ollama.AI/Library/DeepSeek-R1:1.5B", "deepseek-r1:1.5b", True),
        ("deepseek-r1", "deepseek-r1:LATEST", True),
        ("deepseek-r1:1.5b", "deepseek-r1:7b", False),
        ("mirror.local/lib/deepseek-r1:7b", "deepseek-r1:7b", False),
    ],
    ids=["capitals", "full name", "full name in mixed case", "latest", "other tag", "other registry"],
)
def test_same_ignores_case_and_defaults(a: str, b: str, same: bool) -> None:
    assert names.same(a, b) is same


def test_find_returns_the_candidate_spelling() -> None:
    configured = ["deepseek-r1:1.5b", "deepseek-r1:8b-0528-qwen3-q4_K_M"]
    assert names.find("DEEPSEEK-R1:1.5B", configured) == "deepseek-r1:1.5b"
    # The name is still sent as configured: registry tags keep their case (q4_K_M).
    assert names.find("deepseek-r1:8b-0528-qwen3-Q4_K_M", configured) == "deepseek-r1:8b-0528-qwen3-q4_K_M"
    assert names.find("deepseek-r1:7b", configured) is None


def test_normalize_keeps_the_case_it_was_given() -> None:
    assert names.normalize("DeepSeek-R1:7B") == "DeepSeek-R1:7B"
    assert names.key("DeepSeek-R1:7B") == "deepseek-r1:7b"
