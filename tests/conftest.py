"""Fixtures shared by every suite."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helmtools import ROOT, package_chart

# Environment that would point the API or the manager at a real cluster, ollama or state file.
HOST_ENV = ("KUBECONFIG", "KUBERNETES_SERVICE_HOST", "DEEPSEEK_SERVING_CONFIG", "DEEPSEEK_OLLAMA_URL",
            "DEEPSEEK_STANDALONE", "DEEPSEEK_MODEL_STATE_FILE", "PROMETHEUS_MULTIPROC_DIR")


def isolate_from_host(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    """Forget the runner's cluster, ollama and ~/.kube/config: tests see only what they set up."""
    for name in HOST_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(home))


@pytest.fixture(scope="session")
def chart(tmp_path_factory) -> Path:
    """The extension packaged once per session, exactly as `make package` builds it."""
    return package_chart(tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def output_dir() -> Path:
    """tests/output/: screenshots and rendered manifests a person may want to look at (git-ignored)."""
    path = ROOT / "tests/output"
    path.mkdir(parents=True, exist_ok=True)
    return path
