"""values.yaml is documented key by key, and values.schema.json checks it without blocking KubeSphere."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
import yaml

from scripts.values_table import undocumented
from tests.helmtools import COMPAT_DIR, ROOT, HelmError, render


def test_every_key_has_a_description():
    assert undocumented((ROOT / "values.yaml").read_text()) == []


def test_the_description_check_can_fail():
    assert undocumented("a:\n  b: 1\n  # -- c\n  c: 2\n") == ["a.b"]


def test_values_yaml_opens_with_the_schema_modeline():
    assert (ROOT / "values.yaml").read_text().startswith("# yaml-language-server: $schema=values.schema.json")


def test_defaults_satisfy_the_schema():
    schema = json.loads((ROOT / "values.schema.json").read_text())
    jsonschema.validate(yaml.safe_load((ROOT / "values.yaml").read_text()), schema)


def test_schema_is_self_contained():
    text = (ROOT / "values.schema.json").read_text()
    refs = re.findall(r'"\$ref":\s*"([^"]+)"', text)
    assert refs and all(r.startswith("#/") for r in refs)


def test_zero_one_config_satisfies_the_schema():
    schema = json.loads((ROOT / "values.schema.json").read_text())
    old = yaml.safe_load((COMPAT_DIR / "deepseek-0.1.0-values.yaml").read_text())
    jsonschema.validate(old, schema)


def test_globals_kubesphere_injects_are_admitted(chart):
    injected = {
        "tags.extension": True, "tags.agent": False, "global.portal.url": "http://ks-console.example",
        "global.clusterInfo.name": "host", "global.clusterInfo.role": "host",
        "global.imageRegistry": "registry.local", "global.nodeSelector.zone": "a",
        "global.extension.ingress.ingressClassName": "nginx", "global.extension.ingress.domainSuffix": "example.com",
        "global.extension.ingress.httpPort": 80, "global.extension.ingress.httpsPort": 443,
        "global.somethingNew": "x",
    }
    assert render(chart, set_values=injected)


@pytest.mark.parametrize(("key", "value", "message"), [
    ("api.replica", 2, "additional properties 'replica' not allowed"),
    ("backend.server.image.pullPolicy", "Sometimes", "value must be one of"),
    ("backend.model.kvCacheType", "q2", "value must be one of"),
    ("backend.gpu.memoryPerGpu", "24Gi", "additional properties 'memoryPerGpu' not allowed"),
])
def test_schema_rejects_mistyped_keys_and_values(chart, key, value, message):
    with pytest.raises(HelmError, match=re.escape(message)):
        render(chart, set_values={key: value})
