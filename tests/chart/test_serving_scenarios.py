"""The scenario matrix: every ci/*-values.yaml and every 0.1.0 / seed README config, rendered with
helm, passes helm lint --strict, kubernetes-validate --strict (oldest and newest Kubernetes we
claim), checkov (one run over all scenarios) and the explicit checks in checks.py."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.chart.checks import ALL_CHECKS, kubernetes_schema_problems
from tests.chart.conftest import SCENARIOS, serving_objects
from tests.helmtools import HELM, KUBE_VERSIONS, NAMESPACE, ROOT, one

CHECKOV = os.environ.get("CHECKOV_BIN") or str(ROOT / ".tools/checkov/bin/checkov")
SKIPS_FILE = Path(__file__).with_name("checkov-skips.yaml")
NAMES = [
    ("Deployment", "deepseek-backend-server"),
    ("Service", "deepseek-backend-server-service"),
    ("Deployment", "deepseek-backend-chat"),
    ("Service", "deepseek-backend-chat-service"),
    ("ConfigMap", "deepseek-serving"),
]


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_helm_lint_strict_passes(chart: Path, scenario: str) -> None:
    result = subprocess.run(
        [HELM, "lint", "--strict", str(chart), "--namespace", NAMESPACE, "-f", str(SCENARIOS[scenario])],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("version", [KUBE_VERSIONS[0], KUBE_VERSIONS[-1]])
@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_kubernetes_validate_strict_passes(rendered: dict, scenario: str, version: str) -> None:
    assert kubernetes_schema_problems(rendered[scenario], version) == []


@pytest.mark.parametrize("check", sorted(ALL_CHECKS))
@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_serving_check_passes(rendered: dict, scenario: str, check: str) -> None:
    assert ALL_CHECKS[check](rendered[scenario]) == []


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_0_1_0_object_names_are_rendered_in_every_scenario(rendered: dict, scenario: str) -> None:
    objects = rendered[scenario]
    for kind, name in NAMES:
        one(objects, kind, name)
    assert one(objects, "Deployment", "deepseek-backend-server")["spec"]["selector"] == {
        "matchLabels": {"app": "deepseek-backend-server"}
    }
    assert one(objects, "Deployment", "deepseek-backend-chat")["spec"]["selector"] == {
        "matchLabels": {"app": "deepseek-backend-chat"}
    }


def _load_skips() -> list[dict]:
    return yaml.safe_load(SKIPS_FILE.read_text())["skips"]


def test_every_checkov_skip_names_its_resources_and_reason() -> None:
    for skip in _load_skips():
        assert skip["id"].startswith("CKV"), skip
        assert skip["resources"], f"{skip['id']}: a skip must name the resources it covers"
        assert len(skip["reason"].split()) >= 8, f"{skip['id']}: write out why the check does not apply"


def _resource_key(resource: str) -> str:
    """checkov's resource id `Kind.namespace.name[...]` as `Kind/name`."""
    kind, _namespace, rest = resource.split(".", 2)
    names = {name for _kind, name in NAMES} | {
        "deepseek-backend-server-hpa", "deepseek-backend-chat-hpa", "deepseek-backend-ingress",
        "deepseek-models", "deepseek-chat-access",
    }
    for name in sorted(names, key=len, reverse=True):
        if rest == name or rest.startswith(name + "."):
            return f"{kind}/{name}"
    return f"{kind}/{rest}"


@pytest.mark.slow  # checkov takes half a minute; `make test` runs it, `make check` does not
def test_checkov_finds_nothing_outside_the_skip_list(
    rendered: dict, tmp_path: Path, output_dir: Path
) -> None:
    """One checkov run over every scenario (seconds per run, so never one run per scenario)."""
    if not Path(CHECKOV).exists():
        pytest.fail(f"checkov not found at {CHECKOV}: run `make .tools/checkov/bin/checkov`")
    for name, objects in rendered.items():
        (tmp_path / f"{name}.yaml").write_text(yaml.safe_dump_all(serving_objects(objects)))
    result = subprocess.run(
        [CHECKOV, "-d", str(tmp_path), "--framework", "kubernetes", "--skip-download", "-o", "json"],
        capture_output=True, text=True, env={**os.environ, "BC_SKIP_MAPPING": "TRUE"},
    )
    (output_dir / "checkov-serving.json").write_text(result.stdout)
    reports = json.loads(result.stdout)
    reports = reports if isinstance(reports, list) else [reports]
    assert sum(r.get("summary", {}).get("resource_count", 0) for r in reports) > 0, result.stderr[-2000:]
    skips = {skip["id"]: set(skip["resources"]) for skip in _load_skips()}
    unexpected = set()
    used = set()
    for report in reports:
        for failed in report.get("results", {}).get("failed_checks", []):
            key = _resource_key(failed["resource"])
            if key in skips.get(failed["check_id"], set()):
                used.add((failed["check_id"], key))
            else:
                scenario = Path(failed["file_path"]).stem
                unexpected.add(f"{failed['check_id']} {failed['check_name']}: {key} (scenario {scenario})")
    assert not unexpected, "\n".join(sorted(unexpected))
    stale = {(i, r) for i, rs in skips.items() for r in rs} - used
    assert not stale, f"skips that no longer match a failure (remove them): {sorted(stale)}"
