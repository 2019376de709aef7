"""README.md / README_zh.md: the two commands, and the user guide in sync with docs/ and values.yaml."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.helmtools import ROOT


def test_readme_gives_the_two_commands_and_ci_runs_the_test_one():
    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme and "make test" in readme
    assert re.search(r"^make test\b", (ROOT / ".ci/run").read_text(), re.MULTILINE)


def test_generated_sections_are_up_to_date():
    result = subprocess.run([sys.executable, "-m", "scripts.build_readme", "--check"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_both_readmes_cover_install_config_upgrade_offline_and_troubleshooting():
    for name, words in (("README.md", ("Install", "Config reference", "Upgrading from 0.1.0", "Offline",
                                       "Troubleshooting")),
                        ("README_zh.md", ("安装", "配置项参考", "从 0.1.0 升级", "离线", "故障排查"))):
        text = (ROOT / name).read_text()
        missing = [w for w in words if w not in text]
        assert not missing, f"{name} lacks {missing}"


def test_relative_links_and_images_point_at_files_that_exist():
    for name in ("README.md", "README_zh.md"):
        for target in re.findall(r"\]\((?!https?://|#|mailto:)([^)\s#]+)", (ROOT / name).read_text()):
            assert (ROOT / target).exists(), f"{name}: {target}"
