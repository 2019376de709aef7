"""Failure classification and retry timing for pulls and loads (pure).

Classification reads ollama's own error texts (server/images.go, registry client) so that the
status page can say what to do: a wrong tag will not fix itself, a full disk needs a bigger PVC,
an unreachable registry needs network access or offline seeding.
"""

from __future__ import annotations

from enum import StrEnum


class FailureCode(StrEnum):
    REGISTRY_UNREACHABLE = "RegistryUnreachable"
    UNKNOWN_TAG = "UnknownTag"
    OLLAMA_TOO_OLD = "OllamaTooOld"
    DISK_FULL = "DiskFull"
    INTERRUPTED = "Interrupted"
    PARTIAL = "Partial"
    OTHER = "Other"


_REGISTRY_MARKERS = (
    "no such host",
    "dial tcp",
    "connection refused",
    "i/o timeout",
    "tls handshake",
    "network is unreachable",
    "timeout awaiting",
    "context deadline exceeded",
    "server misbehaving",
    "x509:",
    "certificate",
)
_PARTIAL_MARKERS = (
    "no such file or directory",
    "unexpected eof",
    "error loading model",
    "invalid file magic",
    "failed to load model",
)


def classify(
    message: str, *, status: int | None = None, interrupted: bool = False, during_load: bool = False
) -> FailureCode:
    """Map an ollama error (text and HTTP status) to a stable code."""
    text = message.lower()
    if interrupted:
        return FailureCode.INTERRUPTED
    if status == 412 or "requires a newer version of ollama" in text:
        return FailureCode.OLLAMA_TOO_OLD
    if "no space left on device" in text or "disk quota exceeded" in text:
        return FailureCode.DISK_FULL
    if during_load and any(m in text for m in _PARTIAL_MARKERS):
        return FailureCode.PARTIAL
    if "file does not exist" in text or "manifest unknown" in text or ("not found" in text and "manifest" in text):
        return FailureCode.UNKNOWN_TAG
    if any(m in text for m in _REGISTRY_MARKERS):
        return FailureCode.REGISTRY_UNREACHABLE
    return FailureCode.OTHER


def backoff_seconds(attempts: int, *, base: float, cap: float) -> float:
    """Capped exponential backoff: base, 2·base, 4·base ... never above ``cap`` (attempts >= 1)."""
    if attempts < 1:
        return 0.0
    return min(cap, base * (2 ** min(attempts - 1, 30)))


def explain(code: FailureCode, *, model: str, detail: str = "", ollama_version: str = "") -> dict[str, str]:
    """What went wrong and what to do, in English and Chinese (shown in state.json and Events)."""
    tag = model.rsplit(":", 1)[-1]
    version_en = f" ({ollama_version})" if ollama_version else ""
    version_zh = f"（{ollama_version}）" if ollama_version else ""
    texts = {
        FailureCode.REGISTRY_UNREACHABLE: (
            f"Cannot reach the model registry to download {model}. Give the ollama pods access to the "
            "registry (proxy, firewall, DNS), set backend.model.registry to a reachable mirror, or seed the "
            "model on the deepseek-models PVC and set backend.model.pull=false (see docs/models.md).",
            f"无法访问模型仓库，下载 {model} 失败。请让 ollama Pod 能访问仓库（代理、防火墙、DNS），或将 "
            "backend.model.registry 设为可访问的镜像仓库，或将模型预置到 deepseek-models PVC 并设置 "
            "backend.model.pull=false（见 docs/models_zh.md）。",
        ),
        FailureCode.UNKNOWN_TAG: (
            f"The registry has no model {model} (tag {tag!r} does not exist). Use a tag from the catalog "
            "(`deepseek-ext models`): 1.5b, 7b, 8b, 14b, 32b, 70b or 671b.",
            f"仓库中不存在模型 {model}（标签 {tag!r} 不存在）。请使用目录中的标签（`deepseek-ext models`）："
            "1.5b、7b、8b、14b、32b、70b 或 671b。",
        ),
        FailureCode.OLLAMA_TOO_OLD: (
            f"The registry refuses {model} to this ollama version{version_en}: it requires a newer "
            "ollama. Leave backend.server.image.tag empty (the tested version) or set a newer tag.",
            f"仓库拒绝向当前 ollama 版本{version_zh}提供 {model}：需要更新的 "
            "ollama。请将 backend.server.image.tag 留空（使用经过测试的版本）或设置更新的标签。",
        ),
        FailureCode.DISK_FULL: (
            f"The deepseek-models volume is full while downloading {model}. Enlarge the PVC (if its "
            "StorageClass allows expansion) or remove unused models (DELETE models/<name>).",
            f"下载 {model} 时 deepseek-models 卷已满。请扩容 PVC（若其 StorageClass 支持扩容）"
            "或删除不用的模型（DELETE models/<name>）。",
        ),
        FailureCode.INTERRUPTED: (
            f"The download of {model} was interrupted (connection dropped or the ollama pod restarted). "
            "It resumes automatically from where it stopped.",
            f"{model} 的下载被中断（连接断开或 ollama Pod 重启）。将自动从中断处继续下载。",
        ),
        FailureCode.PARTIAL: (
            f"{model} is only partly on the deepseek-models volume (a manifest without all of its blobs, or "
            "a blob shorter than its size). Copy the missing blobs again (see docs/models.md, offline "
            "seeding) or, with downloads allowed, delete the model and let the manager pull it.",
            f"{model} 在 deepseek-models 卷上不完整（有 manifest 但缺少 blob，或 blob 大小不足）。"
            "请重新复制缺失的 blob（见 docs/models_zh.md 离线预置），"
            "或在允许下载时删除该模型，由管理器重新拉取。",
        ),
        FailureCode.OTHER: (
            f"Downloading or loading {model} failed. The ollama logs of the pod have details.",
            f"下载或加载 {model} 失败。详情请查看该 Pod 的 ollama 日志。",
        ),
    }
    en, zh = texts[code]
    if detail:
        en, zh = f"{en} (ollama: {detail[:300]})", f"{zh}（ollama：{detail[:300]}）"
    return {"en": en, "zh": zh}
