"""The gateway's own answers (refusals), rendered from the message catalog in both languages.

On ``/v1/*`` the body has OpenAI's error shape (``error.message``, ``error.type``, ``error.code``),
which OpenAI SDKs and NextChat show; on the native paths ollama's (``error`` is the text). Both add
``message: {en, zh}`` and the parameters. Codes and parameters are stable; the wording is the
catalog's (``error.<code>`` entries, section ``# --- gateway ---`` of messages.yaml).
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from deepseek_ext.core.messages import MessageCatalog, message

OPENAI_TYPES = {401: "authentication_error", 403: "permission_error", 404: "invalid_request_error",
                429: "rate_limit_error", 400: "invalid_request_error"}


def error_response(catalog: MessageCatalog, *, status: int, code: str, request_path: str,
                   headers: dict[str, str] | None = None, **params: Any) -> web.Response:
    texts = catalog.render(message(f"error.{code}", **params))
    if request_path.startswith("/v1/"):
        body: dict[str, Any] = {"error": {"message": texts["en"], "type": OPENAI_TYPES.get(status, "api_error"),
                                          "code": code, "param": None, "messages": texts, **params}}
    else:
        body = {"error": texts["en"], "code": code, "message": texts, **params}
    return web.Response(status=status, body=json.dumps(body, ensure_ascii=False).encode(),
                        content_type="application/json", headers=headers)
