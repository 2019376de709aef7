"""Who is calling, and which endpoints need the cluster.

ks-apiserver authenticates and authorizes every request (RBAC on deepseek.kubesphere.io/<resource>)
and then sets ``X-Remote-User`` itself, deleting any value the client sent (kubesphere.md 6.3).
The NetworkPolicy admits only ks-apiserver, so inside a cluster the header is trustworthy. A
request *without* it did not come through ks-apiserver (a port-forward, a local run): it is
anonymous, never an administrator. Writes refuse anonymous callers and log who wrote.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from flask import request

from deepseek_ext.api import deps
from deepseek_ext.api.errors import ApiError
from deepseek_ext.settings import API_PREFIX

log = logging.getLogger("deepseek_ext.audit")

F = TypeVar("F", bound=Callable[..., Any])


def remote_user() -> str | None:
    """The user ks-apiserver authenticated, or None (never defaulted to an administrator)."""
    user = (request.headers.get("X-Remote-User") or "").strip()
    return user or None


def write_endpoint(view: F) -> F:
    """Refuse callers that did not come through ks-apiserver; log every write with its user.

    :raise 401: no X-Remote-User header.
    """

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        user = remote_user()
        if user is None:
            raise ApiError(
                401,
                "Unauthenticated",
                {"prefix": API_PREFIX},
                field="X-Remote-User",
                given=None,
                allowed="a KubeSphere user name",
            )
        # Never log headers wholesale: Authorization carries the user's bearer token.
        log.info("write %s %s by user=%s", request.method, request.path, user)
        return view(*args, **kwargs)

    wrapper._deepseek_write = True  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]


def cluster_endpoint(view: F) -> F:
    """Answer 503 with how to connect when the API runs without a usable cluster.

    :raise 503: standalone (no kubeconfig) or the kubeconfig cannot be loaded.
    """

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        deps.kube().require_client()
        return view(*args, **kwargs)

    # tests/api/test_standalone.py finds every cluster endpoint through this mark.
    wrapper._deepseek_cluster = True  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]
