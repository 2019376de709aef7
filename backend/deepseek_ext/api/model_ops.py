"""Per-model operations: ``GET models/<name>``, ``POST models/<name>/pull``, ``DELETE models/<name>``.

The views only translate HTTP: the work (state store, model state, the ollama pods) is
``services.model_ops``, whose domain errors ``api.errors`` answers. Writes need an identity
from ks-apiserver (``auth.write_endpoint``) and are logged.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from deepseek_ext.api import deps
from deepseek_ext.api.auth import remote_user, write_endpoint
from deepseek_ext.api.errors import language
from deepseek_ext.api.schemas import DeleteResultSchema, ModelStateSchema, PullAcceptedSchema
from deepseek_ext.services import model_ops
from deepseek_ext.settings import API_PREFIX

bp = Blueprint("model_ops", __name__, url_prefix=API_PREFIX)
_MODEL_STATE_SCHEMA = ModelStateSchema()  # built once: building nested schemas costs more than a dump
_PULL_ACCEPTED_SCHEMA = PullAcceptedSchema()
_DELETE_RESULT_SCHEMA = DeleteResultSchema()


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
    body = model_ops.model_state(
        name, settings=deps.settings(), kube=deps.kube(), ollama=deps.ollama(), catalog=deps.messages()
    )
    return jsonify(_MODEL_STATE_SCHEMA.dump({**body, "language": language()}))


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
        401: NoRemoteUser
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
    body = model_ops.request_pull(
        name, user=remote_user() or "", settings=deps.settings(), kube=deps.kube(), catalog=deps.messages()
    )
    return jsonify(_PULL_ACCEPTED_SCHEMA.dump({**body, "language": language()})), 202


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
        401: NoRemoteUser
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
    body = model_ops.delete_model(name, user=remote_user() or "", settings=deps.settings(), kube=deps.kube())
    return jsonify(_DELETE_RESULT_SCHEMA.dump({**body, "language": language()}))


# Without a cluster these answer 503 with how to connect, unless DEEPSEEK_OLLAMA_URL points at one
# ollama (then they work against it and DEEPSEEK_MODEL_STATE_FILE).
for _view in (get_model, pull_model, delete_model):
    _view._deepseek_cluster = True  # type: ignore[union-attr]
