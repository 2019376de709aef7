"""The status report: gather the shared Kubernetes snapshot and ollama's answers, then apply the rules.

I/O lives here and in the adapters; what the evidence means lives in ``core.status_rules``.
Both upstreams are read through short shared caches (Kubernetes: ``adapters.kube.SnapshotCache``;
ollama: ``OllamaCache`` below), so a status request usually costs no upstream call at all.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from deepseek_ext.adapters.kube import Kube, KubeError, Snapshot
from deepseek_ext.adapters.ollama import OllamaClient, OllamaClientError, OllamaTimeout
from deepseek_ext.core.status_rules import Inputs, OllamaObservation, build_report, pod_ready
from deepseek_ext.settings import Settings

log = logging.getLogger(__name__)

SERVING_CONFIGMAP = "deepseek-serving"
STATE_CONFIGMAP = "deepseek-model-state"

# The contract's defaults (docs/architecture.md): used only when no serving config can be read,
# so the report can still name the 0.1.0 objects.
DEFAULT_SERVING: dict[str, Any] = {
    "model": "deepseek-r1:1.5b",
    "models": ["deepseek-r1:1.5b"],
    "pull": True,
    "accelerator": "cpu",
    "pvcName": "deepseek-models",
    "ollamaService": "deepseek-backend-server-service",
    "ollamaPort": 11434,
    "ollamaSelector": {"app": "deepseek-backend-server"},
    "ollamaDeployment": "deepseek-backend-server",
    "chatService": "deepseek-backend-chat-service",
    "chatDeployment": "deepseek-backend-chat",
    "chatSelector": {"app": "deepseek-backend-chat"},
    "ingressName": "deepseek-backend-ingress",
    "chatUrl": None,
}


class _FileCache:
    """A JSON file re-read only when its mtime changes (kubelet swaps ConfigMap files on upgrade)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: tuple[str, float] | None = None
        self._value: dict[str, Any] | None = None

    def read(self, path: str) -> dict[str, Any] | None:
        try:
            mtime = os.stat(path).st_mtime
        except OSError:
            return None
        with self._lock:
            if self._key != (path, mtime):
                try:
                    self._value = json.loads(Path(path).read_text(encoding="utf-8"))
                except (OSError, ValueError) as exc:
                    log.warning("cannot read the serving config %s: %s", path, exc)
                    self._value = None
                self._key = (path, mtime)
            return self._value


_SERVING_FILE = _FileCache()


def _configmap_json(snapshot: Snapshot | None, name: str, key: str) -> dict[str, Any] | None:
    for cm in (snapshot.get("configmaps") if snapshot else None) or ():
        if (cm.get("metadata") or {}).get("name") == name:
            raw = (cm.get("data") or {}).get(key)
            if not raw:
                return None
            try:
                value = json.loads(raw)
            except ValueError:
                log.warning("ConfigMap %s key %s is not JSON", name, key)
                return None
            return value if isinstance(value, dict) else None
    return None


def serving_config(settings: Settings, snapshot: Snapshot | None) -> tuple[dict[str, Any], str]:
    """The serving config and where it came from: the mounted file, else the ConfigMap, else defaults."""
    if settings.api.serving_config_file:
        value = _SERVING_FILE.read(settings.api.serving_config_file)
        if value is not None:
            return {**DEFAULT_SERVING, **value}, settings.api.serving_config_file
    value = _configmap_json(snapshot, SERVING_CONFIGMAP, "config.json")
    if value is not None:
        return {**DEFAULT_SERVING, **value}, f"ConfigMap {SERVING_CONFIGMAP}"
    return dict(DEFAULT_SERVING), "defaults"


def model_state(snapshot: Snapshot | None) -> dict[str, Any] | None:
    """The manager's progress record (ConfigMap deepseek-model-state, key state.json), or None."""
    return _configmap_json(snapshot, STATE_CONFIGMAP, "state.json")


@dataclass(frozen=True)
class _Entry:
    observation: OllamaObservation
    at: float


class OllamaCache:
    """``/api/tags`` + ``/api/ps`` per ollama server, shared between requests for ``ttl`` seconds.

    One refresh per server at a time (others reuse the previous answer meanwhile); servers are
    asked in parallel with a short timeout, so one hung pod costs at most one timeout per window.
    """

    def __init__(
        self,
        *,
        ttl: float,
        timeout: float,
        observer: Callable[[str | None], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
        max_workers: int = 16,
    ) -> None:
        self.ttl, self.timeout, self.observer, self._clock = ttl, timeout, observer, clock
        self._lock = threading.Lock()
        self._entries: dict[str, _Entry] = {}
        self._inflight: dict[str, threading.Event] = {}
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="ollama-status")

    def observe(self, targets: Sequence[tuple[str, str]]) -> list[OllamaObservation]:
        futures = [self._pool.submit(self._get, pod, url) for pod, url in targets]
        return [f.result() for f in futures]

    def _get(self, pod: str, url: str) -> OllamaObservation:
        while True:
            with self._lock:
                entry = self._entries.get(url)
                if entry is not None and self._clock() - entry.at < self.ttl:
                    return entry.observation
                event = self._inflight.get(url)
                if event is None:
                    event = self._inflight[url] = threading.Event()
                    break
                if entry is not None:
                    return entry.observation  # stale while another request refreshes it
            event.wait(timeout=self.timeout * 2 + 1)
        try:
            observation = self._fetch(pod, url)
        finally:
            with self._lock:
                self._inflight.pop(url, None)
            event.set()
        with self._lock:
            self._entries[url] = _Entry(observation, self._clock())
        return observation

    def _fetch(self, pod: str, url: str) -> OllamaObservation:
        client = OllamaClient(url, timeout=self.timeout, connect_timeout=self.timeout)
        try:
            tags = client.tags()
            self._observe(None)
            ps = client.ps()
            self._observe(None)
        except OllamaClientError as exc:
            self._observe(type(exc).__name__)
            return OllamaObservation(pod=pod, url=url, error=exc.message, timeout=isinstance(exc, OllamaTimeout))
        finally:
            client.session.close()
        return OllamaObservation(pod=pod, url=url, tags=tags, ps=ps)

    def _observe(self, error: str | None) -> None:
        if self.observer is not None:
            self.observer(error)


def ollama_targets(
    settings: Settings, config: Mapping[str, Any], pods: Sequence[Mapping[str, Any]] | None
) -> list[tuple[str, str]]:
    """Which ollama servers to ask: DEEPSEEK_OLLAMA_URL if set, else every running ollama pod by pod IP."""
    if settings.ollama.url:
        return [("ollama", settings.ollama.url)]
    selector = config.get("ollamaSelector") or {}
    port = int(config.get("ollamaPort") or 11434)
    targets = []
    for pod in pods or ():
        labels = (pod.get("metadata") or {}).get("labels") or {}
        ip = (pod.get("status") or {}).get("podIP")
        if selector and all(labels.get(k) == v for k, v in selector.items()) and ip and pod_ready(pod):
            targets.append(((pod.get("metadata") or {}).get("name", ip), f"http://{ip}:{port}"))
    return targets


def get_status(*, settings: Settings, kube: Kube, ollama: OllamaCache) -> dict[str, Any]:
    """The report of docs/architecture.md; raises NotConfigured/ClusterUnavailable only without any client."""
    snapshot = kube.snapshot()
    config, source = serving_config(settings, snapshot)
    errors = {resource: (exc.code, exc.message) for resource, exc in snapshot.errors.items()}
    observations = ollama.observe(ollama_targets(settings, config, snapshot.get("pods")))
    inputs = Inputs(
        config=config,
        namespace=settings.cluster.namespace,
        pods=snapshot.get("pods"),
        events=snapshot.get("events"),
        pvcs=snapshot.get("persistentvolumeclaims"),
        deployments=snapshot.get("deployments"),
        ingresses=snapshot.get("ingresses"),
        nodes=snapshot.get("nodes"),
        storage_classes=snapshot.get("storageclasses"),
        state=model_state(snapshot),
        observations=observations,
        kube_errors=errors,
        now=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        config_source=source,
    )
    return build_report(inputs)


__all__ = ["KubeError", "OllamaCache", "get_status", "model_state", "ollama_targets", "serving_config"]
