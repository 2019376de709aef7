"""A loopback double of ks-apiserver's ``GET /oauth/userinfo`` (KubeSphere release-4.1).

What the real server does (KubeSphere ``pkg/kapis/oauth/register.go:53`` routes ``/oauth/userinfo``
to ``handler.userinfo``, ``pkg/kapis/oauth/handler.go:705-737``; ``/oauth/*`` is excluded from
authorization but not from authentication, ``pkg/apiserver/apiserver.go:271``):

* a bearer token the authenticator rejects (unknown, expired, revoked): the authentication filter
  answers 401 with a Kubernetes ``Status`` (``pkg/apiserver/filters/authentication.go:64-72``);
* no token: the request is anonymous, and ``userinfo`` answers 401 with the OAuth error
  ``{"error": "login_required"}`` (``oauth.LoginRequired``, ``pkg/apiserver/authentication/oauth/error.go:60``);
* a valid token: 200 with ``token.Claims`` (``pkg/apiserver/authentication/token/issuer.go:69``):
  ``sub`` and ``preferred_username`` are the user name, ``url`` (sic: the ``Name`` field's JSON tag)
  too, ``email`` and ``locale`` from the User object.

Use: ``with KsOAuthDouble({"token-of-alice": "alice"}) as ks: ks.url; ks.requests``. ``fault`` makes
every answer that status (or a delay) to test unavailability.
"""

from __future__ import annotations

import json
import time
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.doubles.loopback import LoopbackServer


class KsOAuthDouble(LoopbackServer):
    def __init__(self, tokens: dict[str, str]) -> None:
        self.tokens = dict(tokens)
        self.requests = 0
        self.fault_status: int | None = None
        self.delay = 0.0
        self.seen_authorization: list[str] = []
        double = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _send(self, status: int, body: dict[str, Any]) -> None:
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def do_GET(self) -> None:
                double.requests += 1
                if double.delay:
                    time.sleep(double.delay)
                if double.fault_status:
                    self._send(double.fault_status, {"message": "fault injected"})
                    return
                if self.path.split("?")[0] != "/oauth/userinfo":
                    self._send(404, {"kind": "Status", "status": "Failure", "code": 404, "reason": "NotFound"})
                    return
                header = self.headers.get("Authorization") or ""
                double.seen_authorization.append(header)
                scheme, _, token = header.partition(" ")
                if scheme.lower() != "bearer" or not token:
                    self._send(401, {"error": "login_required", "error_description": "login required"})
                    return
                user = double.tokens.get(token.strip())
                if user is None:
                    self._send(401, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                                     "message": "token not found in cache", "reason": "Unauthorized", "code": 401})
                    return
                self._send(200, {"sub": user, "url": user, "email": f"{user}@kubesphere.io", "locale": "en",
                                 "preferred_username": user})

        super().__init__(Handler, daemon_threads=True, name="ks-oauth-double")
