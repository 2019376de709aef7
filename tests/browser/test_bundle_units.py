"""The bundle's pure helpers (formatting, language, URL checks, locale parity) under node's own
test runner: frontend-config/test/*.test.js. Fast, and no browser needed."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.helmtools import ROOT


def test_node_unit_tests_of_the_bundle_pass() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node (Node.js >= 18) is required for the console bundle and its tests")
    result = subprocess.run([node, "--test", "test/"], cwd=ROOT / "frontend-config",
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout and "# pass 0" not in result.stdout
