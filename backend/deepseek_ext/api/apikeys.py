"""Keys of the model gateway, its usage summary and NextChat's access code (contracts §3).

``apikeys`` (list, create, revoke) and ``accesscode`` are for administrators: ks-apiserver lets
only the "manage" role template through; ``usage`` is for every viewer. Writes need an identity
from ks-apiserver (``write_endpoint``), which also logs them with the user (never the key).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request

from deepseek_ext.api import deps
from deepseek_ext.api.auth import cluster_endpoint, remote_user, write_endpoint
from deepseek_ext.api.errors import ApiError
from deepseek_ext.api.schemas import AccessCodeSchema, ApiKeyCreatedSchema, ApiKeyListSchema, UsageSchema
from deepseek_ext.core.objects import ObjectNames
from deepseek_ext.services import access, apikeys, usage
from deepseek_ext.services.access import object_names
from deepseek_ext.settings import API_PREFIX

bp = Blueprint("apikeys", __name__, url_prefix=API_PREFIX)
_LIST = ApiKeyListSchema()
_CREATED = ApiKeyCreatedSchema()
_USAGE = UsageSchema()
_ACCESS = AccessCodeSchema()


def _objects() -> ObjectNames:
    return object_names(settings=deps.settings(), kube=deps.kube())


def _requested_name() -> Any:
    """The ``name`` of a ``{"name": ...}`` body (the service judges it).

    :raise 400 InvalidKeyRequest: not a JSON object, or fields other than ``name``.
    """
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiError(400, "InvalidKeyRequest", field="body", given=None, allowed=["name"])
    extra = sorted(set(body) - {"name"})
    if extra:
        raise ApiError(400, "InvalidKeyRequest", field=extra[0], given=body[extra[0]], allowed=["name"])
    return body.get("name")


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/apikeys")
@cluster_endpoint
def list_keys() -> Response:
    """List the gateway's application keys (names only).
    ---
    get:
      summary: The model gateway's keys, by name, with who created them and when (administrators)
      description: |
        Reads the Secret deepseek-gateway-keys; key values are never shown (the Secret holds only
        their sha256). `nextchat` is NextChat's own key, made by the chart.
      tags: [apikeys]
      responses:
        200:
          description: the keys
          content:
            application/json:
              schema: ApiKeyListSchema
        503:
          description: no cluster, or no gateway keys Secret (the serving chart is not installed)
          content:
            application/json:
              schema: ErrorSchema
    """
    return jsonify(_LIST.dump({"items": apikeys.list_keys(kube=deps.kube(), objects=_objects())}))


@bp.post("/apikeys")
@cluster_endpoint
@write_endpoint
def create_key() -> tuple[Response, int]:
    """Create a key for an application; the answer shows it once.
    ---
    post:
      summary: Create a gateway key (administrators); the key is in this answer only
      description: |
        Stores sha256 of a new random key in the Secret deepseek-gateway-keys under `name`; every
        gateway accepts it once kubelet has refreshed the mounted Secret (within about a minute), no
        restart. Needs X-Remote-User (set by ks-apiserver); the caller and the name are logged, the
        key never.
      tags: [apikeys]
      requestBody:
        required: true
        content:
          application/json:
            schema: ApiKeyCreateSchema
      responses:
        201:
          description: created; `key` is shown this once
          content:
            application/json:
              schema: ApiKeyCreatedSchema
        400:
          description: not a key name (InvalidKeyName), or a body other than {"name"} (InvalidKeyRequest)
          content:
            application/json:
              schema: ErrorSchema
        401: NoRemoteUser
        409:
          description: a key of that name exists (KeyExists), or the name is the chart's own (KeyReserved)
          content:
            application/json:
              schema: ErrorSchema
        503:
          description: no cluster, or no gateway keys Secret
          content:
            application/json:
              schema: ErrorSchema
    """
    created = apikeys.create_key(_requested_name(), user=remote_user() or "", kube=deps.kube(), objects=_objects())
    return _no_store(jsonify(_CREATED.dump(created))), 201


@bp.delete("/apikeys/<path:name>")
@cluster_endpoint
@write_endpoint
def revoke_key(name: str) -> tuple[str, int]:
    """Revoke a key.
    ---
    delete:
      summary: Revoke a gateway key (administrators)
      description: |
        Removes the entry from the Secret deepseek-gateway-keys; the key stops working once kubelet
        has refreshed the mounted Secret (within about a minute). Needs X-Remote-User; logged.
      tags: [apikeys]
      parameters:
        - {name: name, in: path, required: true, schema: {type: string}, example: "ci-bot"}
      responses:
        204:
          description: revoked
        400:
          description: not a key name
          content:
            application/json:
              schema: ErrorSchema
        401: NoRemoteUser
        404:
          description: no key of that name (`allowed` lists the keys there are)
          content:
            application/json:
              schema: ErrorSchema
        409:
          description: the chart's own key (nextchat, console)
          content:
            application/json:
              schema: ErrorSchema
    """
    apikeys.revoke_key(name, user=remote_user() or "", kube=deps.kube(), objects=_objects())
    return "", 204


@bp.get("/usage")
def usage_summary() -> Response:
    """Usage per caller, summed over every gateway.
    ---
    get:
      summary: Requests, errors and tokens per key and console user, per model, since the gateways started
      description: |
        Asks every ollama pod's gateway (its admin port) at once and waits at most 3 s in all; pods
        that do not answer in time are left out (`podsReporting` < `podsTotal`). Counts start when
        each gateway started (`since`: the oldest reporting one). Key values never appear.
      tags: [usage]
      responses:
        200:
          description: the summary
          content:
            application/json:
              schema: UsageSchema
        503:
          description: no cluster (and no DEEPSEEK_OLLAMA_URL), or the Kubernetes API is down
          content:
            application/json:
              schema: ErrorSchema
    """
    return _no_store(jsonify(_USAGE.dump(usage.usage_summary(settings=deps.settings(), kube=deps.kube()))))


@bp.get("/accesscode")
@cluster_endpoint
def access_code() -> Response:
    """NextChat's access code.
    ---
    get:
      summary: NextChat's access code (administrators)
      description: |
        Reads the Secret that holds it (deepseek-chat-access, or backend.chat.accessCodeSecret).
        ks-apiserver lets only the "manage" role template through. Never logged, never cached.
      tags: [accesscode]
      responses:
        200:
          description: the code
          content:
            application/json:
              schema: AccessCodeSchema
        503:
          description: no cluster, or the Secret (or its `code`) is missing
          content:
            application/json:
              schema: ErrorSchema
    """
    return _no_store(jsonify(_ACCESS.dump(access.access_code(settings=deps.settings(), kube=deps.kube()))))


# Without a cluster the usage summary still works against DEEPSEEK_OLLAMA_URL (one gateway).
usage_summary._deepseek_cluster = True  # type: ignore[attr-defined]
