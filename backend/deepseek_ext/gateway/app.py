"""The gateway's HTTP servers: the application listener, the admin listener and the metrics port.

Application listener (the Service's port 11434): the allow-list of ``routes``, a key per caller
(``keys``), configured models only, per-key limits (``limits``), reasoning renamed on ``/v1``.
A key named in ``trusted_proxy_keys`` (the console's) may name the person it acts for in
``X-DeepSeek-User``; that request is then metered and limited as ``user:<name>``. From any other key
the header is ignored and never forwarded.
Admin listener (pod port 11435): everything is forwarded, for the model manager and the API only,
with their key (a NetworkPolicy also admits only their pods); its own ``GET /usage`` is the usage
summary per caller. Metrics port: ``/metrics``, ``/healthz`` (the process), ``/readyz`` (ollama answers).
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from yarl import URL

from deepseek_ext.core import names
from deepseek_ext.core.messages import MessageCatalog
from deepseek_ext.gateway import proxy
from deepseek_ext.gateway.errors import error_response
from deepseek_ext.gateway.keys import KeyStore, bearer_token
from deepseek_ext.gateway.limits import LimitConfig, Limiter
from deepseek_ext.gateway.routes import ROUTES, Dialect, find_route, is_admin_path
from deepseek_ext.gateway.usage import USER_PREFIX, GatewayMetrics

log = logging.getLogger(__name__)

ANONYMOUS = "anonymous"
"""The key name of keyless callers (only with ``require_key=False``) and of public routes."""
NO_MODEL = ""
MAX_BODY_BYTES = 64 * 1024 * 1024
"""Requests carry whole conversations and embedding batches; aiohttp's 1 MiB default is too small."""
DEFAULT_READ_TIMEOUT = 1800.0
"""Seconds without a byte from ollama before giving up: above NextChat's 10 minutes, since loading a
large model or a long prompt sends nothing for minutes."""

USER_HEADER = "X-DeepSeek-User"
"""Set by a trusted proxy (the extension API's chat route) to the KubeSphere user it acts for."""
USER_NAME_RE = re.compile(r"^[A-Za-z0-9][-A-Za-z0-9@._]{0,252}$")
"""KubeSphere user names (and LDAP/OIDC ones with ``@`` and dots); also safe as a metric label."""
USAGE_PATH = "/usage"

SESSION_KEY: web.AppKey[aiohttp.ClientSession] = web.AppKey("session", aiohttp.ClientSession)


@dataclass
class GatewayConfig:
    ollama_url: str
    catalog: MessageCatalog
    keys: KeyStore | None = None
    require_key: bool = True
    models: tuple[str, ...] | None = None
    """Models that may be requested (normalized); None = any."""
    limits: LimitConfig = field(default_factory=LimitConfig)
    admin_keys: KeyStore | None = None
    read_timeout: float = DEFAULT_READ_TIMEOUT
    trusted_proxy_keys: frozenset[str] = frozenset()
    """Key names whose requests may carry ``X-DeepSeek-User`` (the console key: ``console``)."""


def _json_body(raw: bytes) -> dict[str, Any] | None:
    try:
        body = json.loads(raw) if raw else {}
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _client_session(config: GatewayConfig) -> aiohttp.ClientSession:
    timeout = aiohttp.ClientTimeout(total=None, connect=10, sock_connect=10, sock_read=config.read_timeout)
    # No per-host cap: the limits module decides how many requests run; ollama queues the rest.
    connector = aiohttp.TCPConnector(limit=0, limit_per_host=0, keepalive_timeout=30)
    return aiohttp.ClientSession(connector=connector, timeout=timeout, auto_decompress=False,
                                 skip_auto_headers=("User-Agent",))


async def _session_ctx(app: web.Application, config: GatewayConfig) -> Any:
    app[SESSION_KEY] = _client_session(config)
    yield
    await app[SESSION_KEY].close()


class Gateway:
    """The application listener's handler."""

    def __init__(self, config: GatewayConfig, metrics: GatewayMetrics) -> None:
        self.config = config
        self.metrics = metrics
        self.limiter = Limiter(config.limits)
        self.base = config.ollama_url.rstrip("/")
        self.upstream = {path: URL(self.base + path) for _, path in ROUTES}
        """ollama's URL per allowed route, parsed once."""

    def _error(self, status: int, code: str, request_path: str, **params: Any) -> web.Response:
        headers = {"Retry-After": str(params["retryAfter"])} if "retryAfter" in params else None
        return error_response(self.config.catalog, status=status, code=code, request_path=request_path,
                              headers=headers, **params)

    def _caller(self, request: web.Request) -> tuple[str | None, str | None]:
        """(caller, refusal code): who calls (a key name or ``user:<name>``), or why they may not."""
        token = bearer_token(request.headers.get("Authorization"))
        if token is not None:
            name = self.config.keys.identify(token) if self.config.keys else None
            if not name:
                return None, "GatewayKeyInvalid"
            return self._acting_for(request, name)
        if self.config.require_key:
            return None, "GatewayKeyMissing"
        return ANONYMOUS, None

    def _acting_for(self, request: web.Request, key: str) -> tuple[str | None, str | None]:
        """A trusted proxy key's request is charged to the user it names; any other key's header is ignored."""
        if key not in self.config.trusted_proxy_keys:
            return key, None
        user = request.headers.get(USER_HEADER, "").strip()
        if not user:
            return key, None
        if not USER_NAME_RE.match(user):
            return None, "GatewayUserInvalid"
        return USER_PREFIX + user, None

    async def handle(self, request: web.Request) -> web.StreamResponse:
        started = time.monotonic()
        path = request.path
        route = find_route(request.method, path)
        if route is None:
            if is_admin_path(path):
                return self._error(403, "GatewayAdminRoute", path, path=path)
            return self._error(404, "GatewayUnknownRoute", path, method=request.method, path=path)
        if route.public:
            key: str | None = ANONYMOUS
        else:
            key, refusal = self._caller(request)
            if refusal:
                status = 400 if refusal == "GatewayUserInvalid" else 401
                self.metrics.request(key=refusal, model=NO_MODEL, code=status)
                return self._error(status, refusal, path)
        assert key is not None
        raw = await request.read() if request.method == "POST" else None
        model = NO_MODEL
        keep_usage = True
        if raw is not None:
            body = _json_body(raw)
            if body is None:
                self._refused(key, model, 400)
                return self._error(400, "GatewayBadRequest", path)
            if route.has_model:
                asked = str(body.get("model") or body.get("name") or "")
                model = names.normalize(asked) if asked else NO_MODEL
                served = self.config.models
                if served is not None and model not in served:
                    self._refused(key, NO_MODEL, 404)
                    return self._error(404, "GatewayModelNotServed", path, model=asked, models=list(served))
            if route.dialect is Dialect.OPENAI and body.get("stream") is True:
                keep_usage = proxy.prepare_openai_stream(body)
                raw = json.dumps(body).encode()
        refusal_limit = self.limiter.acquire(key)
        if refusal_limit is not None:
            limit_code = "GatewayLimitConcurrent" if refusal_limit.reason == "concurrent" else "GatewayLimitTokens"
            self._refused(key, model, 429)
            return self._error(429, limit_code, path, keyName=key, limit=refusal_limit.limit,
                               retryAfter=refusal_limit.retry_after)
        outcome = proxy.Outcome()
        code = 499  # nginx's "client closed request", if the client leaves before the answer is done
        try:
            response = await proxy.forward(request, request.app[SESSION_KEY], self.upstream[route.path],
                                           method=request.method, data=raw, dialect=route.dialect,
                                           keep_usage_chunk=keep_usage, outcome=outcome)
            code = outcome.status
            return response
        except (TimeoutError, aiohttp.ClientConnectionError) as exc:
            if outcome.status:
                raise  # the answer had started: nothing sane to send, drop the connection
            log.warning("gateway: ollama unreachable for %s %s: %s", request.method, route.path, type(exc).__name__)
            code = 502
            return self._error(502, "GatewayUpstreamUnavailable", path)
        finally:
            self.limiter.release(key)
            self._account(key, model, code, started, outcome)

    def _refused(self, key: str, model: str, code: int) -> None:
        """A known caller's request answered by the gateway itself (bad body, model, limit)."""
        self.metrics.request(key=key, model=model, code=code)
        self.metrics.usage.record(caller=key, model=model, code=code, tokens=None)

    def _account(self, key: str, model: str, code: int, started: float, outcome: proxy.Outcome) -> None:
        self.metrics.request(key=key, model=model, code=code)
        tokens = outcome.tokens
        self.metrics.usage.record(caller=key, model=model, code=code, tokens=tokens)
        if tokens is not None:
            self.metrics.count_tokens(key=key, model=model, tokens=tokens)
            self.limiter.spend(key, tokens.prompt + tokens.completion)
        if model and outcome.first_chunk is not None:
            self.metrics.first_token(key=key, model=model, seconds=outcome.first_chunk - started)
        if model and tokens is not None and tokens.completion:
            seconds = outcome.generation_seconds
            if seconds is None and outcome.last_chunk is not None and outcome.first_chunk is not None:
                seconds = outcome.last_chunk - outcome.first_chunk
            if seconds:
                self.metrics.generation_rate(key=key, model=model, tokens=tokens.completion, seconds=seconds)


class AdminGateway:
    """The admin listener: the manager's key, then everything forwarded as is."""

    def __init__(self, config: GatewayConfig, metrics: GatewayMetrics) -> None:
        self.config = config
        self.metrics = metrics
        self.base = config.ollama_url.rstrip("/")

    async def handle(self, request: web.Request) -> web.StreamResponse:
        token = bearer_token(request.headers.get("Authorization"))
        key = self.config.admin_keys.identify(token) if token and self.config.admin_keys else None
        if key is None:
            self.metrics.request(key="GatewayAdminKey", model=NO_MODEL, code=401)
            return error_response(self.config.catalog, status=401, code="GatewayAdminKey",
                                  request_path=request.path)
        if request.path == USAGE_PATH and request.method == "GET":
            return web.json_response(self.metrics.usage.summary())
        raw = await request.read() if request.body_exists else None
        outcome = proxy.Outcome()
        try:
            return await proxy.forward(request, request.app[SESSION_KEY], self.base + request.rel_url.path,
                                       method=request.method, data=raw, dialect=None,
                                       keep_usage_chunk=True, outcome=outcome)
        except (TimeoutError, aiohttp.ClientConnectionError):
            if outcome.status:
                raise
            return error_response(self.config.catalog, status=502, code="GatewayUpstreamUnavailable",
                                  request_path=request.path)
        finally:
            self.metrics.request(key=key, model=NO_MODEL, code=outcome.status or 499)


def _with_session(app: web.Application, config: GatewayConfig) -> web.Application:
    async def ctx(app: web.Application) -> Any:
        async for _ in _session_ctx(app, config):
            yield
    app.cleanup_ctx.append(ctx)
    return app


def create_app(config: GatewayConfig, metrics: GatewayMetrics) -> web.Application:
    gateway = Gateway(config, metrics)
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app.router.add_route("*", "/{tail:.*}", gateway.handle)
    return _with_session(app, config)


def create_admin_app(config: GatewayConfig, metrics: GatewayMetrics) -> web.Application:
    admin = AdminGateway(config, metrics)
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app.router.add_route("*", "/{tail:.*}", admin.handle)
    return _with_session(app, config)


def create_metrics_app(config: GatewayConfig, metrics: GatewayMetrics) -> web.Application:
    async def metrics_view(request: web.Request) -> web.Response:
        return web.Response(body=generate_latest(metrics.registry), headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def healthz(request: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    async def readyz(request: web.Request) -> web.Response:
        try:
            async with request.app[SESSION_KEY].get(config.ollama_url.rstrip("/") + "/",
                                                    timeout=aiohttp.ClientTimeout(total=3)) as answer:
                ready = answer.status == 200
        except (TimeoutError, aiohttp.ClientError):
            ready = False
        return web.json_response({"ok": ready}, status=200 if ready else 503)

    app = web.Application()
    app.router.add_get("/metrics", metrics_view)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    return _with_session(app, config)


@dataclass(frozen=True)
class Listen:
    host: str
    port: int

    @classmethod
    def parse(cls, text: str) -> Listen:
        host, _, port = text.rpartition(":")
        return cls(host.strip("[]") or "0.0.0.0", int(port))


async def start_site(app: web.Application, listen: Listen) -> web.AppRunner:
    """Serve ``app`` on ``listen``; handlers are cancelled when their client disconnects."""
    runner = web.AppRunner(app, handler_cancellation=True, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, listen.host, listen.port, backlog=1024).start()
    return runner


async def serve(config: GatewayConfig, *, listen: Listen, metrics_listen: Listen | None,
                admin_listen: Listen | None, stop: asyncio.Event) -> None:
    metrics = GatewayMetrics()
    runners = [await start_site(create_app(config, metrics), listen)]
    if admin_listen is not None:
        runners.append(await start_site(create_admin_app(config, metrics), admin_listen))
    if metrics_listen is not None:
        runners.append(await start_site(create_metrics_app(config, metrics), metrics_listen))
    log.info("gateway: serving on %s:%d for %s", listen.host, listen.port, config.ollama_url)
    try:
        await stop.wait()
    finally:
        for runner in reversed(runners):
            await runner.cleanup()
