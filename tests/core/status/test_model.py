"""Model rule: the manager's record and ollama's answers -> pull failures (in the manager's words),
offline seeding, CPU/GPU placement; and each model's observed state."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from deepseek_ext.core.findings import Finding, FindingCode, Severity
from deepseek_ext.core.messages import message
from deepseek_ext.core.objects import ObjectNames
from deepseek_ext.core.status import model_states
from deepseek_ext.core.status.model import LOAD_FAILURES, PULL_FAILURES, detect_model_findings
from deepseek_ext.manager.failures import FailureCode

from tests.core.status.builders import (
    CATALOG_TAGS,
    CONFIG,
    MODEL,
    NAMESPACE,
    Expect,
    answered,
    check_all,
    healthy,
    record,
    state,
    unanswered,
)

MANIFEST = "manifests/registry.ollama.ai/library/deepseek-r1/1.5b"
NAMES = ObjectNames(pvc="models-x", state_configmap="deepseek-model-state")


def run(case: dict[str, Any]) -> list[Finding]:
    base = {
        "config": CONFIG,
        "state": None,
        "observations": [answered()],
        "object_names": NAMES,
        "namespace": NAMESPACE,
        "catalog_tags": CATALOG_TAGS,
    }
    return detect_model_findings(**{**base, **case})


def failed(code: str, text: str = "", phase: str = "Failed") -> dict[str, Any]:
    return {"state": state(**{MODEL: record(phase, code=code, message=text)}), "observations": [answered(tags=[])]}


def pull_failure(failure: str, code: FindingCode, path: str | None, **params: Any) -> Expect:
    return Expect(
        code,
        Severity.ERROR,
        path=path,
        component="model",
        params={"model": MODEL, **params},
        evidence={"kind": "ConfigMap", "name": "deepseek-model-state", "value": failure, "attempts": 3},
        message_key=f"failure.{failure}",
        fix_key=f"failure.{failure}.fix",
    )


def gpu(**config: Any) -> dict[str, Any]:
    return {**CONFIG, "accelerator": "nvidia", **config}


CASES = [
    pytest.param({}, [], id="present: nothing to say"),
    pytest.param(
        failed("RegistryUnreachable", "dial tcp: no such host"),
        [pull_failure("RegistryUnreachable", FindingCode.MODEL_PULL_REGISTRY_UNREACHABLE, "backend.model.registry",
                      registry="registry.ollama.ai/library")],
        id="registry unreachable",
    ),
    pytest.param(
        failed("UnknownTag", "file does not exist"),
        [pull_failure("UnknownTag", FindingCode.MODEL_PULL_UNKNOWN_TAG, "backend.model.tag",
                      tags=list(CATALOG_TAGS), registry="registry.ollama.ai/library")],
        id="unknown tag: the catalog's tags",
    ),
    # Adapted (issue 16): a private mirror without the model names backend.model.registry, not a catalog tag.
    pytest.param(
        {**failed("UnknownTag", "file does not exist"), "config": {**CONFIG, "registry": "mirror.local/lib"}},
        [replace(pull_failure("UnknownTag", FindingCode.MODEL_PULL_UNKNOWN_TAG, "backend.model.registry",
                              tags=list(CATALOG_TAGS), registry="mirror.local/lib"),
                 fix_key="finding.ModelPullUnknownTag.mirror.fix")],
        id="unknown tag on a private mirror: the mirror's key",
    ),
    # ollama v0.32.15 server/images.go pullModelManifest: a 412 from the registry is returned as is;
    # with the image pinned by digest the version is unknown and the digest is what to change.
    pytest.param(
        {**failed("OllamaTooOld", "pull model manifest: 412"),
         "ollama_image": "docker.io/ollama/ollama@sha256:" + "a" * 64},
        [replace(pull_failure("OllamaTooOld", FindingCode.MODEL_PULL_OLLAMA_TOO_OLD, "backend.server.image.digest",
                              ollamaVersion="sha256:aaaaaaaaaaaa"),
                 fix_key="finding.ModelPullOllamaTooOld.digest.fix")],
        id="412 with the image pinned by digest: the digest key",
    ),
    # ollama v0.32.15 llm/server.go WaitUntilRunning: the runner's exit is reported as
    # fmt.Errorf("llama-server process has terminated: %s", exit), e.g. "signal: killed" (an OOM kill
    # of the runner alone, cgroup v1).
    pytest.param(
        failed("LoadFailed", "llama-server process has terminated: signal: killed"),
        [Expect(FindingCode.MODEL_LOAD_FAILED, Severity.ERROR, path="backend.server.resources.limits.memory",
                component="model", params={"model": MODEL, "namespace": NAMESPACE},
                evidence={"value": "LoadFailed"}, fix_key="finding.ModelLoadFailed.killed.fix")],
        id="runner killed: a load failure, not a download failure",
    ),
    # s2-manager's RunnerKilled (the manager read "signal: killed" or an out-of-memory load error).
    pytest.param(
        failed("RunnerKilled", "llama-server process has terminated: signal: killed"),
        [Expect(FindingCode.MODEL_LOAD_FAILED, Severity.ERROR, path="backend.server.resources.limits.memory",
                component="model", evidence={"value": "RunnerKilled"}, fix_key="finding.ModelLoadFailed.killed.fix")],
        id="RunnerKilled: a load failure with the memory limit key",
    ),
    # ollama v0.32.15 server/routes.go GenerateHandler: `"%q does not support generate"` when the
    # model has no completion capability (its weights blob is missing or it is an embedder).
    pytest.param(
        failed("LoadFailed", '"deepseek-r1:1.5b" does not support generate'),
        [Expect(FindingCode.MODEL_LOAD_FAILED, Severity.ERROR, path="backend.model.tag", component="model",
                params={"model": MODEL}, fix_key="finding.ModelLoadFailed.unsupported.fix")],
        id="does not support generate: a load failure",
    ),
    pytest.param(
        {**failed("OllamaTooOld", "412"), "config": {**CONFIG, "ollamaVersion": "0.5.7"}},
        [pull_failure("OllamaTooOld", FindingCode.MODEL_PULL_OLLAMA_TOO_OLD, "backend.server.image.tag",
                      ollamaVersion="0.5.7")],
        id="ollama too old",
    ),
    pytest.param(
        failed("DiskFull", "no space left on device"),
        [pull_failure("DiskFull", FindingCode.MODEL_PULL_DISK_FULL, "backend.persistence.size", pvc="models-x")],
        id="volume full: the PVC's real name",
    ),
    pytest.param(
        failed("Other", "boom"),
        [
            Expect(
                FindingCode.MODEL_PULL_FAILED,
                Severity.ERROR,
                params={"detail": "boom", "namespace": NAMESPACE,
                        "message": message("failure.Other", model=MODEL, registry="registry.ollama.ai/library",
                                           tags=list(CATALOG_TAGS), ollamaVersion="?", pvc="models-x",
                                           namespace=NAMESPACE)},
                evidence={"value": "Other", "event": "boom"},
                message_key="failure.withDetail",
                fix_key="failure.Other.fix",
            )
        ],
        id="other failure: ollama's words as the detail",
    ),
    pytest.param(
        failed("Partial", "error loading model"),
        [Expect(FindingCode.MODEL_PULL_FAILED, Severity.ERROR, message_key="failure.withDetail",
                fix_key="failure.Partial.fix")],
        id="a load failure recorded as Failed",
    ),
    pytest.param(
        failed("SomethingNew"),
        [Expect(FindingCode.MODEL_PULL_FAILED, Severity.ERROR, evidence={"value": "SomethingNew"},
                message_key="failure.Other", fix_key="failure.Other.fix")],
        id="a code the manager adds later reads as Other",
    ),
    pytest.param(
        failed("Interrupted", "unexpected EOF", phase="Pulling"),
        [Expect(FindingCode.MODEL_PULL_FAILED, Severity.WARNING, message_key="failure.withDetail",
                fix_key="failure.Interrupted.fix", params={"detail": "unexpected EOF"})],
        id="retrying after an interruption: a warning",
    ),
    pytest.param(
        {"state": state(**{MODEL: record("Ready", code="DiskFull")})},
        [],
        id="an old error on a ready model is history",
    ),
    pytest.param(
        {"state": state(**{MODEL: record("Partial", code="Partial", message="missing blobs/sha256-aa")})},
        [
            Expect(
                FindingCode.MODEL_PARTIAL,
                Severity.ERROR,
                path="backend.model.pull",
                params={"detail": "missing blobs/sha256-aa", "manifest": MANIFEST, "pvc": "models-x",
                        "namespace": NAMESPACE, "lead": message("offline.lead.partial", model=MODEL)},
                evidence={"value": "Partial", "manifest": MANIFEST, "name": "deepseek-model-state"},
                message_key="failure.withDetail",
                fix_key="offline.seed",
            )
        ],
        id="half-copied: the manager's words, then the seeding steps",
    ),
    pytest.param(
        {"config": {**CONFIG, "pull": False}, "observations": [answered(tags=[])]},
        [
            Expect(
                FindingCode.MODEL_MISSING_OFFLINE,
                Severity.ERROR,
                path="backend.model.pull",
                params={"model": MODEL, "manifest": MANIFEST, "pvc": "models-x", "namespace": NAMESPACE,
                        "lead": message("offline.lead.missing", model=MODEL, pvc="models-x")},
                evidence={"kind": "Pod", "name": "ollama-0", "field": "GET /api/tags", "value": "absent",
                          "manifest": MANIFEST},
                fix_key="offline.seed",
            )
        ],
        id="offline and not on the volume: the seeding steps",
    ),
    pytest.param(
        {"config": {**CONFIG, "pull": False}, "observations": [unanswered()]},
        [],
        id="offline, ollama unreadable: no guess",
    ),
    pytest.param(
        {**failed("RegistryUnreachable"), "config": {**CONFIG, "pull": False}, "observations": [answered()]},
        [],
        id="offline: an old pull error is not the story (the model is there)",
    ),
    pytest.param(
        {"config": gpu(), "observations": [answered(ps=[{"name": MODEL, "size": 100, "size_vram": 0}])]},
        [Expect(FindingCode.MODEL_ON_CPU, Severity.ERROR, path="backend.gpu.runtimeClassName",
                params={"accelerator": "nvidia", "pod": "ollama-0"}, evidence={"value": 0, "size": 100})],
        id="GPU asked, runs on CPU",
    ),
    # ollama v0.32.15 discover/amd_linux.go: without read/write on /dev/kfd ("permission denied")
    # ollama logs "no compatible amdgpu devices detected" and runs on the CPU: the device groups fix it.
    pytest.param(
        {"config": gpu(accelerator="amd"),
         "observations": [answered(ps=[{"name": MODEL, "size": 100, "size_vram": 0}])]},
        [Expect(FindingCode.MODEL_ON_CPU, Severity.ERROR, path="backend.gpu.supplementalGroups",
                params={"accelerator": "amd"}, fix_key="finding.ModelOnCpu.amd.fix")],
        id="AMD GPU asked, runs on CPU: the device groups",
    ),
    pytest.param(
        {"config": gpu(), "observations": [answered(ps=[{"name": MODEL, "size": 300, "size_vram": 200}])]},
        [Expect(FindingCode.MODEL_PARTLY_ON_GPU, Severity.WARNING, path="backend.gpu.memoryPerGPU",
                params={"percent": 66.7}, evidence={"value": 200, "size": 300, "percent": 66.7})],
        id="GPU asked, only partly on it",
    ),
    pytest.param(
        {"observations": [answered(ps=[{"name": MODEL, "size": 100, "size_vram": 0}])]},
        [],
        id="CPU configured: CPU placement is expected",
    ),
]

# s2-manager: the codes added for ollama 0.32.15 (registry auth, stalls, verification, load failures).
CASES += [
    pytest.param(
        failed(code, text),
        [Expect(FindingCode.MODEL_PULL_FAILED, Severity.ERROR, path=path, evidence={"value": code},
                message_key="failure.withDetail", fix_key=f"failure.{code}.fix")],
        id=f"{code}: the manager's code and fix",
    )
    for code, text, path in [
        ("RegistryAuth", "pull model manifest: unauthorized: access denied", "backend.model.registry"),
        ("Stalled", "no new bytes for 300s", None),
        ("VerifyTimeout", "ollama sent nothing for 150s", None),
    ]
]


@pytest.mark.parametrize(("case", "expected"), CASES)
def test_model_rule(case: dict[str, Any], expected: list[Expect]) -> None:
    check_all(run(case), expected)


def test_every_failure_the_manager_records_has_a_finding() -> None:
    """The status report explains each FailureCode the manager writes, with that code's catalog entry."""
    # Adapted (issue 16): load failures (LOAD_FAILURES) have their own finding; the manager adds the code.
    assert set(PULL_FAILURES) <= {c.value for c in FailureCode}
    assert {c.value for c in FailureCode} <= set(PULL_FAILURES) | set(LOAD_FAILURES)


@pytest.mark.parametrize(
    ("changes", "states"),
    [
        pytest.param({}, ["present"], id="listed"),
        pytest.param({"observations": [answered(ps=[{"name": MODEL, "size_vram": 5}])]}, ["loaded"], id="loaded"),
        pytest.param({"observations": [answered(tags=[])]}, ["absent"], id="not listed"),
        pytest.param({"observations": [unanswered(timeout=True)]}, ["unknown"], id="nobody answered"),
        pytest.param({"observations": [answered(tags=[])], "config": {**CONFIG, "pull": False}}, ["missing"],
                     id="offline and not listed"),
        pytest.param({"observations": [answered(tags=[MODEL, "qwen3:8b"])]}, ["present", "present"],
                     id="an extra model ollama lists"),
        pytest.param({"state": state(**{MODEL: record("Partial")})}, ["partial"], id="half-copied"),
    ],
)
def test_model_states(changes: dict[str, Any], states: list[str]) -> None:
    models, progress = model_states(healthy(**{"observations": [answered()], **changes}))
    assert [m["state"] for m in models] == states
    assert progress is None


def test_a_pull_in_progress_is_the_reports_progress() -> None:
    pulling = record("Pulling", percent=25.0, completedBytes=1000, totalBytes=4000, bytesPerSecond=500.0,
                     etaSeconds=6)
    models, progress = model_states(healthy(observations=[answered(tags=[])], state=state(**{MODEL: pulling})))
    assert models[0]["state"] == "pulling" and models[0]["progress"] == progress
    assert progress == {"model": MODEL, "percent": 25.0, "completedBytes": 1000, "totalBytes": 4000,
                        "bytesPerSecond": 500.0, "etaSeconds": 6}


@pytest.mark.parametrize(
    ("name", "normal", "manifest"),
    [
        pytest.param("registry.ollama.ai/library/deepseek-r1:7b", "deepseek-r1:7b",
                     "manifests/registry.ollama.ai/library/deepseek-r1/7b", id="full name"),
        pytest.param("deepseek-r1", "deepseek-r1:latest", "manifests/registry.ollama.ai/library/deepseek-r1/latest",
                     id="no tag"),
        pytest.param("hf.co/user/repo:Q4", "hf.co/user/repo:Q4", "manifests/hf.co/user/repo/Q4", id="other host"),
    ],
)
def test_the_seeding_steps_name_the_manifest_ollama_reads(name: str, normal: str, manifest: str) -> None:
    [found] = run({"config": {**CONFIG, "model": name, "models": [name], "pull": False},
                   "observations": [answered(tags=[])]})
    assert (found.params["model"], found.params["manifest"]) == (normal, manifest)
