"""backend/Dockerfile agrees with the chart: same command, files where the code and the chart look."""

from __future__ import annotations

import json
import re

from tests.helmtools import ROOT, one, render

DOCKERFILE = (ROOT / "backend/Dockerfile").read_text()


def instructions(name: str) -> list[str]:
    return [line.split(None, 1)[1] for line in DOCKERFILE.splitlines() if line.startswith(name + " ")]


def test_image_runs_as_non_root_from_a_slim_python_base():
    assert all(re.fullmatch(r"python:3\.11-slim-\w+( AS \w+)?", base) for base in instructions("FROM"))
    assert instructions("USER")[-1] == "10001:10001"


def test_image_carries_the_defaults_and_catalog_where_the_files_adapter_looks():
    copies = {c.split()[-1]: c.split()[-2] for c in instructions("COPY") if not c.startswith("--from")}
    assert copies["/app/values.yaml"] == "values.yaml"
    assert copies["/app/catalog.yaml"] == "charts/backend/files/catalog.yaml"
    assert copies["/app/messages.yaml"] == "charts/backend/files/messages.yaml"
    assert copies["/app/gunicorn.conf.py"] == "backend/gunicorn.conf.py"
    from deepseek_ext.adapters import files

    assert str(files.DEFAULTS_CANDIDATES[-1]) == "/app/values.yaml"
    assert str(files.CATALOG_CANDIDATES[-1]) == "/app/catalog.yaml"
    assert str(files.MESSAGES_CANDIDATES[-1]) == "/app/messages.yaml"


def test_image_command_is_the_chart_command(chart):
    dep = one(render(chart), "Deployment", "deepseek-api")
    api = next(c for c in dep["spec"]["template"]["spec"]["containers"] if c["name"] == "api")
    assert json.loads(instructions("CMD")[-1]) == api["command"]
    assert str(dep["spec"]["template"]["spec"]["securityContext"]["runAsUser"]) == "10001"


def test_build_context_is_limited_to_what_is_copied():
    ignore = (ROOT / "backend/Dockerfile.dockerignore").read_text().splitlines()
    assert "*" in ignore
    sources = ("requirements.txt", "backend/", "values.yaml", "charts/backend/files/catalog.yaml",
               "charts/backend/files/messages.yaml")
    for source in sources:
        assert f"!{source}" in ignore
