"""Fixtures of the console tests: the bundle built from frontend-config/, headless Debian Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.helmtools import ROOT

CHROMIUM = "/usr/bin/chromium"
# Flags that work for Debian's Chromium in a container as root (shared/reference/tooling.md 8).
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
BUNDLE = ROOT / "charts/frontend/files/index.js"

# What a person would wait for a page, on a 2-core machine shared with the rest of the suite.
expect.set_options(timeout=20_000)


@pytest.fixture(scope="session")
def bundle() -> Path:
    """The committed bundle (the published tree installs it as it is, with no build step).

    It is not rebuilt here: test_frontend_chart.py rebuilds it into a temporary file and fails
    when the two differ, which a rebuild in place would hide.
    """
    assert BUNDLE.is_file(), f"{BUNDLE} is missing: it is committed (restore it, or `make bundle`)"
    return BUNDLE


@pytest.fixture(scope="session")
def rebuilt_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundle built from frontend-config/ now, exactly as `make bundle` does, into a temp file."""
    if not shutil.which("npm"):
        pytest.fail("npm (Node.js >= 18) is required to build the console bundle (scripts/build-bundle.sh)")
    out = tmp_path_factory.mktemp("bundle") / "index.js"
    result = subprocess.run([str(ROOT / "scripts/build-bundle.sh")], capture_output=True, text=True,
                            env={**os.environ, "BUNDLE_OUT": str(out)})
    assert result.returncode == 0, f"scripts/build-bundle.sh failed:\n{result.stdout}\n{result.stderr}"
    return out


@pytest.fixture(scope="package")
def browser() -> Iterator[object]:
    """One headless Chromium for the browser tests (Debian's; never a downloaded browser).

    Package scope, not session: Playwright's sync API keeps an asyncio loop running in the main
    thread while it is open, which would break the async (kmock) tests that run after this package.
    """
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: run scripts/system-deps.sh (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
        try:
            yield instance
        finally:
            instance.close()
