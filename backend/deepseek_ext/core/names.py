"""Model names as ollama spells them (pure).

ollama lists ``deepseek-r1:7b`` for ``registry.ollama.ai/library/deepseek-r1:7b`` and adds
``:latest`` when the tag is left out, so every comparison goes through ``normalize``. ollama also
matches names case-insensitively: ``getExistingName`` folds host, namespace, model and tag with
``strings.EqualFold`` (server/routes.go:1222-1245 at v0.32.15, ``Name.EqualFold`` in
types/model/name.go:309-314), so ``DEEPSEEK-R1:1.5B`` deletes ``deepseek-r1:1.5b``. Guards compare
with ``same`` / ``find``, never with ``==`` (a name is still *sent* as written: registry tags such as
``q4_K_M`` keep their case).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

DEFAULT_HOST = "registry.ollama.ai"
DEFAULT_NAMESPACE = "library"
DEFAULT_REGISTRY = f"{DEFAULT_HOST}/{DEFAULT_NAMESPACE}"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,200}(:[A-Za-z0-9][A-Za-z0-9._-]{0,127})?$")


def is_valid(name: str) -> bool:
    """Plausible ollama name: ``[host/][namespace/]model[:tag]`` with the characters ollama accepts."""
    return bool(_NAME.match(name)) and ".." not in name and "//" not in name


def split(name: str) -> tuple[str, str, str, str]:
    """(host, namespace, model, tag), with ollama's defaults filled in."""
    last = name.rsplit("/", 1)[-1]
    if ":" in last:
        rest, tag = name.rsplit(":", 1)
    else:
        rest, tag = name, "latest"
    parts = rest.split("/")
    if len(parts) == 1:
        return DEFAULT_HOST, DEFAULT_NAMESPACE, parts[0], tag
    if len(parts) == 2:
        return DEFAULT_HOST, parts[0], parts[1], tag
    return parts[0], "/".join(parts[1:-1]), parts[-1], tag


def normalize(name: str) -> str:
    """The name ``/api/tags`` shows: default host and namespace dropped, ``:latest`` added."""
    host, namespace, model, tag = split(name.strip())
    if host == DEFAULT_HOST and namespace == DEFAULT_NAMESPACE:
        return f"{model}:{tag}"
    if host == DEFAULT_HOST:
        return f"{namespace}/{model}:{tag}"
    return f"{host}/{namespace}/{model}:{tag}"


def manifest_relpath(name: str) -> str:
    """Path of the manifest under the models dir (the PVC root), e.g.
    ``manifests/registry.ollama.ai/library/deepseek-r1/7b``."""
    host, namespace, model, tag = split(name.strip())
    return f"manifests/{host}/{namespace}/{model}/{tag}"


def configmap_key(prefix: str, name: str) -> str:
    """A ConfigMap data key for ``name`` (keys allow only ``[-._a-zA-Z0-9]``)."""
    return prefix + re.sub(r"[^-._a-zA-Z0-9]", "_", normalize(name))


def key(name: str) -> str:
    """The comparison key of a name: case-folded, then normalized (the default host and namespace
    are dropped whatever their case, as types/model/name.go:234-239 does)."""
    return normalize(name.casefold())


def same(a: str, b: str) -> bool:
    """``a`` and ``b`` name the same model for ollama (defaults filled in, case ignored)."""
    return key(a) == key(b)


def find(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate that names the same model as ``name`` (spelled as the candidate), or None."""
    wanted = key(name)
    return next((c for c in candidates if key(c) == wanted), None)
