"""The report: component states and the phase decided from the inputs alone; its line a Message."""

from __future__ import annotations

from typing import Any

import pytest
from deepseek_ext.core.findings import FindingCode
from deepseek_ext.core.messages import message
from deepseek_ext.core.phases import Component, ComponentState, StatusPhase
from deepseek_ext.core.status import Inputs, build_report

from tests.core.status.builders import (
    CHAT_APP,
    CONFIG,
    MODEL,
    NAMESPACE,
    answered,
    container,
    deployment,
    healthy,
    ingress,
    kube_failure,
    pod,
    pvc,
    record,
    state,
    unanswered,
)

PULLING = state(**{MODEL: record("Pulling", percent=10)})


@pytest.mark.parametrize(
    ("changes", "phase"),
    [
        pytest.param({}, StatusPhase.READY, id="all ready"),
        pytest.param({"pods": None}, StatusPhase.UNKNOWN, id="pods cannot be read"),
        pytest.param({"pods": []}, StatusPhase.INSTALLING, id="no pods yet"),
        pytest.param({"pods": [pod("ollama-0", ready=False, scheduled=False)]}, StatusPhase.SCHEDULING,
                     id="pod not scheduled"),
        pytest.param({"pods": [pod("ollama-0", ready=False)]}, StatusPhase.INSTALLING, id="pod starting"),
        pytest.param({"pods": [pod("ollama-0", deleting=True)]}, StatusPhase.INSTALLING,
                     id="the only pod is terminating"),
        pytest.param({"observations": [answered(tags=[])], "state": PULLING}, StatusPhase.PULLING_MODEL,
                     id="model downloading"),
        pytest.param({"state": state(**{MODEL: record("Loading")})}, StatusPhase.LOADING_MODEL, id="model loading"),
        pytest.param({"observations": [answered(tags=[])]}, StatusPhase.PULLING_MODEL,
                     id="model not there yet, downloads on"),
        pytest.param({"observations": [answered(tags=[])], "config": {**CONFIG, "pull": False}}, StatusPhase.FAILED,
                     id="model not there, offline"),
        pytest.param({"deployments": [deployment(ready=0)]}, StatusPhase.DEGRADED, id="chat down, model served"),
        pytest.param({"pods": [pod("ollama-0"), pod("chat-0", app=CHAT_APP, ready=False)],
                      "deployments": [deployment(replicas=1, ready=0)], "events": []},
                     StatusPhase.DEGRADED, id="chat starting counts as not ready"),
        pytest.param({"observations": [unanswered("refused")]}, StatusPhase.FAILED, id="ollama down"),
        pytest.param({"observations": [unanswered("timed out", timeout=True)]}, StatusPhase.UNKNOWN,
                     id="ollama hangs: not claimed pulling"),
        pytest.param({"observations": [unanswered("timed out", timeout=True)], "state": PULLING},
                     StatusPhase.PULLING_MODEL, id="ollama hangs during a recorded pull"),
        pytest.param({"ingresses": [ingress(address=False)]}, StatusPhase.READY, id="a warning leaves it Ready"),
    ],
)
def test_phase(changes: dict[str, Any], phase: StatusPhase) -> None:
    assert build_report(healthy(**changes)).phase is phase


def states(inputs: Inputs) -> dict[Component, ComponentState]:
    return {c.component: c.state for c in build_report(inputs).components}


def test_a_healthy_install_is_ready_everywhere_with_ingress_disabled() -> None:
    assert states(healthy()) == {
        Component.STORAGE: ComponentState.READY,
        Component.OLLAMA: ComponentState.READY,
        Component.MODEL: ComponentState.READY,
        Component.NEXTCHAT: ComponentState.READY,
        Component.INGRESS: ComponentState.DISABLED,
        Component.API: ComponentState.READY,
    }


@pytest.mark.parametrize(
    ("changes", "component", "expected"),
    [
        pytest.param({"pvcs": None}, Component.STORAGE, ComponentState.UNKNOWN, id="storage unreadable"),
        pytest.param({"pvcs": [pvc(phase="Pending", storage_class="standard")]}, Component.STORAGE,
                     ComponentState.PROGRESSING, id="storage pending, no cause yet"),
        pytest.param({"pvcs": []}, Component.STORAGE, ComponentState.FAILED, id="storage missing"),
        pytest.param({"pods": None}, Component.OLLAMA, ComponentState.UNKNOWN, id="pods unreadable"),
        pytest.param({"observations": []}, Component.MODEL, ComponentState.UNKNOWN, id="nobody asked"),
        pytest.param({"observations": [answered(tags=[])]}, Component.MODEL, ComponentState.PROGRESSING,
                     id="model coming"),
        pytest.param({"deployments": None}, Component.NEXTCHAT, ComponentState.UNKNOWN, id="deployments unreadable"),
        pytest.param({"ingresses": [ingress()]}, Component.INGRESS, ComponentState.READY, id="ingress published"),
        pytest.param({"ingresses": [ingress(address=False)]}, Component.INGRESS, ComponentState.DEGRADED,
                     id="a warning degrades a ready component"),
        pytest.param({"ingresses": None, "config": {**CONFIG, "chatUrl": "http://c"}}, Component.INGRESS,
                     ComponentState.UNKNOWN, id="ingresses unreadable"),
        pytest.param({"observations": [answered(tags=[])], "state": PULLING, "pods": [pod("ollama-0", ready=False)]},
                     Component.OLLAMA, ComponentState.PROGRESSING, id="ollama starting"),
        pytest.param({"observations": [answered(tags=[]), unanswered(timeout=True)]}, Component.OLLAMA,
                     ComponentState.DEGRADED, id="one slow pod degrades ready ollama"),
    ],
)
def test_component_state(changes: dict[str, Any], component: Component, expected: ComponentState) -> None:
    assert states(healthy(**changes))[component] is expected


def test_the_phase_line_carries_the_first_error_when_settled() -> None:
    report = build_report(healthy(observations=[unanswered("refused")]))
    [top] = report.findings
    assert report.message == message("phase.withFinding", phase=message("phase.Failed"), finding=top.message)


def test_the_phase_line_of_a_phase_in_progress_is_the_phase_alone() -> None:
    report = build_report(healthy(pods=[pod("ollama-0", ready=False)], ingresses=[ingress(address=False)]))
    assert report.phase is StatusPhase.INSTALLING and report.findings
    assert report.message == message("phase.Installing")


def test_a_pod_finding_about_nextchat_replaces_the_deployment_count() -> None:
    crashing = pod("chat-0", app=CHAT_APP, ready=False,
                   containers=[container("chat", waiting="CrashLoopBackOff", last={"exitCode": 1})])
    report = build_report(healthy(pods=[pod("ollama-0"), crashing], deployments=[deployment(ready=0)]))
    assert [f.code for f in report.findings] == [FindingCode.CRASH_LOOP]


def test_upstream_findings_land_on_their_component() -> None:
    report = build_report(healthy(kube_errors={"nodes": kube_failure("KubernetesForbidden")},
                                  observations=[unanswered("refused")]))
    by_component = {c.component: [f.code for f in c.findings] for c in report.components}
    assert by_component[Component.API] == [FindingCode.KUBERNETES_API_FORBIDDEN]
    assert by_component[Component.OLLAMA] == [FindingCode.OLLAMA_UNREACHABLE]


def test_defaults_assumed_is_a_warning_naming_the_configmap() -> None:
    report = build_report(healthy(config_source="defaults"))
    [finding] = report.findings
    assert finding.code is FindingCode.SERVING_CONFIG_MISSING and finding.params == {"configmap": "deepseek-serving"}
    assert report.phase is StatusPhase.READY


def test_object_names_come_from_the_serving_config() -> None:
    config = {**CONFIG, "pvcName": "models-x", "chatDeployment": "chat-x", "ollamaService": "svc-x",
              "ollamaPort": 8080, "ollamaSelector": {"app": "o-x"}}
    report = build_report(healthy(config=config, pods=[pod("o", app="o-x"), pod("chat-0", app=CHAT_APP)],
                                  pvcs=[], deployments=[deployment("chat-x")]))
    assert [(f.code, f.params.get("pvc")) for f in report.findings] == [(FindingCode.PVC_MISSING, "models-x")]
    assert report.endpoints == {"ollama": f"http://svc-x.{NAMESPACE}.svc:8080",
                                "openai": f"http://svc-x.{NAMESPACE}.svc:8080/v1", "chat": None}
    assert states(healthy(config=config, pods=[pod("o", app="o-x")]))[Component.OLLAMA] is ComponentState.READY


def test_progress_is_null_unless_downloading() -> None:
    assert build_report(healthy()).progress is None
    assert build_report(healthy(observations=[answered(tags=[])], state=PULLING)).progress is not None


def test_models_are_unknown_not_absent_when_no_ollama_answers() -> None:
    assert [m["state"] for m in build_report(healthy(observations=[unanswered(timeout=True)])).models] == ["unknown"]
    assert [m["state"] for m in build_report(healthy(observations=[answered(tags=[])])).models] == ["absent"]
