"""Validation of a user config (the Extension Center config, i.e. values.yaml overrides). Pure.

``validate_config`` merges a parsed config (``core.config_text.parse_config_text``) over the
defaults the way Helm does and returns every problem as a Finding with a stable code, the config
path in dot notation and catalog parameters. The errors are exactly the configurations the chart
refuses to render (same rules and same catalog keys, see deepseek_ext.core.sizing), plus the type
checks of values.schema.json for the keys sizing reads (``TYPE_RULES``), plus warnings.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from deepseek_ext.core.backend_values import DEFAULT_CONTEXT, GPU_RESOURCES, accelerator, is_empty, ollama_tag
from deepseek_ext.core.catalog import Catalog, parse_version
from deepseek_ext.core.config_text import ConfigParseError as ConfigParseError
from deepseek_ext.core.config_text import parse_config_text as parse_config_text
from deepseek_ext.core.findings import Finding, FindingCode, error, warning
from deepseek_ext.core.formula import KV_NIBBLES
from deepseek_ext.core.legacy_config import legacy_config_warnings
from deepseek_ext.core.messages import Message, MessageCatalog, message
from deepseek_ext.core.quantity import QuantityError, parse_quantity, quantity_text
from deepseek_ext.core.sizing import SizingOutcome, compute_sizing, invalid_quantity

REASONING_CONTEXT = 8192
ACCESS_MODES = ("ReadWriteOnce", "ReadWriteMany", "ReadWriteOncePod", "ReadOnlyMany")


def merge_values(defaults: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """Helm's coalescing: maps merge key by key, anything else replaces, and null deletes a default."""
    out: dict[str, Any] = {k: _copy(v) for k, v in defaults.items()}
    for key, value in values.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merge_values(out[key], value)
        else:
            out[key] = _copy(value)
    return out


def _copy(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _copy(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


@dataclass
class ValidationReport:
    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    effective: dict[str, Any] = field(default_factory=dict)
    """The merged values (defaults + config) the rules ran on."""
    sizing: SizingOutcome | None = None

    @property
    def valid(self) -> bool:
        return not self.errors

    def to_dict(self, catalog: MessageCatalog) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "errors": [f.to_dict(catalog) for f in self.errors],
            "warnings": [f.to_dict(catalog) for f in self.warnings],
        }


# --- type checks (values.schema.json for the keys sizing reads) -------------------------------------


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "boolean", int: "integer", float: "number", str: "string", list: "list", dict: "map"}.get(
        type(value), type(value).__name__
    )


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_text_or_number(value: Any) -> bool:
    return isinstance(value, (str, int, float)) and not isinstance(value, bool)


@dataclass(frozen=True)
class TypeRule:
    """What one config key may hold: a check, the phrase that says it, and its JSON Schema."""

    path: str
    ok: Callable[[Any], bool]
    allowed: Message
    """A ``validation.allowed.*`` phrase, the ``{allowed}`` of finding.InvalidValue."""
    schema: Mapping[str, Any]
    """The JSON Schema of the allowed values (values.schema.json's), the finding's ``evidence.allowed``."""


def _rule(path: str, ok: Callable[[Any], bool], phrase: str, schema: Mapping[str, Any], **params: Any) -> TypeRule:
    return TypeRule(path, ok, message(f"validation.allowed.{phrase}", **params), schema)


_BOOLEAN: dict[str, Any] = {"type": "boolean"}
SECTION_RULES = tuple(
    _rule(path, lambda v: isinstance(v, Mapping), "map", {"type": "object"})
    for path in (
        "global",
        "backend",
        "backend.model",
        "backend.server",
        "backend.server.image",
        "backend.gpu",
        "backend.persistence",
        "backend.server.autoscaling",
    )
)
"""The maps the other rules read into; when one is not a map, nothing below it is checked."""
TYPE_RULES = (
    _rule("backend.model.repository", lambda v: isinstance(v, str) and v != "", "repository",
          {"type": "string", "minLength": 1}),
    _rule("backend.model.registry", lambda v: isinstance(v, str), "registry", {"type": "string"}),
    _rule("backend.model.tag", _is_text_or_number, "modelTag", {"type": ["string", "number"]}),
    _rule("backend.model.contextLength", lambda v: _is_int(v) and 512 <= v <= 1048576, "contextLength",
          {"type": "integer", "minimum": 512, "maximum": 1048576}),
    _rule("backend.model.parallel", lambda v: _is_int(v) and 1 <= v <= 64, "parallel",
          {"type": "integer", "minimum": 1, "maximum": 64}),
    _rule("backend.model.kvCacheType", lambda v: isinstance(v, str) and v in KV_NIBBLES, "kvCacheType",
          {"enum": list(KV_NIBBLES)}),
    _rule("backend.model.keepAlive", lambda v: isinstance(v, (str, int)) and not isinstance(v, bool), "keepAlive",
          {"type": ["string", "integer"]}),
    _rule("backend.model.pull", lambda v: isinstance(v, bool), "boolean", _BOOLEAN),
    _rule("backend.models", lambda v: isinstance(v, list) and all(isinstance(x, str) and x.strip() for x in v),
          "models", {"type": "array", "items": {"type": "string", "minLength": 1}}),
    _rule("backend.enableNvidia", lambda v: isinstance(v, bool), "boolean", _BOOLEAN),
    _rule("backend.enableAMD", lambda v: isinstance(v, bool), "boolean", _BOOLEAN),
    _rule("backend.server.replicas", lambda v: _is_int(v) and v >= 0, "replicas", {"type": "integer", "minimum": 0}),
    _rule("backend.server.image.tag", _is_text_or_number, "imageTag", {"type": ["string", "number"]}),
    _rule("backend.server.autoscaling.enabled", lambda v: isinstance(v, bool), "boolean", _BOOLEAN),
    _rule("backend.server.autoscaling.maxReplicas", lambda v: _is_int(v) and v >= 1, "maxReplicas",
          {"type": "integer", "minimum": 1}),
    _rule("backend.persistence.accessModes",
          lambda v: isinstance(v, list) and bool(v) and all(m in ACCESS_MODES for m in v), "accessModes",
          {"type": "array", "minItems": 1, "items": {"enum": list(ACCESS_MODES)}}, modes=list(ACCESS_MODES)),
)
"""Scalar keys sizing reads, checked in this order (issue 13 replaces the checks with the schema)."""
QUANTITY_PATHS = ("backend.gpu.memoryPerGPU", "backend.persistence.size")
DOCUMENT_RULE = _rule("(document)", lambda v: isinstance(v, Mapping), "document", {"type": "object"})
RESOURCES_RULE = _rule("backend.server.resources", lambda v: isinstance(v, Mapping), "resources",
                       {"type": "object", "properties": {"requests": {"type": "object"}, "limits": {"type": "object"}}})
RESOURCE_SIDE_RULE = _rule("backend.server.resources.<side>", lambda v: isinstance(v, Mapping), "resourceMap",
                           {"type": "object"})
GPU_COUNT_RULE = _rule("backend.server.resources.<side>.<gpu>",
                       lambda v: _is_int(v) or (isinstance(v, str) and v.strip().isdigit()), "gpuCount",
                       {"type": ["integer", "string"], "pattern": "^[0-9]+$"})


def invalid_value(rule: TypeRule, value: Any, *, path: str | None = None) -> Finding:
    """finding.InvalidValue of ``value`` against ``rule`` (``path`` when the rule covers several keys)."""
    where = path or rule.path
    given = json.dumps(value, ensure_ascii=False, default=str)
    return error(
        FindingCode.INVALID_VALUE,
        where,
        params={"path": where, "given": given, "type": _type_name(value), "allowed": rule.allowed},
        given=value,
        allowed=dict(rule.schema),
    )


def _get(tree: Mapping[str, Any], path: str) -> tuple[bool, Any]:
    node: Any = tree
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return False, None
        node = node[part]
    return True, node


def _rule_findings(effective: Mapping[str, Any], rules: tuple[TypeRule, ...]) -> list[Finding]:
    found = []
    for rule in rules:
        present, value = _get(effective, rule.path)
        if present and not rule.ok(value):
            found.append(invalid_value(rule, value))
    return found


def _quantity_findings(effective: Mapping[str, Any]) -> list[Finding]:
    found = []
    for path in QUANTITY_PATHS:
        present, value = _get(effective, path)
        if present and not is_empty(value):
            try:
                parse_quantity(value, "memory")
            except QuantityError:
                found.append(invalid_quantity(path, value))
    return found


def _resource_findings(effective: Mapping[str, Any]) -> list[Finding]:
    """backend.server.resources: maps of quantities; cpu and memory parse, GPU counts are whole numbers."""
    present, resources = _get(effective, "backend.server.resources")
    if not present or resources is None:
        return []
    if not RESOURCES_RULE.ok(resources):
        return [invalid_value(RESOURCES_RULE, resources)]
    found: list[Finding] = []
    for side in ("requests", "limits"):
        entries = resources.get(side)
        if entries is None:
            continue
        path = f"backend.server.resources.{side}"
        if not RESOURCE_SIDE_RULE.ok(entries):
            found.append(invalid_value(RESOURCE_SIDE_RULE, entries, path=path))
            continue
        for name, value in entries.items():
            if name in ("cpu", "memory"):
                try:
                    parse_quantity(value, name)
                except QuantityError:
                    found.append(invalid_quantity(f"{path}.{name}", value, name))
            elif name in GPU_RESOURCES.values() and not GPU_COUNT_RULE.ok(value):
                found.append(invalid_value(GPU_COUNT_RULE, value, path=f"{path}.{name}"))
    return found


def _type_findings(effective: Mapping[str, Any]) -> list[Finding]:
    """The values.schema.json rules for the keys sizing reads, with messages that say what is allowed."""
    found = _rule_findings(effective, SECTION_RULES)
    if found:
        return found  # nothing below can be read safely
    return _rule_findings(effective, TYPE_RULES) + _quantity_findings(effective) + _resource_findings(effective)


# --- the report ------------------------------------------------------------------------------------


def validate_config(
    values: Mapping[str, Any], *, defaults: Mapping[str, Any], catalog: Catalog
) -> ValidationReport:
    """Every error and warning of ``values`` merged over ``defaults``."""
    report = ValidationReport()
    if not isinstance(values, Mapping):
        report.errors.append(invalid_value(DOCUMENT_RULE, values))
        return report
    effective = merge_values(defaults, values)
    report.effective = effective
    report.errors.extend(_type_findings(effective))
    if report.errors:
        return report
    backend: Mapping[str, Any] = effective.get("backend") or {}
    outcome = compute_sizing(backend, catalog=catalog)
    report.sizing = outcome
    report.errors.extend(outcome.errors)
    report.errors.extend(replica_findings(backend))
    report.warnings.extend(context_warnings(backend, outcome))
    report.warnings.extend(ollama_version_warnings(backend, outcome, catalog))
    report.warnings.extend(gpu_warnings(backend, outcome, catalog))
    report.warnings.extend(storage_warnings(backend, outcome))
    report.warnings.extend(legacy_config_warnings(values))  # s2-gw: 0.1.0 applications need keys now
    return report


def replica_findings(backend: Mapping[str, Any]) -> list[Finding]:
    """Several ollama pods need a volume they can all mount (the chart's backend.ollama.checkReplicas).

    The chart also reads the live PVC's access modes; here only the config's.
    """
    persistence = backend.get("persistence") or {}
    modes = list(persistence.get("accessModes") or ["ReadWriteOnce"])
    if "ReadWriteMany" in modes:
        return []
    server = backend.get("server") or {}
    autoscaling = server.get("autoscaling") or {}
    if autoscaling.get("enabled") and (autoscaling.get("maxReplicas") or 1) > 1:
        path, count = "backend.server.autoscaling.enabled", autoscaling.get("maxReplicas")
    elif (server.get("replicas") or 1) > 1:
        path, count = "backend.server.replicas", server.get("replicas")
    else:
        return []
    return [
        error(
            FindingCode.REPLICAS_NEED_READ_WRITE_MANY,
            path,
            params={"count": count, "modes": modes},
            given=modes,
            allowed=["ReadWriteMany"],
        )
    ]


def context_warnings(backend: Mapping[str, Any], outcome: SizingOutcome) -> list[Finding]:
    """A context too short for reasoning, or longer than the model was trained for."""
    found: list[Finding] = []
    ctx = (backend.get("model") or {}).get("contextLength") or DEFAULT_CONTEXT
    model = outcome.model
    if ctx < REASONING_CONTEXT:
        found.append(
            warning(
                FindingCode.CONTEXT_BELOW_REASONING,
                "backend.model.contextLength",
                params={"given": ctx, "minimum": REASONING_CONTEXT},
                given=ctx,
            )
        )
    if model is not None and ctx > model.max_context:
        found.append(
            warning(
                FindingCode.CONTEXT_CAPPED,
                "backend.model.contextLength",
                params={"given": ctx, "model": model.name, "max": model.max_context},
                given=ctx,
                allowed=f"<= {model.max_context}",
            )
        )
    return found


def ollama_version_warnings(backend: Mapping[str, Any], outcome: SizingOutcome, catalog: Catalog) -> list[Finding]:
    """An ollama version that cannot be checked, or one pinned below the tested release."""
    image = (backend.get("server") or {}).get("image") or {}
    tag = ollama_tag(backend, catalog)
    version = parse_version(tag)
    tested = parse_version(catalog.ollama_version)
    params = {"tag": tag, "tested": catalog.ollama_version}
    if image.get("digest") or version is None:
        key = "finding.OllamaVersionUnknown.digest" if image.get("digest") else None
        return [
            warning(FindingCode.OLLAMA_VERSION_UNKNOWN, "backend.server.image.tag", params=params, message_key=key,
                    given=tag)
        ]
    if tested is not None and version < tested and not outcome.errors:
        return [
            warning(FindingCode.OLLAMA_PINNED_OLD, "backend.server.image.tag", params=params, given=tag,
                    allowed=catalog.ollama_version)
        ]
    return []


def gpu_warnings(backend: Mapping[str, Any], outcome: SizingOutcome, catalog: Catalog) -> list[Finding]:
    """GPU memory assumed for the GPU count, or GPU settings without a GPU."""
    acc = accelerator(backend)
    memory = (backend.get("gpu") or {}).get("memoryPerGPU")
    if acc != "cpu" and is_empty(memory) and outcome.model is not None and not outcome.errors:
        return [
            warning(FindingCode.GPU_MEMORY_ASSUMED, "backend.gpu.memoryPerGPU",
                    params={"assumed": catalog.sizing.default_gpu_memory})
        ]
    if acc == "cpu" and not is_empty(memory):
        return [warning(FindingCode.GPU_SETTINGS_WITHOUT_GPU, "backend.gpu.memoryPerGPU", given=memory)]
    return []


def storage_warnings(backend: Mapping[str, Any], outcome: SizingOutcome) -> list[Finding]:
    """An explicit size that holds the models but leaves no room to re-pull one."""
    size = (backend.get("persistence") or {}).get("size")
    recommended = outcome.recommended_storage
    if outcome.result is None or is_empty(size) or not recommended or outcome.storage_models_mib is None:
        return []
    if parse_quantity(size, "memory") >= parse_quantity(recommended, "memory"):
        return []
    text = quantity_text(size)
    return [
        warning(
            FindingCode.STORAGE_BELOW_RECOMMENDED,
            "backend.persistence.size",
            params={"given": text, "neededMiB": outcome.storage_models_mib, "recommended": recommended},
            given=text,
            allowed=f">= {recommended}",
        )
    ]
