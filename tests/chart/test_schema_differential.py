"""validate equals helm: configs generated from values.schema.json, then mutated (typos in keys, wrong
types, out-of-range values, bad enums, real and invented tags, sizes without units), go through
`helm template` and `deepseek-ext validate`'s rules (issue 13).

For every config: when helm refuses it, validate refuses it and names the path helm names (the
schema error's path, or the path a chart `fail` starts with); when helm renders it, validate finds
no error. The semantic rules are chart `fail`s with the same keys, so helm refuses those too;
``VALIDATE_ONLY`` lists the refusals validate may make beyond helm (none today).

helm is slow (about half a second a render), so the configs come in batches: hypothesis draws
BATCHES lists of BATCH configs with a fixed seed (derandomize) and no shrinking, and each list is
rendered on two workers. On a mismatch the assertion lists every disagreeing config.
"""

from __future__ import annotations

import json
import os
import re
import string
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from deepseek_ext.adapters.files import load_catalog, load_defaults, load_values_schema
from deepseek_ext.core.validation import validate_config
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.helmtools import HelmError, helm_template_text

pytestmark = pytest.mark.slow

SCHEMA = load_values_schema()
DEFAULTS = load_defaults()
CATALOG = load_catalog()
BATCH = 25
BATCHES = int(os.environ.get("DIFFERENTIAL_BATCHES", "12"))
"""300 configs: about 80 s on two idle cores."""
VALIDATE_ONLY: dict[str, str] = {}
"""Finding codes validate may raise where helm renders (code -> why); empty: validate refuses only what helm does."""

# --- configs from the schema --------------------------------------------------------------------------

_DEFS = SCHEMA.document["$defs"]
# Valid examples for the patterns of the schema (a generator for arbitrary regexes would mostly
# produce values no one writes; these are the shapes people write, the mutations add the mistakes).
PATTERN_EXAMPLES = {
    _DEFS["quantity"]["pattern"]: ["500m", "2", "1Gi", "8Gi", "1.5"],
    _DEFS["memoryQuantity"]["pattern"]: ["16Gi", "24Gi", "80Gi", "24G", "60Gi"],
    "^$|^sha256:[a-f0-9]{64}$": ["", "sha256:" + "a" * 64],
    "^[0-9]+$": ["1", "2"],
}
TAGS = [*CATALOG.tags(), "latest", "3b", "deepseek-r1:7b", "7B", "14b-qwen", "1.5"]
TEXT = ["", "x", "ollama/ollama", "nvidia", "harbor.local/library"]


def _resolve(schema: Mapping[str, Any]) -> Mapping[str, Any]:
    ref = schema.get("$ref")
    return _resolve(_DEFS[ref.rsplit("/", 1)[-1]]) if ref else schema


def _types(schema: Mapping[str, Any]) -> list[str]:
    kind = schema.get("type")
    return [kind] if isinstance(kind, str) else list(kind or [])


def valid(schema: Mapping[str, Any], path: str = "", depth: int = 0) -> st.SearchStrategy[Any]:
    """Values the subschema accepts (mostly; the schema decides, the test compares both tools)."""
    schema = _resolve(schema)
    if path.endswith("model.tag"):
        return st.sampled_from(TAGS)
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    if "anyOf" in schema:
        return st.one_of([valid(b, path, depth) for b in schema["anyOf"]])
    choices: list[st.SearchStrategy[Any]] = []
    for kind in _types(schema):
        if kind == "object" and depth < 6:
            choices.append(_object(schema, path, depth))
        elif kind in ("integer", "number"):
            low = int(schema.get("minimum", 0))
            high = int(schema.get("maximum", low + 8))
            choices.append(st.integers(low, min(high, low + 8)) | st.sampled_from([low, high]))
        elif kind == "boolean":
            choices.append(st.booleans())
        elif kind == "string":
            pattern = schema.get("pattern")
            choices.append(st.sampled_from(PATTERN_EXAMPLES.get(pattern, ["x-1"] if pattern else TEXT)))
        elif kind == "array" and depth < 6:
            choices.append(st.lists(valid(schema.get("items") or {}, path + "[]", depth + 1), max_size=2))
        elif kind == "null":
            choices.append(st.none())
    return st.one_of(choices) if choices else st.just("x")


def _object(schema: Mapping[str, Any], path: str, depth: int) -> st.SearchStrategy[dict[str, Any]]:
    properties = schema.get("properties") or {}
    if not properties:
        extra = schema.get("additionalProperties")
        values = valid(extra, path + ".*", depth + 1) if isinstance(extra, Mapping) else st.sampled_from(TEXT)
        return st.dictionaries(st.sampled_from(["zone", "app", "example.com/fpga"]), values, max_size=2)
    optional = {k: valid(v, f"{path}.{k}".lstrip("."), depth + 1) for k, v in properties.items() if k != "global"}
    return st.fixed_dictionaries({}, optional=optional)


# --- mutations ------------------------------------------------------------------------------------------

WRONG = ["text", 3, -1, 1.5, True, None, [1], {"a": 1}, "8GB", 16, "Sometimes", "tag:1.5b", "8Gi\n"]


def _paths(tree: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = []
    if isinstance(tree, dict):
        for key, value in tree.items():
            found.append((*prefix, key))
            found.extend(_paths(value, (*prefix, key)))
    elif isinstance(tree, list):
        for index, value in enumerate(tree):
            found.append((*prefix, index))
            found.extend(_paths(value, (*prefix, index)))
    return found


def _parent(tree: Any, path: tuple[Any, ...]) -> Any:
    for part in path[:-1]:
        tree = tree[part]
    return tree


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    config = draw(valid(SCHEMA.document))
    for _ in range(draw(st.integers(0, 2))):
        paths = _paths(config)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent, last = _parent(config, path), path[-1]
        op = draw(st.sampled_from(["typo", "wrong", "wrong", "tag"]))
        if op == "typo" and isinstance(last, str) and last:
            i = draw(st.integers(0, len(last) - 1))
            variants = [last[:i] + last[i + 1:], last.swapcase(), last + "s",
                        last[:i] + draw(st.sampled_from(string.ascii_lowercase)) + last[i + 1:]]
            new = draw(st.sampled_from([v for v in variants if v and v != last] or [last + "x"]))
            parent[new] = parent.pop(last)
        elif op == "tag":
            # An earlier mutation may have made backend or backend.model a scalar: then no tag to set.
            if isinstance(config.setdefault("backend", {}), dict) and isinstance(
                    config["backend"].setdefault("model", {}), dict):
                config["backend"]["model"]["tag"] = draw(st.sampled_from(TAGS))
        else:
            parent[last] = draw(st.sampled_from(WRONG))
    return config


# --- the two tools ----------------------------------------------------------------------------------------

_SCHEMA_LINE = re.compile(r"^( *)- at '([^']*)': (.*)$")
_EXTRA = re.compile(r"additional propert(?:y|ies) (.+) not allowed")
_PROPERTY_NAME = re.compile(r"invalid propertyName '([^']*)'")
_MISSING = re.compile(r"missing propert(?:y|ies) (.+)$")
_FAIL_PATH = re.compile(r"execution error at \([^)]*\): ([A-Za-z0-9_.\[\]/-]+): ")


def _dot(pointer: str) -> str:
    """/backend/models/0 -> backend.models[0]; ~1 is a / inside a key (nvidia.com/gpu)."""
    text = ""
    for part in [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]:
        text += f"[{part}]" if part.isdigit() else (f".{part}" if text else part)
    return text


def helm_paths(stderr: str) -> set[str]:
    """The config paths helm's refusal names: the leaves of its schema error tree (santhosh-tekuri's
    nested "- at '<pointer>': ..." lines), or the path a chart fail starts with. A bad property name
    has no pointer of its own in helm's text: it is ``*.<name>`` (matched as a suffix)."""
    lines = [(len(m.group(1)), m.group(2), m.group(3)) for m in map(_SCHEMA_LINE.match, stderr.splitlines()) if m]
    paths = set()
    inside_name: int | None = None  # the indent of a line whose children only detail it (propertyName, anyOf)
    for index, (indent, pointer, problem) in enumerate(lines):
        if inside_name is not None and indent > inside_name:
            continue
        inside_name = None
        name, extra = _PROPERTY_NAME.search(problem), _EXTRA.search(problem) or _MISSING.search(problem)
        base = _dot(pointer)
        if name:
            paths.add(f"*.{name.group(1)}")
            inside_name = indent
        elif "'anyOf' failed" in problem or "'oneOf' failed" in problem:
            paths.add(base or "(document)")  # the value that matches no choice; its children are the choices
            inside_name = indent
        elif index + 1 < len(lines) and lines[index + 1][0] > indent:
            continue  # a parent ("validation failed", "anyOf failed"): its children say where
        elif extra:
            paths |= {f"{base}.{n}" if base else n for n in re.findall(r"'([^']*)'", extra.group(1))}
        else:
            paths.add(base or "(document)")
    paths |= set(_FAIL_PATH.findall(stderr))
    return paths


def _named(path: str, ours: set[str]) -> bool:
    return any(p.endswith(path[1:]) for p in ours) if path.startswith("*.") else path in ours


def _helm(chart: Path, directory: Path, index: int, config: dict[str, Any]) -> str | None:
    """None when helm renders ``config``, else its error."""
    path = directory / f"config-{index}.json"
    path.write_text(json.dumps(config))
    try:
        helm_template_text(chart, values_files=[path])
    except HelmError as exc:
        return str(exc)
    return None


def _disagreement(config: dict[str, Any], refusal: str | None) -> str | None:
    report = validate_config(config, defaults=DEFAULTS, catalog=CATALOG, schema=SCHEMA)
    ours = {f.path for f in report.errors}
    if refusal is None:
        unexplained = [f"{f.path} {f.code.value}" for f in report.errors if f.code.value not in VALIDATE_ONLY]
        return f"helm renders, validate refuses {unexplained}" if unexplained else None
    if not report.errors:
        return f"helm refuses, validate accepts: {refusal[:400]}"
    missing = {p for p in helm_paths(refusal) if not _named(p, ours)}
    return f"validate does not name {sorted(missing)} (it names {sorted(ours)}): {refusal[:300]}" if missing else None


SEEN = {"helm refuses": 0, "helm renders": 0}


@settings(max_examples=BATCHES, derandomize=True, deadline=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
                                 HealthCheck.large_base_example])
@given(st.lists(mutated(), min_size=BATCH, max_size=BATCH))
def test_validate_refuses_exactly_what_helm_refuses(chart: Path, tmp_path_factory: pytest.TempPathFactory,
                                                     configs: list[dict[str, Any]]) -> None:
    directory = tmp_path_factory.mktemp("differential")
    with ThreadPoolExecutor(max_workers=2) as pool:
        refusals = list(pool.map(lambda item: _helm(chart, directory, *item), enumerate(configs)))
    problems = []
    for config, refusal in zip(configs, refusals, strict=True):
        SEEN["helm refuses" if refusal else "helm renders"] += 1
        problem = _disagreement(config, refusal)
        if problem:
            problems.append(f"{json.dumps(config)}\n    {problem}")
    assert not problems, "\n".join(problems)


def test_the_batches_covered_both_outcomes() -> None:
    """Runs after the differential test (file order): a generator that only made broken (or only
    valid) configs would prove nothing."""
    if sum(SEEN.values()) == 0:
        pytest.skip("the differential test did not run in this session")
    assert min(SEEN.values()) >= sum(SEEN.values()) // 10, SEEN


@pytest.mark.parametrize(("stderr", "paths"), [
    ("- at '/backend': additional properties 'enableNvidai', 'modle' not allowed",
     {"backend.enableNvidai", "backend.modle"}),
    ("- at '/backend/server/resources/limits/nvidia.com~1gpu': got number",
     {"backend.server.resources.limits.nvidia.com/gpu"}),
    ("- at '/backend/models/0': got number, want string", {"backend.models[0]"}),
    ("- at '/backend/server/extraEnv/0': missing property 'name'", {"backend.server.extraEnv[0].name"}),
    ("- at '/api/image/imagePullSecrets/0': 'anyOf' failed\n"
     "  - at '/api/image/imagePullSecrets/0': got object, want string\n"
     "  - at '/api/image/imagePullSecrets/0': missing property 'name'", {"api.image.imagePullSecrets[0]"}),
    ("Error: execution error at (deepseek/charts/backend/templates/x.yaml:12:8): backend.model.tag: The ollama",
     {"backend.model.tag"}),
    ("- at '/api/manager/resources/limits': validation failed\n"
     "  - at '/api/manager/resources/limits/example.com~1fpga': '1Gi' does not match pattern '^[0-9]+$'\n"
     "  - at '': invalid propertyName 'zone'\n"
     "    - at '': 'zone' does not match pattern '^(cpu)$'",
     {"api.manager.resources.limits.example.com/fpga", "*.zone"}),
], ids=["extra", "escaped", "index", "missing", "anyOf", "fail", "nested"])
def test_helm_paths_are_read_from_its_errors(stderr: str, paths: set[str]) -> None:
    assert helm_paths(stderr) == paths
