"""The gateway's settings -> findings: keyless access is a warning naming the value that fixes it."""

from __future__ import annotations

from typing import Any

import pytest
from deepseek_ext.core.findings import Finding, FindingCode, Severity
from deepseek_ext.core.objects import ObjectNames
from deepseek_ext.core.phases import Component, ComponentState, StatusPhase
from deepseek_ext.core.status import build_report
from deepseek_ext.core.status.gateway import detect_gateway_findings

from tests.core.status.builders import CONFIG, Expect, check_all, healthy

KEYLESS = Expect(FindingCode.GATEWAY_KEYLESS, Severity.WARNING, path="backend.gateway.requireKey",
                 component="ollama", params={"key": "backend.gateway.requireKey", "service": "svc-x"},
                 evidence={"kind": "ConfigMap", "name": "deepseek-serving", "field": "gatewayRequireKey",
                           "value": False})


@pytest.mark.parametrize(("config", "expected"), [
    pytest.param({"gatewayRequireKey": True}, [], id="keys required"),
    pytest.param({}, [], id="config without the field (before the gateway)"),
    pytest.param({"gatewayRequireKey": False}, [KEYLESS], id="keyless"),
])
def test_gateway_rule(config: dict[str, Any], expected: list[Expect]) -> None:
    check_all(detect_gateway_findings(config=config, object_names=ObjectNames(ollama_service="svc-x")), expected)


def keyless() -> list[Finding]:
    """The rule's finding, for the render test (tests/core/status/test_rendering.py)."""
    return detect_gateway_findings(config={"gatewayRequireKey": False}, object_names=ObjectNames())


def test_keyless_degrades_ollama_but_the_install_is_ready() -> None:
    report = build_report(healthy(config={**CONFIG, "gatewayRequireKey": False}))
    assert [f.code for f in report.findings] == [FindingCode.GATEWAY_KEYLESS]
    states = {c.component: c.state for c in report.components}
    assert states[Component.OLLAMA] is ComponentState.DEGRADED
    assert report.phase is StatusPhase.READY
    assert report.message.params["finding"].key == "finding.GatewayKeyless"
