"""The report: every rule's findings grouped by component, each component's state, and the phase. Pure.

``build_report`` runs the rules on :class:`~deepseek_ext.core.status.inputs.Inputs` and returns a
:class:`Report` of codes, parameters and :class:`~deepseek_ext.core.messages.Message` values;
``Report.to_dict(catalog)`` renders it into the JSON of docs/architecture.md, "Status report"
(``services.status`` does that with the shipped catalog).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from deepseek_ext.core import names
from deepseek_ext.core.findings import Finding, FindingCode, Severity
from deepseek_ext.core.messages import Message, MessageCatalog, message
from deepseek_ext.core.model_state import SERVED_STATES, ManagerPhase
from deepseek_ext.core.objects import ObjectNames
from deepseek_ext.core.phases import Component, ComponentState, StatusPhase
from deepseek_ext.core.status.common import condition, find_by_name, finding, is_ready_not_terminating, labels_match
from deepseek_ext.core.status.gateway import detect_gateway_findings
from deepseek_ext.core.status.generic import GENERIC_CODES, Workload, detect_unexplained
from deepseek_ext.core.status.inputs import Inputs, Obj
from deepseek_ext.core.status.model import ModelEntry, detect_model_findings, model_states
from deepseek_ext.core.status.network import (
    detect_ingress_findings,
    detect_nextchat_findings,
    detect_upstream_findings,
)
from deepseek_ext.core.status.pods import detect_pod_findings
from deepseek_ext.core.status.serving import ollama_container, ollama_image, serving_summary
from deepseek_ext.core.status.storage import detect_pvc_findings, pvc_is_bound
from deepseek_ext.core.status.timing import current_replicasets, drop_old_finished

_PHASES_WITH_FINDING = (StatusPhase.FAILED, StatusPhase.DEGRADED, StatusPhase.READY)
"""Phases whose line goes on with the most important finding (in progress phases speak for themselves)."""


@dataclass(frozen=True)
class ComponentReport:
    component: Component
    state: ComponentState
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class Report:
    """The status report before rendering: codes, states and messages as keys with parameters."""

    phase: StatusPhase
    message: Message
    progress: dict[str, Any] | None
    components: tuple[ComponentReport, ...]
    models: list[ModelEntry]
    endpoints: dict[str, str | None]
    checked_at: str
    serving: dict[str, Any] | None = None

    @property
    def findings(self) -> list[Finding]:
        return [f for c in self.components for f in c.findings]

    def to_dict(self, catalog: MessageCatalog) -> dict[str, Any]:
        """The report's JSON with every message in both languages."""
        return {
            "phase": self.phase.value,
            "message": catalog.render(self.message),
            "progress": self.progress,
            "components": [
                {
                    "name": c.component.value,
                    "state": c.state.value,
                    "findings": [f.to_dict(catalog) for f in c.findings],
                }
                for c in self.components
            ],
            "models": self.models,
            "endpoints": self.endpoints,
            "checkedAt": self.checked_at,
            "serving": self.serving,
        }


def collect_findings(inputs: Inputs, object_names: ObjectNames) -> dict[Component, list[Finding]]:
    """Every rule's findings, by component (a rule whose evidence could not be read is not run)."""
    cfg = inputs.config
    ollama_pods = _pods(inputs, object_names.ollama_selector)
    chat_pods = _pods(inputs, object_names.chat_selector)
    container = ollama_container(inputs.deployments, object_names.ollama_deployment, ollama_pods)
    found: dict[Component, list[Finding]] = {c: [] for c in Component}
    if inputs.pvcs is not None:
        found[Component.STORAGE] += detect_pvc_findings(
            pvc=find_by_name(inputs.pvcs, object_names.pvc),
            pvc_name=object_names.pvc,
            storage_classes=inputs.storage_classes,
            events=inputs.events,
        )
    if inputs.pods is not None:
        for component, pods, key in (
            (Component.OLLAMA, ollama_pods, "backend.server"),
            (Component.NEXTCHAT, chat_pods, "backend.chat"),
        ):
            found[component] += detect_pod_findings(
                pods=pods,
                events=inputs.events,
                component=component,
                key=key,
                nodes=inputs.nodes,
                namespace=inputs.namespace,
                visible_pods=list(inputs.pods or ()) + list(inputs.node_pods or ()),
                access_code_secret=cfg.get("accessCodeSecret") or object_names.access_code_secret,
            )
    found[Component.MODEL] += detect_model_findings(
        config=cfg,
        state=inputs.state,
        observations=inputs.observations,
        object_names=object_names,
        namespace=inputs.namespace,
        catalog_tags=inputs.catalog_tags,
        ollama_image=ollama_image(container, ollama_pods),
    )
    # A pod finding already says why NextChat is down; the Deployment's count would repeat it.
    if inputs.deployments is not None and not _has_error(found[Component.NEXTCHAT]):
        found[Component.NEXTCHAT] += detect_nextchat_findings(
            deployment=find_by_name(inputs.deployments, object_names.chat_deployment),
            deployment_name=object_names.chat_deployment,
            pods=chat_pods,
            events=inputs.events,
            namespace=inputs.namespace,
            now=inputs.now,
        )
    if inputs.ingresses is not None:
        found[Component.INGRESS] += detect_ingress_findings(
            ingress=find_by_name(inputs.ingresses, object_names.ingress),
            ingress_name=object_names.ingress,
            chat_url=cfg.get("chatUrl"),
        )
    for f in detect_upstream_findings(
        kube_errors=inputs.kube_errors,
        observations=inputs.observations,
        object_names=object_names,
        namespace=inputs.namespace,
    ):
        found[Component(f.component or Component.API)].append(f)
    if inputs.config_source == "defaults":
        found[Component.API].append(_serving_config_missing(object_names))
    found[Component.OLLAMA] += detect_gateway_findings(config=cfg, object_names=object_names)
    if inputs.pods is not None:
        _add_unexplained(inputs, object_names, found, ollama_pods=ollama_pods, chat_pods=chat_pods)
    return {c: [_with_links(f, inputs, ollama_pods + chat_pods, object_names) for f in fs] for c, fs in found.items()}


def _add_unexplained(
    inputs: Inputs,
    object_names: ObjectNames,
    found: dict[Component, list[Finding]],
    *,
    ollama_pods: list[Obj],
    chat_pods: list[Obj],
) -> None:
    """Every signal of our objects no finding so far explains (``core.status.generic``)."""
    explained = [f for fs in found.values() for f in fs]
    generic = detect_unexplained(
        workloads=[
            Workload(Component.OLLAMA, object_names.ollama_deployment, ollama_pods),
            Workload(Component.NEXTCHAT, object_names.chat_deployment, chat_pods),
        ],
        deployments=inputs.deployments,
        replicasets=inputs.replicasets,
        current_rs=current_replicasets(inputs.replicasets, inputs.deployments),
        pvc=find_by_name(inputs.pvcs, object_names.pvc),
        events=inputs.events,
        nodes=inputs.nodes,
        explained=explained,
        namespace=inputs.namespace,
        now=inputs.now,
    )
    for f in generic:
        found[Component(f.component or Component.API)].append(f)


def _pod_links(pod: Obj, namespace: str, container: str | None) -> tuple[dict[str, str], ...]:
    name = str((pod.get("metadata") or {}).get("name") or "")
    containers = [str(c.get("name")) for c in (pod.get("spec") or {}).get("containers") or [] if c.get("name")]
    logs = {"kind": "logs", "namespace": namespace, "name": name}
    chosen = container or (containers[0] if containers else None)
    if chosen:
        logs["container"] = chosen
    return (
        {"kind": "pod", "namespace": namespace, "name": name},
        {"kind": "events", "namespace": namespace, "name": name},
        logs,
    )


def _with_links(finding_: Finding, inputs: Inputs, pods: Sequence[Obj], object_names: ObjectNames) -> Finding:
    """Where to look in KubeSphere: the pod the finding is about (or the pods of its Deployment)."""
    kind, name = finding_.evidence.get("kind"), finding_.evidence.get("name")
    container = finding_.params.get("container")
    by_name = {str((p.get("metadata") or {}).get("name")): p for p in pods}
    targets: list[Obj] = []
    if kind == "Pod" and name in by_name:
        targets = [by_name[str(name)]]
    elif kind in ("Deployment", "ReplicaSet") or finding_.code is FindingCode.NEXTCHAT_NOT_READY:
        chat = finding_.component == Component.NEXTCHAT.value
        selector = object_names.chat_selector if chat else object_names.ollama_selector
        targets = sorted(
            (p for p in pods if labels_match(selector, p)), key=lambda p: is_ready_not_terminating(p)
        )[:1]
    elif finding_.component == Component.MODEL.value and kind == "ConfigMap":
        targets = [p for p in pods if labels_match(object_names.ollama_selector, p)][:1]
        container = container or "ollama"
    if not targets:
        return finding_
    links = tuple(link for pod in targets for link in _pod_links(pod, inputs.namespace, container))
    return replace(finding_, links=links)


def _serving_config_missing(object_names: ObjectNames) -> Finding:
    """Neither the mounted serving config nor its ConfigMap can be read: the report assumes the defaults."""
    return finding(
        FindingCode.SERVING_CONFIG_MISSING,
        Severity.WARNING,
        Component.API,
        params={"configmap": object_names.serving_configmap},
        evidence={"kind": "ConfigMap", "name": object_names.serving_configmap, "field": "data.config.json"},
    )


def build_report(inputs: Inputs) -> Report:
    """The status report (docs/architecture.md, "Status report") from everything observed."""
    cfg = inputs.config
    object_names = ObjectNames.from_serving(cfg)
    found = collect_findings(inputs, object_names)
    models, progress = model_states(inputs)
    configured = names.normalize(str(cfg.get("model") or ""))
    main = next((m for m in models if names.normalize(m["name"]) == configured), None)
    model_served = bool(main and main["state"] in SERVED_STATES)
    ollama_pods = _pods(inputs, object_names.ollama_selector)
    base = base_states(inputs, object_names, ollama_pods=ollama_pods, model_served=model_served)
    components = tuple(
        ComponentReport(c, component_state(found[c], base[c]), tuple(found[c])) for c in Component
    )
    all_findings = [f for c in components for f in c.findings]
    phase = decide_phase(
        inputs,
        ollama_pods=ollama_pods,
        errors=any(f.severity is Severity.ERROR for f in all_findings),
        model_served=model_served,
        pulling=progress is not None,
        nextchat_ready=base[Component.NEXTCHAT] is ComponentState.READY,
        signals=any(f.code in GENERIC_CODES for f in all_findings),
    )
    ollama_url = f"http://{object_names.ollama_service}.{inputs.namespace}.svc:{object_names.ollama_port}"
    return Report(
        phase=phase,
        message=phase_message(phase, all_findings),
        progress=progress,
        components=components,
        models=models,
        endpoints={"ollama": ollama_url, "openai": f"{ollama_url}/v1", "chat": cfg.get("chatUrl")},
        checked_at=inputs.now,
        serving=serving_summary(cfg, ollama_container(inputs.deployments, object_names.ollama_deployment, ollama_pods)),
    )


def _pods(inputs: Inputs, selector: Mapping[str, str]) -> list[Obj]:
    """The workload's pods, without the finished ones of an old ReplicaSet (a rollout's leftovers)."""
    mine = [p for p in inputs.pods or () if labels_match(selector, p)]
    return drop_old_finished(mine, current_replicasets(inputs.replicasets, inputs.deployments))


def _has_error(findings: Sequence[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)


def base_states(
    inputs: Inputs, object_names: ObjectNames, *, ollama_pods: Sequence[Obj], model_served: bool
) -> dict[Component, ComponentState]:
    """Each component's state from its objects alone, before its findings are counted."""
    ingress = find_by_name(inputs.ingresses, object_names.ingress)
    if inputs.pvcs is None:
        storage = ComponentState.UNKNOWN
    else:
        bound = pvc_is_bound(find_by_name(inputs.pvcs, object_names.pvc))
        storage = ComponentState.READY if bound else ComponentState.PROGRESSING
    if inputs.pods is None:
        ollama = ComponentState.UNKNOWN
    elif ollama_pods and all(is_ready_not_terminating(p) for p in ollama_pods):
        ollama = ComponentState.READY
    else:
        ollama = ComponentState.PROGRESSING
    if model_served:
        model = ComponentState.READY
    else:
        model = ComponentState.PROGRESSING if inputs.observations else ComponentState.UNKNOWN
    if not inputs.config.get("chatUrl") and ingress is None:
        ingress_state = ComponentState.DISABLED
    else:
        ingress_state = ComponentState.UNKNOWN if inputs.ingresses is None else ComponentState.READY
    return {
        Component.STORAGE: storage,
        Component.OLLAMA: ollama,
        Component.MODEL: model,
        Component.NEXTCHAT: _deployment_state(inputs.deployments, object_names.chat_deployment),
        Component.INGRESS: ingress_state,
        Component.API: ComponentState.READY,
    }


def _deployment_state(deployments: Sequence[Obj] | None, name: str) -> ComponentState:
    if deployments is None:
        return ComponentState.UNKNOWN
    deployment = find_by_name(deployments, name)
    if deployment is None:
        return ComponentState.FAILED
    want = int((deployment.get("spec") or {}).get("replicas", 1) or 0)
    ready = int((deployment.get("status") or {}).get("readyReplicas") or 0)
    return ComponentState.READY if ready >= want else ComponentState.PROGRESSING


def component_state(findings: Sequence[Finding], base: ComponentState) -> ComponentState:
    """An error fails the component; a warning degrades a Ready one and leaves the others as they are."""
    if _has_error(findings):
        return ComponentState.FAILED
    if any(f.severity is Severity.WARNING for f in findings) and base is ComponentState.READY:
        return ComponentState.DEGRADED
    return base


def decide_phase(
    inputs: Inputs,
    *,
    ollama_pods: Sequence[Obj],
    errors: bool,
    model_served: bool,
    pulling: bool,
    nextchat_ready: bool,
    signals: bool = False,
) -> StatusPhase:
    """The overall phase: the first of these that holds, from "cannot tell" to "ready".

    ``signals``: a generic finding stands (a Warning event or failed condition no rule explains);
    the phase then never says Installing or Ready.
    """
    phase = _phase(
        inputs, ollama_pods=ollama_pods, errors=errors, model_served=model_served, pulling=pulling,
        nextchat_ready=nextchat_ready,
    )
    if signals and phase in (StatusPhase.INSTALLING, StatusPhase.READY):
        return StatusPhase.DEGRADED
    return phase


def _phase(
    inputs: Inputs,
    *,
    ollama_pods: Sequence[Obj],
    errors: bool,
    model_served: bool,
    pulling: bool,
    nextchat_ready: bool,
) -> StatusPhase:
    ready_ollama = [p for p in ollama_pods if is_ready_not_terminating(p)]
    served = model_served and bool(ready_ollama)
    record = ((inputs.state or {}).get("models") or {}).get(str(inputs.config.get("model"))) or {}
    if inputs.pods is None:
        return StatusPhase.UNKNOWN
    if errors:
        return StatusPhase.DEGRADED if served else StatusPhase.FAILED
    if not ollama_pods:
        return StatusPhase.INSTALLING
    if any((condition(p, "PodScheduled") or {}).get("status") != "True" for p in ollama_pods):
        return StatusPhase.SCHEDULING
    if not ready_ollama:
        return StatusPhase.INSTALLING
    if pulling:
        return StatusPhase.PULLING_MODEL
    if record.get("phase") == ManagerPhase.LOADING:
        return StatusPhase.LOADING_MODEL
    if not served and not any(o.tags is not None for o in inputs.observations):
        # ollama could not be asked (hung, garbage): what the model is doing is unknown, not "pulling".
        return StatusPhase.UNKNOWN
    if not served:
        return StatusPhase.PULLING_MODEL if inputs.config.get("pull", True) else StatusPhase.FAILED
    if not nextchat_ready:
        return StatusPhase.INSTALLING
    return StatusPhase.READY


def phase_message(phase: StatusPhase, findings: Sequence[Finding]) -> Message:
    """The phase's line; when it is settled, followed by the first error (else the first warning)."""
    top = next((f for f in findings if f.severity is Severity.ERROR), None) or next(
        (f for f in findings if f.severity is Severity.WARNING), None
    )
    line = message(f"phase.{phase.value}")
    if top is None or phase not in _PHASES_WITH_FINDING:
        return line
    return message("phase.withFinding", phase=line, finding=top.message)
