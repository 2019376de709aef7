#!/usr/bin/env python3
"""KubeSphere extension lint: the checks `ksbuilder lint` prints, but failing on any finding.

ksbuilder's "lint by kubesphere" pass reports, without changing its exit code:
  - the extension name is not a DNS-1123 subdomain;
  - an `images:` entry of extension.yaml is not found in the rendered templates
    (docker.io/ and docker.io/library/ prefixes tolerated);
  - a container image does not follow a random `global.imageRegistry`;
  - a workload's pod nodeSelector lacks a random `global.nodeSelector` entry.
We also report the reverse of the images rule (a rendered image missing from `images:`), since
offline mirroring copies exactly that list. Images that appear only in some configurations (the
-rocm image for AMD GPUs) are found by rendering each variant in VARIANTS.
Exit status: 0 clean, 1 findings, 2 the chart could not be read or rendered.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import subprocess
import sys
import tarfile
from collections.abc import Iterable, Mapping
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DNS1123_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
WORKLOADS = {"Deployment", "StatefulSet", "ReplicaSet", "Job", "Pod", "CronJob", "DaemonSet"}
# Configurations that render different images or workloads; their union must match `images:`.
VARIANTS: tuple[dict[str, str | bool], ...] = (
    {},
    {"backend.enableNvidia": True},
    {"backend.enableAMD": True},
    {"global.extension.ingress.domainSuffix": "lint.example.com"},
)


def read_extension_yaml(chart: Path) -> dict:
    if chart.is_dir():
        return yaml.safe_load((chart / "extension.yaml").read_text())
    with tarfile.open(chart) as tar:
        member = next((m for m in tar.getmembers() if m.name.count("/") == 1 and m.name.endswith("/extension.yaml")),
                      None)
        if member is None:
            raise LintError(f"{chart}: no extension.yaml at the chart root")
        return yaml.safe_load(tar.extractfile(member).read())


class LintError(Exception):
    """The chart could not be read or rendered."""


def render(helm: str, chart: Path, sets: Mapping[str, str | bool]) -> list[dict]:
    cmd = [helm, "template", "undefined", str(chart), "--namespace", "undefined"]
    for key, value in sets.items():
        if isinstance(value, bool):
            cmd += ["--set", f"{key}={str(value).lower()}"]
        else:
            cmd += ["--set-string", f"{key}={value}"]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise LintError(f"helm template {' '.join(f'--set {k}={v}' for k, v in sets.items())}: {result.stderr.strip()}")
    return [d for d in yaml.safe_load_all(result.stdout) if isinstance(d, dict)]


def pod_spec(obj: dict) -> dict | None:
    kind = obj.get("kind")
    if kind not in WORKLOADS:
        return None
    spec = obj.get("spec") or {}
    if kind == "Pod":
        return spec
    if kind == "CronJob":
        return ((spec.get("jobTemplate") or {}).get("spec") or {}).get("template", {}).get("spec") or {}
    return (spec.get("template") or {}).get("spec") or {}


def images_of(objects: Iterable[dict]) -> list[tuple[str, str]]:
    """(object, image) for every container and init container."""
    found = []
    for obj in objects:
        spec = pod_spec(obj)
        if spec is None:
            continue
        for container in (spec.get("initContainers") or []) + (spec.get("containers") or []):
            found.append((f"{obj['kind']}/{obj['metadata']['name']}", str(container.get("image", ""))))
    return found


def normalise(image: str) -> str:
    for prefix in ("docker.io/library/", "docker.io/"):
        if image.startswith(prefix):
            return image[len(prefix):]
    return image


def lint(chart: Path, helm: str) -> list[str]:
    findings: list[str] = []
    metadata = read_extension_yaml(chart)
    name = str(metadata.get("name", ""))
    if not DNS1123_SUBDOMAIN.match(name) or len(name) > 63:
        findings.append(
            f"ERROR: extension name {name!r} is not a DNS-1123 subdomain (lowercase letters, digits, '-', '.')")

    listed = [str(i) for i in metadata.get("images") or []]
    rendered: set[str] = set()
    for variant in VARIANTS:
        rendered |= {image for _, image in images_of(render(helm, chart, variant))}
    rendered_norm = {normalise(i) for i in rendered}
    for image in listed:
        if normalise(image) not in rendered_norm:
            findings.append(f"ERROR: extension.yaml images: {image} is not rendered by the templates")
    listed_norm = {normalise(i) for i in listed}
    for image in sorted(rendered):
        if normalise(image) not in listed_norm:
            findings.append(f"ERROR: the templates render image {image}, which extension.yaml images: does not list")

    registry = f"lint-{secrets.token_hex(4)}.example"
    label_key, label_value = f"lint-{secrets.token_hex(3)}", secrets.token_hex(4)
    for variant in VARIANTS:
        sets = {**variant, "global.imageRegistry": registry, f"global.nodeSelector.{label_key}": label_value}
        objects = render(helm, chart, sets)
        for where, image in images_of(objects):
            if registry not in image:
                findings.append(f"ERROR: {where}: image {image} does not follow global.imageRegistry")
        for obj in objects:
            spec = pod_spec(obj)
            if spec is not None and (spec.get("nodeSelector") or {}).get(label_key) != label_value:
                where = f"{obj['kind']}/{obj['metadata']['name']}"
                findings.append(f"ERROR: {where}: pod nodeSelector lacks global.nodeSelector")
    return sorted(set(findings))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="KubeSphere extension lint (fails on any finding)")
    parser.add_argument("chart", help="packaged extension (.tgz) or a staged chart folder")
    args = parser.parse_args(argv)
    helm = os.environ.get("HELM_BIN") or shutil.which("helm") or str(ROOT / ".tools/bin/helm")
    try:
        findings = lint(Path(args.chart), helm)
    except (LintError, OSError, yaml.YAMLError, tarfile.TarError) as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 2
    for line in findings:
        print(line)
    if findings:
        print(f"kslint: {len(findings)} finding(s)", file=sys.stderr)
        return 1
    print(f"kslint: {args.chart}: OK (name, images, global.imageRegistry, global.nodeSelector)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
