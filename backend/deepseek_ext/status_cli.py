"""``deepseek-ext status``: the same report as ``GET .../status``, for a terminal or a pipeline.

Registered through ``deepseek_ext.cli.COMMAND_MODULES``. It reads the cluster with the current
kubeconfig (or ``--kubeconfig``) and asks ollama directly: from outside the cluster pod IPs are
usually unreachable, so ``--ollama-url`` takes a port-forwarded address instead
(``kubectl -n extension-deepseek port-forward svc/deepseek-backend-server-service 11434``).

Exit codes: 0 Ready, 1 Degraded/Failed/Unknown, 2 no usable cluster, 3 still progressing
(Installing, Scheduling, PullingModel, LoadingModel): a pipeline can wait on 3 and stop on 1.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any, TextIO

from deepseek_ext.adapters.files import load_messages
from deepseek_ext.adapters.kube import connect
from deepseek_ext.core.messages import LANGUAGES, Message
from deepseek_ext.core.phases import IN_PROGRESS_PHASES, StatusPhase
from deepseek_ext.services.status import OllamaCache, get_status
from deepseek_ext.settings import SettingsError, load_settings

EXIT_READY, EXIT_PROBLEM, EXIT_NO_CLUSTER, EXIT_PROGRESSING = 0, 1, 2, 3


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "status",
        help="explain the state of the install (exit 0 Ready, 1 problem, 2 no cluster, 3 in progress)",
        description="Print the status report (phase, components, findings with evidence and fix, models, "
        "endpoints) of the install the kubeconfig points at.",
    )
    p.add_argument("-o", "--output", choices=("text", "json"), default="text")
    p.add_argument(
        "-n",
        "--namespace",
        help="namespace of the extension (default: $DEEPSEEK_NAMESPACE, else extension-deepseek)",
    )
    p.add_argument("--kubeconfig", help="kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)")
    p.add_argument(
        "--ollama-url",
        help="ask this ollama instead of the pods' IPs, e.g. a port-forward http://127.0.0.1:11434",
    )
    p.add_argument("--lang", choices=("en", "zh"), help="language of the text output (default: from $LANG)")
    p.set_defaults(func=cmd_status)


def _error(msg: Message, err: TextIO) -> None:
    """An error in both languages (``cli.errorLine``): a pipeline's log is read by anyone."""
    catalog = load_messages()
    print("\n".join(catalog.text(Message("cli.errorLine", {"message": msg}), lang) for lang in LANGUAGES), file=err)


def _language(args: argparse.Namespace) -> str:
    if args.lang:
        return str(args.lang)
    return "zh" if os.environ.get("LANG", "").lower().startswith("zh") else "en"


def cmd_status(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    env = dict(os.environ)
    if args.kubeconfig:
        env["KUBECONFIG"] = args.kubeconfig
    if args.namespace:
        env["DEEPSEEK_NAMESPACE"] = args.namespace
    if args.ollama_url:
        env["DEEPSEEK_OLLAMA_URL"] = args.ollama_url
    try:
        settings = load_settings(env)
    except SettingsError as exc:
        _error(exc.message, err)
        return EXIT_NO_CLUSTER
    kube = connect(settings.cluster)
    if kube.client is None:
        reason = kube.unavailable.message if kube.unavailable else "no kubeconfig"
        _error(Message("cli.status.noCluster", {"reason": reason}), err)
        return EXIT_NO_CLUSTER
    ollama = OllamaCache(ttl=settings.ollama.cache_ttl_seconds, timeout=settings.ollama.timeout_seconds,
                         per_pod=settings.ollama.cache_per_pod_seconds)
    report = get_status(settings=settings, kube=kube, ollama=ollama)
    lang = _language(args)
    if args.output == "json":
        print(json.dumps(report, indent=2, ensure_ascii=False), file=out)
    else:
        print(render_text(report, lang), file=out)
    if report["phase"] == StatusPhase.READY:
        return EXIT_READY
    return EXIT_PROGRESSING if report["phase"] in IN_PROGRESS_PHASES else EXIT_PROBLEM


def render_text(report: dict[str, Any], lang: str) -> str:
    """A terminal view: phase, then each component with its findings, the fix indented below."""
    lines = [f"{report['phase']}: {report['message'][lang]}"]
    progress = report.get("progress")
    if progress:
        lines.append(
            f"  {progress['model']}: {progress['percent']:.1f}% "
            f"({progress['completedBytes']}/{progress['totalBytes']} bytes)"
        )
    for component in report["components"]:
        lines.append(f"{component['name']:<9} {component['state']}")
        for finding in component["findings"]:
            lines.append(f"  [{finding['severity']}] {finding['code']}: {finding['message'][lang]}")
            evidence = finding.get("evidence") or {}
            shown = ", ".join(
                f"{k}={v}" for k, v in evidence.items() if k in ("kind", "name", "field", "value")
            )
            if shown:
                lines.append(f"      evidence: {shown}")
            if evidence.get("event"):
                lines.append(f"      event: {evidence['event']}")
            if finding.get("fix"):
                lines.append(f"      fix: {finding['fix'][lang]}")
    for model in report["models"]:
        lines.append(f"model {model['name']}: {model['state']}")
    lines.append(
        f"ollama: {report['endpoints']['ollama']}  openai: {report['endpoints']['openai']}"
        + (f"  chat: {report['endpoints']['chat']}" if report["endpoints"].get("chat") else "")
    )
    return "\n".join(lines)
