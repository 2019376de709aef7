"""GET/POST/DELETE models/<name> in-process, against the Kubernetes double, the ollama double and a
real manager round running beside it."""

from __future__ import annotations

import json
import logging
import threading
import time

import pytest
from deepseek_ext.adapters.files import load_messages
from deepseek_ext.adapters.state_store import ConfigMapStore, FileStore
from deepseek_ext.api import create_app
from deepseek_ext.core.messages import Message
from deepseek_ext.manager.offline import seeding_message
from deepseek_ext.manager.run import Manager, ManagerOptions
from deepseek_ext.settings import API_PREFIX

from tests.conftest import isolate_from_host
from tests.doubles.ollama import OllamaDouble
from tests.manager import conftest as manager_fixtures
from tests.manager.conftest import FAST, NS, ollama_pod, serving

M15, M7 = "deepseek-r1:1.5b", "deepseek-r1:7b"
kube_double = manager_fixtures.kube_double  # the manager suite's Kubernetes double, shared
kube_client = manager_fixtures.kube_client
ADMIN = {"X-Remote-User": "admin"}


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch, tmp_path):
    isolate_from_host(monkeypatch, tmp_path)


class Setup:
    """One ollama pod (the double on 127.0.0.1) in the Kubernetes double, the API and a manager."""

    def __init__(self, tmp_path, kube_double, kube_client, ollama, config):
        self.kube_double, self.ollama, self.config = kube_double, ollama, config
        config["ollamaPort"] = ollama.port  # the pod IP is 127.0.0.1: pod IP:port reaches the double
        pod = ollama_pod("ollama-a")
        pod["status"]["podIP"] = "127.0.0.1"
        kube_double.put(pod)
        self.config_file = tmp_path / "config.json"
        self.write_config()
        kubeconfig = kube_double.write_kubeconfig(tmp_path / "kubeconfig", namespace=NS)
        self.app = create_app(
            {
                "TESTING": True,
                "SETTINGS": {
                    "cluster": {"kubeconfig": str(kubeconfig), "namespace": NS, "cache_ttl_seconds": 0.3},
                    "ollama": {"cache_ttl_seconds": 0.3},
                    "api": {"serving_config_file": str(self.config_file)},
                },
            }
        )
        self.client = self.app.test_client()
        self.manager = Manager(
            options=ManagerOptions(**{**FAST, "progress_interval": 0.3}),
            load_config=lambda: self.config,
            store=ConfigMapStore(kube_client),
            kube=kube_client,
        )

    def write_config(self):
        self.config_file.write_text(json.dumps(self.config))

    def get(self, name):
        return self.client.get(f"{API_PREFIX}/models/{name}")


@pytest.fixture
def setup(tmp_path, kube_double, kube_client):
    def make(config=None, **ollama_kwargs):
        ollama = OllamaDouble(**ollama_kwargs).start()
        made.append(ollama)
        return Setup(tmp_path, kube_double, kube_client, ollama, config or serving(M15, M7))

    made: list[OllamaDouble] = []
    yield make
    for ollama in made:
        ollama.stop()


def test_download_progress_moves_through_the_api(setup):
    s = setup(serving(M7), bytes_per_second=80_000, chunk_bytes=4_000)  # ~3 s of streaming
    worker = threading.Thread(target=s.manager.reconcile_once)
    worker.start()
    seen = []
    deadline = time.monotonic() + 15
    while worker.is_alive() and time.monotonic() < deadline:
        body = s.get(M7).get_json()
        if body["state"] == "pulling" and body["progress"]:
            seen.append(body["progress"]["percent"])
        time.sleep(0.1)
    worker.join(timeout=5)
    time.sleep(0.35)  # past the API's cache TTL
    distinct = sorted(set(seen))
    assert len(distinct) >= 3, seen  # the percent moved while downloading
    assert seen == sorted(seen)  # and never went backwards
    assert len([p for p in distinct if 0 < p < 100]) >= 2  # intermediate values, not just start and end
    body = s.get(M7).get_json()
    assert body["state"] == "loaded" and body["phase"] == "Ready" and body["progress"] is None
    assert body["pods"] == [{"name": "ollama-a", "present": True, "loaded": True, "error": None}]
    assert body["loadSeconds"] is not None and body["default"] and body["configured"]


def test_failed_pull_shows_the_error_and_the_fix_then_pull_now_retries(setup, caplog):
    s = setup(serving(M15), version="0.6.5")
    s.ollama.registry[M15] = s.ollama.registry[M15].__class__(M15, s.ollama.registry[M15].layers, "0.7.1")
    s.manager.reconcile_once()
    body = s.get(M15).get_json()
    assert body["state"] == "failed" and body["lastError"]["code"] == "OllamaTooOld"
    assert body["hint"] == s.manager.state["models"][M15]["hint"] and body["nextRetryAt"]  # the manager's words
    # The administrator upgrades ollama and asks for a retry now instead of waiting for the backoff.
    s.ollama.version = "0.32.15"
    assert s.client.post(f"{API_PREFIX}/models/{M15}/pull").status_code == 401  # not through ks-apiserver
    with caplog.at_level(logging.INFO, logger="deepseek_ext.audit"):
        resp = s.client.post(f"{API_PREFIX}/models/{M15}/pull", headers=ADMIN)
    assert resp.status_code == 202 and resp.get_json()["requestedBy"] == "admin"
    assert any("admin" in r.getMessage() and M15 in r.getMessage() for r in caplog.records)
    cm = s.kube_double.get("ConfigMap", "deepseek-model-state", NS)
    assert json.loads(cm["data"]["pull.deepseek-r1_1.5b"])["requestedBy"] == "admin"
    assert s.get(M15).get_json()["requested"] is True
    s.manager.reconcile_once()
    body = s.get(M15).get_json()
    assert body["state"] == "loaded" and body["lastError"] is None and body["requested"] is False
    assert "pull.deepseek-r1_1.5b" not in s.kube_double.get("ConfigMap", "deepseek-model-state", NS)["data"]


def test_pull_refuses_unconfigured_models_and_offline_mode(setup):
    s = setup(serving(M15, pull=False), local=[M15])
    resp = s.client.post(f"{API_PREFIX}/models/deepseek-r1:14b/pull", headers=ADMIN)
    assert resp.status_code == 409 and resp.get_json()["code"] == "ModelNotConfigured"
    expected = Message("error.ModelNotConfigured", {"model": "deepseek-r1:14b", "configured": [M15]})
    assert resp.get_json()["message"] == load_messages().render(expected)
    resp = s.client.post(f"{API_PREFIX}/models/{M15}/pull", headers=ADMIN)
    assert resp.status_code == 409 and resp.get_json()["code"] == "DownloadsDisabled"
    assert resp.get_json()["field"] == "backend.model.pull"


def test_offline_missing_model_shows_seeding_steps(setup):
    s = setup(serving(M15, M7, pull=False), local=[M15])
    s.manager.reconcile_once()
    body = s.get(M7).get_json()
    assert body["state"] == "missing" and body["downloads"] is False
    assert body["hint"] == load_messages().render(seeding_message(M7, pvc="deepseek-models", namespace=NS))


def test_delete_refuses_configured_models_and_removes_others(setup, caplog):
    s = setup(serving(M15, M7), local=[M15, M7, "deepseek-r1:14b"])
    for name, code in ((M15, "DefaultModel"), (M7, "ModelConfigured")):
        resp = s.client.delete(f"{API_PREFIX}/models/{name}", headers=ADMIN)
        assert resp.status_code == 409 and resp.get_json()["code"] == code
        assert resp.get_json()["field"] == "name" and resp.get_json()["message"]["zh"]
    assert s.client.delete(f"{API_PREFIX}/models/deepseek-r1:14b").status_code == 401
    with caplog.at_level(logging.INFO, logger="deepseek_ext.audit"):
        resp = s.client.delete(f"{API_PREFIX}/models/deepseek-r1:14b", headers=ADMIN)
    assert resp.status_code == 200 and resp.get_json()["deleted"] == ["ollama-a"]
    assert s.ollama.stats.deletes["deepseek-r1:14b"] == 1
    assert any("admin" in r.getMessage() for r in caplog.records)
    resp = s.client.delete(f"{API_PREFIX}/models/deepseek-r1:14b", headers=ADMIN)
    assert resp.status_code == 404 and resp.get_json()["code"] == "ModelNotFound"
    assert sorted(s.ollama.store.listed()) == [M15, M7]


@pytest.mark.parametrize("name", ["bad name", "a..b", "-x"])
def test_invalid_names_are_400_with_the_field(setup, name):
    s = setup()
    resp = s.get(name)
    assert resp.status_code == 400 and resp.get_json()["field"] == "name"
    assert resp.get_json()["given"] == name


def test_unknown_model_is_404_naming_the_configured_ones(setup):
    s = setup()
    resp = s.get("deepseek-r1:70b")
    assert resp.status_code == 404 and resp.get_json()["allowed"] == [M15, M7]


def test_standalone_with_one_ollama_and_a_state_file(tmp_path, monkeypatch):
    state_file = tmp_path / "state.json"
    config_file = tmp_path / "config.json"
    config_file.write_text(json.dumps(serving(M15)))
    with OllamaDouble() as ollama:
        app = create_app(
            {
                "TESTING": True,
                "SETTINGS": {
                    "ollama": {"url": ollama.url, "cache_ttl_seconds": 0.01},
                    "api": {"serving_config_file": str(config_file), "model_state_file": str(state_file)},
                },
            }
        )
        client = app.test_client()
        assert client.get(f"{API_PREFIX}/models/{M15}").get_json()["state"] == "absent"
        assert client.post(f"{API_PREFIX}/models/{M15}/pull", headers=ADMIN).status_code == 202
        assert client.get(f"{API_PREFIX}/models/{M15}").get_json()["state"] == "pulling"  # requested
        manager = Manager(
            options=ManagerOptions(**{**FAST, "ollama_url": ollama.url}),
            load_config=lambda: json.loads(config_file.read_text()),
            store=FileStore(state_file),
        )
        manager.reconcile_once()
        assert client.get(f"{API_PREFIX}/models/{M15}").get_json()["state"] == "loaded"


def test_without_cluster_or_ollama_url_the_endpoints_say_how_to_connect():
    client = create_app({"TESTING": True}).test_client()
    resp = client.get(f"{API_PREFIX}/models/{M15}")
    assert resp.status_code == 503 and resp.get_json()["code"] == "ClusterNotConfigured"
    assert resp.get_json()["message"] == load_messages().render("error.ClusterNotConfigured")


def test_openapi_documents_the_three_operations():
    spec = create_app({"TESTING": True}).test_client().get(f"{API_PREFIX}/openapi.json").get_json()
    path = f"{API_PREFIX}/models/{{name}}"
    assert set(spec["paths"][path]) >= {"get", "delete"} and "post" in spec["paths"][path + "/pull"]
    assert "ModelState" in json.dumps(spec) or "ModelStateSchema" in json.dumps(spec)


def test_unreadable_sources_make_the_state_unknown_never_a_guessed_absent(setup):
    s = setup()
    s.kube_double.fault(500, path="/configmaps")
    time.sleep(0.35)  # past the API's cache TTL
    body = s.get(M7).get_json()  # configured, not on disk: the manager may be pulling it
    assert body["state"] == "unknown" and "configmaps" in body["hint"]["en"] and body["hint"]["zh"]
    s.kube_double.clear_faults()
    s.ollama.configure(garbage=True)  # every ollama pod unreadable
    time.sleep(0.35)
    body = s.get(M15).get_json()
    assert body["state"] == "unknown" and "ollama" in body["hint"]["en"]
    assert body["pods"][0]["present"] is None and body["pods"][0]["error"]
    # An unconfigured model is not declared "not found" while ollama cannot be asked.
    assert s.get("deepseek-r1:70b").status_code == 200
    s.ollama.configure(garbage=False)
    time.sleep(0.35)
    assert s.get(M15).get_json()["state"] == "absent"
    assert s.get("deepseek-r1:70b").status_code == 404


# -- s2-manager: ollama ignores case; delete unloads first -----------------------------------------------


@pytest.mark.parametrize(
    ("name", "code"),
    [("DEEPSEEK-R1:1.5B", "DefaultModel"), ("DeepSeek-R1:7B", "ModelConfigured")],
    ids=["default model in capitals", "configured model in mixed case"],
)
def test_guards_compare_names_as_ollama_does_case_insensitively(setup, name, code):
    # ollama's getExistingName folds every part with strings.EqualFold (server/routes.go:1222-1245,
    # v0.32.15): a DELETE of DEEPSEEK-R1:1.5B would remove deepseek-r1:1.5b, so the guard must refuse it.
    s = setup(serving(M15, M7), local=[M15, M7])
    resp = s.client.delete(f"{API_PREFIX}/models/{name}", headers=ADMIN)
    assert resp.status_code == 409 and resp.get_json()["code"] == code
    assert s.ollama.stats.deletes == {} and sorted(s.ollama.store.listed()) == [M15, M7]
    # The double resolves names as ollama does, so the guard is what stood between the two.
    assert s.ollama.existing_name(name) in (M15, M7)


def test_pull_request_and_state_accept_any_case_of_a_configured_model(setup):
    s = setup(serving(M15, M7), local=[M15])
    resp = s.client.post(f"{API_PREFIX}/models/DeepSeek-R1:7B/pull", headers=ADMIN)
    assert resp.status_code == 202 and resp.get_json()["name"] == M7  # spelled as configured
    body = s.get("DEEPSEEK-R1:1.5B").get_json()
    assert body["name"] == M15 and body["default"] is True and body["configured"] is True
    assert body["pods"][0]["present"] is True


def test_delete_unloads_the_model_before_removing_it(setup):
    # ollama's DELETE /api/delete removes the files but leaves the runner loaded
    # (server/routes.go:1247-1298, v0.32.15): the service unloads first with keep_alive 0.
    s = setup(serving(M15), local=[M15, "deepseek-r1:14b"])
    s.ollama.loaded["deepseek-r1:14b"] = None
    resp = s.client.delete(f"{API_PREFIX}/models/deepseek-r1:14b", headers=ADMIN)
    assert resp.status_code == 200 and resp.get_json()["deleted"] == ["ollama-a"]
    calls = [(m, p, b) for m, p, b in s.ollama.stats.log if p in ("/api/generate", "/api/delete")]
    assert [(m, p) for m, p, _ in calls] == [("POST", "/api/generate"), ("DELETE", "/api/delete")]
    assert calls[0][2] == {"model": "deepseek-r1:14b", "keep_alive": 0, "stream": False}
    assert "deepseek-r1:14b" not in s.ollama.loaded and s.ollama.stats.unloads["deepseek-r1:14b"] == 1


def test_delete_of_a_model_that_is_not_loaded_still_deletes(setup):
    s = setup(serving(M15), local=[M15, "deepseek-r1:14b"])
    resp = s.client.delete(f"{API_PREFIX}/models/deepseek-r1:14b", headers=ADMIN)
    assert resp.status_code == 200 and s.ollama.stats.deletes["deepseek-r1:14b"] == 1
