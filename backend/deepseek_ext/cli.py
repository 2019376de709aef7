"""`deepseek-ext` command line: validate, resolve, models (here), status and manager (their own modules).

Adding a subcommand: write a module with ``register(subparsers)`` that calls ``add_parser`` and
``set_defaults(func=handler)`` (``handler(args) -> int`` is the exit code), then append the module
path to COMMAND_MODULES. Modules are imported only when the parser is built.

Exit codes of validate and resolve: 0 valid, 1 invalid config, 2 unreadable input (missing file,
not YAML/JSON, broken catalog). Every line a person reads comes from the message catalog
(``cli.*`` keys), in English then Chinese; errors never show a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Callable, Mapping
from typing import Any, TextIO

import yaml

from deepseek_ext import __version__
from deepseek_ext.adapters.files import (
    FileLoadError,
    config_unreadable,
    load_catalog,
    load_config_file,
    load_defaults,
    load_messages,
    load_values_schema,
)
from deepseek_ext.core.backend_values import accelerator
from deepseek_ext.core.catalog import DEFAULT_REGISTRY, Catalog, short_name
from deepseek_ext.core.config import ConfigInvalid, resolve_config
from deepseek_ext.core.config_text import ConfigParseError, parse_config_text
from deepseek_ext.core.findings import Finding
from deepseek_ext.core.messages import Message, message
from deepseek_ext.core.quantity import quantity_text
from deepseek_ext.core.sizing import compute_sizing
from deepseek_ext.core.validation import ValidationReport, merge_values, validate_config
from deepseek_ext.core.values_schema import ValuesSchema, coalesce_for_schema, schema_findings

EXIT_OK, EXIT_INVALID, EXIT_UNREADABLE = 0, 1, 2

COMMAND_MODULES: list[str] = [
    "deepseek_ext.manager.cli",
    "deepseek_ext.status_cli",
    "deepseek_ext.gateway.cli",
    "deepseek_ext.edge.cli",
]
"""Modules whose ``register(subparsers)`` adds a subcommand (status, manager, ...)."""

Registrar = Callable[[Any], Any]
REGISTRARS: list[Registrar] = []
"""Extra ``register(subparsers)`` callables (tests and plugins); run after COMMAND_MODULES."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="deepseek-ext", description="DeepSeek extension for KubeSphere")
    # The image test and support ask which build runs; argparse prints it and exits 0.
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True)
    register_sizing_commands(subparsers)
    for module_name in COMMAND_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue  # that part is not in this build; its subcommand is simply absent
        module.register(subparsers)
    for registrar in REGISTRARS:
        registrar(subparsers)
    return parser


def _files_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--catalog", help="model catalog (default: $DEEPSEEK_CATALOG, else the chart's files/catalog.yaml)"
    )
    p.add_argument(
        "--defaults", help="default values (default: $DEEPSEEK_DEFAULTS, else the extension's values.yaml)"
    )


def register_sizing_commands(subparsers: Any) -> None:
    """The validate, resolve and models subcommands."""
    p = subparsers.add_parser(
        "validate",
        help="check a config; exit 0 valid, 1 invalid, 2 unreadable",
        description="Check a config (the Extension Center config YAML, merged over "
        "values.yaml) without a cluster. Exit 0 valid, 1 invalid, 2 unreadable.",
    )
    p.add_argument("-f", "--file", required=True, help="config file (YAML or JSON); - reads stdin")
    p.add_argument("-o", "--output", choices=("text", "json"), default="text")
    _files_args(p)
    p.set_defaults(func=cmd_validate)

    p = subparsers.add_parser(
        "resolve",
        help="print the effective config with every computed default",
        description="Print the effective config in the key layout of values.yaml, with the "
        "computed resources, GPU count, ollama env and storage filled in. The YAML output starts "
        "with a summary in comments (model, accelerator, GPUs, memory, storage); JSON has none.",
    )
    p.add_argument("-f", "--file", required=True, help="config file (YAML or JSON); - reads stdin")
    p.add_argument("-o", "--output", choices=("yaml", "json"), default="yaml")
    _files_args(p)
    p.set_defaults(func=cmd_resolve)

    p = subparsers.add_parser(
        "models",
        help="list the model catalog with each model's default sizing",
        description="The model catalog with the default sizing of each model on CPU and on "
        "GPUs (context, parallel and KV cache type from the defaults).",
    )
    p.add_argument("-o", "--output", choices=("table", "json"), default="table")
    p.add_argument(
        "--gpu-memory",
        default=None,
        help="memory of one GPU for the GPU column (default: the catalog's assumed value, 24Gi)",
    )
    _files_args(p)
    p.set_defaults(func=cmd_models)


def _lines(msg: Message) -> str:
    """The English line, then the Chinese one."""
    texts = load_messages().render(msg)
    return f"{texts['en']}\n{texts['zh']}"


def _print_unreadable(exc: FileLoadError, err: TextIO) -> int:
    if exc.message is None:  # the message catalog itself is unreadable: its literal English is all there is
        print(exc.literal, file=err)
    else:
        print(_lines(message("cli.unreadable", message=exc.message)), file=err)
    return EXIT_UNREADABLE


def _load_inputs(args: argparse.Namespace, stdin: TextIO) -> tuple[dict[str, Any], dict[str, Any], Catalog]:
    catalog = load_catalog(args.catalog)
    defaults = load_defaults(args.defaults)
    if args.file == "-":
        try:
            values = parse_config_text(stdin.read())
        except ConfigParseError as exc:
            raise config_unreadable(message("file.stdin"), exc) from None
    else:
        values = load_config_file(args.file)
    return values, defaults, catalog


def _finding_text(f: Finding) -> str:
    message, fix = f.texts(load_messages())
    catalog = load_messages()
    lines = [
        f"{f.severity.value:<8}{f.path or '-'}  [{f.code.value}]",
        f"        {message['en']}",
        f"        {message['zh']}",
    ]
    for lang in ("en", "zh"):
        if fix and fix[lang]:
            lines.append("        " + catalog.text(Message("cli.report.fix", {"fix": fix[lang]}), lang))
    return "\n".join(lines)


def _report_text(report: ValidationReport) -> str:
    catalog = load_messages()
    head_msg = (
        message("cli.report.valid") if report.valid else message("cli.report.invalid", count=len(report.errors))
    )
    head_texts = catalog.render(head_msg)
    head = f"{head_texts['en']} ({head_texts['zh']})"
    body = [_finding_text(f) for f in [*report.errors, *report.warnings]]
    return "\n".join([head, *body])


def _report_json(report: ValidationReport) -> dict[str, Any]:
    """The contract shape: {"valid", "errors": [{"path", "code", "message": {"en","zh"}, ...}], "warnings"}."""
    return report.to_dict(load_messages())


def cmd_validate(
    args: argparse.Namespace,
    *,
    stdin: TextIO | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    stdin, out, err = stdin or sys.stdin, out or sys.stdout, err or sys.stderr
    try:
        values, defaults, catalog = _load_inputs(args, stdin)
    except FileLoadError as exc:
        if args.output == "json":
            print(
                json.dumps({"valid": False, "errors": [exc.to_dict()], "warnings": []}, ensure_ascii=False),
                file=out,
            )
        return _print_unreadable(exc, err)
    try:
        schema = load_values_schema()
    except FileLoadError as exc:
        return _print_unreadable(exc, err)
    report = validate_config(values, defaults=defaults, catalog=catalog, schema=schema)
    if args.output == "json":
        print(json.dumps(_report_json(report), ensure_ascii=False, indent=2), file=out)
    else:
        print(_report_text(report), file=out)
    return EXIT_OK if report.valid else EXIT_INVALID


def cmd_resolve(
    args: argparse.Namespace,
    *,
    stdin: TextIO | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    stdin, out, err = stdin or sys.stdin, out or sys.stdout, err or sys.stderr
    try:
        values, defaults, catalog = _load_inputs(args, stdin)
    except FileLoadError as exc:
        return _print_unreadable(exc, err)
    try:
        schema = load_values_schema()
    except FileLoadError as exc:
        return _print_unreadable(exc, err)
    try:
        resolved = resolve_config(values, defaults=defaults, catalog=catalog, schema=schema)
    except ConfigInvalid as exc:
        print(_report_text(exc.report), file=err)
        return EXIT_INVALID
    if args.output == "json":
        print(json.dumps(resolved, ensure_ascii=False, indent=2), file=out)
    else:
        # The summary is YAML comments, so the output still parses as the effective config.
        for line in resolve_summary(resolved, loaded=_loaded_models(values, defaults, catalog, schema)):
            print(f"# {line}", file=out)
        print(yaml.safe_dump(resolved, sort_keys=False, allow_unicode=True), end="", file=out)
    return EXIT_OK


def _loaded_models(values: Mapping[str, Any], defaults: Mapping[str, Any], catalog: Catalog,
                   schema: ValuesSchema) -> list[str]:
    """The models the pod is sized for (the sizing's ``loaded.models``)."""
    report = validate_config(values, defaults=defaults, catalog=catalog, schema=schema)
    result = report.sizing.result if report.sizing is not None else None
    return list(((result or {}).get("loaded") or {}).get("models") or [])


def resolve_summary(resolved: Mapping[str, Any], *, loaded: list[str]) -> list[str]:
    """The lines `resolve` prints before the document: model, accelerator, GPUs, memory request and
    limit, storage (en, then zh), and which models the memory is sized for when that is not just the
    configured one."""
    backend = resolved.get("backend") or {}
    resources = (backend.get("server") or {}).get("resources") or {}
    model = str((backend.get("model") or {}).get("name") or "")
    summary = message(
        "cli.resolve.summary",
        model=model,
        accelerator=accelerator(backend),
        gpus=int((backend.get("gpu") or {}).get("count") or 0),
        memoryRequest=quantity_text((resources.get("requests") or {}).get("memory")) or "-",
        memoryLimit=quantity_text((resources.get("limits") or {}).get("memory")) or "-",
        storage=quantity_text((backend.get("persistence") or {}).get("size")) or "-",
    )
    lines = _lines(summary).split("\n")
    if loaded and loaded != [short_name(model)]:
        together = message("cli.resolve.loadedTogether", count=len(loaded), models=loaded)
        lines += _lines(together).split("\n")
    return lines


def model_rows(
    catalog: Catalog, defaults: Mapping[str, Any], gpu_memory: str | None = None
) -> list[dict[str, Any]]:
    """Each catalog model with its default sizing on CPU and on GPUs (the defaults' context, parallel and
    KV cache type)."""
    rows = []
    base = merge_values(defaults, {})
    gpu_memory = gpu_memory or catalog.sizing.default_gpu_memory
    for model in catalog.models:
        row = model.to_dict()
        backend_cpu = merge_values(
            base.get("backend") or {},
            {
                "model": {
                    "repository": catalog.repository,
                    "tag": model.tag,
                    "registry": DEFAULT_REGISTRY,
                },
                "server": {"image": {"tag": "", "digest": ""}, "resources": {}},
                "enableNvidia": False,
                "enableAMD": False,
                "persistence": {"size": ""},
                "models": [],
            },
        )
        backend_gpu = merge_values(backend_cpu, {"enableNvidia": True, "gpu": {"memoryPerGPU": gpu_memory}})
        sizing: dict[str, Any] = {}
        for label, backend in (("cpu", backend_cpu), ("gpu", backend_gpu)):
            outcome = compute_sizing(backend, catalog=catalog)
            if outcome.result is None:
                sizing[label] = {
                    "error": {
                        "code": outcome.errors[0].code.value,
                        "message": outcome.errors[0].texts(load_messages())[0],
                    }
                }
                continue
            result = outcome.result
            entry = {
                "resources": result["resources"],
                "storage": result["storage"],
                "estimate": result["estimate"],
                "contextLength": int(result["env"]["OLLAMA_CONTEXT_LENGTH"]),
            }
            if label == "gpu":
                entry.update(gpuCount=result["gpuCount"], memoryPerGPU=gpu_memory)
            sizing[label] = entry
        row["sizing"] = sizing
        rows.append(row)
    return rows


def _models_table(rows: list[dict[str, Any]], gpu_memory: str) -> str:
    header = (
        "MODEL",
        "FAMILY",
        "QUANT",
        "DOWNLOAD",
        "MAX CTX",
        "MIN OLLAMA",
        "CTX",
        "CPU REQ",
        "MEM REQ/LIMIT",
        f"GPUS ({gpu_memory})",
        "GPU NEED",
    )
    lines = [header]
    for row in rows:
        cpu, gpu = row["sizing"]["cpu"], row["sizing"]["gpu"]
        if "error" in cpu:
            cpu_cols = ("-", "-", "error")
        else:
            res = cpu["resources"]
            cpu_cols = (
                str(cpu["contextLength"]),
                res["requests"]["cpu"],
                f"{res['requests']['memory']}/{res['limits']['memory']}",
            )
        gpu_cols = (
            (gpu["error"]["code"], "-")
            if "error" in gpu
            else (str(gpu["gpuCount"]), f"{gpu['estimate']['needGpuMiB'] / 1024:.1f}Gi")
        )
        lines.append(
            (
                row["name"],
                row["family"],
                row["quantization"],
                f"{row['downloadBytes'] / 1e9:.1f}GB",
                str(row["maxContext"]),
                row["minOllama"],
                *cpu_cols,
                *gpu_cols,
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip() for line in lines
    )


def _bad_gpu_memory(value: str, defaults: Mapping[str, Any]) -> str | None:
    """The lines saying why ``--gpu-memory value`` is refused (the rule of backend.gpu.memoryPerGPU in
    values.schema.json, with its suggestion), or None when it is a GPU memory size."""
    try:
        schema = load_values_schema()
    except FileLoadError as exc:
        return _lines(message("cli.unreadable", message=exc.message)) if exc.message else exc.literal
    tree = coalesce_for_schema(defaults, {"backend": {"gpu": {"memoryPerGPU": value}}})
    found = [f for f in schema_findings(tree, schema) if f.path == "backend.gpu.memoryPerGPU"]
    if not found:
        return None
    params = found[0].params
    lines = [_lines(message("cli.models.badGpuMemory", given=value, examples=params.get("examples") or []))]
    if params.get("suggestion"):
        lines.append(_lines(message("finding.InvalidQuantity.fix.suggestion", suggestion=params["suggestion"])))
    return "\n".join(lines)


def cmd_models(args: argparse.Namespace, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    try:
        catalog = load_catalog(args.catalog)
        defaults = load_defaults(args.defaults)
    except FileLoadError as exc:
        return _print_unreadable(exc, err)
    gpu_memory = args.gpu_memory or catalog.sizing.default_gpu_memory
    refused = _bad_gpu_memory(gpu_memory, defaults)
    if refused is not None:
        print(refused, file=err)
        return EXIT_UNREADABLE
    rows = model_rows(catalog, defaults, gpu_memory)
    if args.output == "json":
        print(
            json.dumps(
                {"ollamaVersion": catalog.ollama_version, "models": rows}, ensure_ascii=False, indent=2
            ),
            file=out,
        )
    else:
        print(_models_table(rows, gpu_memory), file=out)
        print("\n" + _lines(message("cli.models.footer", version=catalog.ollama_version)), file=out)
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
