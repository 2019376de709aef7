#!/usr/bin/env python3
"""Keep the generated parts of the user guides true: README links and the config reference table.

README.md and README_zh.md are written by hand: they are the guide Extension Center shows, and the
package carries them but not docs/, bench/ or CONTRIBUTING.md. So every link to a file the package
leaves out (the anchored rules of .helmignore) must be an absolute URL into the repository. This
script turns such links into `<repository>/blob/<ref>/.../<path>` (write them relative, then run it),
and moves links already absolute to a new base when the repository moves. The base comes from
`home` in extension.yaml, the one place to change it. Each README ends with the link reference
definition `[repository]: <home>` (used by one "source" link, invisible otherwise), so the script
knows the base its links were built with. No HTML comment: the console's Markdown renderer may
show one as text.

docs/configuration.md and docs/configuration_zh.md carry the table of every values.yaml key,
generated from its `# --` comments between the markers below.

`--check` fails when anything is out of date (tests/skeleton/test_readme.py runs it).
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml
from deepseek_ext.adapters.files import load_messages

from scripts.values_table import table

ROOT = Path(__file__).resolve().parents[1]
READMES = {"README.md": "en", "README_zh.md": "zh"}
CONFIG_PAGES = {"docs/configuration.md": "en", "docs/configuration_zh.md": "zh"}
BEGIN, END = "<!-- BEGIN generated: values.yaml -->", "<!-- END generated: values.yaml -->"
BASE_DEF = re.compile(r"^\[repository\]: (\S+)[ \t]*$", re.MULTILINE)
# An inline Markdown link or image target: ](target) or ](target "title").
LINK = re.compile(r"(\]\()([^)\s]+)")


def repository_url(root: Path = ROOT) -> str:
    """The extension's folder in its repository, a GitHub tree URL: extension.yaml `home`."""
    home = yaml.safe_load((root / "extension.yaml").read_text()).get("home") or ""
    if not re.match(r"https://github\.com/[^/]+/[^/]+/tree/[^/]+", home):
        raise SystemExit(f"extension.yaml: home {home!r} is not a GitHub tree URL (https://github.com/o/r/tree/<ref>/...)")
    return home.rstrip("/")


@dataclass(frozen=True)
class Package:
    """Which repository paths the extension package carries, by the anchored rules of .helmignore."""

    ignored_dirs: tuple[str, ...]
    ignored_files: tuple[str, ...]

    @classmethod
    def read(cls, root: Path = ROOT) -> Package:
        rules = [ln.strip() for ln in (root / ".helmignore").read_text().splitlines()]
        anchored = [r[1:] for r in rules if r.startswith("/")]
        return cls(tuple(r for r in anchored if r.endswith("/")), tuple(r for r in anchored if not r.endswith("/")))

    def carries(self, path: str) -> bool:
        path = path.removeprefix("./")
        top = path.split("/", 1)[0]
        return not (path in self.ignored_files or f"{top}/" in self.ignored_dirs)


def absolute_links(text: str, *, home: str, package: Package, root: Path = ROOT) -> str:
    """Relative links to files the package leaves out, and links under a previous base, made absolute."""
    match = BASE_DEF.search(text)
    previous = match[1].rstrip("/") if match else home
    old_bases = (previous, previous.replace("/tree/", "/blob/", 1))

    def fix(m: re.Match) -> str:
        target = m[2]
        for old in old_bases:
            if target.startswith(old + "/"):
                target = target[len(old) + 1:]
                break
        else:
            if re.match(r"[a-z]+:|#", target):
                return m[0]
        path = target.split("#", 1)[0]
        if package.carries(path):
            return m[1] + target
        kind = "tree" if (root / path).is_dir() else "blob"
        return m[1] + f"{home.replace('/tree/', f'/{kind}/', 1)}/{target}"

    body = LINK.sub(fix, BASE_DEF.sub("", text)).rstrip("\n")
    return f"{body}\n\n[repository]: {home}\n"




def with_table(page: str, lang: str, values: str) -> str:
    start, end = page.index(BEGIN) + len(BEGIN), page.index(END)
    intro = load_messages().text("docs.configTable.intro", lang)
    return f"{page[:start]}\n\n{intro}\n\n{table(values, lang)}\n\n{page[end:]}"


def slug(title: str) -> str:
    """GitHub's heading anchor: lower case, punctuation dropped (CJK kept), spaces to '-'."""
    return re.sub(r"[^\w\- ]", "", title.strip().lower()).replace(" ", "-")


def updated(root: Path = ROOT) -> dict[Path, str]:
    """Every generated file with the text it should have."""
    home, package = repository_url(root), Package.read(root)
    values = (root / "values.yaml").read_text()
    out = {}
    for name in READMES:
        path = root / name
        out[path] = absolute_links(path.read_text(), home=home, package=package, root=root)
    for name, lang in CONFIG_PAGES.items():
        path = root / name
        out[path] = with_table(path.read_text(), lang, values)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if a generated part is out of date")
    args = parser.parse_args(argv)
    stale = []
    for path, text in updated().items():
        if path.read_text() != text:
            if args.check:
                stale.append(f"{path.relative_to(ROOT)} is out of date: run `.venv/bin/python -m scripts.build_readme`")
            else:
                path.write_text(text)
    for line in stale:
        print(line, file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
