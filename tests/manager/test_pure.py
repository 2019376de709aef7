"""Pure helpers of the manager: names, desired state, failure classes, backoff, progress, offline checks."""

from __future__ import annotations

import json

import pytest
from deepseek_ext.adapters.files import load_messages
from deepseek_ext.adapters.state_store import empty_state
from deepseek_ext.core import names
from deepseek_ext.core.messages import Message
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
    assert info.value.field == field and info.value.given == value
    msg = info.value.message
    assert msg.key == "manager.desired.invalid"
    assert msg.params["field"] == field and msg.params["given"] == repr(value)
    assert msg.params["allowed"] == Message(f"manager.desired.allowed.{field}")
    assert all(load_messages().render(msg).values())  # every field has its "allowed" text


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


@pytest.mark.parametrize("code", list(FailureCode), ids=str)
def test_every_failure_is_explained_from_its_catalog_entries(code):
    params = failures.failure_params(model="deepseek-r1:7b", namespace="ns", tags=["1.5b", "7b"])
    msg = failures.explanation(code, params, detail="boom")
    assert msg.key == "failure.explained"
    what, fix = msg.params["message"], msg.params["fix"]
    assert what == Message("failure.withDetail", {"message": Message(f"failure.{code}", params), "detail": "boom"})
    assert fix == Message(f"failure.{code}.fix", params)
    text = failures.explain(code, catalog=load_messages(), params=params, detail="boom")
    assert text["en"] and text["zh"] and text["en"] != text["zh"]


def test_the_unknown_tag_fix_lists_the_catalog_tags_not_a_copy():
    from deepseek_ext.adapters.files import load_catalog

    tags = load_catalog().tags()
    params = failures.failure_params(model="deepseek-r1:3b", namespace="ns", tags=tags)
    assert failures.explanation(FailureCode.UNKNOWN_TAG, params).params["fix"].params["tags"] == tags


def test_an_unreachable_registry_also_explains_how_to_seed():
    params = failures.failure_params(model="deepseek-r1:7b", namespace="ns", tags=[])
    seeding = offline.seeding_message("deepseek-r1:7b", namespace="ns", offline=False)
    msg = failures.explanation(FailureCode.REGISTRY_UNREACHABLE, params, seeding=seeding)
    assert msg.key == "failure.explained.withSeeding" and msg.params["seeding"] == seeding
    assert seeding.params["lead"].key == "offline.lead.alternative"


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
    assert all(p.key.startswith("offline.problem.") for p in check.problems)


def test_seeding_steps_name_the_paths():
    msg = offline.seeding_message("deepseek-r1:7b", pvc="deepseek-models", namespace="ns")
    assert msg.key == "offline.seed"
    assert msg.params["manifest"] == "manifests/registry.ollama.ai/library/deepseek-r1/7b"
    assert msg.params["pvc"] == "deepseek-models" and msg.params["namespace"] == "ns"
    assert msg.params["lead"] == Message("offline.lead.missing", {"model": "deepseek-r1:7b", "pvc": "deepseek-models"})
    steps = offline.seeding_steps("deepseek-r1:7b", catalog=load_messages(), pvc="deepseek-models", namespace="ns")
    for text in steps.values():  # the paths are what an administrator copies: they must reach the text
        assert "manifests/registry.ollama.ai/library/deepseek-r1/7b" in text and "blobs/sha256-" in text


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
