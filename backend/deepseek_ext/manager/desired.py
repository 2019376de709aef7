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
from deepseek_ext.core.messages import Message
from deepseek_ext.core.objects import DEFAULT_NAMES, ObjectNames


class DesiredError(ValueError):
    """The serving config cannot drive the manager; ``message`` (``manager.desired.invalid``) names
    the field, what was given and what is allowed (``manager.desired.allowed.<field>``)."""

    def __init__(self, field: str, given: Any) -> None:
        self.field, self.given = field, given
        allowed = Message(f"manager.desired.allowed.{field.strip('()')}")
        self.message = Message("manager.desired.invalid", {"field": field, "given": repr(given), "allowed": allowed})
        super().__init__(f"serving config field {field!r}: got {given!r}")


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
    objects: ObjectNames = DEFAULT_NAMES
    """The names the serving config states: ollama's Deployment, pod labels and port, the PVC."""
    shared_volume: bool = False
    """True when the models PVC is ReadWriteMany: every pod sees one copy, so pull once."""
    ollama_version: str = ""

    @property
    def selector(self) -> Mapping[str, str]:
        """Labels of the ollama pods (``ollamaSelector``)."""
        return self.objects.ollama_selector

    @property
    def deployment(self) -> str:
        return self.objects.ollama_deployment

    @property
    def port(self) -> int:
        return self.objects.ollama_port

    @property
    def pvc_name(self) -> str:
        return self.objects.pvc

    @property
    def insecure(self) -> bool:
        """Plain-HTTP private registries need ollama's ``insecure`` flag (``http://`` in the registry)."""
        return self.registry.startswith("http://")


def desired_from_config(config: Mapping[str, Any]) -> Desired:
    """Validate the fields the manager uses; unknown fields are ignored (they belong to other parts)."""
    if not isinstance(config, Mapping):
        raise DesiredError("(document)", type(config).__name__)
    model = config.get("model")
    if not isinstance(model, str) or not names.is_valid(model):
        raise DesiredError("model", model)
    raw_models = config.get("models", [model])
    if not isinstance(raw_models, list) or not all(isinstance(m, str) and names.is_valid(m) for m in raw_models):
        raise DesiredError("models", raw_models)
    ordered: list[str] = []
    for name in [model, *raw_models]:
        norm = names.normalize(name)
        if names.find(norm, ordered) is None:  # ollama ignores case: one model, not two
            ordered.append(norm)
    pull = config.get("pull", True)
    if not isinstance(pull, bool):
        raise DesiredError("pull", pull)
    selector = config.get("ollamaSelector") or DEFAULT_NAMES.ollama_selector
    if not isinstance(selector, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in selector.items()
    ):
        raise DesiredError("ollamaSelector", selector)
    modes = config.get("accessModes") or ["ReadWriteOnce"]
    if not isinstance(modes, list):
        raise DesiredError("accessModes", modes)
    # The model gateway's admin port when there is one (pull and delete are refused on ollamaPort).
    field = "ollamaAdminPort" if "ollamaAdminPort" in config else "ollamaPort"
    port = config.get(field, DEFAULT_NAMES.ollama_port)
    if not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536:
        raise DesiredError(field, port)
    keep_alive = config.get("keepAlive", "-1")
    return Desired(
        model=ordered[0],
        models=tuple(ordered),
        pull=pull,
        registry=str(config.get("registry") or names.DEFAULT_REGISTRY),
        keep_alive=str(keep_alive),
        objects=ObjectNames.from_serving({**config, "ollamaSelector": dict(selector), "ollamaPort": port}),
        shared_volume="ReadWriteMany" in modes,
        ollama_version=str(config.get("ollamaVersion") or ""),
    )
