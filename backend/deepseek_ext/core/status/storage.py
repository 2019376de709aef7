"""Storage: why the models PVC is missing or stays Pending. Pure.

One decision: given the PVC, its events and the cluster's StorageClasses, name the first cause
that explains a Pending claim (access mode, no default class, a missing class, the provisioner).
``PvcNoDefaultStorageClass`` and ``PvcStorageClassNotFound`` are shared with the live validation
checks (``core.live_checks``), which judge a config before install; the status report speaks of a
claim that is already Pending, so its texts are the ``.pending`` variants.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from deepseek_ext.core.findings import Finding, FindingCode, Severity
from deepseek_ext.core.messages import Message, message
from deepseek_ext.core.phases import Component
from deepseek_ext.core.status.common import default_storage_class, event_evidence, events_for, finding, name_of
from deepseek_ext.core.status.inputs import Obj

_ACCESS_MODE_EVENT = re.compile(r"access ?mode|ReadWriteMany|ReadWriteOnce|ReadOnlyMany", re.I)


def _class_names(storage_classes: Sequence[Obj]) -> list[str] | Message:
    """The installed StorageClasses for a fix, or the phrase saying there are none."""
    found = sorted(name_of(sc) for sc in storage_classes)
    return found or message("phrase.noStorageClass")


def detect_pvc_findings(
    *,
    pvc: Obj | None,
    pvc_name: str,
    storage_classes: Sequence[Obj] | None,
    events: Sequence[Obj] | None,
) -> list[Finding]:
    """A missing models PVC, or a Pending one: access mode, no default class, a missing class, provisioning."""
    if pvc is None:
        return [
            finding(
                FindingCode.PVC_MISSING,
                Severity.ERROR,
                Component.STORAGE,
                params={"pvc": pvc_name},
                evidence={"kind": "PersistentVolumeClaim", "name": pvc_name, "field": "metadata.name"},
            )
        ]
    phase = (pvc.get("status") or {}).get("phase")
    if phase != "Pending":
        return []
    name = name_of(pvc)
    spec = pvc.get("spec") or {}
    pvc_events = events_for(events, "PersistentVolumeClaim", name)
    modes = [str(m) for m in spec.get("accessModes") or []]
    for event in pvc_events:
        if event.get("reason") in ("ProvisioningFailed", "FailedBinding") and _ACCESS_MODE_EVENT.search(
            str(event.get("message") or "")
        ):
            return [
                finding(
                    FindingCode.PVC_ACCESS_MODE_UNSUPPORTED,
                    Severity.ERROR,
                    Component.STORAGE,
                    params={"pvc": name, "modes": modes},
                    evidence={
                        "kind": "PersistentVolumeClaim",
                        "name": name,
                        "field": "spec.accessModes",
                        "value": modes,
                        "event": event_evidence(event),
                    },
                    path="backend.persistence.accessModes",
                )
            ]
    class_name = spec.get("storageClassName")
    if storage_classes is not None:
        installed = {name_of(sc) for sc in storage_classes}
        if not class_name and default_storage_class(storage_classes) is None:
            latest = pvc_events[0] if pvc_events else None
            return [
                finding(
                    FindingCode.PVC_NO_DEFAULT_STORAGE_CLASS,
                    Severity.ERROR,
                    Component.STORAGE,
                    params={"pvc": name, "classes": _class_names(storage_classes)},
                    evidence={
                        "kind": "PersistentVolumeClaim",
                        "name": name,
                        "field": "spec.storageClassName",
                        "value": class_name,
                        "event": event_evidence(latest) if latest else None,
                    },
                    path="backend.persistence.storageClass",
                    message_key="finding.PvcNoDefaultStorageClass.pending",
                    fix_key="finding.PvcNoDefaultStorageClass.pending.fix",
                )
            ]
        if class_name and class_name not in installed:
            return [
                finding(
                    FindingCode.PVC_STORAGE_CLASS_NOT_FOUND,
                    Severity.ERROR,
                    Component.STORAGE,
                    params={"pvc": name, "storageClass": class_name, "classes": _class_names(storage_classes)},
                    evidence={
                        "kind": "PersistentVolumeClaim",
                        "name": name,
                        "field": "spec.storageClassName",
                        "value": class_name,
                    },
                    path="backend.persistence.storageClass",
                    message_key="finding.PvcStorageClassNotFound.pending",
                    fix_key="finding.PvcStorageClassNotFound.pending.fix",
                )
            ]
    failed = next((e for e in pvc_events if e.get("reason") == "ProvisioningFailed"), None)
    if failed is not None:
        return [
            finding(
                FindingCode.PVC_PROVISIONING_FAILED,
                Severity.ERROR,
                Component.STORAGE,
                params={"pvc": name, "detail": str(failed.get("message", ""))},
                evidence={
                    "kind": "PersistentVolumeClaim",
                    "name": name,
                    "field": "status.phase",
                    "value": phase,
                    "event": event_evidence(failed),
                },
                path="backend.persistence.storageClass",
            )
        ]
    return []


def pvc_is_bound(pvc: Obj | None) -> bool:
    """The models PVC exists and is Bound (the storage component is then Ready)."""
    return bool(pvc and (pvc.get("status") or {}).get("phase") == "Bound")
