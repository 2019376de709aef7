"""Findings: what validation and status rules report. Pure data, no I/O.

A finding has a stable code (clients and tests match on it, never on the text), a severity, a
message and optionally a fix in English and Chinese, the config path it concerns (validation) or
the component and evidence (status). ``to_dict`` is the JSON of docs/architecture.md, "Findings".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class FindingCode(StrEnum):
    """Stable codes. Append new members; never rename or reuse one."""

    # --- validation of a config (deepseek_ext.core.validation) ---
    INVALID_VALUE = "InvalidValue"
    """A key has the wrong type or a value outside what is allowed."""
    INVALID_QUANTITY = "InvalidQuantity"
    """A memory, CPU or storage value is not a Kubernetes quantity."""
    UNKNOWN_MODEL_TAG = "UnknownModelTag"
    """A deepseek-r1 tag the ollama library does not have (e.g. 3b)."""
    OLLAMA_TOO_OLD = "OllamaTooOld"
    """The configured ollama image is older than the model needs."""
    OLLAMA_PINNED_OLD = "OllamaPinnedOld"
    """The ollama image is pinned below the version this release is tested with."""
    OLLAMA_VERSION_UNKNOWN = "OllamaVersionUnknown"
    """The ollama image tag is not a version (or a digest is set), so compatibility is unchecked."""
    CUSTOM_MODEL_NEEDS_RESOURCES = "CustomModelNeedsResources"
    """A model outside the catalog without explicit memory resources."""
    CUSTOM_MODEL_NEEDS_STORAGE = "CustomModelNeedsStorage"
    """A model outside the catalog without an explicit persistence size."""
    STORAGE_TOO_SMALL = "StorageTooSmall"
    """backend.persistence.size cannot hold the configured models."""
    STORAGE_BELOW_RECOMMENDED = "StorageBelowRecommended"
    """backend.persistence.size holds the models but leaves no room to re-pull an updated one."""
    GPU_COUNT_EXCEEDS_NODE = "GpuCountExceedsNode"
    """The model needs more GPUs than one node has (ollama does not span nodes)."""
    GPU_TOO_SMALL = "GpuTooSmall"
    """One GPU cannot even hold the compute graph and runtime."""
    GPU_MEMORY_ASSUMED = "GpuMemoryAssumed"
    """backend.gpu.memoryPerGPU is empty; the default was assumed for the GPU count."""
    CONFLICTING_ACCELERATORS = "ConflictingAccelerators"
    """enableNvidia and enableAMD are both set."""
    REPLICAS_NEED_READ_WRITE_MANY = "ReplicasNeedReadWriteMany"
    """Several ollama pods (replicas or autoscaling) on a ReadWriteOnce volume."""
    REQUEST_ABOVE_LIMIT = "RequestAboveLimit"
    """An explicit request is above the explicit limit of the same resource."""
    EXTENDED_RESOURCE_MISMATCH = "ExtendedResourceMismatch"
    """requests and limits of a GPU (extended) resource differ."""
    CONTEXT_BELOW_REASONING = "ContextBelowReasoning"
    """contextLength is below 8192: reasoning output gets cut."""
    CONTEXT_CAPPED = "ContextCapped"
    """contextLength is above the model's trained context; ollama caps it."""
    GPU_SETTINGS_WITHOUT_GPU = "GpuSettingsWithoutGpu"
    """GPU settings are present but no accelerator is enabled."""

    # --- status (deepseek_ext.core.status): appended below by the status rules ---


@dataclass(frozen=True)
class Finding:
    code: FindingCode
    severity: Severity
    message_en: str
    message_zh: str
    path: str | None = None
    """Config key in dot notation as users write it, e.g. backend.model.tag (validation)."""
    component: str | None = None
    """storage | ollama | model | nextchat | ingress | api (status)."""
    evidence: Mapping[str, Any] = field(default_factory=dict)
    fix_en: str | None = None
    fix_zh: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code.value,
            "severity": self.severity.value,
            "message": {"en": self.message_en, "zh": self.message_zh},
        }
        if self.path is not None:
            out["path"] = self.path
        if self.component is not None:
            out["component"] = self.component
        if self.evidence:
            out["evidence"] = dict(self.evidence)
        if self.fix_en is not None or self.fix_zh is not None:
            out["fix"] = {"en": self.fix_en or "", "zh": self.fix_zh or ""}
        return out


def error(
    code: FindingCode,
    path: str | None,
    en: str,
    zh: str,
    *,
    fix_en: str | None = None,
    fix_zh: str | None = None,
    **evidence: Any,
) -> Finding:
    """Shorthand for a validation error finding."""
    return Finding(code, Severity.ERROR, en, zh, path=path, evidence=evidence, fix_en=fix_en, fix_zh=fix_zh)


def warning(
    code: FindingCode,
    path: str | None,
    en: str,
    zh: str,
    *,
    fix_en: str | None = None,
    fix_zh: str | None = None,
    **evidence: Any,
) -> Finding:
    """Shorthand for a validation warning finding."""
    return Finding(code, Severity.WARNING, en, zh, path=path, evidence=evidence, fix_en=fix_en, fix_zh=fix_zh)
