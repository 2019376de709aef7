"""Per-model operations: ``GET models/<name>``, ``POST models/<name>/pull``, ``DELETE models/<name>``.

The API never pulls itself: a pull is long and must survive the request (ollama cancels a pull
when its client goes away), so ``POST .../pull`` leaves a request for the model manager in its
state store (ConfigMap ``deepseek-model-state``, key ``pull.<model>``; without a cluster the
file ``DEEPSEEK_MODEL_STATE_FILE``) and answers 202. The manager acts on it in its next round
(default every 10 s), skipping any backoff, and removes it. ``GET`` shows the manager's progress.
``DELETE`` acts directly on the ollama pods (quick) and refuses configured models, which the
manager would otherwise download again. Writes need an identity from ks-apiserver and are logged.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Response, current_app, jsonify
from marshmallow import Schema, fields, validate

from deepseek_ext.adapters.files import load_messages
from deepseek_ext.adapters.kube import Kube, KubeError, NotConfigured, get_kube
from deepseek_ext.adapters.ollama import OllamaClient, OllamaClientError
from deepseek_ext.adapters.state_store import ConfigMapStore, FileStore, StoredState, parse_data
from deepseek_ext.api.auth import remote_user, write_endpoint
from deepseek_ext.api.errors import ApiError, cluster_error, language
from deepseek_ext.core import names
from deepseek_ext.core.model_state import ManagerPhase, ModelState, observed_state
from deepseek_ext.manager.offline import seeding_steps
from deepseek_ext.services.status import model_state, ollama_targets, serving_config
from deepseek_ext.settings import API_PREFIX, Settings

log = logging.getLogger("deepseek_ext.audit")

bp = Blueprint("model_ops", __name__, url_prefix=API_PREFIX)



class _Text(Schema):
    en = fields.String(required=True)
    zh = fields.String(required=True)


class ModelErrorSchema(Schema):
    code = fields.String(
        required=True,
        metadata={
            "description": "RegistryUnreachable, UnknownTag, OllamaTooOld, DiskFull, Interrupted, Partial, Other"
        },
    )
    message = fields.String(required=True, metadata={"description": "ollama's own error text"})


class PullProgressSchema(Schema):
    percent = fields.Float(required=True)
    completedBytes = fields.Integer(required=True)
    totalBytes = fields.Integer(required=True)
    bytesPerSecond = fields.Float(required=True)
    etaSeconds = fields.Float(required=True, allow_none=True)


class ModelPodSchema(Schema):
    name = fields.String(required=True)
    present = fields.Boolean(required=True, allow_none=True, metadata={"description": "null: pod not readable"})
    loaded = fields.Boolean(required=True, allow_none=True)
    error = fields.String(allow_none=True)


class ModelStateSchema(Schema):
    name = fields.String(required=True, metadata={"description": "ollama name, e.g. deepseek-r1:7b"})
    configured = fields.Boolean(required=True, metadata={"description": "in backend.model or backend.models"})
    default = fields.Boolean(required=True, metadata={"description": "the configured model (cannot be deleted)"})
    downloads = fields.Boolean(required=True, metadata={"description": "false = offline (backend.model.pull)"})
    state = fields.String(required=True, validate=validate.OneOf([s.value for s in ModelState]))
    phase = fields.String(
        required=True, allow_none=True, metadata={"description": "the manager's phase: " + ", ".join(ManagerPhase)}
    )
    progress = fields.Nested(PullProgressSchema, required=True, allow_none=True)
    attempts = fields.Integer(required=True)
    lastError = fields.Nested(ModelErrorSchema, required=True, allow_none=True)
    hint = fields.Nested(_Text, required=True, allow_none=True, metadata={"description": "what to do"})
    started = fields.String(required=True, allow_none=True)
    updated = fields.String(required=True, allow_none=True)
    nextRetryAt = fields.String(required=True, allow_none=True)
    loadSeconds = fields.Float(required=True, allow_none=True)
    requested = fields.Boolean(required=True, metadata={"description": "a pull request waits for the manager"})
    pods = fields.List(fields.Nested(ModelPodSchema), required=True)
    language = fields.String(validate=validate.OneOf(("en", "zh")))


class PullAcceptedSchema(Schema):
    name = fields.String(required=True)
    requested = fields.Boolean(required=True)
    requestedBy = fields.String(required=True)
    requestedAt = fields.String(required=True)
    message = fields.Nested(_Text, required=True)
    language = fields.String(validate=validate.OneOf(("en", "zh")))


class DeleteResultSchema(Schema):
    name = fields.String(required=True)
    deleted = fields.List(fields.String(), required=True, metadata={"description": "pods it was removed from"})
    absent = fields.List(fields.String(), required=True, metadata={"description": "pods that did not have it"})
    errors = fields.List(fields.Dict(), required=True, metadata={"description": "[{pod, message}]"})
    language = fields.String(validate=validate.OneOf(("en", "zh")))


# -- helpers ---------------------------------------------------------------------------------------


def _model_name(raw: str) -> str:
    """The normalized name; 400 naming the field when it is not an ollama model name."""
    if not names.is_valid(raw):
        raise ApiError(
            400,
            "InvalidModelName",
            f"Path field 'name': {raw!r} is not an ollama model name; allowed: "
            "[host/][namespace/]model[:tag] with letters, digits, '.', '_', '-', e.g. deepseek-r1:7b.",
            f"路径字段 'name'：{raw!r} 不是有效的 ollama 模型名；允许的格式：[host/][namespace/]model[:tag]，"
            "由字母、数字、'.'、'_'、'-' 组成，例如 deepseek-r1:7b。",
            field="name",
            given=raw,
            allowed="[host/][namespace/]model[:tag], e.g. deepseek-r1:7b",
        )
    return names.normalize(raw)


class _Context:
    """What every view needs: settings, the serving config, the state store and the ollama servers."""

    def __init__(self) -> None:
        app = current_app
        self.settings: Settings = app.config["SETTINGS"]
        self.kube: Kube = get_kube(app)
        self.snapshot = None
        if self.kube.client is not None:
            self.snapshot = self.kube.snapshot()
        elif not self.settings.ollama.url:
            raise cluster_error(self.kube.unavailable or NotConfigured("no kubeconfig"))
        self.config, _ = serving_config(self.settings, self.snapshot)
        self.configured = [names.normalize(str(m)) for m in self.config.get("models") or [self.config.get("model")]]
        self.default = names.normalize(str(self.config.get("model") or self.configured[0]))
        self.pull = self.config.get("pull", True) is not False
        # Reads that failed: the model's state is then "unknown", never a guessed "absent".
        errors = self.snapshot.errors if self.snapshot is not None else {}
        self.kube_errors: dict[str, str] = {r: errors[r].message for r in ("configmaps", "pods") if r in errors}

    def store(self) -> ConfigMapStore | FileStore | None:
        if self.kube.client is not None:
            return ConfigMapStore(self.kube.client)
        if self.settings.api.model_state_file:
            return FileStore(self.settings.api.model_state_file)
        return None

    def stored(self) -> StoredState:
        if self.kube.client is not None:
            # From the shared snapshot (console polling costs no extra API call); requests are read
            # from the same ConfigMap data.
            for cm in (self.snapshot.get("configmaps") if self.snapshot else None) or ():
                if (cm.get("metadata") or {}).get("name") == "deepseek-model-state":
                    return parse_data(cm.get("data"))
            return StoredState(state=model_state(self.snapshot) or {"models": {}})
        store = self.store()
        return store.read() if store is not None else StoredState()

    def targets(self) -> list[tuple[str, str]]:
        pods = self.snapshot.get("pods") if self.snapshot is not None else None
        return ollama_targets(self.settings, self.config, pods)


def _unknown_hint(kube_errors: dict[str, str], pods: list[dict[str, Any]]) -> dict[str, str]:
    reasons = [f"Kubernetes API ({resource}): {message}" for resource, message in sorted(kube_errors.items())]
    failing = [f"{p['name']}: {p['error']}" for p in pods if p["present"] is None]
    if failing:
        reasons.append("ollama: " + "; ".join(failing))
    elif "pods" not in kube_errors and not pods:
        reasons.append("no ready ollama pod")
    why = "; ".join(reasons) or "no source answered"
    return {
        "en": f"The model's state cannot be observed right now ({why}). It is shown again as soon as "
        "these answer; the status page names the cause.",
        "zh": f"当前无法观测该模型的状态（{why}）。这些来源恢复响应后会再次显示；状态页会指出原因。",
    }


# -- views -----------------------------------------------------------------------------------------


@bp.get("/models/<path:name>")
def get_model(name: str) -> Response:
    """State and download progress of one model.
    ---
    get:
      summary: State and download progress of one model (the manager's record plus what ollama lists)
      description: |
        `progress` is set while the manager downloads the model; it is refreshed at most every 2 s
        (the manager's write interval) plus the API's cache TTL. `hint` says what to do when the
        model failed, is missing in offline mode (seeding steps) or is only partly copied.
      tags: [models]
      parameters:
        - {name: name, in: path, required: true, schema: {type: string}, example: "deepseek-r1:7b"}
      responses:
        200:
          description: the model's state
          content:
            application/json:
              schema: ModelStateSchema
        400:
          description: not a model name
          content:
            application/json:
              schema: ErrorSchema
        404:
          description: the model is neither configured, nor known to the manager, nor on any ollama pod
          content:
            application/json:
              schema: ErrorSchema
        503:
          description: no cluster (and no DEEPSEEK_OLLAMA_URL), or the Kubernetes API is down
          content:
            application/json:
              schema: ErrorSchema
    """
    model = _model_name(name)
    ctx = _Context()
    stored = ctx.stored()
    record = (stored.state.get("models") or {}).get(model) or {}
    observations = current_app.extensions["deepseek_ollama"].observe(ctx.targets(), fresh=True)
    pods = []
    for obs in observations:
        if obs.tags is None:
            pods.append({"name": obs.pod, "present": None, "loaded": None, "error": obs.error})
            continue
        tags = {names.normalize(str(t.get("name"))) for t in obs.tags}
        loaded = {names.normalize(str(p.get("name"))) for p in obs.ps or ()}
        pods.append({"name": obs.pod, "present": model in tags, "loaded": model in loaded, "error": None})
    present = (
        bool(pods) and all(p["present"] for p in pods if p["present"] is not None) and any(p["present"] for p in pods)
    )
    loaded = present and all(p["loaded"] for p in pods if p["loaded"] is not None)
    configured = model in ctx.configured
    requested = model in stored.requests
    record_unreadable = "configmaps" in ctx.kube_errors
    observed = "pods" not in ctx.kube_errors and any(p["present"] is not None for p in pods)
    complete = observed and not record_unreadable
    if complete and not (configured or record or any(p["present"] for p in pods)):
        raise ApiError(
            404,
            "ModelNotFound",
            f"Model {model} is not configured, not known to the model manager and not on any ollama pod. "
            f"Configured models: {', '.join(ctx.configured)}. Add it to backend.models to download it.",
            f"模型 {model} 未配置、模型管理器中无记录，且不在任何 ollama Pod 上。已配置的模型："
            f"{'、'.join(ctx.configured)}。如需下载，请将其加入 backend.models。",
            field="name",
            given=name,
            allowed=ctx.configured,
        )
    phase = record.get("phase")
    state = observed_state(
        phase=phase,
        present=present if observed else None,
        loaded=loaded,
        requested=requested,
        record_known=not record_unreadable,
        offline=not ctx.pull,
        configured=configured,
    )
    progress = None
    if state is ModelState.PULLING and record:
        progress = {k: record.get(k) for k in ("percent", "completedBytes", "totalBytes", "bytesPerSecond")}
        progress = {k: v or 0 for k, v in progress.items()} | {"etaSeconds": record.get("etaSeconds")}
    hint = record.get("hint")
    if state is ModelState.UNKNOWN:
        hint = _unknown_hint(ctx.kube_errors, pods)
    elif hint is None and state is ModelState.MISSING:
        hint = seeding_steps(
            model,
            catalog=load_messages(),
            pvc=str(ctx.config.get("pvcName") or "deepseek-models"),
            namespace=ctx.settings.cluster.namespace,
        )
    body = {
        "name": model,
        "configured": configured,
        "default": model == ctx.default,
        "downloads": ctx.pull,
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
        "language": language(),
    }
    return jsonify(ModelStateSchema().dump(body))


@bp.post("/models/<path:name>/pull")
@write_endpoint
def pull_model(name: str) -> tuple[Response, int]:
    """Ask the model manager to download a configured model now (start, or retry skipping the backoff).
    ---
    post:
      summary: Start or retry the download of a configured model now (administrators)
      description: |
        Leaves a request for the model manager (ConfigMap deepseek-model-state, key pull.<model>),
        which acts on it in its next round (default within 10 s) and then removes it; follow the
        download with GET models/{name}. Needs X-Remote-User (set by ks-apiserver; KubeSphere RBAC
        keeps non-administrators out). The caller is logged.
      tags: [models]
      parameters:
        - {name: name, in: path, required: true, schema: {type: string}, example: "deepseek-r1:7b"}
      responses:
        202:
          description: request recorded for the manager
          content:
            application/json:
              schema: PullAcceptedSchema
        400:
          description: not a model name
          content:
            application/json:
              schema: ErrorSchema
        401:
          description: no X-Remote-User (not called through ks-apiserver)
          content:
            application/json:
              schema: ErrorSchema
        409:
          description: the model is not configured, or downloads are off (offline mode)
          content:
            application/json:
              schema: ErrorSchema
        503:
          description: no cluster and no DEEPSEEK_MODEL_STATE_FILE, or the Kubernetes API is down
          content:
            application/json:
              schema: ErrorSchema
    """
    model = _model_name(name)
    ctx = _Context()
    if model not in ctx.configured:
        raise ApiError(
            409,
            "ModelNotConfigured",
            f"Model {model} is not configured, so the manager would not keep it. Add it to backend.models "
            f"(extra models) or set backend.model.tag, then upgrade the extension; configured: "
            f"{', '.join(ctx.configured)}.",
            f"模型 {model} 未配置，管理器不会维护它。请将其加入 backend.models（额外模型）或设置 "
            f"backend.model.tag，然后升级扩展；已配置：{'、'.join(ctx.configured)}。",
            field="name",
            given=name,
            allowed=ctx.configured,
        )
    if not ctx.pull:
        steps = seeding_steps(
            model,
            catalog=load_messages(),
            pvc=str(ctx.config.get("pvcName") or "deepseek-models"),
            namespace=ctx.settings.cluster.namespace,
        )
        raise ApiError(
            409,
            "DownloadsDisabled",
            f"Downloads are off (backend.model.pull=false, offline mode), so {model} cannot be pulled. " + steps["en"],
            f"已关闭下载（backend.model.pull=false，离线模式），无法拉取 {model}。" + steps["zh"],
            field="backend.model.pull",
            given=False,
            allowed=[True],
        )
    store = ctx.store()
    if store is None:
        raise ApiError(
            503,
            "ManagerUnavailable",
            "No model manager state: the API runs without a cluster and DEEPSEEK_MODEL_STATE_FILE is not "
            "set. Run `deepseek-ext manager --ollama-url URL --state-file F` and start the API with "
            "DEEPSEEK_MODEL_STATE_FILE=F.",
            "没有模型管理器状态：API 在无集群模式下运行且未设置 DEEPSEEK_MODEL_STATE_FILE。请运行 "
            "`deepseek-ext manager --ollama-url URL --state-file F`，"
            "并以 DEEPSEEK_MODEL_STATE_FILE=F 启动 API。",
            field="DEEPSEEK_MODEL_STATE_FILE",
            given=None,
            allowed="path of the state file the manager writes (--state-file)",
        )
    user = remote_user() or ""
    at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    try:
        store.add_request(model, user=user, at=at)
    except KubeError as exc:
        raise cluster_error(exc) from None
    if ctx.kube.cache is not None:
        ctx.kube.cache.invalidate()  # the next GET shows requested=true
    log.info("pull of %s requested by user=%s", model, user)
    body = {
        "name": model,
        "requested": True,
        "requestedBy": user,
        "requestedAt": at,
        "message": {
            "en": f"The model manager pulls {model} in its next round; follow it with GET models/{model}.",
            "zh": f"模型管理器将在下一轮拉取 {model}；可通过 GET models/{model} 查看进度。",
        },
        "language": language(),
    }
    return jsonify(PullAcceptedSchema().dump(body)), 202


@bp.delete("/models/<path:name>")
@write_endpoint
def delete_model(name: str) -> Response:
    """Remove a model that is no longer configured from the ollama pods.
    ---
    delete:
      summary: Delete a model that is no longer configured from the ollama pods (administrators)
      description: |
        Refuses the configured default model and any model still listed in backend.models (the
        manager would download it again). On a ReadWriteMany volume the model is deleted once
        for all pods. Needs X-Remote-User (set by ks-apiserver); the caller is logged.
      tags: [models]
      parameters:
        - {name: name, in: path, required: true, schema: {type: string}, example: "deepseek-r1:1.5b"}
      responses:
        200:
          description: deleted (per pod)
          content:
            application/json:
              schema: DeleteResultSchema
        400:
          description: not a model name
          content:
            application/json:
              schema: ErrorSchema
        401:
          description: no X-Remote-User (not called through ks-apiserver)
          content:
            application/json:
              schema: ErrorSchema
        404:
          description: no ollama pod has the model
          content:
            application/json:
              schema: ErrorSchema
        409:
          description: the model is configured (the default model or one of backend.models)
          content:
            application/json:
              schema: ErrorSchema
        502:
          description: every ollama pod failed to delete it
          content:
            application/json:
              schema: ErrorSchema
        503:
          description: no ready ollama pod, or no cluster
          content:
            application/json:
              schema: ErrorSchema
    """
    model = _model_name(name)
    ctx = _Context()
    if model == ctx.default:
        raise ApiError(
            409,
            "DefaultModel",
            f"{model} is the configured model (backend.model.tag) that NextChat and applications use; it "
            "cannot be deleted. Switch backend.model.tag to another model first, then delete this one.",
            f"{model} 是当前配置的模型（backend.model.tag），NextChat 和应用正在使用，不能删除。请先将 "
            "backend.model.tag 切换为其他模型，再删除此模型。",
            field="name",
            given=name,
            allowed="any model except the configured one",
        )
    if model in ctx.configured:
        raise ApiError(
            409,
            "ModelConfigured",
            f"{model} is listed in backend.models, so the manager would download it again. Remove it from "
            "backend.models and upgrade the extension first, then delete it.",
            f"{model} 在 backend.models 中，管理器会重新下载它。请先将其从 backend.models 中移除并升级扩展，再删除。",
            field="name",
            given=name,
            allowed="models that are not configured",
        )
    targets = ctx.targets()
    if not targets:
        raise ApiError(
            503,
            "OllamaUnavailable",
            "No ready ollama pod to delete the model on; retry when the ollama pods are ready.",
            "没有就绪的 ollama Pod 可执行删除；请在 ollama Pod 就绪后重试。",
            field="pods",
            given=0,
            allowed=">= 1 ready ollama pod",
        )
    shared = "ReadWriteMany" in (ctx.config.get("accessModes") or [])
    deleted: list[str] = []
    absent: list[str] = []
    errors: list[dict[str, Any]] = []
    for pod, url in targets:
        client = OllamaClient(url, timeout=ctx.settings.ollama.timeout_seconds * 5)
        try:
            (deleted if client.delete(model) else absent).append(pod)
        except OllamaClientError as exc:
            errors.append({"pod": pod, "message": exc.message})
        finally:
            client.session.close()
        if shared and deleted:
            break  # one volume: removed for every pod
    log.info(
        "delete of %s by user=%s: deleted=%s absent=%s errors=%d",
        model,
        remote_user(),
        deleted,
        absent,
        len(errors),
    )
    if not deleted and errors:
        raise ApiError(
            502,
            "OllamaError",
            f"No ollama pod could delete {model}: " + "; ".join(f"{e['pod']}: {e['message']}" for e in errors),
            f"没有 ollama Pod 能删除 {model}：" + "；".join(f"{e['pod']}：{e['message']}" for e in errors),
            reason=errors[0]["message"],
        )
    if not deleted:
        raise ApiError(
            404,
            "ModelNotFound",
            f"No ollama pod has {model}; nothing to delete.",
            f"没有 ollama Pod 上有 {model}；无需删除。",
            field="name",
            given=name,
        )
    body = {"name": model, "deleted": deleted, "absent": absent, "errors": errors, "language": language()}
    return jsonify(DeleteResultSchema().dump(body))


# Without a cluster these answer 503 with how to connect, unless DEEPSEEK_OLLAMA_URL points at one
# ollama (then they work against it and DEEPSEEK_MODEL_STATE_FILE).
for _view in (get_model, pull_model, delete_model):
    _view._deepseek_cluster = True  # type: ignore[attr-defined]
