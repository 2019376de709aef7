"""services.model_ops without HTTP: which domain error each refusal raises, with which parameters.

Standalone shape (no cluster, one ollama URL, a state file), so the service runs against a fake
ollama cache and the file store; the HTTP mapping is tests/api/test_model_ops.py's business.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from deepseek_ext.adapters.files import load_messages
from deepseek_ext.adapters.kube import Kube, NotConfigured
from deepseek_ext.adapters.state_store import FileStore
from deepseek_ext.core import errors
from deepseek_ext.core.messages import Message
from deepseek_ext.manager.offline import seeding_message
from deepseek_ext.services import model_ops
from deepseek_ext.settings import ApiSettings, OllamaSettings, Settings

M15, M7, M14 = "deepseek-r1:1.5b", "deepseek-r1:7b", "deepseek-r1:14b"
CATALOG = load_messages()
NO_CLUSTER = Kube(client=None, cache=None, unavailable=NotConfigured("no kubeconfig"))


class FakeOllama:
    """The ``OllamaCache`` interface: one pod that lists ``tags`` (None: it did not answer)."""

    def __init__(self, tags: list[str] | None, loaded: tuple[str, ...] = ()) -> None:
        self.tags, self.loaded = tags, loaded

    def observe(self, targets: Any, *, fresh: bool = False) -> list[SimpleNamespace]:
        if self.tags is None:
            return [SimpleNamespace(pod=pod, tags=None, ps=None, error="connection refused") for pod, _ in targets]
        return [
            SimpleNamespace(pod=pod, tags=[{"name": t} for t in self.tags], ps=[{"name": t} for t in self.loaded],
                            error=None)
            for pod, _ in targets
        ]


def settings(tmp_path: Path, *models: str, pull: bool = True, state_file: bool = True) -> Settings:
    config = tmp_path / "serving.json"
    config.write_text(json.dumps({"model": models[0], "models": list(models), "pull": pull, "pvcName": "pvc-x"}))
    return Settings(
        ollama=OllamaSettings(url="http://127.0.0.1:9"),  # nothing listens: deletes fail fast
        api=ApiSettings(
            serving_config_file=str(config),
            model_state_file=str(tmp_path / "state.json") if state_file else None,
        ),
    )


def state(raw: str, ollama: FakeOllama, s: Settings) -> dict[str, Any]:
    return model_ops.model_state(raw, settings=s, kube=NO_CLUSTER, ollama=ollama, catalog=CATALOG)  # type: ignore[arg-type]


@pytest.mark.parametrize("raw", ["bad name", "a..b", "-x", "x\ny"])
def test_invalid_names_raise_with_what_was_given(raw):
    with pytest.raises(errors.InvalidModelName) as info:
        model_ops.model_name(raw)
    assert info.value.given == raw and info.value.field == "name"
    assert info.value.params == {"name": repr(raw)}


def test_an_unknown_model_is_not_found_naming_the_configured_ones(tmp_path):
    s = settings(tmp_path, M15, M7)
    with pytest.raises(errors.ModelNotFound) as info:
        state(M14, FakeOllama([M15]), s)
    assert info.value.params == {"model": M14, "configured": [M15, M7]} and info.value.allowed == [M15, M7]


def test_an_unknown_model_is_not_declared_absent_while_ollama_cannot_be_asked(tmp_path):
    s = settings(tmp_path, M15)
    body = state(M14, FakeOllama(None), s)
    assert body["state"] == "unknown" and body["pods"][0]["present"] is None
    reasons = [Message("model.unknown.ollama", {"pods": "ollama: connection refused"})]
    assert body["hint"] == CATALOG.render(Message("model.unknown", {"reasons": reasons}))


def test_an_offline_missing_model_shows_the_seeding_steps(tmp_path):
    s = settings(tmp_path, M15, M7, pull=False)
    body = state(M7, FakeOllama([M15]), s)
    assert body["state"] == "missing" and body["downloads"] is False
    assert body["hint"] == CATALOG.render(seeding_message(M7, pvc="pvc-x", namespace=s.cluster.namespace))


def test_a_loaded_default_model(tmp_path):
    s = settings(tmp_path, M15)
    body = state(M15, FakeOllama([M15], loaded=(M15,)), s)
    assert body["state"] == "loaded" and body["default"] and body["hint"] is None


def pull(s: Settings, raw: str) -> dict[str, Any]:
    at = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    return model_ops.request_pull(raw, user="admin", settings=s, kube=NO_CLUSTER, catalog=CATALOG, now=lambda: at)


def test_a_pull_request_is_left_in_the_store(tmp_path):
    s = settings(tmp_path, M15)
    body = pull(s, M15)
    assert body["requestedAt"] == "2026-01-02T03:04:05Z" and body["requestedBy"] == "admin"
    assert body["message"] == CATALOG.render(Message("model.pullRequested", {"model": M15}))
    assert FileStore(tmp_path / "state.json").read().requests[M15]["requestedBy"] == "admin"


@pytest.mark.parametrize(
    ("kwargs", "raw", "error", "params"),
    [
        pytest.param({}, M14, errors.ModelNotConfigured, {"model": M14, "configured": [M15]}, id="not configured"),
        pytest.param({"pull": False}, M15, errors.DownloadsDisabled,
                     {"model": M15, "steps": seeding_message(M15, pvc="pvc-x", namespace="extension-deepseek")},
                     id="offline"),
        pytest.param({"state_file": False}, M15, errors.ManagerUnavailable, {}, id="no state store"),
    ],
)
def test_pull_refusals(tmp_path, kwargs, raw, error, params):
    with pytest.raises(error) as info:
        pull(settings(tmp_path, M15, **kwargs), raw)
    assert info.value.params == params


@pytest.mark.parametrize(
    ("raw", "error", "params"),
    [
        pytest.param(M15, errors.DefaultModelProtected, {"model": M15}, id="the configured model"),
        pytest.param(M7, errors.ModelConfigured, {"model": M7}, id="in backend.models"),
        pytest.param(M14, errors.OllamaDeleteFailed, None, id="every pod fails"),
    ],
)
def test_delete_refusals(tmp_path, raw, error, params):
    s = settings(tmp_path, M15, M7)
    with pytest.raises(error) as info:
        model_ops.delete_model(raw, user="admin", settings=s, kube=NO_CLUSTER)
    if params is not None:
        assert info.value.params == params
    else:
        assert info.value.params["model"] == M14 and info.value.params["failures"][0].startswith("ollama: ")
        assert info.value.reason


def test_without_a_cluster_or_an_ollama_url_the_cluster_error_surfaces(tmp_path):
    s = Settings(api=ApiSettings(serving_config_file=None))
    with pytest.raises(NotConfigured):
        model_ops.model_state(M15, settings=s, kube=NO_CLUSTER, ollama=FakeOllama([]), catalog=CATALOG)  # type: ignore[arg-type]
