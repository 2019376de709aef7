"""Chart and backend agree: helm renders the sizing `deepseek-ext resolve` computes, to the byte.

Three layers, cheapest first:
1. the matrix (every catalog model x CPU/NVIDIA/AMD x context lengths 2k-200k x GPU memory sizes
   x KV cache types x parallel, sampled) through `backend.sizing` in ONE helm run of a staged copy
   of the chart with a probe template (only in this test's temporary copy, never in the package);
2. every catalog model x {CPU, NVIDIA, AMD}, each on 4096 with 16Gi GPUs or 32768 with 80Gi GPUs
   (alternating, so every accelerator meets both), rendered through the real chart, comparing the
   ollama container's resources and env and the PVC size with `resolve`;
   configurations Python rejects must make helm fail too, naming the same config path;
3. every scenario config (ci/, 0.1.0 and seed configs) and its `deepseek-serving` config.json;
4. failing configs: helm's error is `deepseek-ext validate`'s first error word for word, in English
   and in Chinese ("<path>: <message> Fix: <fix>", both rendered from the one message catalog).
"""

from __future__ import annotations

import json
import re
import tarfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import yaml
from deepseek_ext.adapters.files import load_catalog, load_defaults, load_messages, load_values_schema
from deepseek_ext.core.config import ConfigInvalid, resolve_config, serving_config
from deepseek_ext.core.findings import Finding
from deepseek_ext.core.validation import validate_config

from tests.chart.conftest import SCENARIOS
from tests.helmtools import HelmError, find, helm_template_text, one, render

SCHEMA = load_values_schema()

CATALOG = load_catalog()
DEFAULTS = load_defaults()
TAGS = CATALOG.tags()
ACCELERATORS = {"cpu": {}, "nvidia": {"enableNvidia": True}, "amd": {"enableAMD": True}}

# One context per case, sharing the parsed catalog (as backend.loadCatalog caches it in a render).
PROBE = """{{- include "backend.loadCatalog" $ }}
{{- range $i, $case := .Values.sizingProbe }}
{{- $values := mergeOverwrite (deepCopy $.Values) $case }}
{{- $ctx := dict "Values" $values "Files" $.Files "Chart" $.Chart "Release" $.Release "Template" $.Template }}
{{- $_ := set $ctx "deepseekCatalog" (get $ "deepseekCatalog") }}
---
case: {{ $i }}
sizing:
{{- include "backend.sizing" $ctx | nindent 2 }}
{{- end }}
"""


def _nested(flat: dict[str, Any]) -> dict[str, Any]:
    """{"backend.model.tag": "7b"} -> {"backend": {"model": {"tag": "7b"}}}."""
    out: dict[str, Any] = {}
    for key, value in flat.items():
        node = out
        *parents, last = key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
    return out


def _sizing(backend_case: dict[str, Any]) -> tuple[dict[str, Any] | None, list[str]]:
    report = validate_config({"backend": backend_case}, defaults=DEFAULTS, catalog=CATALOG, schema=SCHEMA)
    if report.errors:
        return None, [f.path or "" for f in report.errors]
    assert report.sizing is not None and report.sizing.result is not None
    return report.sizing.result, []


# --- 1. the whole matrix through the helper, one helm run -------------------------------------------

# (contextLength, kvCacheType, parallel, memoryPerGPU) per accelerator; every catalog model gets all of them.
CPU_POINTS = [(2048, "f16", 1, ""), (8192, "f16", 1, ""), (32768, "q4_0", 1, ""), (200000, "f16", 1, ""),
              (8192, "q8_0", 4, "")]
GPU_POINTS = [(ctx, "f16", 1, mem) for ctx in (8192, 32768) for mem in ("", "16Gi", "40536Mi", "80Gi")] + [
    (200000, "q4_0", 1, "141G"), (8192, "q8_0", 4, "80Gi")]
# Overrides, custom models, extras, mirrors and pins: the paths beside the formula.
SPECIAL = [
    {"model": {"tag": "7b"},
     "server": {"resources": {"limits": {"memory": "4Gi"}, "requests": {"cpu": "500m"}}}},
    {"model": {"tag": "14b"}, "server": {"resources": {"requests": {"memory": "64Gi"}}}},
    {"model": {"tag": "14b"}, "server": {"resources": {"limits": {"cpu": "1"}}}},
    {"model": {"tag": "671b"}, "enableNvidia": True,
     "server": {"resources": {"limits": {"nvidia.com/gpu": 8}}}},
    {"model": {"tag": "32b"}, "enableAMD": True, "server": {"resources": {"requests": {"amd.com/gpu": "3"}}}},
    {"model": {"repository": "qwen3", "tag": "8b"}, "server": {"resources": {"limits": {"memory": "8Gi"}}},
     "persistence": {"size": "20Gi"}},
    {"model": {"repository": "qwen3", "tag": "8b"}, "enableNvidia": True, "persistence": {"size": "20Gi"},
     "server": {"resources": {"requests": {"memory": "2Gi"}}}},
    {"models": ["deepseek-r1:7b", "registry.local/library/deepseek-r1:70b", "deepseek-r1:1.5b"]},
    {"models": ["qwen3:8b"], "persistence": {"size": "100Gi"}},
    {"model": {"tag": "70b"}, "persistence": {"size": 53687091200}},
    {"model": {"registry": "harbor.local/ollama/", "tag": "7b-qwen-distill-q4_K_M", "keepAlive": "30m"}},
    {"model": {"tag": "7b", "keepAlive": 300}, "server": {"image": {"tag": "0.5.7"}}},
    {"model": {"tag": "8b"}, "server": {"image": {"tag": "v0.7.1-rocm"}}, "enableAMD": True},
    {"model": {"tag": "8b"}, "server": {"image": {"tag": "0.5.7", "digest": "sha256:" + "a" * 64}}},
    {"model": {"tag": "1.5b", "contextLength": 512}},
    # several models: the pod holds the largest maxLoadedModels of model + models (aliases count once)
    {"model": {"tag": "1.5b"}, "models": ["deepseek-r1:70b", "deepseek-r1:7b"]},
    {"model": {"tag": "1.5b"}, "models": ["deepseek-r1:70b", "deepseek-r1:7b", "deepseek-r1:latest"],
     "server": {"maxLoadedModels": 2}},
    {"model": {"tag": "8b"}, "models": ["deepseek-r1:latest", "deepseek-r1:8b-0528-qwen3-q4_K_M", "qwen3:8b"],
     "server": {"maxLoadedModels": 3}, "persistence": {"size": "30Gi"}},
    {"model": {"tag": "14b", "contextLength": 200000}, "models": ["deepseek-r1:671b", "deepseek-r1:7b"],
     "server": {"maxLoadedModels": 5}},
    {"model": {"tag": "7b"}, "models": ["deepseek-r1:32b", "deepseek-r1:14b"], "enableNvidia": True,
     "server": {"maxLoadedModels": 2}, "gpu": {"memoryPerGPU": "80Gi"}},
    {"model": {"tag": "7b"}, "models": ["deepseek-r1:14b", "deepseek-r1:1.5b"], "enableAMD": True,
     "server": {"maxLoadedModels": 3}, "gpu": {"memoryPerGPU": "24Gi"}},
]
# maxLoadedModels x extra-model sets x accelerators: the chart's selection and sum equal Python's.
EXTRA_SETS = [["deepseek-r1:1.5b"], ["deepseek-r1:70b", "deepseek-r1:7b-qwen-distill-q4_K_M"],
              ["deepseek-r1:14b", "deepseek-r1:32b", "deepseek-r1:8b-llama-distill-q8_0", "deepseek-r1:7b"]]
LOADED = [
    {"model": {"tag": tag}, "models": extras, "server": {"maxLoadedModels": n}, **ACCELERATORS[acc],
     **({"gpu": {"memoryPerGPU": "80Gi"}} if acc != "cpu" else {})}
    for tag in ("1.5b", "14b") for extras in EXTRA_SETS for n in (1, 2, 3) for acc in ACCELERATORS
]
MATRIX = [
    {"model": {"tag": tag, "contextLength": ctx, "parallel": parallel, "kvCacheType": kv},
     **ACCELERATORS[acc], **({"gpu": {"memoryPerGPU": mem}} if mem else {})}
    for tag in TAGS for acc in ACCELERATORS
    for ctx, kv, parallel, mem in (CPU_POINTS if acc == "cpu" else GPU_POINTS)
] + SPECIAL + LOADED


@pytest.fixture(scope="module")
def staged_chart(chart: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The packaged chart unpacked, plus the probe template (test-only, in a temporary copy)."""
    root = tmp_path_factory.mktemp("staged")
    with tarfile.open(chart) as tar:
        tar.extractall(root, filter="data")
    chart_dir = root / "deepseek"
    (chart_dir / "charts/backend/templates/zz-sizing-probe.yaml").write_text(PROBE)
    # backend.sizingProbe is test-only, and unknown keys are refused (issue 13); the schema has its
    # own differential test (test_schema_differential.py), this one compares the sizing helper
    (chart_dir / "values.schema.json").unlink()
    return chart_dir


def test_sizing_helper_matches_python_for_the_whole_matrix(staged_chart: Path, tmp_path: Path) -> None:
    expected = {}
    cases = []
    for case in MATRIX:
        result, _ = _sizing(case)
        if result is not None:  # failing cases abort a helm run: layer 2 checks that they fail alike
            expected[len(cases)] = result
            cases.append(case)
    assert len(cases) > 200, "the matrix lost its breadth"
    assert all(_sizing(case)[0] is not None for case in SPECIAL), "a special case stopped being valid"
    values = tmp_path / "probe.yaml"
    values.write_text(yaml.safe_dump({"backend": {"sizingProbe": cases}}))
    text = helm_template_text(staged_chart, values_files=[values],
                              extra_args=["--show-only", "charts/backend/templates/zz-sizing-probe.yaml"])
    rendered = {doc["case"]: doc["sizing"] for doc in yaml.safe_load_all(text) if doc}
    assert len(rendered) == len(cases)
    mismatches = [(cases[i], rendered[i], expected[i]) for i in expected if rendered[i] != expected[i]]
    assert not mismatches, f"{len(mismatches)} differ, first: {mismatches[0]}"


# --- 2. the real chart ---------------------------------------------------------------------------------

GPU_CELLS = ((4096, "16Gi"), (32768, "80Gi"))
# Every model on every accelerator; the context/GPU cell alternates so that each accelerator meets
# both cells across the models (the whole cross product, with every context length, is layer 1's).
REAL = [
    (tag, acc, *GPU_CELLS[(i + j) % len(GPU_CELLS)])
    for i, tag in enumerate(TAGS) for j, acc in enumerate(ACCELERATORS)
]


def _real_values(tag: str, acc: str, ctx: int, mem: str) -> dict[str, Any]:
    flat: dict[str, Any] = {"backend.model.tag": tag, "backend.model.contextLength": ctx}
    if acc != "cpu":
        flat[f"backend.enable{'Nvidia' if acc == 'nvidia' else 'AMD'}"] = True
        flat["backend.gpu.memoryPerGPU"] = mem
    return flat


def _render_or_error(chart: Path, flat: dict[str, Any]) -> list[dict] | HelmError:
    try:
        return render(chart, set_values=flat)
    except HelmError as exc:
        return exc


@pytest.fixture(scope="module")
def real_renders(chart: Path) -> dict[tuple, list[dict] | HelmError]:
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = pool.map(lambda combo: _render_or_error(chart, _real_values(*combo)), REAL)
        return dict(zip(REAL, results, strict=True))


def _ollama_container(objects: list[dict]) -> dict:
    deployment = one(objects, "Deployment", "deepseek-backend-server")
    return next(c for c in deployment["spec"]["template"]["spec"]["containers"] if c["name"] == "ollama")


@pytest.mark.slow  # one helm render per matrix cell; `make test` runs it, `make check` does not
@pytest.mark.parametrize("combo", REAL, ids=["-".join(map(str, c)) for c in REAL])
def test_rendered_ollama_resources_and_pvc_equal_resolve(combo: tuple, real_renders: dict) -> None:
    flat = _real_values(*combo)
    rendered = real_renders[combo]
    try:
        resolved = resolve_config(_nested(flat), defaults=DEFAULTS, catalog=CATALOG, schema=SCHEMA)
    except ConfigInvalid as exc:
        assert isinstance(rendered, HelmError), f"helm rendered a config resolve rejects: {exc}"
        paths = {f.path for f in exc.report.errors}
        assert any(path in str(rendered) for path in paths), (paths, str(rendered))
        return
    assert not isinstance(rendered, HelmError), f"resolve accepts what helm rejects: {rendered}"
    backend = resolved["backend"]
    container = _ollama_container(rendered)
    assert container["resources"] == backend["server"]["resources"]
    env = {e["name"]: e.get("value") for e in container.get("env") or []}
    for name, value in backend["server"]["env"].items():
        assert env.get(name) == value, name
    pvc = one(rendered, "PersistentVolumeClaim", "deepseek-models")
    assert pvc["spec"]["resources"]["requests"]["storage"] == backend["persistence"]["size"]


@pytest.mark.slow  # one helm render per matrix cell; `make test` runs it, `make check` does not
def test_the_real_matrix_covers_failures_and_successes(real_renders: dict) -> None:
    outcomes = [isinstance(r, HelmError) for r in real_renders.values()]
    assert any(outcomes) and not all(outcomes)


# --- 3. scenario configs and the serving config --------------------------------------------------------

@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_scenario_configs_render_what_resolve_says(name: str, rendered: dict[str, list[dict]]) -> None:
    values = yaml.safe_load(SCENARIOS[name].read_text()) or {}
    resolved = resolve_config(values, defaults=DEFAULTS, catalog=CATALOG, schema=SCHEMA)
    objects = rendered[name]
    backend = resolved["backend"]
    assert _ollama_container(objects)["resources"] == backend["server"]["resources"]
    pvcs = find(objects, "PersistentVolumeClaim", "deepseek-models")
    if pvcs:
        assert pvcs[0]["spec"]["resources"]["requests"]["storage"] == backend["persistence"]["size"]
    config_map = one(objects, "ConfigMap", "deepseek-serving")
    assert json.loads(config_map["data"]["config.json"]) == serving_config(resolved)
    assert yaml.safe_load(config_map["data"]["catalog.yaml"]) == yaml.safe_load(
        (Path(__file__).resolve().parents[2] / "charts/backend/files/catalog.yaml").read_text())


FAILING = [
    {"model": {"tag": "3b"}},
    {"model": {"tag": "latst"}},
    {"model": {"tag": "8b-llama-distill"}},  # listed by the library only with a quantization suffix
    {"model": {"tag": "deepseek-r1:7b"}},
    {"models": ["deepseek-r1:7b-q8_0"]},
    {"models": ["deepseek-r1:5b"]},
    {"model": {"tag": "8b"}, "server": {"image": {"tag": "0.5.7"}}},
    {"enableNvidia": True, "enableAMD": True},
    {"model": {"repository": "qwen3", "tag": "8b"}},
    {"model": {"repository": "qwen3", "tag": "8b"}, "server": {"resources": {"limits": {"memory": "8Gi"}}}},
    {"model": {"tag": "32b"}, "persistence": {"size": "10Gi"}},
    # quantities the schema admits but the chart's int64 arithmetic cannot hold (50K, 24 and 24K are
    # refused by values.schema.json now, issue 13: tests/chart/test_schema_refusals.py)
    {"persistence": {"size": "50.1234567Gi"}},
    {"enableNvidia": True, "gpu": {"memoryPerGPU": "24.1234567Gi"}},
    {"enableNvidia": True, "gpu": {"memoryPerGPU": "9999999999999Gi"}},
    {"enableAMD": True, "model": {"tag": "671b-q8_0"}, "gpu": {"memoryPerGPU": "80Gi"}},
    {"server": {"resources": {"requests": {"memory": "16Gi"}, "limits": {"memory": "8Gi"}}}},
    {"server": {"resources": {"requests": {"memory": "1.1234567Gi"}}}},  # was 1K: K is no Kubernetes suffix
    {"enableNvidia": True,
     "server": {"resources": {"requests": {"nvidia.com/gpu": 1}, "limits": {"nvidia.com/gpu": 2}}}},
    {"server": {"replicas": 2}},
    {"server": {"autoscaling": {"enabled": True, "maxReplicas": 3}}},
]
HELM_ERROR = re.compile(r"^Error: execution error at \([^)]*\): (.*)$")


def _expected_lines(finding: Finding) -> tuple[str, str]:
    """The chart's deepseek.fail shape of a Python finding: "<path>: <message> Fix: <fix>" per language."""
    catalog = load_messages()
    message, fix = finding.texts(catalog)
    en, zh = f"{finding.path}: {message['en']}", f"{finding.path}: {message['zh']}"
    if fix is not None:
        en += f" {catalog.text('label.fix', 'en')} {fix['en']}"
        zh += f"{catalog.text('label.fix', 'zh')}{fix['zh']}"
    return en, zh


@pytest.mark.parametrize("backend", FAILING, ids=[json.dumps(c, sort_keys=True)[:60] for c in FAILING])
def test_validation_errors_are_the_charts_failures_word_for_word(chart: Path, tmp_path: Path, backend: dict) -> None:
    """A config the validator rejects is one helm refuses, and helm says exactly what validate says."""
    report = validate_config({"backend": backend}, defaults=DEFAULTS, catalog=CATALOG, schema=SCHEMA)
    assert report.errors, backend
    values = tmp_path / "values.yaml"
    values.write_text(yaml.safe_dump({"backend": backend}))
    with pytest.raises(HelmError) as failure:
        render(chart, values_files=[values])
    lines = str(failure.value).splitlines()
    first = next(i for i, line in enumerate(lines) if HELM_ERROR.match(line))
    en, zh = _expected_lines(report.errors[0])
    assert HELM_ERROR.match(lines[first]).group(1) == en  # type: ignore[union-attr]
    assert lines[first + 1] == zh
