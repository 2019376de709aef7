"""The message catalog: both languages, the same placeholders, full-width Chinese punctuation, a key per code."""

from __future__ import annotations

import re

import pytest
from deepseek_ext.adapters.files import load_messages
from deepseek_ext.core.messages import (
    LANGUAGES,
    MessageCatalog,
    MessageCatalogError,
    message,
    placeholders,
)
from deepseek_ext.core.model_state import ManagerPhase, ModelState
from deepseek_ext.core.phases import Component, ComponentState, StatusPhase
from deepseek_ext.manager.failures import FailureCode

CATALOG = load_messages()
CJK = r"[\u4e00-\u9fff]"
# ASCII punctuation touching a Chinese character: the zh text should use ，。：；（）？！ there.
HALF_WIDTH_BESIDE_CJK = re.compile(rf"{CJK}[,;:!?()]|[;:!?(]{CJK}|,{CJK}")


@pytest.mark.parametrize("key", sorted(CATALOG.keys()))
def test_both_languages_have_the_same_placeholders(key: str) -> None:
    en, zh = (CATALOG.template(key, lang) for lang in LANGUAGES)
    assert placeholders(en) == placeholders(zh), key
    assert zh != en or key.startswith("component."), f"{key}: the zh text repeats the English"


@pytest.mark.parametrize("key", sorted(CATALOG.keys()))
def test_chinese_uses_full_width_punctuation(key: str) -> None:
    zh = CATALOG.template(key, "zh")
    assert not HALF_WIDTH_BESIDE_CJK.search(zh), f"{key}: {HALF_WIDTH_BESIDE_CJK.search(zh)} in {zh!r}"


@pytest.mark.parametrize(
    "prefix, words",
    [
        pytest.param("phase", StatusPhase, id="status phases"),
        pytest.param("componentState", ComponentState, id="component states"),
        pytest.param("component", Component, id="components"),
        pytest.param("modelState", ModelState, id="model states"),
        pytest.param("managerPhase", ManagerPhase, id="manager phases"),
        pytest.param("failure", FailureCode, id="failure codes"),
    ],
)
def test_every_word_of_the_vocabulary_has_an_entry(prefix: str, words: type) -> None:
    missing = [w.value for w in words if f"{prefix}.{w.value}" not in CATALOG]
    assert not missing, f"no {prefix}.<word> entry for {missing}"


def test_every_failure_has_a_fix() -> None:
    assert [c.value for c in FailureCode if f"failure.{c.value}.fix" not in CATALOG] == []


def test_render_fills_both_languages_and_joins_lists_per_language() -> None:
    catalog = MessageCatalog({"t.x": {"en": "tags {tags}; {state}", "zh": "标签 {tags}；{state}"},
                              "s.y": {"en": "ready", "zh": "就绪"}})
    assert catalog.render(message("t.x", tags=["1.5b", "7b"], state=message("s.y"))) == {
        "en": "tags 1.5b, 7b; ready",
        "zh": "标签 1.5b、7b；就绪",
    }


def test_a_missing_parameter_is_an_error_not_a_placeholder_in_front_of_a_user() -> None:
    catalog = MessageCatalog({"t.x": {"en": "model {model}", "zh": "模型 {model}"}})
    with pytest.raises(KeyError, match="model"):
        catalog.render(message("t.x"))


@pytest.mark.parametrize(
    "entries, problem",
    [
        pytest.param({"t.x": {"en": "only english"}}, "languages", id="one language"),
        pytest.param({"t.x": {"en": "{a:>4}", "zh": "{a:>4}"}}, "plain", id="format spec"),
        pytest.param({"t.x": {"en": "{a", "zh": "{a"}}, "brace", id="unbalanced brace"),
        pytest.param({"T x": {"en": "a", "zh": "甲"}}, "dotted", id="bad key"),
        pytest.param({"t.x": {"en": "", "zh": "甲"}}, "non-empty", id="empty text"),
    ],
)
def test_malformed_catalogs_are_refused_with_the_key(entries: dict, problem: str) -> None:
    with pytest.raises(MessageCatalogError, match=problem):
        MessageCatalog(entries)
