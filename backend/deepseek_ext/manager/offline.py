"""Offline seeding: check a models directory layout and tell an administrator how to seed (pure).

ollama's layout (shared/reference/ollama-nextchat.md, section 3): the manifest at
``manifests/<host>/<namespace>/<model>/<tag>`` lists a config blob and layers, each stored as
``blobs/sha256-<hex>`` with exactly the listed size. A model is present when its manifest parses
and every blob it lists exists with that size; "partial" when the manifest is there but a blob is
missing or short (an interrupted copy). The caller reads the files; this module only judges.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from deepseek_ext.core import names


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
    problems: tuple[str, ...] = field(default=())


def blob_file(digest: str) -> str:
    """``sha256:<hex>`` -> ``blobs/sha256-<hex>`` (ollama renames the old colon form at start-up)."""
    return "blobs/" + digest.replace(":", "-")


def check_layout(model: str, *, manifest_text: str | None, blob_sizes: Mapping[str, int]) -> LayoutCheck:
    """Judge one model: ``manifest_text`` is the manifest file's content (None when absent) and
    ``blob_sizes`` maps ``blobs/<file>`` to its size in bytes."""
    rel = names.manifest_relpath(model)
    norm = names.normalize(model)
    if manifest_text is None:
        return LayoutCheck(norm, "missing", rel, problems=(f"no manifest at {rel}",))
    try:
        manifest = json.loads(manifest_text)
    except ValueError:
        return LayoutCheck(norm, "partial", rel, problems=(f"{rel} is not valid JSON (copy it again)",))
    if not isinstance(manifest, dict):
        return LayoutCheck(norm, "partial", rel, problems=(f"{rel} is not a manifest object",))
    layers = [manifest.get("config") or {}, *(manifest.get("layers") or [])]
    missing: list[str] = []
    short: list[tuple[str, int, int]] = []
    for layer in layers:
        digest = str(layer.get("digest") or "")
        if not digest.startswith("sha256:"):
            return LayoutCheck(norm, "partial", rel, problems=(f"{rel} lists a layer without a sha256 digest",))
        path = blob_file(digest)
        size = int(layer.get("size") or 0)
        found = blob_sizes.get(path)
        if found is None:
            missing.append(path)
        elif found != size:
            short.append((path, found, size))
    problems = tuple(
        [f"missing {p}" for p in missing]
        + [f"{p} has {found} bytes, the manifest says {size}" for p, found, size in short]
    )
    state = "partial" if problems else "present"
    return LayoutCheck(norm, state, rel, tuple(missing), tuple(short), problems)


def seeding_steps(
    model: str, *, pvc: str = "deepseek-models", namespace: str = "extension-deepseek", offline: bool = True
) -> dict[str, str]:
    """Step-by-step seeding instructions for one model, in English and Chinese.

    ``offline``: downloads are off (the model is missing); otherwise the registry is unreachable
    and seeding is the alternative to fixing the network.
    """
    rel = names.manifest_relpath(model)
    norm = names.normalize(model)
    lead_en = (
        f"{norm} is not on the {pvc} volume and downloads are off (backend.model.pull=false). To seed it: "
        if offline
        else f"To seed {norm} instead of downloading it: "
    )
    lead_zh = (
        f"{norm} 不在 {pvc} 卷上，且已关闭下载（backend.model.pull=false）。预置步骤："
        if offline
        else f"如不下载，也可预置 {norm}："
    )
    en = (
        lead_en + f"1) on a machine with internet access run `ollama pull {norm}`; "
        f"2) copy `~/.ollama/models/{rel}` and every `blobs/sha256-<hex>` file that manifest lists "
        f"(its config and layers digests) into the root of PVC {pvc} in namespace {namespace}, keeping the "
        f"paths (`{rel}`, `blobs/...`), e.g. with a helper pod that mounts the PVC and "
        f"`kubectl cp`; copy blobs before the manifest; "
        f"3) the manager sees the model within one interval, no restart needed; check with "
        f"`deepseek-ext manager --check-dir <dir> --model {norm}` before copying."
    )
    zh = (
        lead_zh + f"1）在能访问互联网的机器上执行 `ollama pull {norm}`；"
        f"2）将 `~/.ollama/models/{rel}` 及该 manifest 列出的所有 `blobs/sha256-<hex>` 文件"
        f"（config 与 layers 的 digest）复制到命名空间 {namespace} 中 PVC {pvc} 的根目录，"
        f"保持路径不变（`{rel}`、`blobs/...`），"
        f"例如用挂载该 PVC 的辅助 Pod 配合 `kubectl cp`；先复制 blob，再复制 manifest；"
        f"3）管理器会在一个周期内发现该模型，无需重启；复制前可用 "
        f"`deepseek-ext manager --check-dir <目录> --model {norm}` 检查。"
    )
    return {"en": en, "zh": zh}
