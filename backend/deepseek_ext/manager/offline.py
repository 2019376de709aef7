"""Offline seeding: check a models directory layout and tell an administrator how to seed (pure).

ollama's layout (shared/reference/ollama-nextchat.md, section 3): the manifest at
``manifests/<host>/<namespace>/<model>/<tag>`` lists a config blob and layers, each stored as
``blobs/sha256-<hex>`` with exactly the listed size. A model is present when its manifest parses
and every blob it lists exists with that size; "partial" when the manifest is there but a blob is
missing or short (an interrupted copy). The caller reads the files; this module only judges.
Problems and seeding steps are catalog messages (``offline.*``): the manager's record, the API
and the status report show the same steps.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from deepseek_ext.core import names
from deepseek_ext.core.messages import Message, MessageCatalog, Text
from deepseek_ext.core.objects import DEFAULT_NAMES


@dataclass(frozen=True)
class LayoutCheck:
    model: str
    state: str
    """present | missing | partial"""
    manifest: str
    """Expected manifest path relative to the models dir."""
    missing_blobs: tuple[str, ...] = ()
    short_blobs: tuple[tuple[str, int, int], ...] = ()
    """(blob file, size found, size expected)."""
    problems: tuple[Message, ...] = field(default=())
    """What is wrong (``offline.problem.*``), empty when present."""


def blob_file(digest: str) -> str:
    """``sha256:<hex>`` -> ``blobs/sha256-<hex>`` (ollama renames the old colon form at start-up)."""
    return "blobs/" + digest.replace(":", "-")


def check_layout(model: str, *, manifest_text: str | None, blob_sizes: Mapping[str, int]) -> LayoutCheck:
    """Judge one model: ``manifest_text`` is the manifest file's content (None when absent) and
    ``blob_sizes`` maps ``blobs/<file>`` to its size in bytes."""
    rel = names.manifest_relpath(model)
    norm = names.normalize(model)

    def problem(key: str) -> tuple[Message, ...]:
        return (Message(f"offline.problem.{key}", {"manifest": rel}),)

    if manifest_text is None:
        return LayoutCheck(norm, "missing", rel, problems=problem("noManifest"))
    try:
        manifest = json.loads(manifest_text)
    except ValueError:
        return LayoutCheck(norm, "partial", rel, problems=problem("notJson"))
    if not isinstance(manifest, dict):
        return LayoutCheck(norm, "partial", rel, problems=problem("notManifest"))
    layers = [manifest.get("config") or {}, *(manifest.get("layers") or [])]
    missing: list[str] = []
    short: list[tuple[str, int, int]] = []
    for layer in layers:
        digest = str(layer.get("digest") or "")
        if not digest.startswith("sha256:"):
            return LayoutCheck(norm, "partial", rel, problems=problem("noDigest"))
        path = blob_file(digest)
        size = int(layer.get("size") or 0)
        found = blob_sizes.get(path)
        if found is None:
            missing.append(path)
        elif found != size:
            short.append((path, found, size))
    problems = tuple(
        [Message("offline.problem.missingBlob", {"blob": p}) for p in missing]
        + [
            Message("offline.problem.shortBlob", {"blob": p, "found": found, "expected": size})
            for p, found, size in short
        ]
    )
    state = "partial" if problems else "present"
    return LayoutCheck(norm, state, rel, tuple(missing), tuple(short), problems)


def seeding_message(
    model: str, *, namespace: str, pvc: str = DEFAULT_NAMES.pvc, offline: bool = True
) -> Message:
    """Step-by-step seeding instructions for one model (``offline.seed``).

    ``offline``: downloads are off (the model is missing, ``offline.lead.missing``); otherwise the
    registry is unreachable and seeding is the alternative to fixing the network
    (``offline.lead.alternative``).
    """
    norm = names.normalize(model)
    lead = Message("offline.lead.missing" if offline else "offline.lead.alternative", {"model": norm, "pvc": pvc})
    return Message(
        "offline.seed",
        {"lead": lead, "model": norm, "manifest": names.manifest_relpath(model), "pvc": pvc, "namespace": namespace},
    )


def seeding_steps(
    model: str, *, catalog: MessageCatalog, namespace: str, pvc: str = DEFAULT_NAMES.pvc, offline: bool = True
) -> Text:
    """``seeding_message`` in English and Chinese."""
    return catalog.render(seeding_message(model, namespace=namespace, pvc=pvc, offline=offline))
