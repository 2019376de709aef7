"""Status rules: from what the cluster and ollama show to findings, component states and a phase. Pure.

Every rule takes plain JSON-shaped data (``kubectl get -o json`` objects, ollama's ``/api/tags``
and ``/api/ps`` answers, the manager's record) as keyword arguments and returns findings: codes,
severities, parameters and evidence, never sentences (those are the catalog's ``finding.<Code>``
entries, rendered at the edge). No I/O, no clock (``now`` is an input). One decision per module:

- ``inputs``: what the rules look at (:class:`Inputs`, :class:`OllamaObservation`, :class:`KubeFailure`);
- ``common``: reading Kubernetes objects, making a finding;
- ``storage``: the models PVC; ``pods``: scheduling, containers, volumes; ``model``: pulls,
  offline seeding, GPU placement and each model's state; ``network``: NextChat, the Ingress and
  the upstreams (Kubernetes API, ollama);
- ``report``: component states, the phase, :func:`build_report`.
"""

from __future__ import annotations

from deepseek_ext.core.status.inputs import Inputs, KubeFailure, OllamaObservation
from deepseek_ext.core.status.model import model_states
from deepseek_ext.core.status.report import ComponentReport, Report, build_report

__all__ = [
    "ComponentReport",
    "Inputs",
    "KubeFailure",
    "OllamaObservation",
    "Report",
    "build_report",
    "model_states",
]
