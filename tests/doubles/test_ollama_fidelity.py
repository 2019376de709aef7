"""The ollama double behaves as ollama v0.32.15 does where the manager relies on it (each test
cites the source line at github.com/ollama/ollama tag v0.32.15, commit b7871fc)."""

from __future__ import annotations

import json
import time

import pytest
import requests

from tests.doubles.ollama import MEDIA_MODEL, OllamaDouble, go_duration, make_model, seed_models_dir

M15, M7 = "deepseek-r1:1.5b", "deepseek-r1:7b"


def pull_lines(url: str, model: str) -> tuple[int, list[dict]]:
    resp = requests.post(url + "/api/pull", json={"model": model}, stream=True, timeout=30)
    with resp:
        return resp.status_code, [json.loads(raw) for raw in resp.iter_lines() if raw]


@pytest.fixture
def ollama():
    with OllamaDouble(local=[M15]) as double:
        yield double


@pytest.mark.parametrize(
    ("knobs", "model", "error"),
    [
        ({}, "deepseek-r1:3b", "pull model manifest: file does not exist"),
        ({"version": "0.6.5"}, "deepseek-r1:8b", "pull model manifest: 412: "),
        ({"registry_reachable": False}, M7, "pull model manifest: Get "),
    ],
    ids=["unknown tag", "too old", "unreachable"],
)
def test_pull_errors_come_inside_a_200_stream_after_pulling_manifest(knobs, model, error):
    # images.go:1021 sends "pulling manifest" before asking the registry; routes.go:2116-2123 then
    # writes the error as a line of the started 200 stream: no 412 (or any status) before it.
    with OllamaDouble(**knobs) as double:
        status, lines = pull_lines(double.url, model)
    assert status == 200
    assert lines[0] == {"status": "pulling manifest"}
    assert lines[-1]["error"].startswith(error) and len(lines) == 2


def test_a_first_pull_removes_no_layers_and_a_changed_re_pull_does(ollama):
    _, lines = pull_lines(ollama.url, M7)
    statuses = [line["status"] for line in lines]
    assert statuses[-3:] == ["verifying sha256 digest", "writing manifest", "success"]
    assert "removing unused layers" not in statuses and "removing any unused layers" not in statuses
    # The registry publishes new weights under the same tag: the old blob is no longer used
    # (images.go:1001-1015, 1115-1120).
    ollama.registry[M7] = make_model(M7, size=250_000)
    _, lines = pull_lines(ollama.url, M7)
    assert [line["status"] for line in lines][-3:] == ["writing manifest", "removing unused layers", "success"]


@pytest.mark.parametrize(
    ("keep_alive", "status", "body"),
    [
        ("-1", 400, {"error": 'time: missing unit in duration "-1"'}),  # api/types.go:1258-1262
        ("5", 400, {"error": 'time: missing unit in duration "5"'}),
        ("forever", 400, {"error": 'time: invalid duration "forever"'}),
        (-1, 200, None),  # api/types.go:1252-1255: a JSON number is seconds, negative = for ever
        ("-1s", 200, None),
        ("30m", 200, None),
    ],
)
def test_keep_alive_is_read_as_a_go_duration(ollama, keep_alive, status, body):
    resp = requests.post(ollama.url + "/api/generate", json={"model": M15, "keep_alive": keep_alive}, timeout=5)
    assert resp.status_code == status
    if body is not None:
        assert resp.json() == body
    else:
        assert resp.json()["done_reason"] == "load"


def test_go_duration_matches_go():
    assert go_duration("1h30m") == 5400 and go_duration("0") == 0 and go_duration("-1.5s") == -1.5
    with pytest.raises(ValueError, match='unknown unit "d"'):
        go_duration("1d")


def test_an_unknown_model_is_not_found_without_a_try_pulling_suffix(ollama):
    resp = requests.post(ollama.url + "/api/generate", json={"model": "deepseek-r1:70b"}, timeout=5)
    assert resp.status_code == 404 and resp.json() == {"error": "model 'deepseek-r1:70b' not found"}  # routes.go:289


def test_delete_does_not_unload_and_keep_alive_0_does(ollama):
    requests.post(ollama.url + "/api/generate", json={"model": M15, "keep_alive": -1}, timeout=5).raise_for_status()
    resp = requests.delete(ollama.url + "/api/delete", json={"model": M15}, timeout=5)
    assert resp.status_code == 200
    # routes.go:1247-1298 removes files only; the runner stays (PsHandler reads the scheduler).
    assert [m["name"] for m in requests.get(ollama.url + "/api/ps", timeout=5).json()["models"]] == [M15]
    assert requests.get(ollama.url + "/api/tags", timeout=5).json()["models"] == []


def test_unload_is_keep_alive_0_and_a_no_op_when_not_loaded(ollama):
    for _ in range(2):  # routes.go:403-415; sched.go:1713-1731 ignores a model that is not loaded
        resp = requests.post(ollama.url + "/api/generate", json={"model": M15, "keep_alive": 0}, timeout=5)
        assert resp.status_code == 200 and resp.json()["done_reason"] == "unload"
    assert requests.get(ollama.url + "/api/ps", timeout=5).json()["models"] == []


def test_names_match_case_insensitively(ollama):
    # routes.go:1222-1245 getExistingName folds each part with strings.EqualFold.
    resp = requests.post(ollama.url + "/api/generate", json={"model": "DEEPSEEK-R1:1.5B"}, timeout=5)
    assert resp.status_code == 200 and ollama.stats.loads[M15] == 1


def test_missing_weights_answer_does_not_support_generate(tmp_path):
    # images.go:720-725 cannot open the weights, so no completion capability: routes.go:466-469.
    seed_models_dir(tmp_path, make_model(M15), skip_blob=MEDIA_MODEL)
    with OllamaDouble(models_dir=tmp_path) as double:
        resp = requests.post(double.url + "/api/generate", json={"model": M15}, timeout=5)
    assert resp.status_code == 400 and resp.json() == {"error": f'"{M15}" does not support generate'}


def test_verification_is_silent_for_a_time_proportional_to_the_size():
    with OllamaDouble(verify_bytes_per_second=400_000) as double:  # 7b double: 240 kB -> ~0.6 s
        resp = requests.post(double.url + "/api/pull", json={"model": M7}, stream=True, timeout=30)
        stamps = [(time.monotonic(), json.loads(raw)["status"]) for raw in resp.iter_lines() if raw]
    at = {status: t for t, status in stamps}
    assert at["writing manifest"] - at["verifying sha256 digest"] >= 0.5


def test_a_stalled_part_keeps_sending_progress_with_no_new_bytes():
    with OllamaDouble(progress_seconds=0.02) as double:
        double.stall_next_pull(after_bytes=64_000, seconds=0.5)
        _, lines = pull_lines(double.url, M7)
    counts = [line.get("completed") for line in lines if line.get("total") == make_model(M7).layers[1].size]
    repeats = max(counts.count(c) for c in set(counts))
    assert repeats >= 10  # download.go:450-461: the same count every tick while the part stalls
    assert lines[-1] == {"status": "success"}


def test_every_connection_has_nagle_off_as_go_sets_it(ollama):
    # Go's net/tcpsock.go newTCPConn calls setNoDelay(fd, true) for every TCP connection, so ollama
    # writes each streamed token at once; with Nagle on, the first token after the headers waited for
    # the peer's delayed ACK (40 ms on Linux), which showed up as gateway latency in bench/gateway.py.
    assert ollama._server.RequestHandlerClass.disable_nagle_algorithm is True
