"""AMD GPUs: the non-root ollama pod gets the groups that own /dev/kfd and /dev/dri by default.

ollama runs as uid 10001; AMD's device files are root:render / root:video 0660 (ollama
docs/gpu.mdx; issues #7723, #6685), so without the groups it falls back to the CPU.
charts/backend/templates/_devices.tpl gives the conventional gids when
backend.gpu.supplementalGroups is empty (docs/serving.md, "AMD").
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.chart.checks import kubernetes_schema_problems
from tests.helmtools import KUBE_VERSIONS, one, pod_spec, render

OLLAMA = "deepseek-backend-server"
CONVENTIONAL = [44, 105, 109, 110]  # video; render on Debian 12, Ubuntu 20.04/22.04, Ubuntu 24.04


def _groups(chart: Path, *overrides: str) -> list[int] | None:
    args = [arg for value in overrides for arg in ("--set", value)]
    objects = render(chart, extra_args=args)
    assert kubernetes_schema_problems(objects, KUBE_VERSIONS[-1]) == []
    return pod_spec(one(objects, "Deployment", OLLAMA))["securityContext"].get("supplementalGroups")


@pytest.mark.parametrize(("overrides", "expected"), [
    pytest.param(("backend.enableAMD=true",), CONVENTIONAL, id="enableAMD, no groups set: the conventional gids"),
    pytest.param(("backend.enableAMD=true", "backend.gpu.supplementalGroups=null"), CONVENTIONAL,
                 id="enableAMD, groups null: the conventional gids"),
    pytest.param((r"backend.server.resources.limits.amd\.com/gpu=1",), CONVENTIONAL,
                 id="amd.com/gpu asked in resources (0.1.0 style): the conventional gids"),
    pytest.param(("backend.enableAMD=true", "backend.gpu.supplementalGroups={39,105}"), [39, 105],
                 id="enableAMD with own groups: used as they are"),
    pytest.param((), None, id="CPU: no groups"),
    pytest.param(("backend.enableNvidia=true",), None, id="NVIDIA (device nodes 0666): no groups"),
    pytest.param(("backend.gpu.supplementalGroups={2000}",), [2000], id="CPU with own groups: kept"),
])
def test_ollama_pod_groups(chart: Path, overrides: tuple[str, ...], expected: list[int] | None) -> None:
    assert _groups(chart, *overrides) == expected
