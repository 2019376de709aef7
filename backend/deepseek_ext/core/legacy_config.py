"""A 0.1.0 config, recognised so that ``validate`` can say what the upgrade changes for applications. Pure.

Extension Center re-uses an installed extension's config on upgrade, so a 0.1.0 install arrives
with the whole 0.1.0 values document (tests/data/compat/deepseek-0.1.0-values.yaml): ``backend``
with ``model``, ``server``, ``chat`` and ``persistence`` but none of the sections added since
(``backend.gateway``, ``api``), or with 0.1.0's image pins (ollama 0.5.7, NextChat v2.16.0). With
0.1.0, applications called ollama without a key; now the gateway requires one. The warning names
the upgrade notes and the transition switch; it never blocks the install.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from deepseek_ext.core.findings import Finding, FindingCode, warning

UPGRADE_NOTES = "docs/gateway.md#upgrade-notes-for-010-applications"
REQUIRE_KEY_PATH = "backend.gateway.requireKey"
LEGACY_OLLAMA_TAG = "0.5.7"
LEGACY_CHAT_TAG = "v2.16.0"
_DOCUMENT_SECTIONS = ("model", "server", "chat", "persistence")


def _tag(section: Any) -> Any:
    image = section.get("image") if isinstance(section, Mapping) else None
    return image.get("tag") if isinstance(image, Mapping) else None


def looks_like_0_1_0(values: Mapping[str, Any]) -> bool:
    """True for the 0.1.0 values document (or a config that pins 0.1.0's images), before merging defaults."""
    backend = values.get("backend")
    if not isinstance(backend, Mapping) or "gateway" in backend or "api" in values:
        return False
    whole_document = all(isinstance(backend.get(s), Mapping) for s in _DOCUMENT_SECTIONS)
    pinned = str(_tag(backend.get("server"))) == LEGACY_OLLAMA_TAG or str(_tag(backend.get("chat"))) == LEGACY_CHAT_TAG
    return whole_document or pinned


def legacy_config_warnings(values: Any) -> list[Finding]:
    """``LegacyConfigNeedsKeys`` for a 0.1.0 config: its applications must now send a key."""
    if not isinstance(values, Mapping) or not looks_like_0_1_0(values):
        return []
    return [warning(FindingCode.LEGACY_CONFIG_NEEDS_KEYS, REQUIRE_KEY_PATH,
                    params={"key": REQUIRE_KEY_PATH, "docs": UPGRADE_NOTES}, value=None)]
