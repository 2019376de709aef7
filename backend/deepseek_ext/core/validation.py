"""Validation of a user config (the Extension Center config, i.e. values.yaml overrides). Pure.

``parse_config_text`` turns text (YAML or JSON) into a mapping safely; ``validate_config`` merges it
over the defaults the way Helm does and returns every problem as a Finding with a stable code, the
config path in dot notation and a message in English and Chinese. The errors are exactly the
configurations the chart refuses to render (same rules, see deepseek_ext.core.sizing), plus the
type checks of values.schema.json for the keys sizing reads, plus warnings.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from deepseek_ext.core.catalog import Catalog, parse_version
from deepseek_ext.core.findings import Finding, FindingCode, error, warning
from deepseek_ext.core.messages import MessageCatalog
from deepseek_ext.core.quantity import QuantityError, parse_quantity, quantity_text
from deepseek_ext.core.sizing import (
    DEFAULT_CONTEXT,
    GPU_RESOURCES,
    KV_NIBBLES,
    SizingOutcome,
    accelerator,
    compute_sizing,
    ollama_tag,
)

MAX_CONFIG_BYTES = 1024 * 1024
MAX_NODES = 20000
"""Largest config, counted as nodes after alias expansion: values.yaml has a few hundred."""
MAX_DEPTH = 32
REASONING_CONTEXT = 8192
ACCESS_MODES = ("ReadWriteOnce", "ReadWriteMany", "ReadWriteOncePod", "ReadOnlyMany")


class ConfigParseError(ValueError):
    """The config text cannot be used; ``message_en``/``message_zh`` say why (never a traceback)."""

    def __init__(self, message_en: str, message_zh: str) -> None:
        super().__init__(message_en)
        self.message_en = message_en
        self.message_zh = message_zh

    def to_dict(self) -> dict[str, Any]:
        return {"code": "UnreadableConfig", "message": {"en": self.message_en, "zh": self.message_zh}}


class _Loader(yaml.SafeLoader):
    """SafeLoader without the timestamp resolver: `tag: 2025-01-01` stays text, as Helm keeps it."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


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
            raise ConfigParseError("the document contains a recursive alias", "文档包含递归引用 (alias)")
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
                raise ConfigParseError(
                    f"the document expands to more than {MAX_NODES} values (YAML aliases are expanded); a "
                    "config "
                    "never needs that many",
                    f"文档展开后超过 {MAX_NODES} 个值 (YAML 引用会被展开); 正常配置不会这么大",
                )
            if height > MAX_DEPTH:
                raise ConfigParseError(
                    f"the document is nested deeper than {MAX_DEPTH} levels", f"文档嵌套超过 {MAX_DEPTH} 层"
                )
        active.discard(key)
        memo[key] = (size, height)
        return size, height

    visit(root)


def _check_json_depth(value: Any, depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        raise ConfigParseError(
            f"the document is nested deeper than {MAX_DEPTH} levels", f"文档嵌套超过 {MAX_DEPTH} 层"
        )
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
    raise ConfigParseError(
        f"unsupported value type {type(value).__name__} (only text, numbers, booleans, lists and maps)",
        f"不支持的值类型 {type(value).__name__} (只支持文本、数字、布尔、列表和映射)",
    )


def parse_config_text(text: str) -> dict[str, Any]:
    """A config document (YAML or JSON) as a dict; an empty document is ``{}``. Raises ConfigParseError."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_CONFIG_BYTES:
        raise ConfigParseError(
            f"the document is larger than {MAX_CONFIG_BYTES} bytes", f"文档超过 {MAX_CONFIG_BYTES} 字节"
        )
    stripped = text.lstrip()
    data: Any
    if stripped.startswith("{"):
        try:
            data = json.loads(text)
            _check_json_depth(data)
        except RecursionError:
            raise ConfigParseError(
                f"the document is nested deeper than {MAX_DEPTH} levels", f"文档嵌套超过 {MAX_DEPTH} 层"
            ) from None
        except json.JSONDecodeError:
            data = _load_yaml(text)  # flow-style YAML also starts with "{"
    else:
        data = _load_yaml(text)
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        kind = "a list" if isinstance(data, list) else f"a {type(data).__name__}"
        raise ConfigParseError(
            f"the top level must be a map of keys (like values.yaml), got {kind}",
            f"顶层必须是键值映射 (与 values.yaml 相同), 实际是 {kind}",
        )
    return _plain(data)


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
        raise ConfigParseError(
            f"the document is nested deeper than {MAX_DEPTH} levels", f"文档嵌套超过 {MAX_DEPTH} 层"
        )
    try:
        # The reader rejects control characters (a NUL byte, say) already while being constructed.
        loader = _Loader(text)
    except yaml.YAMLError as exc:
        raise ConfigParseError(f"not valid YAML or JSON: {exc}", f"不是有效的 YAML 或 JSON: {exc}") from None
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_graph(node)
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = exc.problem or exc.context or "invalid YAML"
        raise ConfigParseError(
            f"not valid YAML or JSON{where}: {problem}",
            f"不是有效的 YAML 或 JSON{where.replace(' at line', ' (行').replace(', column', ', 列')}"
            f"{')' if where else ''}: {problem}",
        ) from None
    except yaml.YAMLError as exc:
        raise ConfigParseError(f"not valid YAML or JSON: {exc}", f"不是有效的 YAML 或 JSON: {exc}") from None
    except RecursionError:
        raise ConfigParseError(
            f"the document is nested deeper than {MAX_DEPTH} levels", f"文档嵌套超过 {MAX_DEPTH} 层"
        ) from None
    except (ValueError, IndexError, KeyError, TypeError, AttributeError, OverflowError) as exc:
        # PyYAML's constructors for explicit tags (`!!int ` empty, `!!timestamp nope`) raise plain
        # Python errors instead of YAMLError.
        raise ConfigParseError(
            f"not valid YAML or JSON: a tagged value cannot be read ({type(exc).__name__}: {exc})",
            f"不是有效的 YAML 或 JSON: 带类型标签的值无法读取 ({type(exc).__name__}: {exc})",
        ) from None
    finally:
        loader.dispose()


def merge_values(defaults: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """Helm's coalescing: maps merge key by key, anything else replaces, and null deletes a default."""
    out: dict[str, Any] = {k: _copy(v) for k, v in defaults.items()}
    for key, value in values.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merge_values(out[key], value)
        else:
            out[key] = _copy(value)
    return out


def _copy(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _copy(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


@dataclass
class ValidationReport:
    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    effective: dict[str, Any] = field(default_factory=dict)
    """The merged values (defaults + config) the rules ran on."""
    sizing: SizingOutcome | None = None

    @property
    def valid(self) -> bool:
        return not self.errors

    def to_dict(self, catalog: MessageCatalog | None = None) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "errors": [f.to_dict(catalog) for f in self.errors],
            "warnings": [f.to_dict(catalog) for f in self.warnings],
        }


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "boolean", int: "integer", float: "number", str: "string", list: "list", dict: "map"}.get(
        type(value), type(value).__name__
    )


def _invalid(path: str, value: Any, allowed_en: str, allowed_zh: str) -> Finding:
    given = json.dumps(value, ensure_ascii=False, default=str)
    return error(
        FindingCode.INVALID_VALUE,
        path,
        f"{path} is {given} ({_type_name(value)}); allowed: {allowed_en}.",
        f"{path} 的值 {given} ({_type_name(value)}) 无效; 允许: {allowed_zh}。",
        given=value,
        allowed=allowed_en,
    )


def _get(tree: Mapping[str, Any], path: str) -> tuple[bool, Any]:
    node: Any = tree
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return False, None
        node = node[part]
    return True, node


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _type_findings(effective: Mapping[str, Any]) -> list[Finding]:
    """The values.schema.json rules for the keys sizing reads, with messages that say what is allowed."""
    found: list[Finding] = []

    def check(path: str, ok: Any, allowed_en: str, allowed_zh: str) -> None:
        present, value = _get(effective, path)
        if present and not ok(value):
            found.append(_invalid(path, value, allowed_en, allowed_zh))

    for section in (
        "global",
        "backend",
        "backend.model",
        "backend.server",
        "backend.server.image",
        "backend.gpu",
        "backend.persistence",
        "backend.server.autoscaling",
    ):
        check(section, lambda v: isinstance(v, Mapping), "a map of keys", "键值映射")
    if found:
        return found  # nothing below can be read safely
    check(
        "backend.model.repository",
        lambda v: isinstance(v, str) and v != "",
        "a non-empty text, e.g. deepseek-r1",
        "非空文本, 例如 deepseek-r1",
    )
    check(
        "backend.model.registry",
        lambda v: isinstance(v, str),
        "a registry path, e.g. registry.ollama.ai/library",
        "仓库路径, 例如 registry.ollama.ai/library",
    )
    check(
        "backend.model.tag",
        lambda v: isinstance(v, (str, int, float)) and not isinstance(v, bool),
        "a tag such as 7b",
        "标签, 例如 7b",
    )
    check(
        "backend.model.contextLength",
        lambda v: _is_int(v) and 512 <= v <= 1048576,
        "an integer from 512 to 1048576, e.g. 8192",
        "512 到 1048576 之间的整数, 例如 8192",
    )
    check(
        "backend.model.parallel",
        lambda v: _is_int(v) and 1 <= v <= 64,
        "an integer from 1 to 64",
        "1 到 64 之间的整数",
    )
    check(
        "backend.model.kvCacheType",
        lambda v: isinstance(v, str) and v in KV_NIBBLES,
        "one of f16, q8_0, q4_0",
        "f16、q8_0、q4_0 之一",
    )
    check(
        "backend.model.keepAlive",
        lambda v: isinstance(v, (str, int)) and not isinstance(v, bool),
        'a duration such as "-1", "30m" or seconds',
        '时长, 例如 "-1"、"30m" 或秒数',
    )
    check("backend.model.pull", lambda v: isinstance(v, bool), "true or false", "true 或 false")
    check(
        "backend.models",
        lambda v: isinstance(v, list) and all(isinstance(x, str) and x.strip() for x in v),
        "a list of model names, e.g. [deepseek-r1:7b]",
        "模型名称列表, 例如 [deepseek-r1:7b]",
    )
    for key in ("enableNvidia", "enableAMD"):
        check(f"backend.{key}", lambda v: isinstance(v, bool), "true or false", "true 或 false")
    check("backend.server.replicas", lambda v: _is_int(v) and v >= 0, "an integer >= 0", "大于等于 0 的整数")
    check(
        "backend.server.image.tag",
        lambda v: isinstance(v, (str, int, float)) and not isinstance(v, bool),
        "an image tag such as 0.32.15, or empty",
        "镜像标签, 例如 0.32.15, 或留空",
    )
    check(
        "backend.server.autoscaling.enabled", lambda v: isinstance(v, bool), "true or false", "true 或 false"
    )
    check(
        "backend.server.autoscaling.maxReplicas",
        lambda v: _is_int(v) and v >= 1,
        "an integer >= 1",
        "大于等于 1 的整数",
    )
    check(
        "backend.persistence.accessModes",
        lambda v: isinstance(v, list) and v and all(m in ACCESS_MODES for m in v),
        f"a non-empty list of {', '.join(ACCESS_MODES)}",
        f"由 {', '.join(ACCESS_MODES)} 组成的非空列表",
    )
    for path in ("backend.gpu.memoryPerGPU", "backend.persistence.size"):
        present, value = _get(effective, path)
        if present and value is not None and quantity_text(value) != "":
            try:
                parse_quantity(value, "memory")
            except QuantityError:
                found.append(
                    error(
                        FindingCode.INVALID_QUANTITY,
                        path,
                        f"{path} is {quantity_text(value)!r}; allowed: a quantity such as 24Gi or 80Gi.",
                        f"{path} 的值 {quantity_text(value)!r} 无效; 允许: 容量, 例如 24Gi 或 80Gi。",
                        given=value,
                        allowed="24Gi, 80Gi",
                    )
                )
    present, resources = _get(effective, "backend.server.resources")
    if present and resources is not None:
        if not isinstance(resources, Mapping):
            found.append(
                _invalid(
                    "backend.server.resources",
                    resources,
                    "a map with requests and limits",
                    "包含 requests 和 limits 的映射",
                )
            )
            return found
        for side in ("requests", "limits"):
            entries = resources.get(side)
            if entries is None:
                continue
            if not isinstance(entries, Mapping):
                found.append(
                    _invalid(
                        f"backend.server.resources.{side}",
                        entries,
                        "a map of resource: quantity",
                        "资源名到数量的映射",
                    )
                )
                continue
            for name, value in entries.items():
                path = f"backend.server.resources.{side}.{name}"
                if name in ("cpu", "memory"):
                    try:
                        parse_quantity(value, name)
                    except QuantityError:
                        example = "500m or 2" if name == "cpu" else "8Gi"
                        found.append(
                            error(
                                FindingCode.INVALID_QUANTITY,
                                path,
                                f"{path} is {quantity_text(value)!r}; allowed: a {name} quantity such as "
                                f"{example}.",
                                f"{path} 的值 {quantity_text(value)!r} 无效; 允许: {name} 数量, 例如 "
                                f"{example}。",
                                given=value,
                                allowed=example,
                            )
                        )
                elif name in GPU_RESOURCES.values() and not (
                    _is_int(value) or (isinstance(value, str) and value.strip().isdigit())
                ):
                    found.append(
                        _invalid(path, value, "a whole number of GPUs, e.g. 1", "GPU 整数数量, 例如 1")
                    )
    return found


def validate_config(
    values: Mapping[str, Any], *, defaults: Mapping[str, Any], catalog: Catalog
) -> ValidationReport:
    """Every error and warning of ``values`` merged over ``defaults``."""
    report = ValidationReport()
    if not isinstance(values, Mapping):
        report.errors.append(
            _invalid("(document)", values, "a map of keys like values.yaml", "与 values.yaml 相同的键值映射")
        )
        return report
    effective = merge_values(defaults, values)
    report.effective = effective
    report.errors.extend(_type_findings(effective))
    if report.errors:
        return report
    backend: Mapping[str, Any] = effective.get("backend") or {}
    outcome = compute_sizing(backend, catalog=catalog)
    report.sizing = outcome
    report.errors.extend(outcome.errors)
    report.errors.extend(_replica_findings(backend))
    report.warnings.extend(_warnings(backend, outcome, catalog))
    return report


def _replica_findings(backend: Mapping[str, Any]) -> list[Finding]:
    """Several ollama pods need a volume they can all mount (the chart checks the live PVC too)."""
    persistence = backend.get("persistence") or {}
    modes = persistence.get("accessModes") or ["ReadWriteOnce"]
    if "ReadWriteMany" in modes:
        return []
    server = backend.get("server") or {}
    autoscaling = server.get("autoscaling") or {}
    if autoscaling.get("enabled") and (autoscaling.get("maxReplicas") or 1) > 1:
        path, count = "backend.server.autoscaling.enabled", autoscaling.get("maxReplicas")
    elif (server.get("replicas") or 1) > 1:
        path, count = "backend.server.replicas", server.get("replicas")
    else:
        return []
    return [
        error(
            FindingCode.REPLICAS_NEED_READ_WRITE_MANY,
            path,
            f"up to {count} ollama pods need a ReadWriteMany volume, but backend.persistence.accessModes "
            f"is {modes}: "
            "pods on other nodes could not mount the models (Multi-Attach).",
            f"最多 {count} 个 ollama 副本需要 ReadWriteMany 存储卷, 但 backend.persistence.accessModes 为 "
            f"{modes}: "
            "其他节点上的副本无法挂载模型卷 (Multi-Attach)。",
            fix_en="Set backend.persistence.accessModes to [ReadWriteMany] with a StorageClass that "
            "supports it, or run "
            "one ollama pod.",
            fix_zh="将 backend.persistence.accessModes 设为 [ReadWriteMany] 并使用支持它的 StorageClass, "
            "或只运行一个副本。",
            given=modes,
            allowed=["ReadWriteMany"],
        )
    ]


def _warnings(backend: Mapping[str, Any], outcome: SizingOutcome, catalog: Catalog) -> list[Finding]:
    found: list[Finding] = []
    model_cfg = backend.get("model") or {}
    ctx = model_cfg.get("contextLength") or DEFAULT_CONTEXT
    model = outcome.model
    if ctx < REASONING_CONTEXT:
        found.append(
            warning(
                FindingCode.CONTEXT_BELOW_REASONING,
                "backend.model.contextLength",
                f"contextLength {ctx} is below {REASONING_CONTEXT}: deepseek-r1 thinks at length before "
                "answering, and "
                "the answer is cut when the context is full.",
                f"contextLength {ctx} 小于 {REASONING_CONTEXT}: deepseek-r1 回答前会进行较长的思考, "
                "上下文用尽时回答会被截断。",
                fix_en=f"Use {REASONING_CONTEXT} or more.",
                fix_zh=f"使用 {REASONING_CONTEXT} 或更大的值。",
                given=ctx,
            )
        )
    if model is not None and ctx > model.max_context:
        found.append(
            warning(
                FindingCode.CONTEXT_CAPPED,
                "backend.model.contextLength",
                f"contextLength {ctx} is above {model.name}'s trained context {model.max_context}; ollama "
                "uses "
                f"{model.max_context}, and memory is sized for it.",
                f"contextLength {ctx} 超过 {model.name} 的训练上下文 {model.max_context}; ollama 使用 "
                f"{model.max_context}, "
                "内存也按此计算。",
                given=ctx,
                allowed=f"<= {model.max_context}",
            )
        )
    image = (backend.get("server") or {}).get("image") or {}
    tag = ollama_tag(backend, catalog)
    version = parse_version(tag)
    tested = parse_version(catalog.ollama_version)
    if image.get("digest") or version is None:
        why = "an image digest is set" if image.get("digest") else f'the tag "{tag}" is not a version'
        why_zh = "设置了镜像 digest" if image.get("digest") else f'标签 "{tag}" 不是版本号'
        found.append(
            warning(
                FindingCode.OLLAMA_VERSION_UNKNOWN,
                "backend.server.image.tag",
                f"The ollama version cannot be checked against the model ({why}); this release is tested "
                "with "
                f"{catalog.ollama_version}.",
                f"无法检查 ollama 版本是否满足模型要求 ({why_zh}); 本版本测试的是 {catalog.ollama_version}。",
                given=tag,
            )
        )
    elif tested is not None and version < tested and not outcome.errors:
        found.append(
            warning(
                FindingCode.OLLAMA_PINNED_OLD,
                "backend.server.image.tag",
                f'ollama is pinned to "{tag}", older than the tested {catalog.ollama_version} '
                '(0.1.0 configs pin "0.5.7"): OLLAMA_CONTEXT_LENGTH needs 0.5.13+, so an old server '
                "ignores the sized context, and newer model tags need newer servers.",
                f'ollama 被固定为 "{tag}", 比测试过的 {catalog.ollama_version} 旧 '
                '(0.1.0 的配置固定为 "0.5.7"): '
                "OLLAMA_CONTEXT_LENGTH 需要 0.5.13 及以上, 旧版本会忽略计算好的上下文, "
                "新的模型标签也需要新版本。",
                fix_en="Clear backend.server.image.tag.",
                fix_zh="清空 backend.server.image.tag。",
                given=tag,
                allowed=catalog.ollama_version,
            )
        )
    acc = accelerator(backend)
    gpu = backend.get("gpu") or {}
    memory = gpu.get("memoryPerGPU")
    memory_empty = memory is None or quantity_text(memory) == ""
    if acc != "cpu" and memory_empty and model is not None and not outcome.errors:
        found.append(
            warning(
                FindingCode.GPU_MEMORY_ASSUMED,
                "backend.gpu.memoryPerGPU",
                f"backend.gpu.memoryPerGPU is empty, so GPUs of {catalog.sizing.default_gpu_memory} were "
                "assumed for the "
                "GPU count.",
                "backend.gpu.memoryPerGPU 为空, 计算 GPU 数量时假定每块 GPU 为 "
                f"{catalog.sizing.default_gpu_memory}。",
                fix_en="Set it to your GPUs' memory (node label nvidia.com/gpu.memory, in MiB, e.g. "
                "15360Mi for a T4).",
                fix_zh="设为实际显存 (节点标签 nvidia.com/gpu.memory, 单位 MiB, 例如 T4 为 15360Mi)。",
            )
        )
    if acc == "cpu" and not memory_empty:
        found.append(
            warning(
                FindingCode.GPU_SETTINGS_WITHOUT_GPU,
                "backend.gpu.memoryPerGPU",
                "backend.gpu.memoryPerGPU is set but neither backend.enableNvidia nor backend.enableAMD "
                "is: the model "
                "runs on CPU.",
                "设置了 backend.gpu.memoryPerGPU, 但未启用 backend.enableNvidia 或 backend.enableAMD: "
                "模型将在 CPU 上运行。",
                fix_en="Set backend.enableNvidia or backend.enableAMD to true.",
                fix_zh="将 backend.enableNvidia 或 backend.enableAMD 设为 true。",
                given=memory,
            )
        )
    size = (backend.get("persistence") or {}).get("size")
    if (
        outcome.result is not None
        and size is not None
        and quantity_text(size) != ""
        and outcome.recommended_storage
        and outcome.storage_models_mib is not None
    ):
        given = parse_quantity(size, "memory")
        if given < parse_quantity(outcome.recommended_storage, "memory"):
            found.append(
                warning(
                    FindingCode.STORAGE_BELOW_RECOMMENDED,
                    "backend.persistence.size",
                    f"{quantity_text(size)} holds the models ({outcome.storage_models_mib} MiB) but is "
                    "below the "
                    f"recommended {outcome.recommended_storage}: re-pulling an updated tag needs room for "
                    "both copies.",
                    f"{quantity_text(size)} 能容纳模型 ({outcome.storage_models_mib} MiB), 但小于建议的 "
                    f"{outcome.recommended_storage}: 重新拉取更新后的模型时需要同时容纳新旧两份。",
                    fix_en=f"Use {outcome.recommended_storage} or clear backend.persistence.size.",
                    fix_zh=f"使用 {outcome.recommended_storage} 或清空 backend.persistence.size。",
                    given=quantity_text(size),
                    allowed=f">= {outcome.recommended_storage}",
                )
            )
    return found
