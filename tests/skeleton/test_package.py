"""`make package` builds what `ksbuilder package` would: Chart.yaml from extension.yaml, .helmignore honoured."""

from __future__ import annotations

import base64
import subprocess
import tarfile

import pytest
import yaml

from tests.helmtools import HELM, ROOT

FORBIDDEN_TOP_LEVEL = ("backend/", "tests/", "bench/", "frontend-config/", "scripts/", ".venv/", ".tools/", ".git/",
                       "dist/", "docs/", "Makefile")


@pytest.fixture(scope="module")
def members(chart) -> dict[str, tarfile.TarInfo]:
    with tarfile.open(chart) as tar:
        return {m.name: m for m in tar.getmembers()}


@pytest.fixture(scope="module")
def chart_yaml(chart) -> dict:
    with tarfile.open(chart) as tar:
        return yaml.safe_load(tar.extractfile("deepseek/Chart.yaml").read())


@pytest.fixture(scope="module")
def metadata() -> dict:
    return yaml.safe_load((ROOT / "extension.yaml").read_text())


def test_archive_is_named_after_extension_name_and_version(chart, metadata):
    assert chart.name == f"{metadata['name']}-{metadata['version']}.tgz"


def test_archive_stays_well_under_the_configmap_limit(chart):
    # The tgz is stored in ConfigMaps (publish and the helm-executor Job), limited to 1 MiB.
    assert chart.stat().st_size < 512 * 1024, f"{chart.stat().st_size} bytes"


@pytest.mark.parametrize("prefix", FORBIDDEN_TOP_LEVEL)
def test_archive_contains_no_sources_venvs_or_tools(members, prefix):
    leaked = [name for name in members if name.removeprefix("deepseek/").startswith(prefix)]
    assert not leaked, leaked[:5]


def test_archive_has_no_caches_or_node_modules(members):
    assert not [n for n in members if "node_modules" in n or "__pycache__" in n or n.endswith(".pyc")]


def test_archive_keeps_what_the_console_reads(members):
    # Extension Center shows README*.md, permissions.yaml, values.yaml; ksbuilder re-reads extension.yaml.
    for name in ("README.md", "README_zh.md", "permissions.yaml", "values.yaml", "values.schema.json",
                 "extension.yaml", "static/icon.svg", "charts/backend/Chart.yaml", "charts/api/Chart.yaml",
                 "charts/frontend/Chart.yaml"):
        assert f"deepseek/{name}" in members, name


def test_chart_yaml_is_generated_from_extension_yaml(chart_yaml, metadata):
    assert chart_yaml["apiVersion"] == "v2"
    assert chart_yaml["name"] == metadata["name"] == "deepseek"
    assert chart_yaml["version"] == str(metadata["version"])
    assert chart_yaml["description"] == metadata["description"]["en"]
    for key in ("keywords", "sources", "kubeVersion", "home", "maintainers"):
        assert chart_yaml[key] == metadata[key], key
    # helm package writes an empty `repository` for local subcharts; nothing else may differ.
    assert [{k: v for k, v in d.items() if v != ""} for d in chart_yaml["dependencies"]] == metadata["dependencies"]


def test_chart_icon_is_the_local_icon_as_a_data_uri(chart_yaml):
    prefix = "data:image/svg+xml;base64,"
    assert chart_yaml["icon"].startswith(prefix)
    assert base64.b64decode(chart_yaml["icon"][len(prefix):]) == (ROOT / "static/icon.svg").read_bytes()


def test_every_subchart_is_a_dependency_tagged_extension(chart_yaml):
    subcharts = sorted(p.name for p in (ROOT / "charts").iterdir() if (p / "Chart.yaml").is_file())
    assert sorted(d["name"] for d in chart_yaml["dependencies"]) == subcharts
    assert all(d.get("tags") == ["extension"] for d in chart_yaml["dependencies"])


def test_helm_show_chart_and_template_load_the_archive(chart):
    shown = subprocess.run([HELM, "show", "chart", str(chart)], capture_output=True, text=True, check=True)
    assert "name: deepseek" in shown.stdout
    rendered = subprocess.run([HELM, "template", "deepseek", str(chart), "-n", "extension-deepseek"],
                              capture_output=True, text=True)
    assert rendered.returncode == 0, rendered.stderr
    assert "kind: Deployment" in rendered.stdout
