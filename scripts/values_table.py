#!/usr/bin/env python3
"""The config reference table (Key | Default | Description) from values.yaml's `# --` comments.

scripts/build_readme.py puts it in README.md and README_zh.md.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
KEY = re.compile(r"^(?P<indent>\s*)(?P<key>[A-Za-z0-9_.-]+):(?P<rest>.*)$")
COMMENTED_KEY = re.compile(r"^(?P<indent>\s*)# (?P<key>[A-Za-z0-9_]+): \S")


def rows(text: str) -> list[tuple[str, str, str]]:
    """(dotted key, default as JSON, description) for every key that has a `# --` description."""
    values = yaml.safe_load(text)
    lines = text.splitlines()
    found, stack = [], []
    for i, line in enumerate(lines):
        commented = COMMENTED_KEY.match(line)
        if commented and i and lines[i - 1].lstrip().startswith("# --"):
            # An optional key shown commented out under its description: documented, unset by default.
            while stack and stack[-1][0] >= len(commented["indent"]):
                stack.pop()
            path = [k for _, k in stack] + [commented["key"]]
            found.append((".".join(path), "(unset)", lines[i - 1].strip()[4:].strip()))
            continue
        match = KEY.match(line)
        if not match or line.lstrip().startswith("#"):
            continue
        indent = len(match["indent"])
        while stack and stack[-1][0] >= indent:
            stack.pop()
        path = [k for _, k in stack] + [match["key"]]
        block, j = [], i - 1
        while j >= 0 and lines[j].lstrip().startswith("#"):
            block.insert(0, lines[j].strip().lstrip("#").strip())
            j -= 1
        start = next((n for n, c in enumerate(block) if c.startswith("--")), None)
        if start is not None:
            description = block[start][2:].strip()
            # Continuation lines until an example block (a line ending with ':' or looking like YAML).
            for extra in block[start + 1:]:
                if extra.startswith("--") or extra.endswith(":") or KEY.match(extra):
                    break
                description += " " + extra
            node = values
            for part in path:
                node = node.get(part) if isinstance(node, dict) else None
            found.append((".".join(path), json.dumps(node, ensure_ascii=False), description))
        stack.append((indent, match["key"]))
    return found


def table(text: str) -> str:
    out = ["| Key | Default | Description |", "|---|---|---|"]
    for key, default, description in rows(text):
        shown = default if default == "(unset)" else f"`{default}`"
        out.append(f"| `{key}` | {shown} | {description.replace('|', '/')} |")
    return "\n".join(out)
