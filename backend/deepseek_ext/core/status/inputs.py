"""What the status rules look at: the observed evidence as plain, typed values. Pure.

``services.status`` gathers these (a Kubernetes snapshot, ollama's answers, the manager's record)
and hands them to ``report.build_report``; tests build them by hand. Kubernetes objects stay the
JSON ``kubectl get -o json`` prints (``Obj``): the rules read only the fields they name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

Obj = Mapping[str, Any]
"""One Kubernetes object (or ollama list entry) as JSON."""


@dataclass(frozen=True)
class OllamaObservation:
    """What one ollama server answered (or why not): ``tags``/``ps`` are its ``models`` lists."""

    pod: str
    url: str
    tags: Sequence[Obj] | None = None
    ps: Sequence[Obj] | None = None
    error: str | None = None
    """Why it could not be asked (the client's text, shown as evidence)."""
    timeout: bool = False
    """True when it did not answer in time (slow), False when it refused or answered garbage (down)."""


@dataclass(frozen=True)
class KubeFailure:
    """Why one Kubernetes list failed: the adapter's error code and text, and whether it timed out."""

    code: str
    """``KubernetesForbidden``, ``ClusterUnavailable``... (``adapters.kube.KubeError.code``)."""
    message: str
    timeout: bool = False


@dataclass
class Inputs:
    """Everything ``build_report`` looks at; resources are None when they could not be read."""

    config: Obj
    """The serving config (ConfigMap deepseek-serving, key config.json)."""
    namespace: str
    pods: Sequence[Obj] | None = None
    events: Sequence[Obj] | None = None
    pvcs: Sequence[Obj] | None = None
    deployments: Sequence[Obj] | None = None
    ingresses: Sequence[Obj] | None = None
    nodes: Sequence[Obj] | None = None
    storage_classes: Sequence[Obj] | None = None
    state: Obj | None = None
    """The manager's record (``state.json`` of ConfigMap deepseek-model-state), or None."""
    observations: Sequence[OllamaObservation] = ()
    kube_errors: Mapping[str, KubeFailure] = field(default_factory=dict)
    """resource -> why its list failed (forbidden, down, slow)."""
    now: str = ""
    config_source: str = "file"
    """Where ``config`` came from: a file path, ``ConfigMap deepseek-serving``, or ``defaults`` (neither)."""
    catalog_tags: Sequence[str] = ()
    """The model catalog's tags (``Catalog.tags()``), named in the fix of an unknown tag."""
    replicasets: Sequence[Obj] | None = None
    """The namespace's ReplicaSets: which pods belong to the current revision (finished old ones are ignored)."""
    node_pods: Sequence[Obj] | None = None
    """Pods of other namespaces bound to the nodes, when the API may list them (their requests hold room)."""
