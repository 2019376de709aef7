"""The edge's refusals in the API's envelope (``api/errors.py``), rendered from the message catalog.

Same body as Flask's handler: ``{"status", "code", "message": {"en", "zh"}, "language", "field"?,
"given"?, "allowed"?, ...}``; ``language`` follows ``Accept-Language`` the way Flask picks it
(werkzeug's ``LanguageAccept.best_match``), so the console sees one shape whoever answered.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from aiohttp import web
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from deepseek_ext.adapters.files import load_messages
from deepseek_ext.core.messages import LANGUAGES, Message


def language(accept_language: str | None) -> str:
    """``zh`` when the caller prefers Chinese, else ``en`` (as ``api.errors.language``)."""
    accepted = parse_accept_header(accept_language or "", LanguageAccept)
    return accepted.best_match(list(LANGUAGES), default="en") or "en"


def envelope(request: web.BaseRequest | None, *, status: int, code: str, msg: Message | None = None,
             headers: Mapping[str, str] | None = None, **details: Any) -> web.Response:
    """The JSON refusal; ``msg`` defaults to ``error.<code>`` without parameters."""
    lang = language(request.headers.get("Accept-Language") if request is not None else None)
    texts = load_messages().render(msg or Message(f"error.{code}"))
    body: dict[str, Any] = {"status": status, "code": code, "message": texts, "language": lang}
    body.update({k: v for k, v in details.items() if v is not None})
    return web.Response(status=status, body=json.dumps(body, ensure_ascii=False).encode(),
                        content_type="application/json",
                        headers={"Content-Language": lang, **(headers or {})})
