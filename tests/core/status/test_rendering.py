"""Every finding the status rules can produce renders through the shipped catalog: no missing key or
parameter, both languages, a fix, the real namespace, and no key the rules name left unproduced."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from deepseek_ext.adapters.files import load_messages
from deepseek_ext.core import status as status_package
from deepseek_ext.core.findings import Finding, FindingCode
from deepseek_ext.core.messages import LANGUAGES, Message, placeholders
from deepseek_ext.core.phases import StatusPhase
from deepseek_ext.core.status import build_report
from deepseek_ext.core.status.model import PULL_FAILURES
from deepseek_ext.core.status.report import phase_message

from tests.core.status import test_gateway, test_generic, test_model, test_network, test_pods, test_storage
from tests.core.status.builders import NAMESPACE, healthy

CATALOG = load_messages()
SOURCES = sorted(Path(status_package.__file__).parent.glob("*.py"))
# A space beside full-width punctuation is a rendering slip (a folded YAML line joined with a space).
SPACE_BESIDE_FULL_WIDTH = re.compile(r" [，。：；）]|[，。：；（] ")


def produced() -> Iterator[tuple[str, Finding]]:
    """(case id, finding) for every row of every rule table, plus the report's own finding."""
    for module in (test_storage, test_pods, test_model, test_generic):
        for case in module.CASES:
            for found in module.run(case.values[0]):
                yield case.id, found
    for case in test_network.CASES:
        rule, kwargs = case.values[0], case.values[1]
        for found in rule(**kwargs):
            yield case.id, found
    for found in build_report(healthy(config_source="defaults")).findings:
        yield "serving config missing", found
    for found in test_gateway.keyless():  # s2-gw
        yield "gateway keyless", found


FINDINGS = list(produced())


def keys_of(msg: Message) -> Iterator[str]:
    """The message's key and the keys of the messages among its parameters."""
    yield msg.key
    for value in msg.params.values():
        if isinstance(value, Message):
            yield from keys_of(value)


@pytest.mark.parametrize("finding", [f for _, f in FINDINGS], ids=[f"{i}:{f.code.value}" for i, f in FINDINGS])
def test_renders_in_both_languages_with_a_fix(finding: Finding) -> None:
    rendered = finding.to_dict(CATALOG)
    assert "fix" in rendered, f"{finding.fix.key} is not in the catalog"
    for text in (rendered["message"], rendered["fix"]):
        assert set(text) == set(LANGUAGES) and all(text.values()), text
        assert not SPACE_BESIDE_FULL_WIDTH.search(text["zh"]), text["zh"]
        assert "<namespace>" not in text["en"] + text["zh"]
    if "namespace" in placeholders(CATALOG.template(finding.fix.key, "en")):
        assert finding.params["namespace"] == NAMESPACE, "the namespace comes from the inputs"


def test_every_code_and_key_the_rules_name_is_produced_by_a_table_row() -> None:
    """A rule branch without a row would escape the render test above: the tables must reach them all."""
    source = "\n".join(p.read_text(encoding="utf-8") for p in SOURCES)
    named_codes = {FindingCode[m] for m in re.findall(r"FindingCode\.([A-Z_]+)", source)}
    named_keys = set(re.findall(r'"((?:finding|failure|offline|phrase)\.[A-Za-z.]+)"', source))
    named_keys |= {f"failure.{f}" for f in PULL_FAILURES} | {f"failure.{f}.fix" for f in PULL_FAILURES}
    seen_codes = {f.code for _, f in FINDINGS}
    seen_keys = {k for _, f in FINDINGS for msg in (f.message, f.fix) for k in keys_of(msg)}
    seen_keys |= {k for _, f in FINDINGS for v in f.params.values() if isinstance(v, Message) for k in keys_of(v)}
    assert named_codes - seen_codes == set()
    assert named_keys - seen_keys == set()
    assert {k for k in seen_keys if k not in CATALOG} == set()


@pytest.mark.parametrize("phase", list(StatusPhase))
def test_every_phase_line_renders(phase: StatusPhase) -> None:
    _, top = FINDINGS[0]
    for msg in (phase_message(phase, []), phase_message(phase, [top])):
        assert all(CATALOG.render(msg).values())


def test_the_whole_report_renders_to_the_api_shape() -> None:
    report: dict[str, Any] = build_report(healthy(pvcs=[])).to_dict(CATALOG)
    # Adapted (issue 16, contract §4): "serving" is added at the end.
    assert list(report) == ["phase", "message", "progress", "components", "models", "endpoints", "checkedAt",
                            "serving"]
    [component] = [c for c in report["components"] if c["findings"]]
    assert list(component) == ["name", "state", "findings"]
    assert list(component["findings"][0]) == ["code", "severity", "message", "component", "evidence", "fix"]
