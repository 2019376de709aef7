"""The model gateway's own settings as the status report judges them. Pure.

Keyless access (``backend.gateway.requireKey: false``) lets anyone who reaches the Service use the
GPU without limit: the chart allows it for a transition from 0.1.0, and the report says so until it
is switched back (the serving config states it as ``gatewayRequireKey``; older configs do not, and
then nothing is reported).
"""

from __future__ import annotations

from deepseek_ext.core.findings import Finding, FindingCode, Severity
from deepseek_ext.core.objects import ObjectNames
from deepseek_ext.core.phases import Component
from deepseek_ext.core.status.common import finding
from deepseek_ext.core.status.inputs import Obj

REQUIRE_KEY_PATH = "backend.gateway.requireKey"


def detect_gateway_findings(*, config: Obj, object_names: ObjectNames) -> list[Finding]:
    """``GatewayKeyless`` (warning) when the gateway lets callers in without a key."""
    if config.get("gatewayRequireKey") is not False:
        return []
    return [finding(
        FindingCode.GATEWAY_KEYLESS,
        Severity.WARNING,
        Component.OLLAMA,
        path=REQUIRE_KEY_PATH,
        params={"key": REQUIRE_KEY_PATH, "service": object_names.ollama_service},
        evidence={"kind": "ConfigMap", "name": object_names.serving_configmap, "field": "gatewayRequireKey",
                  "value": False},
    )]
