"""The model: why it is not served as configured, and what state each model is in. Pure.

Two decisions: :func:`detect_model_findings` (a failed pull from the manager's record, a model
missing or half-copied in offline mode, a model on the CPU although a GPU was asked for) and
:func:`model_states` (each model's observed state through ``core.model_state.observed_state``,
the one rule the status report, ``GET models/{name}`` and the manager share).

A pull failure speaks with the manager's words: its message and fix are the catalog's
``failure.<FailureCode>`` entries, the ones the manager writes into its record, so both say the
same thing. Seeding steps are the manager's ``offline.seed`` text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from deepseek_ext.core import names
from deepseek_ext.core.findings import Finding, FindingCode, Severity
from deepseek_ext.core.messages import Message, message
from deepseek_ext.core.model_state import ManagerPhase, ModelState, observed_state
from deepseek_ext.core.objects import ObjectNames
from deepseek_ext.core.phases import Component
from deepseek_ext.core.status.common import finding
from deepseek_ext.core.status.inputs import Inputs, Obj, OllamaObservation

PULL_FAILURES: Mapping[str, tuple[FindingCode, str | None]] = {
    "RegistryUnreachable": (FindingCode.MODEL_PULL_REGISTRY_UNREACHABLE, "backend.model.registry"),
    "UnknownTag": (FindingCode.MODEL_PULL_UNKNOWN_TAG, "backend.model.tag"),
    "OllamaTooOld": (FindingCode.MODEL_PULL_OLLAMA_TOO_OLD, "backend.server.image.tag"),
    "DiskFull": (FindingCode.MODEL_PULL_DISK_FULL, "backend.persistence.size"),
    "Interrupted": (FindingCode.MODEL_PULL_FAILED, None),
    "Partial": (FindingCode.MODEL_PULL_FAILED, None),
    "Other": (FindingCode.MODEL_PULL_FAILED, None),
    # s2-manager: codes added with the ollama 0.32.15 fidelity work (status-core may refine them).
    "RegistryAuth": (FindingCode.MODEL_PULL_FAILED, "backend.model.registry"),
    "Stalled": (FindingCode.MODEL_PULL_FAILED, None),
    "VerifyTimeout": (FindingCode.MODEL_PULL_FAILED, None),
}
"""The manager's failure codes (``manager.failures.FailureCode``, a test keeps them equal) -> the
finding's code and the config key that fixes it. A code the manager adds later reads as ``Other``."""

LOAD_FAILURES: Mapping[str, str] = {
    "LoadFailed": "backend.server.resources.limits.memory",
    "RunnerKilled": "backend.server.resources.limits.memory",
}
"""The manager's codes for a model that is on the volume but cannot be *loaded*: ``LoadFailed`` (the
runner failed to start or died while loading, e.g. ``does not support generate``) and
``RunnerKilled`` (``llama-server process has terminated: signal: killed``, an OOM kill of the runner
alone). The names are s2-manager's ``core/failures.FailureCode``. They are not download failures:
their finding is ``ModelLoadFailed``, with the memory limit as the key (or the tag, when ollama
finds no usable weights)."""

_UNSUPPORTED = "does not support generate"
_AMD_GROUPS = "backend.gpu.supplementalGroups"
_KILLED = "signal: killed"

ModelEntry = dict[str, Any]
"""One ``models[]`` item of the report: name, state, sizeBytes, sizeVramBytes, progress."""


def configured_models(config: Obj) -> list[str]:
    """The models the serving config asks for (``models``, else the one ``model``)."""
    return [str(m) for m in config.get("models") or [config.get("model")] if m]


def _tag_names(entries: Sequence[Obj] | None) -> set[str]:
    return {names.normalize(str(t.get("name") or t.get("model"))) for t in entries or ()}


def detect_model_findings(
    *,
    config: Obj,
    state: Obj | None,
    observations: Sequence[OllamaObservation],
    object_names: ObjectNames,
    namespace: str,
    catalog_tags: Sequence[str] = (),
    ollama_image: str = "",
) -> list[Finding]:
    """Pull and load failures (from the manager's record), offline models missing or half-copied,
    CPU/GPU placement. ``ollama_image``: the ollama container's image as the pods run it."""
    findings: list[Finding] = []
    records = (state or {}).get("models") or {}
    answered = [o for o in observations if o.tags is not None]
    offline = config.get("pull") is False
    accelerator = str(config.get("accelerator") or "cpu")
    for model in configured_models(config):
        key = names.normalize(model)
        record = records.get(model) or records.get(key) or {}
        seed = _seed_params(model, object_names, namespace)
        if record.get("phase") == ManagerPhase.PARTIAL:
            findings.append(_partial(model, record, seed, object_names))
            continue
        settled = record.get("phase") in (ManagerPhase.READY, ManagerPhase.LOADING)
        failure_code = str((record.get("lastError") or {}).get("code") or "")
        if record.get("lastError") and failure_code in LOAD_FAILURES and record.get("phase") != ManagerPhase.READY:
            findings.append(_load_failure(model, record, object_names, namespace))
            continue
        if record.get("lastError") and not settled and not offline:
            findings.append(_pull_failure(model, record, config, seed, catalog_tags, object_names, ollama_image))
            continue
        if offline and answered and not any(key in _tag_names(o.tags) for o in answered):
            findings.append(
                finding(
                    FindingCode.MODEL_MISSING_OFFLINE,
                    Severity.ERROR,
                    Component.MODEL,
                    params={**seed, "lead": message("offline.lead.missing", model=seed["model"], pvc=object_names.pvc)},
                    evidence={
                        "kind": "Pod",
                        "name": answered[0].pod,
                        "field": "GET /api/tags",
                        "value": ModelState.ABSENT.value,
                        "manifest": seed["manifest"],
                    },
                    path="backend.model.pull",
                    fix_key="offline.seed",
                )
            )
        if accelerator != "cpu":
            findings.extend(_placement(model, accelerator, observations))
    return findings


def _seed_params(model: str, object_names: ObjectNames, namespace: str) -> dict[str, Any]:
    """The parameters of ``offline.seed``: where the model's files go and how to check them."""
    return {
        "model": names.normalize(model),
        "manifest": names.manifest_relpath(model),
        "pvc": object_names.pvc,
        "namespace": namespace,
        "lead": None,
    }


def _partial(model: str, record: Obj, seed: Mapping[str, Any], object_names: ObjectNames) -> Finding:
    """The manager's words for a half-copied model (``failure.Partial``), then how to copy it again."""
    detail = str((record.get("lastError") or {}).get("message") or "")
    return finding(
        FindingCode.MODEL_PARTIAL,
        Severity.ERROR,
        Component.MODEL,
        params={
            **seed,
            "message": message("failure.Partial", model=model, pvc=object_names.pvc),
            "detail": detail,
            "lead": message("offline.lead.partial", model=seed["model"]),
        },
        evidence={
            "kind": "ConfigMap",
            "name": object_names.state_configmap,
            "field": f"state.json models[{model}]",
            "value": ManagerPhase.PARTIAL.value,
            "manifest": seed["manifest"],
        },
        path="backend.model.pull",
        message_key="failure.withDetail" if detail else "failure.Partial",
        fix_key="offline.seed",
    )


def _pull_failure(
    model: str,
    record: Obj,
    config: Obj,
    seed: Mapping[str, Any],
    catalog_tags: Sequence[str],
    object_names: ObjectNames,
    ollama_image: str = "",
) -> Finding:
    error = record.get("lastError") or {}
    failure = str(error.get("code") or "")
    if failure not in PULL_FAILURES:
        failure = "Other"
    code, path = PULL_FAILURES[failure]
    detail = str(error.get("message") or "")
    params: dict[str, Any] = {
        "model": model,
        "registry": config.get("registry") or names.DEFAULT_REGISTRY,
        "tags": list(catalog_tags),
        "ollamaVersion": config.get("ollamaVersion") or "?",
        "pvc": object_names.pvc,
        "namespace": seed["namespace"],
    }
    message_key = f"failure.{failure}"
    fix_key = f"failure.{failure}.fix"
    registry = str(params["registry"])
    if failure == "OllamaTooOld" and "@sha256:" in ollama_image:
        # Pinned by digest: the tag (and the version the config names) says nothing; the digest is the key.
        digest = ollama_image.rpartition("@")[2]
        params = {**params, "ollamaVersion": digest[:19], "digest": digest}
        path, fix_key = "backend.server.image.digest", "finding.ModelPullOllamaTooOld.digest.fix"
    elif failure == "UnknownTag" and _registry_key(registry) != _registry_key(names.DEFAULT_REGISTRY):
        # A private mirror that lacks the model: the mirror is what to fix, not the tag.
        path, fix_key = "backend.model.registry", "finding.ModelPullUnknownTag.mirror.fix"
    if code is FindingCode.MODEL_PULL_FAILED and detail:
        # The specific codes explain themselves; for the rest ollama's own words are the explanation.
        params = {**params, "message": Message(message_key, params), "detail": detail}
        message_key = "failure.withDetail"
    return finding(
        code,
        Severity.ERROR if record.get("phase") == ManagerPhase.FAILED else Severity.WARNING,
        Component.MODEL,
        params=params,
        evidence={
            "kind": "ConfigMap",
            "name": object_names.state_configmap,
            "field": f"state.json models[{model}].lastError",
            "value": error.get("code"),
            "event": str(error.get("message") or ""),
            "attempts": record.get("attempts"),
        },
        path=path,
        message_key=message_key,
        fix_key=fix_key,
    )


def _registry_key(registry: str) -> str:
    """A registry as compared: no scheme, no trailing slash, lower case."""
    return registry.lower().removeprefix("https://").removeprefix("http://").rstrip("/")


def _load_failure(model: str, record: Obj, object_names: ObjectNames, namespace: str) -> Finding:
    """The model is there but its runner cannot start: killed (memory), or the weights are unusable."""
    error = record.get("lastError") or {}
    detail = str(error.get("message") or "")[:300]
    killed = _KILLED in detail or error.get("code") == "RunnerKilled"
    variant = "unsupported" if _UNSUPPORTED in detail else "killed" if killed else None
    return finding(
        FindingCode.MODEL_LOAD_FAILED,
        Severity.ERROR if record.get("phase") == ManagerPhase.FAILED else Severity.WARNING,
        Component.MODEL,
        params={
            "model": model,
            "detail": detail,
            "namespace": namespace,
            "deployment": object_names.ollama_deployment,
            "limitKey": LOAD_FAILURES[str(error.get("code"))],
        },
        evidence={
            "kind": "ConfigMap",
            "name": object_names.state_configmap,
            "field": f"state.json models[{model}].lastError",
            "value": error.get("code"),
            "event": detail,
            "attempts": record.get("attempts"),
        },
        path="backend.model.tag" if variant == "unsupported" else LOAD_FAILURES[str(error.get("code"))],
        fix_key=f"finding.ModelLoadFailed.{variant}.fix" if variant else None,
    )


def _placement(model: str, accelerator: str, observations: Sequence[OllamaObservation]) -> list[Finding]:
    """A GPU was asked for: the model runs on the CPU (size_vram 0) or only partly on the GPU."""
    findings = []
    key = names.normalize(model)
    for obs in observations:
        for loaded in obs.ps or ():
            if names.normalize(str(loaded.get("name") or loaded.get("model"))) != key:
                continue
            size, vram = int(loaded.get("size") or 0), int(loaded.get("size_vram") or 0)
            evidence = {"kind": "Pod", "name": obs.pod, "field": "GET /api/ps size_vram", "value": vram, "size": size}
            if size and vram == 0:
                findings.append(
                    finding(
                        FindingCode.MODEL_ON_CPU,
                        Severity.ERROR,
                        Component.MODEL,
                        params={"model": model, "pod": obs.pod, "accelerator": accelerator},
                        evidence=evidence,
                        # AMD: /dev/kfd and /dev/dri are group-owned; the runtime class is an NVIDIA matter.
                        path=_AMD_GROUPS if accelerator == "amd" else "backend.gpu.runtimeClassName",
                        fix_key="finding.ModelOnCpu.amd.fix" if accelerator == "amd" else None,
                    )
                )
            elif size and vram < size:
                percent = round(100.0 * vram / size, 1)
                findings.append(
                    finding(
                        FindingCode.MODEL_PARTLY_ON_GPU,
                        Severity.WARNING,
                        Component.MODEL,
                        params={"model": model, "pod": obs.pod, "percent": percent},
                        evidence={**evidence, "percent": percent},
                        path="backend.gpu.memoryPerGPU",
                    )
                )
    return findings


def model_states(inputs: Inputs) -> tuple[list[ModelEntry], dict[str, Any] | None]:
    """Each configured model (and any other ollama lists) with its observed state; the first pull's progress."""
    cfg = inputs.config
    records = (inputs.state or {}).get("models") or {}
    wanted = configured_models(cfg)
    configured = set(wanted)
    tags: dict[str, Obj] = {}
    loaded: dict[str, Obj] = {}
    for obs in inputs.observations:
        for t in obs.tags or ():
            tags.setdefault(names.normalize(str(t.get("name") or t.get("model"))), t)
        for p in obs.ps or ():
            loaded.setdefault(names.normalize(str(p.get("name") or p.get("model"))), p)
    wanted_keys = {names.normalize(n) for n in wanted}
    wanted += [str(tags[extra].get("name") or extra) for extra in sorted(tags) if extra not in wanted_keys]
    models: list[ModelEntry] = []
    progress: dict[str, Any] | None = None
    observed = any(obs.tags is not None for obs in inputs.observations)
    for name in wanted:
        key = names.normalize(name)
        record = records.get(name) or records.get(key) or {}
        state = observed_state(
            phase=record.get("phase"),
            present=(key in tags) if observed else None,
            loaded=key in loaded,
            offline=cfg.get("pull") is False,
            configured=name in configured,
        )
        item_progress = _progress(name, record) if state is ModelState.PULLING else None
        if progress is None:
            progress = item_progress
        models.append(
            {
                "name": name,
                "state": state.value,
                "sizeBytes": int((tags.get(key) or {}).get("size") or 0),
                "sizeVramBytes": int((loaded.get(key) or {}).get("size_vram") or 0),
                "progress": item_progress,
            }
        )
    return models, progress


def _progress(name: str, record: Obj) -> dict[str, Any]:
    """The manager's download progress of one model (status report ``progress``)."""
    return {
        "model": name,
        "percent": float(record.get("percent") or 0.0),
        "completedBytes": int(record.get("completedBytes") or 0),
        "totalBytes": int(record.get("totalBytes") or 0),
        "bytesPerSecond": float(record.get("bytesPerSecond") or 0.0),
        "etaSeconds": record.get("etaSeconds"),
    }
