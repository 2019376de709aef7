"""``GET models``: the catalog with the default sizing per accelerator, and each model's state in a cluster.

Sizing comes from ``core.sizing.compute_sizing`` on the default values with only the tag and the
accelerator changed, so these numbers are the ones ``deepseek-ext resolve`` prints for that choice.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from deepseek_ext.adapters.kube import Kube, KubeError
from deepseek_ext.core import names
from deepseek_ext.core.catalog import Catalog
from deepseek_ext.core.sizing import compute_sizing
from deepseek_ext.core.status import Inputs, model_states
from deepseek_ext.core.validation import merge_values
from deepseek_ext.settings import Settings

ACCELERATORS = ("cpu", "nvidia", "amd")


def default_sizing(catalog: Catalog, defaults: Mapping[str, Any], tag: str) -> list[dict[str, Any]]:
    """One entry per accelerator the model can run on with the defaults (too big for max GPUs = omitted)."""
    out = []
    for acc in ACCELERATORS:
        values = {
            "backend": {
                "model": {"tag": tag},
                "enableNvidia": acc == "nvidia",
                "enableAMD": acc == "amd",
                "server": {"resources": {}},
            }
        }
        backend = merge_values(defaults, values).get("backend") or {}
        outcome = compute_sizing(backend, catalog=catalog)
        if outcome.result is None:
            continue
        resources = outcome.result.get("resources") or {}
        out.append(
            {
                "accelerator": acc,
                "requests": {k: str(v) for k, v in (resources.get("requests") or {}).items()},
                "limits": {k: str(v) for k, v in (resources.get("limits") or {}).items()},
                "gpuCount": int(outcome.result.get("gpuCount") or 0),
                "memoryBytes": int(
                    (outcome.result.get("estimate") or {}).get(
                        "needCpuMiB" if acc == "cpu" else "needGpuMiB", 0
                    )
                )
                * 1048576,
            }
        )
    return out


def catalog_entries(catalog: Catalog, defaults: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The static part of the answer (the API computes it once per process: catalog and defaults are
    fixed)."""
    return [
        {
            "name": m.name,
            "tag": m.tag,
            "info": m.to_dict(),
            "sizing": default_sizing(catalog, defaults, m.tag),
        }
        for m in catalog.models
    ]


def list_models(
    *, entries: list[dict[str, Any]], settings: Settings, kube: Kube, ollama: Any
) -> dict[str, Any]:
    """``{"models": [...], "clusterState": bool}`` from ``catalog_entries``; states only when the cluster
    answers."""
    entries = [dict(e) for e in entries]
    states: dict[str, dict[str, Any]] = {}
    cluster_state = False
    if kube.client is not None:
        from deepseek_ext.services.status import model_state, ollama_targets, serving_config

        try:
            snapshot = kube.snapshot()
        except KubeError:
            snapshot = None
        if snapshot is not None and snapshot.get("pods") is not None:
            config, _ = serving_config(settings, snapshot)
            observations = ollama.observe(ollama_targets(settings, config, snapshot.get("pods")))
            if any(o.tags is not None for o in observations):
                cluster_state = True
                # Every catalog model, not only the configured ones: the catalog is what this lists.
                config = {**config, "models": [e["name"] for e in entries] + list(config.get("models") or [])}
                found, _ = model_states(
                    Inputs(
                        config=config,
                        namespace=settings.cluster.namespace,
                        state=model_state(snapshot),
                        observations=observations,
                    )
                )
                states = {names.key(m["name"]): m for m in found}
    for entry in entries:
        entry["state"] = states.get(names.key(entry["name"])) if cluster_state else None
    return {"models": entries, "clusterState": cluster_state}
