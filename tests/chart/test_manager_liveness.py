"""The manager container's liveness probe runs the heartbeat check (a hung reconcile loop is
restarted); the edge and API containers keep their own probes."""

from __future__ import annotations

from tests.helmtools import containers, one, render


def test_the_manager_container_has_an_exec_liveness_probe(chart):
    deployment = one(render(chart), "Deployment", "deepseek-api")
    by_name = {c["name"]: c for c in containers(deployment)}
    probe = by_name["manager"]["livenessProbe"]
    assert probe["exec"]["command"] == ["deepseek-ext", "manager", "--check-alive"]
    # Slower than the loop's own allowance (6 intervals of 10 s), so one slow round is no restart.
    assert probe["periodSeconds"] * probe["failureThreshold"] >= 60
    assert probe["timeoutSeconds"] >= 5  # a Python start on a busy node
    # The heartbeat lives on the pod's /tmp emptyDir the manager can write.
    assert {"name": "tmp", "mountPath": "/tmp"} in by_name["manager"]["volumeMounts"]
    # The edge answers kubelet's HTTPS probes; gunicorn (loopback only) is asked from inside.
    assert by_name["edge"]["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert "/healthz" in " ".join(by_name["api"]["livenessProbe"]["exec"]["command"])
