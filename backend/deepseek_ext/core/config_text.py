"""Config text (YAML or JSON) to a mapping, safely. Pure.

``parse_config_text`` bounds what a document may cost before anything is built from it: its size,
its nesting and the expansion of YAML aliases ("billion laughs"), and it keeps only JSON types.
Every refusal is a :class:`ConfigParseError` carrying a ``config.unreadable.*`` catalog message,
never a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import yaml

from deepseek_ext.core.messages import Message, MessageCatalog, Text

MAX_CONFIG_BYTES = 1024 * 1024
MAX_NODES = 20000
"""Largest config, counted as nodes after alias expansion: values.yaml has a few hundred."""
MAX_DEPTH = 32


class ConfigParseError(ValueError):
    """The config text cannot be used; ``message`` says why (key ``config.unreadable.<reason>``)."""

    code = "UnreadableConfig"

    def __init__(self, reason: str, **params: Any) -> None:
        self.message = Message(f"config.unreadable.{reason}", params)
        super().__init__(f"{self.message.key} {params}" if params else self.message.key)

    def texts(self, catalog: MessageCatalog) -> Text:
        return catalog.render(self.message)

    def to_dict(self, catalog: MessageCatalog) -> dict[str, Any]:
        return {"code": self.code, "message": self.texts(catalog)}



class _Loader(yaml.SafeLoader):
    """SafeLoader without the timestamp resolver: `tag: 2025-01-01` stays text, as Helm keeps it."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def kind_of(value: Any) -> Message:
    """The kind of a value in words people use (``validation.type.*``), never a Python type name."""
    if value is None:
        kind = "null"
    elif isinstance(value, bool):
        kind = "boolean"
    elif isinstance(value, (int, float)):
        kind = "number"
    elif isinstance(value, str):
        kind = "string"
    elif isinstance(value, Mapping):
        kind = "object"
    elif isinstance(value, (list, tuple)):
        kind = "array"
    else:
        kind = "other"
    return Message(f"validation.type.{kind}")


# PyYAML's problem texts (yaml/scanner.py, yaml/parser.py, yaml/composer.py) to a plain hint.
_HINTS = (
    ("found character '\\t'", "tab"),
    ("mapping values are not allowed", "indentation"),
    ("expected <block end>", "indentation"),
    ("did not find expected key", "indentation"),
    ("expected <document start>", "indentation"),
    ("could not find expected ':'", "missingColon"),
    ("end of stream", "unclosedQuote"),
    ("quoted scalar", "unclosedQuote"),
    ("expected ',' or ']'", "unclosedBracket"),
    ("expected ',' or '}'", "unclosedBracket"),
    ("flow sequence", "unclosedBracket"),
    ("flow mapping", "unclosedBracket"),
    ("undefined alias", "alias"),
    ("special characters are not allowed", "control"),
)


def yaml_hint(*texts: str | None) -> Message:
    """A plain hint (``config.hint.*``) for PyYAML's problem and context texts."""
    joined = " ".join(t for t in texts if t)
    for needle, hint in _HINTS:
        if needle in joined:
            return Message(f"config.hint.{hint}")
    return Message("config.hint.other")


def _too_deep() -> ConfigParseError:
    return ConfigParseError("tooDeep", max=MAX_DEPTH)


def _check_graph(root: yaml.Node) -> None:
    """Reject documents whose alias expansion or nesting is unbounded, before constructing anything.

    Composing is linear in the text (aliases are shared nodes); the danger is in expanding them
    ("billion laughs"). Expanded size is computed with memoisation, so this check is linear too.
    """
    memo: dict[int, tuple[int, int]] = {}
    active: set[int] = set()

    def visit(node: yaml.Node) -> tuple[int, int]:
        """(expanded size, height) of the subtree under ``node``."""
        key = id(node)
        if key in memo:
            return memo[key]
        if key in active:
            raise ConfigParseError("recursiveAlias")
        active.add(key)
        children: list[yaml.Node] = []
        if isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        size, height = 1, 0
        for child in children:
            child_size, child_height = visit(child)
            size += child_size
            height = max(height, child_height + 1)
            if size > MAX_NODES:
                raise ConfigParseError("tooManyValues", max=MAX_NODES)
            if height > MAX_DEPTH:
                raise _too_deep()
        active.discard(key)
        memo[key] = (size, height)
        return size, height

    visit(root)


def _check_json_depth(value: Any, depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        raise _too_deep()
    if isinstance(value, Mapping):
        for v in value.values():
            _check_json_depth(v, depth + 1)
    elif isinstance(value, list):
        for v in value:
            _check_json_depth(v, depth + 1)


def _plain(value: Any) -> Any:
    """Keep only JSON types; `!!binary` or `!!set` values are not config."""
    if isinstance(value, Mapping):
        return {str(k) if not isinstance(k, str) else k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise ConfigParseError("unsupportedType", type=kind_of(value))


def parse_config_text(text: str) -> dict[str, Any]:
    """A config document (YAML or JSON) as a dict; an empty document is ``{}``. Raises ConfigParseError."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_CONFIG_BYTES:
        raise ConfigParseError("tooLarge", max=MAX_CONFIG_BYTES)
    stripped = text.lstrip()
    data: Any
    if stripped.startswith("{"):
        try:
            data = json.loads(text)
            _check_json_depth(data)
        except RecursionError:
            raise _too_deep() from None
        except json.JSONDecodeError:
            data = _load_yaml(text)  # flow-style YAML also starts with "{"
    else:
        data = _load_yaml(text)
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise ConfigParseError("notAMap", type=kind_of(data))
    result: dict[str, Any] = _plain(data)
    return result


def _flow_depth_exceeded(text: str) -> bool:
    """True when ``[``/``{`` open deeper than twice MAX_DEPTH anywhere.

    PyYAML's scanner is quadratic in flow nesting (5000 ``[`` take seconds), so this linear pre-scan
    runs first. It ignores quoting, hence the generous bound: brackets inside strings rarely nest.
    """
    depth = 0
    for char in text:
        if char in "[{":
            depth += 1
            if depth > 2 * MAX_DEPTH:
                return True
        elif char in "]}" and depth:
            depth -= 1
    return False


def _load_yaml(text: str) -> Any:
    if _flow_depth_exceeded(text):
        raise _too_deep()
    try:
        # The reader rejects control characters (a NUL byte, say) already while being constructed.
        loader = _Loader(text)
    except yaml.YAMLError as exc:
        raise ConfigParseError("syntax", hint=yaml_hint(str(exc)), detail=str(exc)) from None
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_graph(node)
        return loader.construct_document(node)
    except ConfigParseError:
        raise  # the graph check's own refusal (it is a ValueError, caught below otherwise)
    except yaml.MarkedYAMLError as exc:
        # PyYAML's own text stays in ``detail`` (evidence, English only); people read the hint.
        mark = exc.problem_mark
        problem = exc.problem or exc.context or "invalid YAML"
        hint = yaml_hint(exc.problem, exc.context)
        if mark is None:
            raise ConfigParseError("syntax", hint=hint, detail=problem) from None
        raise ConfigParseError("syntaxAt", line=mark.line + 1, column=mark.column + 1, hint=hint,
                               detail=problem) from None
    except yaml.YAMLError as exc:
        raise ConfigParseError("syntax", hint=yaml_hint(str(exc)), detail=str(exc)) from None
    except RecursionError:
        raise _too_deep() from None
    except (ValueError, IndexError, KeyError, TypeError, AttributeError, OverflowError) as exc:
        # PyYAML's constructors for explicit tags (`!!int ` empty, `!!timestamp nope`) raise plain
        # Python errors instead of YAMLError.
        raise ConfigParseError("taggedValue", detail=f"{type(exc).__name__}: {exc}") from None
    finally:
        loader.dispose()
