"""The allow-list (pure): what is forwarded, what is refused as admin, what is unknown."""

from __future__ import annotations

import pytest
from deepseek_ext.gateway.routes import ADMIN_PATHS, Dialect, find_route, is_admin_path

ALLOWED = [("POST", "/v1/chat/completions"), ("POST", "/v1/completions"), ("POST", "/v1/embeddings"),
           ("GET", "/v1/models"), ("POST", "/api/chat"), ("POST", "/api/generate"), ("POST", "/api/embed"),
           ("GET", "/api/tags"), ("GET", "/api/ps"), ("POST", "/api/show"), ("GET", "/api/version"), ("GET", "/")]


@pytest.mark.parametrize(("method", "path"), ALLOWED, ids=[f"{m} {p}" for m, p in ALLOWED])
def test_inference_and_read_routes_are_allowed(method: str, path: str) -> None:
    route = find_route(method, path)
    assert route is not None and route.path == path


@pytest.mark.parametrize("path", [*ADMIN_PATHS, "/api/blobs/sha256-0123"])
def test_model_changing_routes_are_admin(path: str) -> None:
    assert is_admin_path(path)
    for method in ("GET", "POST", "DELETE", "HEAD", "PUT"):
        assert find_route(method, path) is None


@pytest.mark.parametrize(("method", "path"), [("GET", "/v1/chat/completions"), ("POST", "/api/tags"),
                                              ("POST", "/v1/chat/completions/"), ("GET", "/api/pulls"),
                                              ("GET", "/metrics"), ("DELETE", "/")])
def test_everything_else_is_unknown(method: str, path: str) -> None:
    assert find_route(method, path) is None


def test_only_v1_is_openai_dialect() -> None:
    assert {r for m, r in ALLOWED if find_route(m, r).dialect is Dialect.OPENAI} == {  # type: ignore[union-attr]
        "/v1/chat/completions", "/v1/completions", "/v1/embeddings"}
    assert find_route("GET", "/").public  # type: ignore[union-attr]
    assert not find_route("GET", "/api/version").public  # type: ignore[union-attr]
