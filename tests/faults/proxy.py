"""A loopback HTTP/1.1 proxy that can break answers off mid-body (the "watch that breaks" case).

Why a proxy and not a knob in the Kubernetes double: a stream that stops half-way is a transport
fault, not an API answer, and wrapping keeps tests/doubles/kube.py unchanged. The proxy forwards
one request per connection (it answers ``Connection: close``, so the client opens a new one next
time) and, while ``broken`` is set, sends the status line, the headers (with the full
``Content-Length``) and only half of the body before closing the socket, which is what a client
sees when an API server or a load balancer in front of it dies in the middle of a LIST or watch.
"""

from __future__ import annotations

import contextlib
import socket
import threading


def _read_request(conn: socket.socket) -> bytes | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip() or 0)
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    lines = [line for line in head.split(b"\r\n") if not line.lower().startswith(b"connection:")]
    return b"\r\n".join([*lines, b"Connection: close"]) + b"\r\n\r\n" + body


def _read_response(upstream: socket.socket) -> bytes:
    data = b""
    while True:
        chunk = upstream.recv(65536)
        if not chunk:
            return data
        data += chunk
        head, sep, body = data.partition(b"\r\n\r\n")
        if sep:
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length" and len(body) >= int(value.strip() or 0):
                    return data


class BreakingProxy:
    """``127.0.0.1:<port>`` -> ``upstream``; set ``broken = True`` to cut every answer in half."""

    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.broken = False
        self.cut = 0
        """Answers cut off so far."""
        self._sock = socket.socket()
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="breaking-proxy", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._sock.getsockname()[1]}"

    def start(self) -> BreakingProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        with contextlib.suppress(OSError):
            self._sock.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        with conn:
            try:
                request = _read_request(conn)
                if request is None:
                    return
                with socket.create_connection(self.upstream, timeout=30) as upstream:
                    upstream.sendall(request)
                    response = _read_response(upstream)
                if self.broken:
                    head, _, body = response.partition(b"\r\n\r\n")
                    conn.sendall(head + b"\r\n\r\n" + body[: len(body) // 2])
                    self.cut += 1
                    conn.shutdown(socket.SHUT_RDWR)
                    return
                head, _, body = response.partition(b"\r\n\r\n")
                lines = [line for line in head.split(b"\r\n") if not line.lower().startswith(b"connection:")]
                conn.sendall(b"\r\n".join([*lines, b"Connection: close"]) + b"\r\n\r\n" + body)
            except OSError:
                return
