"""The edge's settings, defaulted and checked once (``deepseek-ext edge`` builds them from flags/env)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from deepseek_ext.core.objects import DEFAULT_NAMES

MAX_BODY_BYTES = 1024 * 1024
"""The largest request body (1 MiB, as Flask's ``MAX_CONTENT_LENGTH``): a config or a conversation."""
BODY_TIMEOUT_SECONDS = 10.0
"""A body must arrive completely within this time after its headers (else 408)."""
DEFAULT_KS_APISERVER_URL = "http://ks-apiserver.kubesphere-system.svc"
"""ks-apiserver's in-cluster Service (KubeSphere 4.1 ``config/ks-core/templates/ks-apiserver.yaml``, port 80)."""
DEFAULT_GATEWAY_URL = f"http://{DEFAULT_NAMES.ollama_service}:{DEFAULT_NAMES.ollama_port}"
"""The model gateway: the ollama Service's port in the same namespace (the gateway serves it)."""


@dataclass(frozen=True)
class IdentitySettings:
    """Who the caller is, and how far the edge believes ``X-Remote-User``."""

    verify_caller: bool = True
    """Check the forwarded bearer token against ks-apiserver on writes, chat and secret reads."""
    ks_apiserver_url: str = DEFAULT_KS_APISERVER_URL
    """Where ``GET /oauth/userinfo`` is asked."""
    ttl_seconds: float = 60.0
    """How long a verified token (by its SHA-256) is believed without asking again."""
    refused_ttl_seconds: float = 5.0
    """How long a refused token stays refused (short: a token may have just been issued)."""
    max_entries: int = 4096
    """Cache bound; the oldest entries go first."""
    timeout_seconds: float = 5.0
    """ks-apiserver must answer within this time (else 503)."""


@dataclass(frozen=True)
class ChatSettings:
    """The chat route's upstream: the model gateway, as a trusted proxy."""

    gateway_url: str = DEFAULT_GATEWAY_URL
    console_key_file: Path | None = None
    """The console key (Secret ``deepseek-gateway-console``, key ``key``), re-read when it changes."""
    read_timeout_seconds: float = 1800.0
    """Seconds without a byte from the gateway before a stream is given up (the gateway's own bound)."""


@dataclass(frozen=True)
class EdgeConfig:
    upstream_url: str = "http://127.0.0.1:8081"
    """gunicorn (Flask) on the pod's loopback."""
    max_body_bytes: int = MAX_BODY_BYTES
    body_timeout_seconds: float = BODY_TIMEOUT_SECONDS
    upstream_timeout_seconds: float = 60.0
    """gunicorn's answer must start within this time (its own worker timeout is 30 s)."""
    identity: IdentitySettings = IdentitySettings()
    chat: ChatSettings = ChatSettings()
