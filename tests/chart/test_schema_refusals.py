"""helm refuses the mistakes of issue 13 that it used to render, at the path validate names."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from deepseek_ext.adapters.files import load_catalog, load_defaults, load_values_schema
from deepseek_ext.core.validation import validate_config

from tests.chart.test_schema_differential import helm_paths
from tests.helmtools import HelmError, helm_template_text

CASES = [
    pytest.param({"backend": {"modle": {"tag": "14b"}, "enableNvidai": True}},
                 {"backend.modle", "backend.enableNvidai"}, id="typos"),
    pytest.param({"backend": {"gpu": {"memoryPerGpu": "24Gi"}}}, {"backend.gpu.memoryPerGpu"}, id="memoryPerGpu"),
    pytest.param({"backend": {"server": {"image": {"repository": 5}}}}, {"backend.server.image.repository"},
                 id="repository-number"),
    pytest.param({"backend": {"server": {"image": {"pullPolicy": "Sometimes"}}}},
                 {"backend.server.image.pullPolicy"}, id="pullPolicy"),
    pytest.param({"backend": {"server": {"autoscaling": {"minReplicas": 1.5}}}},
                 {"backend.server.autoscaling.minReplicas"}, id="minReplicas"),
    pytest.param({"backend": {"gpu": {"memoryPerGPU": 16}, "enableNvidia": True}}, {"backend.gpu.memoryPerGPU"},
                 id="memory-without-unit"),
    pytest.param({"backend": {"server": {"resources": {"limits": {"nvidia.com/gpu": "1.5"}}}}},
                 {"backend.server.resources.limits.nvidia.com/gpu"}, id="fractional-gpu"),
    pytest.param({"api": {"resources": {"limit": {"cpu": 1}}}}, {"api.resources.limit"}, id="resources-side"),
    pytest.param({"frontend": {"replicas": 2}}, {"frontend.replicas"}, id="frontend"),
]


@pytest.mark.parametrize(("config", "paths"), CASES)
def test_helm_refuses_what_validate_refuses_at_the_same_path(chart: Path, tmp_path: Path, config: dict[str, Any],
                                                             paths: set[str]) -> None:
    values = tmp_path / "values.json"
    values.write_text(json.dumps(config))
    with pytest.raises(HelmError) as refused:
        helm_template_text(chart, values_files=[values])
    assert helm_paths(str(refused.value)) == paths
    report = validate_config(config, defaults=load_defaults(), catalog=load_catalog(), schema=load_values_schema())
    assert {f.path for f in report.errors} == paths
