"""Helpers shared by the chart tests: package the extension once, render it with helm, pick objects.

Rendering goes through the same artifact `make package` writes (Chart.yaml generated from
extension.yaml, .helmignore honoured), so the tests check what users install.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml
from deepseek_ext.adapters.files import SAFE_LOADER

ROOT = Path(__file__).resolve().parents[1]
# Data the tests need, vendored in the repository (a fresh clone with nothing beside it passes).
DATA = ROOT / "tests/data"
CRDS_DIR = DATA / "crds"  # KubeSphere CRDs, see tests/data/crds/README.md
COMPAT_DIR = DATA / "compat"  # the 0.1.0 config, its renders and the seed README configs
HELM = os.environ.get("HELM_BIN") or str(ROOT / ".tools/bin/helm")
RELEASE = "deepseek"
NAMESPACE = "extension-deepseek"
# Versions we claim in extension.yaml (kubeVersion >=1.25) and the newest kubernetes-validate knows.
KUBE_VERSIONS = ("1.25.0", "1.37.0")


class HelmError(RuntimeError):
    """helm exited non-zero; the message holds its stderr."""


def package_chart(out_dir: Path, root: Path = ROOT) -> Path:
    """Run scripts/package.py into out_dir and return the .tgz path."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts/package.py"), "--out", str(out_dir), "--root", str(root)],
        capture_output=True, text=True, env={**os.environ, "HELM_BIN": HELM},
    )
    if result.returncode != 0:
        raise HelmError(result.stderr or result.stdout)
    return Path(result.stdout.strip().splitlines()[-1])


def _set_args(values: Mapping[str, Any] | None) -> list[str]:
    args: list[str] = []
    for key, value in (values or {}).items():
        if isinstance(value, bool):
            args += ["--set", f"{key}={str(value).lower()}"]
        elif isinstance(value, (int, float)):
            args += ["--set", f"{key}={value}"]
        else:
            args += ["--set-string", f"{key}={value}"]
    return args


def helm_template_text(chart: Path, *, values_files: Iterable[Path | str] = (),
                       set_values: Mapping[str, Any] | None = None, extra_args: Iterable[str] = ()) -> str:
    """`helm template` of the chart; raises HelmError with helm's message on failure."""
    cmd = [HELM, "template", RELEASE, str(chart), "--namespace", NAMESPACE]
    for f in values_files:
        cmd += ["-f", str(f)]
    cmd += _set_args(set_values)
    cmd += list(extra_args)
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise HelmError(result.stderr.strip())
    return result.stdout


def load_documents(text: str) -> list[dict]:
    """The YAML documents of ``text`` (empty ones dropped), as yaml.safe_load_all reads them, with the
    backend's libyaml loader (the suite parses a 240 KB render thousands of times)."""
    return [doc for doc in yaml.load_all(text, Loader=SAFE_LOADER) if doc]


def render(chart: Path, **kwargs) -> list[dict]:
    """The rendered objects (empty documents dropped)."""
    return load_documents(helm_template_text(chart, **kwargs))


def find(objects: Iterable[dict], kind: str, name: str | None = None) -> list[dict]:
    return [o for o in objects if o.get("kind") == kind and (name is None or o["metadata"]["name"] == name)]


def one(objects: Iterable[dict], kind: str, name: str | None = None) -> dict:
    found = find(objects, kind, name)
    assert len(found) == 1, f"expected one {kind} {name or ''}, found {[o['metadata']['name'] for o in found]}"
    return found[0]


WORKLOAD_KINDS = ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod")


def pod_spec(obj: dict) -> dict:
    """The pod spec of any workload kind."""
    if obj["kind"] == "Pod":
        return obj["spec"]
    if obj["kind"] == "CronJob":
        return obj["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    return obj["spec"]["template"]["spec"]


def containers(obj: dict) -> list[dict]:
    spec = pod_spec(obj)
    return list(spec.get("initContainers") or []) + list(spec.get("containers") or [])
