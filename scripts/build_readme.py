#!/usr/bin/env python3
"""Assemble the user guide in README.md / README_zh.md from docs/<topic>.md and values.yaml.

Each topic page is written and reviewed on its own (docs/serving.md, docs/sizing.md, ...); the
README, which Extension Center shows, carries all of them between the generated-section markers,
with headings moved one level down, links rewritten for the repository root, and the config
reference table generated from values.yaml's `# --` descriptions. `--check` fails when a README is
out of date (the test suite runs it), so the README never drifts from its sources.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from scripts.values_table import table

ROOT = Path(__file__).resolve().parents[1]
BEGIN, END = "<!-- BEGIN generated sections -->", "<!-- END generated sections -->"
# Order of the user guide: install and run, size, models, console, API, evidence, benchmarks.
# Paths without ".md"; the Chinese page is "<path>_zh.md" (the English one stands in when absent).
TOPICS = ("docs/serving", "docs/sizing", "docs/models", "docs/console", "docs/api", "docs/evidence", "bench/README")
TABLE_TITLE = {"en": "## Config reference", "zh": "## 配置项参考"}
TABLE_INTRO = {
    "en": "Every key of `values.yaml` (the config shown in Extension Center), generated from its comments.",
    "zh": "`values.yaml`（扩展中心中显示的配置）的全部配置项，由其中的注释生成（说明为英文）。",
}
LINK = re.compile(r"\]\((?!https?://|#|mailto:)([^)\s]+)\)")


def demote(text: str) -> str:
    """Move every Markdown heading one level down, leaving fenced code (shell comments) alone."""
    out, fenced = [], False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        if not fenced and re.match(r"^#{1,5} ", line):
            line = "#" + line
        out.append(line)
    return "\n".join(out)


def relink(text: str, folder: str) -> str:
    """Links written relative to the page's folder made relative to the repository root."""
    def fix(match: re.Match) -> str:
        target = match[1]
        if target.startswith("../"):
            return f"]({target[3:]})"
        return f"]({folder}/{target})"
    return LINK.sub(fix, text)


def slug(title: str) -> str:
    """GitHub's heading anchor: lower case, punctuation dropped (CJK kept), spaces to '-'."""
    title = re.sub(r"[^\w\- ]", "", title.strip().lower())
    return title.replace(" ", "-")


def generated(lang: str) -> str:
    parts = []
    for topic in TOPICS:
        page = ROOT / f"{topic}_zh.md" if lang == "zh" else ROOT / f"{topic}.md"
        if not page.is_file():
            page = ROOT / f"{topic}.md"
        parts.append(relink(demote(page.read_text().strip()), str(Path(topic).parent)))
    parts.append(f"{TABLE_TITLE[lang]}\n\n{TABLE_INTRO[lang]}\n\n{table((ROOT / 'values.yaml').read_text())}")
    titles = [line[3:] for part in parts for line in part.splitlines()[:1] if line.startswith("## ")]
    contents = "\n".join(f"- [{title}](#{slug(title)})" for title in titles)
    return "\n\n".join([contents, *parts])


def build(doc: str, lang: str) -> str:
    start, end = doc.index(BEGIN) + len(BEGIN), doc.index(END)
    return doc[:start] + "\n\n" + generated(lang) + "\n\n" + doc[end:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if a README is out of date")
    args = parser.parse_args(argv)
    stale = []
    for path, lang in ((ROOT / "README.md", "en"), (ROOT / "README_zh.md", "zh")):
        doc = path.read_text()
        updated = build(doc, lang)
        if updated != doc:
            if args.check:
                stale.append(f"{path.name} is out of date: run `.venv/bin/python -m scripts.build_readme`")
            else:
                path.write_text(updated)
    for line in stale:
        print(line, file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
