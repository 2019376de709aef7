"""The chart's `lookup` branches, against a kmock Kubernetes emulator on loopback.

`helm template` never contacts a cluster, so lookup returns nothing there; with
`--dry-run=server` helm asks the emulator, which holds the objects of each scenario. This is how
an upgrade or an offline install sees an existing PVC or access-code Secret.
"""

from __future__ import annotations

import asyncio
import base64
import json
from pathlib import Path

import pytest
import yaml

from tests.chart.conftest import COMPAT_DIR
from tests.helmtools import NAMESPACE, RELEASE, find, helm_template_text, load_documents, one

PVC_KEY = ("v1/persistentvolumeclaims", NAMESPACE, "deepseek-models")


def _kubeconfig(url: str, path: Path) -> Path:
    path.write_text(yaml.safe_dump({
        "apiVersion": "v1", "kind": "Config", "current-context": "kmock",
        "clusters": [{"name": "kmock", "cluster": {"server": url}}],
        "users": [{"name": "kmock", "user": {"token": "test"}}],
        "contexts": [{"name": "kmock",
                      "context": {"cluster": "kmock", "user": "kmock", "namespace": NAMESPACE}}],
    }))
    return path


async def _render_against(kmock, chart: Path, tmp_path: Path, **set_values: object) -> list[dict]:
    kubeconfig = _kubeconfig(str(kmock.url).rstrip("/"), tmp_path / "kubeconfig")
    # helm is a subprocess; run it in a thread so the emulator on this event loop can answer it
    text = await asyncio.to_thread(
        helm_template_text, chart, set_values=set_values,
        extra_args=["--dry-run=server", "--kubeconfig", str(kubeconfig)],
    )
    return load_documents(text)


def _pvc(
    *, annotations: dict | None = None, modes: list[str], size: str, storage_class: str | None = None
) -> dict:
    spec: dict = {"accessModes": modes, "resources": {"requests": {"storage": size}},
                  "volumeMode": "Filesystem"}
    if storage_class:
        spec["storageClassName"] = storage_class
    metadata = {"name": "deepseek-models", "namespace": NAMESPACE, "annotations": annotations or {}}
    return {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": metadata, "spec": spec}


@pytest.fixture
def emulator(kmock):
    kmock.resources.load_bundled()
    return kmock


@pytest.mark.asyncio
async def test_a_pvc_the_administrator_created_is_used_as_is(emulator, chart: Path, tmp_path: Path) -> None:
    """The seed README's offline recipe: the PVC exists before the install and is not ours."""
    emulator.objects[PVC_KEY] = yaml.safe_load((COMPAT_DIR / "seed-offline-pvc.yaml").read_text())
    # values still say ReadWriteOnce and 3 replicas: the live ReadWriteMany volume is what counts
    objects = await _render_against(emulator, chart, tmp_path, **{"backend.server.replicas": 3,
                                                                   "backend.model.pull": False})
    assert find(objects, "PersistentVolumeClaim") == []
    ollama = one(objects, "Deployment", "deepseek-backend-server")
    assert ollama["spec"]["strategy"]["type"] == "RollingUpdate"
    volumes = ollama["spec"]["template"]["spec"]["volumes"]
    assert volumes[0]["persistentVolumeClaim"] == {"claimName": "deepseek-models"}
    config = json.loads(one(objects, "ConfigMap", "deepseek-serving")["data"]["config.json"])
    assert config["accessModes"] == ["ReadWriteMany"] and config["pull"] is False


@pytest.mark.asyncio
async def test_a_pvc_of_another_release_is_left_alone(emulator, chart: Path, tmp_path: Path) -> None:
    emulator.objects[PVC_KEY] = _pvc(annotations={"meta.helm.sh/release-name": "someone-else"},
                                     modes=["ReadWriteOnce"], size="20Gi")
    objects = await _render_against(emulator, chart, tmp_path)
    assert find(objects, "PersistentVolumeClaim") == []
    assert one(objects, "Deployment", "deepseek-backend-server")["spec"]["strategy"] == {"type": "Recreate"}


@pytest.mark.asyncio
async def test_our_own_pvc_keeps_its_live_spec_and_never_shrinks(
    emulator, chart: Path, tmp_path: Path
) -> None:
    """Upgrade from 0.1.0 (or from ourselves): the PVC is re-rendered exactly as it lives."""
    emulator.objects[PVC_KEY] = _pvc(
        annotations={"meta.helm.sh/release-name": RELEASE, "meta.helm.sh/release-namespace": NAMESPACE},
        modes=["ReadWriteOnce"], size="80Gi", storage_class="local-path",
    )
    other_class = {"backend.persistence.storageClass": "other"}
    objects = await _render_against(emulator, chart, tmp_path, **other_class)
    pvc = one(objects, "PersistentVolumeClaim", "deepseek-models")
    assert pvc["spec"]["resources"]["requests"]["storage"] == "80Gi"  # the sizing alone would ask far less
    assert pvc["spec"]["storageClassName"] == "local-path"  # immutable: never changed by the config
    assert pvc["spec"]["accessModes"] == ["ReadWriteOnce"]
    assert pvc["metadata"]["annotations"]["helm.sh/resource-policy"] == "keep"


@pytest.mark.asyncio
async def test_the_access_code_is_kept_across_upgrades(emulator, chart: Path, tmp_path: Path) -> None:
    known = base64.b64encode(b"the-code-users-know").decode()
    emulator.objects["v1/secrets", NAMESPACE, "deepseek-chat-access"] = {
        "apiVersion": "v1", "kind": "Secret", "type": "Opaque",
        "metadata": {"name": "deepseek-chat-access", "namespace": NAMESPACE}, "data": {"code": known},
    }
    objects = await _render_against(emulator, chart, tmp_path)
    assert one(objects, "Secret", "deepseek-chat-access")["data"]["code"] == known


@pytest.mark.asyncio
async def test_without_live_objects_the_pvc_is_created_and_a_code_generated(
    emulator, chart: Path, tmp_path: Path
) -> None:
    objects = await _render_against(emulator, chart, tmp_path)
    one(objects, "PersistentVolumeClaim", "deepseek-models")
    code = base64.b64decode(one(objects, "Secret", "deepseek-chat-access")["data"]["code"]).decode()
    assert len(code) == 24 and code.isalnum()
