"""Validation of a user config (the Extension Center config, i.e. values.yaml overrides). Pure.

``validate_config`` merges a parsed config (``core.config_text.parse_config_text``) over the
defaults the way Helm does and returns every problem as a Finding with a stable code, the config
path in dot notation and catalog parameters. The structural rules are values.schema.json's, applied
as helm applies them (``core.values_schema``: the same file, so a config that validates passes
helm's schema check and one helm refuses is refused here, path by path). On top come only the
semantic rules the schema cannot say, which the chart enforces with the same catalog keys
(``SEMANTIC_RULES``: catalog, sizing, cross-field), and warnings.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from deepseek_ext.core.backend_values import DEFAULT_CONTEXT, accelerator, is_empty, ollama_tag
from deepseek_ext.core.catalog import Catalog, parse_version
from deepseek_ext.core.config_text import ConfigParseError as ConfigParseError
from deepseek_ext.core.config_text import parse_config_text as parse_config_text
from deepseek_ext.core.findings import Finding, FindingCode, error, warning
from deepseek_ext.core.legacy_config import legacy_config_warnings
from deepseek_ext.core.messages import MessageCatalog
from deepseek_ext.core.quantity import parse_quantity, quantity_text
from deepseek_ext.core.sizing import SizingOutcome, compute_sizing
from deepseek_ext.core.suggestions import suggest_quantity, tag_of_full_name
from deepseek_ext.core.values_schema import ValuesSchema, coalesce_for_schema, schema_findings

REASONING_CONTEXT = 8192
BARE_MEMORY_BELOW = 1024 * 1024
_BARE_NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?")
"""A memory resource written as a number below this (bytes) surely lacks its unit (16 = 16 bytes)."""
SEMANTIC_RULES = {
    "UnknownModelTag": "the tag is not in the catalog (the chart reads the same catalog.yaml)",
    "OllamaTooOld": "the model needs a newer ollama than the pinned image tag",
    "CustomModelNeedsResources": "a model outside the catalog cannot be sized",
    "CustomModelNeedsStorage": "a model outside the catalog cannot be sized for storage",
    "StorageTooSmall": "persistence.size cannot hold the models",
    "GpuCountExceedsNode": "the model needs more GPUs than a node has",
    "GpuTooSmall": "one GPU cannot hold the runtime",
    "ConflictingAccelerators": "enableNvidia and enableAMD together",
    "ReplicasNeedReadWriteMany": "several ollama pods on a ReadWriteOnce volume",
    "RequestAboveLimit": "a request above its limit",
    "ExtendedResourceMismatch": "GPU requests and limits differ",
    "InvalidQuantity": "a quantity the chart's integer arithmetic cannot hold",
}
"""The errors beyond the schema, each one a chart ``fail`` with the same key (so helm refuses them too)."""


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


# --- the report ------------------------------------------------------------------------------------


def validate_config(
    values: Mapping[str, Any], *, defaults: Mapping[str, Any], catalog: Catalog, schema: ValuesSchema
) -> ValidationReport:
    """Every error and warning of ``values`` merged over ``defaults``; ``schema`` is values.schema.json."""
    report = ValidationReport()
    if not isinstance(values, Mapping):
        report.errors.extend(schema_findings(values, schema))
        return report
    report.errors.extend(schema_findings(coalesce_for_schema(defaults, values), schema))
    effective = merge_values(defaults, values)
    report.effective = effective
    if report.errors:
        return report  # the semantic rules read typed values; nothing below is safe to read
    backend: Mapping[str, Any] = effective.get("backend") or {}
    outcome = compute_sizing(backend, catalog=catalog)
    report.sizing = outcome
    report.errors.extend(full_name_tag_fix(f, backend) for f in outcome.errors)
    report.errors.extend(replica_findings(backend))
    report.warnings.extend(context_warnings(backend, outcome))
    report.warnings.extend(ollama_version_warnings(backend, outcome, catalog))
    report.warnings.extend(gpu_warnings(backend, outcome, catalog))
    report.warnings.extend(storage_warnings(backend, outcome))
    report.warnings.extend(bare_memory_warnings(backend))
    report.warnings.extend(legacy_config_warnings(values))  # s2-gw: 0.1.0 applications need keys now
    return report


def full_name_tag_fix(finding: Finding, backend: Mapping[str, Any]) -> Finding:
    """``tag: deepseek-r1:7b``: the catalog refuses the name ``deepseek-r1:deepseek-r1:7b``; say to
    write the tag alone. (The catalog rules stay the catalog's: this only changes the fix shown.)"""
    if finding.code != FindingCode.UNKNOWN_MODEL_TAG or finding.path != "backend.model.tag":
        return finding
    model = backend.get("model") or {}
    alone = tag_of_full_name(model.get("tag"), model.get("repository"))
    if alone is None:
        return finding
    return replace(finding, params={**finding.params, "tagAlone": alone},
                   fix_key="finding.UnknownModelTag.fix.tagAlone")


def bare_memory_warnings(backend: Mapping[str, Any]) -> list[Finding]:
    """``memory: 16`` in resources is 16 bytes to Kubernetes (the schema allows bare numbers there, as
    Kubernetes does); below 1Mi it is surely a missing unit."""
    resources = (backend.get("server") or {}).get("resources") or {}
    found = []
    for side in ("requests", "limits"):
        value = (resources.get(side) or {}).get("memory")
        text = quantity_text(value) if isinstance(value, (int, float, str)) and not isinstance(value, bool) else ""
        if not _BARE_NUMBER.fullmatch(text) or float(text) >= BARE_MEMORY_BELOW:
            continue
        path = f"backend.server.resources.{side}.memory"
        suggestion = suggest_quantity(value, kind="memory")
        found.append(warning(FindingCode.MEMORY_WITHOUT_UNIT, path,
                             params={"path": path, "given": quantity_text(value), "suggestion": suggestion},
                             given=value, suggestion=suggestion))
    return found


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
