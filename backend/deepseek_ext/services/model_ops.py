"""Per-model operations: one model's state, a pull request for the manager, a delete on the ollama pods.

The API never pulls itself: a pull is long and must survive the request (ollama cancels a pull
when its client goes away), so ``request_pull`` leaves a request for the model manager in its
state store (``adapters.state_store``: ConfigMap ``deepseek-model-state``, key ``pull.<model>``;
without a cluster the file ``DEEPSEEK_MODEL_STATE_FILE``). The manager acts on it in its next
round (default every 10 s), skipping any backoff, and removes it; ``model_state`` shows its
progress. ``delete_model`` acts directly on the ollama pods (quick) and refuses configured models,
which the manager would otherwise download again.

Refusals are typed domain errors (``core.errors``); ``api.errors`` turns them into HTTP answers.
The model's state comes from ``core.model_state.observed_state``, the rule the status report and
the manager share.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast

from deepseek_ext.adapters import state_store
from deepseek_ext.adapters.kube import Kube, NotConfigured, Snapshot
from deepseek_ext.adapters.ollama import OllamaClient, OllamaClientError
from deepseek_ext.core import errors, names
from deepseek_ext.core.messages import Message, MessageCatalog, Text
from deepseek_ext.core.model_state import ModelRecord, ModelState, observed_state
from deepseek_ext.core.objects import ObjectNames
from deepseek_ext.manager.offline import seeding_message
from deepseek_ext.services.status import OllamaCache, ollama_targets, serving_config
from deepseek_ext.settings import Settings

log = logging.getLogger("deepseek_ext.audit")

_PROGRESS_KEYS = ("percent", "completedBytes", "totalBytes", "bytesPerSecond")


def model_name(raw: str) -> str:
    """The normalized name.

    :raise InvalidModelName: not an ollama model name.
    """
    if not names.is_valid(raw):
        raise errors.InvalidModelName(raw)
    return names.normalize(raw)


@dataclass
class _Install:
    """What every operation reads first: settings, the snapshot, the serving config and the models it names."""

    settings: Settings
    kube: Kube
    snapshot: Snapshot | None
    config: dict[str, Any]
    configured: list[str]
    default: str
    pull: bool
    objects: ObjectNames
    kube_errors: dict[str, str] = field(default_factory=dict)
    """Reads that failed (resource -> message): the model's state is then "unknown", never a guessed "absent"."""

    @classmethod
    def read(cls, settings: Settings, kube: Kube) -> _Install:
        """:raise NotConfigured/ClusterUnavailable: no cluster and no ``DEEPSEEK_OLLAMA_URL`` to work with."""
        snapshot = None
        if kube.client is not None:
            snapshot = kube.snapshot()
        elif not settings.ollama.url:
            raise kube.unavailable or NotConfigured("no kubeconfig")
        config, _ = serving_config(settings, snapshot)
        configured = [names.normalize(str(m)) for m in config.get("models") or [config.get("model")]]
        failed = snapshot.errors if snapshot is not None else {}
        return cls(
            settings=settings,
            kube=kube,
            snapshot=snapshot,
            config=config,
            configured=configured,
            default=names.normalize(str(config.get("model") or configured[0])),
            pull=config.get("pull", True) is not False,
            objects=ObjectNames.from_serving(config),
            kube_errors={r: failed[r].message for r in ("configmaps", "pods") if r in failed},
        )

    def store(self) -> state_store.StateStore | None:
        return state_store.open_store(
            client=self.kube.client,
            state_file=self.settings.api.model_state_file,
            name=self.objects.state_configmap,
        )

    def stored(self) -> state_store.StoredState:
        if self.snapshot is not None:
            # From the shared snapshot: console polling costs no extra API call.
            return state_store.from_configmaps(self.snapshot.get("configmaps"), self.objects.state_configmap)
        store = self.store()
        return store.read() if store is not None else state_store.StoredState()

    def targets(self) -> list[tuple[str, str]]:
        pods = self.snapshot.get("pods") if self.snapshot is not None else None
        return ollama_targets(self.settings, self.config, pods)

    def spelled(self, model: str) -> str:
        """``model`` as the config spells it when it names a configured model (ollama ignores case)."""
        return names.find(model, self.configured) or model

    def seeding(self, model: str) -> Message:
        return seeding_message(model, pvc=self.objects.pvc, namespace=self.settings.cluster.namespace)


def _pod_views(model: str, ollama: OllamaCache, targets: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """Per ollama pod: has it the model, is it loaded (None: the pod did not answer)."""
    pods: list[dict[str, Any]] = []
    for obs in ollama.observe(targets, fresh=True):
        if obs.tags is None:
            pods.append({"name": obs.pod, "present": None, "loaded": None, "error": obs.error})
            continue
        tags = {names.key(str(t.get("name"))) for t in obs.tags}
        loaded = {names.key(str(p.get("name"))) for p in obs.ps or ()}
        wanted = names.key(model)
        pods.append({"name": obs.pod, "present": wanted in tags, "loaded": wanted in loaded, "error": None})
    return pods


def _unknown_hint(kube_errors: Mapping[str, str], pods: list[dict[str, Any]]) -> Message:
    """Why nothing can be said about the model now: the sources that did not answer."""
    reasons: list[Message] = [
        Message("model.unknown.kube", {"resource": resource, "detail": detail})
        for resource, detail in sorted(kube_errors.items())
    ]
    failing = [f"{p['name']}: {p['error']}" for p in pods if p["present"] is None]
    if failing:
        reasons.append(Message("model.unknown.ollama", {"pods": "; ".join(failing)}))
    elif "pods" not in kube_errors and not pods:
        reasons.append(Message("model.unknown.noReadyPod"))
    return Message("model.unknown", {"reasons": reasons or [Message("model.unknown.noSource")]})


def model_state(
    raw_name: str, *, settings: Settings, kube: Kube, ollama: OllamaCache, catalog: MessageCatalog
) -> dict[str, Any]:
    """The state and download progress of one model: the manager's record plus what ollama lists.

    :raise InvalidModelName: ``raw_name`` is not a model name.
    :raise ModelNotFound: neither configured, nor known to the manager, nor on any pod (only said
        when every source answered).
    """
    install = _Install.read(settings, kube)
    model = install.spelled(model_name(raw_name))
    stored = install.stored()
    records = stored.state.get("models") or {}
    record = cast(ModelRecord, records.get(names.find(model, records) or model) or {})
    pods = _pod_views(model, ollama, install.targets())
    answered = [p for p in pods if p["present"] is not None]
    present = bool(answered) and all(p["present"] for p in answered)
    loaded = present and all(p["loaded"] for p in answered)
    configured = names.find(model, install.configured) is not None
    requested = names.find(model, stored.requests) is not None
    record_unreadable = "configmaps" in install.kube_errors
    observed = "pods" not in install.kube_errors and bool(answered)
    on_some_pod = any(p["present"] for p in answered)
    if observed and not record_unreadable and not (configured or record or on_some_pod):
        raise errors.ModelNotFound(model, given=raw_name, configured=install.configured)
    phase = record.get("phase")
    state = observed_state(
        phase=phase,
        present=present if observed else None,
        loaded=loaded,
        requested=requested,
        record_known=not record_unreadable,
        offline=not install.pull,
        configured=configured,
    )
    progress = None
    if state is ModelState.PULLING and record:
        progress = {k: record.get(k) or 0 for k in _PROGRESS_KEYS} | {"etaSeconds": record.get("etaSeconds")}
    hint: Text | None = record.get("hint")  # rendered by the manager when it wrote the record
    if state is ModelState.UNKNOWN:
        hint = catalog.render(_unknown_hint(install.kube_errors, pods))
    elif hint is None and state is ModelState.MISSING:
        hint = catalog.render(install.seeding(model))
    return {
        "name": model,
        "configured": configured,
        "default": names.same(model, install.default),
        "downloads": install.pull,
        "state": state.value,
        "phase": phase,
        "progress": progress,
        "attempts": int(record.get("attempts") or 0),
        "lastError": record.get("lastError"),
        "hint": hint,
        "started": record.get("started"),
        "updated": record.get("updated"),
        "nextRetryAt": record.get("nextRetryAt"),
        "loadSeconds": record.get("loadSeconds"),
        "requested": requested,
        "pods": pods,
    }


def _now() -> datetime:
    return datetime.now(UTC)


def request_pull(
    raw_name: str,
    *,
    user: str,
    settings: Settings,
    kube: Kube,
    catalog: MessageCatalog,
    now: Callable[[], datetime] = _now,
) -> dict[str, Any]:
    """Leave a pull request for the model manager (start, or retry skipping the backoff).

    :raise InvalidModelName: ``raw_name`` is not a model name.
    :raise ModelNotConfigured: the manager does not keep this model.
    :raise DownloadsDisabled: offline mode.
    :raise ManagerUnavailable: standalone without a state file.
    :raise KubeError: the request could not be written.
    """
    install = _Install.read(settings, kube)
    model = install.spelled(model_name(raw_name))
    if names.find(model, install.configured) is None:
        raise errors.ModelNotConfigured(model, given=raw_name, configured=install.configured)
    if not install.pull:
        raise errors.DownloadsDisabled(model, steps=install.seeding(model))
    store = install.store()
    if store is None:
        raise errors.ManagerUnavailable()
    at = now().strftime("%Y-%m-%dT%H:%M:%SZ")
    store.add_request(model, user=user, at=at)
    if kube.cache is not None:
        kube.cache.invalidate()  # the next GET shows requested=true
    log.info("pull of %s requested by user=%s", model, user)
    return {
        "name": model,
        "requested": True,
        "requestedBy": user,
        "requestedAt": at,
        "message": catalog.render(Message("model.pullRequested", {"model": model})),
    }


def delete_model(raw_name: str, *, user: str, settings: Settings, kube: Kube) -> dict[str, Any]:
    """Remove a model that is no longer configured from the ollama pods (once, on a shared volume).

    :raise InvalidModelName: ``raw_name`` is not a model name.
    :raise DefaultModelProtected: it is the configured model.
    :raise ModelConfigured: it is in ``backend.models``.
    :raise OllamaUnavailable: no ready ollama pod.
    :raise OllamaDeleteFailed: every pod asked failed.
    :raise ModelNotFound: no pod had it.
    """
    install = _Install.read(settings, kube)
    model = install.spelled(model_name(raw_name))
    # ollama would delete DEEPSEEK-R1:1.5B as deepseek-r1:1.5b (names.same): so must the guards.
    if names.same(model, install.default):
        raise errors.DefaultModelProtected(model, given=raw_name)
    if names.find(model, install.configured) is not None:
        raise errors.ModelConfigured(model, given=raw_name)
    targets = install.targets()
    if not targets:
        raise errors.OllamaUnavailable()
    shared = "ReadWriteMany" in (install.config.get("accessModes") or [])
    deleted: list[str] = []
    absent: list[str] = []
    failed: list[dict[str, Any]] = []
    for pod, url in targets:
        client = OllamaClient(url, timeout=settings.ollama.timeout_seconds * 5)
        try:
            # ollama's delete leaves a loaded runner in memory (server/routes.go:1247-1298): unload
            # first. Best effort: a failed unload must not keep the files.
            try:
                client.unload(model)
            except OllamaClientError as exc:
                log.warning("unload of %s on %s before the delete failed: %s", model, pod, exc.message)
            (deleted if client.delete(model) else absent).append(pod)
        except OllamaClientError as exc:
            failed.append({"pod": pod, "message": exc.message})
        finally:
            client.close()
        if shared and deleted:
            break  # one volume: removed for every pod
    log.info("delete of %s by user=%s: deleted=%s absent=%s errors=%d", model, user, deleted, absent, len(failed))
    if not deleted and failed:
        raise errors.OllamaDeleteFailed(model, failures=[(e["pod"], e["message"]) for e in failed])
    if not deleted:
        raise errors.ModelNotFound(model, given=raw_name, on_pods=True)
    return {"name": model, "deleted": deleted, "absent": absent, "errors": failed}
