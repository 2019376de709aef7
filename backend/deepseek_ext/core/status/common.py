"""Helpers every status rule shares: reading Kubernetes objects and making a finding. Pure.

A rule returns :class:`~deepseek_ext.core.findings.Finding` values whose sentences are catalog keys
(``finding.<Code>``, ``finding.<Code>.fix``) with named parameters; nothing here holds text a
person reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from deepseek_ext.core.findings import Finding, FindingCode, Severity
from deepseek_ext.core.phases import Component
from deepseek_ext.core.status.inputs import Obj


def finding(
    code: FindingCode,
    severity: Severity,
    component: Component,
    *,
    params: Mapping[str, Any],
    evidence: Mapping[str, Any],
    path: str | None = None,
    message_key: str | None = None,
    fix_key: str | None = None,
) -> Finding:
    """A status finding; evidence entries that are None are left out (nothing was seen there)."""
    return Finding(
        code,
        severity,
        path=path,
        component=component.value,
        evidence={k: v for k, v in evidence.items() if v is not None},
        params=dict(params),
        message_key=message_key,
        fix_key=fix_key,
    )


def name_of(obj: Obj) -> str:
    """``metadata.name``, or "" when the object has none."""
    return str((obj.get("metadata") or {}).get("name") or "")


def labels_match(selector: Mapping[str, str], obj: Obj) -> bool:
    """The object carries every label of ``selector`` (an empty selector matches nothing)."""
    labels = (obj.get("metadata") or {}).get("labels") or {}
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def find_by_name(items: Sequence[Obj] | None, name: str | None) -> Obj | None:
    return next((i for i in items or () if name_of(i) == name), None)


def events_for(events: Iterable[Obj] | None, kind: str, name: str) -> list[Obj]:
    """Events about one object, newest first."""
    found = [
        e
        for e in events or ()
        if (e.get("involvedObject") or {}).get("kind") == kind and (e.get("involvedObject") or {}).get("name") == name
    ]
    return sorted(found, key=lambda e: str(e.get("lastTimestamp") or e.get("eventTime") or ""), reverse=True)


def event_evidence(event: Obj) -> str:
    """``<reason>: <message>`` of an event, as the evidence shows it."""
    return f"{event.get('reason', '')}: {event.get('message', '')}".strip(": ")


def condition(obj: Obj, kind: str) -> Obj | None:
    """The status condition of type ``kind`` (``Ready``, ``PodScheduled``...), or None."""
    return next((c for c in (obj.get("status") or {}).get("conditions") or [] if c.get("type") == kind), None)


def is_ready_not_terminating(pod: Obj) -> bool:
    """The pod's Ready condition is True and it is not being deleted (no ``deletionTimestamp``).

    This is what the report counts as a ready ollama pod; whether the pod can also be *asked*
    (it has an IP) is the caller's second question (``services.status.ollama_targets``).
    """
    cond = condition(pod, "Ready")
    return bool(cond and cond.get("status") == "True") and not (pod.get("metadata") or {}).get("deletionTimestamp")


def default_storage_class(storage_classes: Iterable[Obj]) -> str | None:
    """The name of the StorageClass annotated as the cluster default, or None."""
    for sc in storage_classes:
        annotations = (sc.get("metadata") or {}).get("annotations") or {}
        if "true" in (
            annotations.get("storageclass.kubernetes.io/is-default-class"),
            annotations.get("storageclass.beta.kubernetes.io/is-default-class"),
        ):
            return name_of(sc)
    return None
