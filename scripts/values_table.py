#!/usr/bin/env python3
"""The config reference table (Key | Default | Description) from values.yaml's `# --` comments.

scripts/build_readme.py puts it in docs/configuration.md and docs/configuration_zh.md; the
descriptions stay in English (they are values.yaml's own comments), the header follows the page.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
KEY = re.compile(r"^(?P<indent>\s*)(?P<key>[A-Za-z0-9_.-]+):(?P<rest>.*)$")
COMMENTED_KEY = re.compile(r"^(?P<indent>\s*)# (?P<key>[A-Za-z0-9_]+): \S")


@dataclass(frozen=True)
class Key:
    """One key of values.yaml as a reader sees it."""

    path: tuple[str, ...]
    description: str | None  # the `# --` text (with continuation lines), None when undocumented
    is_parent: bool  # a block map whose children carry their own descriptions
    commented: bool  # an optional key shown commented out under its description (unset by default)


def keys(text: str) -> list[Key]:
    """Every key of a values.yaml text in order, with its `# --` description."""
    lines = text.splitlines()
    found: list[Key] = []
    stack: list[tuple[int, str]] = []
    for i, line in enumerate(lines):
        commented = COMMENTED_KEY.match(line)
        if commented and i and lines[i - 1].lstrip().startswith("# --"):
            while stack and stack[-1][0] >= len(commented["indent"]):
                stack.pop()
            path = (*[k for _, k in stack], commented["key"])
            found.append(Key(path, lines[i - 1].strip()[4:].strip(), is_parent=False, commented=True))
            continue
        match = KEY.match(line)
        if not match or line.lstrip().startswith("#"):
            continue
        indent = len(match["indent"])
        while stack and stack[-1][0] >= indent:
            stack.pop()
        block, j = [], i - 1
        while j >= 0 and lines[j].lstrip().startswith("#"):
            block.insert(0, lines[j].strip().lstrip("#").strip())
            j -= 1
        description = None
        start = next((n for n, c in enumerate(block) if c.startswith("--")), None)
        if start is not None:
            description = block[start][2:].strip()
            # Continuation lines until an example block (a line ending with ':' or looking like YAML).
            for extra in block[start + 1:]:
                if extra.startswith("--") or extra.endswith(":") or KEY.match(extra):
                    break
                description += " " + extra
        nxt = next((ln for ln in lines[i + 1:] if ln.strip() and not ln.lstrip().startswith("#")), "")
        is_parent = match["rest"].strip() == "" and len(nxt) - len(nxt.lstrip()) > indent
        found.append(Key((*[k for _, k in stack], match["key"]), description, is_parent, commented=False))
        stack.append((indent, match["key"]))
    return found


def undocumented(text: str) -> list[str]:
    """Dotted keys with no `# --` description of their own or on an enclosing key (block maps excepted)."""
    documented: set[tuple[str, ...]] = set()
    missing = []
    for key in keys(text):
        inherited = any(key.path[:n] in documented for n in range(1, len(key.path)))
        if key.description is not None or inherited:
            documented.add(key.path)
        elif not key.is_parent:
            missing.append(".".join(key.path))
    return missing


def rows(text: str) -> list[tuple[str, str, str]]:
    """(dotted key, default as JSON, description) for every documented key."""
    values = yaml.safe_load(text)
    found = []
    for key in keys(text):
        if key.description is None:
            continue
        if key.commented:
            found.append((".".join(key.path), "(unset)", key.description))
            continue
        node = values
        for part in key.path:
            node = node.get(part) if isinstance(node, dict) else None
        found.append((".".join(key.path), json.dumps(node, ensure_ascii=False), key.description))
    return found


def table(text: str, lang: str = "en") -> str:
    """The Markdown table of every documented key of a values.yaml text, with the header in `lang`."""
    from deepseek_ext.adapters.files import load_messages  # the header's words live in the message catalog

    messages = load_messages()
    out = [messages.text("docs.configTable.header", lang), "|---|---|---|"]
    for key, default, description in rows(text):
        shown = messages.text("docs.configTable.unset", lang) if default == "(unset)" else f"`{default}`"
        out.append(f"| `{key}` | {shown} | {description.replace('|', '/')} |")
    return "\n".join(out)
