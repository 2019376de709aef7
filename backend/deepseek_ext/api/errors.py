"""One place that turns every error into JSON with a code: never an HTML page or a traceback.

Every body has the same shape (``ErrorSchema``)::

    {"status": 415, "code": "UnsupportedMediaType", "message": {"en": "...", "zh": "..."},
     "language": "en", "field": "Content-Type", "given": "text/html", "allowed": ["application/json", ...]}

Both languages are always in the body; ``language`` says which one the caller asked for
(``Accept-Language``), so a console can pick without parsing headers itself.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from deepseek_ext.adapters.kube import ClusterUnavailable, KubeError, NotConfigured
from deepseek_ext.settings import API_PREFIX

log = logging.getLogger(__name__)


def language() -> str:
    """``zh`` when the caller prefers Chinese (``Accept-Language: zh-CN,...``), else ``en``."""
    try:
        best = request.accept_languages.best_match(["en", "zh"], default="en")
    except RuntimeError:  # outside a request (CLI)
        return "en"
    return best or "en"


class ApiError(Exception):
    """An error a view raises on purpose; the handler renders it as JSON with this status."""

    def __init__(self, status: int, code: str, en: str, zh: str, **extra: Any) -> None:
        super().__init__(en)
        self.status, self.code, self.en, self.zh, self.extra = status, code, en, zh, extra


def error_body(
    status: int, code: str, message_en: str, message_zh: str, **extra: Any
) -> tuple[Response, int]:
    body: dict[str, Any] = {
        "status": status,
        "code": code,
        "message": {"en": message_en, "zh": message_zh},
        "language": language(),
    }
    body.update({k: v for k, v in extra.items() if v is not None})
    response = jsonify(body)
    response.headers["Content-Language"] = body["language"]
    return response, status


def cluster_error(exc: KubeError) -> ApiError:
    """A KubeError as the 503/502 the caller sees, saying how to fix it."""
    if isinstance(exc, NotConfigured):
        return ApiError(
            503,
            "ClusterNotConfigured",
            "This endpoint needs a Kubernetes cluster, and the API runs standalone (no kubeconfig). "
            "Set KUBECONFIG (or create ~/.kube/config) and DEEPSEEK_NAMESPACE, then restart the API.",
            "此接口需要连接 Kubernetes 集群，而 API 当前以独立模式运行（没有 kubeconfig）。"
            "请设置 KUBECONFIG（或创建 ~/.kube/config）和 DEEPSEEK_NAMESPACE，然后重启 API。",
            reason=exc.message,
        )
    if isinstance(exc, ClusterUnavailable):
        return ApiError(
            503,
            "ClusterUnavailable",
            f"The Kubernetes API cannot be used right now: {exc.message}. Check the API server and the "
            "kubeconfig, then retry.",
            f"Kubernetes API 当前不可用：{exc.message}。请检查 API Server 与 kubeconfig 后重试。",
            reason=exc.message,
        )
    return ApiError(
        502,
        exc.code,
        f"The Kubernetes API refused the request: {exc.message}. The API's ServiceAccount needs the "
        "permissions of the chart's Role deepseek-api.",
        f"Kubernetes API 拒绝了请求：{exc.message}。API 的 ServiceAccount 需要 chart 中 Role deepseek-api "
        "的权限。",
        reason=exc.message,
    )


def _http_error(exc: HTTPException) -> tuple[Response, int]:
    status = exc.code or 500
    method, path = request.method, request.path
    if status == 404:
        return error_body(
            404,
            "NotFound",
            f"There is no endpoint at {path}. The API lives under {API_PREFIX}/; "
            f"its OpenAPI document is {API_PREFIX}/openapi.json.",
            f"{path} 上没有接口。API 位于 {API_PREFIX}/ 下，OpenAPI 文档见 {API_PREFIX}/openapi.json。",
            field="path",
            given=path,
        )
    if status == 405:
        allowed = (
            sorted(m for m in (exc.valid_methods or []) if m not in ("HEAD", "OPTIONS"))
            if hasattr(exc, "valid_methods")
            else []
        )
        response, code = error_body(
            405,
            "MethodNotAllowed",
            f"{method} is not allowed on {path}; allowed: {', '.join(allowed)}.",
            f"{path} 不支持 {method} 方法；允许的方法：{', '.join(allowed)}。",
            field="method",
            given=method,
            allowed=allowed,
        )
        response.headers["Allow"] = ", ".join(allowed)
        return response, code
    if status == 413:
        limit = request.max_content_length or 0
        return error_body(
            413,
            "PayloadTooLarge",
            f"The request body is larger than {limit} bytes (1 MiB); send a smaller config.",
            f"请求体超过 {limit} 字节（1 MiB）；请发送更小的配置。",
            field="body",
            given=request.content_length,
            allowed=f"<= {limit} bytes",
        )
    name = exc.name.replace(" ", "")
    description = exc.description or exc.name
    return error_body(status, name, description, f"请求无效（HTTP {status}）：{description}")


def init_app(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api(exc: ApiError) -> tuple[Response, int]:
        return error_body(exc.status, exc.code, exc.en, exc.zh, **exc.extra)

    @app.errorhandler(KubeError)
    def _kube(exc: KubeError) -> tuple[Response, int]:
        err = cluster_error(exc)
        return error_body(err.status, err.code, err.en, err.zh, **err.extra)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> tuple[Response, int]:
        return _http_error(exc)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> tuple[Response, int]:
        # A bug: logged with its traceback for us, a plain JSON 500 for the caller.
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_body(
            500, "InternalError", "Internal error; see the API logs.", "内部错误，请查看 API 日志。"
        )
