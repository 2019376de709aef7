"""Fixtures for driving the manager against the loopback ollama and Kubernetes doubles."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from deepseek_ext.adapters.kube import KubeClient
from deepseek_ext.adapters.state_store import ConfigMapStore, FileStore
from deepseek_ext.manager.run import Manager, ManagerOptions
from deepseek_ext.settings import ClusterSettings

from tests.doubles.kube import KubeDouble

NS = "extension-deepseek"
FAST = {
    "interval": 0.05,
    "backoff_base": 30.0,
    "backoff_cap": 120.0,
    "progress_interval": 0.05,
    "lease_seconds": 15.0,
    "status_timeout": 2.0,
    "pull_read_timeout": 10.0,
    "load_timeout": 10.0,
}


def serving(
    model: str = "deepseek-r1:1.5b", *extra: str, pull: bool = True, rwx: bool = False
) -> dict[str, Any]:
    return {
        "model": model,
        "models": [model, *extra],
        "pull": pull,
        "registry": "registry.ollama.ai/library",
        "keepAlive": "-1",
        "accessModes": ["ReadWriteMany" if rwx else "ReadWriteOnce"],
        "ollamaSelector": {"app": "deepseek-backend-server"},
        "ollamaDeployment": "deepseek-backend-server",
        "ollamaPort": 11434,
        "pvcName": "deepseek-models",
        "ollamaVersion": "0.32.15",
    }


def ollama_pod(name: str, *, ready: bool = True) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": NS, "labels": {"app": "deepseek-backend-server"}},
        "spec": {"containers": [{"name": "ollama", "image": "docker.io/ollama/ollama:0.32.15"}]},
        "status": {
            "phase": "Running",
            "podIP": "10.0.0.1",
            "conditions": [{"type": "Ready", "status": "True" if ready else "False"}],
        },
    }


class Clock:
    """A wall clock tests can move forward (backoff and Lease expiry without sleeping)."""

    def __init__(self) -> None:
        import time

        self.offset = 0.0
        self._time = time.time

    def __call__(self) -> float:
        return self._time() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def kube_double() -> Iterator[KubeDouble]:
    with KubeDouble(namespace=NS) as double:
        yield double


@pytest.fixture
def kube_client(kube_double: KubeDouble, tmp_path: Path) -> KubeClient:
    path = kube_double.write_kubeconfig(tmp_path / "kubeconfig", namespace=NS)
    return KubeClient(ClusterSettings(kubeconfig=str(path), namespace=NS, request_timeout_seconds=3.0))


def standalone(
    url: str, config: dict[str, Any], state_file: Path, clock: Clock | None = None, **options: Any
) -> Manager:
    return Manager(
        options=ManagerOptions(**{**FAST, **options, "ollama_url": url}),
        load_config=lambda: config,
        store=FileStore(state_file),
        clock=clock or Clock(),
        sleep=_sleep,
    )


def in_cluster(
    kube: KubeClient,
    config: dict[str, Any],
    urls: dict[str, str],
    clock: Clock | None = None,
    identity: str = "manager-a",
    **options: Any,
) -> Manager:
    return Manager(
        options=ManagerOptions(**{**FAST, **options, "identity": identity}),
        load_config=lambda: config,
        store=ConfigMapStore(kube),
        kube=kube,
        pod_url=lambda pod, port: urls[pod["metadata"]["name"]],
        clock=clock or Clock(),
        sleep=_sleep,
    )


def _sleep(seconds: float) -> None:
    import time

    time.sleep(seconds)
