"""The hash of what the console bundle is built from, as frontend-config/rollup.config.mjs writes it.

The built bundle `charts/frontend/files/index.js` is committed, because KubeSphere's publishing
path (`ksbuilder package`, `ksbuilder lint`, `ksbuilder publish`) packages the tree as it is, with
no build step. Its banner carries `sources-sha256: <hex>`; this module recomputes that hash from
the sources so a test can tell a stale bundle without Node.js:

    python scripts/bundle_sources.py            print the hash of the sources
    python scripts/bundle_sources.py --check    exit 1 when the committed bundle is stale

The algorithm must stay the same as `sourcesHash()` in rollup.config.mjs: sha256 over the sorted
lines "<path relative to the repository>\\0<sha256 hex of the file>\\n".
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = Path("charts/frontend/files/index.js")
SOURCES = ("frontend-config/package.json", "frontend-config/package-lock.json",
           "frontend-config/rollup.config.mjs", "frontend-config/src", "static/icon.svg")
_RECORDED = re.compile(r"sources-sha256: ([0-9a-f]{64})")


def source_files(root: Path = ROOT) -> list[str]:
    names: list[str] = []
    for source in SOURCES:
        path = root / source
        files = [p for p in path.rglob("*") if p.is_file()] if path.is_dir() else [path]
        names += [p.relative_to(root).as_posix() for p in files]
    return sorted(names)


def sources_hash(root: Path = ROOT) -> str:
    lines = "".join(f"{name}\0{hashlib.sha256((root / name).read_bytes()).hexdigest()}\n"
                    for name in source_files(root))
    return hashlib.sha256(lines.encode()).hexdigest()


def recorded_hash(bundle_text: str) -> str | None:
    """The hash in the bundle banner (first lines), or None for a bundle without one."""
    match = _RECORDED.search(bundle_text[:1024])
    return match.group(1) if match else None


def main(argv: list[str]) -> int:
    actual = sources_hash()
    if "--check" not in argv:
        print(actual)
        return 0
    recorded = recorded_hash((ROOT / BUNDLE).read_text()) if (ROOT / BUNDLE).is_file() else None
    if recorded != actual:
        print(f"{BUNDLE} is stale (built from sources {recorded}, sources are now {actual}): "
              "run `make bundle` and commit the result", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
