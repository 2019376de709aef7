"""The ollama client against the loopback double over real HTTP: every documented answer and failure."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
import requests
from deepseek_ext.adapters.ollama import (
    OllamaBadResponse,
    OllamaClient,
    OllamaError,
    OllamaInterrupted,
    OllamaNotFound,
    OllamaTimeout,
    OllamaTooOld,
    OllamaUnreachable,
    PullProgress,
)

from tests.doubles.ollama import MEDIA_MODEL, OllamaDouble, make_model, seed_models_dir


@pytest.fixture
def ollama():
    with OllamaDouble(local=["deepseek-r1:1.5b"]) as double:
        yield double


def test_status_calls_read_the_documented_shapes(ollama):
    client = OllamaClient(ollama.url)
    assert client.ping()
    assert client.version() == "0.32.15"
    tags = client.tags()
    assert [m["name"] for m in tags] == ["deepseek-r1:1.5b"]
    assert tags[0]["size"] == make_model("deepseek-r1:1.5b").size
    assert client.ps() == []
    assert client.show("deepseek-r1:1.5b")["details"]["format"] == "gguf"
    with pytest.raises(OllamaNotFound):
        client.show("deepseek-r1:7b")


def test_pull_streams_progress_to_success(ollama):
    client = OllamaClient(ollama.url)
    seen: list[tuple[str, int, int]] = []

    def on_progress(p: PullProgress) -> None:
        seen.append((p.status, p.completed, p.total))

    result = client.pull("deepseek-r1:7b", on_progress=on_progress)
    total = make_model("deepseek-r1:7b").size + len(make_model("deepseek-r1:7b").config.content)
    assert result.completed == result.total == total
    assert seen[0][0] == "pulling manifest" and seen[-1][0] == "success"
    completed = [c for _, c, _ in seen]
    assert completed == sorted(completed)  # never goes backwards
    assert len({c for c in completed if 0 < c < total}) > 5  # several intermediate steps were seen
    assert "deepseek-r1:7b" in [m["name"] for m in client.tags()]


def test_mid_stream_error_line_raises_with_the_message(ollama):
    ollama.fail_next_pull("pull model manifest: unexpected EOF", after_bytes=50_000)
    with pytest.raises(OllamaError) as info:
        OllamaClient(ollama.url).pull("deepseek-r1:7b")
    assert info.value.status == 200 and "unexpected EOF" in info.value.message


def test_too_old_arrives_inside_the_200_stream():
    # ollama streams "pulling manifest" before it asks the registry (server/images.go:1021, v0.32.15),
    # so the registry's 412 is a last line of a 200 answer (server/routes.go:2119-2123).
    with OllamaDouble(version="0.6.5") as double, pytest.raises(OllamaTooOld) as info:
        OllamaClient(double.url).pull("deepseek-r1:8b")
    assert info.value.message.startswith("pull model manifest: 412: ")
    assert info.value.status == 200


def test_unknown_tag_and_disk_full_messages(ollama):
    client = OllamaClient(ollama.url)
    with pytest.raises(OllamaError, match="file does not exist"):
        client.pull("deepseek-r1:3b")
    ollama.store.disk_bytes = 100_000
    with pytest.raises(OllamaError, match="no space left on device"):
        client.pull("deepseek-r1:7b")


def test_dropped_connection_is_interrupted_and_the_next_pull_resumes(ollama):
    client = OllamaClient(ollama.url)
    ollama.drop_next_pull(after_bytes=120_000)
    with pytest.raises(OllamaInterrupted):
        client.pull("deepseek-r1:7b")
    first: list[int] = []
    client.pull("deepseek-r1:7b", on_progress=lambda p: first.append(p.completed))
    # The retry starts from the kept partial download, not from zero.
    assert next(c for c in first if c > 0) >= 120_000


def test_load_keeps_the_model_and_delete_removes_it(ollama):
    client = OllamaClient(ollama.url)
    seconds = client.load("deepseek-r1:1.5b", keep_alive="-1")
    assert seconds >= 0
    assert [m["name"] for m in client.ps()] == ["deepseek-r1:1.5b"]
    assert ollama.stats.log[-2][2]["keep_alive"] == -1  # sent as a JSON number
    assert client.delete("deepseek-r1:1.5b") is True
    assert client.delete("deepseek-r1:1.5b") is False
    assert client.tags() == []


def test_unreachable_timeout_and_garbage_are_typed():
    with OllamaDouble() as double:
        url = double.url
    with pytest.raises(OllamaUnreachable):
        OllamaClient(url).tags()
    with OllamaDouble(delay_seconds=0.5) as slow, pytest.raises(OllamaTimeout):
        OllamaClient(slow.url, timeout=0.1).tags()
    with OllamaDouble(garbage=True) as bad, pytest.raises(OllamaBadResponse):
        OllamaClient(bad.url).tags()


def test_seeded_models_dir_half_copied_model_is_listed_but_cannot_load(tmp_path):
    seed_models_dir(tmp_path, make_model("deepseek-r1:1.5b"))
    seed_models_dir(tmp_path, make_model("deepseek-r1:7b"), truncate_blob=MEDIA_MODEL)
    with OllamaDouble(models_dir=tmp_path) as double:
        client = OllamaClient(double.url)
        assert sorted(m["name"] for m in client.tags()) == ["deepseek-r1:1.5b", "deepseek-r1:7b"]
        client.load("deepseek-r1:1.5b")
        with pytest.raises(OllamaError, match="error loading model"):
            client.load("deepseek-r1:7b")


def test_pull_into_models_dir_writes_real_files(tmp_path):
    with OllamaDouble(models_dir=tmp_path) as double:
        OllamaClient(double.url).pull("deepseek-r1:1.5b")
    manifest = tmp_path / "manifests/registry.ollama.ai/library/deepseek-r1/1.5b"
    assert manifest.is_file()
    weights = make_model("deepseek-r1:1.5b").layers[1]
    assert (tmp_path / "blobs" / weights.blob_name).stat().st_size == weights.size


def test_runs_as_a_process_and_takes_knobs_over_http(tmp_path):
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.doubles.ollama", "--port", "0", "--local", "deepseek-r1:1.5b"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline()
        url = line.rsplit(" ", 1)[-1].strip()
        client = OllamaClient(url)
        deadline = time.monotonic() + 5
        while not client.ping() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [m["name"] for m in client.tags()] == ["deepseek-r1:1.5b"]
        requests.post(url + "/_double/config", json={"version": "0.5.7"}, timeout=2).raise_for_status()
        assert client.version() == "0.5.7"
        stats = requests.get(url + "/_double/stats", timeout=2).json()
        assert stats["requests"]["GET /api/tags"] == 1
    finally:
        proc.terminate()
        proc.wait(timeout=5)


def test_double_answers_stream_false_pulls_with_one_document(ollama):
    resp = requests.post(
        ollama.url + "/api/pull", json={"model": "deepseek-r1:7b", "stream": False}, timeout=10
    )
    assert resp.status_code == 200 and resp.json() == {"status": "success"}
    resp = requests.post(
        ollama.url + "/api/pull", json={"model": "deepseek-r1:3b", "stream": False}, timeout=10
    )
    assert resp.status_code == 500 and resp.json() == {"error": "pull model manifest: file does not exist"}
