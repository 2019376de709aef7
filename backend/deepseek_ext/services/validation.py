"""``config/validate`` and ``config/resolve``: the sizing engineer's pure rules plus live cluster checks.

The document rules (types, sizing, catalog) are ``core.validation`` / ``core.config``, exactly
what the CLI runs; in a cluster this adds ``core.live_checks`` on the shared snapshot (nodes,
StorageClasses, PVCs). Without a cluster, or when those lists cannot be read, the answer says
the live checks were skipped instead of failing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from deepseek_ext.adapters.files import load_messages, load_values_schema
from deepseek_ext.adapters.kube import Kube, KubeError
from deepseek_ext.core.catalog import Catalog
from deepseek_ext.core.config import ConfigInvalid, resolve_config, serving_config
from deepseek_ext.core.findings import Finding, FindingCode, Severity
from deepseek_ext.core.live_checks import detect_node_findings, detect_storage_findings
from deepseek_ext.core.messages import message
from deepseek_ext.core.objects import DEFAULT_NAMES
from deepseek_ext.core.validation import validate_config
from deepseek_ext.core.values_schema import ValuesSchema

LIVE_RESOURCES = ("nodes", "storageclasses", "persistentvolumeclaims")


def _skipped(reason: str, **params: Any) -> Finding:
    """ClusterChecksSkipped with a ``validation.skipped.<reason>`` phrase; ``evidence.reason`` is the reason."""
    return Finding(
        FindingCode.CLUSTER_CHECKS_SKIPPED,
        Severity.INFO,
        params={"reason": message(f"validation.skipped.{reason}", **params)},
        evidence={"reason": reason, **params},
    )


def live_findings(
    effective: Mapping[str, Any],
    sizing: Mapping[str, Any],
    *,
    catalog: Catalog,
    nodes: list[dict[str, Any]],
    storage_classes: list[dict[str, Any]],
    pvcs: list[dict[str, Any]],
) -> list[Finding]:
    backend = effective.get("backend") or {}
    server = backend.get("server") or {}
    selector = {
        **dict(server.get("nodeSelector") or {}),
        **dict((effective.get("global") or {}).get("nodeSelector") or {}),
    }
    memory_per_gpu = None
    if sizing.get("accelerator") != "cpu":
        memory_per_gpu = str(
            (backend.get("gpu") or {}).get("memoryPerGPU") or catalog.sizing.default_gpu_memory
        )
    findings = detect_storage_findings(
        persistence=backend.get("persistence") or {},
        storage_needed=sizing.get("storage"),
        pvc_name=DEFAULT_NAMES.pvc,
        pvcs=pvcs,
        storage_classes=storage_classes,
    )
    findings += detect_node_findings(
        sizing=sizing,
        node_selector={k: str(v) for k, v in selector.items()},
        memory_per_gpu=memory_per_gpu,
        nodes=nodes,
    )
    return findings


def validate(
    values: Mapping[str, Any], *, catalog: Catalog, defaults: Mapping[str, Any], kube: Kube | None,
    schema: ValuesSchema | None = None,
) -> dict[str, Any]:
    """``{"valid", "errors", "warnings", "info", "clusterChecks"}`` for one config (``schema``: the
    shipped values.schema.json unless given)."""
    report = validate_config(values, defaults=defaults, catalog=catalog, schema=schema or load_values_schema())
    errors, warnings, info = list(report.errors), list(report.warnings), []
    cluster_checks = False
    sizing = report.sizing.result if report.sizing is not None else None
    if kube is None or kube.client is None:
        info.append(_skipped("noCluster"))
    elif sizing is None:
        info.append(_skipped("documentErrors"))
    else:
        try:
            snapshot = kube.snapshot()
        except KubeError as exc:
            info.append(_skipped("clusterError", detail=exc.message))
        else:
            failed = [r for r in LIVE_RESOURCES if snapshot.get(r) is None]
            if failed:
                info.append(_skipped("unreadable", resources=failed))
            else:
                cluster_checks = True
                for finding in live_findings(
                    report.effective,
                    sizing,
                    catalog=catalog,
                    nodes=snapshot.get("nodes") or [],
                    storage_classes=snapshot.get("storageclasses") or [],
                    pvcs=snapshot.get("persistentvolumeclaims") or [],
                ):
                    (errors if finding.severity == Severity.ERROR else warnings).append(finding)
    return {
        "valid": not errors,
        "errors": [f.to_dict(load_messages()) for f in errors],
        "warnings": [f.to_dict(load_messages()) for f in warnings],
        "info": [f.to_dict(load_messages()) for f in info],
        "clusterChecks": cluster_checks,
    }


def resolve(
    values: Mapping[str, Any], *, catalog: Catalog, defaults: Mapping[str, Any], schema: ValuesSchema | None = None
) -> dict[str, Any]:
    """``{"valid", "errors", "warnings", "resolved", "serving"}``: the effective config as the CLI prints
    it."""
    schema = schema or load_values_schema()
    try:
        resolved = resolve_config(values, defaults=defaults, catalog=catalog, schema=schema)
    except ConfigInvalid as exc:
        return {
            "valid": False,
            "errors": [f.to_dict(load_messages()) for f in exc.report.errors],
            "warnings": [f.to_dict(load_messages()) for f in exc.report.warnings],
            "resolved": None,
            "serving": None,
        }
    report = validate_config(values, defaults=defaults, catalog=catalog, schema=schema)
    return {
        "valid": True,
        "errors": [],
        "warnings": [f.to_dict(load_messages()) for f in report.warnings],
        "resolved": resolved,
        "serving": serving_config(resolved),
    }
