"""The message catalog: every sentence a person reads, keyed by code, in English and Chinese. Pure.

Code carries a :class:`Message` (a catalog key and named parameters), never a sentence; the edge
(API views, the CLI, the manager's records) renders it with :meth:`MessageCatalog.render`.
The catalog itself is data (``charts/backend/files/messages.yaml``), read by Python through
``deepseek_ext.adapters.files.load_messages`` and by the chart through the ``deepseek.message``
helper, so both say the same thing (the shape follows marshmallow's ``default_error_messages``
and the console's ``locales/{en,zh}``).

Templates use ``{name}`` placeholders and nothing else (no format specs: the chart substitutes
them with ``replace``); ``{{`` and ``}}`` stand for literal braces. A parameter may be:

- a string or a number, shown as it is;
- a list, joined with ", " in English and "、" in Chinese;
- a :class:`Message`, rendered in the same language (a phrase such as a unit or a state);
- None, shown as an empty string.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

LANGUAGES = ("en", "zh")
"""The languages of every entry; ``en`` is the fallback."""

_LIST_SEPARATOR = {"en": ", ", "zh": "、"}
_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9][A-Za-z0-9_-]*)*$")
_PLACEHOLDER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

Text = dict[str, str]
"""A rendered message: ``{"en": ..., "zh": ...}`` (the JSON shape of every bilingual field)."""


class MessageCatalogError(ValueError):
    """The catalog data is malformed (a missing language, a bad key or placeholder)."""


@dataclass(frozen=True)
class Message:
    """A sentence to be rendered: a catalog key and its named parameters."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)


def message(key: str, **params: Any) -> Message:
    """Shorthand: ``message("phase.Ready")``, ``message("error.NotFound", path="/x")``."""
    return Message(key, params)


def placeholders(template: str) -> set[str]:
    """The ``{name}`` placeholders of one template (tests compare them across languages)."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def _check_template(key: str, lang: str, template: str) -> None:
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise MessageCatalogError(f"{key}.{lang}: {exc} (write {{{{ for a literal brace)") from None
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if not _PLACEHOLDER.match(name) or spec or conversion:
            raise MessageCatalogError(
                f"{key}.{lang}: placeholder {{{name}{'!' + conversion if conversion else ''}"
                f"{':' + spec if spec else ''}}} is not a plain {{name}}"
            )


class MessageCatalog:
    """Templates by key and language; renders :class:`Message` values."""

    def __init__(self, entries: Mapping[str, Mapping[str, str]]) -> None:
        self._entries: dict[str, dict[str, str]] = {}
        for key, texts in entries.items():
            if not isinstance(key, str) or not _KEY.match(key):
                raise MessageCatalogError(f"{key!r}: a key is dotted words, e.g. finding.PvcMissing.fix")
            if not isinstance(texts, Mapping) or set(texts) != set(LANGUAGES):
                got = sorted(texts) if isinstance(texts, Mapping) else type(texts).__name__
                raise MessageCatalogError(f"{key}: needs exactly the languages {', '.join(LANGUAGES)}, got {got}")
            for lang, template in texts.items():
                if not isinstance(template, str) or not template.strip():
                    raise MessageCatalogError(f"{key}.{lang}: must be non-empty text")
                _check_template(key, lang, template)
            self._entries[key] = {lang: str(texts[lang]).strip() for lang in LANGUAGES}

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def keys(self) -> Iterable[str]:
        return self._entries.keys()

    def template(self, key: str, lang: str) -> str:
        try:
            return self._entries[key][lang if lang in LANGUAGES else "en"]
        except KeyError:
            raise KeyError(f"message {key!r} is not in the catalog") from None

    def text(self, msg: Message | str, lang: str) -> str:
        """One language of ``msg`` (a Message or a bare key without parameters)."""
        if isinstance(msg, str):
            msg = Message(msg)
        params = {name: self._param(value, lang) for name, value in msg.params.items()}
        template = self.template(msg.key, lang)
        missing = placeholders(template) - params.keys()
        if missing:
            raise KeyError(f"message {msg.key!r} needs the parameters {', '.join(sorted(missing))}")
        return template.format_map(params)

    def render(self, msg: Message | str) -> Text:
        """Both languages of ``msg``: the ``{"en": ..., "zh": ...}`` every bilingual field carries."""
        return {lang: self.text(msg, lang) for lang in LANGUAGES}

    def _param(self, value: Any, lang: str) -> str:
        if value is None:
            return ""
        if isinstance(value, Message):
            return self.text(value, lang)
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, Sequence) and not isinstance(value, str):
            return _LIST_SEPARATOR[lang].join(self._param(v, lang) for v in value)
        return str(value)


def parse_messages(data: Any) -> MessageCatalog:
    """The catalog from its parsed YAML (a mapping ``key -> {en, zh}``)."""
    if not isinstance(data, Mapping):
        raise MessageCatalogError("the message catalog must be a mapping of keys to {en, zh}")
    return MessageCatalog(data)
