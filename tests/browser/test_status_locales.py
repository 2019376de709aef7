"""Every value the API can send the status page has a text in both languages (no raw `unknown`).

Reads the bundle's locale tables with node (the same modules rollup bundles) and the API's
vocabulary from deepseek_ext.core; the manager phases the model manager is adding (contract §4:
Verifying, Stalled) are listed too, so the page is ready when they arrive.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from deepseek_ext.core.failures import FailureCode
from deepseek_ext.core.findings import Severity
from deepseek_ext.core.model_state import ManagerPhase, ModelState
from deepseek_ext.core.phases import Component, ComponentState, StatusPhase

from tests.helmtools import ROOT

EXPECTED_SOON = {"DEEPSEEK_MANAGER_": {"Verifying", "Stalled"}}


@pytest.fixture(scope="module")
def locales() -> dict[str, dict[str, str]]:
    if not shutil.which("node"):
        pytest.fail("node is required (scripts/build-bundle.sh needs it too)")
    script = ("import('./src/locales/index.js').then(m => "
              "process.stdout.write(JSON.stringify(m.default)))")
    out = subprocess.run(["node", "--input-type=module", "-e", script], cwd=ROOT / "frontend-config",
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


@pytest.mark.parametrize(("prefix", "values"), [
    ("DEEPSEEK_PHASE_", [p.value for p in StatusPhase]),
    ("DEEPSEEK_STATE_", [s.value for s in ComponentState]),
    ("DEEPSEEK_COMPONENT_", [c.value for c in Component]),
    ("DEEPSEEK_MODEL_", [s.value for s in ModelState]),
    ("DEEPSEEK_MANAGER_", [p.value for p in ManagerPhase] + sorted(EXPECTED_SOON["DEEPSEEK_MANAGER_"])),
    ("DEEPSEEK_FAILURE_", [c.value for c in FailureCode]),
    ("DEEPSEEK_SEVERITY_", [s.value for s in Severity]),
    ("DEEPSEEK_ACCELERATOR_", ["cpu", "nvidia", "amd"]),
    ("DEEPSEEK_LINK_", ["pod", "events", "logs"]),
    ("DEEPSEEK_USAGE_KIND_", ["user", "key"]),
], ids=lambda v: v if isinstance(v, str) else None)
def test_every_api_value_has_a_text_in_both_languages(locales, prefix: str, values: list[str]) -> None:
    for lang in ("en", "zh"):
        missing = [v for v in values if f"{prefix}{v}" not in locales[lang]]
        assert missing == [], f"{lang}: no text for {prefix}{missing}"
    # Chinese that equals the API's value is the value shown raw (English may coincide: "Ready").
    raw = [v for v in values if locales["zh"][f"{prefix}{v}"].strip() in {"", v} and prefix != "DEEPSEEK_ACCELERATOR_"]
    assert raw == [], f"zh: {prefix}{raw} shows the raw value"
