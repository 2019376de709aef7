"""backend/Dockerfile agrees with the chart: same command, files where the code and the chart look."""

from __future__ import annotations

import json
import re

from tests.helmtools import ROOT, one, render

DOCKERFILE = (ROOT / "backend/Dockerfile").read_text()


def instructions(name: str, *, joined: bool = False) -> list[str]:
    """Arguments of every `name` instruction; joined=True follows backslash continuations."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE) if joined else DOCKERFILE
    return [line.split(None, 1)[1] for line in text.splitlines() if line.startswith(name + " ")]


def test_image_runs_as_non_root_from_a_slim_python_base():
    # Online the base is python:3.11-slim; `make image` passes its Debian-built base as BASE.
    assert instructions("ARG")[0] == "BASE=python:3.11-slim-bookworm"
    assert all(re.fullmatch(r"\$\{BASE\}( AS \w+)?", base) for base in instructions("FROM"))
    assert instructions("USER")[-1] == "10001:10001"


def test_image_steps_work_on_debian_python_and_on_python_slim():
    # Debian's python3 is /usr/bin/python3 without pip, python:slim's is /usr/local/bin/python3 with pip:
    # every step goes through python3 -m venv and the venv's own interpreter, never a bare pip.
    runs = " ".join(instructions("RUN", joined=True))
    assert "-m pip install" in runs
    assert not re.search(r"(^|&&|;|\|)\s*pip3?\s", runs)
    assert "python3 -m venv /opt/venv" in runs
    env = " ".join(instructions("ENV"))
    assert re.search(r"PATH=/opt/venv/bin:", env)


def test_image_carries_the_defaults_and_catalog_where_the_files_adapter_looks():
    copies = {c.split()[-1]: c.split()[-2] for c in instructions("COPY") if not c.startswith("--from")}
    assert copies["/app/values.yaml"] == "values.yaml"
    assert copies["/app/values.schema.json"] == "values.schema.json"
    assert copies["/app/catalog.yaml"] == "charts/backend/files/catalog.yaml"
    assert copies["/app/messages.yaml"] == "charts/backend/files/messages.yaml"
    assert copies["/app/gunicorn.conf.py"] == "backend/gunicorn.conf.py"
    from deepseek_ext.adapters import files

    assert str(files.DEFAULTS_CANDIDATES[-1]) == "/app/values.yaml"
    assert str(files.SCHEMA_CANDIDATES[-1]) == "/app/values.schema.json"
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
    sources = ("requirements.txt", "backend/", "values.yaml", "values.schema.json", "charts/backend/files/catalog.yaml",
               "charts/backend/files/messages.yaml")
    for source in sources:
        assert f"!{source}" in ignore
