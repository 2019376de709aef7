"""A loopback Kubernetes API double that the official client (and curl) can talk to.

Why our own and not kmock: the API, the manager, the browser test and the fault/bench scripts all
need the same double from a plain thread *or* a separate process, with request counting and fault
injection (500, 403, hangs) that work the same way in both; kmock lives on a pytest event loop.
This double speaks just enough of the real protocol: typed REST paths for the core and group APIs,
GET (get/list with label and field selectors), POST, PUT, PATCH (merge, strategic treated as merge,
JSON patch), DELETE, ``Status`` error bodies, resourceVersion, ``/version``. No watch: the adapter
uses a short shared cache, not watches (docs/api.md says why).

Use in a thread::

    with KubeDouble(objects) as kube:          # objects: rendered chart objects + scenario pods/events
        kube.write_kubeconfig(path, namespace="extension-deepseek")
        ...
        kube.count(method="GET")               # Kubernetes API requests seen

or as a process: ``python -m tests.doubles.kube --seed objects.yaml --port 0`` prints its URL on the
first line of stdout. The admin endpoints ``GET /_double/stats``, ``POST /_double/reset-stats`` and
``POST /_double/fault`` (JSON ``{"status": 500, "delay": 0, "path": "pods", "times": null}``) work
in both modes and are never counted.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
import threading
import time
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jsonpatch
import yaml

# kind -> (api prefix, plural, namespaced). Unknown kinds fall back to lower-case plural + "s".
KINDS: dict[str, tuple[str, str, bool]] = {
    "Pod": ("api/v1", "pods", True),
    "Event": ("api/v1", "events", True),
    "PersistentVolumeClaim": ("api/v1", "persistentvolumeclaims", True),
    "PersistentVolume": ("api/v1", "persistentvolumes", False),
    "Service": ("api/v1", "services", True),
    "Endpoints": ("api/v1", "endpoints", True),
    "ConfigMap": ("api/v1", "configmaps", True),
    "Secret": ("api/v1", "secrets", True),
    "ServiceAccount": ("api/v1", "serviceaccounts", True),
    "Node": ("api/v1", "nodes", False),
    "Namespace": ("api/v1", "namespaces", False),
    "Deployment": ("apis/apps/v1", "deployments", True),
    "ReplicaSet": ("apis/apps/v1", "replicasets", True),
    "StatefulSet": ("apis/apps/v1", "statefulsets", True),
    "Ingress": ("apis/networking.k8s.io/v1", "ingresses", True),
    "NetworkPolicy": ("apis/networking.k8s.io/v1", "networkpolicies", True),
    "StorageClass": ("apis/storage.k8s.io/v1", "storageclasses", False),
    "Lease": ("apis/coordination.k8s.io/v1", "leases", True),
    "Role": ("apis/rbac.authorization.k8s.io/v1", "roles", True),
    "RoleBinding": ("apis/rbac.authorization.k8s.io/v1", "rolebindings", True),
    "ClusterRole": ("apis/rbac.authorization.k8s.io/v1", "clusterroles", False),
    "ClusterRoleBinding": ("apis/rbac.authorization.k8s.io/v1", "clusterrolebindings", False),
    "HorizontalPodAutoscaler": ("apis/autoscaling/v2", "horizontalpodautoscalers", True),
}
# KubeSphere custom resources are cluster-scoped.
_CLUSTER_SCOPED_GROUPS = ("extensions.kubesphere.io", "iam.kubesphere.io", "kubesphere.io")

_PATH = re.compile(
    r"^/(?P<prefix>api/v1|apis/[^/]+/[^/]+)"
    r"(?:/namespaces/(?P<ns>[^/]+))?/(?P<plural>[^/]+)(?:/(?P<name>[^/]+))?(?:/(?P<sub>status))?/?$"
)


def kind_info(obj: Mapping[str, Any]) -> tuple[str, str, bool]:
    kind = obj["kind"]
    if kind in KINDS:
        return KINDS[kind]
    api_version = obj.get("apiVersion", "v1")
    prefix = "api/v1" if api_version == "v1" else f"apis/{api_version}"
    namespaced = not api_version.split("/")[0].endswith(_CLUSTER_SCOPED_GROUPS)
    return prefix, kind.lower() + "s", namespaced


def now_rfc3339() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _selector_matches(selector: str, labels: Mapping[str, str]) -> bool:
    """Equality/set-based label selectors (a=b, a==b, a!=b, a, !a, a in (x,y), a notin (x,y))."""
    if not selector:
        return True
    for term in re.split(r",(?![^()]*\))", selector):
        term = term.strip()
        if m := re.fullmatch(r"([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)", term):
            key, op, values = m.group(1), m.group(2), {v.strip() for v in m.group(3).split(",")}
            if (labels.get(key) in values) != (op == "in"):
                return False
        elif "!=" in term:
            key, value = term.split("!=", 1)
            if labels.get(key.strip()) == value.strip():
                return False
        elif "=" in term:
            key, value = re.split(r"==?", term, maxsplit=1)
            if labels.get(key.strip()) != value.strip():
                return False
        elif term.startswith("!"):
            if term[1:] in labels:
                return False
        elif term not in labels:
            return False
    return True


def _field(obj: Mapping[str, Any], path: str) -> Any:
    value: Any = obj
    for part in path.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


def _fields_match(selector: str, obj: Mapping[str, Any]) -> bool:
    for term in filter(None, (t.strip() for t in selector.split(","))):
        negate = "!=" in term
        key, value = re.split(r"!=|==?", term, maxsplit=1)
        if (str(_field(obj, key.strip()) or "") == value.strip()) == negate:
            return False
    return True


def _merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386 JSON merge patch."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = _merge_patch(result.get(key), value)
    return result


@dataclass
class Fault:
    """Answer matching requests with ``status`` (0 = answer normally) after ``delay`` seconds."""

    status: int = 500
    delay: float = 0.0
    path: str = ""
    """Substring of the request path the fault applies to ("" = every request)."""
    times: int | None = None
    """How many requests it applies to (None = until cleared)."""


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]] = field(default_factory=dict)
    user_agent: str = ""


class KubeDouble:
    """In-memory object store served over HTTP on 127.0.0.1."""

    def __init__(
        self,
        objects: Iterable[Mapping[str, Any]] = (),
        *,
        namespace: str = "extension-deepseek",
        version: str = "v1.32.4",
    ) -> None:
        self.namespace = namespace
        self.version = version
        self._lock = threading.RLock()
        self._store: dict[tuple[str, str, str, str], dict[str, Any]] = {}
        self._rv = 1000
        self.requests: list[Request] = []
        self.faults: list[Fault] = []
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        for obj in objects:
            self.put(obj)

    # ----- store -------------------------------------------------------------------------------
    def _key(self, obj: Mapping[str, Any]) -> tuple[str, str, str, str]:
        prefix, plural, namespaced = kind_info(obj)
        ns = (obj["metadata"].get("namespace") or self.namespace) if namespaced else ""
        return prefix, plural, ns, obj["metadata"]["name"]

    def _stamp(self, obj: dict[str, Any], key: tuple[str, str, str, str]) -> dict[str, Any]:
        self._rv += 1
        meta = obj.setdefault("metadata", {})
        if key[2]:
            meta["namespace"] = key[2]
        meta.setdefault("uid", str(uuid.uuid4()))
        meta.setdefault("creationTimestamp", now_rfc3339())
        meta["resourceVersion"] = str(self._rv)
        return obj

    def put(self, obj: Mapping[str, Any]) -> dict[str, Any]:
        """Create or replace an object (test seeding; not counted as a request)."""
        with self._lock:
            key = self._key(obj)
            stored = self._stamp(copy.deepcopy(dict(obj)), key)
            self._store[key] = stored
            return copy.deepcopy(stored)

    def get(self, kind: str, name: str, namespace: str | None = None) -> dict[str, Any] | None:
        with self._lock:
            key = self._key(
                {"kind": kind, "apiVersion": "v1", "metadata": {"name": name, "namespace": namespace}}
            )
            found = self._store.get(key)
            return copy.deepcopy(found) if found else None

    def delete(self, kind: str, name: str, namespace: str | None = None) -> None:
        with self._lock:
            key = self._key(
                {"kind": kind, "apiVersion": "v1", "metadata": {"name": name, "namespace": namespace}}
            )
            self._store.pop(key, None)

    def reset(self, objects: Iterable[Mapping[str, Any]]) -> None:
        """Replace every object (a test scenario starting from a known state); requests are kept."""
        with self._lock:
            self._store.clear()
            for obj in objects:
                self.put(obj)

    def objects(self, kind: str | None = None) -> list[dict[str, Any]]:
        with self._lock:
            return [copy.deepcopy(o) for o in self._store.values() if kind is None or o.get("kind") == kind]

    # ----- requests and faults -----------------------------------------------------------------
    def count(self, *, method: str | None = None, path: str | None = None) -> int:
        with self._lock:
            return sum(
                1
                for r in self.requests
                if (method is None or r.method == method) and (path is None or path in r.path)
            )

    def reset_stats(self) -> None:
        with self._lock:
            self.requests.clear()

    def fault(
        self, status: int = 500, *, delay: float = 0.0, path: str = "", times: int | None = None
    ) -> Fault:
        f = Fault(status=status, delay=delay, path=path, times=times)
        with self._lock:
            self.faults.append(f)
        return f

    def clear_faults(self) -> None:
        with self._lock:
            self.faults.clear()

    def _take_fault(self, path: str) -> Fault | None:
        with self._lock:
            for f in self.faults:
                if f.path in path and (f.times is None or f.times > 0):
                    if f.times is not None:
                        f.times -= 1
                    return f
        return None

    # ----- HTTP --------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        assert self._server is not None, "start() the double first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self, port: int = 0) -> str:
        double = self

        class Handler(_Handler):
            kube = double

        self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="kube-double", daemon=True)
        self._thread.start()
        return self.url

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> KubeDouble:
        if self._server is None:
            self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def write_kubeconfig(self, path: Path | str, *, namespace: str | None = None) -> Path:
        path = Path(path)
        config = {
            "apiVersion": "v1",
            "kind": "Config",
            "current-context": "double",
            "clusters": [{"name": "double", "cluster": {"server": self.url}}],
            "users": [{"name": "double", "user": {"token": "double-token"}}],
            "contexts": [
                {
                    "name": "double",
                    "context": {
                        "cluster": "double",
                        "user": "double",
                        "namespace": namespace or self.namespace,
                    },
                }
            ],
        }
        path.write_text(yaml.safe_dump(config))
        return path

    # ----- request handling (called by the handler) -------------------------------------------
    def handle(self, method: str, raw_path: str, body: bytes, headers: Mapping[str, str]) -> tuple[int, Any]:
        parts = urlsplit(raw_path)
        path, query = parts.path, parse_qs(parts.query)
        if path.startswith("/_double/"):
            return self._admin(method, path, body)
        with self._lock:
            self.requests.append(Request(method, path, query, headers.get("User-Agent", "")))
        fault = self._take_fault(path)
        if fault is not None:
            if fault.delay:
                time.sleep(fault.delay)
            if fault.status:
                return fault.status, _status(fault.status, "InjectedFault", f"injected fault {fault.status}")
        if path.rstrip("/") == "/version":
            major, minor = self.version.lstrip("v").split(".")[:2]
            return 200, {
                "major": major,
                "minor": minor,
                "gitVersion": self.version,
                "platform": "linux/amd64",
            }
        m = _PATH.match(path)
        if not m:
            return 404, _status(404, "NotFound", f"the server could not find the requested resource ({path})")
        prefix, ns, plural, name = m.group("prefix"), m.group("ns") or "", m.group("plural"), m.group("name")
        if plural == "namespaces" and name is None and ns:
            # /api/v1/namespaces/<ns> is a get of the Namespace object itself
            plural, name, ns = "namespaces", ns, ""
        with self._lock:
            if method == "GET" and name is None:
                return 200, self._list(prefix, plural, ns, query)
            if method == "GET":
                return self._get(prefix, plural, ns, name)
            payload = json.loads(body or b"{}")
            if method == "POST" and name is None:
                return self._create(prefix, plural, ns, payload)
            if method == "PUT" and name:
                return self._replace(prefix, plural, ns, name, payload)
            if method == "PATCH" and name:
                return self._patch(prefix, plural, ns, name, payload, headers.get("Content-Type", ""))
            if method == "DELETE" and name:
                return self._delete(prefix, plural, ns, name)
        return 405, _status(405, "MethodNotAllowed", f"{method} is not supported on {path}")

    def _list(self, prefix: str, plural: str, ns: str, query: Mapping[str, list[str]]) -> dict[str, Any]:
        labels = (query.get("labelSelector") or [""])[0]
        fields = (query.get("fieldSelector") or [""])[0]
        items = [
            copy.deepcopy(o)
            for (p, pl, n, _), o in sorted(self._store.items())
            if p == prefix
            and pl == plural
            and (not ns or n == ns)
            and _selector_matches(labels, o["metadata"].get("labels") or {})
            and _fields_match(fields, o)
        ]
        kind = (
            items[0]["kind"]
            if items
            else next(
                (k for k, (p, pl, _) in KINDS.items() if p == prefix and pl == plural), plural.capitalize()
            )
        )
        return {
            "kind": f"{kind}List",
            "apiVersion": prefix.split("/", 1)[1] if prefix != "api/v1" else "v1",
            "metadata": {"resourceVersion": str(self._rv)},
            "items": items,
        }

    def _get(self, prefix: str, plural: str, ns: str, name: str) -> tuple[int, Any]:
        obj = self._store.get((prefix, plural, ns, name))
        if obj is None:
            return 404, _status(404, "NotFound", f'{plural} "{name}" not found')
        return 200, copy.deepcopy(obj)

    def _create(self, prefix: str, plural: str, ns: str, payload: dict[str, Any]) -> tuple[int, Any]:
        name = (payload.get("metadata") or {}).get("name")
        if not name:
            return 422, _status(422, "Invalid", "metadata.name: Required value")
        key = (prefix, plural, ns, name)
        if key in self._store:
            return 409, _status(409, "AlreadyExists", f'{plural} "{name}" already exists')
        self._store[key] = self._stamp(payload, key)
        return 201, copy.deepcopy(self._store[key])

    def _replace(
        self, prefix: str, plural: str, ns: str, name: str, payload: dict[str, Any]
    ) -> tuple[int, Any]:
        key = (prefix, plural, ns, name)
        current = self._store.get(key)
        if current is None:
            return 404, _status(404, "NotFound", f'{plural} "{name}" not found')
        sent_rv = (payload.get("metadata") or {}).get("resourceVersion")
        if sent_rv and sent_rv != current["metadata"]["resourceVersion"]:
            return 409, _status(
                409,
                "Conflict",
                f'Operation cannot be fulfilled on {plural} "{name}": '
                "the object has been modified; please apply your changes to the latest version",
            )
        payload.setdefault("metadata", {})["uid"] = current["metadata"].get("uid")
        payload["metadata"]["creationTimestamp"] = current["metadata"].get("creationTimestamp")
        self._store[key] = self._stamp(payload, key)
        return 200, copy.deepcopy(self._store[key])

    def _patch(
        self, prefix: str, plural: str, ns: str, name: str, payload: Any, content_type: str
    ) -> tuple[int, Any]:
        key = (prefix, plural, ns, name)
        current = self._store.get(key)
        if current is None:
            return 404, _status(404, "NotFound", f'{plural} "{name}" not found')
        if "json-patch" in content_type:
            try:
                patched = jsonpatch.apply_patch(current, payload)
            except (jsonpatch.JsonPatchException, jsonpatch.JsonPointerException) as exc:
                return 422, _status(422, "Invalid", str(exc))
        else:
            patched = _merge_patch(current, payload)
        self._store[key] = self._stamp(patched, key)
        return 200, copy.deepcopy(self._store[key])

    def _delete(self, prefix: str, plural: str, ns: str, name: str) -> tuple[int, Any]:
        obj = self._store.pop((prefix, plural, ns, name), None)
        if obj is None:
            return 404, _status(404, "NotFound", f'{plural} "{name}" not found')
        return 200, obj

    def _admin(self, method: str, path: str, body: bytes) -> tuple[int, Any]:
        if path == "/_double/stats":
            with self._lock:
                by_path: dict[str, int] = {}
                for r in self.requests:
                    by_path[f"{r.method} {r.path}"] = by_path.get(f"{r.method} {r.path}", 0) + 1
                return 200, {"requests": len(self.requests), "byPath": by_path}
        if path == "/_double/reset-stats" and method == "POST":
            self.reset_stats()
            return 200, {"requests": 0}
        if path == "/_double/fault" and method == "POST":
            spec = json.loads(body or b"{}")
            if spec.get("clear"):
                self.clear_faults()
                return 200, {"faults": 0}
            self.fault(
                int(spec.get("status", 500)),
                delay=float(spec.get("delay", 0)),
                path=str(spec.get("path", "")),
                times=spec.get("times"),
            )
            return 200, {"faults": len(self.faults)}
        if path == "/_double/objects" and method == "POST":
            for obj in json.loads(body or b"[]"):
                self.put(obj)
            return 200, {"objects": len(self._store)}
        return 404, _status(404, "NotFound", path)


def _status(code: int, reason: str, message: str) -> dict[str, Any]:
    return {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
        "reason": reason,
        "code": code,
    }


class _Handler(BaseHTTPRequestHandler):
    kube: KubeDouble
    protocol_version = "HTTP/1.1"

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        try:
            status, payload = self.kube.handle(self.command, self.path, body, dict(self.headers))
        except (ValueError, KeyError, TypeError) as exc:
            status, payload = 400, _status(400, "BadRequest", f"{type(exc).__name__}: {exc}")
        data = json.dumps(payload).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout tests); nothing to tell it

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output clean; requests are recorded in KubeDouble.requests


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Loopback Kubernetes API double")
    parser.add_argument(
        "--seed",
        type=Path,
        action="append",
        default=[],
        help="YAML/JSON file(s) of objects (multi-document or a List)",
    )
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--namespace", default="extension-deepseek")
    parser.add_argument("--kubeconfig", type=Path, help="also write a kubeconfig pointing at the double")
    args = parser.parse_args(argv)
    objects: list[dict[str, Any]] = []
    for seed in args.seed:
        for doc in yaml.safe_load_all(seed.read_text()):
            if isinstance(doc, dict) and doc.get("kind", "").endswith("List") and "items" in doc:
                objects.extend(doc["items"])
            elif isinstance(doc, dict):
                objects.append(doc)
    double = KubeDouble(objects, namespace=args.namespace)
    print(double.start(args.port), flush=True)
    if args.kubeconfig:
        double.write_kubeconfig(args.kubeconfig)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        double.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
