"""``deepseek-ext edge``: the API pod's front on the APIService port.

In the chart::

    deepseek-ext edge --listen 0.0.0.0:8443 --upstream http://127.0.0.1:8081 \\
        --tls-cert /etc/deepseek/tls/tls.crt --tls-key /etc/deepseek/tls/tls.key

Locally (``make run``): plain http, ``--no-verify-caller`` (identity from ``X-Remote-User`` as
ks-apiserver sends it). Every flag also reads a ``DEEPSEEK_*`` variable (shown in ``--help``).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_USAGE = 0, 2


def _env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in ("1", "true", "yes", "on")


def _positive(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text} must be greater than 0")
    return value


def register(subparsers: Any) -> argparse.ArgumentParser:
    from deepseek_ext.edge.config import (
        BODY_TIMEOUT_SECONDS,
        DEFAULT_GATEWAY_URL,
        DEFAULT_KS_APISERVER_URL,
        MAX_BODY_BYTES,
    )

    env = os.environ.get
    p: argparse.ArgumentParser = subparsers.add_parser(
        "edge",
        help="serve the APIService port: buffer bodies, verify callers, chat, forward to gunicorn",
        description="The API pod's async front: reads each request body completely (limit, deadline) before "
        "gunicorn sees it, serves TLS, checks the caller's bearer token against ks-apiserver on writes, routes "
        "chat/completions to the model gateway and forwards everything else to gunicorn on loopback.",
    )
    p.add_argument("--listen", default=env("DEEPSEEK_EDGE_LISTEN", "0.0.0.0:8443"),
                   help="HOST:PORT [DEEPSEEK_EDGE_LISTEN] (default 0.0.0.0:8443)")
    p.add_argument("--upstream", default=env("DEEPSEEK_EDGE_UPSTREAM", "http://127.0.0.1:8081"),
                   help="gunicorn's URL [DEEPSEEK_EDGE_UPSTREAM] (default http://127.0.0.1:8081)")
    p.add_argument("--tls-cert", type=Path, default=env("DEEPSEEK_EDGE_TLS_CERT") or None,
                   help="PEM certificate (chain) to serve TLS with [DEEPSEEK_EDGE_TLS_CERT]; without it plain http")
    p.add_argument("--tls-key", type=Path, default=env("DEEPSEEK_EDGE_TLS_KEY") or None,
                   help="its PEM private key [DEEPSEEK_EDGE_TLS_KEY]")
    p.add_argument("--verify-caller", action=argparse.BooleanOptionalAction,
                   default=_env_flag("DEEPSEEK_VERIFY_CALLER", True),
                   help="check the bearer token against ks-apiserver on writes, chat and secret reads "
                   "[DEEPSEEK_VERIFY_CALLER] (default on)")
    p.add_argument("--ks-apiserver-url", default=env("DEEPSEEK_KS_APISERVER_URL", DEFAULT_KS_APISERVER_URL),
                   help=f"where GET /oauth/userinfo is asked [DEEPSEEK_KS_APISERVER_URL] (default "
                   f"{DEFAULT_KS_APISERVER_URL})")
    p.add_argument("--identity-ttl", type=_positive, default=60.0,
                   help="seconds a verified token is believed without asking again (default 60)")
    p.add_argument("--gateway-url", default=env("DEEPSEEK_GATEWAY_URL", DEFAULT_GATEWAY_URL),
                   help=f"the model gateway for chat [DEEPSEEK_GATEWAY_URL] (default {DEFAULT_GATEWAY_URL})")
    p.add_argument("--gateway-console-key-file", type=Path,
                   default=env("DEEPSEEK_GATEWAY_CONSOLE_KEY_FILE") or None,
                   help="file holding the gateway's console key [DEEPSEEK_GATEWAY_CONSOLE_KEY_FILE]")
    p.add_argument("--max-body-bytes", type=int, default=MAX_BODY_BYTES,
                   help=f"largest request body (default {MAX_BODY_BYTES})")
    p.add_argument("--body-timeout", type=_positive, default=BODY_TIMEOUT_SECONDS,
                   help=f"seconds a body may take to arrive (default {BODY_TIMEOUT_SECONDS:g})")
    p.set_defaults(func=cmd_edge)
    return p


def config_from_args(args: argparse.Namespace) -> Any:
    from deepseek_ext.edge.config import ChatSettings, EdgeConfig, IdentitySettings

    return EdgeConfig(
        upstream_url=args.upstream,
        max_body_bytes=args.max_body_bytes,
        body_timeout_seconds=args.body_timeout,
        identity=IdentitySettings(verify_caller=args.verify_caller, ks_apiserver_url=args.ks_apiserver_url,
                                  ttl_seconds=args.identity_ttl),
        chat=ChatSettings(gateway_url=args.gateway_url, console_key_file=args.gateway_console_key_file),
    )


def cmd_edge(args: argparse.Namespace) -> int:
    from deepseek_ext.edge.app import serve, server_ssl_context
    from deepseek_ext.gateway.app import Listen

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if (args.tls_cert is None) != (args.tls_key is None):
        logging.error("edge: --tls-cert and --tls-key go together")
        return EXIT_USAGE
    for url in (args.upstream, args.ks_apiserver_url, args.gateway_url):
        if not url.startswith(("http://", "https://")):
            logging.error("edge: %s must start with http:// or https://", url)
            return EXIT_USAGE
    ssl_context = server_ssl_context(args.tls_cert, args.tls_key) if args.tls_cert else None
    config = config_from_args(args)

    async def run() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await serve(config, listen=Listen.parse(args.listen), ssl_context=ssl_context, stop=stop)

    asyncio.run(run())
    return EXIT_OK
