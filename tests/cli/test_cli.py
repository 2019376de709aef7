"""`deepseek-ext validate | resolve | models`: exit codes, outputs, and errors without tracebacks."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from deepseek_ext import cli
from deepseek_ext.adapters.files import load_messages
from deepseek_ext.core.messages import message

from tests.helmtools import ROOT


def run(
    argv: list[str], stdin: str = "", monkeypatch: pytest.MonkeyPatch | None = None
) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    if monkeypatch is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    real_out, real_err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        code = cli.main(argv)
    finally:
        sys.stdout, sys.stderr = real_out, real_err
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def config(tmp_path: Path):
    def write(text: str, name: str = "config.yaml") -> str:
        path = tmp_path / name
        path.write_text(text)
        return str(path)

    return write


def test_validate_exit_0_for_a_valid_config(config) -> None:
    code, out, _ = run(["validate", "-f", config("backend: {model: {tag: 7b}}\n")])
    assert code == 0 and out.startswith("valid")


def test_validate_exit_1_and_json_for_an_invalid_config(config) -> None:
    code, out, _ = run(["validate", "-f", config("backend: {model: {tag: 3b}}\n"), "-o", "json"])
    assert code == 1
    report = json.loads(out)
    assert report["valid"] is False
    assert report["errors"][0]["path"] == "backend.model.tag"
    assert report["errors"][0]["code"] == "UnknownModelTag"
    assert set(report["errors"][0]["message"]) == {"en", "zh"}


@pytest.mark.parametrize("text", ["backend: [unclosed\n", "- a list\n", "a: &a [*a]\n"])
def test_validate_exit_2_for_unreadable_input(config, text: str) -> None:
    code, _, err = run(["validate", "-f", config(text)])
    assert code == 2 and "Traceback" not in err
    en, zh = err.splitlines()
    prefix = load_messages().render(message("cli.unreadable", message=""))
    assert en.startswith(prefix["en"]) and zh.startswith(prefix["zh"]) and en != zh


def test_validate_exit_2_for_a_missing_file(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.yaml")
    code, _, err = run(["validate", "-f", missing])
    expected = load_messages().render(message("cli.unreadable", message=message("file.noSuchFile", path=missing)))
    assert code == 2 and err.splitlines() == [expected["en"], expected["zh"]]
    code, out, _ = run(["validate", "-f", str(tmp_path / "nope.yaml"), "-o", "json"])
    assert code == 2 and json.loads(out)["valid"] is False


def test_validate_reads_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(["validate", "-f", "-"], stdin="backend: {model: {tag: 14b}}", monkeypatch=monkeypatch)[0] == 0
    assert run(["validate", "-f", "-"], stdin="backend: {model: {tag: 13b}}", monkeypatch=monkeypatch)[0] == 1
    assert run(["validate", "-f", "-"], stdin="[1, 2]", monkeypatch=monkeypatch)[0] == 2


def test_resolve_prints_the_effective_config_as_yaml_and_json(config) -> None:
    path = config("backend: {model: {tag: 14b}, enableNvidia: true, gpu: {memoryPerGPU: 16Gi}}\n")
    code, out, _ = run(["resolve", "-f", path])
    assert code == 0
    resolved = yaml.safe_load(out)
    assert resolved["backend"]["server"]["resources"]["limits"]["nvidia.com/gpu"] == 1
    assert resolved["backend"]["server"]["resources"]["requests"]["memory"] == "1280Mi"
    assert resolved["backend"]["persistence"]["size"] == "18Gi"
    code, out, _ = run(["resolve", "-f", path, "-o", "json"])
    assert code == 0 and json.loads(out) == resolved


def _summary_lines(key: str, **params) -> list[str]:
    texts = load_messages().render(message(key, **params))
    return [f"# {texts['en']}", f"# {texts['zh']}"]


def test_resolve_starts_with_a_summary_in_comments(config) -> None:
    path = config("backend: {model: {tag: 14b}, enableNvidia: true, gpu: {memoryPerGPU: 16Gi}}\n")
    code, out, _ = run(["resolve", "-f", path])
    assert code == 0
    backend = yaml.safe_load(out)["backend"]
    resources = backend["server"]["resources"]
    expected = _summary_lines(
        "cli.resolve.summary", model="deepseek-r1:14b", accelerator="nvidia", gpus=1,
        memoryRequest=resources["requests"]["memory"], memoryLimit=resources["limits"]["memory"],
        storage=backend["persistence"]["size"])
    assert out.splitlines()[:3] == [*expected, "global:"]  # only the configured model counts: no 3rd line
    code, out, _ = run(["resolve", "-f", path, "-o", "json"])
    assert code == 0 and out.lstrip().startswith("{") and "#" not in out.split("\n", 1)[0]


def test_the_summary_names_the_models_loaded_together(config) -> None:
    path = config("backend: {model: {tag: 7b}, models: [deepseek-r1:14b, qwen3:8b], server: {maxLoadedModels: 2},"
                  " persistence: {size: 40Gi}}\n")
    code, out, _ = run(["resolve", "-f", path])
    assert code == 0
    lines = out.splitlines()
    assert lines[2:4] == _summary_lines(
        "cli.resolve.loadedTogether", count=2, models=["deepseek-r1:14b", "deepseek-r1:7b"])
    resolved = yaml.safe_load(out)
    assert resolved["backend"]["server"]["maxLoadedModels"] == 2
    assert resolved["backend"]["server"]["env"]["OLLAMA_MAX_LOADED_MODELS"] == "2"
    # 14b (11.5 GiB on CPU) + 7b (6.5 GiB): the request holds both
    resources = resolved["backend"]["server"]["resources"]
    assert resources["requests"]["memory"] == "18Gi"
    assert lines[:2] == _summary_lines(
        "cli.resolve.summary", model="deepseek-r1:7b", accelerator="cpu", gpus=0, memoryRequest="18Gi",
        memoryLimit=resources["limits"]["memory"], storage="40Gi")


def test_resolve_exit_codes_for_invalid_and_unreadable(config) -> None:
    code, _, err = run(["resolve", "-f", config("backend: {enableNvidia: true, enableAMD: true}\n")])
    assert code == 1 and "ConflictingAccelerators" in err
    assert run(["resolve", "-f", config("{{{")])[0] == 2


def test_models_table_and_json() -> None:
    code, out, _ = run(["models"])
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("MODEL") and any(line.startswith("deepseek-r1:671b ") for line in lines)
    code, out, _ = run(["models", "-o", "json", "--gpu-memory", "80Gi"])
    data = json.loads(out)
    assert data["ollamaVersion"] == "0.32.15"
    by_name = {m["name"]: m for m in data["models"]}
    assert by_name["deepseek-r1:671b"]["sizing"]["gpu"]["gpuCount"] == 7
    assert by_name["deepseek-r1:1.5b"]["sizing"]["cpu"]["resources"]["requests"]["memory"] == "2816Mi"


def test_a_broken_catalog_is_a_clear_error(config) -> None:
    path = config("ollama: {version: x}\n", "catalog.yaml")
    code, _, err = run(["models", "--catalog", path])
    assert code == 2 and "catalog.ollama.version" in err


def test_other_parts_register_subcommands(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = []

    def register(subparsers) -> None:
        p = subparsers.add_parser("hello")
        p.set_defaults(func=lambda args: seen.append(args.command) or 3)

    monkeypatch.setattr(cli, "REGISTRARS", [register])
    assert cli.main(["hello"]) == 3 and seen == ["hello"]


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).parent / "deepseek-ext"
    result = subprocess.run(
        [str(script), "validate", "-f", str(ROOT / "values.yaml")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


# --- issue 13: the schema's findings and suggestions through the CLI ---------------------------------


@pytest.mark.parametrize(("value", "suggestion"), [("80GB", "80Gi"), ("80", "80Gi"), ("lots", None)])
def test_models_refuses_a_bad_gpu_memory_with_exit_2_naming_the_option(value: str, suggestion: str | None) -> None:
    code, out, err = run(["models", "--gpu-memory", value])
    assert code == 2 and out == "" and "Traceback" not in err
    lines = err.splitlines()
    catalog = load_messages()
    head = catalog.render(message("cli.models.badGpuMemory", given=value, examples=["16Gi", "24Gi", "80Gi"]))
    assert lines[:2] == [head["en"], head["zh"]]
    if suggestion:
        fix = catalog.render(message("finding.InvalidQuantity.fix.suggestion", suggestion=suggestion))
        assert lines[2:] == [fix["en"], fix["zh"]]
    else:
        assert len(lines) == 2


def test_validate_names_each_typo_with_the_nearest_key(config) -> None:
    code, out, _ = run(["validate", "-o", "json", "-f",
                        config("backend:\n  modle:\n    tag: 14b\n  enableNvidai: true\n")])
    assert code == 1
    errors = {e["path"]: e for e in json.loads(out)["errors"]}
    assert set(errors) == {"backend.modle", "backend.enableNvidai"}
    assert {e["code"] for e in errors.values()} == {"UnknownKey"}
    assert errors["backend.modle"]["evidence"]["nearest"] == "model"


def test_validate_explains_a_yaml_indentation_error_in_both_languages(config) -> None:
    code, _, err = run(["validate", "-f", config("backend:\n  model:\n    tag: 7b\n   pull: true\n")])
    assert code == 2
    en, zh = err.splitlines()
    hint = load_messages().render(message("config.hint.indentation"))
    assert hint["en"] in en and hint["zh"] in zh and "4" in en and "第 4 行" in zh
    assert "expected <block end>" not in en + zh
