"""Who is calling: ``X-Remote-User`` as ks-apiserver sets it, verified against ks-apiserver where it matters.

ks-apiserver authenticates every ``/kapis`` request, deletes any ``X-Remote-*`` the client sent,
sets them from the authenticated user and keeps the user's ``Authorization: Bearer <JWT>``
(KubeSphere ``pkg/apiserver/filters/apiservice.go``, client-go ``transport/round_trippers.go``
``SetAuthProxyHeaders``; reference/kubesphere.md 6.3). The header is trustworthy only when nothing
but ks-apiserver reaches the pod; where NetworkPolicy is not enforced (flannel) any pod could forge
it. So, with ``verify_caller`` on, a request that acts (writes, chat, reads of secrets) must carry
a bearer token that ks-apiserver itself names as that user: ``GET /oauth/userinfo`` with the token
(KubeSphere release-4.1 ``pkg/kapis/oauth/register.go:53``, handler ``userinfo`` in ``handler.go``:
200 with ``token.Claims`` JSON, ``sub`` and ``preferred_username`` = the user name; 401 when the
token is invalid, expired or revoked, from the authentication filter or ``oauth.LoginRequired``).

Reads pass with the header alone: Flask answers them the same whoever asks (the name is only
logged), so checking it would protect nothing, and the console polls status every few seconds.
Reads that return a secret (``accesscode``) are verified like writes.

Answers are cached by the token's SHA-256 for a bounded time (never the token itself; the token is
never logged), concurrent requests with one token share one lookup, and refusals are cached
briefly, so a console tab costs ks-apiserver one call per TTL.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import aiohttp

from deepseek_ext.edge.config import IdentitySettings
from deepseek_ext.gateway.keys import bearer_token
from deepseek_ext.settings import API_PREFIX

log = logging.getLogger("deepseek_ext.audit")

USER_HEADER = "X-Remote-User"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SECRET_READS = frozenset({"accesscode"})
"""Resources (first segment after the prefix) whose GET returns a secret: verified like writes."""
USERINFO_PATH = "/oauth/userinfo"


class Refusal(StrEnum):
    """Why a request that must be verified is refused (the ``reason`` of the 401 envelope)."""

    NO_USER = "noUser"
    NO_TOKEN = "noToken"
    INVALID_TOKEN = "invalidToken"
    MISMATCH = "userMismatch"


class VerifierUnavailable(Exception):
    """ks-apiserver did not give an answer (down, slow, 5xx, not JSON): 503, never a guess."""


@dataclass(frozen=True)
class Caller:
    """The outcome for one request: the user name to pass on, or why it is refused."""

    user: str | None
    verified: bool = False
    refusal: Refusal | None = None


def needs_verification(method: str, path: str) -> bool:
    """Writes, chat (a POST) and secret reads; every other read passes with the header alone."""
    if method.upper() not in SAFE_METHODS:
        return True
    resource = path[len(API_PREFIX):].strip("/").split("/", 1)[0] if path.startswith(API_PREFIX + "/") else ""
    return resource in SECRET_READS


def header_user(headers: Any) -> str | None:
    user = (headers.get(USER_HEADER) or "").strip()
    return user or None


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def user_of(claims: Any) -> str | None:
    """The user name in a ``/oauth/userinfo`` answer (``preferred_username``, else ``sub``)."""
    if not isinstance(claims, dict):
        return None
    name = claims.get("preferred_username") or claims.get("sub")
    return name.strip() or None if isinstance(name, str) else None


class UserInfoCache:
    """token digest -> (user name or None, expiry), bounded, with one lookup in flight per digest."""

    def __init__(self, settings: IdentitySettings, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self._clock = clock
        self._entries: OrderedDict[str, tuple[str | None, float]] = OrderedDict()
        self._inflight: dict[str, asyncio.Future[str | None]] = {}
        self.lookups = 0
        """Calls made to ks-apiserver (tests and metrics)."""

    def _cached(self, digest: str) -> tuple[bool, str | None]:
        entry = self._entries.get(digest)
        if entry is None:
            return False, None
        if entry[1] <= self._clock():
            del self._entries[digest]
            return False, None
        return True, entry[0]

    def _store(self, digest: str, user: str | None) -> None:
        ttl = self.settings.ttl_seconds if user else self.settings.refused_ttl_seconds
        self._entries[digest] = (user, self._clock() + ttl)
        self._entries.move_to_end(digest)
        while len(self._entries) > self.settings.max_entries:
            self._entries.popitem(last=False)

    async def user_for(self, session: aiohttp.ClientSession, token: str) -> str | None:
        """The user ks-apiserver names for ``token``, None if it refuses the token.

        :raise VerifierUnavailable: no answer from ks-apiserver.
        """
        digest = token_digest(token)
        hit, user = self._cached(digest)
        if hit:
            return user
        pending = self._inflight.get(digest)
        if pending is not None:
            return await asyncio.shield(pending)
        future: asyncio.Future[str | None] = asyncio.get_running_loop().create_future()
        self._inflight[digest] = future
        try:
            user = await self._ask(session, token)
        except BaseException as exc:
            future.set_exception(exc if isinstance(exc, VerifierUnavailable) else VerifierUnavailable())
            future.exception()  # retrieved: waiters re-raise it, nobody logs "never retrieved"
            raise
        finally:
            del self._inflight[digest]
        self._store(digest, user)
        future.set_result(user)
        return user

    async def _ask(self, session: aiohttp.ClientSession, token: str) -> str | None:
        self.lookups += 1
        url = self.settings.ks_apiserver_url.rstrip("/") + USERINFO_PATH
        timeout = aiohttp.ClientTimeout(total=self.settings.timeout_seconds)
        try:
            async with session.get(url, headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
                                   timeout=timeout, allow_redirects=False) as answer:
                if answer.status in (401, 403):
                    return None
                if answer.status != 200:
                    raise VerifierUnavailable(f"HTTP {answer.status}")
                claims = await answer.json(content_type=None)
        except (TimeoutError, aiohttp.ClientError, ValueError) as exc:
            log.warning("edge: ks-apiserver %s unanswered: %s", USERINFO_PATH, type(exc).__name__)
            raise VerifierUnavailable(type(exc).__name__) from None
        return user_of(claims)


class Identity:
    """Decides who calls, per request (``verify_caller`` off: the header alone, as before the edge)."""

    def __init__(self, settings: IdentitySettings, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.settings = settings
        self.cache = UserInfoCache(settings, clock=clock)

    async def caller(self, session: aiohttp.ClientSession, *, method: str, path: str, headers: Any) -> Caller:
        """:raise VerifierUnavailable: the request must be verified and ks-apiserver gives no answer."""
        user = header_user(headers)
        if not self.settings.verify_caller or not needs_verification(method, path):
            return Caller(user=user)
        if user is None:
            return Caller(user=None, refusal=Refusal.NO_USER)
        token = bearer_token(headers.get("Authorization"))
        if token is None:
            return Caller(user=None, refusal=Refusal.NO_TOKEN)
        verified = await self.cache.user_for(session, token)
        if verified is None:
            return Caller(user=None, refusal=Refusal.INVALID_TOKEN)
        if verified != user:
            # Names only (never the token): who the header claimed and who the token is.
            log.warning("edge: refused %s %s: X-Remote-User=%s but the token is %s's", method, path, user, verified)
            return Caller(user=None, refusal=Refusal.MISMATCH)
        return Caller(user=verified, verified=True)
