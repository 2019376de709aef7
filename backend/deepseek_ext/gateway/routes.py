"""Which requests the gateway forwards to ollama: the allow-list, nothing else.

Pure: a (method, path) pair in, a ``Route`` (or None) out. The state-changing ollama routes
(``server/routes.go`` at v0.32.15: pull 1884, push 1885, delete 1889, create 1898, blobs 1899,
copy 1901) are named in ``ADMIN_PATHS`` so the refusal can say they are admin-only; every other
path not in ``ROUTES`` is refused as unknown. Both are answered by the gateway and never reach ollama.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Dialect(enum.Enum):
    """How the body of a route is read and rewritten."""

    OPENAI = "openai"    # /v1/*: OpenAI JSON and SSE; reasoning renamed, usage from `usage`
    NATIVE = "native"    # /api/*: ollama JSON and NDJSON, passed through; usage from *_eval_count
    PLAIN = "plain"      # read endpoints without a model or usage


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    dialect: Dialect
    has_model: bool = False
    """The body names a model that must be one of the configured models."""
    public: bool = False
    """Answered without a key (the liveness text of ``GET /``, used by probes)."""


ROUTES: dict[tuple[str, str], Route] = {
    (r.method, r.path): r
    for r in (
        Route("POST", "/v1/chat/completions", Dialect.OPENAI, has_model=True),
        Route("POST", "/v1/completions", Dialect.OPENAI, has_model=True),
        Route("POST", "/v1/embeddings", Dialect.OPENAI, has_model=True),
        Route("GET", "/v1/models", Dialect.PLAIN),
        Route("POST", "/api/chat", Dialect.NATIVE, has_model=True),
        Route("POST", "/api/generate", Dialect.NATIVE, has_model=True),
        Route("POST", "/api/embed", Dialect.NATIVE, has_model=True),
        Route("GET", "/api/tags", Dialect.PLAIN),
        Route("GET", "/api/ps", Dialect.PLAIN),
        Route("POST", "/api/show", Dialect.PLAIN, has_model=True),
        Route("GET", "/api/version", Dialect.PLAIN),
        Route("HEAD", "/api/version", Dialect.PLAIN),
        Route("GET", "/", Dialect.PLAIN, public=True),
        Route("HEAD", "/", Dialect.PLAIN, public=True),
    )
}

ADMIN_PATHS: tuple[str, ...] = (
    "/api/pull", "/api/push", "/api/create", "/api/copy", "/api/delete", "/api/blobs",
)
"""Routes that change models: only the admin listener forwards them."""


def find_route(method: str, path: str) -> Route | None:
    """The allowed route for this request, or None (refused)."""
    return ROUTES.get((method.upper(), path))


def is_admin_path(path: str) -> bool:
    """True for the model-changing routes (``/api/blobs/<digest>`` included)."""
    return any(path == p or path.startswith(p + "/") for p in ADMIN_PATHS)
