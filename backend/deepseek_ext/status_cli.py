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
from datetime import UTC, datetime
from typing import Any, TextIO

from deepseek_ext.adapters.files import load_messages
from deepseek_ext.adapters.kube import connect
from deepseek_ext.core.messages import LANGUAGES, Message
from deepseek_ext.core.phases import IN_PROGRESS_PHASES, StatusPhase
from deepseek_ext.services.status import OllamaCache, get_status, model_state
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
        try:
            records = model_state(kube.snapshot())  # the manager's record: attempts, next retry
        except Exception:  # the report already says why the cluster cannot be read
            records = None
        print(render_text(report, lang, records), file=out)
    if report["phase"] == StatusPhase.READY:
        return EXIT_READY
    return EXIT_PROGRESSING if report["phase"] in IN_PROGRESS_PHASES else EXIT_PROBLEM


def render_text(
    report: dict[str, Any],
    lang: str,
    records: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> str:
    """A terminal view in one language, every word from the catalog: phase, each component with its
    findings (the fix indented below), each model with its manager phase, download rate, ETA,
    attempts and next retry (``records``: the manager's ``state.json`` models), then the endpoints."""
    catalog = load_messages()
    now = now or datetime.now(UTC)

    def say(key: str, **params: Any) -> str:
        return catalog.text(Message(key, params), lang)

    phase = report["phase"]
    lines = [say("cli.status.phaseLine", phase=Message(f"cli.status.phase.{phase}"), message=report["message"][lang])]
    for component in report["components"]:
        title = say(f"component.{component['name']}")
        lines.append(f"{title}  {say('componentState.' + component['state'])}")
        for finding in component["findings"]:
            severity = Message(f"cli.status.severity.{finding['severity']}")
            lines.append("  " + say("cli.status.finding", severity=severity, code=finding["code"],
                                    message=finding["message"][lang]))
            evidence = finding.get("evidence") or {}
            shown = [f"{say('cli.status.evidenceKey.' + k)}={evidence[k]}" for k in _EVIDENCE_KEYS if k in evidence]
            if shown:
                lines.append("      " + say("cli.status.evidence", items=", ".join(shown)))
            if evidence.get("event"):
                lines.append("      " + say("cli.status.event", event=evidence["event"]))
            if finding.get("fix"):
                lines.append("      " + say("cli.status.fix", fix=finding["fix"][lang]))
    models = (records or {}).get("models") or {}
    for model in report["models"]:
        record = models.get(model["name"]) or {}
        lines.extend(_model_lines(model, record, say, now))
    endpoints = report["endpoints"]
    if endpoints.get("chat"):
        lines.append(say("cli.status.endpoints.withChat", ollama=endpoints["ollama"], openai=endpoints["openai"],
                         chat=endpoints["chat"]))
    else:
        lines.append(say("cli.status.endpoints", ollama=endpoints["ollama"], openai=endpoints["openai"]))
    return "\n".join(lines)


_EVIDENCE_KEYS = ("kind", "name", "field", "value")


def _model_lines(model: dict[str, Any], record: dict[str, Any], say: Any, now: datetime) -> list[str]:
    """``model <name>: <state> (<phase>)``, then progress, rate and ETA, then attempts and next retry."""
    state = Message(f"modelState.{model['state']}")
    phase = record.get("phase")
    if phase and (model["state"], phase) not in _SAYS_THE_SAME:
        lines = [say("cli.status.model.withPhase", name=model["name"], state=state,
                     phase=Message(f"managerPhase.{phase}"))]
    else:
        lines = [say("cli.status.model", name=model["name"], state=state)]
    progress = model.get("progress") or (record if phase in _DOWNLOAD_PHASES else None)
    if progress and progress.get("totalBytes"):
        parts = [say("cli.status.progress", percent=f"{float(progress.get('percent') or 0):.1f}",
                     completed=_bytes(int(progress.get("completedBytes") or 0), say),
                     total=_bytes(int(progress["totalBytes"]), say))]
        rate = float(progress.get("bytesPerSecond") or 0.0)
        if phase == "Verifying" and record.get("verifyDeadline"):
            parts.append(say("cli.status.verifyUntil", time=record["verifyDeadline"]))
        elif rate > 0:
            parts.append(say("cli.status.rate", rate=_bytes(int(rate), say)))
            eta = progress.get("etaSeconds")
            parts.append(say("cli.status.eta", eta=_duration(float(eta), say)) if eta is not None
                         else say("cli.status.etaUnknown"))
        else:
            parts.append(say("cli.status.stalledNoRate"))
        lines.append("  " + " · ".join(parts))
    attempts = int(record.get("attempts") or 0)
    retry_at = record.get("nextRetryAt")
    error = record.get("lastError") or {}
    if attempts and (retry_at or error):
        parts = [say("cli.status.attempts", attempts=attempts)]
        if error.get("code"):
            parts.append(say("cli.status.lastError", code=error["code"]))
        when = _parse(retry_at)
        if when is not None:
            wait = (when - now).total_seconds()
            parts.append(say("cli.status.nextRetry", time=retry_at, wait=_duration(wait, say)) if wait > 0
                         else say("cli.status.nextRetryDue", time=retry_at))
        lines.append("  " + " · ".join(parts))
    return lines


_DOWNLOAD_PHASES = ("Pulling", "Stalled", "Verifying")
_SAYS_THE_SAME = {("pulling", "Pulling"), ("pulling", "Pending"), ("failed", "Failed"), ("loaded", "Ready"),
                  ("present", "Ready"), ("partial", "Partial"), ("missing", "Missing")}
"""(state, manager phase) pairs where the phase adds nothing to the state."""
_UNITS = ("KiB", "MiB", "GiB", "TiB")


def _bytes(n: int, say: Any) -> str:
    """Binary units (KiB...); plain bytes in the catalog's word for them."""
    if n < 1024:
        return str(say("cli.status.bytesPlain", value=n))
    value = float(n)
    for unit in _UNITS:
        value /= 1024
        if value < 1024 or unit == _UNITS[-1]:
            return f"{value:.1f} {unit}"
    raise AssertionError("unreachable")


def _duration(seconds: float, say: Any) -> str:
    total = max(0, round(seconds))
    if total < 60:
        return str(say("cli.status.seconds", s=total))
    if total < 3600:
        return str(say("cli.status.minutes", m=total // 60, s=total % 60))
    return str(say("cli.status.hours", h=total // 3600, m=total % 3600 // 60))


def _parse(text: Any) -> datetime | None:
    if not isinstance(text, str):
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None
