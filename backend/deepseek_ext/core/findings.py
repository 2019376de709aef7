"""Findings: what validation and status rules report. Pure data, no I/O.

A finding has a stable code (clients and tests match on it, never on the text), a severity, the
parameters of its message and fix (templates in the message catalog, ``core.messages``), the
config path it concerns (validation) or the component and evidence (status). ``to_dict`` renders
the JSON of docs/architecture.md, "Findings", with both languages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from deepseek_ext.core.messages import Message, MessageCatalog, Text


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
    UNKNOWN_KEY = "UnknownKey"
    """A key values.schema.json does not know at that level (a typo such as backend.modle)."""
    MEMORY_WITHOUT_UNIT = "MemoryWithoutUnit"
    """A memory resource given as a bare number below 1Mi: Kubernetes reads it as bytes."""

    # --- status (core.status) and live validation checks (core.live_checks) ---
    PVC_MISSING = "PvcMissing"
    """The models PVC does not exist."""
    PVC_NO_DEFAULT_STORAGE_CLASS = "PvcNoDefaultStorageClass"
    """The PVC names no StorageClass and the cluster has no default one."""
    PVC_STORAGE_CLASS_NOT_FOUND = "PvcStorageClassNotFound"
    """The StorageClass named by the PVC (or the config) does not exist."""
    PVC_ACCESS_MODE_UNSUPPORTED = "PvcAccessModeUnsupported"
    """The StorageClass cannot provide the requested access mode."""
    PVC_PROVISIONING_FAILED = "PvcProvisioningFailed"
    """The provisioner failed for another reason (quota, backend)."""
    PVC_TOO_SMALL = "PvcTooSmall"
    """The existing models PVC is smaller than the configured models need."""
    PVC_ACCESS_MODE_MISMATCH = "PvcAccessModeMismatch"
    """The existing models PVC lacks the access mode the config needs (PVC access modes are immutable)."""
    POD_UNSCHEDULABLE = "PodUnschedulable"
    """A pod cannot be scheduled for a reason without a more specific code."""
    POD_UNSCHEDULABLE_GPU = "PodUnschedulableGpu"
    """No node has the GPUs the pod asks for."""
    POD_UNSCHEDULABLE_CPU = "PodUnschedulableCpu"
    """No node has the CPU the pod asks for."""
    POD_UNSCHEDULABLE_MEMORY = "PodUnschedulableMemory"
    """No node has the memory the pod asks for."""
    POD_UNSCHEDULABLE_NODE_SELECTOR = "PodUnschedulableNodeSelector"
    """No node matches the pod's nodeSelector/affinity."""
    NO_NODE_FITS = "NoNodeFits"
    """(validation) No node can hold the resolved requests (allocatable CPU/memory, GPU count and memory)."""
    NODE_SELECTOR_MATCHES_NO_NODE = "NodeSelectorMatchesNoNode"
    """(validation) The configured nodeSelector matches no node."""
    IMAGE_PULL_FAILED = "ImagePullFailed"
    """A container image cannot be pulled."""
    CRASH_LOOP = "CrashLoop"
    """A container keeps crashing."""
    OOM_KILLED = "OomKilled"
    """A container was killed for exceeding its memory limit."""
    VOLUME_MULTI_ATTACH = "VolumeMultiAttach"
    """A ReadWriteOnce volume is attached to another node (Multi-Attach error)."""
    MODEL_PULL_REGISTRY_UNREACHABLE = "ModelPullRegistryUnreachable"
    """The manager cannot reach the model registry."""
    MODEL_PULL_UNKNOWN_TAG = "ModelPullUnknownTag"
    """The registry has no such model or tag."""
    MODEL_PULL_OLLAMA_TOO_OLD = "ModelPullOllamaTooOld"
    """The registry refuses the model to this ollama version (HTTP 412)."""
    MODEL_PULL_DISK_FULL = "ModelPullDiskFull"
    """The models volume is full."""
    MODEL_PULL_FAILED = "ModelPullFailed"
    """A pull failed for another reason (interrupted, other)."""
    MODEL_MISSING_OFFLINE = "ModelMissingOffline"
    """Offline mode and the model is not on the volume."""
    MODEL_PARTIAL = "ModelPartial"
    """The model is only partly on the volume (manifest without all blobs)."""
    MODEL_ON_CPU = "ModelOnCpu"
    """A GPU was asked for but the model runs on the CPU (size_vram 0)."""
    MODEL_PARTLY_ON_GPU = "ModelPartlyOnGpu"
    """Only part of the model fits in GPU memory (0 < size_vram < size)."""
    NEXTCHAT_NOT_READY = "NextChatNotReady"
    """NextChat has fewer ready replicas than wanted."""
    INGRESS_MISSING = "IngressMissing"
    """A chat URL is configured but the Ingress is missing."""
    INGRESS_NO_HOST = "IngressNoHost"
    """The Ingress has a rule without host."""
    INGRESS_NO_ADDRESS = "IngressNoAddress"
    """No ingress controller has given the Ingress an address."""
    KUBERNETES_API_UNAVAILABLE = "KubernetesApiUnavailable"
    """Kubernetes API lists failed (refused, 5xx)."""
    KUBERNETES_API_SLOW = "KubernetesApiSlow"
    """Kubernetes API lists timed out."""
    KUBERNETES_API_FORBIDDEN = "KubernetesApiForbidden"
    """The API's ServiceAccount lacks a read permission."""
    OLLAMA_UNREACHABLE = "OllamaUnreachable"
    """An ollama server cannot be reached or answers garbage."""
    OLLAMA_SLOW = "OllamaSlow"
    """An ollama server does not answer within the status timeout."""
    CLUSTER_CHECKS_SKIPPED = "ClusterChecksSkipped"
    """(validation) Live checks were skipped: no cluster, or its API failed."""
    SERVING_CONFIG_MISSING = "ServingConfigMissing"
    """Neither the mounted serving config nor ConfigMap deepseek-serving can be read."""
    POD_UNSCHEDULABLE_TAINT = "PodUnschedulableTaint"
    """The nodes that could run the pod carry taints it does not tolerate."""
    VOLUME_NODE_AFFINITY_CONFLICT = "VolumeNodeAffinityConflict"
    """The models volume is pinned to a node the pod cannot use (gone, or excluded)."""
    SCALE_UP_TRIGGERED = "ScaleUpTriggered"
    """(info) The cluster autoscaler is adding a node for an unschedulable pod."""
    SECRET_MISSING = "SecretMissing"
    """A container cannot be created: a Secret (or a key of it) it reads does not exist."""
    MODEL_LOAD_FAILED = "ModelLoadFailed"
    """The model is on the volume but ollama's runner cannot load it (killed, unsupported)."""
    KUBERNETES_WARNING_EVENT = "KubernetesWarningEvent"
    """A Warning event on one of our objects that no specific rule explains (quoted as is)."""
    KUBERNETES_CONDITION_FAILED = "KubernetesConditionFailed"
    """A failed condition, status reason or taint on one of our objects (or its node) no rule explains."""

    # --- s2-gw: the model gateway (core/status/gateway.py, core/legacy_config.py) ---
    GATEWAY_KEYLESS = "GatewayKeyless"
    """The gateway lets callers in without a key (backend.gateway.requireKey: false)."""
    LEGACY_CONFIG_NEEDS_KEYS = "LegacyConfigNeedsKeys"
    """(validation) A 0.1.0 config: its applications called ollama without a key, which now needs one."""


@dataclass(frozen=True)
class Finding:
    """One problem (or note) and where it is; its sentences are catalog keys, rendered at the edge.

    ``message_key`` defaults to ``finding.<code>`` and ``fix_key`` to ``finding.<code>.fix`` (shown
    when the catalog has it); both are rendered with ``params``. A rule with variants of one code
    (e.g. with and without a detail) names its own key.
    """

    code: FindingCode
    severity: Severity
    path: str | None = None
    """Config key in dot notation as users write it, e.g. backend.model.tag (validation)."""
    component: str | None = None
    """storage | ollama | model | nextchat | ingress | api (status)."""
    evidence: Mapping[str, Any] = field(default_factory=dict)
    params: Mapping[str, Any] = field(default_factory=dict)
    """Named parameters of the message and the fix templates."""
    message_key: str | None = None
    fix_key: str | None = None
    links: tuple[Mapping[str, str], ...] = ()
    """Where to look in KubeSphere (status): ``{"kind": "pod"|"events"|"logs", "namespace", "name", "container"?}``."""

    @property
    def message(self) -> Message:
        return Message(self.message_key or f"finding.{self.code.value}", self.params)

    @property
    def fix(self) -> Message:
        return Message(self.fix_key or f"finding.{self.code.value}.fix", self.params)

    def texts(self, catalog: MessageCatalog) -> tuple[Text, Text | None]:
        """(message, fix) in both languages; fix is None when the catalog has no fix for it."""
        fix = self.fix
        return catalog.render(self.message), catalog.render(fix) if fix.key in catalog else None

    def to_dict(self, catalog: MessageCatalog) -> dict[str, Any]:
        message, fix = self.texts(catalog)
        out: dict[str, Any] = {
            "code": self.code.value,
            "severity": self.severity.value,
            "message": message,
        }
        if self.path is not None:
            out["path"] = self.path
        if self.component is not None:
            out["component"] = self.component
        if self.evidence:
            out["evidence"] = dict(self.evidence)
        if fix is not None:
            out["fix"] = fix
        if self.links:
            out["links"] = [dict(link) for link in self.links]
        return out


def error(
    code: FindingCode,
    path: str | None,
    *,
    params: Mapping[str, Any] | None = None,
    message_key: str | None = None,
    fix_key: str | None = None,
    **evidence: Any,
) -> Finding:
    """Shorthand for a validation error finding (``params`` fill the catalog templates)."""
    return Finding(code, Severity.ERROR, path=path, evidence=evidence, params=params or {},
                   message_key=message_key, fix_key=fix_key)


def warning(
    code: FindingCode,
    path: str | None,
    *,
    params: Mapping[str, Any] | None = None,
    message_key: str | None = None,
    fix_key: str | None = None,
    **evidence: Any,
) -> Finding:
    """Shorthand for a validation warning finding (``params`` fill the catalog templates)."""
    return Finding(code, Severity.WARNING, path=path, evidence=evidence, params=params or {},
                   message_key=message_key, fix_key=fix_key)
