"""``deepseek-ext gateway``: run the model gateway in front of one ollama.

Standalone::

    deepseek-ext gateway --listen 127.0.0.1:8080 --ollama-url http://127.0.0.1:11434 \\
        --keys-file keys.yaml --metrics-listen 127.0.0.1:9100

In the chart: ``--keys-file`` is the mounted keys Secret (a directory) and the console's key Secret
(entry ``console``, a trusted proxy key), ``--admin-keys-file`` the manager's key Secret,
``--serving-config`` the serving ConfigMap's config.json (its ``models``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import signal
from pathlib import Path
from typing import Any

from deepseek_ext.core import names

EXIT_OK, EXIT_USAGE = 0, 2


def _int_env(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


def register(subparsers: Any) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = subparsers.add_parser(
        "gateway",
        help="serve ollama's inference API with keys, usage metrics and limits",
        description="The model gateway: forwards only inference and read endpoints of ollama, for the "
        "configured models, to callers with a key; counts usage per key (Prometheus); limits each key's "
        "concurrent requests; renames reasoning to reasoning_content on /v1.",
    )
    p.add_argument("--listen", default=os.environ.get("DEEPSEEK_GATEWAY_LISTEN", "0.0.0.0:11434"),
                   help="HOST:PORT for applications (default 0.0.0.0:11434)")
    p.add_argument("--ollama-url", default=os.environ.get("DEEPSEEK_GATEWAY_OLLAMA_URL", "http://127.0.0.1:11400"),
                   help="the ollama server (default http://127.0.0.1:11400)")
    p.add_argument("--keys-file", action="append", type=Path, default=[],
                   help="YAML `name: key` (or `name: sha256:<hex>`), or a directory with one file per key "
                   "(a mounted Secret); re-read on change (repeatable)")
    p.add_argument("--no-require-key", action="store_true",
                   help="let callers without a key in (as key name `anonymous`); a wrong key is still refused")
    p.add_argument("--metrics-listen", help="HOST:PORT of /metrics, /healthz and /readyz")
    p.add_argument("--admin-listen", help="HOST:PORT of the admin listener (forwards everything)")
    p.add_argument("--admin-keys-file", action="append", type=Path, default=[],
                   help="keys of the admin listener, same formats as --keys-file")
    p.add_argument("--models", help="comma-separated models that may be requested (default: the serving "
                   "config's, else any)")
    p.add_argument("--serving-config", type=Path, default=os.environ.get("DEEPSEEK_SERVING_CONFIG") or None,
                   help="serving config JSON whose `models` may be requested")
    p.add_argument("--max-concurrent", type=int, default=_int_env("DEEPSEEK_GATEWAY_MAX_CONCURRENT", 0),
                   help="requests one key may have open at once (0 = no limit)")
    p.add_argument("--key-max-concurrent", default=os.environ.get("DEEPSEEK_GATEWAY_KEY_MAX_CONCURRENT", ""),
                   help="per-key overrides of --max-concurrent: NAME=N[,NAME=N...]")
    p.add_argument("--max-concurrent-per-user", type=int,
                   default=_int_env("DEEPSEEK_GATEWAY_MAX_CONCURRENT_PER_USER", 0),
                   help="requests one console user (user:<name>) may have open at once (0 = as --max-concurrent)")
    p.add_argument("--trusted-proxy-keys", default=os.environ.get("DEEPSEEK_GATEWAY_TRUSTED_PROXY_KEYS", ""),
                   help="comma-separated key names whose requests may name a user in X-DeepSeek-User "
                   "(metered and limited as user:<name>); the header is ignored from every other key")
    p.add_argument("--tokens-per-minute", type=int, default=_int_env("DEEPSEEK_GATEWAY_TOKENS_PER_MINUTE", 0),
                   help="tokens one key may use per minute (0 = no limit)")
    p.add_argument("--read-timeout", type=float, default=1800.0,
                   help="seconds without a byte from ollama before a request fails (default 1800, >= 600)")
    p.set_defaults(func=cmd_gateway)
    return p


def served_models(args: argparse.Namespace) -> tuple[str, ...] | None:
    if args.models:
        return tuple(names.normalize(m) for m in args.models.split(",") if m.strip())
    if args.serving_config and Path(args.serving_config).is_file():
        config = json.loads(Path(args.serving_config).read_text(encoding="utf-8"))
        models = [config.get("model"), *(config.get("models") or [])]
        return tuple(dict.fromkeys(names.normalize(str(m)) for m in models if m))
    return None


def key_overrides(text: str) -> dict[str, int]:
    """``nextchat=4,app=2`` -> {"nextchat": 4, "app": 2}; malformed items raise ValueError."""
    out: dict[str, int] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ValueError(item)
        out[name.strip()] = max(0, int(value))
    return out


def cmd_gateway(args: argparse.Namespace) -> int:
    from deepseek_ext.adapters.files import load_messages
    from deepseek_ext.gateway.app import GatewayConfig, Listen, serve
    from deepseek_ext.gateway.keys import KeyStore
    from deepseek_ext.gateway.limits import LimitConfig

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.read_timeout < 600:
        logging.error("gateway: --read-timeout must be at least 600 s (NextChat waits 10 minutes)")
        return EXIT_USAGE
    try:
        overrides = key_overrides(args.key_max_concurrent)
    except ValueError as exc:
        logging.error("gateway: --key-max-concurrent: %r is not NAME=N", str(exc))
        return EXIT_USAGE
    config = GatewayConfig(
        ollama_url=args.ollama_url,
        catalog=load_messages(),
        keys=KeyStore(args.keys_file) if args.keys_file else None,
        require_key=not args.no_require_key,
        models=served_models(args),
        limits=LimitConfig(concurrent=max(0, args.max_concurrent), tokens_per_minute=max(0, args.tokens_per_minute),
                           concurrent_per_key=overrides, concurrent_per_user=max(0, args.max_concurrent_per_user)),
        admin_keys=KeyStore(args.admin_keys_file) if args.admin_keys_file else None,
        read_timeout=args.read_timeout,
        trusted_proxy_keys=frozenset(n.strip() for n in args.trusted_proxy_keys.split(",") if n.strip()),
    )

    async def run() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await serve(config, listen=Listen.parse(args.listen),
                    metrics_listen=Listen.parse(args.metrics_listen) if args.metrics_listen else None,
                    admin_listen=Listen.parse(args.admin_listen) if args.admin_listen else None, stop=stop)

    _event_loop_runner()(run())
    return EXIT_OK


def _event_loop_runner() -> Any:
    """uvloop when installed (the image has it): the gateway spends its CPU in the event loop, one
    wake-up per streamed chunk, and uvloop's loop costs a fraction of asyncio's per event."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run
    return uvloop.run
