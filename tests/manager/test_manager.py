"""The manager against the loopback ollama double over real HTTP (Kubernetes double in cluster mode)."""

from __future__ import annotations

import itertools
import json
import threading
import time

import pytest
from deepseek_ext.adapters.files import load_catalog, load_messages
from deepseek_ext.adapters.state_store import FileStore
from deepseek_ext.manager import failures

from tests.doubles.ollama import MEDIA_MODEL, ModelStore, OllamaDouble, make_model, seed_models_dir
from tests.manager.conftest import in_cluster, ollama_pod, serving, standalone

M15, M7 = "deepseek-r1:1.5b", "deepseek-r1:7b"


def record(manager, model):
    return manager.state["models"][model]


def test_pulls_a_missing_model_then_loads_it_and_records_the_load_time(tmp_path, clock):
    with OllamaDouble(load_seconds=0.05) as ollama:
        manager = standalone(ollama.url, serving(M15), tmp_path / "state.json", clock)
        manager.reconcile_once()
        rec = record(manager, M15)
        assert rec["phase"] == "Ready" and rec["percent"] == 100.0
        assert rec["totalBytes"] == rec["completedBytes"] > 0
        assert rec["loadSeconds"] >= 0.05
        assert ollama.stats.pulls_succeeded[M15] == 1 and ollama.stats.loads[M15] == 1
        assert ollama.stats.log[-1][2]["keep_alive"] == -1
        # Published for the API: the file store holds exactly what the manager has.
        stored = FileStore(tmp_path / "state.json").read().state
        assert stored["models"][M15]["phase"] == "Ready"
        # Nothing to do next round: no second pull, no second load.
        manager.reconcile_once()
        assert ollama.stats.pulls_started[M15] == 1 and ollama.stats.loads[M15] == 1


def test_pull_failing_midway_is_retried_after_the_backoff_and_then_succeeds(tmp_path, clock):
    with OllamaDouble() as ollama:
        ollama.fail_next_pull("max retries exceeded: read: connection reset by peer", after_bytes=50_000)
        manager = standalone(ollama.url, serving(M15), tmp_path / "s.json", clock, backoff_base=30)
        manager.reconcile_once()
        rec = record(manager, M15)
        assert rec["phase"] == "Failed" and rec["attempts"] == 1
        # A reset is the network between ollama and the registry (issue 16), not an unknown failure.
        assert rec["lastError"]["code"] == "RegistryUnreachable" and "connection reset" in rec["lastError"]["message"]
        assert rec["nextRetryAt"] and rec["hint"]["en"] and rec["hint"]["zh"]
        manager.reconcile_once()  # within the backoff: no new attempt
        assert ollama.stats.pulls_started[M15] == 1
        clock.advance(31)
        manager.reconcile_once()
        rec = record(manager, M15)
        assert ollama.stats.pulls_started[M15] == 2
        assert rec["phase"] == "Ready" and rec["lastError"] is None and rec["nextRetryAt"] is None


def test_backoff_grows_and_is_capped(tmp_path, clock):
    with OllamaDouble(registry_reachable=False) as ollama:
        manager = standalone(ollama.url, serving(M15), tmp_path / "s.json", clock, backoff_base=10, backoff_cap=25)
        delays = []
        for _ in range(4):
            manager.reconcile_once()
            delays.append(round(manager.retry_at[M15] - clock()))
            clock.advance(manager.retry_at[M15] - clock() + 0.1)
        assert delays == [10, 20, 25, 25]
        assert record(manager, M15)["lastError"]["code"] == "RegistryUnreachable"
        # Unreachable registry (air gap, private mirror down): the hint also tells how to seed instead.
        hint = record(manager, M15)["hint"]
        assert "manifests/registry.ollama.ai/library/deepseek-r1/1.5b" in hint["en"]
        assert "manifests/registry.ollama.ai/library/deepseek-r1/1.5b" in hint["zh"]


@pytest.mark.parametrize(
    ("double_kwargs", "model", "code"),
    [
        ({"version": "0.6.5"}, "deepseek-r1:8b", "OllamaTooOld"),
        ({}, "deepseek-r1:3b", "UnknownTag"),
        ({"disk_bytes": 60_000}, M7, "DiskFull"),
    ],
    ids=["412 mid-stream", "unknown tag", "disk full"],
)
def test_pull_failures_are_classified(tmp_path, double_kwargs, model, code):
    with OllamaDouble(**double_kwargs) as ollama:
        manager = standalone(ollama.url, serving(model), tmp_path / "s.json")
        manager.reconcile_once()
    rec = record(manager, model)
    assert rec["phase"] == "Failed"
    assert rec["lastError"]["code"] == code
    # The hint is the catalog's failure.<code> and its fix, with the serving config's words and
    # the catalog's tags (the same parameters the status report passes).
    params = failures.failure_params(
        model=model,
        namespace="extension-deepseek",
        tags=load_catalog().tags(),
        registry="registry.ollama.ai/library",
        pvc="deepseek-models",
        ollama_version="0.32.15",
    )
    expected = failures.explain(
        failures.FailureCode(code), catalog=load_messages(), params=params, detail=rec["lastError"]["message"]
    )
    assert rec["hint"] == expected


def test_connection_dropped_mid_stream_is_interrupted_and_resumes(tmp_path, clock):
    with OllamaDouble() as ollama:
        ollama.drop_next_pull(after_bytes=150_000)
        manager = standalone(ollama.url, serving(M7), tmp_path / "s.json", clock)
        manager.reconcile_once()
        rec = record(manager, M7)
        assert rec["phase"] == "Failed" and rec["lastError"]["code"] == "Interrupted"
        assert 0 < rec["completedBytes"] <= 150_000
        kept = sum(ollama.store.partial.values())
        assert kept >= 150_000 - 16_384  # the double kept the partial download, as ollama does
        clock.advance(60)
        manager.reconcile_once()
        assert record(manager, M7)["phase"] == "Ready"
        assert ollama.stats.pulls_succeeded[M7] == 1


def test_two_pods_with_own_volumes_each_get_the_model(tmp_path, kube_double, kube_client):
    kube_double.put(ollama_pod("ollama-a"))
    kube_double.put(ollama_pod("ollama-b"))
    kube_double.put(ollama_pod("ollama-c", ready=False))
    with OllamaDouble() as a, OllamaDouble() as b:
        manager = in_cluster(kube_client, serving(M15), {"ollama-a": a.url, "ollama-b": b.url})
        manager.reconcile_once()
        assert a.stats.pulls_started[M15] == 1 and b.stats.pulls_started[M15] == 1
        assert a.stats.loads[M15] == 1 and b.stats.loads[M15] == 1
    rec = record(manager, M15)
    assert rec["phase"] == "Ready" and sorted(rec["pods"]) == ["ollama-a", "ollama-b"]


def test_two_pods_on_a_shared_volume_pull_once(tmp_path, kube_double, kube_client):
    kube_double.put(ollama_pod("ollama-a"))
    kube_double.put(ollama_pod("ollama-b"))
    shared = ModelStore()
    with OllamaDouble(store=shared) as a, OllamaDouble(store=shared) as b:
        manager = in_cluster(kube_client, serving(M15, rwx=True), {"ollama-a": a.url, "ollama-b": b.url})
        manager.reconcile_once()
        assert a.stats.pulls_started[M15] + b.stats.pulls_started[M15] == 1
        # Each pod still loads the model into its own memory.
        assert a.stats.loads[M15] == 1 and b.stats.loads[M15] == 1
        manager.reconcile_once()
        assert a.stats.pulls_started[M15] + b.stats.pulls_started[M15] == 1
    assert record(manager, M15)["phase"] == "Ready"


def test_offline_seeded_missing_and_half_copied_models(tmp_path, clock):
    models = tmp_path / "models"
    seed_models_dir(models, make_model(M15))
    seed_models_dir(models, make_model("deepseek-r1:14b"), truncate_blob=MEDIA_MODEL)
    config = {**serving(M15, M7, "deepseek-r1:14b", pull=False)}
    with OllamaDouble(models_dir=models) as ollama:
        manager = standalone(ollama.url, config, tmp_path / "s.json", clock)
        manager.reconcile_once()
        assert sum(ollama.stats.pulls_started.values()) == 0  # offline: never pull
        assert record(manager, M15)["phase"] == "Ready" and ollama.stats.loads[M15] == 1
        missing = record(manager, M7)
        assert missing["phase"] == "Missing"
        assert "manifests/registry.ollama.ai/library/deepseek-r1/7b" in missing["hint"]["en"]
        assert "manifests/registry.ollama.ai/library/deepseek-r1/7b" in missing["hint"]["zh"]
        # ollama lists the half-copied 14b (its manifest and config blob are there); only the files show it.
        with_dir = standalone(ollama.url, config, tmp_path / "s2.json", clock, models_dir=models)
        with_dir.reconcile_once()
        partial = record(with_dir, "deepseek-r1:14b")
        assert partial["phase"] == "Partial" and partial["lastError"]["code"] == "Partial"
        weights = make_model("deepseek-r1:14b").layers[1]
        assert weights.blob_name in partial["lastError"]["message"]


def test_offline_half_copied_default_model_is_partial_through_ollama_alone(tmp_path, clock):
    models = tmp_path / "models"
    seed_models_dir(models, make_model(M15), skip_blob=MEDIA_MODEL)
    with OllamaDouble(models_dir=models) as ollama:
        manager = standalone(ollama.url, serving(M15, pull=False), tmp_path / "s.json", clock)
        manager.reconcile_once()
        rec = record(manager, M15)
        assert rec["phase"] == "Partial" and rec["lastError"]["code"] == "Partial"
        # The administrator copies the missing blob; after the backoff the load succeeds.
        seed_models_dir(models, make_model(M15))
        clock.advance(3600)
        manager.reconcile_once()
        assert record(manager, M15)["phase"] == "Ready"


def test_model_switch_pulls_the_new_model_and_keeps_the_old(tmp_path, clock):
    config = serving(M15)
    with OllamaDouble(local=[M15]) as ollama:
        manager = standalone(ollama.url, config, tmp_path / "s.json", clock)
        manager.reconcile_once()
        assert record(manager, M15)["phase"] == "Ready"
        config.update(serving(M7))  # helm upgrade with backend.model.tag=7b
        manager.reconcile_once()
        assert record(manager, M7)["phase"] == "Ready" and ollama.stats.loads[M7] == 1
        old = record(manager, M15)
        assert old["desired"] is False and old["phase"] == "Ready"
        assert sum(ollama.stats.deletes.values()) == 0
        assert sorted(m for m in ollama.store.listed()) == [M15, M7]


def test_admin_pull_request_skips_the_backoff_and_is_consumed(tmp_path, clock):
    with OllamaDouble() as ollama:
        ollama.fail_next_pull("boom", after_bytes=0)
        manager = standalone(ollama.url, serving(M15), tmp_path / "s.json", clock)
        manager.reconcile_once()
        assert record(manager, M15)["phase"] == "Failed"
        FileStore(tmp_path / "s.json").add_request(M15, user="admin", at="2026-01-01T00:00:00Z")
        manager.reconcile_once()
        assert record(manager, M15)["phase"] == "Ready"
        assert FileStore(tmp_path / "s.json").read().requests == {}


def test_cluster_mode_posts_events_and_publishes_the_configmap(kube_double, kube_client):
    kube_double.put(ollama_pod("ollama-a"))
    with OllamaDouble() as a:
        a.fail_next_pull("pull model manifest: file does not exist", model=M7)
        manager = in_cluster(kube_client, serving(M15, M7), {"ollama-a": a.url})
        manager.reconcile_once()
    events = kube_double.objects("Event")
    reasons = [(e["reason"], e["type"]) for e in events]
    assert ("ModelPullStarted", "Normal") in reasons and ("ModelPulled", "Normal") in reasons
    assert ("ModelLoaded", "Normal") in reasons and ("ModelPullFailed", "Warning") in reasons
    assert all(
        e["involvedObject"]
        == {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "name": "deepseek-backend-server",
            "namespace": "extension-deepseek",
        }
        for e in events
    )
    assert all(len(e["message"]) <= 1024 for e in events)
    cm = kube_double.get("ConfigMap", "deepseek-model-state", "extension-deepseek")
    state = json.loads(cm["data"]["state.json"])
    assert state["models"][M15]["phase"] == "Ready"
    assert state["models"][M7]["lastError"]["code"] == "UnknownTag"


def test_progress_is_written_only_on_change_and_at_most_every_interval(kube_double, kube_client):
    kube_double.put(ollama_pod("ollama-a"))
    with OllamaDouble(bytes_per_second=400_000, chunk_bytes=8_000) as a:  # 7b: ~0.6 s of streaming
        manager = in_cluster(kube_client, serving(M7), {"ollama-a": a.url}, progress_interval=0.25)
        times = []
        original = manager.store.write_state

        def spy(state):
            import time

            times.append(time.monotonic())
            original(state)

        manager.store.write_state = spy
        manager.reconcile_once()
        writes = len(times)
        assert writes >= 3  # progress was published while pulling, not only at the end
        gaps = [b - a for a, b in itertools.pairwise(times)]
        assert min(gaps) >= 0.25 - 0.01
        manager.reconcile_once()  # nothing changed: no write
        assert len(times) == writes
    patches = kube_double.count(method="PATCH", path="configmaps/deepseek-model-state")
    assert patches == writes


def test_two_instances_never_pull_the_same_model_at_once(kube_double, kube_client, clock):
    kube_double.put(ollama_pod("ollama-a"))
    with OllamaDouble(bytes_per_second=600_000) as a:
        urls = {"ollama-a": a.url}
        first = in_cluster(kube_client, serving(M7), urls, clock, identity="manager-a")
        second = in_cluster(kube_client, serving(M7), urls, clock, identity="manager-b")
        results = {}
        barrier = threading.Barrier(2)

        def run(name, manager):
            barrier.wait()
            results[name] = manager.reconcile_once()

        threads = [threading.Thread(target=run, args=(n, m)) for n, m in (("a", first), ("b", second))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=20)
        assert a.stats.pulls_started[M7] == 1 and a.stats.max_active_pulls[M7] == 1
        assert sorted(r is None for r in results.values()) == [False, True]  # exactly one acted
        lease = kube_double.get("Lease", "deepseek-model-manager", "extension-deepseek")
        leader = lease["spec"]["holderIdentity"]
        follower = second if leader == "manager-a" else first
        # While the leader renews, the other keeps waiting; once the lease expires it takes over.
        assert follower.reconcile_once() is None
        clock.advance(60)
        assert follower.reconcile_once() is not None
        lease = kube_double.get("Lease", "deepseek-model-manager", "extension-deepseek")
        assert lease["spec"]["holderIdentity"] == follower.identity and lease["spec"]["leaseTransitions"] == 1
        assert a.stats.pulls_started[M7] == 1  # the new leader found the model present: no second pull


def test_cli_once_against_one_ollama(tmp_path, capsys):
    from deepseek_ext.cli import main

    with OllamaDouble() as ollama:
        state = tmp_path / "state.json"
        code = main(
            [
                "manager",
                "--once",
                "--ollama-url",
                ollama.url,
                "--model",
                M15,
                "--state-file",
                str(state),
                "--progress-interval",
                "0.05",
            ]
        )
        out = json.loads(capsys.readouterr().out)
        assert code == 0 and out["models"][M15]["phase"] == "Ready"
        assert FileStore(state).read().state["models"][M15]["phase"] == "Ready"
        # An unknown tag: the round ends with the model Failed, exit code 1.
        code = main(
            [
                "manager",
                "--once",
                "--ollama-url",
                ollama.url,
                "--model",
                "deepseek-r1:3b",
                "--state-file",
                str(tmp_path / "other.json"),
                "--progress-interval",
                "0.05",
            ]
        )
        assert code == 1
        assert json.loads(capsys.readouterr().out)["models"]["deepseek-r1:3b"]["lastError"]["code"] == "UnknownTag"


@pytest.mark.parametrize(
    ("argv", "word"),
    [
        (["--interval", "0"], "--interval"),
        (["--ollama-url", "ftp://x"], "--ollama-url"),
        (["--ollama-url", "http://127.0.0.1:9"], "--serving-config"),
    ],
)
def test_cli_usage_errors_name_the_flag_in_both_languages(argv, word, capsys, monkeypatch):
    from deepseek_ext.cli import main

    for name in ("DEEPSEEK_SERVING_CONFIG", "KUBECONFIG"):
        monkeypatch.delenv(name, raising=False)
    assert main(["manager", "--once", *argv]) == 2
    err = capsys.readouterr().err
    assert word in err and "错误" in err


def test_cli_without_cluster_or_ollama_url_says_how_to_connect(tmp_path, capsys, monkeypatch):
    from deepseek_ext.cli import main

    for name in ("KUBECONFIG", "KUBERNETES_SERVICE_HOST"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert main(["manager", "--once", "--model", M15]) == 2
    err = capsys.readouterr().err
    assert "--ollama-url" in err and "KUBECONFIG" in err


def test_requests_that_cannot_be_served_are_dropped(tmp_path, clock):
    with OllamaDouble(local=[M15]) as ollama:
        store = FileStore(tmp_path / "s.json")
        store.add_request("deepseek-r1:70b", user="admin", at="2026-01-01T00:00:00Z")  # not configured
        store.add_request(M15, user="admin", at="2026-01-01T00:00:00Z")  # already present
        manager = standalone(ollama.url, serving(M15), tmp_path / "s.json", clock)
        manager.reconcile_once()
        assert store.read().requests == {}
        assert sum(ollama.stats.pulls_started.values()) == 0


def test_cli_check_dir_judges_a_prepared_models_directory(tmp_path, capsys):
    from deepseek_ext.cli import main

    seed_models_dir(tmp_path, make_model(M15))
    seed_models_dir(tmp_path, make_model(M7), truncate_blob=MEDIA_MODEL)
    assert main(["manager", "--check-dir", str(tmp_path), "--model", M15]) == 0
    assert f"{M15}: present" in capsys.readouterr().out
    assert main(["manager", "--check-dir", str(tmp_path), "--model", M15, "--model", M7, "--model", "x:1"]) == 1
    out = capsys.readouterr().out
    assert f"{M7}: partial" in out and "bytes, the manifest says" in out and "x:1: missing" in out
    assert main(["manager", "--check-dir", str(tmp_path / "nope"), "--model", M15]) == 2


def test_leader_that_loses_the_lease_mid_pull_stops_pulling(kube_double, kube_client):
    from datetime import UTC, datetime, timedelta

    kube_double.put(ollama_pod("ollama-a"))
    with OllamaDouble(bytes_per_second=150_000, chunk_bytes=4_000) as a:  # 7b: ~1.6 s
        leader = in_cluster(kube_client, serving(M7), {"ollama-a": a.url}, identity="manager-a", lease_seconds=0.3)
        worker = threading.Thread(target=leader.reconcile_once)
        worker.start()
        deadline = time.monotonic() + 5
        while a.stats.active_pulls[M7] == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        # Another instance takes the Lease (as after a network partition of the leader).
        lease = kube_double.get("Lease", "deepseek-model-manager", "extension-deepseek")
        future = (datetime.now(UTC) + timedelta(seconds=30)).isoformat()
        lease["spec"].update(holderIdentity="manager-b", renewTime=future, leaseDurationSeconds=30)
        kube_double.put(lease)
        worker.join(timeout=10)
        assert not worker.is_alive()
        time.sleep(0.2)
        assert a.stats.pulls_succeeded[M7] == 0  # the stream was abandoned, ollama cancels the pull
        assert a.stats.active_pulls[M7] == 0
        assert leader.elector.leader is False


def test_event_and_state_write_failures_never_break_the_round(kube_double, kube_client):
    from deepseek_ext.adapters.kube_writes import shorten

    kube_double.put(ollama_pod("ollama-a"))
    kube_double.fault(500, path="/events")  # every Event fails
    kube_double.fault(500, path="configmaps/deepseek-model-state", times=2)  # the first state writes fail
    with OllamaDouble() as a:
        manager = in_cluster(kube_client, serving(M15), {"ollama-a": a.url})
        manager.reconcile_once()
        assert a.stats.pulls_succeeded[M15] == 1 and a.stats.loads[M15] == 1
    assert record(manager, M15)["phase"] == "Ready"
    assert kube_double.objects("Event") == []
    cm = kube_double.get("ConfigMap", "deepseek-model-state", "extension-deepseek")
    assert json.loads(cm["data"]["state.json"])["models"][M15]["phase"] == "Ready"  # a later write got through
    assert len(shorten("x" * 5000)) == 1024 and shorten("short") == "short"


def test_stopping_mid_pull_hands_over_at_once_and_the_next_leader_resumes(kube_double, kube_client):
    kube_double.put(ollama_pod("ollama-a"))
    with OllamaDouble(bytes_per_second=150_000, chunk_bytes=4_000) as a:  # 7b: ~1.6 s
        urls = {"ollama-a": a.url}
        first = in_cluster(kube_client, serving(M7), urls, identity="manager-a")
        worker = threading.Thread(target=first.run)
        worker.start()
        deadline = time.monotonic() + 10
        while a.stats.active_pulls[M7] == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(0.3)
        first.stop_event.set()  # SIGTERM
        worker.join(timeout=5)
        assert not worker.is_alive()
        lease = kube_double.get("Lease", "deepseek-model-manager", "extension-deepseek")
        assert not lease["spec"].get("holderIdentity")  # released, not left to expire
        kept = sum(a.store.partial.values())
        assert kept > 0 and a.stats.pulls_succeeded[M7] == 0
        second = in_cluster(kube_client, serving(M7), urls, identity="manager-b")
        second_pull = a.stats.pulls_started[M7]
        assert second.reconcile_once() is not None  # no waiting for the old lease to expire
        assert a.stats.pulls_started[M7] == second_pull + 1 and a.stats.pulls_succeeded[M7] == 1
        assert record(second, M7)["phase"] == "Ready"


def test_a_persistent_failure_does_not_flicker_back_to_pulling_on_retries(tmp_path, clock):
    with OllamaDouble(disk_bytes=100_000, chunk_bytes=8_000) as ollama:
        manager = standalone(ollama.url, serving(M7), tmp_path / "s.json", clock)
        manager.reconcile_once()
        assert record(manager, M7)["phase"] == "Failed"
        phases = []
        original = manager.store.write_state
        manager.store.write_state = lambda state: (phases.append(state["models"][M7]["phase"]), original(state))
        for _ in range(2):
            clock.advance(3600)
            manager.reconcile_once()
        assert ollama.stats.pulls_started[M7] == 3
        assert phases and set(phases) == {"Failed"}, phases
        assert record(manager, M7)["attempts"] == 3 and record(manager, M7)["lastError"]["code"] == "DiskFull"
        # Once space is freed, bytes move again and the retry shows as a download.
        ollama.store.disk_bytes = None
        ollama.bytes_per_second = 300_000
        clock.advance(3600)
        manager.reconcile_once()
        assert "Pulling" in phases and record(manager, M7)["phase"] == "Ready"


def test_the_lease_is_kept_while_ollama_is_silent_during_a_pull(kube_double, kube_client):
    kube_double.put(ollama_pod("ollama-a"))
    # One progress line per 120 kB at 100 kB/s: > 1 s of silence, more than the 0.6 s Lease.
    with OllamaDouble(bytes_per_second=100_000, chunk_bytes=120_000) as a:
        urls = {"ollama-a": a.url}
        first = in_cluster(kube_client, serving(M7), urls, identity="manager-a", lease_seconds=0.6)
        second = in_cluster(kube_client, serving(M7), urls, identity="manager-b", lease_seconds=0.6)
        worker = threading.Thread(target=first.reconcile_once)
        worker.start()
        deadline = time.monotonic() + 10
        while a.stats.active_pulls[M7] == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        attempts = 0
        while worker.is_alive() and attempts < 20:
            assert second.reconcile_once() is None  # the leader still holds the Lease
            attempts += 1
            time.sleep(0.1)
        worker.join(timeout=10)
        assert attempts >= 5
        assert a.stats.pulls_started[M7] == 1 and a.stats.max_active_pulls[M7] == 1
        assert record(first, M7)["phase"] == "Ready"
