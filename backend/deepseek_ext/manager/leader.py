"""Leadership through the coordination.k8s.io Lease ``deepseek-model-manager`` (``ObjectNames.manager_lease``).

Only the holder acts, so two manager instances never pull the same model at the same time. The
decision (``lease_action``) is pure; ``LeaseElector`` does the reads and writes. Writes use the
resourceVersion, so of two instances racing for an expired Lease exactly one wins (the other gets
409 Conflict and waits).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from deepseek_ext.adapters import kube_writes
from deepseek_ext.adapters.kube import KubeClient, KubeError
from deepseek_ext.core.objects import DEFAULT_NAMES

log = logging.getLogger(__name__)


def micro_time(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_time(text: str | None) -> float | None:
    """RFC 3339 in any of the forms the API server or the client send back (``Z``, ``+00:00``, micros)."""
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).timestamp()


def lease_action(spec: Mapping[str, Any] | None, *, identity: str, now: float) -> str:
    """``acquire`` (free or expired), ``renew`` (ours) or ``wait`` (another holder is alive)."""
    if not spec or not spec.get("holderIdentity"):
        return "acquire"
    if spec.get("holderIdentity") == identity:
        return "renew"
    renewed = parse_time(spec.get("renewTime")) or parse_time(spec.get("acquireTime"))
    duration = float(spec.get("leaseDurationSeconds") or 0)
    if renewed is None or renewed + duration < now:
        return "acquire"
    return "wait"


class LeaseElector:
    def __init__(
        self,
        kube: KubeClient,
        *,
        identity: str,
        lease_seconds: float = 15.0,
        name: str = DEFAULT_NAMES.manager_lease,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.kube = kube
        self.identity = identity
        self.lease_seconds = lease_seconds
        self.name = name
        self.clock = clock
        self.leader = False
        self.holder = ""
        self._renewed_at = float("-inf")

    def _body(self, current: Mapping[str, Any] | None, now: float) -> dict[str, Any]:
        spec = dict((current or {}).get("spec") or {})
        taking_over = spec.get("holderIdentity") != self.identity
        meta: dict[str, Any] = {
            "name": self.name,
            "namespace": self.kube.namespace,
            "labels": {"app.kubernetes.io/component": "model-manager"},
        }
        if current is not None:
            meta["resourceVersion"] = current["metadata"]["resourceVersion"]
        spec.update(
            holderIdentity=self.identity,
            leaseDurationSeconds=max(1, round(self.lease_seconds)),
            renewTime=micro_time(now),
        )
        if taking_over:
            spec["acquireTime"] = micro_time(now)
            spec["leaseTransitions"] = int(spec.get("leaseTransitions") or 0) + (1 if current else 0)
        return {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": meta, "spec": spec}

    def try_acquire(self) -> bool:
        """Acquire or renew; True while we hold the Lease. API trouble is not raised: we just do not lead."""
        now = self.clock()
        try:
            current = kube_writes.get_lease(self.kube, self.name)
            action = lease_action((current or {}).get("spec"), identity=self.identity, now=now)
            self.holder = str(((current or {}).get("spec") or {}).get("holderIdentity") or "")
            if action == "wait":
                self.leader = False
                return False
            body = self._body(current, now)
            if current is None:
                kube_writes.create_lease(self.kube, body)
            else:
                kube_writes.replace_lease(self.kube, self.name, body)
        except kube_writes.Conflict:
            log.info("lease %s: another instance wrote first; not leading", self.name)
            self.leader = False
            return False
        except KubeError as exc:
            log.warning("lease %s: %s; not leading this round", self.name, exc.message)
            self.leader = False
            return False
        if not self.leader:
            log.info("lease %s acquired by %s", self.name, self.identity)
        self.leader, self.holder, self._renewed_at = True, self.identity, now
        return True

    def release(self) -> None:
        """On shutdown: clear the holder so another instance acts at once instead of after expiry."""
        if not self.leader:
            return
        try:
            current = kube_writes.get_lease(self.kube, self.name)
            spec = (current or {}).get("spec") or {}
            if current is None or spec.get("holderIdentity") != self.identity:
                return
            body = {
                "apiVersion": "coordination.k8s.io/v1",
                "kind": "Lease",
                "metadata": {
                    "name": self.name,
                    "namespace": self.kube.namespace,
                    "resourceVersion": current["metadata"]["resourceVersion"],
                },
                "spec": {**spec, "holderIdentity": None, "renewTime": None},
            }
            kube_writes.replace_lease(self.kube, self.name, body)
            log.info("lease %s released by %s", self.name, self.identity)
        except KubeError as exc:  # it expires on its own
            log.warning(
                "lease %s: could not release (%s); it expires in %ss",
                self.name,
                exc.message,
                self.lease_seconds,
            )
        finally:
            self.leader = False

    def renew_if_due(self) -> bool:
        """During long pulls: renew once a third of the lease has passed; False when leadership was lost."""
        if self.clock() - self._renewed_at < self.lease_seconds / 3:
            return self.leader
        return self.try_acquire()
