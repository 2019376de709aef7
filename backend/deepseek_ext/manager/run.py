"""The reconcile loop: observe the ollama pods, ``plan``, then pull, load and publish progress.

One round (``Manager.reconcile_once``):

1. In a cluster, hold the Lease ``deepseek-model-manager`` or do nothing (another instance acts).
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

import json
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from deepseek_ext.adapters import kube_writes
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
from deepseek_ext.manager import failures, offline, progress
from deepseek_ext.manager.desired import Desired, DesiredError, desired_from_config
from deepseek_ext.manager.failures import FailureCode
from deepseek_ext.manager.leader import LeaseElector
from deepseek_ext.manager.plan import LoadAction, Observed, Plan, PodView, PullAction, plan

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
    load_timeout: float = 900.0


class LostLeadership(Exception):
    """Another instance took the Lease during a pull: stop (ollama keeps the partial download)."""


class Stopping(Exception):
    """The process is shutting down (SIGTERM): leave the pull, ollama keeps the partial download."""


def default_identity() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


def read_models_dir(models_dir: Path, model: str) -> offline.LayoutCheck:
    """Read the files ``offline.check_layout`` judges (the only file I/O of the manager)."""
    from deepseek_ext.core import names

    manifest = models_dir / names.manifest_relpath(model)
    try:
        text: str | None = manifest.read_text()
    except OSError:
        text = None
    sizes: dict[str, int] = {}
    blobs = models_dir / "blobs"
    if blobs.is_dir():
        for entry in os.scandir(blobs):
            if entry.is_file():
                sizes["blobs/" + entry.name] = entry.stat().st_size
    return offline.check_layout(model, manifest_text=text, blob_sizes=sizes)


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
    ) -> None:
        if kube is None and not options.ollama_url:
            raise ValueError("the manager needs a cluster (kubeconfig / in-cluster) or --ollama-url")
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
        self.stop_event = threading.Event()
        """Set it (SIGTERM) to end ``run``: a running pull is left at the next progress line."""
        self._lost = threading.Event()  # set by the Lease heartbeat when another instance took over
        self.state: dict[str, Any] = empty_state()
        self.retry_at: dict[str, float] = {}
        self._loaded_state = False
        self._desired: Desired | None = None

    @property
    def _namespace(self) -> str:
        return str(getattr(self.kube, "namespace", "extension-deepseek"))

    # -- state ----------------------------------------------------------------------------
    def _record(self, model: str) -> dict[str, Any]:
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

    def _event(self, reason: str, message: str, *, warning: bool = False) -> None:
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

    def _view(self, name: str, url: str, ready: bool) -> PodView:
        from deepseek_ext.core import names

        if not ready:
            return PodView(name=name, url=url, ready=False)
        try:
            with self._client(url) as client:
                models = frozenset(names.normalize(m["name"]) for m in client.tags())
                loaded = frozenset(names.normalize(m["name"]) for m in client.ps())
        except OllamaClientError as exc:
            return PodView(name=name, url=url, ready=True, models=None, error=exc.message)
        return PodView(name=name, url=url, ready=True, models=models, loaded=loaded)

    def observe(self, desired: Desired) -> tuple[PodView, ...]:
        if self.kube is None:
            return (self._view("ollama", str(self.options.ollama_url), True),)
        views = []
        for pod in kube_writes.list_pods(self.kube, desired.selector or {}):
            ready = kube_writes.pod_ready(pod)
            url = self.pod_url(pod, desired.port) if ready else ""
            views.append(self._view(pod["metadata"]["name"], url, ready))
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
                retry = progress_parse(record.get("nextRetryAt"))
                if retry:
                    self.retry_at[model] = retry
            self._loaded_state = True
        try:
            desired = desired_from_config(self.load_config())
        except (DesiredError, OSError, ValueError) as exc:
            message = exc.message if isinstance(exc, DesiredError) else {"en": str(exc), "zh": str(exc)}
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
                    self._mark_partial(model, "; ".join(check.problems))
        pods = self.observe(desired)
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
            log.warning("lost the lease %s during a pull; another instance continues", "deepseek-model-manager")
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
            record.update(desired=True, pods=list(result.present.get(model, ())), updated=progress.rfc3339(now))
            if model in pulling or model in partial:
                continue  # the pull or the partial check sets the phase
            if model in result.waiting:
                if record["phase"] not in ("Failed", "Partial"):
                    record["phase"] = "Failed"
                record["nextRetryAt"] = progress.rfc3339(result.waiting[model])
            elif model in result.missing:
                if not result.missing[model]:
                    record.update(phase="Pending")  # no ready pod to ask yet
                elif not desired.pull:
                    if record["phase"] != "Missing":
                        self._event(
                            "ModelMissing",
                            f"{model} is not on the models volume and downloads are "
                            "off (backend.model.pull=false); seed it as docs/models.md shows",
                            warning=True,
                        )
                    record.update(
                        phase="Missing",
                        hint=offline.seeding_steps(model, pvc=desired.pvc_name, namespace=namespace),
                    )
            else:
                holders = set(result.present.get(model, ()))
                loaded = all(model in p.loaded for p in pods if p.name in holders)
                if model != desired.model or loaded:
                    record.update(
                        phase="Ready",
                        lastError=None,
                        nextRetryAt=None,
                        hint=None,
                        attempts=0,
                        etaSeconds=None,
                        bytesPerSecond=0.0,
                    )
                    if record.get("totalBytes"):
                        record.update(completedBytes=record["totalBytes"], percent=100.0)
                    self.retry_at.pop(model, None)
                elif record["phase"] not in ("Failed", "Partial"):
                    record["phase"] = "Loading"  # on disk; the planned load follows in this round
        # Models no longer configured keep their record while on disk: nothing is deleted implicitly.
        on_disk: set[str] = set()
        for pod in pods:
            on_disk |= pod.models or frozenset()
        for model in list(self.state.get("models", {})):
            if model in desired.models:
                continue
            if model in on_disk:
                holders = sorted(p.name for p in pods if model in (p.models or frozenset()))
                self.state["models"][model].update(desired=False, phase="Ready", pods=holders)
            elif any(p.models is not None for p in pods):
                del self.state["models"][model]

    def _mark_partial(self, model: str, detail: str) -> None:
        record = self._record(model)
        if record["phase"] != "Partial":
            self._event("ModelPartial", f"{model} is only partly on the models volume: {detail}", warning=True)
        record.update(
            phase="Partial",
            lastError={"code": FailureCode.PARTIAL.value, "message": detail[:500]},
            hint=failures.explain(FailureCode.PARTIAL, model=model, detail=detail),
        )

    def _fail(self, model: str, code: FailureCode, detail: str, *, reason: str, phase: str = "Failed") -> None:
        record = self._record(model)
        attempts = max(1, int(record.get("attempts") or 0))
        retry = self.clock() + failures.backoff_seconds(
            attempts, base=self.options.backoff_base, cap=self.options.backoff_cap
        )
        self.retry_at[model] = retry
        hint = failures.explain(
            code,
            model=model,
            detail=detail,
            ollama_version=self._desired.ollama_version if self._desired else "",
        )
        if code is FailureCode.REGISTRY_UNREACHABLE and self._desired is not None:
            # Private mirror or air gap: seeding the volume is the way around a registry we cannot reach.
            steps = offline.seeding_steps(model, pvc=self._desired.pvc_name, namespace=self._namespace, offline=False)
            hint = {lang: f"{hint[lang]} {steps[lang]}" for lang in ("en", "zh")}
        record.update(
            phase=phase,
            lastError={"code": code.value, "message": detail[:500]},
            nextRetryAt=progress.rfc3339(retry),
            hint=hint,
            bytesPerSecond=0.0,
            etaSeconds=None,
            updated=progress.rfc3339(self.clock()),
        )
        self._event(reason, f"{hint['en']} Next attempt {record['nextRetryAt']} (attempt {attempts}).", warning=True)

    # -- actions ------------------------------------------------------------------------------
    def _pull(self, desired: Desired, action: PullAction) -> bool:
        model = action.model
        record = self._record(model)
        # A retry after a failure keeps showing the failure until bytes actually move again: a
        # persistent fault (full disk, unreachable registry) must not flicker back to "Pulling".
        retrying = record.get("lastError") is not None and record.get("phase") in ("Failed", "Partial")
        record.update(
            phase=record["phase"] if retrying else "Pulling",
            attempts=int(record.get("attempts") or 0) + 1,
            started=progress.rfc3339(self.clock()),
            lastError=record.get("lastError"),
            nextRetryAt=None,
            hint=None,
            bytesPerSecond=0.0,
            etaSeconds=None,
        )
        self._event(
            "ModelPullStarted",
            f"pulling {model} on {action.pod} (attempt {record['attempts']}"
            f"{', shared volume: all pods' if len(action.covers) > 1 else ''})",
        )
        self._publish(wait=True)
        meter = progress.RateMeter()
        moving = not retrying
        last: dict[str, int] = {}

        def on_progress(p: PullProgress) -> None:
            nonlocal moving
            if self.stop_event.is_set():
                raise Stopping()
            if self._lost.is_set():
                raise LostLeadership()
            if not moving:
                # Bytes move when a layer's count grows; a resumed pull first repeats what it has.
                moving = any(done > last[d] for d, (done, _) in p.layers.items() if d in last)
                last.update({d: done for d, (done, _) in p.layers.items()})
            if p.total:
                progress.apply_progress(
                    record,
                    completed=p.completed,
                    total=p.total,
                    meter=meter,
                    now=self.clock(),
                    phase="Pulling" if moving else str(record["phase"]),
                )
                self._publish()

        try:
            with self._client(action.url) as client:
                result = client.pull(model, on_progress=on_progress, insecure=desired.insecure)
        except OllamaError as exc:
            code = failures.classify(exc.message, status=exc.status)
            self._fail(model, code, exc.message, reason="ModelPullFailed")
            return False
        except OllamaInterrupted as exc:
            self._fail(model, FailureCode.INTERRUPTED, exc.message, reason="ModelPullFailed")
            return False
        except (OllamaUnreachable, OllamaTimeout) as exc:
            self._fail(model, FailureCode.INTERRUPTED, exc.message, reason="ModelPullFailed")
            return False
        except OllamaClientError as exc:
            self._fail(model, FailureCode.OTHER, exc.message, reason="ModelPullFailed")
            return False
        self.retry_at.pop(model, None)
        record["pods"] = sorted(set(record.get("pods") or ()) | set(action.covers))
        record.update(
            phase="Loading" if model == desired.model else "Ready",
            completedBytes=result.total,
            totalBytes=result.total,
            percent=100.0,
            etaSeconds=None,
            bytesPerSecond=0.0,
            lastError=None,
            nextRetryAt=None,
            hint=None,
            attempts=0 if model != desired.model else record["attempts"],
            updated=progress.rfc3339(self.clock()),
        )
        self._event("ModelPulled", f"pulled {model} on {action.pod} in {result.seconds:.0f}s ({result.total} bytes)")
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
        record.update(phase="Loading", updated=progress.rfc3339(self.clock()))
        try:
            with self._client(action.url) as client:
                seconds = client.load(model, keep_alive=desired.keep_alive)
        except OllamaClientError as exc:
            status = exc.status if isinstance(exc, OllamaError) else None
            code = failures.classify(exc.message, status=status, during_load=True)
            record["attempts"] = int(record.get("attempts") or 0) + 1
            if code is FailureCode.PARTIAL:
                self._fail(model, code, exc.message, reason="ModelPartial", phase="Partial")
            else:
                self._fail(model, code, exc.message, reason="ModelLoadFailed")
            return False
        self.retry_at.pop(model, None)
        record.update(
            phase="Ready",
            loadSeconds=round(seconds, 2),
            attempts=0,
            lastError=None,
            nextRetryAt=None,
            hint=None,
            updated=progress.rfc3339(self.clock()),
        )
        self._event(
            "ModelLoaded",
            f"loaded {model} on {action.pod} in {seconds:.1f}s (keep_alive {desired.keep_alive})",
        )
        return True

    # -- loop ---------------------------------------------------------------------------------
    def run(self) -> None:
        """Rounds every ``interval`` until ``stop_event`` is set; then hand the Lease over at once."""
        while not self.stop_event.is_set():
            try:
                self.reconcile_once()
            except Exception:  # one bad round must not end the manager; the next round retries
                log.exception("reconcile round failed")
            self.stop_event.wait(self.options.interval)
        if self.elector is not None:
            self.elector.release()


def progress_parse(text: Any) -> float | None:
    from deepseek_ext.manager.leader import parse_time

    return parse_time(text) if isinstance(text, str) else None


def file_config_loader(path: str | Path) -> Callable[[], Mapping[str, Any]]:
    """Read the serving config on every round: kubelet updates the mounted file on helm upgrade."""

    def load() -> Mapping[str, Any]:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        if not isinstance(data, dict):
            raise ValueError(f"{path}: expected a JSON object")
        return data

    return load
