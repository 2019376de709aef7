"""Reading a request body completely, then forwarding the request to gunicorn on loopback.

The body is read here, within ``max_body_bytes`` and ``body_timeout_seconds``, before gunicorn sees
a byte, so a slow client costs a coroutine and a socket, never a worker thread. The request then
goes to gunicorn as it came (method, path, query, headers) minus hop-by-hop headers, and the answer
comes back as it is; an answer without a length (a stream) is copied chunk by chunk.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping

import aiohttp
from aiohttp import web
from multidict import CIMultiDict
from yarl import URL

from deepseek_ext.core.messages import Message
from deepseek_ext.edge.errors import envelope

log = logging.getLogger(__name__)

HOP_BY_HOP = frozenset({"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
                        "te", "trailer", "trailers", "transfer-encoding", "upgrade", "host", "content-length"})
"""RFC 9110 7.6.1 connection-specific headers (and the length, which the forward recomputes)."""
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
STARTED_KEY: web.RequestKey[bool] = web.RequestKey("deepseek.forward.started", bool)
"""Set once the answer's headers went out: a failure after that can only drop the connection."""


class BodyRefused(Exception):
    """The body is too large or too slow; ``response`` is the envelope to send (then close)."""

    def __init__(self, response: web.Response) -> None:
        super().__init__(response.status)
        self.response = response


def _too_large(request: web.Request, limit: int, given: int | None) -> BodyRefused:
    response = envelope(request, status=413, code="PayloadTooLarge",
                        msg=Message("error.PayloadTooLarge.request", {"limit": limit}),
                        field="body", given=given, allowed=f"<= {limit} bytes")
    response.force_close()  # the rest of the body is not read: the connection cannot be reused
    return BodyRefused(response)


async def read_body(request: web.Request, *, limit: int, timeout: float) -> bytes:
    """The whole body (b"" when there is none).

    :raise BodyRefused: 413 over ``limit`` (by Content-Length at once, else while reading),
        408 when it has not arrived within ``timeout`` seconds.
    """
    declared = request.content_length
    if declared is not None and declared > limit:
        raise _too_large(request, limit, declared)
    if not request.body_exists:
        return b""
    try:
        async with asyncio.timeout(timeout):
            return await request.read()  # aiohttp stops at client_max_size (= limit)
    except web.HTTPRequestEntityTooLarge:
        raise _too_large(request, limit, declared) from None
    except TimeoutError:
        response = envelope(request, status=408, code="RequestTimeout",
                            msg=Message("error.RequestTimeout", {"seconds": f"{timeout:g}"}),
                            field="body", allowed=f"a complete body within {timeout:g} s")
        response.force_close()
        raise BodyRefused(response) from None


def forward_headers(headers: Mapping[str, str], *, user: str | None, set_user: bool) -> CIMultiDict[str]:
    """The request headers for gunicorn; ``set_user`` replaces X-Remote-User with the verified name."""
    out: CIMultiDict[str] = CIMultiDict()
    connection_listed = {h.strip().lower() for h in headers.get("Connection", "").split(",") if h.strip()}
    for name, value in headers.items():
        lower = name.lower()
        if lower in HOP_BY_HOP or lower in connection_listed:
            continue
        if set_user and lower == "x-remote-user":
            continue
        out.add(name, value)
    if set_user and user:
        out["X-Remote-User"] = user
    return out


def response_headers(upstream: aiohttp.ClientResponse) -> CIMultiDict[str]:
    out: CIMultiDict[str] = CIMultiDict()
    for name, value in upstream.headers.items():
        if name.lower() not in HOP_BY_HOP:
            out.add(name, value)
    return out


async def forward(request: web.Request, session: aiohttp.ClientSession, base_url: str, *, body: bytes,
                  headers: CIMultiDict[str], timeout: float) -> web.StreamResponse:
    """Send the request to gunicorn and its answer back.

    :raise aiohttp.ClientError, TimeoutError: gunicorn could not be reached or did not answer.
    """
    # raw_path: the path and query exactly as sent (no re-quoting of %2F and friends).
    url = URL(base_url.rstrip("/") + request.raw_path, encoded=True)
    attempts = 2 if request.method in SAFE_METHODS else 1
    for attempt in range(attempts):
        try:
            return await _exchange(request, session, url, body=body, headers=headers, timeout=timeout)
        except aiohttp.ServerDisconnectedError:
            # A kept-alive connection gunicorn closed meanwhile: a read is safe to send once more.
            if attempt + 1 == attempts:
                raise
    raise AssertionError("unreachable")


async def _exchange(request: web.Request, session: aiohttp.ClientSession, url: URL, *, body: bytes,
                    headers: CIMultiDict[str], timeout: float) -> web.StreamResponse:
    client_timeout = aiohttp.ClientTimeout(total=None, connect=5, sock_read=timeout)
    async with session.request(request.method, url, data=body or None, headers=headers, timeout=client_timeout,
                               allow_redirects=False, auto_decompress=False) as upstream:
        out_headers = response_headers(upstream)
        if upstream.content_length is not None or request.method == "HEAD":
            payload = await upstream.read()
            return web.Response(status=upstream.status, body=payload, headers=out_headers)
        response = web.StreamResponse(status=upstream.status, headers=out_headers)
        await response.prepare(request)
        request[STARTED_KEY] = True
        async for chunk in upstream.content.iter_any():
            await response.write(chunk)
        await response.write_eof()
        return response


def upstream_unavailable(request: web.Request, exc: BaseException) -> web.Response:
    log.warning("edge: gunicorn unreachable for %s %s: %s", request.method, request.path, type(exc).__name__)
    return envelope(request, status=502, code="ApiUpstreamUnavailable")
