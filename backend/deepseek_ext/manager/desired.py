"""What the manager must achieve, read from the serving config the chart ships (pure).

Input: the parsed ``config.json`` of ConfigMap ``deepseek-serving`` (shape in
docs/architecture.md). Names in ``model``/``models`` are the full ollama names the chart
renders (a private ``registry`` is already part of them), so the manager pulls them verbatim.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from deepseek_ext.core import names


class DesiredError(ValueError):
    """The serving config cannot drive the manager; ``message`` is {"en", "zh"} and names the field."""

    def __init__(self, field: str, given: Any, allowed: str, allowed_zh: str) -> None:
        self.field = field
        self.message = {
            "en": f"serving config field {field!r}: got {given!r}; allowed: {allowed}",
            "zh": f"服务配置字段 {field!r}：收到 {given!r}；允许的值：{allowed_zh}",
        }
        super().__init__(self.message["en"])


@dataclass(frozen=True)
class Desired:
    model: str
    """The configured (default) model: pulled first, loaded and kept loaded, never deleted by the API."""
    models: tuple[str, ...]
    """Every model that must be on disk: the default first, then ``backend.models``."""
    pull: bool = True
    """False = offline: never pull, report missing models with seeding steps."""
    registry: str = names.DEFAULT_REGISTRY
    keep_alive: str = "-1"
    selector: Mapping[str, str] | None = None
    """Labels of the ollama pods (``ollamaSelector``)."""
    deployment: str = "deepseek-backend-server"
    port: int = 11434
    shared_volume: bool = False
    """True when the models PVC is ReadWriteMany: every pod sees one copy, so pull once."""
    pvc_name: str = "deepseek-models"
    ollama_version: str = ""

    @property
    def insecure(self) -> bool:
        """Plain-HTTP private registries need ollama's ``insecure`` flag (``http://`` in the registry)."""
        return self.registry.startswith("http://")


def desired_from_config(config: Mapping[str, Any]) -> Desired:
    """Validate the fields the manager uses; unknown fields are ignored (they belong to other parts)."""
    if not isinstance(config, Mapping):
        raise DesiredError("(document)", type(config).__name__, "a JSON object", "JSON 对象")
    model = config.get("model")
    if not isinstance(model, str) or not names.is_valid(model):
        raise DesiredError(
            "model",
            model,
            "an ollama model name such as deepseek-r1:1.5b",
            "ollama 模型名，例如 deepseek-r1:1.5b",
        )
    raw_models = config.get("models", [model])
    if not isinstance(raw_models, list) or not all(isinstance(m, str) and names.is_valid(m) for m in raw_models):
        raise DesiredError(
            "models",
            raw_models,
            'a list of ollama model names, e.g. ["deepseek-r1:7b"]',
            'ollama 模型名列表，例如 ["deepseek-r1:7b"]',
        )
    ordered: list[str] = []
    for name in [model, *raw_models]:
        norm = names.normalize(name)
        if norm not in ordered:
            ordered.append(norm)
    pull = config.get("pull", True)
    if not isinstance(pull, bool):
        raise DesiredError("pull", pull, "true or false", "true 或 false")
    selector = config.get("ollamaSelector") or {"app": "deepseek-backend-server"}
    if not isinstance(selector, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in selector.items()
    ):
        raise DesiredError("ollamaSelector", selector, "a map of label names to values", "标签名到值的映射")
    modes = config.get("accessModes") or ["ReadWriteOnce"]
    if not isinstance(modes, list):
        raise DesiredError("accessModes", modes, 'a list such as ["ReadWriteMany"]', '列表，例如 ["ReadWriteMany"]')
    # The model gateway's admin port when there is one (pull and delete are refused on ollamaPort).
    port = config.get("ollamaAdminPort", config.get("ollamaPort", 11434))
    if not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536:
        field = "ollamaAdminPort" if "ollamaAdminPort" in config else "ollamaPort"
        raise DesiredError(field, port, "a port number 1-65535", "端口号 1-65535")
    keep_alive = config.get("keepAlive", "-1")
    return Desired(
        model=ordered[0],
        models=tuple(ordered),
        pull=pull,
        registry=str(config.get("registry") or names.DEFAULT_REGISTRY),
        keep_alive=str(keep_alive),
        selector=dict(selector),
        deployment=str(config.get("ollamaDeployment") or "deepseek-backend-server"),
        port=port,
        shared_volume="ReadWriteMany" in modes,
        pvc_name=str(config.get("pvcName") or "deepseek-models"),
        ollama_version=str(config.get("ollamaVersion") or ""),
    )
