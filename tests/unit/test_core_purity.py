"""The core is pure: it imports with flask, requests and kubernetes made unimportable."""

from __future__ import annotations

import subprocess
import sys
import textwrap

CORE_MODULES = ("catalog", "sizing", "quantity", "config", "validation", "findings")


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
            importlib.import_module("deepseek_ext.core." + module)
        from deepseek_ext.core.sizing import compute_sizing  # noqa: F401
        print("pure")
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "pure"


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
