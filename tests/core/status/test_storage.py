"""Storage rule: a missing or Pending models PVC -> the finding that names the cause and the key."""

from __future__ import annotations

from typing import Any

import pytest
from deepseek_ext.core.findings import Finding, FindingCode, Severity
from deepseek_ext.core.messages import message
from deepseek_ext.core.status.storage import detect_pvc_findings

from tests.core.status.builders import Expect, check_all, event, pvc, storage_class

CLASSES = [storage_class("local"), storage_class("nfs")]
DEFAULT = [storage_class("local", default=True)]


def run(case: dict[str, Any]) -> list[Finding]:
    return detect_pvc_findings(**{"pvc_name": "deepseek-models", "storage_classes": CLASSES, "events": [], **case})


def pvc_event(reason: str, text: str) -> list[dict[str, Any]]:
    return [event("PersistentVolumeClaim", "deepseek-models", reason, text)]


CASES = [
    pytest.param({"pvc": pvc()}, [], id="bound: nothing to say"),
    pytest.param({"pvc": pvc(phase="Pending"), "storage_classes": DEFAULT}, [], id="pending, no event yet"),
    pytest.param(
        {"pvc": None, "pvc_name": "models-x"},
        [
            Expect(
                FindingCode.PVC_MISSING,
                Severity.ERROR,
                component="storage",
                params={"pvc": "models-x"},
                evidence={"kind": "PersistentVolumeClaim", "name": "models-x", "field": "metadata.name"},
            )
        ],
        id="missing: named from the serving config",
    ),
    pytest.param(
        {
            "pvc": pvc(phase="Pending", storage_class="local", modes=["ReadWriteMany"]),
            # rancher local-path-provisioner's refusal, as kind and k3s print it
            "events": pvc_event("ProvisioningFailed", 'failed to provision volume with StorageClass "local": '
                                "NodePath only supports ReadWriteOnce and ReadWriteOncePod (1.22+) access modes"),
        },
        [
            Expect(
                FindingCode.PVC_ACCESS_MODE_UNSUPPORTED,
                Severity.ERROR,
                path="backend.persistence.accessModes",
                params={"pvc": "deepseek-models", "modes": ["ReadWriteMany"]},
                evidence={"field": "spec.accessModes", "value": ["ReadWriteMany"]},
            )
        ],
        id="access mode the class cannot give",
    ),
    pytest.param(
        {"pvc": pvc(phase="Pending"), "events": pvc_event("FailedBinding", "no storage class is set")},
        [
            Expect(
                FindingCode.PVC_NO_DEFAULT_STORAGE_CLASS,
                Severity.ERROR,
                path="backend.persistence.storageClass",
                params={"pvc": "deepseek-models", "classes": ["local", "nfs"]},
                evidence={"field": "spec.storageClassName", "event": "FailedBinding: no storage class is set"},
                message_key="finding.PvcNoDefaultStorageClass.pending",
                fix_key="finding.PvcNoDefaultStorageClass.pending.fix",
            )
        ],
        id="no class named, no default class",
    ),
    pytest.param(
        {"pvc": pvc(phase="Pending"), "storage_classes": []},
        [
            Expect(
                FindingCode.PVC_NO_DEFAULT_STORAGE_CLASS,
                Severity.ERROR,
                path="backend.persistence.storageClass",
                params={"classes": message("phrase.noStorageClass")},
                message_key="finding.PvcNoDefaultStorageClass.pending",
                fix_key="finding.PvcNoDefaultStorageClass.pending.fix",
            )
        ],
        id="no class installed at all",
    ),
    pytest.param(
        {"pvc": pvc(phase="Pending", storage_class="gone")},
        [
            Expect(
                FindingCode.PVC_STORAGE_CLASS_NOT_FOUND,
                Severity.ERROR,
                path="backend.persistence.storageClass",
                params={"pvc": "deepseek-models", "storageClass": "gone", "classes": ["local", "nfs"]},
                evidence={"field": "spec.storageClassName", "value": "gone"},
                message_key="finding.PvcStorageClassNotFound.pending",
                fix_key="finding.PvcStorageClassNotFound.pending.fix",
            )
        ],
        id="named class does not exist",
    ),
    pytest.param(
        {"pvc": pvc(phase="Pending", storage_class="nfs"), "events": pvc_event("ProvisioningFailed", "quota exceeded")},
        [
            Expect(
                FindingCode.PVC_PROVISIONING_FAILED,
                Severity.ERROR,
                path="backend.persistence.storageClass",
                params={"pvc": "deepseek-models", "detail": "quota exceeded"},
                evidence={"field": "status.phase", "value": "Pending", "event": "ProvisioningFailed: quota exceeded"},
            )
        ],
        id="provisioner failed for another reason",
    ),
    pytest.param(
        {"pvc": pvc(phase="Pending", storage_class="gone"), "storage_classes": None},
        [],
        id="classes unreadable: no guess about the class",
    ),
]


@pytest.mark.parametrize(("case", "expected"), CASES)
def test_pvc_rule(case: dict[str, Any], expected: list[Expect]) -> None:
    check_all(run(case), expected)
