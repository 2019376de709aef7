"""``POST P/chat/completions``: console chat as the KubeSphere user, through the model gateway.

The edge calls the gateway's ``/v1/chat/completions`` with the console key (Secret
``deepseek-gateway-console``, key ``key``) and ``X-DeepSeek-User: <name>``; the gateway trusts that
header only from keys listed as trusted proxies, then meters and limits the request as
``user:<name>`` and serves only the configured models (contracts §2). A stream is copied chunk by
chunk; when the browser goes away aiohttp cancels this handler (``handler_cancellation``), the
``async with`` closes the gateway connection, and the gateway stops ollama in turn.

Gateway refusals become the API's envelope with the contract's codes: ``ModelNotServed`` (404,
``allowed`` = the served models), ``TooManyRequests`` (429 + ``Retry-After``), ``OllamaUnavailable``
(503), and ``ModelNotReady`` (409) when the gateway let a configured model through but ollama does
not have it yet (still downloading: the page then polls ``GET P/models/{name}``).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from deepseek_ext.core.messages import Message
from deepseek_ext.edge.config import ChatSettings
from deepseek_ext.edge.errors import envelope
from deepseek_ext.settings import API_PREFIX

log = logging.getLogger(__name__)

CHAT_PATH = f"{API_PREFIX}/chat/completions"
GATEWAY_PATH = "/v1/chat/completions"
USER_HEADER = "X-DeepSeek-User"
PASSED_HEADERS = ("Accept", "Accept-Language", "Content-Type")

LIMIT_CODES = frozenset({"GatewayLimitConcurrent", "GatewayLimitTokens", "TooManyRequests"})
UNAVAILABLE_CODES = frozenset({"GatewayUpstreamUnavailable", "OllamaUnavailable"})
NOT_SERVED_CODES = frozenset({"GatewayModelNotServed", "ModelNotServed"})
STARTED_KEY: web.RequestKey[bool] = web.RequestKey("deepseek.chat.started", bool)


class ConsoleKey:
    """The console key file, re-read when its modification time changes (kubelet swaps Secret files)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._signature: tuple[int, int] | None = None
        self._key: str | None = None

    def get(self) -> str | None:
        if self.path is None:
            return None
        try:
            stat = self.path.stat()
            signature = (stat.st_mtime_ns, stat.st_size)
            if signature != self._signature:
                self._key = self.path.read_text(encoding="utf-8").strip() or None
                self._signature = signature
        except OSError:
            return None
        return self._key


def _gateway_error(payload: Any) -> dict[str, Any]:
    """The ``error`` object of the gateway's (OpenAI-shaped) refusal, {} when there is none."""
    error = payload.get("error") if isinstance(payload, dict) else None
    return error if isinstance(error, dict) else {}


def _model_asked(body: bytes) -> str | None:
    try:
        decoded = json.loads(body)
    except ValueError:
        return None
    model = decoded.get("model") if isinstance(decoded, dict) else None
    return model if isinstance(model, str) else None


def map_refusal(request: web.Request, *, status: int, payload: Any, retry_after: str | None,
                model: str | None) -> web.Response:
    """A gateway refusal (status >= 400, JSON) in the API's envelope."""
    error = _gateway_error(payload)
    code = str(error.get("code") or "")
    if code in NOT_SERVED_CODES:
        served = error.get("models") or error.get("allowed") or []
        asked = error.get("model") or model
        return envelope(request, status=404, code="ModelNotServed",
                        msg=Message("error.ModelNotServed.chat", {"model": asked, "models": served}),
                        field="model", given=asked, allowed=served)
    if code in LIMIT_CODES or status == 429:
        retry = retry_after or str(error.get("retryAfter") or "")
        return envelope(request, status=429, code="TooManyRequests",
                        msg=Message("error.TooManyRequests.chat", {"retryAfter": retry or "?"}),
                        headers={"Retry-After": retry} if retry else None, reason=code or None,
                        limit=error.get("limit"))
    if code in UNAVAILABLE_CODES or status in (502, 503, 504):
        return envelope(request, status=503, code="OllamaUnavailable", msg=Message("error.OllamaUnavailable.chat"))
    if status == 404 and not code.startswith("Gateway"):
        # The gateway served the model (it is configured) but ollama has not got it: downloading.
        return envelope(request, status=409, code="ModelNotReady",
                        msg=Message("error.ModelNotReady.chat", {"model": model}), model=model,
                        params={"model": model})
    if status in (401, 403):
        # The console key itself was refused: the install's fault, not the user's.
        log.error("edge: the model gateway refused the console key (%s %s)", status, code)
        return envelope(request, status=502, code="ChatGatewayRefused", reason=code or None)
    detail = str(error.get("message") or "")[:300]
    return envelope(request, status=status if 400 <= status < 500 else 502, code="ChatRejected",
                    msg=Message("error.ChatRejected", {"status": status, "detail": detail}), reason=code or None)


class Chat:
    def __init__(self, settings: ChatSettings) -> None:
        self.settings = settings
        self.key = ConsoleKey(settings.console_key_file)

    async def handle(self, request: web.Request, session: aiohttp.ClientSession, *, user: str | None,
                     body: bytes) -> web.StreamResponse:
        if request.method != "POST":
            return envelope(request, status=405, code="MethodNotAllowed",
                            msg=Message("error.MethodNotAllowed", {"method": request.method, "path": request.path,
                                                                   "allowed": ["POST"]}),
                            headers={"Allow": "POST"}, field="method", given=request.method, allowed=["POST"])
        if user is None:
            return envelope(request, status=401, code="Unauthenticated",
                            msg=Message("error.Unauthenticated.chat", {"prefix": API_PREFIX}),
                            field="X-Remote-User", allowed="a KubeSphere user name")
        key = self.key.get()
        if key is None:
            log.error("edge: no console key at %s; chat is off", self.settings.console_key_file)
            return envelope(request, status=503, code="ChatUnavailable")
        headers = {h: request.headers[h] for h in PASSED_HEADERS if h in request.headers}
        headers.update({"Authorization": f"Bearer {key}", USER_HEADER: user, "Accept-Encoding": "identity"})
        url = self.settings.gateway_url.rstrip("/") + GATEWAY_PATH
        timeout = aiohttp.ClientTimeout(total=None, connect=10, sock_read=self.settings.read_timeout_seconds)
        log.info("chat by user=%s", user)
        try:
            async with session.post(url, data=body, headers=headers, timeout=timeout, allow_redirects=False,
                                    auto_decompress=False) as upstream:
                if upstream.status >= 400:
                    raw = await upstream.read()
                    try:
                        payload = json.loads(raw)
                    except ValueError:
                        payload = None
                    return map_refusal(request, status=upstream.status, payload=payload,
                                       retry_after=upstream.headers.get("Retry-After"), model=_model_asked(body))
                return await _relay(request, upstream)
        except (TimeoutError, aiohttp.ClientConnectionError) as exc:
            if request.get(STARTED_KEY):
                raise  # the stream had begun: nothing sane to send, drop the connection
            log.warning("edge: model gateway unreachable: %s", type(exc).__name__)
            return envelope(request, status=503, code="OllamaUnavailable", msg=Message("error.OllamaUnavailable.chat"))


async def _relay(request: web.Request, upstream: aiohttp.ClientResponse) -> web.StreamResponse:
    ctype = upstream.headers.get("Content-Type", "application/json")
    if not ctype.startswith("text/event-stream"):
        return web.Response(status=upstream.status, body=await upstream.read(), headers={"Content-Type": ctype})
    response = web.StreamResponse(status=upstream.status, headers={
        "Content-Type": ctype, "Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
    await response.prepare(request)
    request[STARTED_KEY] = True
    async for chunk in upstream.content.iter_any():
        await response.write(chunk)
    await response.write_eof()
    return response
