"""A loopback ollama double that speaks the documented HTTP API over real sockets.

Why a double and not requests-mock: pulls are streamed NDJSON whose connection may drop
mid-stream, and gunicorn-based and bench tests need a separate process. Endpoints follow
ollama's server/routes.go (see shared/reference/ollama-nextchat.md, sections 1 and 3):
``/``, ``/api/version``, ``/api/tags``, ``/api/ps``, ``/api/show``, ``/api/pull`` (streamed,
chunked), ``/api/generate`` (load with ``keep_alive``), ``DELETE /api/delete``, ``/v1/models``, and the
inference endpoints of ``tests/doubles/ollama_inference.py`` (chat, completions, embeddings).

Fidelity to ollama v0.32.15 (each behaviour cites the source line it mirrors, beside the code):

* a pull always streams ``pulling manifest`` first (server/images.go:1021) and reports every error
  as a final ``{"error": ...}`` line inside the 200 stream (server/routes.go:2109-2125); there is no
  HTTP status before the stream, so a too-old ollama reads ``pull model manifest: 412: ...``;
* unknown tag: ``pull model manifest: file does not exist`` (images.go:1025, 1337-1339);
* a model whose ``min_version`` is above the double's version: the registry's 412 inside the stream;
* registry unreachable (``registry_reachable=False``), disk full (``disk_bytes``), a failure or
  a dropped connection after N bytes (``fail_next_pull`` / ``drop_next_pull``);
* a stalled part (``stall_next_pull``): progress lines keep coming every ``progress_seconds`` with
  no new bytes, as download.go:450-461 reports while download.go:294-296 retries the part for ever;
* the ``verifying sha256 digest`` pass (images.go:1073-1090) is silent for
  size / ``verify_bytes_per_second`` seconds;
* ``removing unused layers`` only when a re-pull leaves layers of the old manifest unused
  (images.go:1115-1120);
* ``keep_alive`` is read as Go's ``api.Duration`` (api/types.go:1243-1271): a string needs a unit
  (``"-1"`` is 400 ``time: missing unit in duration "-1"``); ``keep_alive: 0`` with no prompt
  unloads (routes.go:403-415), a no-op when the model is not loaded (sched.go:1713-1731);
* ``DELETE /api/delete`` removes the files and does not unload (routes.go:1247-1298);
* a model whose weights blob is gone answers loads with 400 ``"<name>" does not support
  generate`` (images.go:720-725 loses the completion capability, routes.go:466-469);
* names are matched case-insensitively against the models on disk (routes.go:1222-1245);
* partial downloads are kept per digest and a later pull resumes from them, like ollama;
* ``models_dir``: real ``manifests/<host>/<ns>/<model>/<tag>`` and ``blobs/sha256-<hex>`` files,
  so offline seeding (complete, missing, half-copied) is simulated with real files.

Use in a test thread::

    with OllamaDouble(bytes_per_second=2e6) as ollama:
        client = OllamaClient(ollama.url)

or as a process: ``python -m tests.doubles.ollama --port 11434 --local deepseek-r1:1.5b``. A
process is steered through ``POST /_double/config`` (same knobs as the constructor) and
inspected through ``GET /_double/stats``.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import re
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any, Self

from tests.doubles.loopback import LoopbackServer, QuietServer
from tests.doubles.ollama_inference import DEFAULT_ANSWER, DEFAULT_REASONING, InferenceHandlers

DEFAULT_HOST = "registry.ollama.ai"
DEFAULT_NAMESPACE = "library"
MEDIA_MODEL = "application/vnd.ollama.image.model"
MEDIA_CONFIG = "application/vnd.docker.container.image.v1+json"
MEDIA_TEMPLATE = "application/vnd.ollama.image.template"
MEDIA_PARAMS = "application/vnd.ollama.image.params"

# Small weights so tests stay fast; scale with `size=` when a test needs more bytes.
DEFAULT_SIZES = {"1.5b": 96_000, "7b": 240_000, "8b": 256_000, "8b-llama-distill": 250_000, "14b": 400_000,
                 "32b": 600_000, "70b": 900_000, "671b": 1_200_000}
# The registry refuses the qwen3-based :8b to ollama older than 0.7.1 (reference notes, section 4).
DEFAULT_MIN_VERSION = {"8b": "0.7.1"}


def split_name(name: str) -> tuple[str, str, str, str]:
    """(host, namespace, model, tag) of an ollama name, with ollama's defaults."""
    rest, _, tag = name.rpartition(":") if ":" in name.rsplit("/", 1)[-1] else (name, "", "latest")
    parts = rest.split("/")
    if len(parts) == 1:
        return DEFAULT_HOST, DEFAULT_NAMESPACE, parts[0], tag
    if len(parts) == 2:
        return DEFAULT_HOST, parts[0], parts[1], tag
    return parts[0], "/".join(parts[1:-1]), parts[-1], tag


def short_name(name: str) -> str:
    """The name ollama lists in /api/tags: defaults dropped, ``:latest`` kept."""
    host, ns, model, tag = split_name(name)
    if host == DEFAULT_HOST and ns == DEFAULT_NAMESPACE:
        return f"{model}:{tag}"
    if host == DEFAULT_HOST:
        return f"{ns}/{model}:{tag}"
    return f"{host}/{ns}/{model}:{tag}"


def _version_tuple(version: str) -> tuple[int, ...]:
    out = []
    for part in version.split("-")[0].split("."):
        out.append(int(part) if part.isdigit() else 0)
    return tuple(out)


@dataclass(frozen=True)
class Layer:
    media_type: str
    content: bytes

    @property
    def digest(self) -> str:
        return "sha256:" + hashlib.sha256(self.content).hexdigest()

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def blob_name(self) -> str:
        return self.digest.replace(":", "-")


@dataclass(frozen=True)
class RegistryModel:
    """A model the double's "registry" can serve: its layers and the minimum ollama version."""

    name: str
    layers: tuple[Layer, ...]
    min_version: str | None = None

    @property
    def config(self) -> Layer:
        return self.layers[0]

    @property
    def size(self) -> int:
        return sum(layer.size for layer in self.layers[1:])

    def manifest(self) -> dict[str, Any]:
        return {
            "schemaVersion": 2,
            "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "config": {"mediaType": self.config.media_type, "digest": self.config.digest,
                       "size": self.config.size},
            "layers": [{"mediaType": layer.media_type, "digest": layer.digest, "size": layer.size}
                       for layer in self.layers[1:]],
        }


def make_model(name: str, *, size: int | None = None, min_version: str | None = None) -> RegistryModel:
    """A registry model with deterministic content: a config blob, the weights, a template, params."""
    name = short_name(name)
    tag = split_name(name)[3]
    size = size if size is not None else DEFAULT_SIZES.get(tag, 128_000)
    seed = hashlib.sha256(name.encode()).digest()
    weights = (b"GGUF" + seed * (size // len(seed) + 1))[:size]
    config = json.dumps({"model_format": "gguf", "model_family": "qwen2", "model_type": tag,
                         "file_type": "Q4_K_M"}).encode()
    layers = (Layer(MEDIA_CONFIG, config), Layer(MEDIA_MODEL, weights),
              Layer(MEDIA_TEMPLATE, b"{{ .System }}{{ .Prompt }}" + seed[:4]),
              Layer(MEDIA_PARAMS, json.dumps({"stop": ["<|end|>"], "seed": seed[:4].hex()}).encode()))
    return RegistryModel(name=name, layers=layers, min_version=min_version or DEFAULT_MIN_VERSION.get(tag))


def default_registry() -> dict[str, RegistryModel]:
    return {m.name: m for m in (make_model(f"deepseek-r1:{tag}") for tag in DEFAULT_SIZES)}


def seed_models_dir(models_dir: Path, model: RegistryModel, *, skip_blob: str | None = None,
                    truncate_blob: str | None = None, with_manifest: bool = True) -> None:
    """Write a model the way an administrator seeds the PVC: manifest + blobs, optionally broken.

    ``skip_blob`` / ``truncate_blob`` take a media type (e.g. MEDIA_MODEL) to leave out or half-copy.
    """
    blobs = models_dir / "blobs"
    blobs.mkdir(parents=True, exist_ok=True)
    for layer in model.layers:
        if layer.media_type == skip_blob:
            continue
        data = layer.content[: layer.size // 2] if layer.media_type == truncate_blob else layer.content
        (blobs / layer.blob_name).write_bytes(data)
    if with_manifest:
        host, ns, repo, tag = split_name(model.name)
        path = models_dir / "manifests" / host / ns / repo / tag
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(model.manifest()))


class ModelStore:
    """What is on an ollama pod's disk. Two doubles sharing one store = a ReadWriteMany volume."""

    def __init__(self, models_dir: Path | None = None, *, disk_bytes: int | None = None) -> None:
        self.models_dir = Path(models_dir) if models_dir else None
        self.disk_bytes = disk_bytes
        self.lock = threading.RLock()
        self._manifests: dict[str, dict[str, Any]] = {}   # in-memory mode: name -> manifest
        self._blobs: dict[str, int] = {}                   # in-memory mode: blob name -> size
        self.partial: dict[str, int] = {}                  # in-memory mode: digest -> bytes kept

    # -- manifests --------------------------------------------------------------------------
    def manifest_path(self, name: str) -> Path:
        assert self.models_dir is not None
        host, ns, model, tag = split_name(name)
        return self.models_dir / "manifests" / host / ns / model / tag

    def manifests(self) -> dict[str, dict[str, Any]]:
        with self.lock:
            if self.models_dir is None:
                return dict(self._manifests)
            out: dict[str, dict[str, Any]] = {}
            root = self.models_dir / "manifests"
            for path in sorted(root.glob("*/*/*/*")) if root.is_dir() else []:
                try:
                    manifest = json.loads(path.read_text())
                except (OSError, ValueError):
                    continue  # ollama skips manifests it cannot parse
                host, ns, model, tag = path.relative_to(root).parts
                out[short_name(f"{host}/{ns}/{model}:{tag}")] = manifest
            return out

    def blob_size(self, blob_name: str) -> int | None:
        with self.lock:
            if self.models_dir is None:
                return self._blobs.get(blob_name)
            path = self.models_dir / "blobs" / blob_name
            return path.stat().st_size if path.is_file() else None

    def listed(self) -> dict[str, dict[str, Any]]:
        """Models /api/tags shows: ollama lists a manifest whose config blob it can read."""
        out = {}
        for name, manifest in self.manifests().items():
            config = manifest.get("config", {})
            if self.blob_size(str(config.get("digest", "")).replace(":", "-")) is not None:
                out[name] = manifest
        return out

    def complete(self, manifest: dict[str, Any]) -> bool:
        for layer in [manifest.get("config", {}), *manifest.get("layers", [])]:
            if self.blob_size(str(layer.get("digest", "")).replace(":", "-")) != layer.get("size"):
                return False
        return True

    def used_bytes(self) -> int:
        with self.lock:
            if self.models_dir is None:
                return sum(self._blobs.values()) + sum(self.partial.values())
            blobs = self.models_dir / "blobs"
            return sum(p.stat().st_size for p in blobs.iterdir()) if blobs.is_dir() else 0

    # -- writes -----------------------------------------------------------------------------
    def partial_bytes(self, layer: Layer) -> int:
        with self.lock:
            if self.models_dir is None:
                return self.partial.get(layer.digest, 0)
            path = self.models_dir / "blobs" / (layer.blob_name + "-partial")
            return path.stat().st_size if path.is_file() else 0

    def write_partial(self, layer: Layer, upto: int) -> None:
        with self.lock:
            if self.models_dir is None:
                self.partial[layer.digest] = upto
                return
            path = self.models_dir / "blobs" / (layer.blob_name + "-partial")
            path.parent.mkdir(parents=True, exist_ok=True)
            start = path.stat().st_size if path.is_file() else 0
            with path.open("ab") as fh:
                fh.write(layer.content[start:upto])

    def finish_layer(self, layer: Layer) -> None:
        with self.lock:
            if self.models_dir is None:
                self.partial.pop(layer.digest, None)
                self._blobs[layer.blob_name] = layer.size
                return
            blobs = self.models_dir / "blobs"
            blobs.mkdir(parents=True, exist_ok=True)
            (blobs / layer.blob_name).write_bytes(layer.content)
            (blobs / (layer.blob_name + "-partial")).unlink(missing_ok=True)

    def write_manifest(self, model: RegistryModel) -> None:
        with self.lock:
            if self.models_dir is None:
                self._manifests[model.name] = model.manifest()
                return
            path = self.manifest_path(model.name)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(model.manifest()))

    def prune(self, digests: set[str]) -> None:
        """Remove these blobs unless a manifest still references them (images.go:843-872)."""
        with self.lock:
            keep = {str(layer.get("digest", ""))
                    for m in self.manifests().values()
                    for layer in [m.get("config", {}), *m.get("layers", [])]}
            for digest in digests - keep:
                blob = digest.replace(":", "-")
                if self.models_dir is None:
                    self._blobs.pop(blob, None)
                else:
                    (self.models_dir / "blobs" / blob).unlink(missing_ok=True)

    def delete(self, name: str) -> bool:
        with self.lock:
            manifests = self.manifests()
            if name not in manifests:
                return False
            if self.models_dir is None:
                del self._manifests[name]
            else:
                self.manifest_path(name).unlink()
            # Prune blobs no other manifest references, as ollama does.
            keep = {str(layer.get("digest", "")).replace(":", "-")
                    for m in self.manifests().values()
                    for layer in [m.get("config", {}), *m.get("layers", [])]}
            dropped = {str(layer.get("digest", "")).replace(":", "-")
                       for layer in [manifests[name].get("config", {}), *manifests[name].get("layers", [])]}
            for blob in dropped - keep:
                if self.models_dir is None:
                    self._blobs.pop(blob, None)
                else:
                    (self.models_dir / "blobs" / blob).unlink(missing_ok=True)
            return True


@dataclass
class _Fault:
    after_bytes: int
    message: str | None  # None = drop the connection
    model: str | None


@dataclass
class _Stall:
    after_bytes: int
    seconds: float | None  # None = until the client goes away
    model: str | None


class GoDurationError(ValueError):
    pass


_GO_UNITS = {"ns": 1e-9, "us": 1e-6, "\u00b5s": 1e-6, "\u03bcs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0,
             "h": 3600.0}


def go_duration(text: str) -> float:
    """Seconds of a Go duration string, with Go's own error texts (Go src/time/format.go
    ParseDuration: ``time: missing unit in duration "-1"``, ``time: invalid duration "x"``)."""
    quoted = '"' + text + '"'
    rest = text
    sign = 1.0
    if rest[:1] in ("-", "+"):
        sign = -1.0 if rest[0] == "-" else 1.0
        rest = rest[1:]
    if rest == "0":
        return 0.0
    if not rest:
        raise GoDurationError(f"time: invalid duration {quoted}")
    total = 0.0
    while rest:
        number = re.match(r"[0-9]*(\.[0-9]*)?", rest)
        digits = number.group(0) if number else ""
        if digits in ("", "."):
            raise GoDurationError(f"time: invalid duration {quoted}")
        rest = rest[len(digits):]
        unit = re.match(r"[^0-9.]*", rest)
        unit_text = unit.group(0) if unit else ""
        if not unit_text:
            raise GoDurationError(f"time: missing unit in duration {quoted}")
        if unit_text not in _GO_UNITS:
            raise GoDurationError(f'time: unknown unit "{unit_text}" in duration {quoted}')
        rest = rest[len(unit_text):]
        total += float(digits) * _GO_UNITS[unit_text]
    return sign * total


def keep_alive_seconds(value: Any) -> float | None:
    """ollama's ``api.Duration`` (api/types.go:1243-1271): a JSON number is seconds, a string is a Go
    duration; negative = for ever (None here). Raises GoDurationError with the text ollama answers."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise GoDurationError(f"Unsupported type: '{type(value).__name__}'")
    seconds = float(value) if not isinstance(value, str) else go_duration(value)
    return None if seconds < 0 else seconds


@dataclass
class DoubleStats:
    requests: Counter = field(default_factory=Counter)
    pulls_started: Counter = field(default_factory=Counter)
    pulls_succeeded: Counter = field(default_factory=Counter)
    active_pulls: Counter = field(default_factory=Counter)
    max_active_pulls: Counter = field(default_factory=Counter)
    loads: Counter = field(default_factory=Counter)
    unloads: Counter = field(default_factory=Counter)
    deletes: Counter = field(default_factory=Counter)
    generations: Counter = field(default_factory=Counter)
    log: list[tuple[str, str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    """The request headers of each entry of ``log`` (the gateway must not pass some on)."""

    def to_dict(self) -> dict[str, Any]:
        return {k: dict(v) for k, v in vars(self).items() if isinstance(v, Counter)}


class _Server(QuietServer):
    # ollama (Go's net.Listen) listens with the kernel's somaxconn backlog (Go net/sock_linux.go,
    # maxListenerBacklog); socketserver's default of 5 would drop bursts of connections (SYN retries
    # after 1 s) that the real server accepts.
    request_queue_size = 4096


class OllamaDouble(LoopbackServer):
    """One fake ollama server on 127.0.0.1 (a thread; ``start``/``stop`` or a ``with`` block)."""

    def __init__(self, *, version: str = "0.32.15", models_dir: Path | str | None = None,
                 store: ModelStore | None = None, registry: dict[str, RegistryModel] | None = None,
                 local: tuple[str, ...] | list[str] = (), bytes_per_second: float | None = None,
                 chunk_bytes: int = 16_384, registry_reachable: bool = True,
                 disk_bytes: int | None = None, load_seconds: float = 0.0, delay_seconds: float = 0.0,
                 garbage: bool = False, port: int = 0, host: str = "127.0.0.1",
                 verify_bytes_per_second: float | None = None, progress_seconds: float = 0.06) -> None:
        self.version = version
        self.store = store or ModelStore(Path(models_dir) if models_dir else None, disk_bytes=disk_bytes)
        if disk_bytes is not None:
            self.store.disk_bytes = disk_bytes
        self.registry = registry if registry is not None else default_registry()
        self.bytes_per_second = bytes_per_second
        self.chunk_bytes = chunk_bytes
        self.verify_bytes_per_second = verify_bytes_per_second
        """Speed of the silent ``verifying sha256 digest`` pass (None: instant)."""
        self.progress_seconds = progress_seconds
        """Interval of the progress lines a stalled part keeps sending (download.go:450: 60 ms)."""
        self.stalls: list[_Stall] = []
        self.load_faults: list[tuple[int, str]] = []
        self._loaded_entries: dict[str, dict[str, Any]] = {}
        self.registry_reachable = registry_reachable
        self.load_seconds = load_seconds
        self.delay_seconds = delay_seconds
        self.garbage = garbage
        self.vram_fraction = 0.0
        """Share of each loaded model /api/ps reports in GPU memory (0 = CPU only, 1 = all on GPU)."""
        self.token_seconds = 0.0
        """Pause before each generated token (ollama_inference)."""
        self.reasoning_words: tuple[str, ...] = DEFAULT_REASONING
        self.answer_words: tuple[str, ...] = DEFAULT_ANSWER
        self.faults: list[_Fault] = []
        self.loaded: dict[str, datetime | None] = {}
        self.stats = DoubleStats()
        self._lock = threading.Lock()
        for name in local:
            model = self.registry.get(short_name(name)) or make_model(name)
            self.registry.setdefault(model.name, model)
            for layer in model.layers:
                self.store.finish_layer(layer)
            self.store.write_manifest(model)
        super().__init__(self._handler_class(), address=(host, port), server_class=_Server, daemon_threads=True)
        self.thread_name = f"ollama-double-{self.port}"

    # -- lifecycle --------------------------------------------------------------------------
    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, *, poll_interval: float = 0.05) -> Self:
        """As ``LoopbackServer.start``, polling for ``stop()`` every 50 ms: tests stop doubles often."""
        return super().start(poll_interval=poll_interval)

    # -- knobs ------------------------------------------------------------------------------
    def fail_next_pull(self, message: str, *, after_bytes: int = 0, model: str | None = None,
                       times: int = 1) -> None:
        """The next ``times`` pulls (of ``model``, or any) fail with an error line after ``after_bytes``."""
        with self._lock:
            self.faults.extend(_Fault(after_bytes, message, short_name(model) if model else None)
                               for _ in range(times))

    def drop_next_pull(self, *, after_bytes: int = 0, model: str | None = None, times: int = 1) -> None:
        """The next ``times`` pulls close the socket mid-stream after ``after_bytes``."""
        with self._lock:
            self.faults.extend(_Fault(after_bytes, None, short_name(model) if model else None)
                               for _ in range(times))

    def stall_next_pull(self, *, after_bytes: int = 0, seconds: float | None = None,
                        model: str | None = None) -> None:
        """The next pull stops getting bytes after ``after_bytes`` yet keeps sending progress lines
        (for ``seconds``, then it goes on; None: until the client goes away), as ollama does when a
        part stalls (download.go:294-296 retries it for ever, download.go:450-461 keeps reporting)."""
        with self._lock:
            self.stalls.append(_Stall(after_bytes, seconds, short_name(model) if model else None))

    def fail_next_load(self, message: str, *, status: int = 500) -> None:
        """The next ``/api/generate`` load answers ``status`` with ``message`` (a runner that died)."""
        with self._lock:
            self.load_faults.append((status, message))

    def configure(self, **knobs: Any) -> None:
        """Runtime changes (also reachable as ``POST /_double/config`` in process mode)."""
        allowed = {"version", "bytes_per_second", "chunk_bytes", "registry_reachable",
                   "load_seconds", "delay_seconds", "garbage", "vram_fraction", "token_seconds",
                   "reasoning_words", "answer_words", "verify_bytes_per_second", "progress_seconds"}
        for key, value in knobs.items():
            if key == "disk_bytes":
                self.store.disk_bytes = value
            elif key == "fail_next_pull":
                self.fail_next_pull(**value)
            elif key == "drop_next_pull":
                self.drop_next_pull(**value)
            elif key == "stall_next_pull":
                self.stall_next_pull(**value)
            elif key == "fail_next_load":
                self.fail_next_load(**value)
            elif key == "add_model":
                model = make_model(value["name"], size=value.get("size"),
                                   min_version=value.get("min_version"))
                self.registry[model.name] = model
            elif key in allowed:
                setattr(self, key, value)
            else:
                raise ValueError(f"unknown knob {key!r}; allowed: {sorted(allowed | {'disk_bytes'})}")

    def _take_fault(self, model: str) -> _Fault | None:
        with self._lock:
            for i, fault in enumerate(self.faults):
                if fault.model in (None, model):
                    return self.faults.pop(i)
        return None

    def _take_stall(self, model: str) -> _Stall | None:
        with self._lock:
            for i, stall in enumerate(self.stalls):
                if stall.model in (None, model):
                    return self.stalls.pop(i)
        return None

    def existing_name(self, raw: str) -> str:
        """The name as stored when one matches case-insensitively: ollama's getExistingName
        (server/routes.go:1222-1245) folds every part with strings.EqualFold."""
        name = short_name(raw)
        folded = name.casefold()
        for listed in self.store.manifests():
            if listed.casefold() == folded:
                return listed
        return name

    # -- behaviour --------------------------------------------------------------------------
    def _model_entry(self, name: str, manifest: dict[str, Any]) -> dict[str, Any]:
        size = sum(int(layer.get("size", 0)) for layer in manifest.get("layers", []))
        digest = hashlib.sha256(json.dumps(manifest, sort_keys=True).encode()).hexdigest()
        tag = split_name(name)[3]
        return {"name": name, "model": name, "modified_at": "2026-01-01T00:00:00Z", "size": size,
                "digest": digest,
                "details": {"parent_model": "", "format": "gguf", "family": "qwen2", "families": ["qwen2"],
                            "parameter_size": tag.upper(), "quantization_level": "Q4_K_M"}}

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        double = self

        class Handler(InferenceHandlers, BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            _double = double
            # Go sets TCP_NODELAY on every TCP connection (net/tcpsock.go, newTCPConn:
            # `setNoDelay(fd, true)`), so ollama never holds a small write back; with Nagle on, the
            # first token after the headers waited for the peer's delayed ACK (up to 40 ms).
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:  # quiet: tests read stats instead
                return

            # -- helpers
            def _body(self) -> dict[str, Any]:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw) if raw else {}
                except ValueError:
                    body = {}
                return body if isinstance(body, dict) else {}

            def _send(self, status: int, payload: Any, content_type: str = "application/json") -> None:
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                if double.garbage:
                    data, content_type, status = b"<html>502 Bad Gateway</html>", "text/html", 200
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)

            def _route(self, method: str) -> None:
                path = self.path.split("?", 1)[0]
                body = self._body() if method in ("POST", "DELETE") else {}
                with double._lock:
                    double.stats.requests[f"{method} {path}"] += 1
                    double.stats.log.append((method, path, body))
                    double.stats.headers.append(dict(self.headers.items()))
                if double.delay_seconds and not path.startswith("/_double"):
                    time.sleep(double.delay_seconds)
                handler = getattr(self, "r_" + method.lower() + path.replace("/", "_"), None)
                if handler is None:
                    self._send(404, b"404 page not found", "text/plain")
                    return
                handler(body)

            def do_GET(self) -> None:
                self._route("GET")

            def do_HEAD(self) -> None:
                self._route("HEAD")

            def do_POST(self) -> None:
                self._route("POST")

            def do_DELETE(self) -> None:
                self._route("DELETE")

            # -- endpoints
            def r_get_(self, body: dict[str, Any]) -> None:
                self._send(200, b"Ollama is running", "text/plain; charset=utf-8")

            r_head_ = r_get_

            def r_get_api_version(self, body: dict[str, Any]) -> None:
                self._send(200, {"version": double.version})

            r_head_api_version = r_get_api_version

            def r_get_api_tags(self, body: dict[str, Any]) -> None:
                models = [double._model_entry(n, m) for n, m in sorted(double.store.listed().items())]
                self._send(200, {"models": models})

            def r_get_api_ps(self, body: dict[str, Any]) -> None:
                # The scheduler's loaded runners (routes.go PsHandler reads s.sched.loaded), listed
                # whether or not the manifest is still on disk: a delete does not unload.
                listed = double.store.listed()
                now = datetime.now(UTC)
                models = []
                for name, expires in list(double.loaded.items()):
                    if expires is not None and expires < now:
                        continue
                    if name in listed:
                        double._loaded_entries[name] = double._model_entry(name, listed[name])
                    base = double._loaded_entries.get(name)
                    if base is None:
                        continue
                    entry = dict(base)
                    entry.update(expires_at=(expires or now + timedelta(days=3650)).isoformat(),
                                 size_vram=int(entry["size"] * double.vram_fraction),
                                 context_length=8192)
                    models.append(entry)
                self._send(200, {"models": models})

            def r_get_v1_models(self, body: dict[str, Any]) -> None:
                data = [{"id": n, "object": "model", "created": 1767225600, "owned_by": "library"}
                        for n in sorted(double.store.listed())]
                self._send(200, {"object": "list", "data": data})

            def _name(self, body: dict[str, Any]) -> str:
                return double.existing_name(str(body.get("model") or body.get("name") or ""))

            def r_post_api_show(self, body: dict[str, Any]) -> None:
                name = self._name(body)
                listed = double.store.listed()
                if name not in listed:
                    self._send(404, {"error": f"model '{name}' not found"})
                    return
                entry = double._model_entry(name, listed[name])
                self._send(200, {"modelfile": f"FROM {name}\n", "parameters": "", "template": "{{ .Prompt }}",
                                 "details": entry["details"], "capabilities": ["completion", "thinking"],
                                 "model_info": {"general.architecture": "qwen2", "qwen2.block_count": 28,
                                                "qwen2.context_length": 131072}})

            def r_post_api_generate(self, body: dict[str, Any]) -> None:
                raw = str(body.get("model") or "")
                # api.Duration parses keep_alive while the body is bound: a bad value is a 400 before
                # anything else (routes.go:248-253, api/types.go:1258-1262).
                try:
                    keep = keep_alive_seconds(body.get("keep_alive", "5m"))
                except GoDurationError as exc:
                    self._send(400, {"error": str(exc)})
                    return
                name = self._name(body)
                manifest = double.store.listed().get(name)
                if manifest is None:
                    # routes.go:285-289: no ", try pulling it first" on this path.
                    self._send(404, {"error": f"model '{raw}' not found"})
                    return
                if not body.get("prompt") and keep == 0:
                    # routes.go:403-415: expire the runner if there is one (sched.go:1713-1731).
                    double.loaded.pop(name, None)
                    with double._lock:
                        double.stats.unloads[name] += 1
                    self._send(200, {"model": raw, "created_at": datetime.now(UTC).isoformat(), "response": "",
                                     "done": True, "done_reason": "unload"})
                    return
                weights = [layer for layer in manifest.get("layers", []) if layer.get("mediaType") == MEDIA_MODEL]
                if any(double.store.blob_size(str(w.get("digest", "")).replace(":", "-")) is None
                       for w in weights):
                    # The weights blob is gone: GetModel cannot open it (images.go:720-725), so the
                    # model has no completion capability and the load is refused (routes.go:466-469).
                    self._send(400, {"error": f'"{raw}" does not support generate'})
                    return
                if not double.store.complete(manifest):
                    # A half-copied blob: the runner starts, llama.cpp refuses the file and the
                    # runner exits (llm/llama_server.go:1309).
                    self._send(500, {"error": "llama-server process has terminated: exit status 1: "
                                              "error loading model: tensor data is not within the file bounds, "
                                              "model is corrupted or incomplete"})
                    return
                with double._lock:
                    fault = double.load_faults.pop(0) if double.load_faults else None
                if fault is not None:
                    self._send(fault[0], {"error": fault[1]})
                    return
                time.sleep(double.load_seconds)
                double.loaded[name] = None if keep is None else datetime.now(UTC) + timedelta(seconds=keep)
                double._loaded_entries[name] = double._model_entry(name, manifest)
                with double._lock:
                    double.stats.loads[name] += 1
                self._send(200, {"model": raw, "created_at": datetime.now(UTC).isoformat(), "response": "",
                                 "done": True, "done_reason": "load"})

            def r_delete_api_delete(self, body: dict[str, Any]) -> None:
                raw = str(body.get("model") or body.get("name") or "")
                name = self._name(body)
                if not double.store.delete(name):
                    self._send(404, {"error": f"model '{raw}' not found"})  # routes.go:1276-1281
                    return
                # routes.go:1287-1297 removes the manifest and its layers; a loaded runner stays loaded.
                with double._lock:
                    double.stats.deletes[name] += 1
                self._send(200, b"", "application/json")

            def r_get__double_stats(self, body: dict[str, Any]) -> None:
                self._send(200, {**double.stats.to_dict(), "models": sorted(double.store.listed())})

            def r_post__double_config(self, body: dict[str, Any]) -> None:
                try:
                    double.configure(**body)
                except (TypeError, ValueError) as exc:
                    self._send(400, {"error": str(exc)})
                    return
                self._send(200, {"ok": True})

            # -- the pull
            def r_post_api_pull(self, body: dict[str, Any]) -> None:
                name = self._name(body)
                with double._lock:
                    double.stats.pulls_started[name] += 1
                    double.stats.active_pulls[name] += 1
                    double.stats.max_active_pulls[name] = max(double.stats.max_active_pulls[name],
                                                              double.stats.active_pulls[name])
                try:
                    self._pull(name, stream=body.get("stream", True) is not False)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client went away: ollama cancels the pull and keeps the partial blobs
                finally:
                    with double._lock:
                        double.stats.active_pulls[name] -= 1

            def _pull(self, name: str, *, stream: bool) -> None:
                started = False

                def line(obj: dict[str, Any]) -> None:
                    nonlocal started
                    if not stream:
                        return  # stream=false: one answer at the end (routes.go:2070-2095)
                    if not started:
                        self.send_response(200)
                        self.send_header("Content-Type", "application/x-ndjson")
                        self.send_header("Transfer-Encoding", "chunked")
                        self.end_headers()
                        started = True
                    data = json.dumps(obj).encode() + b"\n"
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                    self.wfile.flush()

                def fail(message: str) -> None:
                    # PullHandler sends the error on the channel (routes.go:1147-1149); once the
                    # stream started it is a last line of the 200 answer (routes.go:2119-2123);
                    # with stream=false it is a 500 (routes.go:2077-2087).
                    if started:
                        line({"error": message})
                        self.wfile.write(b"0\r\n\r\n")
                    else:
                        self._send(500, {"error": message})

                def progress(layer: Layer, done: int) -> None:
                    # download.go:456-461; a zero count is left out (api/types.go:777-782, omitempty).
                    line({"status": f"pulling {layer.digest[7:19]}", "digest": layer.digest,
                          "total": layer.size, **({"completed": done} if done else {})})

                model = double.registry.get(name)
                line({"status": "pulling manifest"})  # images.go:1021, before the registry is asked
                host = split_name(name)[0]
                if not double.registry_reachable:
                    ref = name.replace(":", "/manifests/")
                    fail(f'pull model manifest: Get "https://{host}/v2/{ref}": '
                         f"dial tcp: lookup {host} on 10.96.0.10:53: no such host")
                    return
                if model is None:
                    fail("pull model manifest: file does not exist")  # images.go:1025 + 1337-1339
                    return
                if model.min_version and _version_tuple(double.version) < _version_tuple(model.min_version):
                    # The registry's 412 body quoted by makeRequestWithRetry (images.go:1340-1346).
                    fail("pull model manifest: 412: The model you are attempting to pull requires a "
                         "newer version of Ollama.\n\nPlease download the latest version at:"
                         "\n\n\thttps://ollama.com/download")
                    return
                store = double.store
                old = store.manifests().get(model.name)
                unused = ({str(layer.get("digest", "")) for layer in [old.get("config", {}), *old.get("layers", [])]}
                          if old else set())  # images.go:1001-1015
                fault = double._take_fault(name)
                stall = double._take_stall(name)
                sent = 0
                fetched = 0
                # Layers first, then the config (images.go:1034-1038).
                for layer in model.layers[1:] + model.layers[:1]:
                    unused.discard(layer.digest)
                    if store.blob_size(layer.blob_name) == layer.size:
                        progress(layer, layer.size)  # a cache hit (download.go:486-499)
                        continue
                    done = store.partial_bytes(layer)
                    progress(layer, done)
                    while done < layer.size:
                        step = min(double.chunk_bytes, layer.size - done)
                        if fault is not None and sent + step > fault.after_bytes:
                            step = max(0, fault.after_bytes - sent)
                        if stall is not None and sent + step > stall.after_bytes:
                            step = max(0, stall.after_bytes - sent)
                        if store.disk_bytes is not None and store.used_bytes() + step > store.disk_bytes:
                            store.write_partial(layer, done + max(0, store.disk_bytes - store.used_bytes()))
                            # ENOSPC ends the part at once (download.go:291-293).
                            fail(f"write /root/.ollama/models/blobs/{layer.blob_name}-partial: "
                                 "no space left on device")
                            return
                        if step:
                            if double.bytes_per_second:
                                time.sleep(step / double.bytes_per_second)
                            done += step
                            sent += step
                            fetched += step
                            store.write_partial(layer, done)
                        if fault is not None and sent >= fault.after_bytes:
                            if fault.message is None:
                                # Drop: no terminating chunk, the socket just closes.
                                self.wfile.flush()
                                self.connection.shutdown(socket.SHUT_RDWR)
                                self.close_connection = True
                                return
                            fail(fault.message)
                            return
                        if stall is not None and sent >= stall.after_bytes:
                            # The part stalled: ollama retries it for ever (download.go:294-296) while
                            # Wait keeps reporting the same count every 60 ms (download.go:450-461).
                            until = None if stall.seconds is None else time.monotonic() + stall.seconds
                            while until is None or time.monotonic() < until:
                                time.sleep(double.progress_seconds)
                                progress(layer, done)  # raises once the client has gone away
                            stall = None
                        progress(layer, done)
                    store.finish_layer(layer)
                line({"status": "verifying sha256 digest"})  # images.go:1073
                if double.verify_bytes_per_second and fetched:
                    # verifyBlob hashes each downloaded blob and sends nothing meanwhile (images.go:1074-1090).
                    time.sleep(fetched / double.verify_bytes_per_second)
                line({"status": "writing manifest"})  # images.go:1097
                store.write_manifest(model)
                if unused:
                    # Only layers of the previous manifest that the new one no longer uses (images.go:1115-1120).
                    line({"status": "removing unused layers"})
                    store.prune(unused)
                if stream:
                    line({"status": "success"})  # images.go:1122
                    self.wfile.write(b"0\r\n\r\n")
                else:
                    self._send(200, {"status": "success"})
                with double._lock:
                    double.stats.pulls_succeeded[name] += 1

        return Handler


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.doubles.ollama",
                                     description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--port", type=int, default=11434)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--version", default="0.32.15", help="version /api/version reports")
    parser.add_argument("--models-dir", type=Path, help="keep models as real files here")
    parser.add_argument("--local", action="append", default=[], help="model present at start (repeatable)")
    parser.add_argument("--bytes-per-second", type=float, help="pull speed (default: as fast as possible)")
    parser.add_argument("--size", action="append", default=[], metavar="NAME=BYTES",
                        help="registry model with this weights size (repeatable)")
    parser.add_argument("--offline", action="store_true", help="the registry is unreachable")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds every answer waits")
    args = parser.parse_args(argv)
    registry = default_registry()
    for item in args.size:
        name, _, size = item.partition("=")
        model = make_model(name, size=int(size))
        registry[model.name] = model
    double = OllamaDouble(version=args.version, models_dir=args.models_dir, registry=registry,
                          local=args.local, bytes_per_second=args.bytes_per_second,
                          registry_reachable=not args.offline, delay_seconds=args.delay, port=args.port,
                          host=args.host)
    print(f"ollama double listening on {double.url}", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        double._server.serve_forever()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
