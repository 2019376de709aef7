"""What the node list says: free versus allocatable, taints a pod does not tolerate, human units. Pure.

The scheduler's message says *that* no node fits ("Insufficient memory"), never by how much;
allocatable is what a node offers pods in total, not what is left. What is left is allocatable
minus the requests of the pods already bound to the node, which is what the scheduler's
NodeResourcesFit plugin compares (kubernetes pkg/scheduler/framework/plugins/noderesources/fit.go).
The API sees the pods of its own namespace (and of others only when it may list them), so the
free figure is an upper bound and the fix says where the full list is (``kubectl describe node``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from deepseek_ext.core.quantity import parse_quantity
from deepseek_ext.core.status.common import name_of
from deepseek_ext.core.status.inputs import Obj
from deepseek_ext.core.status.timing import is_finished

GPU_RESOURCES = ("nvidia.com/gpu", "amd.com/gpu")
_SCHEDULING_EFFECTS = ("NoSchedule", "NoExecute")


def human_memory(mib: int) -> str:
    """MiB for people: ``6.5Gi`` or ``512.0Mi`` (one decimal; never Ki)."""
    return f"{mib / 1024:.1f}Gi" if mib >= 1024 else f"{float(mib):.1f}Mi"


def human_cpu(millicores: int) -> str:
    """Millicores for people: whole or one-decimal cores (``3.5``), or ``250m`` below one core."""
    if millicores >= 1000:
        cores = millicores / 1000
        return f"{cores:.1f}".removesuffix(".0")
    return f"{millicores}m"


def human(resource: str, amount: int) -> str:
    return human_cpu(amount) if resource == "cpu" else human_memory(amount)


def _amount(raw: object, resource: str) -> int | None:
    try:
        return parse_quantity(raw, "cpu" if resource == "cpu" else "memory")
    except (ValueError, TypeError):
        return None


def pod_request(pod: Obj, resource: str) -> int:
    """The pod's request of cpu (millicores) or memory (MiB): containers summed, init containers' max."""
    spec = pod.get("spec") or {}

    def of(container: Obj) -> int:
        return _amount(((container.get("resources") or {}).get("requests") or {}).get(resource), resource) or 0

    main = sum(of(c) for c in spec.get("containers") or [])
    init = max([of(c) for c in spec.get("initContainers") or []] or [0])
    return max(main, init)


@dataclass(frozen=True)
class NodeRoom:
    """One node's allocatable, what the visible pods on it request, and who they are."""

    node: str
    allocatable: int
    requested: int
    holders: tuple[tuple[str, int], ...]
    """(namespace/name, request) of the pods bound to the node, biggest first."""

    @property
    def free(self) -> int:
        return max(self.allocatable - self.requested, 0)


def node_rooms(nodes: Sequence[Obj] | None, pods: Iterable[Obj], resource: str) -> list[NodeRoom]:
    """Every node's room for ``resource``, most free first."""
    bound: dict[str, list[tuple[str, int]]] = {}
    seen: set[tuple[str, str]] = set()
    for pod in pods:
        meta = pod.get("metadata") or {}
        identity = (str(meta.get("namespace") or ""), name_of(pod))
        node = (pod.get("spec") or {}).get("nodeName")
        if not node or is_finished(pod) or identity in seen:
            continue
        seen.add(identity)
        label = f"{identity[0]}/{identity[1]}" if identity[0] else identity[1]
        bound.setdefault(str(node), []).append((label, pod_request(pod, resource)))
    rooms = []
    for node in nodes or ():
        allocatable = _amount(((node.get("status") or {}).get("allocatable") or {}).get(resource), resource)
        if allocatable is None:
            continue
        holders = sorted((h for h in bound.get(name_of(node), []) if h[1] > 0), key=lambda h: -h[1])
        rooms.append(NodeRoom(name_of(node), allocatable, sum(h[1] for h in holders), tuple(holders)))
    return sorted(rooms, key=lambda r: -r.free)


def gpu_capacity(node: Obj) -> int:
    allocatable = (node.get("status") or {}).get("allocatable") or {}
    total = 0
    for resource in GPU_RESOURCES:
        try:
            total += int(str(allocatable.get(resource) or 0))
        except ValueError:
            continue
    return total


def tolerates(tolerations: Sequence[Mapping[str, object]], taint: Mapping[str, object]) -> bool:
    """The rule of k8s.io/api core/v1 Toleration.ToleratesTaint (an empty key with Exists tolerates all)."""
    for t in tolerations:
        effect = t.get("effect")
        if effect and effect != taint.get("effect"):
            continue
        key, operator = t.get("key"), t.get("operator") or "Equal"
        if not key and operator == "Exists":
            return True
        if key != taint.get("key"):
            continue
        if operator == "Exists" or (t.get("value") or "") == (taint.get("value") or ""):
            return True
    return False


def untolerated_taints(node: Obj, pod: Obj) -> list[str]:
    """The node's NoSchedule/NoExecute taints the pod does not tolerate, as ``key=value:Effect``."""
    tolerations = (pod.get("spec") or {}).get("tolerations") or []
    found = []
    for taint in (node.get("spec") or {}).get("taints") or []:
        if taint.get("effect") not in _SCHEDULING_EFFECTS or tolerates(tolerations, taint):
            continue
        found.append(taint_text(taint))
    return found


def taint_text(taint: Mapping[str, object]) -> str:
    value = taint.get("value")
    return f"{taint.get('key')}{'=' + str(value) if value else ''}:{taint.get('effect')}"
