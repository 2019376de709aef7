"""plan(desired, observed): a table of named situations; no I/O, no cluster."""

from __future__ import annotations

import pytest
from deepseek_ext.manager.desired import Desired
from deepseek_ext.manager.plan import Observed, PodView, plan

M15, M7 = "deepseek-r1:1.5b", "deepseek-r1:7b"


def pod(name, *models, ready=True, loaded=(), tags_ok=True):
    return PodView(
        name=name,
        url=f"http://{name}:11434",
        ready=ready,
        models=frozenset(models) if tags_ok else None,
        loaded=frozenset(loaded),
        error="" if tags_ok else "connection refused",
    )


def desired(*models, pull=True):
    return Desired(model=models[0], models=tuple(models), pull=pull)


def pulls(p):
    return sorted((a.model, a.pod, a.covers) for a in p.to_pull)


def loads(p):
    return sorted((a.model, a.pod) for a in p.to_load)


CASES = [
    pytest.param(desired(M15), Observed((pod("a", M15, loaded=[M15]),)), False, [], [], id="nothing to do"),
    pytest.param(desired(M15), Observed((pod("a"),)), False, [(M15, "a", ("a",))], [], id="pull missing"),
    pytest.param(desired(M15), Observed((pod("a", ready=False),)), False, [], [], id="pod not ready yet"),
    pytest.param(
        desired(M15), Observed((pod("a", tags_ok=False),)), False, [], [], id="tags unreadable: skip the pod"
    ),
    pytest.param(
        desired(M15),
        Observed((pod("a", M15),)),
        False,
        [],
        [(M15, "a")],
        id="on disk but not loaded: load the default model",
    ),
    pytest.param(
        desired(M15, M7),
        Observed((pod("a", M15, loaded=[M15]),)),
        False,
        [(M7, "a", ("a",))],
        [],
        id="extra model pulled, not loaded",
    ),
    pytest.param(
        desired(M15),
        Observed((pod("a"), pod("b"))),
        False,
        [(M15, "a", ("a",)), (M15, "b", ("b",))],
        [],
        id="two pods, own volumes: pull on each",
    ),
    pytest.param(
        desired(M15),
        Observed((pod("b"), pod("a"))),
        True,
        [(M15, "a", ("a", "b"))],
        [],
        id="two pods, shared volume: pull once for all",
    ),
    pytest.param(
        desired(M15),
        Observed((pod("a", M15, loaded=[M15]), pod("b"))),
        True,
        [],
        [(M15, "b")],
        id="shared volume, one pod lists it: no pull, load on the other",
    ),
    pytest.param(
        desired(M15),
        Observed((pod("a", M15, loaded=[M15]), pod("b"))),
        False,
        [(M15, "b", ("b",))],
        [],
        id="own volumes, one pod lacks it: pull there only",
    ),
    pytest.param(desired(M15, pull=False), Observed((pod("a"),)), False, [], [], id="offline: never pull"),
    pytest.param(
        desired(M15),
        Observed((pod("a"),), retry_at={M15: 100.0}, now=50.0),
        False,
        [],
        [],
        id="failed recently: wait for the backoff",
    ),
    pytest.param(
        desired(M15),
        Observed((pod("a"),), retry_at={M15: 100.0}, now=150.0),
        False,
        [(M15, "a", ("a",))],
        [],
        id="backoff over: retry",
    ),
    pytest.param(
        desired(M15),
        Observed((pod("a"),), retry_at={M15: 100.0}, requested=frozenset([M15]), now=50.0),
        False,
        [(M15, "a", ("a",))],
        [],
        id="administrator asked: retry now despite backoff",
    ),
    pytest.param(
        desired(M15),
        Observed((pod("a", M15),), partial=frozenset([M15])),
        False,
        [],
        [],
        id="half-copied model: do not load blindly",
    ),
    pytest.param(
        desired(M7),
        Observed((pod("a", M15, loaded=[M15]),)),
        False,
        [(M7, "a", ("a",))],
        [],
        id="model switch: new pulled, old left alone",
    ),
]


@pytest.mark.parametrize(("want", "observed", "shared", "expected_pulls", "expected_loads"), CASES)
def test_plan(want, observed, shared, expected_pulls, expected_loads):
    result = plan(want, observed, shared_volume=shared)
    assert pulls(result) == expected_pulls
    assert loads(result) == expected_loads
    assert result.details  # every decision is explained


def test_plan_explains_offline_and_backoff_as_missing():
    offline = plan(desired(M15, pull=False), Observed((pod("a"),)), shared_volume=False)
    assert offline.missing == {M15: ("a",)}
    assert any("offline" in d for d in offline.details)
    waiting = plan(desired(M15), Observed((pod("a"),), retry_at={M15: 90.0}, now=30.0), shared_volume=False)
    assert waiting.waiting == {M15: 90.0}


def test_no_ready_pod_reports_every_model_missing():
    result = plan(desired(M15, M7), Observed((pod("a", ready=False),)), shared_volume=False)
    assert result.idle and set(result.missing) == {M15, M7}
    assert any("no ready ollama pod" in d for d in result.details)


def test_plan_never_deletes():
    result = plan(desired(M7), Observed((pod("a", M15, "deepseek-r1:14b"),)), shared_volume=False)
    assert not hasattr(result, "to_delete")
    assert {a.model for a in result.to_pull} == {M7}
