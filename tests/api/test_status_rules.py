"""The status rules are pure: no I/O, no flask/requests/kubernetes; phase decided from inputs alone."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from deepseek_ext.core import names
from deepseek_ext.core.status_rules import (
    Inputs,
    OllamaObservation,
    build_report,
    detect_pvc_findings,
)

CONFIG = {
    "model": "deepseek-r1:1.5b",
    "models": ["deepseek-r1:1.5b"],
    "pull": True,
    "accelerator": "cpu",
    "ollamaSelector": {"app": "deepseek-backend-server"},
    "chatSelector": {"app": "deepseek-backend-chat"},
    "chatDeployment": "deepseek-backend-chat",
    "pvcName": "deepseek-models",
    "chatUrl": None,
}


def test_core_imports_nothing_that_does_io():
    """Import every core module with flask, requests, kubernetes, urllib3 and socket-level HTTP blocked."""
    code = textwrap.dedent("""
        import importlib, pkgutil, sys
        class Block:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in {"flask", "requests", "kubernetes", "urllib3", "http", "werkzeug"}:
                    raise ImportError("blocked in the pure core: " + name)
        sys.meta_path.insert(0, Block())
        import deepseek_ext.core as core
        for mod in pkgutil.iter_modules(core.__path__):
            importlib.import_module("deepseek_ext.core." + mod.name)
        print("ok", len(list(pkgutil.iter_modules(core.__path__))))
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok ")


def pod(name: str, *, ready: bool, scheduled: bool = True, app: str = "deepseek-backend-server") -> dict:
    return {
        "metadata": {"name": name, "labels": {"app": app}},
        "status": {
            "conditions": [
                {"type": "PodScheduled", "status": "True" if scheduled else "False"},
                {"type": "Ready", "status": "True" if ready else "False"},
            ]
        },
    }


CHAT = {
    "metadata": {"name": "deepseek-backend-chat"},
    "spec": {"replicas": 1},
    "status": {"readyReplicas": 1},
}
PVC = {"metadata": {"name": "deepseek-models"}, "spec": {}, "status": {"phase": "Bound"}}
TAGS = [{"name": "deepseek-r1:1.5b", "size": 100}]


def report(**kw) -> dict:
    base = {
        "config": CONFIG,
        "namespace": "ns",
        "pods": [pod("o", ready=True), pod("c", ready=True, app="deepseek-backend-chat")],
        "events": [],
        "pvcs": [PVC],
        "deployments": [CHAT],
        "ingresses": [],
        "nodes": [],
        "storage_classes": [],
        "observations": [OllamaObservation("o", "u", tags=TAGS, ps=[])],
    }
    return build_report(Inputs(**{**base, **kw}))


@pytest.mark.parametrize(
    ("change", "phase"),
    [
        pytest.param({}, "Ready", id="all ready"),
        pytest.param({"pods": None}, "Unknown", id="pods cannot be read"),
        pytest.param({"pods": []}, "Installing", id="no pods yet"),
        pytest.param({"pods": [pod("o", ready=False, scheduled=False)]}, "Scheduling", id="pod not scheduled"),
        pytest.param({"pods": [pod("o", ready=False)]}, "Installing", id="pod starting"),
        pytest.param(
            {
                "observations": [OllamaObservation("o", "u", tags=[], ps=[])],
                "state": {"models": {"deepseek-r1:1.5b": {"phase": "Pulling", "percent": 10}}},
            },
            "PullingModel",
            id="model downloading",
        ),
        pytest.param(
            {"state": {"models": {"deepseek-r1:1.5b": {"phase": "Loading"}}}},
            "LoadingModel",
            id="model loading",
        ),
        pytest.param(
            {"deployments": [{**CHAT, "status": {"readyReplicas": 0}}]},
            "Degraded",
            id="chat down, model served",
        ),
        pytest.param({"observations": [OllamaObservation("o", "u", error="refused")]}, "Failed", id="ollama down"),
        pytest.param(
            {"observations": [OllamaObservation("o", "u", error="timed out", timeout=True)]},
            "Unknown",
            id="ollama hangs: not claimed pulling",
        ),
        pytest.param(
            {
                "observations": [OllamaObservation("o", "u", error="timed out", timeout=True)],
                "state": {"models": {"deepseek-r1:1.5b": {"phase": "Pulling", "percent": 10}}},
            },
            "PullingModel",
            id="ollama hangs during a recorded pull",
        ),
    ],
)
def test_phase(change, phase):
    assert report(**change)["phase"] == phase


def test_progress_is_null_unless_downloading():
    assert report()["progress"] is None


def test_models_are_unknown_not_absent_when_no_ollama_answers():
    unobserved = report(observations=[OllamaObservation("o", "u", error="timed out", timeout=True)])
    assert [m["state"] for m in unobserved["models"]] == ["unknown"]
    observed = report(observations=[OllamaObservation("o", "u", tags=[], ps=[])])
    assert [m["state"] for m in observed["models"]] == ["absent"]


def test_bound_pvc_has_no_findings_and_pending_without_class_names_the_key():
    assert detect_pvc_findings(pvc=PVC, storage_classes=[], events=[]) == []
    [finding] = detect_pvc_findings(pvc={**PVC, "status": {"phase": "Pending"}}, storage_classes=[], events=[])
    assert finding.code.value == "PvcNoDefaultStorageClass" and finding.path == "backend.persistence.storageClass"


def test_model_names_and_manifest_paths():
    assert names.normalize("registry.ollama.ai/library/deepseek-r1:7b") == "deepseek-r1:7b"
    assert names.normalize("deepseek-r1") == "deepseek-r1:latest"
    assert names.manifest_relpath("deepseek-r1:1.5b") == "manifests/registry.ollama.ai/library/deepseek-r1/1.5b"
    assert names.manifest_relpath("hf.co/user/repo:Q4") == "manifests/hf.co/user/repo/Q4"
