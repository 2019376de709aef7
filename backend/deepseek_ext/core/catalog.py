"""The model catalog (charts/backend/files/catalog.yaml) as typed, immutable data. Pure.

The file is the single source of every model number; ``parse_catalog`` checks its shape and
turns it into ``Catalog``. Loading the file is I/O and lives in ``deepseek_ext.adapters.files``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

DEFAULT_REGISTRY = "registry.ollama.ai/library"
_SIZE = re.compile(r"^([0-9]+(?:\.[0-9]+)?)")
_PLAIN = re.compile(r"^[0-9]+(?:\.[0-9]+)?b$")
_VERSION = re.compile(r"^v?([0-9]+)\.([0-9]+)\.([0-9]+)")
DOWNLOAD_BASES = ("exact", "listed", "derived")
"""How a model's download_bytes was obtained (catalog.yaml header): bytes of a manifest, the library's
rounded figure, or derived from the parameter count because no listed size could be sourced."""


class CatalogError(ValueError):
    """The catalog document is malformed; the message names the entry and field."""


@dataclass(frozen=True)
class Model:
    """One distinct model: a tag of the ollama library with its own weights."""

    name: str
    """Full ollama name, e.g. ``deepseek-r1:1.5b``."""
    tag: str
    family: str
    """GGUF architecture: qwen2, qwen3, llama, deepseek2 (selects the graph formula)."""
    parameters: int
    quantization: str
    download_bytes: int
    layers: int
    head_count: int
    kv_heads: int
    head_dim_k: int
    head_dim_v: int
    embedding: int
    vocab: int
    max_context: int
    min_ollama: str
    source: str
    aliases: tuple[str, ...] = ()
    base_model: str = ""
    download_basis: str = "listed"
    library_url: str = ""

    @property
    def alias_tags(self) -> tuple[str, ...]:
        """The tags of the aliases (``latest`` for ``deepseek-r1:latest``)."""
        return tuple(a.split(":", 1)[1] for a in self.aliases)

    @property
    def arch(self) -> str:
        return self.family

    @property
    def repository(self) -> str:
        return self.name.split(":", 1)[0]

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "tag": self.tag,
            "aliases": list(self.aliases),
            "baseModel": self.base_model,
            "family": self.family,
            "parameters": self.parameters,
            "quantization": self.quantization,
            "downloadBytes": self.download_bytes,
            "layers": self.layers,
            "headCount": self.head_count,
            "kvHeads": self.kv_heads,
            "headDimK": self.head_dim_k,
            "headDimV": self.head_dim_v,
            "embedding": self.embedding,
            "vocab": self.vocab,
            "maxContext": self.max_context,
            "minOllama": self.min_ollama,
            "downloadBasis": self.download_basis,
            "libraryUrl": self.library_url,
            "source": self.source,
        }


@dataclass(frozen=True)
class SizingConstants:
    """The ``sizing`` block of the catalog: constants of the memory formula (see its header)."""

    batch: int
    gpu_minimum_mib: int
    cpu_overhead_mib: int
    gpu_usable_percent: int
    default_gpu_memory: str
    max_gpus: int
    limit_headroom_percent: int
    storage_floor_gib: int


def parse_version(text: str) -> tuple[int, int, int] | None:
    """(major, minor, patch) of an image tag such as ``0.5.7``, ``v0.7.1`` or ``0.32.15-rocm``; else None."""
    match = _VERSION.match(text.strip())
    if not match:
        return None
    return int(match.group(1)), int(match.group(2)), int(match.group(3))


def short_name(name: str) -> str:
    """``repository:tag`` of a model reference: registry/namespace prefixes dropped, ``latest`` added."""
    last = name.strip().rsplit("/", 1)[-1]
    return last if ":" in last else f"{last}:latest"


def _size_of(tag: str) -> float | None:
    match = _SIZE.match(tag)
    return float(match.group(1)) if match else None


@dataclass(frozen=True)
class Catalog:
    models: tuple[Model, ...]
    ollama_version: str
    """Tag of the ollama/ollama image this release is tested with (the chart's default)."""
    repository: str
    """The ollama library repository the catalog covers (deepseek-r1)."""
    sizing: SizingConstants

    def get(self, name_or_tag: str) -> Model | None:
        """The model for a full name, alias, mirror reference (``reg/lib/deepseek-r1:7b``) or bare tag."""
        text = str(name_or_tag).strip()
        if not text:
            return None
        key = short_name(text) if ":" in text or "/" in text else f"{self.repository}:{text}"
        for model in self.models:
            if key == model.name or key in model.aliases:
                return model
        return None

    def tags(self) -> list[str]:
        """The tags of the catalog's models, in catalog order (aliases not included)."""
        return [m.tag for m in self.models]

    def covers(self, name: str) -> bool:
        """True when ``name`` is in the catalog's repository (so an unknown tag is an error, not a custom
        model)."""
        return short_name(name).split(":", 1)[0] == self.repository

    def library_tags(self) -> list[str]:
        """Every tag the catalog knows, each model's tag followed by its aliases' (catalog order)."""
        return [t for m in self.models for t in (m.tag, *m.alias_tags)]

    def nearest(self, tag: str) -> list[str]:
        """The real tags nearest to a tag the library does not have, for the "did you mean" of
        UnknownModelTag. Pure; the chart's backend.sizing.unknownTag computes the same list.

        In order, the first rule that finds something wins:
        1. the tag itself, compared without case, after the last ":" (``7B``, a full name
           ``deepseek-r1:7b`` given as a tag);
        2. the tags that continue it after a "-", dropping its last "-" part until some do
           (``8b-llama-distill`` -> its three quantizations; ``7b-q8_0`` -> the ``7b-`` tags);
        3. by size: the plain size tag of the same size, else the ones just below and above
           (``3b`` -> 1.5b, 7b);
        4. nothing (``latst``): the message then lists the valid tags.
        """
        text = str(tag).split(":")[-1].strip()
        lowered = text.lower()
        every = self.library_tags()
        same = [t for t in every if t.lower() == lowered and t != tag]
        if same:
            return same
        parts = lowered.split("-")
        for n in range(len(parts), 0, -1):
            prefix = "-".join(parts[:n]) + "-"
            continued = [t for t in every if t.lower().startswith(prefix)]
            if continued:
                return continued
        size = _size_of(lowered)
        if size is None:
            return []
        plain = [(float(t[:-1]), t) for t in self.tags() if _PLAIN.match(t)]
        same_size = [t for s, t in plain if s == size]
        if same_size:
            return same_size
        below = [t for s, t in plain if s < size]
        above = [t for s, t in plain if s > size]
        return ([below[-1]] if below else []) + ([above[0]] if above else [])


_INT_FIELDS = (
    "parameters",
    "download_bytes",
    "layers",
    "head_count",
    "kv_heads",
    "head_dim_k",
    "head_dim_v",
    "embedding",
    "vocab",
    "max_context",
)
_STR_FIELDS = ("name", "family", "quantization", "min_ollama", "download_basis", "source")
_SIZING_INT = (
    "batch",
    "gpu_minimum_mib",
    "cpu_overhead_mib",
    "gpu_usable_percent",
    "max_gpus",
    "limit_headroom_percent",
    "storage_floor_gib",
)


def _positive_int(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise CatalogError(f"{where}: expected a positive integer, got {value!r}")
    return value


def parse_catalog(doc: Mapping[str, Any]) -> Catalog:
    """Check the catalog document and build a Catalog. Raises CatalogError naming the bad field."""
    if not isinstance(doc, Mapping):
        raise CatalogError(f"catalog: expected a mapping, got {type(doc).__name__}")
    ollama = doc.get("ollama")
    if not isinstance(ollama, Mapping) or parse_version(str(ollama.get("version", ""))) is None:
        raise CatalogError('catalog.ollama.version: expected a version such as "0.32.15"')
    tested = str(ollama["version"])
    repository = doc.get("repository")
    if not isinstance(repository, str) or not repository:
        raise CatalogError("catalog.repository: expected the library repository, e.g. deepseek-r1")
    raw_sizing = doc.get("sizing")
    if not isinstance(raw_sizing, Mapping):
        raise CatalogError("catalog.sizing: expected a mapping of the formula constants")
    sizing_values = {k: _positive_int(raw_sizing.get(k), f"catalog.sizing.{k}") for k in _SIZING_INT}
    if not isinstance(raw_sizing.get("default_gpu_memory"), str):
        raise CatalogError("catalog.sizing.default_gpu_memory: expected a quantity such as 24Gi")
    sizing = SizingConstants(default_gpu_memory=raw_sizing["default_gpu_memory"], **sizing_values)
    raw_models = doc.get("models")
    if not isinstance(raw_models, list) or not raw_models:
        raise CatalogError("catalog.models: expected a non-empty list")
    models: list[Model] = []
    seen: set[str] = set()
    for i, entry in enumerate(raw_models):
        where = f"catalog.models[{i}]"
        if not isinstance(entry, Mapping):
            raise CatalogError(f"{where}: expected a mapping")
        for key in _STR_FIELDS:
            if not isinstance(entry.get(key), str) or not entry[key]:
                raise CatalogError(f"{where}.{key}: expected a non-empty string, got {entry.get(key)!r}")
        name = entry["name"]
        if not name.startswith(f"{repository}:"):
            raise CatalogError(f"{where}.name: {name!r} is not in repository {repository!r}")
        ints = {k: _positive_int(entry.get(k), f"{where}.{k}") for k in _INT_FIELDS}
        min_ollama = parse_version(entry["min_ollama"])
        if min_ollama is None or min_ollama > (parse_version(tested) or (0, 0, 0)):
            raise CatalogError(
                f"{where}.min_ollama: {entry['min_ollama']!r} must be a version <= the tested ollama {tested}"
            )
        if entry["download_basis"] not in DOWNLOAD_BASES:
            raise CatalogError(f"{where}.download_basis: expected one of {', '.join(DOWNLOAD_BASES)}")
        aliases = entry.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise CatalogError(f"{where}.aliases: expected a list of names")
        if not all(a.startswith(f"{repository}:") for a in aliases):
            raise CatalogError(f"{where}.aliases: every alias is a name of repository {repository!r}")
        for alias in [name, *aliases]:
            if alias in seen:
                raise CatalogError(f"{where}: {alias!r} appears twice in the catalog")
            seen.add(alias)
        models.append(
            Model(
                name=name,
                tag=name.split(":", 1)[1],
                family=entry["family"],
                quantization=entry["quantization"],
                min_ollama=entry["min_ollama"],
                source=" ".join(entry["source"].split()),
                aliases=tuple(aliases),
                base_model=str(entry.get("base_model") or ""),
                download_basis=entry["download_basis"],
                library_url=str(entry.get("library_url") or ""),
                **ints,
            )
        )
    return Catalog(models=tuple(models), ollama_version=tested, repository=repository, sizing=sizing)
