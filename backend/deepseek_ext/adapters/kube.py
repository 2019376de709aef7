"""The Kubernetes adapter: the official client, our typed errors, and one shared short-TTL snapshot.

Reads return plain JSON dicts (``_preload_content=False``): the pure status and validation rules
work on the same shapes ``kubectl get -o json`` shows, and we skip the client's model round trip.

Cost under polling: every open console tab polls ``GET status``. ``SnapshotCache`` shares one
snapshot of the few lists status needs between all requests of a worker process for
``cluster.cache_ttl_seconds`` (5 s), and lets only one request refresh it while the others wait
for that refresh (single flight). So one worker makes at most ``SNAPSHOT_CALLS`` API
calls per TTL window whatever the number of concurrent requests; with W gunicorn workers the
bound is ``W × SNAPSHOT_CALLS`` per window (docs/api.md, tested in tests/api/test_load.py).
A watch-backed cache would cost fewer calls on a busy cluster but keeps W long-lived watches per
resource open even when nobody looks; the console polls only while a page is open, so TTL wins.

Failures are data, not exceptions, inside a snapshot: each resource carries its items or the
``KubeError`` that stopped it, so status can answer fast with "the API is down/slow/forbidden"
as a finding. A failed refresh is cached for the same TTL, so a dead API server costs one
timeout per window instead of one per request.
"""

from __future__ import annotations

import builtins
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from deepseek_ext.core.objects import DEFAULT_NAMES
from deepseek_ext.settings import ClusterSettings

log = logging.getLogger(__name__)


class KubeError(Exception):
    """Base of every error of this adapter. ``message`` is English, for logs and evidence."""

    code = "KubernetesError"
    http_status = 502

    def __init__(self, message: str, *, resource: str = "", status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.resource = resource
        self.status = status


class NotFound(KubeError):
    code = "NotFound"
    http_status = 404


class Forbidden(KubeError):
    """401/403: the service account lacks a permission (the chart's Role is the fix)."""

    code = "KubernetesForbidden"
    http_status = 502


class ClusterUnavailable(KubeError):
    """No usable answer: refused, timed out, 5xx/429, or not JSON. ``timeout`` tells slow from down."""

    code = "ClusterUnavailable"
    http_status = 503

    def __init__(self, message: str, *, resource: str = "", status: int | None = None, timeout: bool = False) -> None:
        super().__init__(message, resource=resource, status=status)
        self.timeout = timeout


class NotConfigured(ClusterUnavailable):
    """Standalone mode: no kubeconfig and not in a pod. Cluster endpoints answer 503 with how to connect."""

    code = "ClusterNotConfigured"


# resource -> (API class name, list method, read method or None, namespaced)
_RESOURCES: dict[str, tuple[str, str, str | None, bool]] = {
    "pods": ("CoreV1Api", "list_namespaced_pod", "read_namespaced_pod", True),
    "events": ("CoreV1Api", "list_namespaced_event", None, True),
    "persistentvolumeclaims": (
        "CoreV1Api",
        "list_namespaced_persistent_volume_claim",
        "read_namespaced_persistent_volume_claim",
        True,
    ),
    "services": ("CoreV1Api", "list_namespaced_service", "read_namespaced_service", True),
    "endpoints": ("CoreV1Api", "list_namespaced_endpoints", "read_namespaced_endpoints", True),
    "configmaps": ("CoreV1Api", "list_namespaced_config_map", "read_namespaced_config_map", True),
    "deployments": ("AppsV1Api", "list_namespaced_deployment", "read_namespaced_deployment", True),
    "replicasets": ("AppsV1Api", "list_namespaced_replica_set", None, True),
    "ingresses": ("NetworkingV1Api", "list_namespaced_ingress", "read_namespaced_ingress", True),
    "nodes": ("CoreV1Api", "list_node", "read_node", False),
    "storageclasses": ("StorageV1Api", "list_storage_class", "read_storage_class", False),
}

STATUS_RESOURCES: tuple[str, ...] = (
    "pods",
    "events",
    "persistentvolumeclaims",
    "deployments",
    "replicasets",
    "ingresses",
    "configmaps",
    "nodes",
    "storageclasses",
)
"""One API call each per snapshot, except the resources of NAMED_RESOURCES (one ``get`` per name);
replicasets tells the current revision's pods from a rollout's finished leftovers."""

NAMED_CONFIGMAPS: tuple[str, ...] = (DEFAULT_NAMES.serving_configmap, DEFAULT_NAMES.state_configmap)
"""The only ConfigMaps the API and the manager read, each by name. The Role grants ``get`` on these
names alone and no ``list``: KubeSphere's helm executor keeps a kubeconfig with a cluster-admin token
in a ConfigMap of the extension namespace (ks-core ``pkg/controller/extension/executor.go``), so a
namespace-wide list would make code execution in the API pod cluster-admin (issue 15)."""
NAMED_RESOURCES: Mapping[str, tuple[str, ...]] = {"configmaps": NAMED_CONFIGMAPS}
"""Snapshot resources read object by object (``get``; a missing one is simply absent), not listed."""
SNAPSHOT_CALLS = len(STATUS_RESOURCES) - len(NAMED_RESOURCES) + sum(len(n) for n in NAMED_RESOURCES.values())
"""Kubernetes API calls one snapshot costs."""

VALIDATION_RESOURCES: tuple[str, ...] = ("persistentvolumeclaims", "nodes", "storageclasses")
"""What the live checks of config/validate need (served from the same shared snapshot)."""


def _translate(exc: BaseException, resource: str) -> KubeError:
    """ApiException / urllib3 errors -> our typed errors (never leak a transport traceback)."""
    from kubernetes.client.exceptions import ApiException
    from urllib3.exceptions import HTTPError, NewConnectionError, ReadTimeoutError
    from urllib3.exceptions import TimeoutError as Urllib3Timeout

    if isinstance(exc, KubeError):
        return exc
    if isinstance(exc, ApiException):
        status = exc.status or 0
        reason = _status_message(exc) or exc.reason or f"HTTP {status}"
        if status == 404:
            return NotFound(f"{resource}: {reason}", resource=resource, status=status)
        if status in (401, 403):
            return Forbidden(f"{resource}: HTTP {status} {reason}", resource=resource, status=status)
        return ClusterUnavailable(f"{resource}: HTTP {status} {reason}", resource=resource, status=status)
    # urllib3's NewConnectionError subclasses ConnectTimeoutError: a refused connection is "down", not "slow".
    if isinstance(exc, (NewConnectionError, ConnectionRefusedError)):
        return ClusterUnavailable(
            f"{resource}: cannot reach the Kubernetes API ({type(exc).__name__}: {str(exc)[:200]})",
            resource=resource,
        )
    if isinstance(exc, (ReadTimeoutError, Urllib3Timeout, TimeoutError)):
        return ClusterUnavailable(
            f"{resource}: the Kubernetes API did not answer in time ({exc})", resource=resource, timeout=True
        )
    if isinstance(exc, (HTTPError, OSError)):
        return ClusterUnavailable(
            f"{resource}: cannot reach the Kubernetes API ({type(exc).__name__}: {str(exc)[:200]})",
            resource=resource,
        )
    if isinstance(exc, ValueError):
        return ClusterUnavailable(
            f"{resource}: the Kubernetes API answered something that is not JSON", resource=resource
        )
    return ClusterUnavailable(f"{resource}: {type(exc).__name__}: {str(exc)[:200]}", resource=resource)


def _status_message(exc: Any) -> str:
    try:
        return str(json.loads(exc.body or b"{}").get("message") or "")
    except (ValueError, AttributeError):
        return ""


class KubeClient:
    """Task-shaped reads (and the few writes the manager needs) in one namespace, as JSON dicts."""

    def __init__(self, settings: ClusterSettings, api_client: Any = None) -> None:
        self.settings = settings
        self.namespace = settings.namespace
        self._api_client = api_client if api_client is not None else _build_api_client(settings)
        self._apis: dict[str, Any] = {}
        self.observer: Callable[[str | None], None] | None = None
        """Called after every API call with None or the error code (the API counts them for /metrics)."""

    def _api(self, name: str) -> Any:
        if name not in self._apis:
            from kubernetes import client

            self._apis[name] = getattr(client, name)(self._api_client)
        return self._apis[name]

    @property
    def _timeout(self) -> tuple[float, float]:
        t = self.settings.request_timeout_seconds
        return (t, t)

    def _call(self, resource: str, method_name: str, *args: Any, **kwargs: Any) -> Any:
        api_name = _RESOURCES[resource][0] if resource in _RESOURCES else "CoreV1Api"
        method = getattr(self._api(api_name), method_name)
        try:
            response = method(*args, _preload_content=False, _request_timeout=self._timeout, **kwargs)
            data = response.data if hasattr(response, "data") else response.read()
            result = json.loads(data or b"{}")
        except Exception as exc:  # translated: callers only ever see KubeError
            error = _translate(exc, resource)
            self._observe(error.code)
            raise error from exc
        self._observe(None)
        return result

    def _observe(self, error: str | None) -> None:
        if self.observer is not None:
            self.observer(error)

    def list(self, resource: str, *, label_selector: str | None = None) -> list[dict[str, Any]]:
        _api_name, list_method, _, namespaced = _RESOURCES[resource]
        args = (self.namespace,) if namespaced else ()
        kwargs = {"label_selector": label_selector} if label_selector else {}
        return list(self._call(resource, list_method, *args, **kwargs).get("items") or [])

    def get(self, resource: str, name: str) -> dict[str, Any]:
        _, _, read_method, namespaced = _RESOURCES[resource]
        if read_method is None:
            raise ValueError(f"{resource} has no single-object read here")
        args = (name, self.namespace) if namespaced else (name,)
        return dict(self._call(resource, read_method, *args))

    def get_named(self, resource: str, names: Iterable[str]) -> builtins.list[dict[str, Any]]:
        """The objects of ``names`` that exist, one ``get`` each (for Roles limited by resourceNames)."""
        found: builtins.list[dict[str, Any]] = []  # `list` is the method above inside this class
        for name in names:
            try:
                found.append(self.get(resource, name))
            except NotFound:
                continue
        return found

    # --- writes used by the model manager (ConfigMap deepseek-model-state, Events) ------------
    def create_configmap(self, body: Mapping[str, Any]) -> dict[str, Any]:
        return dict(self._call("configmaps", "create_namespaced_config_map", self.namespace, dict(body)))

    def patch_configmap(self, name: str, patch: Mapping[str, Any]) -> dict[str, Any]:
        return dict(self._call("configmaps", "patch_namespaced_config_map", name, self.namespace, dict(patch)))

    def create_event(self, body: Mapping[str, Any]) -> dict[str, Any]:
        return dict(self._call("events", "create_namespaced_event", self.namespace, dict(body)))


def _build_api_client(settings: ClusterSettings) -> Any:
    from kubernetes import client, config

    cfg = client.Configuration()
    try:
        if settings.in_cluster:
            config.load_incluster_config(client_configuration=cfg)  # type: ignore[no-untyped-call]
        elif settings.kubeconfig:
            config.load_kube_config(  # type: ignore[no-untyped-call]
                config_file=settings.kubeconfig, client_configuration=cfg)
        else:
            raise NotConfigured("no kubeconfig")
    except NotConfigured:
        raise
    except Exception as exc:  # a broken kubeconfig is a clear 503, not a crash at start-up
        raise ClusterUnavailable(
            f"cannot load the Kubernetes configuration "
            f"({settings.kubeconfig_source}): {type(exc).__name__}: {str(exc)[:200]}"
        ) from exc
    # Fail fast: no urllib3 retry storms behind a console poll; the cache retries next window.
    cfg.retries = False
    # One connection per concurrent snapshot fetch (STATUS_RESOURCES are listed in parallel).
    cfg.connection_pool_maxsize = max(SNAPSHOT_CALLS, 4)
    return client.ApiClient(cfg)


@dataclass(frozen=True)
class Snapshot:
    """Lists of several resources taken together; a resource holds either items or an error."""

    items: Mapping[str, list[dict[str, Any]]] = field(default_factory=dict)
    errors: Mapping[str, KubeError] = field(default_factory=dict)
    taken_at: float = 0.0
    """``time.time()`` when the refresh started."""
    seconds: float = 0.0
    """How long the refresh took."""

    def get(self, resource: str) -> list[dict[str, Any]] | None:
        """Items of ``resource``, or None when it could not be read (see ``errors``)."""
        return self.items.get(resource)


class SnapshotCache:
    """Share snapshots between requests for ``ttl`` seconds, with one refresh at a time (single flight)."""

    def __init__(
        self,
        client: KubeClient,
        *,
        ttl: float,
        resources: Iterable[str] = STATUS_RESOURCES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.ttl = ttl
        self.resources = tuple(resources)
        self._clock = clock
        self._lock = threading.Lock()
        self._done = threading.Condition(self._lock)
        self._snapshot: Snapshot | None = None
        self._fetched_at = float("-inf")
        self._refreshing = False
        self._pool = ThreadPoolExecutor(max_workers=SNAPSHOT_CALLS, thread_name_prefix="kube-snapshot")

    def get(self) -> Snapshot:
        patience = self.client.settings.request_timeout_seconds * 2 + 1
        deadline = time.monotonic() + patience
        with self._lock:
            while True:
                if self._snapshot is not None and self._clock() - self._fetched_at < self.ttl:
                    return self._snapshot
                if not self._refreshing:
                    self._refreshing = True
                    break
                if self._snapshot is not None:
                    # Stale while revalidating: a slow API server must not slow every poll down.
                    return self._snapshot
                # Another request is refreshing: wait for it instead of calling the API again, but
                # never longer than two timeouts (a server that trickles bytes defeats read timeouts).
                left = deadline - time.monotonic()
                if left <= 0:
                    error = ClusterUnavailable(f"the Kubernetes API did not answer within {patience:g}s", timeout=True)
                    return Snapshot(errors={r: error for r in self.resources}, taken_at=time.time())
                self._done.wait(timeout=left)
        try:
            snapshot = self._fetch()
        finally:
            with self._lock:
                self._refreshing = False
                self._done.notify_all()
        with self._lock:
            self._snapshot, self._fetched_at = snapshot, self._clock()
        return snapshot

    def invalidate(self) -> None:
        with self._lock:
            self._fetched_at = float("-inf")

    def _fetch(self) -> Snapshot:
        started, wall = time.monotonic(), time.time()
        # One task per call, all in parallel: a named resource is one `get` per name.
        lists = {r: self._pool.submit(self.client.list, r) for r in self.resources if r not in NAMED_RESOURCES}
        gets = {r: [self._pool.submit(self.client.get_named, r, (name,)) for name in NAMED_RESOURCES[r]]
                for r in self.resources if r in NAMED_RESOURCES}
        items: dict[str, list[dict[str, Any]]] = {}
        errors: dict[str, KubeError] = {}
        for resource, future in lists.items():
            try:
                items[resource] = future.result()
            except KubeError as exc:
                errors[resource] = exc
        for resource, futures in gets.items():
            try:
                items[resource] = [obj for f in futures for obj in f.result()]
            except KubeError as exc:
                errors[resource] = exc
        if errors:
            log.warning("kubernetes snapshot incomplete: %s", "; ".join(e.message for e in errors.values()))
        return Snapshot(items=items, errors=errors, taken_at=wall, seconds=time.monotonic() - started)


@dataclass
class Kube:
    """``app.extensions["deepseek_kube"]``: the client and its shared cache, or why there is none."""

    client: KubeClient | None
    cache: SnapshotCache | None
    unavailable: KubeError | None = None

    def snapshot(self) -> Snapshot:
        """The shared snapshot; raises NotConfigured/ClusterUnavailable when there is no client at all."""
        if self.cache is None:
            raise self.unavailable or NotConfigured("no kubeconfig")
        return self.cache.get()

    def require_client(self) -> KubeClient:
        """The client; raises NotConfigured (standalone) or why the kubeconfig cannot be used."""
        if self.client is None:
            raise self.unavailable or NotConfigured("no kubeconfig")
        return self.client


def connect(settings: ClusterSettings) -> Kube:
    """Build the client once per process; standalone or a broken kubeconfig gives a Kube without client."""
    if settings.kubeconfig_source is None:
        return Kube(client=None, cache=None, unavailable=NotConfigured("no kubeconfig"))
    try:
        kube_client = KubeClient(settings)
    except KubeError as exc:
        log.error("Kubernetes API not usable: %s", exc.message)
        return Kube(client=None, cache=None, unavailable=exc)
    return Kube(client=kube_client, cache=SnapshotCache(kube_client, ttl=settings.cache_ttl_seconds))


def init_app(app: Any) -> None:
    """Attach the shared Kube to a Flask app (one per worker process; gunicorn forks after import)."""
    kube = app.extensions["deepseek_kube"] = connect(app.config["SETTINGS"].cluster)
    if kube.cache is not None and not app.config.get("TESTING"):
        # Fill the cache in the background: the client's first call builds its models (about a
        # second), which should not land on the first console poll after a start.
        threading.Thread(target=_warm_up, args=(kube.cache,), name="kube-warm-up", daemon=True).start()


def _warm_up(cache: SnapshotCache) -> None:
    try:
        cache.get()
    except Exception as exc:  # best effort: the next request retries and reports the problem
        log.warning("Kubernetes warm-up failed: %s", exc)


def get_kube(app: Any) -> Kube:
    return app.extensions["deepseek_kube"]  # type: ignore[no-any-return]
