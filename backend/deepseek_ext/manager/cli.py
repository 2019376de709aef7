"""``deepseek-ext manager``: run the model manager (in the API pod, or locally against one ollama)."""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from deepseek_ext.core.messages import LANGUAGES, Message
from deepseek_ext.core.model_state import ManagerPhase

EXIT_OK, EXIT_NOT_READY, EXIT_USAGE = 0, 1, 2


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``manager`` subcommand to the ``deepseek-ext`` parser."""
    p: argparse.ArgumentParser = subparsers.add_parser(
        "manager",
        help="keep the configured models pulled and loaded on the ollama pods",
        description="Reconcile the models of the serving config with the ollama pods: pull what is missing "
        "with progress, load the default model, publish state.json. Without a cluster, point it at "
        "one ollama with --ollama-url.",
    )
    p.add_argument(
        "--once",
        action="store_true",
        help="one round, print the model states, exit 0 when every model is Ready (else 1)",
    )
    p.add_argument("--interval", type=float, default=10.0, help="seconds between rounds (default 10)")
    p.add_argument("--namespace", help="namespace of the extension (default: DEEPSEEK_NAMESPACE or extension-deepseek)")
    p.add_argument("--ollama-url", help="one ollama server, no cluster (e.g. http://127.0.0.1:11434)")
    p.add_argument("--serving-config", help="serving config JSON (default: DEEPSEEK_SERVING_CONFIG)")
    p.add_argument(
        "--model",
        action="append",
        default=[],
        help="with --ollama-url and no serving config: model to keep (repeatable; first = default)",
    )
    p.add_argument("--offline", action="store_true", help="with --model: never pull (offline mode)")
    p.add_argument(
        "--state-file",
        help="with --ollama-url: where to keep state.json and pull requests "
        "(default: DEEPSEEK_MODEL_STATE_FILE or ./deepseek-model-state.json)",
    )
    p.add_argument(
        "--check-dir",
        type=Path,
        metavar="DIR",
        help="only check a models directory (before copying it to the PVC): is every model complete? "
        "No cluster or ollama needed; exit 0 when all are present",
    )
    p.add_argument("--models-dir", type=Path, help="the models volume mounted here: exact offline checks")
    p.add_argument("--backoff-base", type=float, default=10.0, help="first retry delay in seconds (default 10)")
    p.add_argument("--backoff-cap", type=float, default=600.0, help="longest retry delay in seconds (default 600)")
    p.add_argument(
        "--progress-interval",
        type=float,
        default=2.0,
        help="minimum seconds between state writes (default 2)",
    )
    p.add_argument("--lease-seconds", type=float, default=15.0, help="Lease duration (default 15)")
    p.add_argument(
        "--stall-seconds",
        type=float,
        default=300.0,
        help="a download with no new bytes for this long is Stalled, cancelled and retried (default 300)",
    )
    p.add_argument(
        "--verify-seconds-per-gib",
        type=float,
        default=30.0,
        help="how long ollama's silent sha256 pass may take per GiB, on top of 120 s (default 30)",
    )
    p.add_argument(
        "--check-alive",
        action="store_true",
        help="liveness probe: exit 0 when the running manager's loop made progress recently, else 1",
    )
    p.add_argument(
        "--heartbeat-file",
        type=Path,
        help="the loop's heartbeat (default: DEEPSEEK_MANAGER_HEARTBEAT or /tmp/deepseek-manager/heartbeat.json)",
    )
    p.add_argument(
        "--liveness-rounds",
        type=float,
        default=6.0,
        help="the loop counts as hung after this many intervals without progress (default 6)",
    )
    p.add_argument(
        "--log-level",
        default=os.environ.get("DEEPSEEK_LOG_LEVEL", "INFO"),
        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
    )
    p.set_defaults(func=main)
    return p


def _fail(key: str, **params: Any) -> int:
    """Print ``cli.manager.<key>`` (or a full key) in both languages on stderr; the usage exit code."""
    from deepseek_ext.adapters.files import load_messages

    catalog = load_messages()
    msg = Message(key if "." in key else f"cli.manager.{key}", params)
    lines = (catalog.text(Message("cli.errorLine", {"message": msg}), lang) for lang in LANGUAGES)
    print("\n".join(lines), file=sys.stderr)
    return EXIT_USAGE


def _language() -> str:
    """The terminal's language: ``zh`` when $LANG says Chinese."""
    return "zh" if os.environ.get("LANG", "").lower().startswith("zh") else "en"


def _say(msg: Message) -> str:
    """``msg`` in the terminal's language."""
    from deepseek_ext.adapters.files import load_messages

    return load_messages().text(msg, _language())


def _positive(args: argparse.Namespace) -> str | None:
    for name in ("interval", "backoff_base", "backoff_cap", "progress_interval", "lease_seconds",
                 "stall_seconds", "verify_seconds_per_gib", "liveness_rounds"):
        if getattr(args, name) <= 0:
            return name
    return None


def main(args: argparse.Namespace) -> int:
    from deepseek_ext.adapters.kube import KubeClient, KubeError
    from deepseek_ext.adapters.state_store import ConfigMapStore, FileStore, StateStore
    from deepseek_ext.manager.liveness import heartbeat_path
    from deepseek_ext.manager.run import Manager, ManagerOptions
    from deepseek_ext.manager.sources import file_config_loader
    from deepseek_ext.settings import SettingsError, load_settings

    if args.check_alive:
        return check_alive(args.heartbeat_file)
    logging.basicConfig(level=args.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    bad = _positive(args)
    if bad:
        return _fail("notPositive", flag="--" + bad.replace("_", "-"), given=repr(getattr(args, bad)))
    if args.ollama_url and not args.ollama_url.startswith(("http://", "https://")):
        return _fail("badOllamaUrl", given=repr(args.ollama_url))
    env = dict(os.environ)
    if args.namespace:
        env["DEEPSEEK_NAMESPACE"] = args.namespace
    try:
        settings = load_settings(env)
    except SettingsError as exc:
        return _fail(exc.message.key, **exc.message.params)
    serving = args.serving_config or settings.api.serving_config_file
    if args.model:
        static: Mapping[str, Any] = {
            "model": args.model[0],
            "models": list(args.model),
            "pull": not args.offline,
        }

        def load_config() -> Mapping[str, Any]:
            return static
    elif serving:
        load_config = file_config_loader(serving)
    else:
        return _fail("noDesiredModels")
    if args.check_dir is not None:
        return check_dir(args.check_dir, load_config)
    options = ManagerOptions(
        interval=args.interval,
        backoff_base=args.backoff_base,
        backoff_cap=args.backoff_cap,
        progress_interval=args.progress_interval,
        lease_seconds=args.lease_seconds,
        ollama_url=args.ollama_url.rstrip("/") if args.ollama_url else None,
        models_dir=args.models_dir,
        stall_seconds=args.stall_seconds,
        verify_seconds_per_gib=args.verify_seconds_per_gib,
        liveness_rounds=args.liveness_rounds,
        heartbeat_file=None if args.once else (args.heartbeat_file or heartbeat_path()),
    )
    kube = None
    if args.ollama_url:
        state_file = args.state_file or env.get("DEEPSEEK_MODEL_STATE_FILE") or "deepseek-model-state.json"
        store: StateStore = FileStore(state_file)
    else:
        if settings.cluster.kubeconfig_source is None:
            return _fail("noCluster")
        try:
            kube = KubeClient(settings.cluster)
        except KubeError as exc:
            return _fail("kubeUnusable", detail=exc.message)
        store = ConfigMapStore(kube)
    manager = Manager(options=options, load_config=load_config, store=store, kube=kube)
    if not args.once:
        # kubelet sends SIGTERM on rollout/deletion: leave the pull (ollama keeps it) and hand the Lease over.
        signal.signal(signal.SIGTERM, lambda *_: manager.stop_event.set())
        signal.signal(signal.SIGINT, lambda *_: manager.stop_event.set())
        manager.run()
        return EXIT_OK
    result = manager.reconcile_once()
    if result is None and manager.elector is not None and not manager.elector.leader:
        print(_say(Message("cli.manager.notLeading", {"holder": manager.elector.holder})))
        return EXIT_OK
    models = manager.state.get("models", {})
    print(json.dumps(manager.state, indent=2, ensure_ascii=False, sort_keys=True))
    if manager.state.get("error"):
        return EXIT_USAGE
    return (
        EXIT_OK
        if models and all(r.get("phase") == ManagerPhase.READY for r in models.values() if r.get("desired", True))
        else EXIT_NOT_READY
    )


def check_dir(models_dir: Path, load_config: Any) -> int:
    """Judge every desired model in a models directory (manifests/ + blobs/) and print the verdicts."""
    from deepseek_ext.core import names
    from deepseek_ext.manager.sources import read_models_dir

    if not (models_dir / "manifests").is_dir() and not (models_dir / "blobs").is_dir():
        return _fail("notModelsDir", given=repr(str(models_dir)))
    try:
        config = load_config()
    except (OSError, ValueError) as exc:
        return _fail("manager.configUnreadable", detail=exc)
    models = [names.normalize(str(m)) for m in config.get("models") or [config.get("model")] if m]
    ok = True
    for model in models:
        check = read_models_dir(models_dir, model)
        ok = ok and check.state == "present"
        print(f"{model}: {check.state} ({check.manifest})")
        for problem in check.problems:
            print(f"  - {_say(problem)}")
    return EXIT_OK if ok else EXIT_NOT_READY


def check_alive(path: Path | None) -> int:
    """The container's liveness probe: is the running loop's last beat within its allowance?

    Imports nothing heavy: kubelet runs it every period.
    """
    import time

    from deepseek_ext.manager.liveness import heartbeat_path, judge, read_beat

    path = path or heartbeat_path()
    beat = read_beat(path)
    if beat is None:
        print(_say(Message("cli.manager.noHeartbeat", {"path": str(path)})), file=sys.stderr)
        return EXIT_NOT_READY
    verdict = judge(beat, now=time.monotonic())
    params = {"seconds": f"{verdict.age:.0f}", "limit": f"{verdict.limit:.0f}"}
    if not verdict.alive:
        print(_say(Message("cli.manager.hung", params)), file=sys.stderr)
        return EXIT_NOT_READY
    print(_say(Message("cli.manager.alive", params)))
    return EXIT_OK
