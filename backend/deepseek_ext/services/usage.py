"""The usage summary of every model gateway (``GET P/usage``): per caller, summed over the pods.

Each gateway counts what it served since it started (``GET /usage`` on its admin port); the API
asks every ollama pod's gateway at once, waits at most ``budget`` seconds in all, and sums what
came back. ``podsReporting`` / ``podsTotal`` say how complete the sum is (a pod that is down or
slow is left out, never waited for); ``since`` is the start of the oldest reporting gateway.
Callers are key names or ``user:<name>``; key values never reach this module.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from typing import Any

from deepseek_ext.adapters.gateway import GatewayUnreachable, fetch_usage
from deepseek_ext.adapters.kube import Kube
from deepseek_ext.core.objects import ObjectNames
from deepseek_ext.core.status.common import labels_match
from deepseek_ext.services.status import serving_config
from deepseek_ext.settings import Settings

log = logging.getLogger(__name__)

DEFAULT_BUDGET = 3.0
"""Seconds the whole summary may take (the console polls it)."""
_COUNTS = ("requests", "errors", "promptTokens", "completionTokens")
_MODEL_COUNTS = ("requests", "promptTokens", "completionTokens")
_pool = ThreadPoolExecutor(max_workers=16, thread_name_prefix="gateway-usage")


def gateway_targets(settings: Settings, config: Mapping[str, Any], pods: Sequence[Mapping[str, Any]] | None
                    ) -> list[tuple[str, str]]:
    """(pod, admin URL) of every ollama pod that has an IP and is not being deleted."""
    if settings.ollama.url:
        return [("gateway", settings.ollama.url)]
    names = ObjectNames.from_serving(config)
    port = int(config.get("ollamaAdminPort") or names.ollama_admin_port)
    targets = []
    for pod in pods or ():
        ip = (pod.get("status") or {}).get("podIP")
        meta = pod.get("metadata") or {}
        if ip and not meta.get("deletionTimestamp") and labels_match(names.ollama_selector, pod):
            targets.append((str(meta.get("name") or ip), f"http://{ip}:{port}"))
    return targets


def merge(summaries: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The items of several gateways' summaries, summed per caller and model."""
    callers: dict[str, dict[str, Any]] = {}
    for summary in summaries:
        for item in summary.get("items") or ():
            if not isinstance(item, dict) or not isinstance(item.get("caller"), str):
                continue
            total = callers.setdefault(item["caller"], {"caller": item["caller"], "kind": item.get("kind", "key"),
                                                        **dict.fromkeys(_COUNTS, 0), "models": {}})
            for count in _COUNTS:
                total[count] += _int(item.get(count))
            for model, figures in (item.get("models") or {}).items():
                into = total["models"].setdefault(model, dict.fromkeys(_MODEL_COUNTS, 0))
                for count in _MODEL_COUNTS:
                    into[count] += _int((figures or {}).get(count))
    for total in callers.values():
        total["models"] = dict(sorted(total["models"].items()))
    return sorted(callers.values(), key=lambda t: (t["kind"], t["caller"]))


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def usage_summary(*, settings: Settings, kube: Kube, budget: float = DEFAULT_BUDGET,
                  fetch: Callable[[str], dict[str, Any]] | None = None) -> dict[str, Any]:
    """The contract's ``GET P/usage`` body (docs/api-reference.md)."""
    snapshot = kube.snapshot() if kube.client is not None else None
    if snapshot is None and not settings.ollama.url:
        raise kube.unavailable or RuntimeError("no cluster")
    config, _ = serving_config(settings, snapshot)
    targets = gateway_targets(settings, config, snapshot.get("pods") if snapshot is not None else None)
    ask = fetch or (lambda url: fetch_usage(url, timeout=budget))
    futures = {_pool.submit(ask, url): pod for pod, url in targets}
    done, _ = wait(futures, timeout=budget)
    summaries = []
    for future in done:
        try:
            summaries.append(future.result())
        except GatewayUnreachable as exc:
            log.info("usage: gateway of pod %s did not answer (%s)", futures[future], exc)
    since = min((str(s["since"]) for s in summaries if s.get("since")), default=None)
    return {"items": merge(summaries), "podsReporting": len(summaries), "podsTotal": len(targets), "since": since}
