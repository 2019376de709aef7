"""Wiring: one aiohttp app that answers ``/healthz`` itself, reads bodies, decides who calls, and
routes chat to the gateway and everything else to gunicorn. ``serve`` runs it (TLS when given)."""

from __future__ import annotations

import asyncio
import logging
import ssl
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from deepseek_ext.core.messages import Message
from deepseek_ext.edge import proxy
from deepseek_ext.edge.chat import CHAT_PATH, Chat
from deepseek_ext.edge.config import EdgeConfig
from deepseek_ext.edge.errors import envelope
from deepseek_ext.edge.identity import Identity, Refusal, VerifierUnavailable
from deepseek_ext.gateway.app import Listen
from deepseek_ext.settings import API_PREFIX

log = logging.getLogger(__name__)

SESSION_KEY: web.AppKey[aiohttp.ClientSession] = web.AppKey("edge-session", aiohttp.ClientSession)
USER_KEY: web.RequestKey[str] = web.RequestKey("deepseek.user", str)
"""``request[USER_KEY]``: the caller's name once decided, for handlers (contracts §1; a typed key,
since aiohttp 3.14 warns on plain string keys)."""
LIVENESS_PATH = "/healthz"
READINESS_PATH = "/readyz"


class Edge:
    def __init__(self, config: EdgeConfig) -> None:
        self.config = config
        self.identity = Identity(config.identity)
        self.chat = Chat(config.chat)

    async def healthz(self, request: web.Request) -> web.Response:
        """The edge's own liveness: the event loop turns (nothing upstream is asked)."""
        return web.json_response({"status": "ok", "component": "edge"})

    async def handle(self, request: web.Request) -> web.StreamResponse:
        try:
            body = await proxy.read_body(request, limit=self.config.max_body_bytes,
                                         timeout=self.config.body_timeout_seconds)
        except proxy.BodyRefused as refused:
            return refused.response
        session = request.app[SESSION_KEY]
        try:
            caller = await self.identity.caller(session, method=request.method, path=request.path,
                                                headers=request.headers)
        except VerifierUnavailable:
            return envelope(request, status=503, code="CallerVerificationUnavailable",
                            msg=Message("error.CallerVerificationUnavailable",
                                        {"url": self.config.identity.ks_apiserver_url}))
        if caller.refusal is not None:
            return self._refused(request, caller.refusal)
        if caller.user is not None:
            request[USER_KEY] = caller.user
        if request.path == CHAT_PATH:
            return await self.chat.handle(request, session, user=caller.user, body=body)
        headers = proxy.forward_headers(request.headers, user=caller.user, set_user=caller.verified)
        try:
            return await proxy.forward(request, session, self.config.upstream_url, body=body, headers=headers,
                                       timeout=self.config.upstream_timeout_seconds)
        except (TimeoutError, aiohttp.ClientError) as exc:
            if request.get(proxy.STARTED_KEY):
                raise
            return proxy.upstream_unavailable(request, exc)

    def _refused(self, request: web.Request, refusal: Refusal) -> web.Response:
        """401: the request acts and its caller could not be verified."""
        no_user = refusal is Refusal.NO_USER
        field = "X-Remote-User" if no_user else "Authorization"
        return envelope(request, status=401, code="Unauthenticated" if no_user else "CallerUnverified",
                        msg=Message(f"error.CallerUnverified.{refusal.value}", {"prefix": API_PREFIX}),
                        field=field, reason=refusal.value)


EDGE_KEY: web.AppKey[Edge] = web.AppKey("edge", Edge)


def _client_session() -> aiohttp.ClientSession:
    # gunicorn keeps idle connections 5 s (gunicorn.conf.py keepalive): ours expire first, so a request
    # never lands on a connection gunicorn is closing.
    connector = aiohttp.TCPConnector(limit=0, keepalive_timeout=2)
    return aiohttp.ClientSession(connector=connector, auto_decompress=False, skip_auto_headers=("User-Agent",))


def create_app(config: EdgeConfig) -> web.Application:
    edge = Edge(config)
    app = web.Application(client_max_size=config.max_body_bytes)
    app[EDGE_KEY] = edge

    async def session_ctx(app: web.Application) -> Any:
        app[SESSION_KEY] = _client_session()
        yield
        await app[SESSION_KEY].close()

    app.cleanup_ctx.append(session_ctx)
    app.router.add_get(LIVENESS_PATH, edge.healthz)
    app.router.add_route("*", "/{tail:.*}", edge.handle)
    return app


def server_ssl_context(cert: Path, key: Path) -> ssl.SSLContext:
    """TLS 1.2+ with the chart's serving certificate (ks-apiserver checks it with the APIService caBundle)."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(certfile=str(cert), keyfile=str(key))
    return context


async def start(app: web.Application, listen: Listen, ssl_context: ssl.SSLContext | None = None) -> web.AppRunner:
    """Serve ``app``; handlers are cancelled when their client disconnects (a chat stream stops)."""
    runner = web.AppRunner(app, handler_cancellation=True, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, listen.host, listen.port, ssl_context=ssl_context, backlog=1024).start()
    return runner


async def serve(config: EdgeConfig, *, listen: Listen, ssl_context: ssl.SSLContext | None,
                stop: asyncio.Event) -> None:
    runner = await start(create_app(config), listen, ssl_context)
    log.info("edge: serving %s on %s:%d for %s (caller verification %s)", "https" if ssl_context else "http",
             listen.host, listen.port, config.upstream_url, "on" if config.identity.verify_caller else "off")
    try:
        await stop.wait()
    finally:
        await runner.cleanup()
