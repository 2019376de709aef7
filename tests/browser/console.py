"""A loopback stand-in for ks-console, for the browser tests.

It serves the test page (harness/), the console's shared modules from frontend-config/node_modules
(UMD builds plus SystemJS), the built bundle at the path KubeSphere publishes it
(/pstatic/dist/deepseek/index.js), and proxies /kapis/... to the extension API the way ks-console
and ks-apiserver do: path and query unchanged, the user's identity in X-Remote-User; POST answers
(the chat stream) are passed on as they arrive.
"""

from __future__ import annotations

import http.client
import ssl
import urllib.parse
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from tests.doubles.loopback import LoopbackServer, QuietServer

ROOT = Path(__file__).resolve().parents[2]
HARNESS = Path(__file__).resolve().parent / "harness"
NODE_MODULES = ROOT / "frontend-config/node_modules"
BUNDLE_PATH = "/pstatic/dist/deepseek/index.js"

# name -> file: the production UMD build of each module the console shares with extensions.
VENDOR = {
    "react.js": "react/umd/react.production.min.js",
    "react-dom.js": "react-dom/umd/react-dom.production.min.js",
    "react-is.js": "react-is/umd/react-is.production.min.js",
    "remix-router.js": "@remix-run/router/dist/router.umd.min.js",
    "react-router.js": "react-router/dist/umd/react-router.production.min.js",
    "react-router-dom.js": "react-router-dom/dist/umd/react-router-dom.production.min.js",
    "styled-components.js": "styled-components/dist/styled-components.min.js",
    "system.js": "systemjs/dist/system.min.js",
    # npm ships no browser build of KubeSphere's component library: scripts/build-bundle.sh
    # --deps-only builds this SystemJS module (frontend-config/vendor.config.mjs).
    "kubed-components.js": ".deepseek-vendor/kubed-components.js",
}


class _Server(QuietServer):
    """Threads per connection; with ``ssl_context`` set, each connection does its TLS handshake in
    its own thread (wrapping the listening socket instead makes one slow client stall the rest)."""

    daemon_threads = True
    ssl_context: ssl.SSLContext | None = None

    def finish_request(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        if self.ssl_context is not None:
            try:
                request = self.ssl_context.wrap_socket(request, server_side=True)
            except (ssl.SSLError, OSError):
                return  # a client that gave up during the handshake
        super().finish_request(request, client_address)


class ConsoleDouble(LoopbackServer):
    """Start with `ConsoleDouble(bundle=..., api_url=...).start()`; `url` is its base URL."""

    def __init__(self, *, bundle: Path, api_url: str, user: str = "admin",
                 tls: tuple[Path, Path] | None = None) -> None:
        """``tls`` = (certificate, key): serve the console over https, as most installs do."""
        self.bundle = bundle
        self.api = urllib.parse.urlsplit(api_url)
        self.user = user
        self.api_requests: list[str] = []
        super().__init__(self._handler(), server_class=_Server, daemon_threads=True)
        if tls is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(str(tls[0]), str(tls[1]))
            self._server.ssl_context = context  # type: ignore[attr-defined]
            self.scheme = "https"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        double = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                return  # keep pytest output clean; failures show in assertions

            def _send(self, status: int, body: bytes, content_type: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                path = urllib.parse.urlsplit(self.path).path
                if path.startswith("/kapis/"):
                    self._proxy()
                elif path == BUNDLE_PATH:
                    self._send(200, double.bundle.read_bytes(), "application/javascript")
                elif path.startswith("/vendor/") and path[len("/vendor/"):] in VENDOR:
                    file = NODE_MODULES / VENDOR[path[len("/vendor/"):]]
                    self._send(200, file.read_bytes(), "application/javascript")
                elif path == "/harness.js":
                    self._send(200, (HARNESS / "harness.js").read_bytes(), "application/javascript")
                elif path == "/favicon.ico":
                    self._send(404, b"", "text/plain")
                else:
                    # Any other path is a console route: the single page handles it.
                    self._send(200, (HARNESS / "index.html").read_bytes(), "text/html; charset=utf-8")

            def do_DELETE(self) -> None:
                self._proxy("DELETE")

            def _proxy(self, method: str = "GET") -> None:
                double.api_requests.append(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                conn = http.client.HTTPConnection(double.api.hostname, double.api.port, timeout=30)
                try:
                    conn.request(method, self.path, body=body, headers={
                        "Accept": self.headers.get("Accept", "application/json"),
                        # What ks-apiserver's auth proxy sets after authenticating the user.
                        "X-Remote-User": double.user,
                        "X-Remote-Group": "system:authenticated",
                    })
                    response = conn.getresponse()
                    body = response.read()
                    self._send(response.status, body, response.getheader("Content-Type", "application/json"))
                except OSError as exc:
                    # ks-console answers 502 when its upstream is down; so do we.
                    self._send(502, f"upstream unreachable: {exc}".encode(), "text/plain")
                finally:
                    conn.close()

            def do_POST(self) -> None:
                if urllib.parse.urlsplit(self.path).path.startswith("/kapis/"):
                    self._proxy_stream()
                else:
                    self._send(405, b"", "text/plain")

            def _proxy_stream(self) -> None:
                # POST (the chat page): the body forwarded, the answer passed on as it arrives, as
                # ks-apiserver's proxy (UpgradeAwareHandler, which flushes) streams SSE.
                double.api_requests.append(f"POST {self.path}")
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                started = False
                conn = http.client.HTTPConnection(double.api.hostname, double.api.port, timeout=60)
                try:
                    conn.request("POST", self.path, body=body, headers={
                        "Content-Type": self.headers.get("Content-Type", "application/json"),
                        "Accept": self.headers.get("Accept", "*/*"),
                        "Accept-Language": self.headers.get("Accept-Language", "en"),
                        "X-Remote-User": double.user,
                        "X-Remote-Group": "system:authenticated",
                    })
                    response = conn.getresponse()
                    started = True
                    self.send_response(response.status)
                    for name in ("Content-Type", "Retry-After", "Cache-Control"):
                        if response.getheader(name):
                            self.send_header(name, response.getheader(name))
                    self.end_headers()  # HTTP/1.0: no length, the body ends when the connection does
                    while chunk := response.read1(65536):
                        self.wfile.write(chunk)
                        self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the page stopped the answer: closing upstream tells the API so
                except OSError as exc:
                    if not started:
                        self._send(502, f"upstream unreachable: {exc}".encode(), "text/plain")
                finally:
                    conn.close()

        return Handler


class CannedApi(LoopbackServer):
    """Answers every request with one fixed response: what ks-apiserver or a broken upstream
    sends *instead of* the extension API (401/403 Status objects, plain-text 502s). The states of
    the extension itself always come from the real API, never from here."""

    def __init__(self, *, status: int, body: bytes, content_type: str = "application/json") -> None:
        canned = (status, body, content_type)

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                return

            def do_GET(self) -> None:
                code, payload, kind = canned
                self.send_response(code)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        super().__init__(Handler)
