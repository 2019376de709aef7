"""Kubernetes writes of the model manager (state ConfigMap, Lease, Events, ready ollama pods) and
of the API (the gateway keys Secret; the access-code Secret is only read).

Built on ``deepseek_ext.adapters.kube.KubeClient`` (official client, ``_preload_content=False``,
plain JSON dicts) and its typed errors, plus ``Conflict`` for 409 (optimistic concurrency on
the Lease and on creates). Events are best effort: a failure is logged, never raised, and long
messages are shortened, so side I/O never breaks the reconcile loop.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from deepseek_ext.adapters.kube import KubeClient, KubeError, NotFound, _translate

log = logging.getLogger(__name__)

EVENT_MESSAGE_LIMIT = 1024
COMPONENT = "deepseek-model-manager"


class Conflict(KubeError):
    """409: somebody else created or changed the object first (lost a Lease race, stale resourceVersion)."""

    code = "Conflict"
    http_status = 409


def _call(kube: KubeClient, api_name: str, method_name: str, resource: str, *args: Any) -> dict[str, Any]:
    """One API call as JSON; errors become KubeError subclasses (409 -> Conflict)."""
    import json

    method = getattr(kube._api(api_name), method_name)  # the adapter's cached API objects
    try:
        response = method(*args, _preload_content=False, _request_timeout=kube._timeout)
        data = response.data if hasattr(response, "data") else response.read()
        return dict(json.loads(data or b"{}"))
    except Exception as exc:
        error = _translate(exc, resource)
        if error.status == 409:
            raise Conflict(error.message, resource=resource, status=409) from exc
        raise error from exc


def selector_string(selector: Mapping[str, str]) -> str:
    return ",".join(f"{k}={v}" for k, v in sorted(selector.items()))


def list_pods(kube: KubeClient, selector: Mapping[str, str]) -> list[dict[str, Any]]:
    return kube.list("pods", label_selector=selector_string(selector))


def can_be_asked(pod: Mapping[str, Any]) -> bool:
    """Ready condition True, an IP, and not being deleted: only such pods are asked for their models."""
    status = pod.get("status") or {}
    if (pod.get("metadata") or {}).get("deletionTimestamp") or not status.get("podIP"):
        return False
    return any(c.get("type") == "Ready" and c.get("status") == "True" for c in status.get("conditions") or [])


# -- ConfigMap --------------------------------------------------------------------------------


def read_configmap(kube: KubeClient, name: str) -> dict[str, Any] | None:
    try:
        return _call(kube, "CoreV1Api", "read_namespaced_config_map", "configmaps", name, kube.namespace)
    except NotFound:
        return None


def patch_configmap_data(
    kube: KubeClient, name: str, data: Mapping[str, str | None], *, labels: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Merge ``data`` into the ConfigMap (a None value removes the key); create it when absent."""
    patch = {"data": dict(data)}
    args = ("configmaps", name, kube.namespace, patch)
    try:
        return _call(kube, "CoreV1Api", "patch_namespaced_config_map", *args)
    except NotFound:
        pass
    body = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": name, "namespace": kube.namespace, "labels": dict(labels or {})},
        "data": {k: v for k, v in data.items() if v is not None},
    }
    try:
        return _call(kube, "CoreV1Api", "create_namespaced_config_map", "configmaps", kube.namespace, body)
    except Conflict:
        # Created by someone else in between: our patch applies now.
        return _call(kube, "CoreV1Api", "patch_namespaced_config_map", *args)


# -- Secrets (the gateway keys and the access code, granted by resourceName) --------------------


def read_secret(kube: KubeClient, name: str) -> dict[str, Any] | None:
    try:
        return _call(kube, "CoreV1Api", "read_namespaced_secret", "secrets", name, kube.namespace)
    except NotFound:
        return None


def patch_secret(kube: KubeClient, name: str, patch: Mapping[str, Any]) -> dict[str, Any]:
    """A merge patch; with ``metadata.resourceVersion`` it fails (Conflict) if the Secret changed since."""
    return _call(kube, "CoreV1Api", "patch_namespaced_secret", "secrets", name, kube.namespace, dict(patch))


# -- Lease ------------------------------------------------------------------------------------


def get_lease(kube: KubeClient, name: str) -> dict[str, Any] | None:
    try:
        return _call(kube, "CoordinationV1Api", "read_namespaced_lease", "leases", name, kube.namespace)
    except NotFound:
        return None


def create_lease(kube: KubeClient, body: Mapping[str, Any]) -> dict[str, Any]:
    return _call(kube, "CoordinationV1Api", "create_namespaced_lease", "leases", kube.namespace, dict(body))


def replace_lease(kube: KubeClient, name: str, body: Mapping[str, Any]) -> dict[str, Any]:
    """PUT with ``metadata.resourceVersion``: raises Conflict when another instance wrote first."""
    return _call(
        kube, "CoordinationV1Api", "replace_namespaced_lease", "leases", name, kube.namespace, dict(body)
    )


# -- Events -----------------------------------------------------------------------------------


def shorten(message: str, limit: int = EVENT_MESSAGE_LIMIT) -> str:
    return message if len(message) <= limit else message[: limit - 3] + "..."


def post_event(
    kube: KubeClient, *, deployment: str, reason: str, message: str, warning: bool = False, instance: str = ""
) -> bool:
    """Record an Event on the ollama Deployment; False (and a log line) when that fails."""
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    body = {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {"name": f"{deployment}.{uuid.uuid4().hex[:16]}", "namespace": kube.namespace},
        "involvedObject": {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "name": deployment,
            "namespace": kube.namespace,
        },
        "reason": reason,
        "message": shorten(message),
        "type": "Warning" if warning else "Normal",
        "source": {"component": COMPONENT},
        "reportingComponent": COMPONENT,
        "reportingInstance": instance or COMPONENT,
        "firstTimestamp": now,
        "lastTimestamp": now,
        "count": 1,
    }
    try:
        _call(kube, "CoreV1Api", "create_namespaced_event", "events", kube.namespace, body)
    except KubeError as exc:
        log.warning("could not record Event %s on deployment/%s: %s", reason, deployment, exc.message)
        return False
    return True
