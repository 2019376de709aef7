"""The names of the extension's Kubernetes objects, and the one fallback for them. Pure.

The chart renders the names it used into the serving config (ConfigMap ``deepseek-serving``, key
``config.json``); every reader takes them from there through :meth:`ObjectNames.from_serving`.
The defaults below are the fallback when no serving config can be read (and the values
``core.config.serving_config`` writes). Services, Deployments and the PVC keep their 0.1.0 names:
a Deployment selector is immutable, and applications call ``deepseek-backend-server-service``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ObjectNames:
    """Object names in the extension namespace (serving-config keys in brackets)."""

    pvc: str = "deepseek-models"
    """The models volume [pvcName]."""
    ollama_deployment: str = "deepseek-backend-server"
    """ollama's Deployment [ollamaDeployment]; its pods carry ``app: <this>``."""
    ollama_service: str = "deepseek-backend-server-service"
    """The in-cluster API Service applications call [ollamaService]."""
    ollama_port: int = 11434
    """Its port [ollamaPort]."""
    ollama_admin_port: int = 11435
    """The model gateway's admin port in the ollama pod: pull/delete/tags/ps with the manager's key.
    The serving config states it as ``ollamaAdminPort`` only where the chart runs the gateway, so it
    is not among the fallbacks: a config without it means ollama itself answers on ``ollamaPort``."""
    chat_deployment: str = "deepseek-backend-chat"
    """NextChat's Deployment [chatDeployment]; its pods carry ``app: <this>``."""
    chat_service: str = "deepseek-backend-chat-service"
    """[chatService]"""
    ingress: str = "deepseek-backend-ingress"
    """The extension Ingress that publishes NextChat [ingressName]."""
    access_code_secret: str = "deepseek-chat-access"
    """NextChat's access code [accessCodeSecret]."""
    serving_configmap: str = "deepseek-serving"
    """This config's own ConfigMap."""
    state_configmap: str = "deepseek-model-state"
    """The model manager's records and pull requests."""
    api: str = "deepseek-api"
    """The extension API's Deployment, ServiceAccount, Role and Service."""
    manager_lease: str = "deepseek-model-manager"
    """The Lease that elects one model manager."""
    gateway_keys_secret: str = "deepseek-gateway-keys"
    """The model gateway's application keys (name -> ``sha256:<hex>``), written by ``apikeys``."""
    ollama_selector: Mapping[str, str] = field(default_factory=dict)
    """Labels of the ollama pods [ollamaSelector]; default ``app: <ollama_deployment>``."""
    chat_selector: Mapping[str, str] = field(default_factory=dict)
    """Labels of the NextChat pods [chatSelector]; default ``app: <chat_deployment>``."""

    def __post_init__(self) -> None:
        if not self.ollama_selector:
            object.__setattr__(self, "ollama_selector", {"app": self.ollama_deployment})
        if not self.chat_selector:
            object.__setattr__(self, "chat_selector", {"app": self.chat_deployment})

    @classmethod
    def from_serving(cls, config: Mapping[str, Any] | None) -> ObjectNames:
        """The names a serving config states, the defaults for the rest."""
        config = config or {}
        given = {attr: config[key] for attr, key in _SERVING_KEYS.items() if config.get(key)}
        return cls(**given)

    def to_serving(self) -> dict[str, Any]:
        """The serving-config keys of these names (the shape ``from_serving`` reads)."""
        return {key: getattr(self, attr) for attr, key in _SERVING_KEYS.items()}


_SERVING_KEYS = {
    "pvc": "pvcName",
    "ollama_deployment": "ollamaDeployment",
    "ollama_service": "ollamaService",
    "ollama_port": "ollamaPort",
    "chat_deployment": "chatDeployment",
    "chat_service": "chatService",
    "ingress": "ingressName",
    "access_code_secret": "accessCodeSecret",
    "ollama_selector": "ollamaSelector",
    "chat_selector": "chatSelector",
}

DEFAULT_NAMES = ObjectNames()
