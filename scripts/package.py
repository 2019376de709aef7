#!/usr/bin/env python3
"""Build dist/<name>-<version>.tgz the way `ksbuilder package` does.

ksbuilder copies the extension folder, parses extension.yaml, writes Chart.yaml from it
(apiVersion v2, name, version, keywords, sources, kubeVersion, home, dependencies, description =
description.en, icon as a data: URI, maintainers, annotations) and saves the chart with Helm's
loader, which honours the top-level .helmignore. We do the same with the pinned helm binary.
"""

from __future__ import annotations

import argparse
import base64
import mimetypes
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
# Copied-then-ignored folders that are large; skipping the copy only saves time (.helmignore
# drops them anyway, and the package test proves they are absent).
_NEVER_COPY = {".git", ".venv", ".tools", "node_modules", "dist", ".pytest_cache", ".ruff_cache", ".mypy_cache",
               ".hypothesis"}


def _anchored_dirs(root: Path) -> set[str]:
    """Top-level folders .helmignore drops (``/name/``): never copied, so a large build or image
    store there (buildah keeps gigabytes under build/) cannot fill the disk while packaging."""
    ignore = root / ".helmignore"
    lines = ignore.read_text().splitlines() if ignore.is_file() else []
    return {line.strip("/") for line in lines if line.startswith("/") and line.endswith("/") and line.count("/") == 2}


def chart_yaml(metadata: dict, root: Path) -> dict:
    """Chart.yaml fields derived from extension.yaml, as ksbuilder's ToChartYaml does."""
    icon = metadata["icon"]
    if not icon.startswith(("http://", "https://", "data:")):
        path = (root / icon).resolve()
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        icon = f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode()}"
    chart = {
        "apiVersion": "v2",
        "name": metadata["name"],
        "version": str(metadata["version"]),
        "description": metadata["description"]["en"],
        "icon": icon,
    }
    for key in ("keywords", "sources", "kubeVersion", "home", "dependencies", "maintainers", "annotations"):
        if metadata.get(key):
            chart[key] = metadata[key]
    return chart


def load_metadata(root: Path) -> dict:
    metadata = yaml.safe_load((root / "extension.yaml").read_text())
    for key in ("name", "version", "displayName", "description", "category", "provider", "icon"):
        if not metadata.get(key):
            raise SystemExit(f"extension.yaml: '{key}' is required")
    return metadata


def stage(root: Path, dest: Path) -> Path:
    """Copy the extension to dest and write its Chart.yaml; returns the staged chart folder."""
    metadata = load_metadata(root)
    chart_dir = dest / metadata["name"]
    top_ignored = _anchored_dirs(root)

    def skip(directory: str, names: list[str]) -> list[str]:
        top = Path(directory) == root
        return [n for n in names if n in _NEVER_COPY or (top and n in top_ignored)]

    shutil.copytree(root, chart_dir, ignore=skip)
    (chart_dir / "Chart.yaml").write_text(yaml.safe_dump(chart_yaml(metadata, root), sort_keys=False))
    return chart_dir


def package(root: Path, out: Path, helm: str) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        chart_dir = stage(root, Path(tmp))
        subprocess.run([helm, "package", str(chart_dir), "-d", str(out)], check=True, stdout=subprocess.DEVNULL)
    metadata = load_metadata(root)
    return out / f"{metadata['name']}-{metadata['version']}.tgz"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "dist"), help="output folder (default: dist/)")
    parser.add_argument("--root", default=str(ROOT), help="extension folder (default: this repository)")
    args = parser.parse_args(argv)
    helm = os.environ.get("HELM_BIN") or shutil.which("helm") or str(ROOT / ".tools/bin/helm")
    bundle = Path(args.root) / "charts/frontend/files/index.js"
    if (Path(args.root) / "charts/frontend/templates").is_dir() and not bundle.is_file():
        print(f"missing {bundle}: it is committed; restore it (git checkout) or rebuild it with `make bundle`",
              file=sys.stderr)
        return 1
    path = package(Path(args.root), Path(args.out), helm)
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
