"""`make lint` (scripts/kslint.py) passes on the real charts and fails on a planted violation of each rule."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from scripts.package import stage
from tests.helmtools import HELM, ROOT

KSLINT = ROOT / "scripts/kslint.py"


def run_kslint(target: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(KSLINT), str(target)], capture_output=True, text=True,
                          env={"HELM_BIN": HELM, "PATH": "/usr/bin:/bin"})


@pytest.fixture
def staged(tmp_path) -> Path:
    """A writable copy of the extension with its Chart.yaml, to plant violations in."""
    return stage(ROOT, tmp_path)


def test_real_package_is_clean(chart):
    result = run_kslint(chart)
    assert result.returncode == 0, result.stdout + result.stderr


def test_helm_lint_strict_passes_on_the_package(chart):
    result = subprocess.run([HELM, "lint", "--strict", str(chart)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def _edit_extension(staged: Path, change) -> None:
    path = staged / "extension.yaml"
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    chart = yaml.safe_load((staged / "Chart.yaml").read_text())
    chart["name"] = data["name"]
    (staged / "Chart.yaml").write_text(yaml.safe_dump(chart, sort_keys=False))


def _add_template(staged: Path, text: str) -> None:
    (staged / "charts/api/templates/planted.yaml").write_text(text)


PLANTED_POD = """apiVersion: v1
kind: Pod
metadata:
  name: planted
spec:
  {nodeSelector}
  containers:
    - name: c
      image: {image}
"""


def test_fails_on_a_name_that_is_not_dns_1123(staged):
    _edit_extension(staged, lambda d: d.update(name="DeepSeek_Ext"))
    result = run_kslint(staged)
    assert result.returncode == 1 and "not a DNS-1123 subdomain" in result.stdout


def test_fails_on_a_listed_image_the_templates_do_not_render(staged):
    _edit_extension(staged, lambda d: d["images"].append("docker.io/library/busybox:1.36"))
    result = run_kslint(staged)
    assert result.returncode == 1 and "busybox:1.36 is not rendered" in result.stdout


def test_fails_on_a_rendered_image_missing_from_the_list(staged):
    _edit_extension(staged, lambda d: d.update(images=[i for i in d["images"] if "deepseek-extension-api" not in i]))
    result = run_kslint(staged)
    assert result.returncode == 1 and "which extension.yaml images: does not list" in result.stdout


def test_fails_on_an_image_that_ignores_global_image_registry(staged):
    node_selector = '{{- include "deepseek.nodeSelector" (dict "nodeSelector" dict "root" .) | nindent 2 }}'
    _add_template(staged, PLANTED_POD.format(nodeSelector=node_selector, image="docker.io/library/busybox:1.36"))
    _edit_extension(staged, lambda d: d["images"].append("docker.io/library/busybox:1.36"))
    result = run_kslint(staged)
    assert result.returncode == 1
    assert "Pod/planted: image docker.io/library/busybox:1.36 does not follow" in result.stdout


def test_fails_on_a_workload_without_global_node_selector(staged):
    image = '{{ include "deepseek.image" (dict "image" (dict "repository" "library/busybox" "tag" "1.36") "root" .) }}'
    _add_template(staged, PLANTED_POD.format(nodeSelector="nodeSelector: {}", image=image))
    _edit_extension(staged, lambda d: d["images"].append("docker.io/library/busybox:1.36"))
    result = run_kslint(staged)
    assert result.returncode == 1 and "Pod/planted: pod nodeSelector lacks global.nodeSelector" in result.stdout


def test_unreadable_chart_exits_2(tmp_path):
    broken = tmp_path / "broken.tgz"
    broken.write_bytes(b"not a tarball")
    assert run_kslint(broken).returncode == 2
