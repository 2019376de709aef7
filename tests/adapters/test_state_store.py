"""The state store the manager and the API share: the document, the ConfigMap keys, the file, the choice."""

from __future__ import annotations

import json

import pytest
from deepseek_ext.adapters.state_store import (
    ConfigMapStore,
    FileStore,
    from_configmaps,
    open_store,
    parse_data,
    parse_state,
)


@pytest.mark.parametrize(
    ("text", "state"),
    [
        pytest.param(None, {"models": {}}, id="absent"),
        pytest.param("not json", {"models": {}}, id="garbage"),
        pytest.param('{"models": []}', {"models": {}}, id="wrong shape"),
        pytest.param('{"models": {"m": {}}}', {"models": {"m": {}}}, id="a record"),
    ],
)
def test_parse_state_treats_garbage_as_no_record(text, state):
    assert parse_state(text) == state


def test_requests_are_keyed_by_normalized_model_and_bad_ones_ignored():
    stored = parse_data(
        {
            "state.json": '{"models": {}}',
            "pull.deepseek-r1_7b": json.dumps({"model": "registry.ollama.ai/library/deepseek-r1:7b"}),
            "pull.broken": "{",
            "pull.nomodel": "{}",
        }
    )
    assert list(stored.requests) == ["deepseek-r1:7b"]


def test_the_file_store_keeps_state_and_requests_apart(tmp_path):
    store = FileStore(tmp_path / "s.json")
    store.add_request("deepseek-r1:7b", user="admin", at="2026-01-01T00:00:00Z")
    store.write_state({"models": {"deepseek-r1:7b": {"phase": "Pulling"}}})
    stored = store.read()
    assert stored.requests["deepseek-r1:7b"]["requestedBy"] == "admin"
    assert stored.state["models"]["deepseek-r1:7b"]["phase"] == "Pulling"
    store.drop_requests(["deepseek-r1:7b"])
    assert store.read().requests == {} and store.read().state["models"]


def test_from_configmaps_reads_the_named_configmap_only():
    configmaps = [
        {"metadata": {"name": "other"}, "data": {"state.json": '{"models": {"x": {}}}'}},
        {"metadata": {"name": "deepseek-model-state"}, "data": {"state.json": '{"models": {"m": {}}}'}},
    ]
    assert from_configmaps(configmaps).state == {"models": {"m": {}}}
    assert from_configmaps(configmaps, "absent").state == {"models": {}}
    assert from_configmaps(None).requests == {}


def test_open_store_prefers_the_cluster_then_the_file_then_none(tmp_path):
    client = object()
    assert isinstance(open_store(client=client, state_file=tmp_path / "f"), ConfigMapStore)  # type: ignore[arg-type]
    assert isinstance(open_store(client=None, state_file=tmp_path / "f"), FileStore)
    assert open_store(client=None, state_file=None) is None
