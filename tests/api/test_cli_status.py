"""``deepseek-ext status`` prints the same report as the API, against the same doubles."""

from __future__ import annotations

import json

from deepseek_ext.adapters.files import load_messages
from deepseek_ext.core.messages import Message

from tests.services.test_status_scenarios import s_image


def cli_args(stack, *extra: str) -> list[str]:
    kubeconfig = stack.kube.write_kubeconfig(stack.workdir / "cli-kubeconfig")
    serving = stack.api.serving_dir / "config.json"
    return [
        "status",
        "--kubeconfig",
        str(kubeconfig),
        "--ollama-url",
        f"http://{stack.fleet.ips[0]}:{stack.fleet.port}",
        *extra,
    ], {"DEEPSEEK_SERVING_CONFIG": str(serving)}


def test_status_json_on_a_healthy_install_exits_0(scenario, runner, monkeypatch):
    args, env = cli_args(scenario, "-o", "json")
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    result = runner(*args)
    assert result.code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["phase"] == "Ready" and [m["state"] for m in report["models"]] == ["loaded"]


def test_status_text_names_the_problem_and_the_fix_in_chinese(scenario, runner, monkeypatch):
    s_image(scenario)
    args, env = cli_args(scenario, "--lang", "zh")
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    as_json = json.loads(runner(*args, "-o", "json").stdout)
    [finding] = [f for c in as_json["components"] for f in c["findings"] if f["code"] == "ImagePullFailed"]
    result = runner(*args)
    assert result.code == 1, result.stdout + result.stderr
    # Labels, states and severities are translated too (issue 16): compare with the catalog's words.
    say = lambda key, **params: load_messages().text(Message(key, params), "zh")  # noqa: E731
    assert result.stdout.startswith(say("cli.status.phase.Failed") + "：")
    severity = Message("cli.status.severity.error")
    assert say("cli.status.finding", severity=severity, code="ImagePullFailed",
               message=finding["message"]["zh"]) in result.stdout
    assert say("cli.status.fix", fix=finding["fix"]["zh"]) in result.stdout
    assert say("cli.status.evidence", items="") + say("cli.status.evidenceKey.kind") + "=Pod" in result.stdout


def test_status_without_a_cluster_exits_2_saying_how_to_connect(runner, monkeypatch, tmp_path):
    monkeypatch.delenv("KUBECONFIG", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    result = runner("status")
    assert result.code == 2
    assert "KUBECONFIG" in result.stderr and "错误" in result.stderr
