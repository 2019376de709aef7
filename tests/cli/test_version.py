"""`deepseek-ext --version` prints the package version (the image test and support read it)."""

from __future__ import annotations

import subprocess
import sys
import tomllib

import pytest
import yaml
from deepseek_ext import __version__
from deepseek_ext.cli import main

from tests.helmtools import ROOT


def test_version_flag_prints_the_package_version_and_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"deepseek-ext {__version__}"


def test_version_is_the_one_of_the_package_and_the_extension() -> None:
    project = tomllib.loads((ROOT / "backend/pyproject.toml").read_text())["project"]
    extension = yaml.safe_load((ROOT / "extension.yaml").read_text())
    assert __version__ == project["version"] == str(extension["version"])


def test_version_flag_works_from_the_installed_entry_point() -> None:
    result = subprocess.run([sys.executable, "-m", "deepseek_ext.cli", "--version"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["deepseek-ext", __version__]
