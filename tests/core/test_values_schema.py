"""values.schema.json's errors as findings: one case per jsonschema error kind, and the suggestions of
issue 13 for the mistakes people make (codes, paths and params; the wording lives in messages.yaml)."""

from __future__ import annotations

from typing import Any

import pytest
from deepseek_ext.adapters.files import load_messages, load_values_schema
from deepseek_ext.core.catalog import Catalog
from deepseek_ext.core.config_text import ConfigParseError, parse_config_text
from deepseek_ext.core.findings import FindingCode, Severity
from deepseek_ext.core.validation import validate_config
from deepseek_ext.core.values_schema import ValuesSchema, coalesce_for_schema, dot_path, schema_findings

SCHEMA = load_values_schema()


def _errors(catalog: Catalog, defaults: dict, config: dict[str, Any]):
    return validate_config(config, defaults=defaults, catalog=catalog, schema=SCHEMA).errors


def _one(catalog: Catalog, defaults: dict, config: dict[str, Any], path: str):
    found = [f for f in _errors(catalog, defaults, config) if f.path == path]
    assert len(found) == 1, [(f.path, f.code.value) for f in _errors(catalog, defaults, config)]
    return found[0]


# (config, path, code, message key, the kind of the allowed phrase or None)
KINDS = [
    pytest.param({"backend": {"modle": {"tag": "14b"}}}, "backend.modle", "UnknownKey",
                 "finding.UnknownKey.didYouMean", None, id="additionalProperties"),
    pytest.param({"backend": {"server": {"image": {"repository": 5}}}}, "backend.server.image.repository",
                 "InvalidValue", "finding.InvalidValue", "validation.allowed.nonEmpty", id="type"),
    pytest.param({"backend": {"server": {"image": {"pullPolicy": "Sometimes"}}}}, "backend.server.image.pullPolicy",
                 "InvalidValue", "finding.InvalidValue", "validation.allowed.values", id="enum"),
    pytest.param({"backend": {"model": {"contextLength": 100}}}, "backend.model.contextLength",
                 "InvalidValue", "finding.InvalidValue", "validation.allowed.integer.between", id="minimum"),
    pytest.param({"backend": {"model": {"parallel": 65}}}, "backend.model.parallel",
                 "InvalidValue", "finding.InvalidValue", "validation.allowed.integer.between", id="maximum"),
    pytest.param({"backend": {"server": {"autoscaling": {"minReplicas": 1.5}}}},
                 "backend.server.autoscaling.minReplicas", "InvalidValue", "finding.InvalidValue",
                 "validation.allowed.integer.atLeast", id="type-integer"),
    pytest.param({"backend": {"model": {"repository": ""}}}, "backend.model.repository",
                 "InvalidValue", "finding.InvalidValue", "validation.allowed.nonEmpty", id="minLength"),
    pytest.param({"backend": {"persistence": {"accessModes": []}}}, "backend.persistence.accessModes",
                 "InvalidValue", "finding.InvalidValue", "validation.allowed.listOf", id="minItems"),
    pytest.param({"api": {"image": {"digest": "sha256:abc"}}}, "api.image.digest",
                 "InvalidValue", "finding.InvalidValue", "validation.allowed.digest", id="pattern"),
    pytest.param({"backend": {"server": {"resources": {"requests": {"cpu": "two"}}}}},
                 "backend.server.resources.requests.cpu", "InvalidQuantity", "finding.InvalidQuantity", None,
                 id="pattern-quantity"),
    pytest.param({"backend": {"gpu": {"memoryPerGPU": "lots"}}}, "backend.gpu.memoryPerGPU",
                 "InvalidQuantity", "finding.InvalidQuantity", None, id="anyOf-quantity"),
    pytest.param({"backend": {"server": {"image": {"pullSecrets": [{"nam": "x"}]}}}},
                 "backend.server.image.pullSecrets[0]", "InvalidValue", "finding.InvalidValue",
                 "validation.allowed.either", id="anyOf"),
    pytest.param({"backend": {"server": {"extraEnv": [{"value": "1"}]}}}, "backend.server.extraEnv[0].name",
                 "InvalidValue", "finding.InvalidValue.required", None, id="required"),
    pytest.param({"backend": {"server": {"extraEnv": [{"name": "A", "value": "1", "valueFrom": {}}]}}},
                 "backend.server.extraEnv[0]", "InvalidValue", "finding.InvalidValue", "validation.type.object",
                 id="not"),
    pytest.param({"backend": {"server": {"resources": {"limits": {"mem": "1Gi"}}}}},
                 "backend.server.resources.limits.mem", "InvalidValue", "finding.InvalidValue.resourceName", None,
                 id="propertyNames"),
    pytest.param({"backend": {"server": {"resources": {"limits": {"nvidia.com/gpu": 1.5}}}}},
                 "backend.server.resources.limits.nvidia.com/gpu", "InvalidValue", "finding.InvalidValue",
                 "validation.allowed.wholeNumber", id="patternProperties"),
    pytest.param({"backend": {"server": {"resources": {"limits": {"memory": None}}}}},
                 "backend.server.resources.limits.memory", "InvalidQuantity", "finding.InvalidQuantity", None,
                 id="null-without-default"),
]


@pytest.mark.parametrize(("config", "path", "code", "key", "allowed"), KINDS)
def test_each_error_kind_is_a_finding_in_both_languages(catalog: Catalog, defaults: dict, config: dict, path: str,
                                                        code: str, key: str, allowed: str | None) -> None:
    finding = _one(catalog, defaults, config, path)
    assert finding.code.value == code and finding.severity == Severity.ERROR
    assert finding.message.key == key
    if allowed:
        assert finding.params["allowed"].key == allowed
    text, _ = finding.texts(load_messages())
    assert text["en"] and text["zh"] and text["en"] != text["zh"]


PYTHON_TYPE_NAMES = ("str", "int", "float", "bool", "dict", "NoneType", "string", "integer", "boolean")


@pytest.mark.parametrize("value", ["x", 5, 1.5, True, None, [1], {"a": 1}], ids=repr)
def test_messages_never_name_python_types(catalog: Catalog, defaults: dict, value: Any) -> None:
    config = {"backend": {"enableNvidia": value}} if value is not True else {"backend": {"models": value}}
    for finding in _errors(catalog, defaults, config):
        text, _ = finding.texts(load_messages())
        words = set(text["en"].replace("(", " ").replace(")", " ").replace(";", " ").split())
        assert not words & set(PYTHON_TYPE_NAMES), text["en"]


# --- the suggestions of issue 13 -----------------------------------------------------------------------


@pytest.mark.parametrize(("config", "path", "nearest"), [
    ({"backend": {"modle": {"tag": "14b"}}}, "backend.modle", "model"),
    ({"backend": {"enableNvidai": True}}, "backend.enableNvidai", "enableNvidia"),
    ({"backend": {"gpu": {"memoryPerGpu": "24Gi"}}}, "backend.gpu.memoryPerGpu", "memoryPerGPU"),
    ({"api": {"replica": 2}}, "api.replica", "replicas"),
], ids=["modle", "enableNvidai", "memoryPerGpu", "replica"])
def test_unknown_keys_say_the_nearest_key(catalog: Catalog, defaults: dict, config: dict, path: str,
                                          nearest: str) -> None:
    finding = _one(catalog, defaults, config, path)
    assert finding.code == FindingCode.UNKNOWN_KEY
    assert finding.params["nearest"] == nearest and finding.evidence["nearest"] == nearest
    assert nearest in finding.params["known"]


def test_an_unknown_key_far_from_every_key_has_no_guess(catalog: Catalog, defaults: dict) -> None:
    finding = _one(catalog, defaults, {"backend": {"zzzzqqq": 1}}, "backend.zzzzqqq")
    assert finding.message.key == "finding.UnknownKey" and finding.params["nearest"] is None


def test_typos_together_are_each_refused(catalog: Catalog, defaults: dict) -> None:
    """The issue's config: `modle.tag: 14b` with `enableNvidai` silently gave 1.5b on CPU."""
    paths = {f.path for f in _errors(catalog, defaults, {"backend": {"modle": {"tag": "14b"}, "enableNvidai": True}})}
    assert paths == {"backend.modle", "backend.enableNvidai"}


@pytest.mark.parametrize(("config", "path", "suggestion"), [
    ({"backend": {"enableNvidia": True, "gpu": {"memoryPerGPU": "8GB"}}}, "backend.gpu.memoryPerGPU", "8Gi"),
    ({"backend": {"enableNvidia": True, "gpu": {"memoryPerGPU": 16}}}, "backend.gpu.memoryPerGPU", "16Gi"),
    ({"backend": {"persistence": {"size": "50 GB"}}}, "backend.persistence.size", "50Gi"),
    ({"backend": {"server": {"resources": {"limits": {"memory": "10gb"}}}}},
     "backend.server.resources.limits.memory", "10Gi"),
    ({"backend": {"server": {"resources": {"requests": {"cpu": "2 cores"}}}}},
     "backend.server.resources.requests.cpu", "2"),
], ids=["8GB", "16", "50 GB", "10gb", "2 cores"])
def test_bad_quantities_suggest_the_nearest_kubernetes_quantity(catalog: Catalog, defaults: dict, config: dict,
                                                                path: str, suggestion: str) -> None:
    finding = _one(catalog, defaults, config, path)
    assert finding.code == FindingCode.INVALID_QUANTITY
    assert finding.params["suggestion"] == suggestion
    assert finding.fix.key == "finding.InvalidQuantity.fix.suggestion"
    _, fix = finding.texts(load_messages())
    assert fix is not None and suggestion in fix["en"] and suggestion in fix["zh"]


def test_a_quantity_without_a_guess_has_no_suggestion(catalog: Catalog, defaults: dict) -> None:
    finding = _one(catalog, defaults, {"backend": {"gpu": {"memoryPerGPU": "lots"}}}, "backend.gpu.memoryPerGPU")
    assert finding.params["suggestion"] is None and finding.fix.key == "finding.InvalidQuantity.fix"


def test_a_bare_memory_resource_is_a_warning_with_the_unit(catalog: Catalog, defaults: dict) -> None:
    report = validate_config({"backend": {"server": {"resources": {"limits": {"memory": 16}}}}},
                             defaults=defaults, catalog=catalog, schema=SCHEMA)
    found = [w for w in report.warnings if w.code == FindingCode.MEMORY_WITHOUT_UNIT]
    assert [(w.path, w.params["suggestion"]) for w in found] == [("backend.server.resources.limits.memory", "16Gi")]
    quiet = validate_config({"backend": {"server": {"resources": {"limits": {"memory": "16Gi"}}}}},
                            defaults=defaults, catalog=catalog, schema=SCHEMA)
    assert FindingCode.MEMORY_WITHOUT_UNIT not in {w.code for w in quiet.warnings}


def test_key_colon_value_without_a_space_says_to_add_the_space(catalog: Catalog, defaults: dict) -> None:
    """The seed README's `tag:1.5b`: YAML reads it as the string "tag:1.5b" in place of the model map."""
    values = parse_config_text("backend:\n  model:\n    tag:1.5b\n")
    report = validate_config(values, defaults=defaults, catalog=catalog, schema=SCHEMA)
    finding = next(f for f in report.errors if f.path == "backend.model")
    assert finding.code == FindingCode.INVALID_VALUE
    assert finding.params["suggestion"] == "tag: 1.5b" and finding.fix.key == "finding.InvalidValue.fix.colonSpace"
    assert finding.params["allowed"].key == "validation.type.object"


def test_a_full_model_name_as_the_tag_suggests_the_tag_alone(catalog: Catalog, defaults: dict) -> None:
    finding = _one(catalog, defaults, {"backend": {"model": {"tag": "deepseek-r1:7b"}}}, "backend.model.tag")
    assert finding.code == FindingCode.UNKNOWN_MODEL_TAG
    assert finding.params["tagAlone"] == "7b" and finding.fix.key == "finding.UnknownModelTag.fix.tagAlone"
    _, fix = finding.texts(load_messages())
    assert fix is not None and "tag: 7b" in fix["en"] and "tag: 7b" in fix["zh"]
    other = _one(catalog, defaults, {"backend": {"model": {"tag": "3b"}}}, "backend.model.tag")
    assert "tagAlone" not in other.params


@pytest.mark.parametrize(("text", "line", "column", "hint"), [
    ("backend:\n  model:\n    tag: 7b\n   pull: true\n", 4, 4, "indentation"),
    ("backend:\n\tmodel: {}\n", 2, 1, "tab"),
    ('backend:\n  model:\n    tag: "7b\n', 4, 1, "unclosedQuote"),
    ("backend: {model: [1, 2}\n", 1, 23, "unclosedBracket"),
    ("a: *nope\n", 1, 4, "alias"),
], ids=["indentation", "tab", "quote", "bracket", "alias"])
def test_yaml_syntax_errors_give_line_column_and_a_hint(text: str, line: int, column: int, hint: str) -> None:
    with pytest.raises(ConfigParseError) as failure:
        parse_config_text(text)
    msg = failure.value.message
    assert msg.key == "config.unreadable.syntaxAt"
    assert (msg.params["line"], msg.params["column"]) == (line, column)
    assert msg.params["hint"].key == f"config.hint.{hint}"
    rendered = failure.value.texts(load_messages())
    # PyYAML's English text is evidence only: neither language shows it, and zh is Chinese
    assert msg.params["detail"] not in rendered["en"] and msg.params["detail"] not in rendered["zh"]
    assert "行" in rendered["zh"] and rendered["zh"] != rendered["en"]


# --- the machinery ----------------------------------------------------------------------------------------


def test_coalescing_keeps_every_null_for_the_schema_as_helm_does() -> None:
    merged = coalesce_for_schema({"a": {"b": 1}, "c": 2}, {"a": {"d": None, "b": None}, "c": None, "e": None})
    assert merged == {"a": {"b": None, "d": None}, "c": None, "e": None}


def test_dot_paths_read_as_users_write_them() -> None:
    assert dot_path(["backend", "models", 0]) == "backend.models[0]"
    assert dot_path(["backend", "server", "resources", "limits", "nvidia.com/gpu"]) == (
        "backend.server.resources.limits.nvidia.com/gpu")
    assert dot_path([]) == "(document)"


def test_patterns_end_where_go_ends_them() -> None:
    """Python's `$` matches before a final newline, RE2's does not: helm refuses "8Gi\\n", so do we."""
    tree = {"backend": {"gpu": {"memoryPerGPU": "8Gi\n"}}}
    assert [f.path for f in schema_findings(tree, SCHEMA)] == ["backend.gpu.memoryPerGPU"]


def test_the_schema_refuses_unknown_keys_except_in_open_maps(defaults: dict) -> None:
    open_maps = {"global": {"anything": {"deep": 1}}, "tags": {"agent": False},
                 "backend": {"server": {"nodeSelector": {"zone": "a"}, "affinity": {"x": 1},
                                        "resources": {"limits": {"example.com/fpga": 1, "hugepages-2Mi": "1Gi"}}}}}
    assert schema_findings(coalesce_for_schema(defaults, open_maps), SCHEMA) == []


def test_the_schema_declares_the_draft_helm_reads() -> None:
    assert SCHEMA.document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert isinstance(ValuesSchema.from_document({"type": "object"}), ValuesSchema)


@pytest.mark.parametrize(("size", "refused"), [(53687091200, False), ("53687091200", False), (16, True),
                                               ("1048575", False), (1048575, True)], ids=repr)
def test_a_size_in_bytes_is_a_size_a_small_bare_number_is_a_missing_unit(defaults: dict, size: object,
                                                                         refused: bool) -> None:
    tree = coalesce_for_schema(defaults, {"backend": {"persistence": {"size": size}}})
    assert bool(schema_findings(tree, SCHEMA)) is refused
