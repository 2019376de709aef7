"""OllamaCache (services/status.py): single flight, stale while revalidating, a window that grows with
the pods, and a refresh bounded in time even when pods hang. ``_fetch`` is replaced by a fake so the
timing is the cache's own; the HTTP side is covered by test_load.py and tests/faults/."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from deepseek_ext.core.status import OllamaObservation
from deepseek_ext.services.status import OllamaCache


class FakeCache(OllamaCache):
    def __init__(self, *, clock, hang: set[str] = frozenset(), boom: set[str] = frozenset(), **kwargs) -> None:
        super().__init__(clock=clock, **kwargs)
        self.boom = set(boom)
        self.calls: list[str] = []
        self.hang = set(hang)
        self.gate = threading.Event()
        self.gate.set()
        self.release = threading.Event()  # ends the hanging fetches when a test is done
        self.generation = 0

    def _fetch(self, pod: str, url: str) -> OllamaObservation:
        self.calls.append(pod)
        if pod in self.boom:
            raise RuntimeError("a bug")
        if pod in self.hang:
            self.release.wait(30)
        self.gate.wait(30)
        return OllamaObservation(pod=pod, url=url, tags=[{"name": f"gen{self.generation}"}], ps=[])


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def targets(n: int) -> list[tuple[str, str]]:
    return [(f"pod-{i}", f"http://10.0.0.{i}:11434") for i in range(n)]


def generation(observations: list[OllamaObservation]) -> set[str]:
    return {o.tags[0]["name"] for o in observations if o.tags}


def test_window_grows_with_the_pods() -> None:
    cache = OllamaCache(ttl=3, timeout=2, per_pod=0.1)
    assert cache.window(1) == 3 and cache.window(30) == 3
    assert abs(cache.window(100) - 10) < 1e-9
    assert cache.budget == 5


def test_single_flight_and_stale_while_revalidating() -> None:
    clock = Clock()
    cache = FakeCache(clock=clock, ttl=3, timeout=0.5)
    pods = targets(10)
    first = cache.observe(pods)  # the very first call waits for its answers
    assert [o.pod for o in first] == [p for p, _ in pods] and generation(first) == {"gen0"}
    assert len(cache.calls) == 10
    assert generation(cache.observe(pods)) == {"gen0"} and len(cache.calls) == 10  # within the window

    clock.now += 3.5  # window over: the next requests start one refresh, which we hold open
    cache.generation, cache.gate = 1, threading.Event()
    started = time.monotonic()
    with ThreadPoolExecutor(20) as pool:
        answers = list(pool.map(lambda _: cache.observe(pods), range(50)))
    assert time.monotonic() - started < 0.5, "requests waited for the refresh instead of using the stale answer"
    assert all(generation(a) == {"gen0"} for a in answers)
    cache.gate.set()
    deadline = time.monotonic() + 5
    while generation(cache.observe(pods)) != {"gen1"} and time.monotonic() < deadline:
        time.sleep(0.01)
    assert generation(cache.observe(pods)) == {"gen1"}
    assert len(cache.calls) == 20, "one refresh of 10 pods for 50 concurrent requests"


def test_a_hanging_pod_is_a_finding_within_the_budget_and_does_not_stall_the_others() -> None:
    cache = FakeCache(clock=Clock(), ttl=3, timeout=0.2, hang={"pod-3"})  # budget 1.4 s
    try:
        started = time.monotonic()
        observations = cache.observe(targets(6))
        took = time.monotonic() - started
        assert took < cache.budget + 1, took
        by_pod = {o.pod: o for o in observations}
        assert by_pod["pod-3"].timeout and "did not answer" in (by_pod["pod-3"].error or "")
        assert all(o.tags for p, o in by_pod.items() if p != "pod-3")
    finally:
        cache.release.set()


def test_pods_never_reached_because_others_hang_are_reported_not_left_unknown() -> None:
    cache = FakeCache(clock=Clock(), ttl=3, timeout=0.2, hang={"pod-0", "pod-1"}, max_workers=2)
    try:
        started = time.monotonic()
        observations = cache.observe(targets(4))
        assert time.monotonic() - started < cache.budget + 1
        assert all(o.timeout and o.error for o in observations)
        assert {o.pod for o in observations if "not reached" in (o.error or "")} == {"pod-2", "pod-3"}
    finally:
        cache.release.set()


def test_pods_that_are_gone_are_forgotten() -> None:
    cache = FakeCache(clock=Clock(), ttl=3, timeout=0.5)
    cache.observe(targets(3))
    cache.observe(targets(2))  # pod-2 disappeared; pod-0/1 fresh, so no call, but nothing to refresh
    cache.observe([*targets(2), ("pod-9", "http://10.0.0.9:11434")])  # a new pod: only it is asked
    assert cache.calls == ["pod-0", "pod-1", "pod-2", "pod-9"]
    assert ("pod-2", "http://10.0.0.2:11434") not in cache._entries


def test_an_unexpected_error_for_one_pod_is_its_observation_and_the_others_are_kept() -> None:
    cache = FakeCache(clock=Clock(), ttl=3, timeout=0.5, boom={"pod-1"})
    observations = cache.observe(targets(3))
    assert [bool(o.tags) for o in observations] == [True, False, True]
    assert "RuntimeError" in (observations[1].error or "") and not observations[1].timeout
    cache.observe(targets(3))
    assert len(cache.calls) == 3, "the failure is cached for the window like any answer"


def test_fresh_waits_for_the_refresh_instead_of_serving_the_stale_answer() -> None:
    """GET models/<name> asks for what is there now; status keeps serving the previous answer."""
    clock = Clock()
    cache = FakeCache(clock=clock, ttl=3, timeout=0.5)
    pods = targets(2)
    assert generation(cache.observe(pods)) == {"gen0"}
    clock.now += 3.5
    cache.generation = 1
    assert generation(cache.observe(pods, fresh=True)) == {"gen1"}
    assert len(cache.calls) == 4
    # Within the window a fresh read costs nothing more.
    assert generation(cache.observe(pods, fresh=True)) == {"gen1"} and len(cache.calls) == 4
