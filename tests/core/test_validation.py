"""Every validation rule with a failing and a passing config; safe parsing of config text."""

from __future__ import annotations

import time
from typing import Any

import pytest
from deepseek_ext.adapters.files import load_messages, load_values_schema
from deepseek_ext.core.catalog import Catalog
from deepseek_ext.core.findings import FindingCode, Severity
from deepseek_ext.core.validation import (
    ConfigParseError,
    merge_values,
    parse_config_text,
    validate_config,
)

from tests.helmtools import COMPAT_DIR

SCHEMA = load_values_schema()


def _check(catalog: Catalog, defaults: dict, backend: dict[str, Any]):
    return validate_config({"backend": backend}, defaults=defaults, catalog=catalog, schema=SCHEMA)


def _codes(findings) -> set[str]:
    return {f.code.value for f in findings}


# (rule, failing backend config, passing backend config, path of the error)
RULES = [
    (FindingCode.UNKNOWN_MODEL_TAG, {"model": {"tag": "3b"}}, {"model": {"tag": "7b"}}, "backend.model.tag"),
    (
        FindingCode.UNKNOWN_MODEL_TAG,
        {"models": ["deepseek-r1:5b"]},
        {"models": ["deepseek-r1:7b"]},
        "backend.models[0]",
    ),
    (
        FindingCode.OLLAMA_TOO_OLD,
        {"model": {"tag": "8b"}, "server": {"image": {"tag": "0.5.7"}}},
        {"model": {"tag": "8b"}, "server": {"image": {"tag": "0.7.1"}}},
        "backend.server.image.tag",
    ),
    (
        FindingCode.CUSTOM_MODEL_NEEDS_RESOURCES,
        {"model": {"repository": "qwen3", "tag": "8b"}},
        {
            "model": {"repository": "qwen3", "tag": "8b"},
            "server": {"resources": {"limits": {"memory": "8Gi"}}},
            "persistence": {"size": "20Gi"},
        },
        "backend.server.resources",
    ),
    (
        FindingCode.CUSTOM_MODEL_NEEDS_STORAGE,
        {"models": ["qwen3:8b"]},
        {"models": ["qwen3:8b"], "persistence": {"size": "50Gi"}},
        "backend.persistence.size",
    ),
    (
        FindingCode.STORAGE_TOO_SMALL,
        {"model": {"tag": "32b"}, "persistence": {"size": "10Gi"}},
        {"model": {"tag": "32b"}, "persistence": {"size": "50Gi"}},
        "backend.persistence.size",
    ),
    (
        FindingCode.GPU_COUNT_EXCEEDS_NODE,
        {"model": {"tag": "671b"}, "enableNvidia": True},
        {"model": {"tag": "671b"}, "enableNvidia": True, "gpu": {"memoryPerGPU": "80Gi"}},
        "backend.gpu.memoryPerGPU",
    ),
    (
        FindingCode.GPU_TOO_SMALL,
        {"enableNvidia": True, "gpu": {"memoryPerGPU": "512Mi"}},
        {"enableNvidia": True, "gpu": {"memoryPerGPU": "4Gi"}},
        "backend.gpu.memoryPerGPU",
    ),
    (
        FindingCode.REPLICAS_NEED_READ_WRITE_MANY,
        {"server": {"replicas": 2}},
        {"server": {"replicas": 2}, "persistence": {"accessModes": ["ReadWriteMany"]}},
        "backend.server.replicas",
    ),
    (
        FindingCode.REPLICAS_NEED_READ_WRITE_MANY,
        {"server": {"autoscaling": {"enabled": True, "maxReplicas": 3}}},
        {"server": {"autoscaling": {"enabled": True, "maxReplicas": 1}}},
        "backend.server.autoscaling.enabled",
    ),
    (
        FindingCode.CONFLICTING_ACCELERATORS,
        {"enableNvidia": True, "enableAMD": True},
        {"enableAMD": True},
        "backend.enableAMD",
    ),
    (
        FindingCode.INVALID_VALUE,
        {"model": {"contextLength": "8k"}},
        {"model": {"contextLength": 16384}},
        "backend.model.contextLength",
    ),
    (
        FindingCode.INVALID_VALUE,
        {"model": {"kvCacheType": "q5_1"}},
        {"model": {"kvCacheType": "q4_0"}},
        "backend.model.kvCacheType",
    ),
    (FindingCode.INVALID_VALUE, {"enableNvidia": "yes"}, {"enableNvidia": True}, "backend.enableNvidia"),
    (
        FindingCode.INVALID_VALUE,
        {"persistence": {"accessModes": ["ReadWriteSometimes"]}},
        {"persistence": {"accessModes": ["ReadWriteOnce"]}},
        "backend.persistence.accessModes[0]",  # the schema names the item (was the list)
    ),
    (
        FindingCode.INVALID_QUANTITY,
        {"gpu": {"memoryPerGPU": "24GB"}, "enableNvidia": True},
        {"gpu": {"memoryPerGPU": "24G"}, "enableNvidia": True},
        "backend.gpu.memoryPerGPU",
    ),
    (
        FindingCode.INVALID_QUANTITY,
        {"server": {"resources": {"requests": {"memory": "lots"}}}},
        {"server": {"resources": {"requests": {"memory": "8Gi"}}}},
        "backend.server.resources.requests.memory",
    ),
    (
        FindingCode.INVALID_QUANTITY,
        {"persistence": {"size": "50 GB"}},
        {"persistence": {"size": "50Gi"}},
        "backend.persistence.size",
    ),
    (
        FindingCode.REQUEST_ABOVE_LIMIT,
        {"server": {"resources": {"requests": {"memory": "16Gi"}, "limits": {"memory": "8Gi"}}}},
        {"server": {"resources": {"requests": {"memory": "8Gi"}, "limits": {"memory": "16Gi"}}}},
        "backend.server.resources.requests.memory",
    ),
    (
        FindingCode.EXTENDED_RESOURCE_MISMATCH,
        {
            "enableNvidia": True,
            "server": {"resources": {"requests": {"nvidia.com/gpu": 1}, "limits": {"nvidia.com/gpu": 2}}},
        },
        {
            "enableNvidia": True,
            "server": {"resources": {"requests": {"nvidia.com/gpu": 2}, "limits": {"nvidia.com/gpu": 2}}},
        },
        "backend.server.resources.requests.nvidia.com/gpu",
    ),
]


@pytest.mark.parametrize(
    ("code", "failing", "passing", "path"), RULES, ids=[f"{r[0].value}-{r[3]}" for r in RULES]
)
def test_rule_fails_and_passes(
    catalog: Catalog, defaults: dict, code: FindingCode, failing: dict, passing: dict, path: str
) -> None:
    bad = _check(catalog, defaults, failing)
    assert not bad.valid
    matching = [f for f in bad.errors if f.code == code]
    assert matching, bad.to_dict(load_messages())
    finding = matching[0]
    assert finding.path == path
    assert finding.severity == Severity.ERROR
    text, _ = finding.texts(load_messages())
    assert text["en"] and text["zh"] and text["en"] != text["zh"]
    good = _check(catalog, defaults, passing)
    assert good.valid, good.to_dict(load_messages())
    assert code not in {f.code for f in good.errors}


def test_unknown_tag_names_the_nearest_and_the_valid_tags(catalog: Catalog, defaults: dict) -> None:
    finding = _check(catalog, defaults, {"model": {"tag": "3b"}}).errors[0]
    assert finding.message.key == "finding.UnknownModelTag.withNearest"
    assert finding.params == {"name": "deepseek-r1:3b", "nearest": ["1.5b", "7b"], "tags": catalog.tags(),
                              "path": "backend.model.tag"}
    message, fix = finding.texts(load_messages())
    assert fix is not None
    for lang in ("en", "zh"):
        assert "deepseek-r1:3b" in message[lang] and "1.5b" in message[lang]
        assert all(tag in message[lang] and tag in fix[lang] for tag in catalog.tags())
    assert finding.to_dict(load_messages())["evidence"]["nearest"] == ["1.5b", "7b"]


def test_a_tag_without_a_near_size_has_no_nearest(catalog: Catalog, defaults: dict) -> None:
    finding = _check(catalog, defaults, {"model": {"tag": "latst"}}).errors[0]
    assert finding.code == FindingCode.UNKNOWN_MODEL_TAG
    assert finding.message.key == "finding.UnknownModelTag" and finding.params["nearest"] == []


def test_invalid_value_says_what_is_allowed_and_gives_its_schema(catalog: Catalog, defaults: dict) -> None:
    # The phrase is built from values.schema.json's subschema (issue 13), no longer a per-key phrase.
    finding = _check(catalog, defaults, {"model": {"contextLength": "8k"}}).errors[0]
    allowed = finding.params["allowed"]
    assert allowed.key == "validation.allowed.integer.between" and allowed.params == {"min": 512, "max": 1048576}
    assert finding.params["given"] == '"8k"' and finding.params["type"].key == "validation.type.string"
    assert finding.evidence == {"given": "8k",
                                "allowed": {"type": "integer", "minimum": 512, "maximum": 1048576}}


def test_the_0_1_0_pin_is_an_error_for_8b_and_a_warning_for_others(catalog: Catalog, defaults: dict) -> None:
    pinned = {"server": {"image": {"tag": "0.5.7"}}}
    assert _codes(_check(catalog, defaults, {**pinned, "model": {"tag": "8b"}}).errors) == {"OllamaTooOld"}
    other = _check(catalog, defaults, {**pinned, "model": {"tag": "7b"}})
    assert other.valid and "OllamaPinnedOld" in _codes(other.warnings)
    assert "OllamaPinnedOld" not in _codes(_check(catalog, defaults, {"model": {"tag": "7b"}}).warnings)


WARNINGS = [
    (
        FindingCode.CONTEXT_BELOW_REASONING,
        {"model": {"contextLength": 4096}},
        {"model": {"contextLength": 8192}},
    ),
    (FindingCode.CONTEXT_CAPPED, {"model": {"contextLength": 262144}}, {"model": {"contextLength": 131072}}),
    (
        FindingCode.GPU_MEMORY_ASSUMED,
        {"enableNvidia": True},
        {"enableNvidia": True, "gpu": {"memoryPerGPU": "16Gi"}},
    ),
    (FindingCode.GPU_SETTINGS_WITHOUT_GPU, {"gpu": {"memoryPerGPU": "16Gi"}}, {"gpu": {"memoryPerGPU": ""}}),
    (
        FindingCode.OLLAMA_VERSION_UNKNOWN,
        {"server": {"image": {"tag": "latest"}}},
        {"server": {"image": {"tag": ""}}},
    ),
    (
        FindingCode.STORAGE_BELOW_RECOMMENDED,
        {"model": {"tag": "32b"}, "persistence": {"size": "20Gi"}},
        {"model": {"tag": "32b"}, "persistence": {"size": "40Gi"}},
    ),
]


@pytest.mark.parametrize(("code", "warned", "quiet"), WARNINGS, ids=[w[0].value for w in WARNINGS])
def test_warning_appears_only_when_it_applies(
    catalog: Catalog, defaults: dict, code: FindingCode, warned: dict, quiet: dict
) -> None:
    report = _check(catalog, defaults, warned)
    assert report.valid, report.to_dict(load_messages())
    assert code in {f.code for f in report.warnings}
    assert code not in {f.code for f in _check(catalog, defaults, quiet).warnings}


def test_defaults_and_the_0_1_0_config_are_valid(catalog: Catalog, defaults: dict) -> None:
    assert validate_config({}, defaults=defaults, catalog=catalog, schema=SCHEMA).to_dict(load_messages()) == {
        "valid": True,
        "errors": [],
        "warnings": [],
    }
    old = parse_config_text((COMPAT_DIR / "deepseek-0.1.0-values.yaml").read_text())
    report = validate_config(old, defaults=defaults, catalog=catalog, schema=SCHEMA)
    # Applications of a 0.1.0 install must now send a key (core/legacy_config.py, tests/core/test_legacy_config.py).
    assert report.valid and _codes(report.warnings) == {"OllamaPinnedOld", "LegacyConfigNeedsKeys"}


def test_report_json_shape(catalog: Catalog, defaults: dict) -> None:
    report = _check(catalog, defaults, {"model": {"tag": "3b"}}).to_dict(load_messages())
    assert set(report) == {"valid", "errors", "warnings"}
    error = report["errors"][0]
    assert {"path", "code", "message", "severity", "fix"} <= set(error)
    assert set(error["message"]) == {"en", "zh"}


def test_merge_follows_helm_null_deletes_maps_merge_lists_replace() -> None:
    merged = merge_values({"a": {"b": 1, "c": [1, 2]}, "d": 1}, {"a": {"c": [3], "e": None}, "d": None})
    assert merged == {"a": {"b": 1, "c": [3]}}


# --- parse_config_text ----------------------------------------------------------------------------------

BILLION_LAUGHS = """
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_billion_laughs_is_rejected_quickly() -> None:
    started = time.monotonic()
    with pytest.raises(ConfigParseError) as failure:
        parse_config_text(BILLION_LAUGHS)
    assert time.monotonic() - started < 1.0
    assert failure.value.message.key == "config.unreadable.tooManyValues"
    assert failure.value.message.params == {"max": 20000}


def test_a_few_aliases_are_fine() -> None:
    data = parse_config_text("base: &r {cpu: 2}\nbackend: {server: {resources: {requests: *r}}}\n")
    assert data["backend"]["server"]["resources"]["requests"] == {"cpu": 2}


DEEP = [
    "a: " + "[" * 40 + "]" * 40,
    '{"a": ' * 40 + "1" + "}" * 40,
    "a: " + "[" * 500000,
    "a:\n" + "".join(" " * i + "b:\n" + " " * i + " c: 1\n" for i in range(1, 200)),
]


@pytest.mark.parametrize("text", DEEP, ids=["flow", "json", "flow-huge", "block"])
def test_deep_nesting_is_rejected_quickly(text: str) -> None:
    started = time.monotonic()
    with pytest.raises(ConfigParseError) as failure:
        parse_config_text(text)
    assert time.monotonic() - started < 2.0
    assert failure.value.message.key == "config.unreadable.tooDeep"


@pytest.mark.parametrize("text", ["- a\n- b\n", "just text", "42"])
def test_top_level_must_be_a_map(text: str) -> None:
    with pytest.raises(ConfigParseError) as failure:
        parse_config_text(text)
    assert failure.value.message.key == "config.unreadable.notAMap"
    # a kind in words (validation.type.*), never a Python type name such as "str" (issue 13)
    assert failure.value.message.params["type"].key in {"validation.type.array", "validation.type.string",
                                                        "validation.type.number"}


def test_json_yaml_empty_and_unsafe_tags() -> None:
    assert parse_config_text('{"backend": {"model": {"tag": "7b"}}}') == {"backend": {"model": {"tag": "7b"}}}
    assert parse_config_text("{backend: {model: {tag: 7b}}}") == {"backend": {"model": {"tag": "7b"}}}
    assert parse_config_text("") == {}
    assert parse_config_text("# only a comment\n") == {}
    assert parse_config_text("tag: 2025-01-01") == {"tag": "2025-01-01"}  # stays text, as in Helm
    with pytest.raises(ConfigParseError):
        parse_config_text("a: !!python/object/apply:os.system ['true']")
    with pytest.raises(ConfigParseError) as failure:
        parse_config_text("a: [1, 2\nb: 3")
    assert failure.value.message.key == "config.unreadable.syntaxAt"
    assert failure.value.message.params["line"] == 2


def test_control_characters_are_a_parse_error_not_a_traceback():
    # PyYAML's reader refuses a NUL byte while the loader is being built, before parsing starts.
    with pytest.raises(ConfigParseError) as failure:
        parse_config_text('backend:\n  model: {tag: "1\x00"}\n')
    assert failure.value.message.key in {"config.unreadable.syntax", "config.unreadable.syntaxAt"}


@pytest.mark.parametrize("text", ["a: !!int ", "a: !!float ", "a: !!timestamp nope"])
def test_tagged_values_that_cannot_be_read_are_a_parse_error(text):
    with pytest.raises(ConfigParseError) as failure:
        parse_config_text(text)
    assert failure.value.message.key == "config.unreadable.taggedValue"


UNREADABLE = {
    "tooLarge": "a: " + "x" * (1024 * 1024),
    "tooDeep": "a: " + "[" * 40 + "]" * 40,
    "tooManyValues": BILLION_LAUGHS,
    "recursiveAlias": "a: &a [*a]\n",
    "unsupportedType": "a: !!binary aGVsbG8=\n",
    "notAMap": "- a\n",
    "syntaxAt": "a: [1, 2\nb: 3",
    "taggedValue": "a: !!int ",
}


@pytest.mark.parametrize("reason", sorted(UNREADABLE))
def test_every_parse_error_is_a_catalog_message_in_both_languages(reason: str) -> None:
    with pytest.raises(ConfigParseError) as failure:
        parse_config_text(UNREADABLE[reason])
    assert failure.value.message.key == f"config.unreadable.{reason}"
    body = failure.value.to_dict(load_messages())
    assert body["code"] == "UnreadableConfig"
    assert body["message"]["en"] and body["message"]["zh"] and body["message"]["en"] != body["message"]["zh"]
