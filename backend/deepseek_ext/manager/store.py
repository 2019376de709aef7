"""Where the manager publishes ``state.json`` and where the API leaves pull requests.

In a cluster: ConfigMap ``deepseek-model-state`` (key ``state.json``, written only by the leading
manager; keys ``pull.<model>`` written by ``POST models/<name>/pull`` and removed by the manager
when it acts on them). Without a cluster: the same keys in one JSON file
(``DEEPSEEK_MODEL_STATE_FILE``), shared by ``deepseek-ext manager --ollama-url`` and ``make run``.
Separate keys keep the two writers apart: a merge patch of one key never overwrites the other.
"""

from __future__ import annotations

import fcntl
import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from deepseek_ext.core import names
from deepseek_ext.manager import progress

STATE_CONFIGMAP = "deepseek-model-state"
STATE_KEY = "state.json"
REQUEST_PREFIX = "pull."
LABELS = {"app.kubernetes.io/name": "deepseek", "app.kubernetes.io/component": "model-manager"}


@dataclass(frozen=True)
class StoredState:
    state: dict[str, Any] = field(default_factory=progress.empty_state)
    requests: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Normalized model name -> {"model", "requestedBy", "requestedAt"}."""


def parse_data(data: Mapping[str, str] | None) -> StoredState:
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
    return StoredState(progress.parse_state(data.get(STATE_KEY)), requests)


def request_entry(model: str, *, user: str, at: str) -> tuple[str, str]:
    norm = names.normalize(model)
    return names.configmap_key(REQUEST_PREFIX, norm), json.dumps(
        {"model": norm, "requestedBy": user, "requestedAt": at}
    )


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
        self._patch({STATE_KEY: progress.dump_state(state)})

    def add_request(self, model: str, *, user: str, at: str) -> None:
        key, value = request_entry(model, user=user, at=at)
        self._patch({key: value})

    def drop_requests(self, models: Iterable[str]) -> None:
        keys = {names.configmap_key(REQUEST_PREFIX, m): None for m in models}
        if keys:
            self._patch(keys)


class ConfigMapStore(_KeyedStore):
    def __init__(self, kube: Any, name: str = STATE_CONFIGMAP) -> None:
        self.kube = kube
        self.name = name

    def read(self) -> StoredState:
        from deepseek_ext.adapters import kube_writes

        cm = kube_writes.read_configmap(self.kube, self.name)
        return parse_data((cm or {}).get("data"))

    def _patch(self, data: Mapping[str, str | None]) -> None:
        from deepseek_ext.adapters import kube_writes

        kube_writes.patch_configmap_data(self.kube, self.name, data, labels=LABELS)


class FileStore(_KeyedStore):
    """The ConfigMap's ``data`` as one JSON file, with an flock so the API and the manager can share it."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)

    @contextmanager
    def _locked(self):  # type: ignore[no-untyped-def]
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
