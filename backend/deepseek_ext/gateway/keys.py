"""Application keys: name -> sha256 of the key, read from a file or a mounted Secret, re-read on change.

Two sources, one format per entry (a value is a key, or ``sha256:<hex>`` of one):

* a YAML file ``name: key`` (the standalone ``--keys-file``);
* a directory where each file is one entry, its name the key name (a Secret mounted as a volume:
  ``kubectl patch`` adds or removes an entry and kubelet swaps the files, no restart).

Only hashes are kept in memory and compared (``hmac.compare_digest`` against every entry, so the
time does not depend on which entry matches). Names are what metrics, logs and limits use; a key
value never leaves this module.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import yaml

log = logging.getLogger(__name__)

NAME_RE = re.compile(r"^[A-Za-z0-9]([-._A-Za-z0-9]{0,61}[A-Za-z0-9])?$")
"""A key name: what a Secret data key allows, short enough for a metric label."""
HASH_PREFIX = "sha256:"
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


def hash_key(key: str) -> str:
    """The stored form of a key: ``sha256:<hex>``."""
    return HASH_PREFIX + hashlib.sha256(key.encode()).hexdigest()


def _entry_hash(value: str) -> str | None:
    value = value.strip()
    if not value:
        return None
    if value.startswith(HASH_PREFIX):
        digest = value[len(HASH_PREFIX):].lower()
        return HASH_PREFIX + digest if _HEX64.match(digest) else None
    return hash_key(value)


def parse_entries(entries: Mapping[object, object]) -> dict[str, str]:
    """name -> ``sha256:<hex>`` of the valid entries; invalid names or values are skipped (logged by name)."""
    out: dict[str, str] = {}
    for name, value in entries.items():
        name = str(name)
        digest = _entry_hash(str(value)) if value is not None else None
        if not NAME_RE.match(name) or digest is None:
            log.warning("gateway: skipped key entry %r (bad name or value)", name)
            continue
        out[name] = digest
    return out


def read_source(path: Path) -> dict[str, str]:
    """The entries of a YAML file or a Secret directory (hidden files such as ``..data`` skipped)."""
    if path.is_dir():
        raw: dict[object, object] = {}
        for child in sorted(path.iterdir()):
            if child.name.startswith(".") or not child.is_file():
                continue
            raw[child.name] = child.read_text(encoding="utf-8")
        return parse_entries(raw)
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
    return parse_entries(data) if isinstance(data, dict) else {}


def _signature(path: Path) -> tuple[object, ...]:
    """Changes whenever the source's content may have changed (mtime, size, kubelet's ..data link)."""
    try:
        if path.is_dir():
            link = path / "..data"
            target = str(link.resolve()) if link.exists() else ""
            files = tuple((c.name, c.stat().st_mtime_ns, c.stat().st_size)
                          for c in sorted(path.iterdir()) if not c.name.startswith("."))
            return ("dir", target, files)
        st = path.stat()
        return ("file", st.st_mtime_ns, st.st_size, st.st_ino)
    except OSError:
        return ("missing",)


class KeyStore:
    """The current keys of one or more sources, re-read when a source changes.

    ``check_interval`` bounds how often the sources are stat'ed (requests in between use the cached
    table); 0 checks on every request.
    """

    def __init__(self, sources: list[Path], *, check_interval: float = 1.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.sources = [Path(s) for s in sources]
        self.check_interval = check_interval
        self._clock = clock
        self._checked = float("-inf")
        self._signatures: tuple[object, ...] = ()
        self._table: dict[str, str] = {}
        self.refresh(force=True)

    @property
    def names(self) -> list[str]:
        self.refresh()
        return sorted(self._table)

    def refresh(self, *, force: bool = False) -> None:
        now = self._clock()
        if not force and now - self._checked < self.check_interval:
            return
        self._checked = now
        signatures = tuple(_signature(s) for s in self.sources)
        if not force and signatures == self._signatures:
            return
        table: dict[str, str] = {}
        for source in self.sources:
            try:
                table.update(read_source(source))
            except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
                # Keep serving the last good table: a half-written file must not lock everyone out.
                log.warning("gateway: cannot read keys from %s (%s); keeping %d keys",
                            source, type(exc).__name__, len(self._table))
                return
        self._signatures = signatures
        if set(table) != set(self._table) or table != self._table:
            log.info("gateway: %d keys loaded: %s", len(table), ", ".join(sorted(table)))
        self._table = table

    def identify(self, key: str) -> str | None:
        """The name of the entry whose hash matches ``key``, or None. Compares with every entry."""
        self.refresh()
        presented = hash_key(key).encode()
        found: str | None = None
        for name, digest in self._table.items():
            if hmac.compare_digest(presented, digest.encode()):
                found = name
        return found


def bearer_token(header: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header (scheme case-insensitive)."""
    if not header:
        return None
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None
