"""One handler turns every error into JSON with a code: never an HTML page or a traceback.

Every body has the same shape (``ErrorSchema``)::

    {"status": 415, "code": "UnsupportedMediaType", "message": {"en": "...", "zh": "..."},
     "language": "en", "field": "Content-Type", "given": "text/html", "allowed": ["application/json", ...]}

The message comes from the catalog (``error.<code>``, messages.yaml); code raises keys and
parameters only. What maps to which status:

* domain errors (``core.errors``, raised by services): ``DOMAIN_STATUS`` below;
* ``ApiError``: refusals of the HTTP layer itself (content type, encoding, identity), with their status;
* adapter errors: Kubernetes (``NotConfigured``/``ClusterUnavailable`` 503, any other ``KubeError``
  502) and ollama (``OllamaClientError`` 502);
* werkzeug's HTTP errors (404, 405, 413...), and anything else as a logged 500.

Both languages are always in the body; ``language`` says which one the caller asked for
(``Accept-Language``), so a console can pick without parsing headers itself.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException

from deepseek_ext.adapters.files import load_messages
from deepseek_ext.adapters.kube import ClusterUnavailable, KubeError, NotConfigured
from deepseek_ext.adapters.ollama import OllamaClientError
from deepseek_ext.core import errors as domain
from deepseek_ext.core.messages import LANGUAGES, Message, Text
from deepseek_ext.settings import API_PREFIX

log = logging.getLogger(__name__)

DOMAIN_STATUS: dict[type[domain.DomainError], int] = {
    domain.InvalidModelName: 400,
    domain.ModelNotFound: 404,
    domain.ModelNotConfigured: 409,
    domain.DownloadsDisabled: 409,
    domain.DefaultModelProtected: 409,
    domain.ModelConfigured: 409,
    domain.OllamaDeleteFailed: 502,
    domain.ManagerUnavailable: 503,
    domain.OllamaUnavailable: 503,
    domain.CatalogUnavailable: 503,
    domain.InvalidKeyName: 400,
    domain.KeyReserved: 409,
    domain.KeyExists: 409,
    domain.KeyNotFound: 404,
    domain.SecretMissing: 503,
}
"""The HTTP status of every domain error (a test checks none is missing)."""


def language() -> str:
    """``zh`` when the caller prefers Chinese (``Accept-Language: zh-CN,...``), else ``en``."""
    try:
        best = request.accept_languages.best_match(list(LANGUAGES), default="en")
    except RuntimeError:  # outside a request (CLI)
        return "en"
    return best or "en"


class ApiError(Exception):
    """A refusal of the HTTP layer (a header, the body's encoding, the caller's identity).

    ``code`` names the catalog entry ``error.<code>``; ``params`` fill it; ``details`` (field,
    given, allowed, reason) go into the body as they are.
    """

    def __init__(self, status: int, code: str, params: Mapping[str, Any] | None = None, **details: Any) -> None:
        super().__init__(code)
        self.status, self.code, self.params, self.details = status, code, dict(params or {}), details

    @property
    def message(self) -> Message:
        return Message(f"error.{self.code}", self.params)


def render(msg: Message) -> Text:
    """Both languages of ``msg``; a parameter may also be an already rendered ``{en, zh}`` text."""
    catalog = load_messages()
    out: Text = {}
    for lang in LANGUAGES:
        params = {k: v[lang] if _is_text(v) else v for k, v in msg.params.items()}
        out[lang] = catalog.text(Message(msg.key, params), lang)
    return out


def _is_text(value: Any) -> bool:
    return isinstance(value, Mapping) and set(value) == set(LANGUAGES)


def error_body(status: int, code: str, msg: Message, **details: Any) -> tuple[Response, int]:
    body: dict[str, Any] = {"status": status, "code": code, "message": render(msg), "language": language()}
    body.update({k: v for k, v in details.items() if v is not None})
    response = jsonify(body)
    response.headers["Content-Language"] = body["language"]
    return response, status


def _kube_error(exc: KubeError) -> tuple[Response, int]:
    """A KubeError as the 503/502 the caller sees, saying how to fix it."""
    if isinstance(exc, NotConfigured):
        return error_body(503, "ClusterNotConfigured", Message("error.ClusterNotConfigured"), reason=exc.message)
    if isinstance(exc, ClusterUnavailable):
        return error_body(
            503, "ClusterUnavailable", Message("error.ClusterUnavailable", {"detail": exc.message}), reason=exc.message
        )
    # Forbidden, NotFound, Conflict...: the code says which; one sentence says what to check.
    return error_body(502, exc.code, Message("error.KubernetesRefused", {"detail": exc.message}), reason=exc.message)


def _http_error(exc: HTTPException) -> tuple[Response, int]:
    status = exc.code or 500
    method, path = request.method, request.path
    if status == 404:
        return error_body(
            404, "NotFound", Message("error.NotFound", {"path": path, "prefix": API_PREFIX}), field="path", given=path
        )
    if status == 405:
        valid = getattr(exc, "valid_methods", None) or []
        allowed = sorted(m for m in valid if m not in ("HEAD", "OPTIONS"))
        response, code = error_body(
            405,
            "MethodNotAllowed",
            Message("error.MethodNotAllowed", {"method": method, "path": path, "allowed": allowed}),
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
            Message("error.PayloadTooLarge", {"limit": limit}),
            field="body",
            given=request.content_length,
            allowed=f"<= {limit} bytes",
        )
    description = exc.description or exc.name
    return error_body(
        status,
        exc.name.replace(" ", ""),
        Message("error.HttpError", {"status": status, "description": description}),
    )


def to_response(exc: Exception) -> tuple[Response, int]:
    """The JSON answer for any exception a view let through."""
    if isinstance(exc, domain.DomainError):
        return error_body(DOMAIN_STATUS[type(exc)], exc.code, exc.message, **exc.details())
    if isinstance(exc, ApiError):
        return error_body(exc.status, exc.code, exc.message, **exc.details)
    if isinstance(exc, KubeError):
        return _kube_error(exc)
    if isinstance(exc, OllamaClientError):
        return error_body(502, "OllamaError", Message("error.OllamaError.call", {"detail": exc.message}),
                          reason=exc.message)
    if isinstance(exc, HTTPException):
        return _http_error(exc)
    # A bug: logged with its traceback for us, a plain JSON 500 for the caller.
    log.exception("unhandled error on %s %s", request.method, request.path)
    return error_body(500, "InternalError", Message("error.InternalError"))


def init_app(app: Flask) -> None:
    # One handler: Flask hands HTTPExceptions to a handler registered for Exception as well.
    app.register_error_handler(Exception, to_response)
