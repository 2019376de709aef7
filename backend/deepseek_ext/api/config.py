"""``POST config/validate`` and ``POST config/resolve``: a config in, findings or the effective config out.

The body is the config itself (YAML or JSON, at most 1 MiB), as users paste it in Extension
Center. It is parsed by ``core.validation.parse_config_text``: safe YAML, bounded aliases and
nesting, so an expansion bomb is a 400, not a hung worker.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from deepseek_ext.api import deps
from deepseek_ext.api.errors import ApiError, language
from deepseek_ext.api.schemas import ResolveResultSchema, ValidationResultSchema
from deepseek_ext.core.messages import message
from deepseek_ext.core.validation import ConfigParseError, parse_config_text
from deepseek_ext.services import validation
from deepseek_ext.settings import API_PREFIX

bp = Blueprint("config", __name__, url_prefix=API_PREFIX)
_RESOLVE_RESULT_SCHEMA = ResolveResultSchema()  # built once: building nested schemas costs more than a dump
_VALIDATION_RESULT_SCHEMA = ValidationResultSchema()  # built once, like the one above

CONFIG_TYPES = (
    "application/json",
    "application/yaml",
    "application/x-yaml",
    "text/yaml",
    "text/x-yaml",
    "text/plain",
)


def _read_body() -> bytes:
    """The whole body, refusing (413) anything over MAX_CONTENT_LENGTH.

    With a Content-Length, Werkzeug refuses an oversized body before reading it. A chunked body has
    none, and Werkzeug's limited stream then stops quietly at the limit, so a config could be
    validated from its first MiB only: read it ourselves and refuse when it does not end in time.
    """
    limit = request.max_content_length
    if request.content_length is not None or not limit:
        return request.get_data(cache=False)
    stream = request.environ.get("wsgi.input")
    body = bytearray()
    while stream is not None:
        chunk = stream.read(min(64 * 1024, limit + 1 - len(body)))
        if not chunk:
            break
        body += chunk
        if len(body) > limit:
            raise RequestEntityTooLarge()
    return bytes(body)


def config_body() -> dict[str, Any]:
    """The request body as a config map.

    :raise 415: a content type other than JSON or YAML.
    :raise 413: a body larger than 1 MiB.
    :raise 400: not UTF-8, not YAML/JSON, an expansion bomb, too deep, or not a map.
    """
    mimetype = request.mimetype or ""
    raw = _read_body()
    if raw and mimetype not in CONFIG_TYPES:
        raise ApiError(
            415,
            "UnsupportedMediaType",
            {"mimetype": mimetype or message("error.UnsupportedMediaType.none"), "allowed": ", ".join(CONFIG_TYPES)},
            field="Content-Type",
            given=mimetype or None,
            allowed=list(CONFIG_TYPES),
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ApiError(
            400,
            "InvalidEncoding",
            {"byte": exc.start},
            field="body",
            given=f"byte {exc.start}",
            allowed="UTF-8 text",
        ) from None
    try:
        return parse_config_text(text)
    except ConfigParseError as exc:
        raise ApiError(
            400,
            "InvalidConfigDocument",
            {"detail": exc.texts(deps.messages())},
            field="body",
            allowed="a YAML or JSON map in values.yaml layout",
        ) from None


@bp.post("/config/validate")
def validate() -> Response:
    """Validate a config.
    ---
    post:
      summary: Check a config before applying it (document rules, plus live cluster checks in a cluster)
      description: |
        Same rules as `deepseek-ext validate`. In a cluster it also checks that the named or default
        StorageClass exists, that an existing deepseek-models PVC is big enough and has the access
        mode, that some node can hold the resolved requests (allocatable CPU/memory, GPU resource,
        GPU memory labels) and that the nodeSelector matches a node. Always 200 for a parseable
        document: `valid` says whether it will work.
      tags: [config]
      requestBody:
        required: false
        description: the config (values.yaml layout), YAML or JSON, at most 1 MiB; empty = the defaults
        content:
          application/json:
            schema: {type: object, nullable: true, additionalProperties: true}
          application/yaml:
            schema: {type: object, nullable: true, additionalProperties: true}
      parameters:
        - {in: header, name: Accept-Language, schema: {type: string}, required: false,
           description: "zh or en (both languages are always in the body)"}
      responses:
        200:
          description: findings
          content:
            application/json:
              schema: ValidationResultSchema
        400: {description: not a config document, content: {application/json: {schema: ErrorSchema}}}
        413: {description: the body is larger than 1 MiB, content: {application/json: {schema: ErrorSchema}}}
        415: {description: not JSON or YAML, content: {application/json: {schema: ErrorSchema}}}
        503: {description: the catalog cannot be loaded, content: {application/json: {schema: ErrorSchema}}}
    """
    values = config_body()
    catalog, defaults = deps.catalog_and_defaults()
    body = validation.validate(values, catalog=catalog, defaults=defaults, kube=deps.kube())
    body["language"] = language()
    return jsonify(_VALIDATION_RESULT_SCHEMA.dump(body))


@bp.post("/config/resolve")
def resolve() -> Response:
    """Resolve a config.
    ---
    post:
      summary: The effective config (defaults merged, sizing computed), as `deepseek-ext resolve` prints it
      tags: [config]
      requestBody:
        required: false
        description: the config (values.yaml layout), YAML or JSON, at most 1 MiB; empty = the defaults
        content:
          application/json:
            schema: {type: object, nullable: true, additionalProperties: true}
          application/yaml:
            schema: {type: object, nullable: true, additionalProperties: true}
      parameters:
        - {in: header, name: Accept-Language, schema: {type: string}, required: false,
           description: "zh or en (both languages are always in the body)"}
      responses:
        200:
          description: the effective config (resolved is null and errors say why when the config is invalid)
          content:
            application/json:
              schema: ResolveResultSchema
        400: {description: not a config document, content: {application/json: {schema: ErrorSchema}}}
        413: {description: the body is larger than 1 MiB, content: {application/json: {schema: ErrorSchema}}}
        415: {description: not JSON or YAML, content: {application/json: {schema: ErrorSchema}}}
        503: {description: the catalog cannot be loaded, content: {application/json: {schema: ErrorSchema}}}
    """
    values = config_body()
    catalog, defaults = deps.catalog_and_defaults()
    body = validation.resolve(values, catalog=catalog, defaults=defaults)
    body["language"] = language()
    return jsonify(_RESOLVE_RESULT_SCHEMA.dump(body))
