"""A loopback HTTP server in a daemon thread: what the suite's HTTP stand-ins are built on (the
ollama double, the console and API doubles of the browser tests, ks-apiserver's OAuth endpoint)."""

from __future__ import annotations

import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self


class QuietServer(ThreadingHTTPServer):
    """A threading server that says nothing when a client went away before its answer was written,
    as Go's ``net/http`` does (``server.go``, ``checkConnErrorWriter`` keeps the write error and the
    connection is closed without a log line); any other error of a handler is printed as before."""

    def handle_error(self, request: object, client_address: object) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):  # BrokenPipe, ConnectionReset, -Aborted
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class LoopbackServer:
    """Serves ``handler`` on ``address`` (127.0.0.1, a free port) from ``start()`` (or ``with``) to
    ``stop()``."""

    scheme = "http"

    def __init__(self, handler: type[BaseHTTPRequestHandler], *, address: tuple[str, int] = ("127.0.0.1", 0),
                 server_class: type[ThreadingHTTPServer] = QuietServer,
                 daemon_threads: bool = False, name: str | None = None) -> None:
        self._server = server_class(address, handler)
        self._server.daemon_threads = daemon_threads
        self.thread_name = name

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"{self.scheme}://{host}:{port}"

    def start(self, *, poll_interval: float = 0.5) -> Self:
        """Serve from a daemon thread; ``stop()`` waits up to ``poll_interval`` for it to notice."""
        thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": poll_interval},
                                  name=self.thread_name, daemon=True)
        thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
