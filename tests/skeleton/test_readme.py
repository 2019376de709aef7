"""README.md / README_zh.md: the user guide Extension Center shows, short, in step with the code.

The package carries the two READMEs and static/, not docs/, bench/ or CONTRIBUTING.md, so links to
those must be absolute URLs (scripts/build_readme.py makes them so); the config reference table in
docs/configuration*.md is generated from values.yaml.
"""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
import yaml

from scripts.build_readme import LINK, Package, absolute_links, repository_url, slug
from tests.helmtools import ROOT

READMES = ("README.md", "README_zh.md")
MAX_LINES = 400
COMMANDS_WITHIN = 120
SECTIONS = {
    "README.md": ("Develop", "Requirements", "Install", "Configuration", "Chat",
                  "API for applications", "Offline use", "Upgrading from 0.1.0", "Troubleshooting"),
    "README_zh.md": ("开发", "要求", "安装", "配置", "对话", "供应用调用的 API", "离线使用",
                     "从 0.1.0 升级", "故障排查"),
}
# The Chinese pages this change wrote; the older docs/*_zh.md follow when they are next edited.
ZH_PAGES = ("README_zh.md", "docs/configuration_zh.md", "docs/benchmarks_zh.md")
FENCE = re.compile(r"^\s*```[^\n]*\n(.*?)^\s*```", re.MULTILINE | re.DOTALL)
# | `deepseek-r1:7b` | 4.7 GB | 3, 6656Mi / 7936Mi | 1 | 10Gi |  (zh: "3 核，6656Mi / 7936Mi")
MODEL_ROW = re.compile(r"^\| `(deepseek-r1:[^`]+)`[^|]*\| ([\d.]+) GB \| (\d+)[^,，]*[,，]\s*(\S+) / (\S+) "
                       r"\| (\S+)[^|]*\| (\S+) \|$", re.MULTILINE)
CONFIG_KEY = re.compile(r"`((?:backend|global|api)\.[A-Za-z0-9_.]+)")


def text(name: str) -> str:
    return (ROOT / name).read_text()


def headings(doc: str) -> list[tuple[int, str]]:
    """(level, title) of every Markdown heading outside fenced code."""
    found = re.findall(r"^(#{1,6}) (.+)$", FENCE.sub("", doc), re.MULTILINE)
    return [(len(hashes), title.strip()) for hashes, title in found]


def links(doc: str) -> list[str]:
    """Targets of inline links and images, and of link reference definitions."""
    return [m[2] for m in LINK.finditer(doc)] + re.findall(r"^\[[^\]]+\]: (\S+)", doc, re.MULTILINE)


@pytest.mark.parametrize("name", READMES)
def test_readme_stays_short_enough_for_the_install_dialog(name):
    lines = len(text(name).splitlines())
    assert lines <= MAX_LINES, f"{name} has {lines} lines; move detail to docs/ and link it"


@pytest.mark.parametrize("name", READMES)
def test_both_commands_and_the_contributing_pointer_come_early(name):
    top = "\n".join(text(name).splitlines()[:COMMANDS_WITHIN])
    for command in ("make run", "make test"):
        assert re.search(rf"^{command}\b", top, re.MULTILINE), f"{name}: `{command}` not in its first lines"
    assert "CONTRIBUTING.md" in top


def test_ci_runs_the_test_command_the_readme_gives():
    assert re.search(r"^make test\b", (ROOT / ".ci/run").read_text(), re.MULTILINE)


@pytest.mark.parametrize("name", READMES)
def test_readme_has_the_user_sections(name):
    titles = [title for level, title in headings(text(name)) if level == 2]
    missing = [s for s in SECTIONS[name] if s not in titles]
    assert not missing, f"{name} lacks {missing}"


def test_english_and_chinese_have_the_same_structure():
    en, zh = text("README.md"), text("README_zh.md")
    assert [level for level, _ in headings(en)] == [level for level, _ in headings(zh)]
    assert len(FENCE.findall(en)) == len(FENCE.findall(zh)), "code blocks differ"
    assert len(re.findall(r"^\|", en, re.MULTILINE)) == len(re.findall(r"^\|", zh, re.MULTILINE)), "table rows differ"


def test_chinese_prose_uses_full_width_punctuation():
    for name in ZH_PAGES:
        prose = re.sub(r"`[^`\n]*`|\]\([^)]*\)", "", FENCE.sub("", text(name)))
        bad = re.findall(r".{0,8}(?:[\u4e00-\u9fff][,:;()?!]|[,:;()?!][\u4e00-\u9fff]).{0,8}", prose)
        assert not bad, f"{name}: {bad[:5]}"


def test_chinese_lines_break_only_next_to_ascii():
    # A line break renders as a space in some browsers; between two Chinese characters that is a stray
    # space (the rule of the message catalog's folded texts, applied to the pages).
    cjk = "[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"
    for name in ZH_PAGES:
        lines = FENCE.sub("", text(name)).splitlines()
        breaks = [f"{a[-10:]}⏎{b.strip()[:10]}" for a, b in itertools.pairwise(lines)
                  if re.search(cjk + "$", a) and re.match(r"\s*" + cjk, b)]
        assert not breaks, f"{name}: {breaks[:5]}"


@pytest.fixture(scope="module")
def packaged(chart) -> set[str]:
    with tarfile.open(chart) as tar:
        return {m.name.removeprefix("deepseek/") for m in tar.getmembers()}


@pytest.mark.parametrize("name", READMES)
def test_relative_links_point_at_files_the_package_carries(name, packaged):
    relative = [t for t in links(text(name)) if not re.match(r"[a-z]+:|#", t)]
    assert relative, "expected at least the other README and the screenshot"
    outside = [t for t in relative if t.split("#", 1)[0] not in packaged]
    assert not outside, f"{name}: {outside} are not in the package; link them by absolute URL"


@pytest.mark.parametrize("name", READMES)
def test_links_into_the_repository_use_its_url_and_resolve(name):
    home = repository_url()
    bases = (home, home.replace("/tree/", "/blob/", 1))
    repo_links = [t for t in links(text(name)) if t.startswith(bases)]
    assert len(repo_links) > 10, "the docs are linked by absolute URL"
    for target in repo_links:
        rest = next(target[len(b) + 1:] for b in bases if target.startswith(b + "/") or target == b)
        path, _, anchor = rest.partition("#")
        assert (ROOT / path).exists(), f"{name}: {target} names no file of the repository"
        if anchor:
            titles = [slug(title) for _, title in headings((ROOT / path).read_text())]
            assert anchor in titles, f"{name}: {target}: no heading with that anchor in {path}"


@pytest.mark.parametrize("name", READMES)
def test_anchors_within_the_readme_resolve(name):
    doc = text(name)
    titles = {slug(title) for _, title in headings(doc)}
    dangling = [t for t in links(doc) if t.startswith("#") and t[1:] not in titles]
    assert not dangling, f"{name}: {dangling}"


def test_generated_parts_are_up_to_date():
    result = subprocess.run([sys.executable, "-m", "scripts.build_readme", "--check"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def _schema_has(schema: dict, path: list[str]) -> bool:
    """Whether a dotted key exists in values.schema.json (free-form maps accept any sub-key)."""
    node = schema
    for i, part in enumerate(path):
        if "$ref" in node:
            node = schema["$defs"][node["$ref"].rsplit("/", 1)[1]]
        props = node.get("properties")
        if props is None:
            return i > 0 and ("object" in str(node.get("type")) or "additionalProperties" in node)
        if part not in props:
            return False
        node = props[part]
    return True


@pytest.mark.parametrize("name", READMES)
def test_every_config_key_named_exists(name):
    schema = json.loads((ROOT / "values.schema.json").read_text())
    named = set(CONFIG_KEY.findall(text(name)))
    assert "backend.model.tag" in named
    unknown = sorted(k for k in named if not _schema_has(schema, k.rstrip(".").split(".")))
    assert not unknown, f"{name} names keys values.schema.json does not have: {unknown}"


@pytest.fixture(scope="module")
def catalog_sizing() -> dict[str, dict]:
    out = subprocess.run([sys.executable, "-m", "deepseek_ext.cli", "models", "-o", "json"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    return {m["name"]: m for m in json.loads(out)["models"]}


@pytest.mark.parametrize("name", READMES)
def test_model_table_is_what_deepseek_ext_models_prints(name, catalog_sizing):
    rows = MODEL_ROW.findall(text(name))
    assert len(rows) >= 5, rows
    for model, download, cpu, memory, limit, gpus, volume in rows:
        sizing = catalog_sizing[model]["sizing"]
        cpu_resources = sizing["cpu"]["resources"]
        assert float(download) == round(catalog_sizing[model]["downloadBytes"] / 1e9, 1), model
        assert (cpu, memory, limit) == (cpu_resources["requests"]["cpu"], cpu_resources["requests"]["memory"],
                                        cpu_resources["limits"]["memory"]), model
        assert volume == sizing["cpu"]["storage"], model
        gpu = sizing.get("gpu") or {}
        assert gpus == str(gpu.get("gpuCount")) or ("gpuCount" not in gpu and not gpus.isdigit()), model


@pytest.mark.parametrize("name", READMES)
def test_offline_image_list_is_the_extensions_image_list(name):
    images = yaml.safe_load((ROOT / "extension.yaml").read_text())["images"]
    blocks = [body.split() for body in FENCE.findall(text(name))]
    assert images in blocks, f"{name}: the offline image list differs from extension.yaml images: {images}"


# --- scripts/build_readme.py turns links the package cannot resolve into repository URLs ---------------

HOME = "https://github.com/o/r/tree/main/deepseek"


@pytest.mark.parametrize(("written", "expected"), [
    pytest.param("[s](docs/sizing.md#keys)", f"[s]({HOME.replace('tree', 'blob')}/docs/sizing.md#keys)", id="docs"),
    pytest.param("[c](CONTRIBUTING.md)", f"[c]({HOME.replace('tree', 'blob')}/CONTRIBUTING.md)", id="ignored-file"),
    pytest.param("[b](bench)", f"[b]({HOME}/bench)", id="folder-is-a-tree-url"),
    pytest.param("![x](static/screenshot-status.png)", "![x](static/screenshot-status.png)", id="packaged"),
    pytest.param("[zh](README_zh.md)", "[zh](README_zh.md)", id="other-readme"),
    pytest.param("[a](#install)", "[a](#install)", id="anchor"),
    pytest.param("[o](https://github.com/ollama/ollama/blob/main/docs/api.md)",
                 "[o](https://github.com/ollama/ollama/blob/main/docs/api.md)", id="external"),
    pytest.param("[s](https://github.com/old/place/blob/v1/docs/sizing.md)\n\n"
                 "[repository]: https://github.com/old/place/tree/v1",
                 f"[s]({HOME.replace('tree', 'blob')}/docs/sizing.md)", id="moved-repository"),
])
def test_links_are_made_absolute_against_the_repository(written, expected):
    package = Package(ignored_dirs=("docs/", "bench/"), ignored_files=("CONTRIBUTING.md",))
    built = absolute_links(written, home=HOME, package=package, root=ROOT)
    assert built == f"{expected}\n\n[repository]: {HOME}\n"
    assert absolute_links(built, home=HOME, package=package, root=ROOT) == built


def test_the_package_rules_come_from_helmignore():
    package = Package.read(Path(ROOT))
    assert not package.carries("docs/api.md") and not package.carries("CONTRIBUTING.md")
    assert package.carries("static/icon.svg") and package.carries("README_zh.md")
