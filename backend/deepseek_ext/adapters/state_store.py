"""The model manager's state store: where it publishes ``state.json`` and where the API leaves pull requests.

Shared by both sides: the manager writes its records and consumes requests, the API (through
``services.model_ops``) reads the records and adds requests. In a cluster: ConfigMap
``deepseek-model-state`` (``ObjectNames.state_configmap``; key ``state.json``, written only by
the leading manager; keys ``pull.<model>`` written by ``POST models/<name>/pull`` and removed by
the manager when it acts on them). Without a cluster: the same keys in one JSON file
(``DEEPSEEK_MODEL_STATE_FILE``), shared by ``deepseek-ext manager --ollama-url`` and ``make run``.
Separate keys keep the two writers apart: a merge patch of one key never overwrites the other.
"""

from __future__ import annotations

import fcntl
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from deepseek_ext.adapters import kube_writes
from deepseek_ext.adapters.kube import KubeClient
from deepseek_ext.core import names
from deepseek_ext.core.objects import DEFAULT_NAMES

STATE_KEY = "state.json"
REQUEST_PREFIX = "pull."
LABELS = {"app.kubernetes.io/name": "deepseek", "app.kubernetes.io/component": "model-manager"}


# -- the document ---------------------------------------------------------------------------------


def empty_state() -> dict[str, Any]:
    """``state.json`` before the manager wrote anything: no records."""
    return {"models": {}}


def parse_state(text: str | None) -> dict[str, Any]:
    """``state.json`` text -> state; a missing or unreadable document means "no record yet"."""
    if not text:
        return empty_state()
    try:
        state = json.loads(text)
    except ValueError:
        return empty_state()
    if not isinstance(state, dict) or not isinstance(state.get("models"), dict):
        return empty_state()
    return state


def dump_state(state: Mapping[str, Any]) -> str:
    return json.dumps(state, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class StoredState:
    state: dict[str, Any] = field(default_factory=empty_state)
    """``{"models": {<name>: ModelRecord}, "updated", "manager", "error"}``."""
    requests: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Normalized model name -> {"model", "requestedBy", "requestedAt"}."""


def parse_data(data: Mapping[str, str] | None) -> StoredState:
    """The ConfigMap's ``data`` (or the file's keys) -> records and pull requests."""
    data = data or {}
    requests: dict[str, dict[str, Any]] = {}
    for key, value in data.items():
        if not key.startswith(REQUEST_PREFIX):
            continue
        try:
            request = json.loads(value)
        except ValueError:
            continue
        if isinstance(request, dict) and isinstance(request.get("model"), str):
            requests[names.normalize(request["model"])] = request
    return StoredState(parse_state(data.get(STATE_KEY)), requests)


def from_configmaps(configmaps: Sequence[Mapping[str, Any]] | None, name: str = DEFAULT_NAMES.state_configmap
                    ) -> StoredState:
    """The stored state out of a list of ConfigMaps (the API's shared snapshot: no extra API call)."""
    for cm in configmaps or ():
        if (cm.get("metadata") or {}).get("name") == name:
            return parse_data(cm.get("data"))
    return StoredState()


def request_entry(model: str, *, user: str, at: str) -> tuple[str, str]:
    norm = names.normalize(model)
    return names.configmap_key(REQUEST_PREFIX, norm), json.dumps(
        {"model": norm, "requestedBy": user, "requestedAt": at}
    )


# -- the stores -----------------------------------------------------------------------------------


class StateStore(Protocol):
    def read(self) -> StoredState: ...
    def write_state(self, state: Mapping[str, Any]) -> None: ...
    def add_request(self, model: str, *, user: str, at: str) -> None: ...
    def drop_requests(self, models: Iterable[str]) -> None: ...


class _KeyedStore:
    """The writes both stores share; each store only says how to merge-patch its keys (None deletes)."""

    def _patch(self, patch: Mapping[str, str | None]) -> None:
        raise NotImplementedError

    def write_state(self, state: Mapping[str, Any]) -> None:
        self._patch({STATE_KEY: dump_state(state)})

    def add_request(self, model: str, *, user: str, at: str) -> None:
        key, value = request_entry(model, user=user, at=at)
        self._patch({key: value})

    def drop_requests(self, models: Iterable[str]) -> None:
        keys = {names.configmap_key(REQUEST_PREFIX, m): None for m in models}
        if keys:
            self._patch(keys)


class ConfigMapStore(_KeyedStore):
    def __init__(self, kube: KubeClient, name: str = DEFAULT_NAMES.state_configmap) -> None:
        self.kube = kube
        self.name = name

    def read(self) -> StoredState:
        cm = kube_writes.read_configmap(self.kube, self.name)
        return parse_data((cm or {}).get("data"))

    def _patch(self, data: Mapping[str, str | None]) -> None:
        kube_writes.patch_configmap_data(self.kube, self.name, data, labels=LABELS)


class FileStore(_KeyedStore):
    """The ConfigMap's ``data`` as one JSON file, with an flock so the API and the manager can share it."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(str(self.path) + ".lock", "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _load(self) -> dict[str, str]:
        try:
            data = json.loads(self.path.read_text())
        except (OSError, ValueError):
            return {}
        return {k: v for k, v in data.items() if isinstance(v, str)} if isinstance(data, dict) else {}

    def _save(self, data: Mapping[str, str]) -> None:
        # Write-then-rename: a reader never sees half a file.
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".state-")
        with os.fdopen(fd, "w") as fh:
            json.dump(dict(data), fh)
        os.replace(tmp, self.path)

    def _patch(self, patch: Mapping[str, str | None]) -> None:
        with self._locked():
            data = self._load()
            for key, value in patch.items():
                if value is None:
                    data.pop(key, None)
                else:
                    data[key] = value
            self._save(data)

    def read(self) -> StoredState:
        return parse_data(self._load())


def open_store(
    *, client: KubeClient | None, state_file: str | os.PathLike[str] | None,
    name: str = DEFAULT_NAMES.state_configmap,
) -> StateStore | None:
    """The API's store: the ConfigMap in a cluster, else the state file, else None (no manager to ask)."""
    if client is not None:
        return ConfigMapStore(client, name)
    if state_file:
        return FileStore(state_file)
    return None
