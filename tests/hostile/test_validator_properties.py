"""Properties of the config validator: whatever document arrives, the answer is structured.

"Structured" means: ``parse_config_text`` returns a dict or raises ``ConfigParseError`` (with an
English and a Chinese message); ``validate_config`` never raises and returns ``valid``/``errors``/
``warnings`` whose items carry ``path``, ``code`` and ``message`` in both languages; ``resolve_config``
returns a dict or raises ``ConfigInvalid`` holding such a report. Any other exception is a bug a
user would meet as a 500 from the API or a traceback from the CLI.

Example counts (``EXAMPLES``): each property runs 300 generated documents; together about 1,200
documents in a few seconds. Three generators aim at different layers: raw text (the parser), YAML
syntax fragments with anchors, aliases, merge keys and tags (the safe loader and the expansion
guard), and the defaults with random values planted at real key paths (type checks and sizing,
where a wrong type reaching arithmetic would raise).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import yaml
from deepseek_ext.adapters.files import load_catalog, load_defaults, load_messages, load_values_schema
from deepseek_ext.core.config import ConfigInvalid, resolve_config
from deepseek_ext.core.validation import ConfigParseError, parse_config_text, validate_config
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

SCHEMA = load_values_schema()

EXAMPLES = 300
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                    derandomize=False)


@cache
def _defaults() -> dict[str, Any]:
    return load_defaults()


@cache
def _catalog() -> Any:
    return load_catalog()


def _key_paths(tree: Any, prefix: str = "") -> list[str]:
    out = []
    if isinstance(tree, dict):
        for key, value in tree.items():
            path = f"{prefix}.{key}" if prefix else key
            out.append(path)
            out.extend(_key_paths(value, path))
    return out


def _assert_item(item: dict[str, Any]) -> None:
    assert isinstance(item.get("code"), str) and item["code"], item
    assert "path" in item, item
    assert isinstance(item["message"]["en"], str) and item["message"]["en"], item
    assert isinstance(item["message"]["zh"], str) and item["message"]["zh"], item


def _assert_structured(values: Any) -> None:
    report = validate_config(values, defaults=_defaults(), catalog=_catalog(), schema=SCHEMA).to_dict(load_messages())
    assert set(report) >= {"valid", "errors", "warnings"}
    assert isinstance(report["valid"], bool)
    assert report["valid"] == (not report["errors"])
    for item in report["errors"] + report["warnings"]:
        _assert_item(item)
    try:
        resolved = resolve_config(values, defaults=_defaults(), catalog=_catalog(), schema=SCHEMA)
    except ConfigInvalid as exc:
        assert not report["valid"], "resolve refused a config that validate accepted"
        for item in exc.report.to_dict(load_messages())["errors"]:
            _assert_item(item)
    else:
        assert report["valid"], "resolve accepted a config that validate refused"
        assert isinstance(resolved, dict) and "backend" in resolved


def _parse_or_structured_error(text: str) -> dict[str, Any] | None:
    try:
        return parse_config_text(text)
    except ConfigParseError as exc:
        body = exc.to_dict(load_messages())
        assert body["message"]["en"] and body["message"]["zh"], body
        return None


# --- generators --------------------------------------------------------------------------------
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
    st.sampled_from(["1.5b", "3b", "671b", "8Gi", "0", "-1", "1e400", "Infinity", ".nan", "100m", "1.5",
                     "ReadWriteMany", "nvidia.com/gpu", "", " ", "yes", "~", "0x10", "deepseek-r1:7b", "24Gi",
                     "8192", "q4_0", "f16", "99999999999999999999Ti"]),
)
values_tree = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.text(max_size=12), inner, max_size=4)),
    max_leaves=12,
)

YAML_FRAGMENTS = ["a: ", "b:\n  ", "- ", "&x ", "*x", "<<: *x\n", "!!binary ", "!!set ", "!!python/object ",
                  "{", "}", "[", "]", ", ", "? ", ": ", "|\n  ", ">\n  ", "'", '"', "\n", "  ", "# c\n",
                  "---\n",
                  "...\n", "%YAML 1.1\n", "!!int ", "!!float ", "!!str ", "!!map ", "!!seq ", "1e309", "null",
                  "backend:\n  model:\n    tag: ", "tag: ", "\t", "\x00", "\ufeff", "&y [*x, *x, *x]\n"]


@st.composite
def yaml_like(draw: st.DrawFn) -> str:
    return "".join(draw(st.lists(st.sampled_from(YAML_FRAGMENTS) | st.text(max_size=6), max_size=30)))


@st.composite
def planted_defaults(draw: st.DrawFn) -> dict[str, Any]:
    """A config that sets 1-4 real keys of values.yaml to arbitrary values (in YAML round trip)."""
    paths = _key_paths(_defaults())
    config: dict[str, Any] = {}
    for path in draw(st.lists(st.sampled_from(paths), min_size=1, max_size=4)):
        node = config
        parts = path.split(".")
        for part in parts[:-1]:
            child = node.get(part)
            if not isinstance(child, dict):
                child = node[part] = {}
            node = child
        node[parts[-1]] = draw(values_tree)
    return config


# --- properties ---------------------------------------------------------------------------------
@SETTINGS
@example("\x1f")  # was a yaml.ReaderError escaping (fixed in 9d7550f); kept as a regression example
@given(st.text(max_size=400))
def test_any_text_parses_or_fails_with_a_bilingual_message(text: str) -> None:
    values = _parse_or_structured_error(text)
    if values is not None:
        _assert_structured(values)


@SETTINGS
@example("a: \x1f")
@example("a: !!int ")  # constructor errors escaped as IndexError (fixed); regression example
@example("a: !!timestamp nope")
@given(yaml_like())
def test_yaml_syntax_soup_with_aliases_and_tags_gets_a_structured_answer(text: str) -> None:
    values = _parse_or_structured_error(text)
    if values is not None:
        _assert_structured(values)


@SETTINGS
@example({"backend": {"model": {"kvCacheType": ["a"]}}})  # was a TypeError (unhashable; fixed)
@given(planted_defaults())
def test_any_value_at_any_real_key_gets_a_structured_answer(config: dict[str, Any]) -> None:
    try:
        text = yaml.safe_dump(config, allow_unicode=True)
    except yaml.YAMLError:
        return  # not representable as YAML at all: nothing a user could send
    values = _parse_or_structured_error(text)
    if values is not None:
        _assert_structured(values)


@SETTINGS
@given(values_tree)
def test_any_document_shape_gets_a_structured_answer(document: Any) -> None:
    """Top-level lists, scalars and maps with arbitrary keys, straight into the validator."""
    if isinstance(document, dict):
        _assert_structured(document)
    else:
        report = validate_config(document, defaults=_defaults(), catalog=_catalog(), schema=SCHEMA)
        report = report.to_dict(load_messages())
        assert report["valid"] is False and report["errors"], report
        for item in report["errors"]:
            _assert_item(item)
