"""Settings of the API, the manager and the CLI: grouped dataclasses, defaulted and validated once.

Read from the environment (``DEEPSEEK_*``) at start-up by ``load_settings``; errors name the variable,
what was given and an example value (catalog entries ``settings.*``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from deepseek_ext.core.messages import Message

API_GROUP = "deepseek.kubesphere.io"
API_VERSION = "v1alpha1"
API_PREFIX = f"/kapis/{API_GROUP}/{API_VERSION}"


class SettingsError(ValueError):
    """A setting has a value we cannot use; ``message`` (``settings.*``) names it and gives an example."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.message = Message(key, params)

    def __str__(self) -> str:
        # Rendered late: a traceback at start-up (gunicorn) still reads as a sentence.
        from deepseek_ext.adapters.files import load_messages

        return load_messages().text(self.message, "en")


@dataclass(frozen=True)
class ClusterSettings:
    kubeconfig: str | None = None
    """Path of a kubeconfig file; None = in-cluster config if present, else ~/.kube/config, else standalone."""
    in_cluster: bool = False
    """True when running in a pod with a service-account token (set by ``load_settings``)."""
    namespace: str = "extension-deepseek"
    """Namespace of the extension's workloads."""
    cache_ttl_seconds: float = 5.0
    """How long Kubernetes reads are shared between requests."""
    request_timeout_seconds: float = 3.0
    """Timeout of one Kubernetes API call."""

    @property
    def kubeconfig_source(self) -> str | None:
        if self.in_cluster:
            return "in-cluster"
        return self.kubeconfig

    def describe(self) -> str:
        if self.kubeconfig_source is None:
            return (" (no kubeconfig: cluster endpoints answer 503; set KUBECONFIG or create ~/.kube/config"
                    " to connect)")
        return f" (kubeconfig: {self.kubeconfig_source}, namespace: {self.namespace})"


@dataclass(frozen=True)
class OllamaSettings:
    url: str | None = None
    """Base URL of one ollama server, e.g. http://127.0.0.1:11434; None = discover ollama pods in the cluster."""
    timeout_seconds: float = 2.0
    """Timeout of status calls to ollama (/api/tags, /api/ps)."""
    cache_ttl_seconds: float = 3.0
    """How long ollama answers are shared between requests, at least (the window for up to 30 pods)."""
    cache_per_pod_seconds: float = 0.1
    """Window per ollama pod: answers are shared for max(cache_ttl_seconds, pods × this), so a worker
    makes at most 2 / this calls a second however many pods there are."""


@dataclass(frozen=True)
class ApiSettings:
    max_body_bytes: int = 1024 * 1024
    """Largest accepted request body (config documents)."""
    serving_config_file: str | None = None
    """Path of the serving config the chart ships (ConfigMap deepseek-serving, key config.json)."""
    catalog_file: str | None = None
    """Path of the model catalog; None = the copy in this checkout (charts/backend/files/catalog.yaml)."""
    model_state_file: str | None = None
    """Without a cluster: the file where `deepseek-ext manager --ollama-url` keeps state and pull requests."""


@dataclass(frozen=True)
class Settings:
    cluster: ClusterSettings = field(default_factory=ClusterSettings)
    ollama: OllamaSettings = field(default_factory=OllamaSettings)
    api: ApiSettings = field(default_factory=ApiSettings)


_SA_TOKEN = Path("/var/run/secrets/kubernetes.io/serviceaccount/token")


def _float(env: Mapping[str, str], name: str, default: float, example: str) -> float:
    raw = env.get(name)
    if raw in (None, ""):
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError("settings.notANumber", name=name, given=repr(raw), example=example) from None
    if value <= 0:
        raise SettingsError("settings.notPositive", name=name, given=repr(raw), example=example)
    return value


def load_settings(env: Mapping[str, str] | None = None, overrides: Mapping[str, Any] | None = None) -> Settings:
    """Default and validate settings once: environment first, then ``overrides`` (tests)."""
    env = os.environ if env is None else env
    kubeconfig = env.get("KUBECONFIG") or None
    if kubeconfig is None:
        home_config = Path.home() / ".kube" / "config"
        kubeconfig = str(home_config) if home_config.is_file() else None
    in_cluster = bool(env.get("KUBERNETES_SERVICE_HOST")) and _SA_TOKEN.is_file() and not env.get("KUBECONFIG")
    if env.get("DEEPSEEK_STANDALONE") in ("1", "true"):
        kubeconfig, in_cluster = None, False
    cluster = ClusterSettings(
        kubeconfig=None if in_cluster else kubeconfig,
        in_cluster=in_cluster,
        namespace=env.get("DEEPSEEK_NAMESPACE") or "extension-deepseek",
        cache_ttl_seconds=_float(env, "DEEPSEEK_KUBE_CACHE_TTL", 5.0, "5"),
        request_timeout_seconds=_float(env, "DEEPSEEK_KUBE_TIMEOUT", 3.0, "3"),
    )
    ollama_url = env.get("DEEPSEEK_OLLAMA_URL") or None
    if ollama_url and not ollama_url.startswith(("http://", "https://")):
        raise SettingsError("settings.notAnUrl", name="DEEPSEEK_OLLAMA_URL", given=repr(ollama_url),
                            example="http://127.0.0.1:11434")
    ollama = OllamaSettings(
        url=ollama_url.rstrip("/") if ollama_url else None,
        timeout_seconds=_float(env, "DEEPSEEK_OLLAMA_TIMEOUT", 2.0, "2"),
        cache_ttl_seconds=_float(env, "DEEPSEEK_OLLAMA_CACHE_TTL", 3.0, "3"),
        cache_per_pod_seconds=_float(env, "DEEPSEEK_OLLAMA_CACHE_PER_POD", 0.1, "0.1"),
    )
    api = ApiSettings(
        serving_config_file=env.get("DEEPSEEK_SERVING_CONFIG") or None,
        catalog_file=env.get("DEEPSEEK_CATALOG") or None,
        model_state_file=env.get("DEEPSEEK_MODEL_STATE_FILE") or None,
    )
    settings = Settings(cluster=cluster, ollama=ollama, api=api)
    for group, values in (overrides or {}).items():
        settings = replace(settings, **{group: replace(getattr(settings, group), **values)})
    return settings
