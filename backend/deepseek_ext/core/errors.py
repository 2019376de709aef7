"""Domain errors: what a service refuses, as a stable code and named parameters. Pure.

A service raises one of these; ``api.errors`` maps each class to an HTTP status and renders the
message from the catalog (``error.<code>``, or the variant the error names), so a refusal reads
the same wherever it is shown. ``field``, ``given`` and ``allowed`` say what was wrong and what
would be accepted, as every error body of the API has always said it; ``reason`` is technical
detail from an upstream (ollama's own text).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from deepseek_ext.core.messages import Message


class DomainError(Exception):
    """Base of the refusals services raise; subclasses fix ``code`` (and the HTTP status, in ``api.errors``)."""

    code: ClassVar[str] = "DomainError"

    def __init__(
        self,
        *,
        field: str | None = None,
        given: Any = None,
        allowed: Any = None,
        reason: str | None = None,
        variant: str | None = None,
        **params: Any,
    ) -> None:
        super().__init__(f"{self.code} {params}")
        self.params = params
        self.field, self.given, self.allowed, self.reason = field, given, allowed, reason
        self.variant = variant

    @property
    def message(self) -> Message:
        """``error.<code>`` (or ``error.<code>.<variant>``) with this error's parameters."""
        key = f"error.{self.code}" + (f".{self.variant}" if self.variant else "")
        return Message(key, self.params)

    def details(self) -> dict[str, Any]:
        """The body fields beside the message (None values are left out of the body)."""
        return {"field": self.field, "given": self.given, "allowed": self.allowed, "reason": self.reason}


MODEL_NAME_FORM = "[host/][namespace/]model[:tag], e.g. deepseek-r1:7b"
"""What a model name may look like (the ``allowed`` of ``InvalidModelName``)."""


class InvalidModelName(DomainError):
    """The path names no ollama model."""

    code = "InvalidModelName"

    def __init__(self, given: str) -> None:
        super().__init__(field="name", given=given, allowed=MODEL_NAME_FORM, name=repr(given))


class ModelNotFound(DomainError):
    """``GET``: not configured, unknown to the manager, on no pod. ``DELETE`` (``on_pods``): on no pod."""

    code = "ModelNotFound"

    def __init__(self, model: str, *, given: str, configured: Sequence[str] = (), on_pods: bool = False) -> None:
        if on_pods:
            super().__init__(field="name", given=given, variant="onPods", model=model)
        else:
            super().__init__(
                field="name", given=given, allowed=list(configured), model=model, configured=list(configured)
            )


class ModelNotConfigured(DomainError):
    """A pull of a model the manager does not keep."""

    code = "ModelNotConfigured"

    def __init__(self, model: str, *, given: str, configured: Sequence[str]) -> None:
        super().__init__(
            field="name", given=given, allowed=list(configured), model=model, configured=list(configured)
        )


class DownloadsDisabled(DomainError):
    """A pull in offline mode (``backend.model.pull=false``); ``steps`` say how to seed instead."""

    code = "DownloadsDisabled"

    def __init__(self, model: str, *, steps: Message) -> None:
        super().__init__(field="backend.model.pull", given=False, allowed=[True], model=model, steps=steps)


class ManagerUnavailable(DomainError):
    """No state store to leave a pull request in (standalone without ``DEEPSEEK_MODEL_STATE_FILE``)."""

    code = "ManagerUnavailable"

    def __init__(self) -> None:
        super().__init__(
            field="DEEPSEEK_MODEL_STATE_FILE",
            given=None,
            allowed="path of the state file the manager writes (--state-file)",
        )


class DefaultModelProtected(DomainError):
    """A delete of the configured model, which NextChat and applications use."""

    code = "DefaultModel"

    def __init__(self, model: str, *, given: str) -> None:
        super().__init__(field="name", given=given, allowed="any model except the configured one", model=model)


class ModelConfigured(DomainError):
    """A delete of a model in ``backend.models``: the manager would download it again."""

    code = "ModelConfigured"

    def __init__(self, model: str, *, given: str) -> None:
        super().__init__(field="name", given=given, allowed="models that are not configured", model=model)


class OllamaUnavailable(DomainError):
    """No ready ollama pod to act on."""

    code = "OllamaUnavailable"

    def __init__(self) -> None:
        super().__init__(field="pods", given=0, allowed=">= 1 ready ollama pod")


class OllamaDeleteFailed(DomainError):
    """Every ollama pod that was asked failed to delete the model; ``failures`` are ``pod: error``."""

    code = "OllamaError"

    def __init__(self, model: str, *, failures: Sequence[tuple[str, str]]) -> None:
        super().__init__(
            reason=failures[0][1] if failures else None,
            model=model,
            failures=[f"{pod}: {error}" for pod, error in failures],
        )


class CatalogUnavailable(DomainError):
    """The model catalog or the default values cannot be loaded; ``detail`` is ``{en, zh}``."""

    code = "CatalogUnavailable"

    def __init__(self, detail: dict[str, str]) -> None:
        super().__init__(field="DEEPSEEK_CATALOG", detail=detail)


# --- keys of the model gateway and the access code (services/apikeys.py, services/access.py) ---

KEY_NAME_FORM = "1-63 letters, digits, '-', '.' or '_', starting and ending with a letter or digit, e.g. ci-bot"
"""What a key name may look like (the ``allowed`` of ``InvalidKeyName``)."""


class InvalidKeyName(DomainError):
    """A key name the gateway cannot use (a Secret data key that is also a metric label)."""

    code = "InvalidKeyName"

    def __init__(self, given: Any) -> None:
        super().__init__(field="name", given=given, allowed=KEY_NAME_FORM, name=repr(given))


class KeyReserved(DomainError):
    """A name the chart itself keeps (NextChat's, the console's): never created or revoked here."""

    code = "KeyReserved"

    def __init__(self, name: str, *, reserved: Sequence[str]) -> None:
        super().__init__(field="name", given=name, allowed=f"any name except {', '.join(reserved)}", name=name,
                         reserved=list(reserved))


class KeyExists(DomainError):
    code = "KeyExists"

    def __init__(self, name: str) -> None:
        super().__init__(field="name", given=name, allowed="a name no key has yet (revoke the old one first)",
                         name=name)


class KeyNotFound(DomainError):
    code = "KeyNotFound"

    def __init__(self, name: str, *, known: Sequence[str]) -> None:
        super().__init__(field="name", given=name, allowed=list(known), name=name)


class SecretMissing(DomainError):
    """The Secret the request works on does not exist (the serving chart is not installed, or was renamed)."""

    code = "SecretMissing"

    def __init__(self, secret: str) -> None:
        super().__init__(field="secret", given=secret, secret=secret)


DOMAIN_ERRORS: tuple[type[DomainError], ...] = (
    InvalidModelName,
    ModelNotFound,
    ModelNotConfigured,
    DownloadsDisabled,
    ManagerUnavailable,
    DefaultModelProtected,
    ModelConfigured,
    OllamaUnavailable,
    OllamaDeleteFailed,
    CatalogUnavailable,
    InvalidKeyName,
    KeyReserved,
    KeyExists,
    KeyNotFound,
    SecretMissing,
)
"""Every domain error (``api.errors`` has a status for each; a test checks the catalog has its text)."""
