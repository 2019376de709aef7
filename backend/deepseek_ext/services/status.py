"""The status report: gather the shared Kubernetes snapshot and ollama's answers, then apply the rules.

I/O lives here and in the adapters; what the evidence means lives in ``core.status`` (pure: it
returns codes, parameters and catalog keys), and this module renders that with the message catalog
into the JSON the API serves (both languages). Both upstreams are read through short shared
caches (Kubernetes: ``adapters.kube.SnapshotCache``; ollama: ``OllamaCache`` below), so a status
request usually costs no upstream call at all.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from deepseek_ext.adapters.files import FileLoadError, load_catalog, load_messages
from deepseek_ext.adapters.kube import Kube, KubeError, Snapshot
from deepseek_ext.adapters.ollama import OllamaClient, OllamaClientError, OllamaTimeout
from deepseek_ext.core.objects import DEFAULT_NAMES, ObjectNames
from deepseek_ext.core.status import Inputs, KubeFailure, OllamaObservation, build_report
from deepseek_ext.core.status.common import is_ready_not_terminating, labels_match
from deepseek_ext.settings import Settings

log = logging.getLogger(__name__)

# The contract's defaults (docs/architecture.md): used only when no serving config can be read,
# so the report can still name the 0.1.0 objects.
DEFAULT_SERVING: dict[str, Any] = {
    "model": "deepseek-r1:1.5b",
    "models": ["deepseek-r1:1.5b"],
    "pull": True,
    "accelerator": "cpu",
    **DEFAULT_NAMES.to_serving(),
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
    value = _configmap_json(snapshot, DEFAULT_NAMES.serving_configmap, "config.json")
    if value is not None:
        return {**DEFAULT_SERVING, **value}, f"ConfigMap {DEFAULT_NAMES.serving_configmap}"
    return dict(DEFAULT_SERVING), "defaults"


@functools.lru_cache(maxsize=4)
def catalog_tags(path: str | None) -> tuple[str, ...]:
    """The model catalog's tags, which the fix of an unknown tag lists; read once per process and path."""
    try:
        return tuple(load_catalog(path).tags())
    except FileLoadError as exc:
        log.warning("cannot read the model catalog, so the unknown-tag fix names no tags: %s", exc.texts()["en"])
        return ()


def model_state(snapshot: Snapshot | None) -> dict[str, Any] | None:
    """The manager's progress record (ConfigMap deepseek-model-state, key state.json), or None."""
    return _configmap_json(snapshot, DEFAULT_NAMES.state_configmap, "state.json")


@dataclass(frozen=True)
class _Entry:
    observation: OllamaObservation
    at: float


Target = tuple[str, str]
"""(pod name, base URL) of one ollama server."""


class OllamaCache:
    """``/api/tags`` + ``/api/ps`` of every ollama server, shared by all requests of a worker process.

    The same discipline as ``adapters.kube.SnapshotCache``:

    * **Window that grows with the install**: an answer is kept for ``window(pods)`` =
      ``max(ttl, pods × per_pod)`` seconds (defaults: 3 s and 0.1 s, so 3 s up to 30 pods, 10 s at
      100 pods). A worker therefore makes at most ``2 × pods`` calls per window, which is at most
      ``2 / per_pod`` (20) calls a second however large the install is.
    * **Single flight**: one refresh at a time per worker, whatever the number of concurrent requests.
    * **Stale while revalidating**: the refresh runs in the background; requests that arrive meanwhile
      get the previous observation at once. Only a request with no observation at all for a pod (the
      first one after start, or a pod that just appeared) waits, and never longer than ``budget`` + 1 s.
    * **Bounded refresh**: the due servers are asked concurrently by a small pool (``max_workers``)
      with the short per-call timeout, so one hanging pod costs about one timeout, not one per pod.
      The whole refresh stops after ``budget`` (``2 × timeout + 1`` s): a pod still being asked then is
      recorded as slow, and one the pool never reached keeps its previous observation (it is asked
      first next time) or, having none, is recorded as not answered in time.

    Failures are observations, cached for the same window as answers, so a dead pod costs one
    timeout per window and becomes a finding (``OllamaUnreachable``/``OllamaSlow``) within
    ``window + budget`` seconds.
    """

    def __init__(
        self,
        *,
        ttl: float,
        timeout: float,
        per_pod: float = 0.1,
        observer: Callable[[str | None], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
        max_workers: int = 8,
    ) -> None:
        self.ttl, self.timeout, self.per_pod, self.observer, self._clock = ttl, timeout, per_pod, observer, clock
        self.budget = timeout * 2 + 1
        self._lock = threading.Lock()
        self._done = threading.Condition(self._lock)
        self._entries: dict[Target, _Entry] = {}
        self._refreshing = False
        self._pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="ollama-status")
        self._refresher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ollama-refresh")

    def window(self, pods: int) -> float:
        """Seconds an observation is reused with ``pods`` ollama servers to watch."""
        return max(self.ttl, pods * self.per_pod)

    def observe(self, targets: Sequence[Target], *, fresh: bool = False) -> list[OllamaObservation]:
        """The pods' observations: answers older than the window are served while one refresh runs.

        ``fresh=True`` waits (bounded) for that refresh instead: for the rarely called per-model
        view (GET models/<name>), where "what is there now" matters more than cost.
        """
        targets = list(targets)
        if not targets:
            return []
        deadline = time.monotonic() + self.budget + 1
        with self._lock:
            while True:
                now, window = self._clock(), self.window(len(targets))
                due = [t for t in targets if (e := self._entries.get(t)) is None or now - e.at >= window]
                if due and not self._refreshing:
                    self._start_refresh(targets, due)
                entries = [self._entries.get(t) for t in targets]
                if all(e is not None for e in entries) and not (fresh and due):
                    return [e.observation for e in entries if e is not None]
                left = deadline - time.monotonic()
                if left <= 0:
                    return [e.observation if e is not None else self._unanswered(t, self.budget + 1)
                            for t, e in zip(targets, entries, strict=True)]
                self._done.wait(timeout=left)

    def _start_refresh(self, targets: list[Target], due: list[Target]) -> None:
        """Called with the lock held: forget servers no longer listed, refresh the due ones (oldest first)."""
        current = set(targets)
        for gone in [t for t in self._entries if t not in current]:
            del self._entries[gone]
        due.sort(key=lambda t: self._entries[t].at if t in self._entries else float("-inf"))
        self._refreshing = True
        try:
            self._refresher.submit(self._refresh, due)
        except RuntimeError:  # interpreter shutting down: nothing will refresh; waiters give up at their deadline
            self._refreshing = False

    def _refresh(self, due: list[Target]) -> None:
        results: dict[Target, _Entry] = {}
        skipped: list[Target] = []
        at = self._clock()
        try:
            futures = {self._pool.submit(self._fetch, pod, url): (pod, url) for pod, url in due}
            done, pending = wait(futures, timeout=self.budget)
            at = self._clock()
            for future, target in futures.items():
                if future in done:
                    exc = future.exception()
                    if exc is not None:  # a bug, not an answer: one pod's observation, not the end of the refresh
                        log.error("ollama status call to %s failed unexpectedly: %r", target[1], exc)
                        observation = OllamaObservation(pod=target[0], url=target[1],
                                                        error=f"{type(exc).__name__}: {str(exc)[:200]}")
                    else:
                        observation = future.result()
                    results[target] = _Entry(observation, at)
                elif future.cancel():  # never asked: the pool was busy with slow pods until the budget ran out
                    skipped.append(target)
                else:  # still being asked: it is slow
                    results[target] = _Entry(self._unanswered(target, self.budget), at)
            if pending:
                log.warning("ollama status refresh: %d of %d pods gave no answer within %gs",
                            len(pending), len(due), self.budget)
        except Exception:  # never leave waiters hanging; the next request retries
            log.exception("ollama status refresh failed")
        finally:
            with self._lock:
                self._entries.update(results)
                for target in skipped:
                    if target not in self._entries:  # otherwise keep the previous answer, asked first next time
                        self._entries[target] = _Entry(self._unanswered(target, self.budget, asked=False), at)
                self._refreshing = False
                self._done.notify_all()

    @staticmethod
    def _unanswered(target: Target, seconds: float, *, asked: bool = True) -> OllamaObservation:
        pod, url = target
        if asked:
            error = f"ollama at {url} did not answer /api/tags and /api/ps within {seconds:g}s"
        else:
            error = f"ollama at {url} was not reached within {seconds:g}s: other ollama pods were too slow"
        return OllamaObservation(pod=pod, url=url, timeout=True, error=error)

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
    object_names = ObjectNames.from_serving(config)
    port = int(config.get("ollamaAdminPort") or object_names.ollama_port)  # the gateway's admin port
    targets = []
    for pod in pods or ():
        ip = (pod.get("status") or {}).get("podIP")
        if ip and labels_match(object_names.ollama_selector, pod) and is_ready_not_terminating(pod):
            targets.append(((pod.get("metadata") or {}).get("name", ip), f"http://{ip}:{port}"))
    return targets


@dataclass(frozen=True)
class _Built:
    """One report and everything it was built from (compared by identity: the caches hand out the
    same snapshot and observation objects until they refresh)."""

    settings: Settings
    snapshot: Snapshot
    config: dict[str, Any]
    source: str
    targets: list[tuple[str, str]]
    observations: list[OllamaObservation]
    report: dict[str, Any]

    def same_inputs(self, settings: Settings, snapshot: Snapshot, config: dict[str, Any], source: str) -> bool:
        return (settings is self.settings and snapshot is self.snapshot
                and source == self.source and config == self.config)


class _LastReport:
    """The last report of this worker: polls between two cache refreshes reuse it instead of running
    the rules again (at 100 pods that is most of a request's CPU). ``checkedAt`` is then the time the
    rules last ran on new evidence, at most one cache window ago."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._built: _Built | None = None

    def get(self) -> _Built | None:
        with self._lock:
            return self._built

    def put(self, built: _Built) -> None:
        with self._lock:
            self._built = built


_LAST_REPORT = _LastReport()


def get_status(*, settings: Settings, kube: Kube, ollama: OllamaCache) -> dict[str, Any]:
    """The report of docs/architecture.md; raises NotConfigured/ClusterUnavailable only without any client."""
    snapshot = kube.snapshot()
    config, source = serving_config(settings, snapshot)
    last = _LAST_REPORT.get()
    if last is not None and last.same_inputs(settings, snapshot, config, source):
        targets = last.targets
    else:
        last, targets = None, ollama_targets(settings, config, snapshot.get("pods"))
    observations = ollama.observe(targets)
    if last is not None and len(observations) == len(last.observations) and all(
        a is b for a, b in zip(observations, last.observations, strict=True)
    ):
        return dict(last.report)  # a copy: the API adds "language" to the answer
    errors = {
        resource: KubeFailure(exc.code, exc.message, timeout=bool(getattr(exc, "timeout", False)))
        for resource, exc in snapshot.errors.items()
    }
    inputs = Inputs(
        config=config,
        namespace=settings.cluster.namespace,
        pods=snapshot.get("pods"),
        events=snapshot.get("events"),
        pvcs=snapshot.get("persistentvolumeclaims"),
        deployments=snapshot.get("deployments"),
        replicasets=snapshot.get("replicasets"),
        ingresses=snapshot.get("ingresses"),
        nodes=snapshot.get("nodes"),
        storage_classes=snapshot.get("storageclasses"),
        state=model_state(snapshot),
        observations=observations,
        kube_errors=errors,
        now=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        config_source=source,
        catalog_tags=catalog_tags(settings.api.catalog_file),
    )
    report = build_report(inputs).to_dict(load_messages())
    _LAST_REPORT.put(_Built(settings, snapshot, config, source, targets, observations, report))
    return dict(report)


__all__ = [
    "KubeError",
    "OllamaCache",
    "catalog_tags",
    "get_status",
    "model_state",
    "ollama_targets",
    "serving_config",
]
