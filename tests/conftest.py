"""Fixtures shared by every suite."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helmtools import ROOT, package_chart


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
