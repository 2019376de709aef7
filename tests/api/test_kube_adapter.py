"""The Kubernetes adapter against the loopback double: typed errors, request counts, the shared cache."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from deepseek_ext.adapters.kube import (
    SNAPSHOT_CALLS,
    ClusterUnavailable,
    Forbidden,
    KubeClient,
    NotFound,
    SnapshotCache,
    connect,
)
from deepseek_ext.settings import ClusterSettings

from tests.doubles.kube import KubeDouble

CM = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "deepseek-serving"}, "data": {"k": "v"}}


@pytest.fixture
def kube(tmp_path):
    with KubeDouble([CM]) as double:
        double.kubeconfig_path = double.write_kubeconfig(tmp_path / "kubeconfig")
        yield double


@pytest.fixture
def client(kube) -> KubeClient:
    """A client with the API's default request timeout: on 2 cores shared with the rest of the
    suite a snapshot's reads can take longer than half a second."""
    return KubeClient(ClusterSettings(kubeconfig=str(kube.kubeconfig_path), request_timeout_seconds=3.0))


@pytest.fixture
def hasty_client(kube) -> KubeClient:
    """A 0.5 s request timeout, for the tests of what a timeout does."""
    return KubeClient(ClusterSettings(kubeconfig=str(kube.kubeconfig_path), request_timeout_seconds=0.5))


def test_reads_are_plain_json_one_request_each(kube, client):
    assert client.get("configmaps", "deepseek-serving")["data"] == {"k": "v"}
    assert [c["metadata"]["name"] for c in client.list("configmaps")] == ["deepseek-serving"]
    assert kube.count(method="GET", path="/api/v1/namespaces/extension-deepseek/configmaps") == 2


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (404, NotFound),
        (403, Forbidden),
        (401, Forbidden),
        (500, ClusterUnavailable),
        (429, ClusterUnavailable),
    ],
)
def test_http_errors_become_typed_errors(kube, client, status, error):
    kube.fault(status, path="/configmaps")
    with pytest.raises(error) as caught:
        client.list("configmaps")
    assert caught.value.resource == "configmaps" and caught.value.status == status


def test_timeouts_and_refused_connections_are_cluster_unavailable(kube, hasty_client, tmp_path):
    kube.fault(0, delay=2, path="/configmaps", times=1)
    with pytest.raises(ClusterUnavailable) as caught:
        hasty_client.list("configmaps")
    assert caught.value.timeout is True
    dead = KubeDouble()
    dead.start()
    path = dead.write_kubeconfig(tmp_path / "dead")
    dead.stop()
    with pytest.raises(ClusterUnavailable) as caught:
        KubeClient(ClusterSettings(kubeconfig=str(path))).list("pods")
    assert caught.value.timeout is False and "cannot reach" in caught.value.message


def test_writes_for_the_manager(kube, client):
    client.create_configmap({"metadata": {"name": "deepseek-model-state"}, "data": {"state.json": "{}"}})
    client.patch_configmap("deepseek-model-state", {"data": {"state.json": '{"models": {}}'}})
    assert kube.get("ConfigMap", "deepseek-model-state")["data"] == {"state.json": '{"models": {}}'}
    client.create_event(
        {
            "metadata": {"name": "e1"},
            "involvedObject": {"kind": "Deployment", "name": "x"},
            "reason": "PullStarted",
            "message": "m",
            "type": "Normal",
        }
    )
    assert kube.count(method="POST") == 2 and kube.count(method="PATCH") == 1


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_concurrent_readers_share_one_snapshot(kube, client):
    clock = Clock()
    cache = SnapshotCache(client, ttl=5, clock=clock)
    kube.fault(0, delay=0.3, times=SNAPSHOT_CALLS)  # slow enough that all readers overlap
    with ThreadPoolExecutor(32) as pool:
        snapshots = list(pool.map(lambda _: cache.get(), range(64)))
    assert kube.count() == SNAPSHOT_CALLS
    assert all(s is snapshots[0] for s in snapshots)
    clock.now += 4.9
    cache.get()
    assert kube.count() == SNAPSHOT_CALLS  # still fresh
    clock.now += 0.2
    cache.get()
    assert kube.count() == 2 * SNAPSHOT_CALLS


def test_a_failed_refresh_is_data_and_is_cached_for_the_ttl(kube, client):
    clock = Clock()
    cache = SnapshotCache(client, ttl=5, clock=clock)
    kube.fault(403, path="/api/v1/nodes")
    snapshot = cache.get()
    assert snapshot.get("nodes") is None and isinstance(snapshot.errors["nodes"], Forbidden)
    assert snapshot.get("configmaps") is not None
    calls = kube.count()
    cache.get()
    assert kube.count() == calls


def test_stale_snapshot_is_served_while_another_request_refreshes(kube, client):
    clock = Clock()
    cache = SnapshotCache(client, ttl=5, clock=clock)
    first = cache.get()
    clock.now += 10
    kube.fault(0, delay=1.0, times=SNAPSHOT_CALLS)
    refresher = threading.Thread(target=cache.get)
    refresher.start()
    while kube.count() == SNAPSHOT_CALLS:  # wait until the refresh is in flight
        pass
    assert cache.get() is first  # answered at once with the previous snapshot
    refresher.join()
    assert cache.get() is not first


def test_connect_without_kubeconfig_is_standalone_and_a_broken_one_is_a_clear_error(tmp_path):
    kube = connect(ClusterSettings(kubeconfig=None))
    assert kube.client is None and kube.unavailable.code == "ClusterNotConfigured"
    broken = tmp_path / "broken"
    broken.write_text("not: [a kubeconfig")
    kube = connect(ClusterSettings(kubeconfig=str(broken)))
    assert kube.client is None and isinstance(kube.unavailable, ClusterUnavailable)
    assert str(broken) in kube.unavailable.message


def test_waiting_for_a_stuck_first_refresh_is_bounded(hasty_client):
    cache = SnapshotCache(hasty_client, ttl=5)  # request timeout 0.5 s: others wait at most 2 x 0.5 + 1 s
    stuck = threading.Event()
    original = cache._fetch

    def slow_fetch():
        stuck.set()
        time.sleep(3)  # a refresh that outlives every read timeout (a server trickling bytes)
        return original()

    cache._fetch = slow_fetch  # type: ignore[method-assign]
    refresher = threading.Thread(target=cache.get)
    refresher.start()
    assert stuck.wait(5)
    started = time.monotonic()
    snapshot = cache.get()
    assert time.monotonic() - started < 2.5
    assert snapshot.get("pods") is None and snapshot.errors["pods"].timeout is True
    refresher.join()


def test_the_snapshot_reads_configmaps_by_name_never_by_listing_them(kube, client):
    # The Role grants `get` on deepseek-serving and deepseek-model-state only (rbac.yaml): a list of
    # the namespace's ConfigMaps would include the helm executor's cluster-admin kubeconfig.
    ns = client.namespace
    cache = SnapshotCache(client, ttl=5)
    snapshot = cache.get()
    assert [c["metadata"]["name"] for c in snapshot.get("configmaps")] == ["deepseek-serving"]  # state absent
    assert not snapshot.errors
    configmap_paths = sorted(r.path for r in kube.requests if "/configmaps" in r.path)
    assert configmap_paths == [f"/api/v1/namespaces/{ns}/configmaps/deepseek-model-state",
                               f"/api/v1/namespaces/{ns}/configmaps/deepseek-serving"]
