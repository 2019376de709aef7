"""Files: the catalog, the default values and user config files. The only file I/O of the sizing code.

Where each file is found, first hit wins:
  catalog   argument -> $DEEPSEEK_CATALOG -> charts/backend/files/catalog.yaml of this checkout
            -> /app/catalog.yaml (the API image)
  defaults  argument -> $DEEPSEEK_DEFAULTS -> values.yaml of this checkout -> /app/values.yaml
  messages  $DEEPSEEK_MESSAGES -> charts/backend/files/messages.yaml of this checkout
            -> /app/messages.yaml (the API image); read once per process
Errors are FileLoadError with an English and a Chinese message, never a traceback.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

import yaml

from deepseek_ext.core.catalog import Catalog, CatalogError, parse_catalog
from deepseek_ext.core.messages import MessageCatalog, MessageCatalogError, parse_messages
from deepseek_ext.core.validation import ConfigParseError, parse_config_text

# backend/deepseek_ext/adapters/files.py -> the repository root (a source checkout or `pip install -e`).
_REPO = Path(__file__).resolve().parents[3]
CATALOG_CANDIDATES = (_REPO / "charts/backend/files/catalog.yaml", Path("/app/catalog.yaml"))
DEFAULTS_CANDIDATES = (_REPO / "values.yaml", Path("/app/values.yaml"))
MESSAGES_CANDIDATES = (_REPO / "charts/backend/files/messages.yaml", Path("/app/messages.yaml"))


class FileLoadError(ValueError):
    """A file is missing, unreadable or not what it should be; messages in English and Chinese."""

    def __init__(self, message_en: str, message_zh: str) -> None:
        super().__init__(message_en)
        self.message_en = message_en
        self.message_zh = message_zh

    def to_dict(self) -> dict[str, Any]:
        return {"code": "UnreadableFile", "message": {"en": self.message_en, "zh": self.message_zh}}


def _find(
    path: str | os.PathLike[str] | None, env_var: str, candidates: tuple[Path, ...], what: str, what_zh: str
) -> Path:
    if path:
        return Path(path)
    if os.environ.get(env_var):
        return Path(os.environ[env_var])
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    tried = ", ".join(str(c) for c in candidates)
    raise FileLoadError(
        f"{what} not found (tried {tried}); set {env_var} to its path",
        f"找不到{what_zh} (已尝试 {tried}); 请将 {env_var} 设为其路径",
    )


def read_text(path: str | os.PathLike[str]) -> str:
    """The UTF-8 text of a file, with a clear error for every way reading can fail."""
    p = Path(path)
    try:
        return p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FileLoadError(f"{p}: no such file", f"{p}: 文件不存在") from None
    except IsADirectoryError:
        raise FileLoadError(f"{p}: is a directory, not a file", f"{p}: 是目录而不是文件") from None
    except PermissionError:
        raise FileLoadError(f"{p}: permission denied", f"{p}: 没有读取权限") from None
    except UnicodeDecodeError:
        raise FileLoadError(f"{p}: not UTF-8 text", f"{p}: 不是 UTF-8 文本") from None
    except OSError as exc:
        raise FileLoadError(
            f"{p}: cannot be read ({exc.strerror})", f"{p}: 无法读取 ({exc.strerror})"
        ) from None


def load_catalog(path: str | os.PathLike[str] | None = None) -> Catalog:
    """The model catalog (see the module docstring for where it is looked up)."""
    found = _find(path, "DEEPSEEK_CATALOG", CATALOG_CANDIDATES, "the model catalog", "模型目录")
    text = read_text(found)
    try:
        return parse_catalog(yaml.safe_load(text))
    except yaml.YAMLError as exc:
        raise FileLoadError(
            f"{found}: the model catalog is not valid YAML ({exc})",
            f"{found}: 模型目录不是有效的 YAML ({exc})",
        ) from None
    except CatalogError as exc:
        raise FileLoadError(f"{found}: {exc}", f"{found}: 模型目录格式错误: {exc}") from None


def load_defaults(path: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """The default config (the extension's top-level values.yaml)."""
    found = _find(
        path, "DEEPSEEK_DEFAULTS", DEFAULTS_CANDIDATES, "the default values.yaml", "默认配置 values.yaml"
    )
    try:
        return parse_config_text(read_text(found))
    except ConfigParseError as exc:
        raise FileLoadError(f"{found}: {exc.message_en}", f"{found}: {exc.message_zh}") from None


def load_config_file(path: str | os.PathLike[str]) -> dict[str, Any]:
    """A user config file (YAML or JSON), parsed safely (bounded aliases and nesting)."""
    try:
        return parse_config_text(read_text(path))
    except ConfigParseError as exc:
        raise FileLoadError(f"{path}: {exc.message_en}", f"{path}: {exc.message_zh}") from None


@functools.cache
def load_messages() -> MessageCatalog:
    """The message catalog every sentence comes from (see the module docstring for where it is).

    It ships with the code, so it is read once per process; a broken catalog is a packaging bug and
    fails loudly in English (it cannot be rendered from itself).
    """
    found = _find(None, "DEEPSEEK_MESSAGES", MESSAGES_CANDIDATES, "the message catalog", "消息目录")
    try:
        return parse_messages(yaml.safe_load(read_text(found)))
    except (yaml.YAMLError, MessageCatalogError) as exc:
        raise FileLoadError(f"{found}: {exc}", f"{found}: {exc}") from None
