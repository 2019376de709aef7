"""Pure helpers of the manager: names, desired state, failure classes, backoff, progress, offline checks."""

from __future__ import annotations

import json

import pytest
from deepseek_ext.adapters.state_store import empty_state
from deepseek_ext.core import names
from deepseek_ext.manager import failures, offline, progress
from deepseek_ext.manager.desired import DesiredError, desired_from_config
from deepseek_ext.manager.failures import FailureCode, backoff_seconds, classify


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("deepseek-r1", "deepseek-r1:latest"),
        ("deepseek-r1:7b", "deepseek-r1:7b"),
        ("registry.ollama.ai/library/deepseek-r1:7b", "deepseek-r1:7b"),
        ("library/deepseek-r1:7b", "deepseek-r1:7b"),
        ("harbor.local:5000/mirror/deepseek-r1:7b", "harbor.local:5000/mirror/deepseek-r1:7b"),
        ("hf.co/user/repo:Q4", "hf.co/user/repo:Q4"),
    ],
)
def test_normalize(given, expected):
    assert names.normalize(given) == expected


def test_manifest_path_and_configmap_key():
    expected = "manifests/registry.ollama.ai/library/deepseek-r1/1.5b"
    assert names.manifest_relpath("deepseek-r1:1.5b") == expected
    assert names.manifest_relpath("hf.co/user/repo:Q4") == "manifests/hf.co/user/repo/Q4"
    assert names.configmap_key("pull.", "deepseek-r1:7b") == "pull.deepseek-r1_7b"


SERVING = {
    "model": "deepseek-r1:1.5b",
    "models": ["deepseek-r1:1.5b", "deepseek-r1:7b"],
    "pull": True,
    "registry": "registry.ollama.ai/library",
    "keepAlive": "-1",
    "accessModes": ["ReadWriteMany"],
    "ollamaSelector": {"app": "deepseek-backend-server"},
    "ollamaDeployment": "deepseek-backend-server",
    "ollamaPort": 11434,
    "pvcName": "deepseek-models",
}


def test_desired_from_serving_config():
    d = desired_from_config(SERVING)
    assert d.model == "deepseek-r1:1.5b" and d.models == ("deepseek-r1:1.5b", "deepseek-r1:7b")
    assert d.shared_volume and d.pull and d.selector == {"app": "deepseek-backend-server"}
    assert not desired_from_config({**SERVING, "accessModes": ["ReadWriteOnce"]}).shared_volume


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("model", ""),
        ("model", "a b"),
        ("models", "deepseek-r1:7b"),
        ("pull", "no"),
        ("ollamaPort", 0),
        ("ollamaSelector", ["x"]),
    ],
)
def test_desired_errors_name_the_field_in_both_languages(field, value):
    with pytest.raises(DesiredError) as info:
        desired_from_config({**SERVING, field: value})
    assert info.value.field == field
    assert field in info.value.message["en"] and field in info.value.message["zh"]
    assert repr(value) in info.value.message["en"]


@pytest.mark.parametrize(
    ("message", "status", "kwargs", "code"),
    [
        ("pull model manifest: file does not exist", 200, {}, FailureCode.UNKNOWN_TAG),
        (
            "pull model manifest: 412: The model you are attempting to pull requires a newer version "
            "of Ollama.",
            200,
            {},
            FailureCode.OLLAMA_TOO_OLD,
        ),
        ("", 412, {}, FailureCode.OLLAMA_TOO_OLD),
        (
            "write /root/.ollama/models/blobs/sha256-1-partial: no space left on device",
            200,
            {},
            FailureCode.DISK_FULL,
        ),
        (
            'pull model manifest: Get "https://registry.ollama.ai/v2/library/deepseek-r1/manifests/7b": '
            "dial tcp: lookup registry.ollama.ai: no such host",
            200,
            {},
            FailureCode.REGISTRY_UNREACHABLE,
        ),
        ("connection dropped", None, {"interrupted": True}, FailureCode.INTERRUPTED),
        (
            "llama runner process has terminated: error loading model: no such file or directory",
            500,
            {"during_load": True},
            FailureCode.PARTIAL,
        ),
        ("something odd", 500, {}, FailureCode.OTHER),
    ],
)
def test_classify(message, status, kwargs, code):
    assert classify(message, status=status, **kwargs) is code


def test_backoff_is_exponential_and_capped():
    assert [backoff_seconds(n, base=5, cap=60) for n in range(0, 7)] == [0, 5, 10, 20, 40, 60, 60]


def test_every_failure_has_an_explanation_in_both_languages():
    for code in FailureCode:
        text = failures.explain(code, model="deepseek-r1:7b", detail="boom")
        assert "deepseek-r1:7b" in text["en"] and "deepseek-r1:7b" in text["zh"]
        assert "boom" in text["en"] and text["en"] != text["zh"]


def test_throttle_writes_only_changes_and_at_most_every_interval():
    t = progress.Throttle(interval=2.0)
    state = empty_state()
    state["models"]["m"] = progress.new_record("m", now=0)
    assert t.due(state, 0.0)
    t.written(state, 0.0)
    state["models"]["m"]["updated"] = progress.rfc3339(1)
    assert not t.changed(state)  # a new timestamp alone is no change
    state["models"]["m"]["percent"] = 10.0
    assert t.changed(state) and not t.due(state, 1.5)
    assert t.wait_time(1.5) == pytest.approx(0.5)
    assert t.due(state, 2.0)


def test_progress_rate_and_eta():
    meter = progress.RateMeter()
    record = progress.new_record("m", now=0)
    progress.apply_progress(record, completed=0, total=1000, meter=meter, now=0.0)
    progress.apply_progress(record, completed=500, total=1000, meter=meter, now=5.0)
    assert record["percent"] == 50.0 and record["bytesPerSecond"] == 100.0 and record["etaSeconds"] == 5.0
    assert set(progress.new_record("m", now=0)) >= {
        "model",
        "pods",
        "phase",
        "completedBytes",
        "totalBytes",
        "percent",
        "bytesPerSecond",
        "etaSeconds",
        "attempts",
        "lastError",
        "started",
        "updated",
        "loadSeconds",
    }


MANIFEST = {
    "config": {"digest": "sha256:" + "a" * 64, "size": 10},
    "layers": [{"digest": "sha256:" + "b" * 64, "size": 1000}, {"digest": "sha256:" + "c" * 64, "size": 5}],
}
BLOBS = {"blobs/sha256-" + "a" * 64: 10, "blobs/sha256-" + "b" * 64: 1000, "blobs/sha256-" + "c" * 64: 5}


@pytest.mark.parametrize(
    ("manifest", "blobs", "state"),
    [
        (MANIFEST, BLOBS, "present"),
        (None, BLOBS, "missing"),
        (MANIFEST, {k: v for k, v in BLOBS.items() if "b" * 64 not in k}, "partial"),
        (MANIFEST, {**BLOBS, "blobs/sha256-" + "b" * 64: 400}, "partial"),
        ("{not json", BLOBS, "partial"),
    ],
    ids=["seeded", "missing", "blob missing", "blob short", "manifest torn"],
)
def test_check_layout(manifest, blobs, state):
    text = manifest if isinstance(manifest, str) or manifest is None else json.dumps(manifest)
    check = offline.check_layout("deepseek-r1:7b", manifest_text=text, blob_sizes=blobs)
    assert check.state == state
    assert check.manifest == "manifests/registry.ollama.ai/library/deepseek-r1/7b"
    assert bool(check.problems) == (state != "present")


def test_seeding_steps_name_the_paths():
    steps = offline.seeding_steps("deepseek-r1:7b", pvc="deepseek-models")
    for text in steps.values():
        assert "manifests/registry.ollama.ai/library/deepseek-r1/7b" in text
        assert "blobs/sha256-" in text and "deepseek-models" in text


def test_pure_modules_import_without_io_libraries():
    """plan, progress, offline, failures, names and desired are pure: they load with requests, flask and
    kubernetes blocked."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "for name in ('requests', 'flask', 'kubernetes', 'urllib3', 'socket'):\n"
        "    sys.modules[name] = None\n"
        "import deepseek_ext.manager.plan, deepseek_ext.manager.progress, deepseek_ext.manager.offline\n"
        "import deepseek_ext.manager.failures, deepseek_ext.core.names, deepseek_ext.manager.desired\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
