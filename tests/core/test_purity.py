"""The core is pure: every module of deepseek_ext.core imports with the I/O libraries made unimportable.

The modules are discovered from the package's files, so a new core module is covered the day it is
added (a hand-kept list once left two modules out, and for them the test could not fail).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import deepseek_ext.core

CORE_DIR = Path(deepseek_ext.core.__file__).parent
CORE_MODULES = sorted(
    ".".join(path.relative_to(CORE_DIR).with_suffix("").parts).removesuffix(".__init__").removesuffix("__init__")
    for path in CORE_DIR.rglob("*.py")
)


def test_core_imports_with_io_libraries_blocked() -> None:
    script = textwrap.dedent(f"""
        import importlib, sys
        BLOCKED = ("flask", "requests", "kubernetes", "urllib3", "socket", "http.client")
        class Block:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in BLOCKED or name in BLOCKED:
                    raise ImportError(f"{{name}} is blocked: the core must not do I/O")
        for name in list(sys.modules):
            if name.split(".")[0] in ("flask", "requests", "kubernetes", "urllib3"):
                del sys.modules[name]
        sys.meta_path.insert(0, Block())
        for module in {CORE_MODULES!r}:
            importlib.import_module(("deepseek_ext.core." + module).rstrip("."))
        print("pure")
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "pure"


def test_every_core_file_is_checked() -> None:
    assert {"messages", "model_state", "names", "phases", "objects", "sizing", "validation"} <= set(CORE_MODULES)
    assert len(CORE_MODULES) == len(list(CORE_DIR.rglob("*.py")))


def test_the_block_really_blocks() -> None:
    """The same harness makes an import of an I/O library fail (so the test above can fail)."""
    script = textwrap.dedent("""
        import sys
        class Block:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] == "requests":
                    raise ImportError("blocked")
        sys.modules.pop("requests", None)
        sys.meta_path.insert(0, Block())
        import requests
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode != 0 and "blocked" in result.stderr
