"""The reconcile loop: observe the ollama pods, ``plan``, then pull, load and publish progress.

One round (``Manager.reconcile_once``):

1. In a cluster, hold the Lease (``ObjectNames.manager_lease``) or do nothing (another instance acts).
2. Read the serving config (desired models) and the state store (pull requests from the API).
3. Observe every ready ollama pod (``/api/tags``, ``/api/ps`` on pod IP:11434), or the single
   ``--ollama-url`` without a cluster.
4. ``plan`` (pure), then execute: pulls one after another (the default model first), each
   streamed with progress published at most every ``progress_interval`` and only on change; a
   pulled default model is loaded at once with ``keep_alive`` and its load time recorded.
5. Failures are classified and retried with capped exponential backoff; each start, success and
   failure is an Event on the ollama Deployment (best effort). Nothing is ever deleted here.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from deepseek_ext.adapters import kube_writes
from deepseek_ext.adapters.files import load_messages
from deepseek_ext.adapters.ollama import (
    OllamaClient,
    OllamaClientError,
    OllamaError,
    OllamaInterrupted,
    OllamaTimeout,
    OllamaUnreachable,
    PullProgress,
)
from deepseek_ext.adapters.state_store import StateStore, StoredState, empty_state
from deepseek_ext.core import names
from deepseek_ext.core.messages import Message, MessageCatalog, Text
from deepseek_ext.core.model_state import ManagerPhase, ModelRecord
from deepseek_ext.core.objects import DEFAULT_NAMES
from deepseek_ext.manager import failures, liveness, offline, progress, sources
from deepseek_ext.manager.desired import Desired, DesiredError, desired_from_config
from deepseek_ext.manager.failures import FailureCode
from deepseek_ext.manager.leader import LeaseElector, parse_time
from deepseek_ext.manager.plan import LoadAction, Observed, Plan, PodView, PullAction, plan
from deepseek_ext.manager.sources import read_models_dir
from deepseek_ext.settings import ClusterSettings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ManagerOptions:
    interval: float = 10.0
    """Seconds between rounds."""
    backoff_base: float = 10.0
    """First retry delay after a failure; doubles per attempt."""
    backoff_cap: float = 600.0
    """Longest retry delay."""
    progress_interval: float = 2.0
    """Minimum seconds between two writes of state.json."""
    lease_seconds: float = 15.0
    """Lease duration; the holder renews every third of it, also during pulls."""
    identity: str = ""
    """Lease holder name; default host name + pid (the pod name in a cluster)."""
    ollama_url: str | None = None
    """Standalone: one ollama server instead of the pods found by selector."""
    models_dir: Path | None = None
    """Optional: the models volume mounted here, for exact offline checks (missing/short blobs)."""
    status_timeout: float = 3.0
    pull_read_timeout: float = 600.0
    """Longest silence between two pull lines outside the verification pass."""
    load_timeout: float = 900.0
    stall_seconds: float = 300.0
    """A download whose completed bytes do not grow for this long is Stalled: cancelled and retried."""
    verify_base_seconds: float = 120.0
    verify_seconds_per_gib: float = 30.0
    """The verification pass may stay silent for base + this per GiB of the model (a slow volume
    hashes at ~35 MiB/s at this rate)."""
    heartbeat_file: Path | None = None
    """Where the loop stamps its heartbeat (``manager.liveness``); None: no file (tests, --once)."""
    liveness_rounds: float = 6.0
    """The loop is hung when it makes no progress for this many intervals (beyond the bound of a
    call it is waiting on: a pull line, a load, the verification pass)."""


class LostLeadership(Exception):
    """Another instance took the Lease during a pull: stop (ollama keeps the partial download)."""


class Stopping(Exception):
    """The process is shutting down (SIGTERM): leave the pull, ollama keeps the partial download."""


class StalledPull(Exception):
    """No new bytes for ``stall_seconds`` although ollama kept reporting: leave the pull and retry."""

    def __init__(self, quiet: float) -> None:
        super().__init__(f"no new bytes for {quiet:.0f}s")
        self.quiet = quiet


VERIFYING_STATUS = "verifying sha256 digest"
"""The status line ollama sends before its silent hash pass (server/images.go:1073)."""


def default_identity() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


class Manager:
    def __init__(
        self,
        *,
        options: ManagerOptions,
        load_config: Callable[[], Mapping[str, Any]],
        store: StateStore,
        kube: Any = None,
        pod_url: Callable[[Mapping[str, Any], int], str] | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        messages: MessageCatalog | None = None,
        catalog_tags: Sequence[str] | None = None,
    ) -> None:
        if kube is None and not options.ollama_url:
            raise ValueError("the manager needs a cluster (kubeconfig / in-cluster) or --ollama-url")
        self.messages = messages if messages is not None else load_messages()
        """Renders the record's hints and the Events (``failure.*``, ``offline.*``, ``event.*``)."""
        self.catalog_tags = list(catalog_tags) if catalog_tags is not None else sources.catalog_tags()
        """The catalog's tags: the fix of an unknown tag lists them."""
        self.options = options
        self.identity = options.identity or default_identity()
        self.load_config = load_config
        self.store = store
        self.kube = kube
        self.pod_url = pod_url or (lambda pod, port: f"http://{pod['status']['podIP']}:{port}")
        self.clock = clock
        self.sleep = sleep
        self.elector = (
            LeaseElector(kube, identity=self.identity, lease_seconds=options.lease_seconds, clock=clock)
            if kube is not None
            else None
        )
        self.throttle = progress.Throttle(options.progress_interval)
        self.heartbeat = liveness.Heartbeat(options.heartbeat_file)
        self.stop_event = threading.Event()
        """Set it (SIGTERM) to end ``run``: a running pull is left at the next progress line."""
        self._lost = threading.Event()  # set by the Lease heartbeat when another instance took over
        self.state: dict[str, Any] = empty_state()
        self.retry_at: dict[str, float] = {}
        self._loaded_state = False
        self._desired: Desired | None = None

    def _beat(self, wait: float = 0.0) -> None:
        """Progress: the next beat is due within ``liveness_rounds`` intervals plus ``wait``, the
        bound of the call about to block (a pull line, a load, the verification pass)."""
        self.heartbeat.beat(allowance=self.options.liveness_rounds * self.options.interval + wait)

    @property
    def _namespace(self) -> str:
        return str(getattr(self.kube, "namespace", ClusterSettings().namespace))

    # -- state ----------------------------------------------------------------------------
    def _record(self, model: str) -> ModelRecord:
        records = self.state.setdefault("models", {})
        if model not in records:
            records[model] = progress.new_record(model, now=self.clock())
        return records[model]  # type: ignore[no-any-return]

    def _publish(self, *, wait: bool = False) -> None:
        """Write state.json if it changed and the throttle allows (``wait``: sleep until it does)."""
        if not self.throttle.changed(self.state):
            return
        if wait:
            self.sleep(self.throttle.wait_time(self.clock()))
        now = self.clock()
        if not self.throttle.due(self.state, now):
            return
        self.state["updated"] = progress.rfc3339(now)
        self.state["manager"] = self.identity
        try:
            self.store.write_state(self.state)
        except Exception as exc:  # never break the loop on a failed write; the next one retries
            log.warning("could not write the model state: %s", getattr(exc, "message", exc))
            return
        self.throttle.written(self.state, now)

    def _event(self, reason: str, params: Mapping[str, Any], *, key: str = "", warning: bool = False) -> None:
        """An Event ``reason`` on the ollama Deployment, its text from ``key`` (default ``event.<reason>``).

        Events carry one message: the English one (``kubectl describe`` and the console show it).
        """
        key = key or f"event.{reason}"
        message = self.messages.text(Message(key, params), "en")
        if self.kube is None or self._desired is None:
            log.log(logging.WARNING if warning else logging.INFO, "%s: %s", reason, message)
            return
        kube_writes.post_event(
            self.kube,
            deployment=self._desired.deployment,
            reason=reason,
            message=message,
            warning=warning,
            instance=self.identity,
        )

    # -- observe ----------------------------------------------------------------------------
    def _client(self, url: str) -> OllamaClient:
        return OllamaClient(
            url,
            timeout=self.options.status_timeout,
            pull_read_timeout=self.options.pull_read_timeout,
            load_timeout=self.options.load_timeout,
        )

    def _view(self, name: str, url: str, ready: bool, known: Sequence[str] = ()) -> PodView:
        """One pod's models, spelled as the config spells them (ollama ignores case: names.same)."""
        if not ready:
            return PodView(name=name, url=url, ready=False)

        def spelled(raw: str) -> str:
            return names.find(raw, known) or names.normalize(raw)

        try:
            with self._client(url) as client:
                models = frozenset(spelled(m["name"]) for m in client.tags())
                loaded = frozenset(spelled(m["name"]) for m in client.ps())
        except OllamaClientError as exc:
            return PodView(name=name, url=url, ready=True, models=None, error=exc.message)
        return PodView(name=name, url=url, ready=True, models=models, loaded=loaded)

    def observe(self, desired: Desired) -> tuple[PodView, ...]:
        if self.kube is None:
            return (self._view("ollama", str(self.options.ollama_url), True, desired.models),)
        views = []
        for pod in kube_writes.list_pods(self.kube, desired.selector or {}):
            ready = kube_writes.can_be_asked(pod)
            url = self.pod_url(pod, desired.port) if ready else ""
            views.append(self._view(pod["metadata"]["name"], url, ready, desired.models))
        return tuple(views)

    # -- one round ----------------------------------------------------------------------------
    def reconcile_once(self) -> Plan | None:
        """One round; None when another instance leads or the config is unusable."""
        if self.elector is not None and not self.elector.try_acquire():
            log.debug("not leading (holder: %s)", self.elector.holder or "none")
            return None
        # While this round runs, a heartbeat renews the Lease: ollama may stay silent for minutes
        # (verifying a large blob), and an expired Lease would let a second instance pull as well.
        done = threading.Event()
        self._lost = threading.Event()
        heartbeat = threading.Thread(
            target=self._heartbeat, args=(done, self._lost), daemon=True, name="lease-heartbeat"
        )
        heartbeat.start()
        try:
            return self._round()
        finally:
            done.set()
            heartbeat.join(timeout=self.options.status_timeout + 1)

    def _round(self) -> Plan | None:
        try:
            stored = self.store.read()
            readable = True
        except Exception as exc:  # an unreadable record must not stop downloads: go on without requests
            log.warning("could not read the model state: %s", getattr(exc, "message", exc))
            stored, readable = StoredState(state=self.state), False
        if readable and not self._loaded_state:
            # Continue from what the previous leader published (attempts, errors, load times).
            self.state = stored.state
            self.throttle.prime(stored.state, self.clock())
            for model, record in self.state.get("models", {}).items():
                retry = _parse_time(record.get("nextRetryAt"))
                if retry:
                    self.retry_at[model] = retry
            self._loaded_state = True
        try:
            desired = desired_from_config(self.load_config())
        except (DesiredError, OSError, ValueError) as exc:
            why = exc.message if isinstance(exc, DesiredError) else Message("manager.configUnreadable", {"detail": exc})
            message = self.messages.render(why)
            log.error("serving config unusable: %s", message["en"])
            self.state["error"] = message
            self._publish()
            return None
        self.state.pop("error", None)
        self._desired = desired
        requested = frozenset(stored.requests) if desired.pull else frozenset()
        partial: set[str] = set()
        if self.options.models_dir is not None:
            for model in desired.models:
                check = read_models_dir(self.options.models_dir, model)
                if check.state == "partial":
                    partial.add(model)
                    self._mark_partial(model, "; ".join(self.messages.text(p, "en") for p in check.problems))
        pods = self.observe(desired)
        self._beat()
        now = self.clock()
        result = plan(
            desired,
            Observed(
                pods=pods,
                requested=requested,
                retry_at=dict(self.retry_at),
                partial=frozenset(partial),
                now=now,
            ),
            shared_volume=desired.shared_volume,
        )
        for line in result.details:
            log.debug("plan: %s", line)
        self._update_from_observation(desired, pods, result, partial)
        # Requests are consumed when acted on (pulled now, or already present); requests for models
        # that are not configured, or made while downloads are off, can never be served: dropped too.
        handled = {a.model for a in result.to_pull}
        handled |= {m for m in requested if result.present.get(m) and not result.missing.get(m)}
        unservable = {m for m in stored.requests if m not in desired.models or not desired.pull}
        drop = (handled | unservable) & set(stored.requests)
        if drop:
            try:
                self.store.drop_requests(drop)
            except Exception as exc:  # the request stays; it is consumed next round
                log.warning("could not clear pull requests: %s", getattr(exc, "message", exc))
        self._publish()
        loaded_now: set[tuple[str, str]] = set()
        try:
            for action in result.to_pull:
                if self._lost.is_set():
                    raise LostLeadership()
                if self._pull(desired, action) and action.model == desired.model:
                    for pod_name in action.covers:
                        url = next((p.url for p in pods if p.name == pod_name), "")
                        if url:
                            self._load(desired, LoadAction(action.model, pod_name, url))
                            loaded_now.add((action.model, pod_name))
            for load in result.to_load:
                if self._lost.is_set():
                    raise LostLeadership()
                if (load.model, load.pod) not in loaded_now:
                    self._load(desired, load)
        except LostLeadership:
            lease = self.elector.name if self.elector is not None else "(none)"
            log.warning("lost the lease %s during a pull; another instance continues", lease)
            return result
        except Stopping:
            log.info("stopping: left the download; the next leader resumes it")
            self._publish(wait=True)
            return result
        self._publish(wait=True)
        return result

    def _update_from_observation(
        self, desired: Desired, pods: tuple[PodView, ...], result: Plan, partial: set[str]
    ) -> None:
        now = self.clock()
        pulling = {a.model for a in result.to_pull}
        namespace = self._namespace
        for model in desired.models:
            record = self._record(model)
            record.update(
                {"desired": True, "pods": list(result.present.get(model, ())), "updated": progress.rfc3339(now)}
            )
            if model in pulling or model in partial:
                continue  # the pull or the partial check sets the phase
            if model in result.waiting:
                if record["phase"] not in _FAILED_PHASES:
                    record["phase"] = ManagerPhase.FAILED
                record["nextRetryAt"] = progress.rfc3339(result.waiting[model])
            elif model in result.missing:
                if not result.missing[model]:
                    record.update({"phase": ManagerPhase.PENDING})  # no ready pod to ask yet
                elif not desired.pull:
                    if record["phase"] != ManagerPhase.MISSING:
                        self._event("ModelMissing", {"model": model, "pvc": desired.pvc_name}, warning=True)
                    record.update(
                        {
                            "phase": ManagerPhase.MISSING,
                            "hint": offline.seeding_steps(
                                model, catalog=self.messages, pvc=desired.pvc_name, namespace=namespace
                            ),
                        }
                    )
            else:
                holders = set(result.present.get(model, ()))
                loaded = all(model in p.loaded for p in pods if p.name in holders)
                if model != desired.model or loaded:
                    record.update(
                        {
                            "phase": ManagerPhase.READY,
                            "lastError": None,
                            "nextRetryAt": None,
                            "hint": None,
                            "attempts": 0,
                            "etaSeconds": None,
                            "bytesPerSecond": 0.0,
                        }
                    )
                    if record.get("totalBytes"):
                        record.update({"completedBytes": record["totalBytes"], "percent": 100.0})
                    self.retry_at.pop(model, None)
                elif record["phase"] not in _FAILED_PHASES:
                    record["phase"] = ManagerPhase.LOADING  # on disk; the planned load follows in this round
        # Models no longer configured keep their record while on disk: nothing is deleted implicitly.
        on_disk: set[str] = set()
        for pod in pods:
            on_disk |= pod.models or frozenset()
        for model in list(self.state.get("models", {})):
            if model in desired.models:
                continue
            if model in on_disk:
                on_pods = sorted(p.name for p in pods if model in (p.models or frozenset()))
                self.state["models"][model].update(desired=False, phase=ManagerPhase.READY, pods=on_pods)
            elif any(p.models is not None for p in pods):
                del self.state["models"][model]

    def _failure_params(self, model: str) -> dict[str, object]:
        desired = self._desired
        return failures.failure_params(
            model=model,
            namespace=self._namespace,
            tags=self.catalog_tags,
            registry=desired.registry if desired else names.DEFAULT_REGISTRY,
            pvc=desired.pvc_name if desired else DEFAULT_NAMES.pvc,
            ollama_version=desired.ollama_version if desired else "",
        )

    def _explain(self, code: FailureCode, model: str, detail: str, *, seeding: Message | None = None) -> Text:
        return failures.explain(
            code, catalog=self.messages, params=self._failure_params(model), detail=detail, seeding=seeding
        )

    def _mark_partial(self, model: str, detail: str) -> None:
        record = self._record(model)
        if record["phase"] != ManagerPhase.PARTIAL:
            self._event("ModelPartial", {"model": model, "detail": detail}, warning=True)
        record.update(
            {
                "phase": ManagerPhase.PARTIAL,
                "lastError": {"code": FailureCode.PARTIAL.value, "message": detail[:500]},
                "hint": self._explain(FailureCode.PARTIAL, model, detail),
            }
        )

    def _fail(
        self, model: str, code: FailureCode, detail: str, *, reason: str, phase: ManagerPhase = ManagerPhase.FAILED
    ) -> None:
        record = self._record(model)
        attempts = max(1, int(record.get("attempts") or 0))
        retry = self.clock() + failures.backoff_seconds(
            attempts, base=self.options.backoff_base, cap=self.options.backoff_cap
        )
        self.retry_at[model] = retry
        seeding = None
        if code is FailureCode.REGISTRY_UNREACHABLE and self._desired is not None:
            # Private mirror or air gap: seeding the volume is the way around a registry we cannot reach.
            seeding = offline.seeding_message(
                model, pvc=self._desired.pvc_name, namespace=self._namespace, offline=False
            )
        hint = self._explain(code, model, detail, seeding=seeding)
        record.update(
            {
                "phase": phase,
                "lastError": {"code": code.value, "message": detail[:500]},
                "nextRetryAt": progress.rfc3339(retry),
                "verifyDeadline": None,
                "hint": hint,
                "bytesPerSecond": 0.0,
                "etaSeconds": None,
                "updated": progress.rfc3339(self.clock()),
            }
        )
        self._event(
            reason,
            {"hint": hint["en"], "next": record["nextRetryAt"], "attempt": attempts},
            key="event.attemptFailed",
            warning=True,
        )

    # -- actions ------------------------------------------------------------------------------
    def _pull(self, desired: Desired, action: PullAction) -> bool:
        model = action.model
        record = self._record(model)
        # A retry after a failure keeps showing the failure until bytes actually move again: a
        # persistent fault (full disk, unreachable registry) must not flicker back to "Pulling".
        retrying = record.get("lastError") is not None and record.get("phase") in _FAILED_PHASES
        record.update(
            {
                "phase": record["phase"] if retrying else ManagerPhase.PULLING,
                "attempts": int(record.get("attempts") or 0) + 1,
                "started": progress.rfc3339(self.clock()),
                "lastError": record.get("lastError"),
                "nextRetryAt": None,
                "hint": None,
                "bytesPerSecond": 0.0,
                "etaSeconds": None,
            }
        )
        self._event(
            "ModelPullStarted",
            {"model": model, "pod": action.pod, "attempt": record["attempts"]},
            key="event.ModelPullStarted.sharedVolume" if len(action.covers) > 1 else "",
        )
        self._publish(wait=True)
        meter = progress.RateMeter()
        watch = progress.StallWatch(self.options.stall_seconds)
        moving = not retrying
        last: dict[str, int] = {}
        verify_deadline = 0.0

        def on_progress(p: PullProgress) -> None:
            nonlocal moving, verify_deadline
            if self.stop_event.is_set():
                raise Stopping()
            if self._lost.is_set():
                raise LostLeadership()
            now = self.clock()
            if p.status == VERIFYING_STATUS:
                # Every byte is on disk; ollama now hashes in silence for a time that grows with the size.
                verify_deadline = progress.verify_deadline_seconds(
                    p.total, base=self.options.verify_base_seconds, per_gib=self.options.verify_seconds_per_gib
                )
                record.update(
                    {
                        "phase": ManagerPhase.VERIFYING,
                        "completedBytes": p.total,
                        "totalBytes": p.total,
                        "percent": 100.0,
                        "bytesPerSecond": 0.0,
                        "etaSeconds": None,
                        "verifyDeadline": progress.rfc3339(now + verify_deadline),
                        "updated": progress.rfc3339(now),
                    }
                )
                # Written now, past the throttle: nothing else comes until the hash pass ends.
                self._publish(wait=True)
                self._beat(max(verify_deadline, self.options.pull_read_timeout))
                return
            self._beat(self.options.pull_read_timeout)
            if not moving:
                # Bytes move when a layer's count grows; a resumed pull first repeats what it has.
                moving = any(done > last[d] for d, (done, _) in p.layers.items() if d in last)
                last.update({d: done for d, (done, _) in p.layers.items()})
            if p.total:
                if watch.stalled(now, p.completed):
                    raise StalledPull(watch.quiet_for(now))
                progress.apply_progress(
                    record,
                    completed=p.completed,
                    total=p.total,
                    meter=meter,
                    now=now,
                    phase=ManagerPhase.PULLING if moving else record["phase"],
                )
                self._publish()

        def silence(p: PullProgress) -> float | None:
            return max(verify_deadline, self.options.pull_read_timeout) if p.status == VERIFYING_STATUS else None

        self._beat(self.options.pull_read_timeout)
        try:
            with self._client(action.url) as client:
                result = client.pull(model, on_progress=on_progress, insecure=desired.insecure, silence=silence)
        except StalledPull as exc:
            self._fail(model, FailureCode.STALLED, str(exc), reason="ModelPullStalled", phase=ManagerPhase.STALLED)
            return False
        except OllamaError as exc:
            code = failures.classify(exc.message, status=exc.status)
            self._fail(model, code, exc.message, reason="ModelPullFailed")
            return False
        except OllamaInterrupted as exc:
            self._fail(model, FailureCode.INTERRUPTED, exc.message, reason="ModelPullFailed")
            return False
        except OllamaTimeout as exc:
            if record.get("phase") == ManagerPhase.VERIFYING:
                self._fail(model, FailureCode.VERIFY_TIMEOUT, exc.message, reason="ModelPullFailed")
            else:
                self._fail(model, FailureCode.INTERRUPTED, exc.message, reason="ModelPullFailed")
            return False
        except OllamaUnreachable as exc:
            self._fail(model, FailureCode.INTERRUPTED, exc.message, reason="ModelPullFailed")
            return False
        except OllamaClientError as exc:
            self._fail(model, FailureCode.OTHER, exc.message, reason="ModelPullFailed")
            return False
        self.retry_at.pop(model, None)
        record["pods"] = sorted(set(record.get("pods") or ()) | set(action.covers))
        record.update(
            {
                "phase": ManagerPhase.LOADING if model == desired.model else ManagerPhase.READY,
                "completedBytes": result.total,
                "totalBytes": result.total,
                "percent": 100.0,
                "etaSeconds": None,
                "bytesPerSecond": 0.0,
                "lastError": None,
                "nextRetryAt": None,
                "verifyDeadline": None,
                "hint": None,
                "attempts": 0 if model != desired.model else record["attempts"],
                "updated": progress.rfc3339(self.clock()),
            }
        )
        self._event(
            "ModelPulled",
            {"model": model, "pod": action.pod, "seconds": f"{result.seconds:.0f}", "bytes": result.total},
        )
        self._publish(wait=True)
        return True

    def _heartbeat(self, done: threading.Event, lost: threading.Event) -> None:
        """Renew the Lease while a pull runs; on loss, flag it (the pull stops at its next line)."""
        if self.elector is None:
            return
        while not done.wait(max(0.05, self.options.lease_seconds / 3)):
            if not self.elector.renew_if_due():
                lost.set()
                return

    def _load(self, desired: Desired, action: LoadAction) -> bool:
        model = action.model
        record = self._record(model)
        record.update({"phase": ManagerPhase.LOADING, "updated": progress.rfc3339(self.clock())})
        self._beat(self.options.load_timeout)
        try:
            with self._client(action.url) as client:
                seconds = client.load(model, keep_alive=desired.keep_alive)
        except OllamaClientError as exc:
            status = exc.status if isinstance(exc, OllamaError) else None
            code = failures.classify(exc.message, status=status, during_load=True)
            record["attempts"] = int(record.get("attempts") or 0) + 1
            if code is FailureCode.PARTIAL:
                # Missing weights (400 "does not support generate") or a blob llama.cpp refuses.
                self._fail(model, code, exc.message, reason="ModelPartial", phase=ManagerPhase.PARTIAL)
            else:
                self._fail(model, code, exc.message, reason="ModelLoadFailed")
            return False
        self.retry_at.pop(model, None)
        record.update(
            {
                "phase": ManagerPhase.READY,
                "loadSeconds": round(seconds, 2),
                "attempts": 0,
                "lastError": None,
                "nextRetryAt": None,
                "hint": None,
                "updated": progress.rfc3339(self.clock()),
            }
        )
        self._event(
            "ModelLoaded",
            {"model": model, "pod": action.pod, "seconds": f"{seconds:.1f}", "keepAlive": desired.keep_alive},
        )
        return True

    # -- loop ---------------------------------------------------------------------------------
    def run(self) -> None:
        """Rounds every ``interval`` until ``stop_event`` is set; then hand the Lease over at once."""
        while not self.stop_event.is_set():
            self._beat()
            try:
                self.reconcile_once()
            except Exception:  # one bad round must not end the manager; the next round retries
                log.exception("reconcile round failed")
            self._beat()  # a round completed: the liveness probe passes until a few intervals pass
            self.stop_event.wait(self.options.interval)
        if self.elector is not None:
            self.elector.release()


_FAILED_PHASES = (ManagerPhase.FAILED, ManagerPhase.PARTIAL, ManagerPhase.STALLED)
"""Phases a retry keeps showing until bytes move again (a persistent fault must not flicker)."""


def _parse_time(text: Any) -> float | None:
    return parse_time(text) if isinstance(text, str) else None
