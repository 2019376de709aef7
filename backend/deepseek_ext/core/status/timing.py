"""Time in the status rules: startup windows, stale events, finished pods of old ReplicaSets. Pure.

``now`` is an input (``Inputs.now``, RFC 3339); nothing here reads a clock. A rule asks three
questions of time:

* Is a not-ready pod still inside its startup window? The window comes from the pod's own probes
  (the chart's ``startupProbe`` and ``readinessProbe``): ``initialDelaySeconds + failureThreshold ×
  periodSeconds`` of each, added, which is the longest kubelet lets a healthy container take before
  it gives up on it (kubernetes pkg/kubelet/prober/worker.go counts failures the same way).
* Is an event about the pod's current containers, or about an earlier attempt that is over
  (older than the running container's start)?
* Is a finished pod (phase Succeeded/Failed) a leftover of an old ReplicaSet?
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from deepseek_ext.core.status.common import condition, name_of
from deepseek_ext.core.status.inputs import Obj

DEFAULT_WINDOW_SECONDS = 60.0
"""A container without probes: kubelet reports Ready as soon as it runs; a minute covers the start."""

_FINISHED = ("Succeeded", "Failed")
_PROBE_DEFAULTS = {"initialDelaySeconds": 0, "periodSeconds": 10, "failureThreshold": 3}
"""Kubernetes' own probe defaults (k8s.io/api core/v1 Probe)."""


def parse_time(value: object) -> datetime | None:
    """An RFC 3339 timestamp as Kubernetes writes it (``2026-01-01T00:00:00Z``), or None."""
    if not value or not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def event_time(event: Obj) -> datetime | None:
    """When an event last happened (``lastTimestamp``, else ``eventTime``/``firstTimestamp``)."""
    series = (event.get("series") or {}).get("lastObservedTime")
    return parse_time(event.get("lastTimestamp") or series or event.get("eventTime") or event.get("firstTimestamp"))


def _probe_seconds(probe: Obj | None) -> float:
    if not probe:
        return 0.0
    values = {k: float(probe.get(k) or v) for k, v in _PROBE_DEFAULTS.items()}
    return values["initialDelaySeconds"] + values["failureThreshold"] * values["periodSeconds"]


def startup_window(pod: Obj) -> float:
    """Seconds a healthy pod may take from its start to Ready, from the probes of its containers."""
    windows = [
        _probe_seconds(c.get("startupProbe")) + _probe_seconds(c.get("readinessProbe"))
        for c in (pod.get("spec") or {}).get("containers") or []
    ]
    return max([w for w in windows if w > 0] or [DEFAULT_WINDOW_SECONDS])


def started_at(pod: Obj) -> datetime | None:
    """When the pod's current attempt began: its newest running container, else the pod's start."""
    status = pod.get("status") or {}
    starts = [
        parse_time(((cs.get("state") or {}).get("running") or {}).get("startedAt"))
        for cs in status.get("containerStatuses") or []
    ]
    known = [s for s in starts if s is not None]
    if known:
        return max(known)
    return parse_time(status.get("startTime")) or parse_time((pod.get("metadata") or {}).get("creationTimestamp"))


def seconds_since(moment: datetime | None, now: str) -> float | None:
    current = parse_time(now)
    if moment is None or current is None:
        return None
    return (current - moment).total_seconds()


def within_startup(pod: Obj, now: str) -> bool:
    """The pod is younger than its startup window (unknown age counts as past it: no excuse)."""
    age = seconds_since(started_at(pod), now)
    return age is not None and age < startup_window(pod)


def is_current_event(event: Obj, pod: Obj) -> bool:
    """The event is about the pod's current attempt: not older than its newest running container.

    A pod with no running container (still creating, crash looping) has no "after": every event counts.
    """
    status = pod.get("status") or {}
    starts = [
        parse_time(((cs.get("state") or {}).get("running") or {}).get("startedAt"))
        for cs in status.get("containerStatuses") or []
    ]
    known = [s for s in starts if s is not None]
    if not known:
        return True
    at = event_time(event)
    return at is None or at >= max(known)


def is_finished(pod: Obj) -> bool:
    return (pod.get("status") or {}).get("phase") in _FINISHED


def _owner_rs(pod: Obj) -> str | None:
    for ref in (pod.get("metadata") or {}).get("ownerReferences") or []:
        if ref.get("kind") == "ReplicaSet":
            return str(ref.get("name") or "")
    return None


def _template_hash(pod: Obj) -> str | None:
    return ((pod.get("metadata") or {}).get("labels") or {}).get("pod-template-hash")


def current_replicasets(replicasets: Sequence[Obj] | None, deployments: Sequence[Obj] | None) -> set[str] | None:
    """The ReplicaSets of the Deployments' current revision (annotation ``deployment.kubernetes.io/revision``)."""
    if replicasets is None or deployments is None:
        return None
    revisions = {
        name_of(d): ((d.get("metadata") or {}).get("annotations") or {}).get("deployment.kubernetes.io/revision")
        for d in deployments
    }
    current = set()
    for rs in replicasets:
        meta = rs.get("metadata") or {}
        owner = next((r.get("name") for r in meta.get("ownerReferences") or [] if r.get("kind") == "Deployment"), None)
        revision = (meta.get("annotations") or {}).get("deployment.kubernetes.io/revision")
        if owner in revisions and revision is not None and revision == revisions[owner]:
            current.add(name_of(rs))
    return current


def drop_old_finished(pods: Sequence[Obj], current_rs: set[str] | None) -> list[Obj]:
    """The pods without the finished ones of an old ReplicaSet (a rollout leaves them behind).

    Without the ReplicaSet list, a finished pod is old when a live pod carries another
    ``pod-template-hash`` (the label the Deployment controller gives each revision's pods).
    """
    live_hashes = {_template_hash(p) for p in pods if not is_finished(p)} - {None}
    kept = []
    for pod in pods:
        if is_finished(pod):
            rs = _owner_rs(pod)
            if current_rs is not None and rs is not None and rs not in current_rs:
                continue
            if current_rs is None and live_hashes and _template_hash(pod) not in live_hashes:
                continue
        kept.append(pod)
    return kept


def ready_since(pod: Obj) -> datetime | None:
    """When the pod's Ready condition last turned True, or None when it is not Ready."""
    ready = condition(pod, "Ready")
    if not ready or ready.get("status") != "True":
        return None
    return parse_time(ready.get("lastTransitionTime"))
