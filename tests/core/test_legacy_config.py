"""A 0.1.0 config -> the warning that applications must now send a key (core/legacy_config.py)."""

from __future__ import annotations

from typing import Any

import pytest
from deepseek_ext.adapters.files import load_messages, load_values_schema
from deepseek_ext.core.catalog import Catalog
from deepseek_ext.core.config_text import parse_config_text
from deepseek_ext.core.findings import FindingCode, Severity
from deepseek_ext.core.legacy_config import UPGRADE_NOTES, legacy_config_warnings, looks_like_0_1_0
from deepseek_ext.core.validation import validate_config

from tests.helmtools import COMPAT_DIR, ROOT

SCHEMA = load_values_schema()

OLD = parse_config_text((COMPAT_DIR / "deepseek-0.1.0-values.yaml").read_text())
WHOLE = {"backend": {"model": {"tag": "7b"}, "server": {}, "chat": {}, "persistence": {}}}


@pytest.mark.parametrize(("values", "legacy"), [
    pytest.param(OLD, True, id="the 0.1.0 default config"),
    pytest.param(WHOLE, True, id="a whole 0.1.0-shaped document"),
    pytest.param({"backend": {"server": {"image": {"tag": "0.5.7"}}}}, True, id="ollama pinned to 0.1.0's"),
    pytest.param({"backend": {"chat": {"image": {"tag": "v2.16.0"}}}}, True, id="NextChat pinned to 0.1.0's"),
    pytest.param({}, False, id="empty"),
    pytest.param({"backend": {"model": {"tag": "7b"}}}, False, id="a small override"),
    pytest.param({"backend": {**WHOLE["backend"], "gateway": {"requireKey": True}}}, False, id="has a gateway"),
    pytest.param({**WHOLE, "api": {}}, False, id="has the api section"),
    pytest.param({"backend": "text"}, False, id="backend not a map"),
])
def test_recognised(values: dict[str, Any], legacy: bool) -> None:
    assert looks_like_0_1_0(values) is legacy
    found = legacy_config_warnings(values)
    assert [f.code for f in found] == ([FindingCode.LEGACY_CONFIG_NEEDS_KEYS] if legacy else [])
    for f in found:
        assert (f.severity, f.path) == (Severity.WARNING, "backend.gateway.requireKey")
        assert f.params == {"key": "backend.gateway.requireKey", "docs": UPGRADE_NOTES}


def test_the_warning_renders_and_its_link_exists() -> None:
    [finding] = legacy_config_warnings(OLD)
    rendered = finding.to_dict(load_messages())
    assert UPGRADE_NOTES in rendered["message"]["en"] and UPGRADE_NOTES in rendered["message"]["zh"]
    assert set(rendered["fix"]) == {"en", "zh"}
    path, _, anchor = UPGRADE_NOTES.partition("#")
    headings = [line.lstrip("# ").strip() for line in (ROOT / path).read_text().splitlines() if line.startswith("## ")]
    slugs = {"".join(c for c in h.lower().replace(" ", "-") if c.isalnum() or c == "-") for h in headings}
    assert anchor in slugs


def test_validate_reports_it_without_failing(catalog: Catalog, defaults: dict) -> None:
    report = validate_config(OLD, defaults=defaults, catalog=catalog, schema=SCHEMA)
    assert report.valid
    assert FindingCode.LEGACY_CONFIG_NEEDS_KEYS in {f.code for f in report.warnings}
    assert FindingCode.LEGACY_CONFIG_NEEDS_KEYS not in {
        f.code for f in validate_config({}, defaults=defaults, catalog=catalog, schema=SCHEMA).warnings}
