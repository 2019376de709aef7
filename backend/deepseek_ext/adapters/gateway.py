"""The model gateways' admin port, as the extension API reads it: ``GET /usage`` of one gateway.

The gateway's admin listener (pod port 11435, ``gateway/app.py``) answers only with the manager's
key (``adapters.ollama.gateway_admin_key``), and a NetworkPolicy opens it to the API pod only.
Proxies from the environment are ignored: pod IPs are inside the cluster.
"""

from __future__ import annotations

from typing import Any

import requests

from deepseek_ext.adapters.ollama import gateway_admin_key


class GatewayUnreachable(Exception):
    """The gateway did not answer its usage summary (refused, timed out, not JSON, not 200)."""


def fetch_usage(base_url: str, *, timeout: float, session: requests.Session | None = None) -> dict[str, Any]:
    """``{"since", "items"}`` of the gateway at ``base_url`` (its admin port)."""
    s = session or requests.Session()
    s.trust_env = False
    key = gateway_admin_key()
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    try:
        answer = s.get(base_url.rstrip("/") + "/usage", headers=headers, timeout=(min(timeout, 2.0), timeout))
        if answer.status_code != 200:
            raise GatewayUnreachable(f"HTTP {answer.status_code}")
        body = answer.json()
    except (requests.RequestException, ValueError) as exc:
        raise GatewayUnreachable(type(exc).__name__) from exc
    finally:
        if session is None:
            s.close()
    if not isinstance(body, dict) or not isinstance(body.get("items"), list):
        raise GatewayUnreachable("not a usage summary")
    return body
