"""marshmallow schemas: the contract of every response (docs/architecture.md), and the source of the
OpenAPI document (``api.openapi`` registers them with apispec). Views dump through them, so a field
missing here never reaches a client and the document never drifts from what is served.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from deepseek_ext.core.failures import FailureCode
from deepseek_ext.core.findings import Severity
from deepseek_ext.core.messages import LANGUAGES
from deepseek_ext.core.model_state import ManagerPhase, ModelState
from deepseek_ext.core.phases import Component, ComponentState, StatusPhase

SEVERITIES = tuple(s.value for s in Severity)
COMPONENTS = tuple(c.value for c in Component)
COMPONENT_STATES = tuple(s.value for s in ComponentState)
PHASES = tuple(p.value for p in StatusPhase)
MODEL_STATES = tuple(s.value for s in ModelState)


class LocalizedTextSchema(Schema):
    en = fields.String(required=True, metadata={"description": "English"})
    zh = fields.String(required=True, metadata={"description": "Chinese (Simplified)"})


class LinkSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(("pod", "events", "logs")))
    namespace = fields.String(required=True)
    name = fields.String(required=True, metadata={"description": "the pod's name"})
    container = fields.String(metadata={"description": "the container whose log to open (logs only)"})


class FindingSchema(Schema):
    code = fields.String(
        required=True, metadata={"description": "stable code (FindingCode), e.g. PvcNoDefaultStorageClass"}
    )
    severity = fields.String(required=True, validate=validate.OneOf(SEVERITIES))
    message = fields.Nested(LocalizedTextSchema, required=True)
    path = fields.String(
        metadata={"description": "config key in dot notation, e.g. backend.persistence.storageClass"}
    )
    component = fields.String(validate=validate.OneOf(COMPONENTS))
    evidence = fields.Dict(
        keys=fields.String(), metadata={"description": "what was seen: kind, name, field, value, event ..."}
    )
    fix = fields.Nested(LocalizedTextSchema)
    links = fields.List(
        fields.Nested(LinkSchema),
        metadata={"description": "where to look in KubeSphere: the pod, its events, its logs (status only)"},
    )


class ValidationResultSchema(Schema):
    valid = fields.Boolean(required=True, metadata={"description": "false when there is at least one error"})
    errors = fields.List(fields.Nested(FindingSchema), required=True)
    warnings = fields.List(fields.Nested(FindingSchema), required=True)
    info = fields.List(
        fields.Nested(FindingSchema),
        metadata={"description": "notes, e.g. live cluster checks skipped (ClusterChecksSkipped)"},
    )
    clusterChecks = fields.Boolean(metadata={"description": "true when live checks against the cluster ran"})
    language = fields.String(validate=validate.OneOf(LANGUAGES))


class ResolveResultSchema(Schema):
    valid = fields.Boolean(required=True)
    errors = fields.List(fields.Nested(FindingSchema), required=True)
    warnings = fields.List(fields.Nested(FindingSchema), required=True)
    resolved = fields.Dict(
        allow_none=True,
        metadata={
            "description": "the effective config, as `deepseek-ext resolve -o json` prints it (null when "
            "invalid)"
        },
    )
    serving = fields.Dict(
        allow_none=True,
        metadata={
            "description": "the deepseek-serving config.json the chart would render for it (null when "
            "invalid)"
        },
    )
    language = fields.String(validate=validate.OneOf(LANGUAGES))


class ProgressSchema(Schema):
    model = fields.String(required=True)
    percent = fields.Float(required=True)
    completedBytes = fields.Integer(required=True)
    totalBytes = fields.Integer(required=True)
    bytesPerSecond = fields.Float(required=True)
    etaSeconds = fields.Float(allow_none=True, required=True)


class ComponentSchema(Schema):
    name = fields.String(required=True, validate=validate.OneOf(COMPONENTS))
    state = fields.String(required=True, validate=validate.OneOf(COMPONENT_STATES))
    findings = fields.List(fields.Nested(FindingSchema), required=True)


class ModelStatusSchema(Schema):
    name = fields.String(required=True)
    state = fields.String(required=True, validate=validate.OneOf(MODEL_STATES))
    sizeBytes = fields.Integer(required=True)
    sizeVramBytes = fields.Integer(required=True)
    progress = fields.Nested(ProgressSchema, allow_none=True, required=True)


class EndpointsSchema(Schema):
    ollama = fields.String(required=True, metadata={"description": "native ollama API inside the cluster"})
    openai = fields.String(
        required=True, metadata={"description": "OpenAI-compatible API inside the cluster"}
    )
    chat = fields.String(
        allow_none=True, required=True, metadata={"description": "NextChat URL, null without Ingress"}
    )


class ServingSchema(Schema):
    accelerator = fields.String(required=True, validate=validate.OneOf(("cpu", "nvidia", "amd")))
    gpus = fields.Integer(required=True, metadata={"description": "GPUs of one ollama pod"})
    contextLength = fields.Integer(required=True, metadata={"description": "OLLAMA_CONTEXT_LENGTH"})
    numParallel = fields.Integer(required=True, metadata={"description": "OLLAMA_NUM_PARALLEL"})
    maxLoadedModels = fields.Integer(
        required=True, metadata={"description": "OLLAMA_MAX_LOADED_MODELS (ollama's default: 3 per GPU)"}
    )
    memoryRequest = fields.String(required=True, metadata={"description": "memory request of ollama, \"\" if none"})
    memoryLimit = fields.String(required=True, metadata={"description": "memory limit of ollama, \"\" if none"})


class StatusSchema(Schema):
    phase = fields.String(required=True, validate=validate.OneOf(PHASES))
    message = fields.Nested(LocalizedTextSchema, required=True)
    progress = fields.Nested(ProgressSchema, allow_none=True, required=True)
    components = fields.List(fields.Nested(ComponentSchema), required=True)
    models = fields.List(fields.Nested(ModelStatusSchema), required=True)
    endpoints = fields.Nested(EndpointsSchema, required=True)
    checkedAt = fields.String(required=True, metadata={"description": "RFC 3339 time of the report"})
    serving = fields.Nested(
        ServingSchema,
        allow_none=True,
        metadata={"description": "what ollama serves with, from its pod template (else the serving config)"},
    )
    language = fields.String(validate=validate.OneOf(LANGUAGES))


class SizingSchema(Schema):
    accelerator = fields.String(required=True, validate=validate.OneOf(("cpu", "nvidia", "amd")))
    requests = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    limits = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    gpuCount = fields.Integer(required=True)
    memoryBytes = fields.Integer(metadata={"description": "estimated memory the model needs"})


class CatalogModelSchema(Schema):
    name = fields.String(required=True, metadata={"description": "full ollama name, e.g. deepseek-r1:7b"})
    tag = fields.String(required=True)
    info = fields.Dict(
        required=True,
        metadata={
            "description": "catalog entry: size, parameters, quantization, "
            "architecture, context, minimum ollama version"
        },
    )
    sizing = fields.List(
        fields.Nested(SizingSchema),
        required=True,
        metadata={"description": "default sizing per accelerator (context and parallel from the defaults)"},
    )
    state = fields.Nested(
        ModelStatusSchema,
        allow_none=True,
        metadata={"description": "state in the cluster (null when standalone or unknown)"},
    )


class ModelsSchema(Schema):
    models = fields.List(fields.Nested(CatalogModelSchema), required=True)
    clusterState = fields.Boolean(
        required=True, metadata={"description": "true when states come from the cluster"}
    )
    language = fields.String(validate=validate.OneOf(LANGUAGES))


# -- one model: GET models/{name}, POST models/{name}/pull, DELETE models/{name} ------------------


class ModelErrorSchema(Schema):
    code = fields.String(required=True, metadata={"description": ", ".join(FailureCode)})
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
    state = fields.String(required=True, validate=validate.OneOf(MODEL_STATES))
    phase = fields.String(
        required=True, allow_none=True, metadata={"description": "the manager's phase: " + ", ".join(ManagerPhase)}
    )
    progress = fields.Nested(PullProgressSchema, required=True, allow_none=True)
    attempts = fields.Integer(required=True)
    lastError = fields.Nested(ModelErrorSchema, required=True, allow_none=True)
    hint = fields.Nested(LocalizedTextSchema, required=True, allow_none=True, metadata={"description": "what to do"})
    started = fields.String(required=True, allow_none=True)
    updated = fields.String(required=True, allow_none=True)
    nextRetryAt = fields.String(required=True, allow_none=True)
    loadSeconds = fields.Float(required=True, allow_none=True)
    requested = fields.Boolean(required=True, metadata={"description": "a pull request waits for the manager"})
    pods = fields.List(fields.Nested(ModelPodSchema), required=True)
    language = fields.String(validate=validate.OneOf(LANGUAGES))


class PullAcceptedSchema(Schema):
    name = fields.String(required=True)
    requested = fields.Boolean(required=True)
    requestedBy = fields.String(required=True)
    requestedAt = fields.String(required=True)
    message = fields.Nested(LocalizedTextSchema, required=True)
    language = fields.String(validate=validate.OneOf(LANGUAGES))


class DeleteResultSchema(Schema):
    name = fields.String(required=True)
    deleted = fields.List(fields.String(), required=True, metadata={"description": "pods it was removed from"})
    absent = fields.List(fields.String(), required=True, metadata={"description": "pods that did not have it"})
    errors = fields.List(fields.Dict(), required=True, metadata={"description": "[{pod, message}]"})
    language = fields.String(validate=validate.OneOf(LANGUAGES))


class ErrorSchema(Schema):
    status = fields.Integer(required=True)
    code = fields.String(required=True)
    message = fields.Nested(LocalizedTextSchema, required=True)
    language = fields.String(validate=validate.OneOf(LANGUAGES))
    field = fields.String(metadata={"description": "what was wrong: a header, the body, a path"})
    given = fields.Raw(metadata={"description": "the value received"})
    allowed = fields.Raw(metadata={"description": "what is allowed"})
    reason = fields.String(metadata={"description": "technical detail (upstream error)"})
    errors = fields.List(fields.Nested(FindingSchema))


class HealthSchema(Schema):
    status = fields.String(required=True)
    mode = fields.String(validate=validate.OneOf(("cluster", "standalone")))


# --- keys, usage and the access code (api/apikeys.py; contracts §3) ---------------------------


class ApiKeySchema(Schema):
    name = fields.String(required=True, metadata={"description": "the key's name (metrics and limits show it)"})
    createdAt = fields.String(allow_none=True, metadata={"description": "ISO time; null for keys made by "
                                                         "the chart or with kubectl"})
    createdBy = fields.String(allow_none=True, metadata={"description": "KubeSphere user who created it"})


class ApiKeyListSchema(Schema):
    items = fields.List(fields.Nested(ApiKeySchema), required=True)


class ApiKeyCreateSchema(Schema):
    name = fields.String(required=True, metadata={"description": "1-63 letters, digits, - . _", "example": "ci-bot"})


class ApiKeyCreatedSchema(Schema):
    name = fields.String(required=True)
    key = fields.String(required=True, metadata={"description": "the key; shown this once, only its hash is kept"})


class ModelUsageSchema(Schema):
    requests = fields.Integer(required=True)
    promptTokens = fields.Integer(required=True)
    completionTokens = fields.Integer(required=True)


class CallerUsageSchema(Schema):
    caller = fields.String(required=True, metadata={"description": "a key name, or user:<name> for a console "
                                                    "user"})
    kind = fields.String(required=True, validate=validate.OneOf(("key", "user")))
    requests = fields.Integer(required=True)
    errors = fields.Integer(required=True, metadata={"description": "answers with HTTP status >= 400"})
    promptTokens = fields.Integer(required=True)
    completionTokens = fields.Integer(required=True)
    models = fields.Dict(keys=fields.String(), values=fields.Nested(ModelUsageSchema), required=True)


class UsageSchema(Schema):
    items = fields.List(fields.Nested(CallerUsageSchema), required=True)
    podsReporting = fields.Integer(required=True, metadata={"description": "gateways that answered in time"})
    podsTotal = fields.Integer(required=True, metadata={"description": "gateway (ollama) pods asked"})
    since = fields.String(allow_none=True, metadata={"description": "start of the oldest reporting gateway "
                                                     "(counts begin there)"})


class AccessCodeSchema(Schema):
    secret = fields.String(required=True, metadata={"description": "the Secret that holds it (key `code`)"})
    accessCode = fields.String(required=True, metadata={"description": "NextChat's access code(s), comma separated"})


ALL_SCHEMAS: dict[str, type[Schema]] = {
    "LocalizedText": LocalizedTextSchema,
    "Finding": FindingSchema,
    "ValidationResult": ValidationResultSchema,
    "ResolveResult": ResolveResultSchema,
    "Progress": ProgressSchema,
    "Component": ComponentSchema,
    "ModelStatus": ModelStatusSchema,
    "Endpoints": EndpointsSchema,
    "Status": StatusSchema,
    "Sizing": SizingSchema,
    "CatalogModel": CatalogModelSchema,
    "Models": ModelsSchema,
    "ModelError": ModelErrorSchema,
    "PullProgress": PullProgressSchema,
    "ModelPod": ModelPodSchema,
    "ModelState": ModelStateSchema,
    "PullAccepted": PullAcceptedSchema,
    "DeleteResult": DeleteResultSchema,
    "Error": ErrorSchema,
    "Health": HealthSchema,
    "ApiKey": ApiKeySchema,
    "ApiKeyList": ApiKeyListSchema,
    "ApiKeyCreate": ApiKeyCreateSchema,
    "ApiKeyCreated": ApiKeyCreatedSchema,
    "ModelUsage": ModelUsageSchema,
    "CallerUsage": CallerUsageSchema,
    "Usage": UsageSchema,
    "AccessCode": AccessCodeSchema,
}
"""Component name -> schema; names are the `#/components/schemas/<name>` of the OpenAPI document."""
