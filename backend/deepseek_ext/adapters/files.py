"""Files: the catalog, the default values and user config files. The only file I/O of the sizing code.

Where each file is found, first hit wins:
  catalog   argument -> $DEEPSEEK_CATALOG -> charts/backend/files/catalog.yaml of this checkout
            -> /app/catalog.yaml (the API image)
  defaults  argument -> $DEEPSEEK_DEFAULTS -> values.yaml of this checkout -> /app/values.yaml
  schema    argument -> $DEEPSEEK_SCHEMA -> values.schema.json of this checkout -> /app/values.schema.json
            (the file helm applies; read once per process when no argument is given)
  messages  $DEEPSEEK_MESSAGES -> charts/backend/files/messages.yaml of this checkout
            -> /app/messages.yaml (the API image); read once per process
Errors are FileLoadError with a ``file.*`` catalog message, never a traceback.
"""

from __future__ import annotations

import functools
import json
import os
from pathlib import Path
from typing import Any

import yaml
from jsonschema.exceptions import SchemaError

from deepseek_ext.core.catalog import Catalog, CatalogError, parse_catalog
from deepseek_ext.core.config_text import ConfigParseError, parse_config_text
from deepseek_ext.core.messages import (
    LANGUAGES,
    Message,
    MessageCatalog,
    MessageCatalogError,
    Text,
    message,
    parse_messages,
)
from deepseek_ext.core.values_schema import ValuesSchema

# backend/deepseek_ext/adapters/files.py -> the repository root (a source checkout or `pip install -e`).
_REPO = Path(__file__).resolve().parents[3]
CATALOG_CANDIDATES = (_REPO / "charts/backend/files/catalog.yaml", Path("/app/catalog.yaml"))
DEFAULTS_CANDIDATES = (_REPO / "values.yaml", Path("/app/values.yaml"))
SCHEMA_CANDIDATES = (_REPO / "values.schema.json", Path("/app/values.schema.json"))
MESSAGES_CANDIDATES = (_REPO / "charts/backend/files/messages.yaml", Path("/app/messages.yaml"))


class FileLoadError(ValueError):
    """A file is missing, unreadable or not what it should be; ``message`` says why (``file.*`` keys).

    The message catalog itself cannot explain its own absence: that error carries ``literal``
    English text instead (a packaging bug, shown as it is).
    """

    code = "UnreadableFile"

    def __init__(self, msg: Message | None = None, *, literal: str | None = None) -> None:
        self.message = msg
        self.literal = literal
        super().__init__(literal or (f"{msg.key} {dict(msg.params)}" if msg else "unreadable file"))

    def texts(self, catalog: MessageCatalog | None = None) -> Text:
        """Both languages (from the shipped catalog unless given)."""
        if self.message is None:
            return {lang: self.literal or "" for lang in LANGUAGES}
        return (catalog or load_messages()).render(self.message)

    def to_dict(self, catalog: MessageCatalog | None = None) -> dict[str, Any]:
        return {"code": self.code, "message": self.texts(catalog)}


def _find(path: str | os.PathLike[str] | None, env_var: str, candidates: tuple[Path, ...], what: str) -> Path:
    """The file to read; ``what`` names it (``file.what.<what>``) when none is found."""
    if path:
        return Path(path)
    if os.environ.get(env_var):
        return Path(os.environ[env_var])
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    tried = [str(c) for c in candidates]
    raise FileLoadError(message("file.notFound", what=message(f"file.what.{what}"), tried=tried, envVar=env_var))


def read_text(path: str | os.PathLike[str]) -> str:
    """The UTF-8 text of a file, with a clear error for every way reading can fail."""
    p = Path(path)
    try:
        return p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FileLoadError(message("file.noSuchFile", path=str(p))) from None
    except IsADirectoryError:
        raise FileLoadError(message("file.isDirectory", path=str(p))) from None
    except PermissionError:
        raise FileLoadError(message("file.permissionDenied", path=str(p))) from None
    except UnicodeDecodeError:
        raise FileLoadError(message("file.notUtf8", path=str(p))) from None
    except OSError as exc:
        raise FileLoadError(message("file.unreadable", path=str(p), reason=exc.strerror)) from None


SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader where PyYAML was built with it (its wheels are): the same data as
``yaml.safe_load``, read several times faster; the 100 KB message catalog took 0.7 s of every
process start (the CLI, each gunicorn worker, the gateway, the manager) with the pure-Python one."""


def load_yaml(text: str) -> Any:
    """``text`` as ``yaml.safe_load`` reads it (our own data files; a user's config goes through
    ``core.config_text.parse_config_text``'s guarded parser instead)."""
    return yaml.load(text, Loader=SAFE_LOADER)


def load_catalog(path: str | os.PathLike[str] | None = None) -> Catalog:
    """The model catalog (see the module docstring for where it is looked up)."""
    found = _find(path, "DEEPSEEK_CATALOG", CATALOG_CANDIDATES, "catalog")
    text = read_text(found)
    try:
        return parse_catalog(load_yaml(text))
    except yaml.YAMLError as exc:
        raise FileLoadError(message("file.catalogNotYaml", path=str(found), detail=str(exc))) from None
    except CatalogError as exc:
        raise FileLoadError(message("file.catalogInvalid", path=str(found), detail=str(exc))) from None


def config_unreadable(source: str | Message, exc: ConfigParseError) -> FileLoadError:
    """The error for a config document (a file, or ``file.stdin``) that cannot be parsed."""
    return FileLoadError(message("file.configUnreadable", path=source, problem=exc.message))


def load_defaults(path: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """The default config (the extension's top-level values.yaml)."""
    found = _find(path, "DEEPSEEK_DEFAULTS", DEFAULTS_CANDIDATES, "defaults")
    try:
        return parse_config_text(read_text(found))
    except ConfigParseError as exc:
        raise config_unreadable(str(found), exc) from None


def load_values_schema(path: str | os.PathLike[str] | None = None) -> ValuesSchema:
    """values.schema.json, compiled: the structural rules of every config (the same file helm applies)."""
    found = _find(path, "DEEPSEEK_SCHEMA", SCHEMA_CANDIDATES, "schema")
    return _compiled_schema(str(found.resolve()) if found.exists() else str(found))


@functools.cache
def _compiled_schema(path: str) -> ValuesSchema:
    text = read_text(path)
    try:
        return ValuesSchema.from_document(json.loads(text))
    except (json.JSONDecodeError, SchemaError, TypeError) as exc:
        raise FileLoadError(message("file.schemaInvalid", path=path, detail=str(exc).splitlines()[0])) from None


def load_config_file(path: str | os.PathLike[str]) -> dict[str, Any]:
    """A user config file (YAML or JSON), parsed safely (bounded aliases and nesting)."""
    try:
        return parse_config_text(read_text(path))
    except ConfigParseError as exc:
        raise config_unreadable(str(path), exc) from None


@functools.cache
def load_messages() -> MessageCatalog:
    """The message catalog every sentence comes from (see the module docstring for where it is).

    It ships with the code, so it is read once per process; a broken catalog is a packaging bug and
    fails loudly in English (it cannot be rendered from itself).
    """
    env = os.environ.get("DEEPSEEK_MESSAGES")
    found = Path(env) if env else next((c for c in MESSAGES_CANDIDATES if c.is_file()), None)
    if found is None:
        tried = ", ".join(str(c) for c in MESSAGES_CANDIDATES)
        raise FileLoadError(literal=f"the message catalog not found (tried {tried}); set DEEPSEEK_MESSAGES to its path")
    try:
        return parse_messages(load_yaml(found.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, yaml.YAMLError, MessageCatalogError) as exc:
        raise FileLoadError(literal=f"{found}: {exc}") from None
