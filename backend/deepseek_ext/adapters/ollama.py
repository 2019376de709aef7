"""The ollama HTTP client: the only module that talks to ollama.

Task-shaped calls (``version``, ``tags``, ``ps``, ``show``, ``pull``, ``load``, ``delete``) over
``requests``, and typed errors instead of ``requests`` exceptions, so callers never see a
traceback from the transport. Status calls use a short timeout (they run under console polling);
``pull`` uses a long *read* timeout because the registry may stall between NDJSON lines while a
big layer is fetched, yet a dead TCP connect must still fail fast.

Protocol reference: docs/api.md and server/routes.go of ollama (see
shared/reference/ollama-nextchat.md, section 1). Pull errors come in two shapes: a non-200
status with ``{"error": ...}`` before any output, or a final ``{"error": ...}`` line mid-stream.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

DEFAULT_PORT = 11434
TOO_OLD_MARKER = "requires a newer version of ollama"


class OllamaClientError(Exception):
    """Base of every error this module raises; ``url`` names the ollama server."""

    def __init__(self, message: str, *, url: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.url = url


class OllamaUnreachable(OllamaClientError):
    """No TCP connection (refused, DNS, reset before any answer)."""


class OllamaTimeout(OllamaClientError):
    """Connected, but ollama did not answer within the timeout."""


class OllamaInterrupted(OllamaClientError):
    """A streamed pull ended without ``success`` or an error line (connection dropped mid-stream).

    ollama keeps the partial download, so a later pull resumes where this one stopped.
    """


class OllamaBadResponse(OllamaClientError):
    """ollama answered something that is not the documented JSON (a proxy page, garbage)."""


class OllamaError(OllamaClientError):
    """ollama answered with an error: ``status`` is the HTTP status (200 for mid-stream error lines)."""

    def __init__(self, status: int, message: str, *, url: str = "") -> None:
        super().__init__(message, url=url)
        self.status = status


class OllamaTooOld(OllamaError):
    """The registry refuses this ollama version for the model (HTTP 412, "requires a newer version")."""


class OllamaNotFound(OllamaError):
    """The model is not on this ollama server (404)."""


@dataclass
class PullProgress:
    """Progress of one pull, summed over the layers seen so far (ollama reports one digest at a time)."""

    model: str
    status: str = ""
    completed: int = 0
    total: int = 0
    layers: dict[str, tuple[int, int]] = field(default_factory=dict)
    """digest -> (completed, total) as last reported."""

    @property
    def percent(self) -> float:
        return round(100.0 * self.completed / self.total, 1) if self.total else 0.0


@dataclass(frozen=True)
class PullResult:
    model: str
    completed: int
    total: int
    seconds: float


def _error_from(status: int, message: str, url: str) -> OllamaError:
    if status == 412 or TOO_OLD_MARKER in message.lower():
        return OllamaTooOld(status, message, url=url)
    if status == 404:
        return OllamaNotFound(status, message, url=url)
    return OllamaError(status, message, url=url)


def gateway_admin_key(env: Mapping[str, str] | None = None) -> str | None:
    """The model gateway's admin key, from the file DEEPSEEK_OLLAMA_KEY_FILE names (a mounted Secret);
    None without one (standalone ollama, or no gateway)."""
    path = (os.environ if env is None else env).get("DEEPSEEK_OLLAMA_KEY_FILE")
    if not path:
        return None
    try:
        return Path(path).read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


class OllamaClient:
    """One ollama server, e.g. ``OllamaClient("http://10.0.0.12:11434")`` (a pod IP) or the Service URL."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 2.0,
        connect_timeout: float = 2.0,
        pull_read_timeout: float = 600.0,
        load_timeout: float = 600.0,
        session: requests.Session | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        self.pull_read_timeout = pull_read_timeout
        self.load_timeout = load_timeout
        self._silence = pull_read_timeout  # the read timeout of the pull line being awaited
        self.session = session or requests.Session()
        # Proxies from the environment must not capture pod-IP traffic inside the cluster.
        self.session.trust_env = False
        key = gateway_admin_key()
        if key:
            # The model gateway's admin port (docs/gateway.md) forwards pull/delete only with this key.
            self.session.headers["Authorization"] = f"Bearer {key}"

    def __repr__(self) -> str:
        return f"OllamaClient({self.base_url!r})"

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> OllamaClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- plumbing -----------------------------------------------------------------------------

    def _request(self, method: str, path: str, *, json_body: Any = None, read_timeout: float | None = None,
                 stream: bool = False) -> requests.Response:
        url = self.base_url + path
        timeout = (min(self.connect_timeout, read_timeout or self.timeout), read_timeout or self.timeout)
        try:
            return self.session.request(method, url, json=json_body, timeout=timeout, stream=stream)
        except requests.exceptions.ConnectTimeout as exc:
            raise OllamaUnreachable(f"cannot connect to ollama at {self.base_url}: connect timed out",
                                    url=self.base_url) from exc
        except requests.exceptions.Timeout as exc:
            raise OllamaTimeout(
                f"ollama at {self.base_url} did not answer {method} {path} within {timeout[1]:g}s",
                url=self.base_url) from exc
        except requests.exceptions.ConnectionError as exc:
            raise OllamaUnreachable(f"cannot connect to ollama at {self.base_url}: {_short(exc)}",
                                    url=self.base_url) from exc
        except requests.exceptions.RequestException as exc:
            raise OllamaUnreachable(f"request to ollama at {self.base_url} failed: {_short(exc)}",
                                    url=self.base_url) from exc

    def _json(self, method: str, path: str, *, json_body: Any = None,
              read_timeout: float | None = None) -> Any:
        resp = self._request(method, path, json_body=json_body, read_timeout=read_timeout)
        try:
            body_text = resp.text
        except requests.exceptions.RequestException as exc:
            raise OllamaInterrupted(f"ollama at {self.base_url} dropped the answer to {path}: {_short(exc)}",
                                    url=self.base_url) from exc
        if resp.status_code >= 400:
            raise _error_from(resp.status_code, _error_message(body_text, resp.status_code), self.base_url)
        try:
            return json.loads(body_text) if body_text.strip() else {}
        except ValueError:
            raise OllamaBadResponse(
                f"ollama at {self.base_url} answered {path} with non-JSON: {body_text[:80]!r}",
                url=self.base_url) from None

    # -- status calls (short timeout) ---------------------------------------------------------

    def ping(self) -> bool:
        """True when ``GET /`` answers 200 (ollama's own liveness endpoint)."""
        try:
            return self._request("GET", "/").status_code == 200
        except OllamaClientError:
            return False

    def version(self) -> str:
        body = self._json("GET", "/api/version")
        version = body.get("version") if isinstance(body, dict) else None
        if not isinstance(version, str):
            raise OllamaBadResponse(f"ollama at {self.base_url} answered /api/version without a version",
                                    url=self.base_url)
        return version

    def tags(self) -> list[dict[str, Any]]:
        """Models on disk (``/api/tags``): dicts with at least ``name``, ``size``, ``digest``."""
        return self._models("/api/tags")

    def ps(self) -> list[dict[str, Any]]:
        """Loaded models (``/api/ps``): ``name``, ``size``, ``size_vram``, ``expires_at``..."""
        return self._models("/api/ps")

    def _models(self, path: str) -> list[dict[str, Any]]:
        body = self._json("GET", path)
        models = body.get("models") if isinstance(body, dict) else None
        if models is None:
            models = []
        if not isinstance(models, list) or not all(isinstance(m, dict) and "name" in m for m in models):
            raise OllamaBadResponse(f"ollama at {self.base_url} answered {path} with an unexpected shape",
                                    url=self.base_url)
        return models

    def show(self, model: str, *, verbose: bool = False) -> dict[str, Any]:
        body = self._json("POST", "/api/show", json_body={"model": model, "verbose": verbose})
        if not isinstance(body, dict):
            raise OllamaBadResponse(f"ollama at {self.base_url} answered /api/show with an unexpected shape",
                                    url=self.base_url)
        return body

    # -- actions (long timeouts) --------------------------------------------------------------

    def pull(self, model: str, *, on_progress: Callable[[PullProgress], None] | None = None,
             insecure: bool = False,
             silence: Callable[[PullProgress], float | None] | None = None) -> PullResult:
        """Pull ``model``, calling ``on_progress`` for every NDJSON line; return when ollama says success.

        ``silence``: after each line, the seconds ollama may stay silent before the next one (None:
        ``pull_read_timeout``), e.g. longer while it hashes a big blob (``verifying sha256 digest``).
        An exception raised by ``on_progress`` ends the pull and closes the connection (ollama then
        cancels its download and keeps the parts on disk).

        Raises OllamaError/OllamaTooOld for error answers or error lines, OllamaInterrupted when the
        stream ends early, OllamaTimeout when no line arrives within the allowed silence.
        """
        started = time.monotonic()
        body: dict[str, Any] = {"model": model, "stream": True}
        if insecure:
            body["insecure"] = True
        self._silence = self.pull_read_timeout
        resp = self._request("POST", "/api/pull", json_body=body, read_timeout=self.pull_read_timeout,
                             stream=True)
        progress = PullProgress(model=model)
        with resp:
            if resp.status_code >= 400:
                raise _error_from(resp.status_code, _error_message(_safe_text(resp), resp.status_code),
                                  self.base_url)
            for line in self._lines(resp, model):
                if "error" in line:
                    raise _error_from(resp.status_code if resp.status_code >= 400 else 200,
                                      str(line["error"]), self.base_url)
                status = str(line.get("status", ""))
                progress.status = status
                digest = line.get("digest")
                if digest and ("total" in line or "completed" in line):
                    total = int(line.get("total") or 0)
                    completed = int(line.get("completed") or 0)
                    progress.layers[str(digest)] = (min(completed, total) if total else completed, total)
                    progress.completed = sum(c for c, _ in progress.layers.values())
                    progress.total = sum(t for _, t in progress.layers.values())
                if on_progress is not None:
                    on_progress(progress)
                if silence is not None:
                    self._silence = silence(progress) or self.pull_read_timeout
                    _set_read_timeout(resp, self._silence)
                if status == "success":
                    # All layers are on disk: report 100 % even when ollama skipped present layers.
                    progress.completed = progress.total
                    return PullResult(model=model, completed=progress.completed, total=progress.total,
                                      seconds=time.monotonic() - started)
        raise OllamaInterrupted(f"ollama at {self.base_url} ended the pull of {model} before success "
                                f"({progress.percent}% done); the next pull resumes", url=self.base_url)

    def _lines(self, resp: requests.Response, model: str) -> Iterator[dict[str, Any]]:
        try:
            for raw in resp.iter_lines():
                if not raw or not raw.strip():
                    continue
                try:
                    line = json.loads(raw)
                except ValueError:
                    raise OllamaBadResponse(
                        f"ollama at {self.base_url} sent a non-JSON pull line: {raw[:80]!r}",
                        url=self.base_url) from None
                if not isinstance(line, dict):
                    raise OllamaBadResponse(f"ollama at {self.base_url} sent an unexpected pull line",
                                            url=self.base_url)
                yield line
        except requests.exceptions.ConnectionError as exc:
            # urllib3 wraps read timeouts on a stream in ConnectionError; keep the two apart.
            if "timed out" in str(exc).lower():
                raise OllamaTimeout(f"ollama at {self.base_url} sent nothing for {self._silence:g}s "
                                    f"while pulling {model}", url=self.base_url) from exc
            raise OllamaInterrupted(
                f"the connection to ollama at {self.base_url} dropped while pulling {model}; "
                "the next pull resumes", url=self.base_url) from exc
        except requests.exceptions.RequestException as exc:
            raise OllamaInterrupted(
                f"the pull of {model} from ollama at {self.base_url} broke off: {_short(exc)}",
                url=self.base_url) from exc

    def load(self, model: str, *, keep_alive: str | int = -1) -> float:
        """Load ``model`` (an empty ``/api/generate`` with ``keep_alive``); return the seconds it took."""
        started = time.monotonic()
        keep: str | int = keep_alive
        if isinstance(keep_alive, str) and keep_alive.lstrip("-").isdigit():
            keep = int(keep_alive)  # ollama reads bare numbers as seconds only when they are JSON numbers
        self._json("POST", "/api/generate", json_body={"model": model, "keep_alive": keep, "stream": False},
                   read_timeout=self.load_timeout)
        return time.monotonic() - started

    def unload(self, model: str) -> bool:
        """Unload ``model`` from memory: an empty ``/api/generate`` with ``keep_alive: 0``
        (server/routes.go:403-415 at v0.32.15). A model that is not loaded answers the same 200
        (sched.go:1713-1731 does nothing then); False only when it is not on this server (404)."""
        try:
            self._json("POST", "/api/generate", json_body={"model": model, "keep_alive": 0, "stream": False})
        except OllamaNotFound:
            return False
        return True

    def delete(self, model: str) -> bool:
        """Delete ``model`` from disk; False when it was not there (404). ollama does not unload it
        (server/routes.go:1247-1298): call ``unload`` first or its memory stays taken."""
        try:
            self._json("DELETE", "/api/delete", json_body={"model": model})
        except OllamaNotFound:
            return False
        return True


def _set_read_timeout(resp: requests.Response, seconds: float) -> None:
    """Change the read timeout of a streamed answer between two lines (requests fixes it per
    request; the socket under urllib3's response takes a new one at any time)."""
    raw = resp.raw
    sock = getattr(getattr(raw, "_connection", None), "sock", None)
    if sock is None:
        fp = getattr(getattr(raw, "_fp", None), "fp", None)
        sock = getattr(getattr(fp, "raw", None), "_sock", None)
    if sock is not None:
        sock.settimeout(seconds)


def _safe_text(resp: requests.Response) -> str:
    try:
        return resp.text
    except requests.exceptions.RequestException:
        return ""


def _error_message(text: str, status: int) -> str:
    try:
        body = json.loads(text)
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("error"), str):
        return str(body["error"])
    return f"HTTP {status}: {text.strip()[:200]}" if text.strip() else f"HTTP {status}"


def _short(exc: BaseException) -> str:
    """The innermost reason of a requests/urllib3 error, without the pool and object reprs."""
    text = str(exc)
    for marker in ("] ", "Caused by "):
        if marker in text:
            text = text.rsplit(marker, 1)[-1]
    return text.strip("()'\" ")[:200]
