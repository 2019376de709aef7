"""Application keys of the model gateway: list, create (shown once), revoke (``P/apikeys``).

The keys live in the Secret ``deepseek-gateway-keys`` (one data entry per key: its name, and
``sha256:<hex>`` of the key, the form ``gateway.keys.KeyStore`` reads), so the cluster never holds a
key in the clear and the gateway picks up a change without a restart (kubelet refreshes the
mounted Secret, the gateway re-reads it). Who created a key and when is the annotation
``deepseek.kubesphere.io/keys`` (JSON ``{name: {createdAt, createdBy}}``); the chart copies it back on
upgrade. Writes are merge patches that carry the ``resourceVersion`` they read, so two
administrators writing at once cannot lose each other's key (a Conflict is retried on fresh data).

A key value leaves this module once, in the answer to its creation; logs name keys, never values.
"""

from __future__ import annotations

import base64
import json
import logging
import secrets
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from deepseek_ext.adapters import kube_writes
from deepseek_ext.adapters.kube import Kube, KubeClient
from deepseek_ext.adapters.kube_writes import Conflict
from deepseek_ext.core import errors
from deepseek_ext.core.objects import ObjectNames
from deepseek_ext.gateway.keys import NAME_RE, hash_key

log = logging.getLogger("deepseek_ext.audit")

INFO_ANNOTATION = "deepseek.kubesphere.io/keys"
RESERVED = ("nextchat", "console", "anonymous", "manager")
"""Names the chart gives its own callers (NextChat, the console chat, keyless callers, the manager)."""
KEY_PREFIX = "sk-"
"""Like OpenAI's keys, so secret scanners and people recognise one."""
_ATTEMPTS = 3


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def valid_name(raw: Any) -> str:
    """:raise InvalidKeyName: not a name the gateway can use. :raise KeyReserved: the chart's own."""
    if not isinstance(raw, str) or not NAME_RE.match(raw):
        raise errors.InvalidKeyName(raw)
    if raw in RESERVED:
        raise errors.KeyReserved(raw, reserved=RESERVED)
    return raw


def _info(secret: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    raw = ((secret.get("metadata") or {}).get("annotations") or {}).get(INFO_ANNOTATION) or "{}"
    try:
        info = json.loads(raw)
    except ValueError:
        return {}
    return {str(k): v for k, v in info.items() if isinstance(v, dict)} if isinstance(info, dict) else {}


def _names(secret: Mapping[str, Any]) -> list[str]:
    return sorted(secret.get("data") or {})


def _read(client: KubeClient, name: str) -> dict[str, Any]:
    secret = kube_writes.read_secret(client, name)
    if secret is None:
        raise errors.SecretMissing(name)
    return secret


def list_keys(*, kube: Kube, objects: ObjectNames) -> list[dict[str, Any]]:
    """Every key's name with who created it and when (None for keys made by the chart or kubectl)."""
    secret = _read(kube.require_client(), objects.gateway_keys_secret)
    info = _info(secret)
    return [{"name": n, "createdAt": (info.get(n) or {}).get("createdAt"),
             "createdBy": (info.get(n) or {}).get("createdBy")} for n in _names(secret)]


def create_key(raw_name: Any, *, user: str, kube: Kube, objects: ObjectNames,
               new_key: Callable[[], str] = lambda: KEY_PREFIX + secrets.token_urlsafe(32),
               now: Callable[[], str] = _now) -> dict[str, str]:
    """A new key under ``raw_name``: its hash stored, the key itself returned (the only time).

    :raise InvalidKeyName, KeyReserved, KeyExists, SecretMissing:
    """
    name = valid_name(raw_name)
    client = kube.require_client()
    key = new_key()
    stored = base64.b64encode(hash_key(key).encode()).decode()
    def add(secret: dict[str, Any], info: dict[str, Any]) -> dict[str, Any]:
        if name in (secret.get("data") or {}):
            raise errors.KeyExists(name)
        info[name] = {"createdAt": now(), "createdBy": user}
        return {name: stored}

    _patch_keys(client, objects.gateway_keys_secret, add)
    log.info("apikeys: key %s created by user=%s", name, user)
    return {"name": name, "key": key}


def revoke_key(raw_name: Any, *, user: str, kube: Kube, objects: ObjectNames) -> None:
    """Remove the key ``raw_name`` (it stops working when the gateways re-read the Secret).

    :raise InvalidKeyName, KeyReserved, KeyNotFound, SecretMissing:
    """
    name = valid_name(raw_name)
    client = kube.require_client()
    def remove(secret: dict[str, Any], info: dict[str, Any]) -> dict[str, Any]:
        if name not in (secret.get("data") or {}):
            raise errors.KeyNotFound(name, known=[n for n in _names(secret) if n not in RESERVED])
        info.pop(name, None)
        return {name: None}

    _patch_keys(client, objects.gateway_keys_secret, remove)
    log.info("apikeys: key %s revoked by user=%s", name, user)


def _patch_keys(client: Any, secret_name: str,
                change: Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]]) -> None:
    """Read the keys Secret, let ``change`` check it, edit the info annotation in place and return the
    data entries to set (None removes one), then patch at the read resourceVersion; a Conflict (another
    administrator wrote meanwhile) reads again, up to ``_ATTEMPTS`` times."""
    for attempt in range(_ATTEMPTS):
        secret = _read(client, secret_name)
        info = _info(secret)
        data = change(secret, info)
        patch = {"metadata": {"resourceVersion": (secret.get("metadata") or {}).get("resourceVersion"),
                              "annotations": {INFO_ANNOTATION: json.dumps(info, sort_keys=True)}},
                 "data": data}
        try:
            kube_writes.patch_secret(client, secret_name, patch)
            return
        except Conflict:
            if attempt == _ATTEMPTS - 1:
                raise
