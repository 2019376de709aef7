"""values.schema.json applied the way helm applies it, its errors as our findings. Pure.

helm 3.19 validates the coalesced values against the chart's values.schema.json with
santhosh-tekuri/jsonschema v6 (helm pkg/chartutil/jsonschema.go, ``ValidateAgainstSingleSchema``),
which reads the draft from ``$schema`` (4, 6, 7, 2019-09 or 2020-12; 2020-12 when absent) and
treats ``format`` as an annotation. Our schema declares 2020-12, so the validator here is
jsonschema's Draft202012Validator without a format checker, over the same coalesced tree
(:func:`coalesce_for_schema`). The schema is data: the edge loads it
(``adapters.files.load_values_schema``) and passes a :class:`ValuesSchema` in.

Each jsonschema error becomes a Finding with the config path in dot notation, a code
(UnknownKey, InvalidValue, InvalidQuantity), what was given, what is allowed (a catalog phrase
built from the failing subschema, and the subschema itself as evidence) and, where we can tell, a
suggestion (``core.suggestions``). Messages never name Python types: a value's kind is
``validation.type.*`` (text, number, true/false, list, map, empty).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator, ValidationError
from jsonschema.validators import extend
from referencing import Registry

from deepseek_ext.core.config_text import kind_of
from deepseek_ext.core.findings import Finding, FindingCode, error
from deepseek_ext.core.messages import Message, message
from deepseek_ext.core.quantity import MEMORY_EXAMPLES, quantity_text
from deepseek_ext.core.sizing import QUANTITY_EXAMPLES
from deepseek_ext.core.suggestions import missing_space_after_colon, nearest_key, suggest_quantity

RESOURCE_NAMES = ("cpu", "memory", "ephemeral-storage", "nvidia.com/gpu", "amd.com/gpu")
"""The resource names people mean, for "did you mean" on an invalid one."""
QUANTITY_DEFS = ("quantity", "memoryQuantity", "byteCount")
"""$defs whose pattern failing means "not a quantity" (finding.InvalidQuantity)."""


def _go_pattern(pattern: str) -> re.Pattern[str]:
    """A schema pattern compiled with Go's anchors: ``$`` ends the text (Python's ``$`` also matches
    before a final newline, Go's RE2 does not, so ``"8Gi\\n"`` would pass here and fail in helm)."""
    return re.compile(re.sub(r"(?<!\\)\$", r"\\Z", pattern))


_compiled = functools.lru_cache(maxsize=256)(_go_pattern)


def _pattern_keyword(
    validator: Any, pattern: str, instance: Any, schema: Mapping[str, Any]
) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not _compiled(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


_HelmValidator = extend(Draft202012Validator, {"pattern": _pattern_keyword})  # type: ignore[no-untyped-call]


@dataclass(frozen=True)
class ValuesSchema:
    """The parsed values.schema.json with its compiled validator (build once with :meth:`from_document`)."""

    document: Mapping[str, Any]
    validator: Any

    @classmethod
    def from_document(cls, document: Mapping[str, Any]) -> ValuesSchema:
        Draft202012Validator.check_schema(document)
        # An empty registry: local $refs only, never a download (helm's loader could fetch http refs;
        # our schema has none, and the core does no I/O).
        return cls(document, _HelmValidator(document, registry=Registry()))


# --- the tree helm validates -------------------------------------------------------------------------


def coalesce_for_schema(defaults: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """The values helm 3.19 validates: ``values`` coalesced over ``defaults``, maps key by key.

    A null is validated as a null, even where it deletes a default for the templates (helm refuses
    ``api: {replicas: null}`` with "got null, want integer"), unlike ``merge_values`` which drops it
    for the rules that read values.
    """
    return _coalesce(defaults, values, top=True)


def _coalesce(defaults: Mapping[str, Any], values: Mapping[str, Any], *, top: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = dict(defaults)
    for key, value in values.items():
        default = defaults.get(key)
        if isinstance(value, Mapping) and isinstance(default, Mapping):
            out[key] = _coalesce(default, value)
        elif value is None and top and isinstance(default, Mapping):
            pass  # a top-level section (a subchart's values): helm fills it in again before validating
        else:
            out[key] = value
    return out


# --- paths and kinds ---------------------------------------------------------------------------------


def dot_path(parts: Sequence[Any]) -> str:
    """``backend.models[0]`` for ("backend", "models", 0); the document itself is ``(document)``."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(document)"


def _given(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


# --- what is allowed, in words -----------------------------------------------------------------------

_TYPE_ORDER = ("string", "integer", "number", "boolean", "array", "object", "null")


def describe(schema: Any) -> Message:
    """A ``validation.allowed.*`` phrase for the values ``schema`` accepts."""
    if not isinstance(schema, Mapping):
        return message("validation.allowed.any")
    if "const" in schema:
        return message("validation.allowed.empty") if schema["const"] == "" else message(
            "validation.allowed.values", values=[_given(schema["const"])])
    if "enum" in schema:
        return message("validation.allowed.values",
                       values=[v if isinstance(v, str) and v else _given(v) for v in schema["enum"]])
    branches = schema.get("anyOf") or schema.get("oneOf")
    if branches:
        return message("validation.allowed.either", choices=[describe(b) for b in branches])
    if schema.get("pattern") == _WHOLE:
        return message("validation.allowed.wholeNumber")
    if schema.get("pattern") in _QUANTITY_PATTERNS:
        return message("validation.allowed.quantity", examples=_QUANTITY_PATTERNS[schema["pattern"]])
    types = schema.get("type")
    names = [types] if isinstance(types, str) else list(types or [])
    names = [t for t in _TYPE_ORDER if t in names]
    phrases: list[Message] = []
    for name in names:
        if name in ("integer", "number"):
            phrases.append(_number_phrase(name, schema))
        elif name == "string":
            phrases.append(_string_phrase(schema))
        elif name == "array":
            items = schema.get("items")
            phrases.append(message("validation.allowed.listOf", items=describe(items)) if isinstance(items, Mapping)
                           and items else message("validation.type.array"))
        else:
            phrases.append(message(f"validation.type.{name}"))
    if not phrases:
        return message("validation.allowed.any")
    return phrases[0] if len(phrases) == 1 else message("validation.allowed.either", choices=phrases)


def _number_phrase(name: str, schema: Mapping[str, Any]) -> Message:
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None and high is not None:
        return message(f"validation.allowed.{name}.between", min=low, max=high)
    if low is not None:
        return message(f"validation.allowed.{name}.atLeast", min=low)
    if high is not None:
        return message(f"validation.allowed.{name}.atMost", max=high)
    return message(f"validation.type.{name}")


def _string_phrase(schema: Mapping[str, Any]) -> Message:
    if schema.get("pattern") == _DIGEST:
        return message("validation.allowed.digest")
    if "pattern" in schema:
        return message("validation.allowed.pattern", pattern=schema["pattern"])
    if schema.get("minLength"):
        return message("validation.allowed.nonEmpty")
    return message("validation.type.string")


_DIGEST = "^$|^sha256:[a-f0-9]{64}$"
_WHOLE = "^[0-9]+$"
_QUANTITY_PATTERNS = {
    "^[0-9]+(\\.[0-9]+)?(m|k|Ki|Mi|Gi|Ti|Pi|Ei|M|G|T|P|E)?$": "500m, 2, 512Mi, 8Gi",
    "^[0-9]+(\\.[0-9]+)?(k|Ki|Mi|Gi|Ti|Pi|Ei|M|G|T|P|E)$": MEMORY_EXAMPLES,
}


def _evidence_schema(schema: Any) -> Any:
    """The failing subschema without its nested property tree (evidence stays small)."""
    if not isinstance(schema, Mapping):
        return schema
    return {k: v for k, v in schema.items() if k not in ("properties", "$defs", "description", "title", "$schema")}


# --- errors to findings ------------------------------------------------------------------------------


def schema_findings(tree: Mapping[str, Any], schema: ValuesSchema) -> list[Finding]:
    """Every refusal of ``tree`` by the schema, one finding per path, in document order."""
    found: dict[str, Finding] = {}
    errors = sorted(schema.validator.iter_errors(tree), key=lambda e: [str(p) for p in e.absolute_path])
    for err in errors:
        for finding in _translate(err):
            found.setdefault(finding.path or "", finding)
    return list(found.values())


def _translate(err: ValidationError) -> list[Finding]:
    parts = list(err.absolute_path)
    keyword = err.validator
    if keyword == "additionalProperties" and isinstance(err.instance, Mapping) and isinstance(err.schema, Mapping):
        return _unknown_keys(parts, err.instance, err.schema)
    if "propertyNames" in err.schema_path:
        # jsonschema reports the failing name as the instance, at the path of the map holding it
        return [_bad_resource_name(parts, err.instance)]
    if keyword == "required":
        required = err.validator_value if isinstance(err.validator_value, list) else []
        missing = [k for k in required if isinstance(err.instance, Mapping) and k not in err.instance]
        path = dot_path([*parts, missing[0]] if missing else parts)
        return [error(FindingCode.INVALID_VALUE, path, params={"path": path},
                      message_key="finding.InvalidValue.required", allowed=_evidence_schema(err.schema))]
    if _is_quantity_error(err):
        return [_invalid_quantity(parts, err.instance)]
    return [_invalid_value(parts, err.instance, err.schema)]


def _is_quantity_error(err: ValidationError) -> bool:
    schema = err.schema if isinstance(err.schema, Mapping) else {}
    if schema.get("pattern") in _QUANTITY_PATTERNS and err.validator in ("pattern", "type", "minimum"):
        return True
    branches = schema.get("anyOf") or []
    return err.validator == "anyOf" and any(
        isinstance(b, Mapping) and b.get("$ref", "").rsplit("/", 1)[-1] in QUANTITY_DEFS for b in branches
    )


def _kind_for(parts: Sequence[Any]) -> str:
    return "cpu" if parts and parts[-1] == "cpu" else "memory"


def _invalid_quantity(parts: Sequence[Any], value: Any) -> Finding:
    path = dot_path(parts)
    kind = _kind_for(parts)
    examples = QUANTITY_EXAMPLES.get(path) or QUANTITY_EXAMPLES[kind]
    suggestion = suggest_quantity(value, kind=kind)
    return error(
        FindingCode.INVALID_QUANTITY,
        path,
        params={"given": quantity_text(value) if value is not None else "null", "examples": examples,
                "path": path, "suggestion": suggestion},
        fix_key="finding.InvalidQuantity.fix.suggestion" if suggestion else None,
        given=value,
        allowed=", ".join(examples),
        suggestion=suggestion,
    )


def _invalid_value(parts: Sequence[Any], value: Any, schema: Any) -> Finding:
    path = dot_path(parts)
    expects_map = isinstance(schema, Mapping) and "object" in (
        [schema.get("type")] if isinstance(schema.get("type"), str) else list(schema.get("type") or []))
    suggestion = missing_space_after_colon(value) if expects_map else None
    return error(
        FindingCode.INVALID_VALUE,
        path,
        params={"path": path, "given": _given(value), "type": kind_of(value), "allowed": describe(schema),
                "suggestion": suggestion},
        fix_key="finding.InvalidValue.fix.colonSpace" if suggestion else None,
        given=value,
        allowed=_evidence_schema(schema),
        **({"suggestion": suggestion} if suggestion else {}),
    )


def _unknown_keys(parts: Sequence[Any], instance: Mapping[str, Any], schema: Mapping[str, Any]) -> list[Finding]:
    known = sorted((schema.get("properties") or {}).keys())
    patterns = [re.compile(p) for p in (schema.get("patternProperties") or {})]
    where = dot_path(parts)
    found = []
    for key in instance:
        if key in known or any(p.search(key) for p in patterns):
            continue
        path = dot_path([*parts, key])
        nearest = nearest_key(key, known)
        found.append(error(
            FindingCode.UNKNOWN_KEY,
            path,
            params={"key": key, "parent": where, "known": known, "nearest": nearest, "path": path},
            message_key="finding.UnknownKey.didYouMean" if nearest else None,
            given=key,
            allowed=known,
            **({"nearest": nearest} if nearest else {}),
        ))
    return found


def _bad_resource_name(parts: Sequence[Any], name: Any) -> Finding:
    path = dot_path([*parts, name])
    nearest = nearest_key(str(name), RESOURCE_NAMES)
    return error(
        FindingCode.INVALID_VALUE,
        path,
        params={"name": _given(name), "path": path, "nearest": nearest},
        message_key="finding.InvalidValue.resourceName",
        fix_key="finding.InvalidValue.resourceName.fix" if nearest else None,
        given=name,
        allowed=list(RESOURCE_NAMES),
    )
