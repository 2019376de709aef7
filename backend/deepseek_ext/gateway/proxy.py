"""Forwarding one allowed request to ollama and its answer back, chunk by chunk.

Streams stay streams: an SSE event (``/v1``) or an NDJSON line (native) is written to the client
as soon as it is read from ollama; only the ``data:`` JSON of ``/v1`` events is decoded (to rename
reasoning and read usage), native lines are forwarded as read and only the final ``done`` line is
decoded. When the client goes away aiohttp cancels the handler (``handler_cancellation``), the
``async with`` below closes the upstream connection, and ollama stops generating.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web
from yarl import URL

from deepseek_ext.gateway import reasoning
from deepseek_ext.gateway.routes import Dialect
from deepseek_ext.gateway.usage import Tokens, native_tokens, openai_tokens

HOP_BY_HOP = frozenset({"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
                        "trailer", "trailers", "transfer-encoding", "upgrade", "content-length", "host",
                        "authorization", "cookie", "content-encoding", "accept-encoding", "x-deepseek-user"})
"""Headers not copied either way: hop-by-hop ones, the caller's credentials and identity (the
console's ``X-DeepSeek-User``), and encodings (the gateway reads the bodies, so it asks ollama for
identity encoding)."""


@dataclass
class Outcome:
    """What the answer told us, for metrics and limits."""

    status: int = 0
    tokens: Tokens | None = None
    first_chunk: float | None = None   # clock time of the first body bytes
    last_chunk: float | None = None
    generation_seconds: float | None = None   # ollama's own eval_duration, when it says
    extra: dict[str, Any] = field(default_factory=dict)


def upstream_headers(request: web.Request) -> dict[str, str]:
    return {k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP}


def downstream_headers(upstream: aiohttp.ClientResponse) -> dict[str, str]:
    return {k: v for k, v in upstream.headers.items() if k.lower() not in HOP_BY_HOP}


def prepare_openai_stream(body: dict[str, Any]) -> bool:
    """Ask ollama for the usage chunk (``stream_options.include_usage``, ollama ``middleware/
    openai.go:144-157``); returns whether the client itself asked for it (then it is kept)."""
    options = body.get("stream_options")
    asked = isinstance(options, dict) and options.get("include_usage") is True
    body["stream_options"] = {**(options if isinstance(options, dict) else {}), "include_usage": True}
    return asked


async def forward(request: web.Request, session: aiohttp.ClientSession, url: str | URL, *, method: str,
                  data: bytes | None, dialect: Dialect | None, keep_usage_chunk: bool, outcome: Outcome,
                  clock: Callable[[], float] = time.monotonic) -> web.StreamResponse:
    """Send the request to ``url`` and copy the answer back (dialect None = raw bytes, admin)."""
    headers = upstream_headers(request)
    # No query (the usual case) skips aiohttp's rebuilding of the URL with one.
    async with session.request(method, url, params=request.query or None, data=data, headers=headers,
                               allow_redirects=False, auto_decompress=False) as upstream:
        outcome.status = upstream.status
        ctype = upstream.headers.get("Content-Type", "")
        streaming = ctype.startswith(("text/event-stream", "application/x-ndjson"))
        if dialect is None or not streaming:
            if dialect is None and upstream.headers.get("Transfer-Encoding", "").lower() == "chunked":
                return await _copy_raw(request, upstream, outcome, clock)
            payload = await upstream.read()
            outcome.first_chunk = outcome.last_chunk = clock()
            if dialect is not None:
                payload = _whole_answer(payload, dialect, outcome)
            return web.Response(status=upstream.status, body=payload, headers=downstream_headers(upstream))
        response = web.StreamResponse(status=upstream.status, headers=downstream_headers(upstream))
        if dialect is Dialect.OPENAI:
            response.headers["Cache-Control"] = "no-cache"
            response.headers["X-Accel-Buffering"] = "no"
        await response.prepare(request)
        out = _HoldingLast(response)
        if dialect is Dialect.OPENAI:
            await _copy_sse(upstream, out, outcome, keep_usage_chunk, clock)
        else:
            await _copy_ndjson(upstream, out, outcome, clock)
        await response.write_eof(out.held)
        return response


def _whole_answer(payload: bytes, dialect: Dialect, outcome: Outcome) -> bytes:
    try:
        decoded = json.loads(payload)
    except ValueError:
        return payload
    if dialect is Dialect.OPENAI:
        outcome.tokens = openai_tokens(decoded)
        if isinstance(decoded, dict) and decoded.get("choices"):
            return json.dumps(reasoning.rename_reasoning(decoded), ensure_ascii=False).encode()
        return payload
    if dialect is Dialect.NATIVE:
        _native_final(decoded, outcome)
    return payload


def _native_final(decoded: Any, outcome: Outcome) -> None:
    outcome.tokens = native_tokens(decoded)
    duration = decoded.get("eval_duration") if isinstance(decoded, dict) else None
    if isinstance(duration, int) and duration > 0:
        outcome.generation_seconds = duration / 1e9


_REASONING_KEY = b'"reasoning":'
_RENAMED_KEY = b'"reasoning_content":'


def rename_reasoning_bytes(events: bytes) -> bytes | None:
    """The events with ollama's ``"reasoning":`` keys renamed in place, or None when that is not safe.

    ollama encodes with Go's ``encoding/json`` (compact: no space before the colon), and in JSON a
    quote inside a string is always escaped, so the bytes ``"reasoning":`` can only be an object key;
    the only ``reasoning`` keys ollama writes are ``delta``/``message``/choice ``reasoning``
    (``openai/openai.go``). R1 streams thinking for most of an answer, so renaming the bytes
    instead of decoding and re-encoding every chunk saves a JSON round trip per token. A chunk that
    also has ``reasoning_content`` (not ollama's) or usage goes through the decoding path instead.
    """
    if _RENAMED_KEY in events or b'"usage"' in events:
        return None
    return events.replace(_REASONING_KEY, _RENAMED_KEY)


class _HoldingLast:
    """Writes each read as it comes, except the one that ends the stream: that one is ``held`` for
    ``write_eof``, so it leaves with the end of the body in one write (one packet and one wake-up
    less for the client per stream). Anything after it is written in order."""

    def __init__(self, response: web.StreamResponse) -> None:
        self.response = response
        self.held = b""

    async def write(self, data: bytes, *, last: bool = False) -> None:
        if self.held:
            await self.response.write(self.held)
            self.held = b""
        if last:
            self.held = data
        else:
            await self.response.write(data)


_DONE_EVENT = b"data: [DONE]\n\n"
"""The last event of ollama's OpenAI streams (``middleware/openai.go``)."""


async def _copy_sse(upstream: aiohttp.ClientResponse, out: _HoldingLast, outcome: Outcome,
                    keep_usage_chunk: bool, clock: Callable[[], float]) -> None:
    """Forward whole SSE events as they arrive, one write per read, the ``[DONE]`` one last. Reasoning
    is renamed on the bytes (``rename_reasoning_bytes``); only reads that carry usage (the last) are
    decoded, so a stream costs one pass per chunk."""
    pending = b""
    async for chunk in upstream.content.iter_any():
        now = clock()
        if outcome.first_chunk is None:
            outcome.first_chunk = now
        pending += chunk
        cut = pending.rfind(b"\n\n")
        if cut < 0:
            continue
        events, pending = pending[:cut + 2], pending[cut + 2:]
        if b'"reasoning"' in events or b'"usage"' in events:
            renamed = rename_reasoning_bytes(events)
            events = renamed if renamed is not None else _rewrite_events(events, outcome, keep_usage_chunk)
        if b'"choices":[{' in events or b'"choices": [{' in events:
            outcome.last_chunk = now
        if events:
            await out.write(events, last=events.endswith(_DONE_EVENT))
    if pending:
        await out.write(_rewrite_events(pending, outcome, keep_usage_chunk), last=True)


def _rewrite_events(events: bytes, outcome: Outcome, keep_usage_chunk: bool) -> bytes:
    """Rename reasoning in each ``data:`` event, read usage, drop the usage event if unasked."""
    out: list[bytes] = []
    for event in events.split(b"\n\n"):
        if not event:
            continue
        payload = reasoning.parse_sse_data(event)
        if payload is None:
            out.append(event + b"\n\n")
            continue
        if reasoning.is_usage_chunk(payload):
            outcome.tokens = openai_tokens(payload)
            if not keep_usage_chunk:
                continue
        else:
            outcome.tokens = openai_tokens(payload) or outcome.tokens
        out.append(reasoning.sse_data_line(reasoning.rename_reasoning(payload)) + b"\n")
    return b"".join(out)


async def _copy_ndjson(upstream: aiohttp.ClientResponse, out: _HoldingLast, outcome: Outcome,
                       clock: Callable[[], float]) -> None:
    """Forward every read as is, the one with the final ``done`` line last; only that line is
    decoded (for usage)."""
    pending = b""
    async for chunk in upstream.content.iter_any():
        now = clock()
        if outcome.first_chunk is None:
            outcome.first_chunk = now
        outcome.last_chunk = now
        pending = (pending + chunk)[-65536:]
        done = b'"done":true' in pending or b'"done": true' in pending  # Go's encoder writes the first
        if done:
            for line in pending.split(b"\n"):
                if b'"done":true' in line or b'"done": true' in line:
                    with contextlib.suppress(ValueError):
                        _native_final(json.loads(line), outcome)
                        pending = b""
        await out.write(chunk, last=done and chunk.endswith(b"\n"))


async def _copy_raw(request: web.Request, upstream: aiohttp.ClientResponse, outcome: Outcome,
                    clock: Callable[[], float]) -> web.StreamResponse:
    response = web.StreamResponse(status=upstream.status, headers=downstream_headers(upstream))
    await response.prepare(request)
    async for chunk in upstream.content.iter_any():
        if outcome.first_chunk is None:
            outcome.first_chunk = clock()
        await response.write(chunk)
    await response.write_eof()
    return response
