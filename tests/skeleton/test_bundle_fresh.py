"""The committed console bundle matches frontend-config/ (KubeSphere publishes the tree as it is).

ks-extensions runs a plain `ksbuilder package` / `ksbuilder lint` and `ksbuilder publish .` reads
the directory, all with no build step, so `charts/frontend/files/index.js` is committed. The
banner records the hash of its sources (frontend-config/rollup.config.mjs); these tests need no
Node.js. tests/browser/test_frontend_chart.py also rebuilds it and compares bytes.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scripts import bundle_sources
from tests.helmtools import ROOT


def test_committed_bundle_records_the_hash_of_its_sources() -> None:
    recorded = bundle_sources.recorded_hash((ROOT / bundle_sources.BUNDLE).read_text())
    assert recorded is not None, "the bundle banner has no sources-sha256: rebuild it with `make bundle`"
    assert recorded == bundle_sources.sources_hash(), "stale bundle: run `make bundle` and commit the result"


def _copy_sources(to: Path) -> None:
    for name in bundle_sources.source_files(ROOT):
        (to / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / name, to / name)


@pytest.mark.parametrize("edit", [
    pytest.param(lambda t: (t / "frontend-config/src/menus.js").write_text("// changed\n"), id="source edited"),
    pytest.param(lambda t: (t / "frontend-config/src/new.js").write_text("export {};\n"), id="source added"),
    pytest.param(lambda t: (t / "frontend-config/src/format.js").unlink(), id="source removed"),
    pytest.param(lambda t: (t / "static/icon.svg").write_text("<svg/>"), id="icon changed"),
    pytest.param(lambda t: (t / "frontend-config/src/menus.js").rename(t / "frontend-config/src/m.js"),
                 id="source renamed"),
])
def test_any_change_of_the_sources_changes_the_hash(tmp_path: Path, edit) -> None:
    _copy_sources(tmp_path)
    before = bundle_sources.sources_hash(tmp_path)
    assert before == bundle_sources.sources_hash(ROOT)
    edit(tmp_path)
    assert bundle_sources.sources_hash(tmp_path) != before


def test_check_command_fails_on_a_stale_bundle(tmp_path: Path) -> None:
    script = ROOT / "scripts/bundle_sources.py"
    ok = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    # The same script in a copy of the tree whose sources changed after the build.
    (tmp_path / "scripts").mkdir()
    shutil.copyfile(script, tmp_path / "scripts/bundle_sources.py")
    _copy_sources(tmp_path)
    (tmp_path / bundle_sources.BUNDLE).parent.mkdir(parents=True)
    shutil.copyfile(ROOT / bundle_sources.BUNDLE, tmp_path / bundle_sources.BUNDLE)
    (tmp_path / "frontend-config/src/menus.js").write_text("// changed\n")
    stale = subprocess.run([sys.executable, str(tmp_path / "scripts/bundle_sources.py"), "--check"],
                           capture_output=True, text=True)
    assert stale.returncode == 1
    assert "make bundle" in stale.stderr


def test_bundle_is_tracked_not_ignored() -> None:
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    ignored = subprocess.run(["git", "-C", str(ROOT), "check-ignore", "-q", str(bundle_sources.BUNDLE)])
    assert ignored.returncode == 1, f"{bundle_sources.BUNDLE} is git-ignored: the published tree would lack it"
    tracked = subprocess.run(["git", "-C", str(ROOT), "ls-files", "--error-unmatch", str(bundle_sources.BUNDLE)],
                             capture_output=True)
    assert tracked.returncode == 0, f"{bundle_sources.BUNDLE} is not committed"


# The bundle ships in a ConfigMap (1 MiB limit, shared with nothing else, but every console load
# fetches it): issue 14 sets a budget of 300 KB. It is minified (rollup.config.mjs, terser); the
# chat page's markdown renderer and sanitizer (marked, DOMPurify) are most of it.
BUNDLE_BUDGET_BYTES = 300_000


def test_committed_bundle_is_within_its_size_budget() -> None:
    size = (ROOT / bundle_sources.BUNDLE).stat().st_size
    assert size < BUNDLE_BUDGET_BYTES, f"console bundle is {size} bytes, over the {BUNDLE_BUDGET_BYTES} budget"
    assert size > 20_000, f"console bundle is only {size} bytes: is it built?"
