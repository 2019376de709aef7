"""The status rules are pure: every module of ``deepseek_ext.core`` (the status package included)
imports with the I/O libraries made unimportable."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from deepseek_ext.core import status as status_package

BLOCKED = ("flask", "requests", "kubernetes", "urllib3", "werkzeug", "socket", "http")


def test_every_core_module_imports_without_io_libraries() -> None:
    script = textwrap.dedent(f"""
        import importlib, json, pkgutil, sys
        BLOCKED = {BLOCKED!r}
        class Block:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in BLOCKED:
                    raise ImportError("blocked in the pure core: " + name)
        for name in list(sys.modules):
            if name.split(".")[0] in BLOCKED:
                del sys.modules[name]
        sys.meta_path.insert(0, Block())
        import deepseek_ext.core as core
        imported = []
        for mod in pkgutil.walk_packages(core.__path__, "deepseek_ext.core."):
            importlib.import_module(mod.name)
            imported.append(mod.name)
        print(json.dumps(imported))
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    imported = set(json.loads(result.stdout))
    status_dir = Path(status_package.__file__).parent
    expected = {f"deepseek_ext.core.status.{p.stem}" for p in status_dir.glob("*.py") if p.stem != "__init__"}
    assert expected and expected <= imported, expected - imported
