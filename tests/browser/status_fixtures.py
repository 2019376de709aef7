"""Status reports, model records, usage and access code as the extension API answers them, for the
status page's browser tests (tests/browser/test_status_page.py), and a loopback API that serves them.

The shapes are the API's (api/schemas.py: StatusSchema, ModelStateSchema, ErrorSchema) plus the
additive fields of /work contracts §3 and §4 (`serving`, finding `links`, `GET usage`,
`GET accesscode`, manager phases Verifying and Stalled) that other branches are building;
test_fixtures_match_the_api_schemas checks the parts the API already has, so the fixtures cannot
drift from it. Texts are the catalog's (charts/backend/files/messages.yaml) rendered with real names.
"""

from __future__ import annotations

import copy
import json
import urllib.parse
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.doubles.loopback import LoopbackServer

PREFIX = "/kapis/deepseek.kubesphere.io/v1alpha1"
NS = "extension-deepseek"
MODEL = "deepseek-r1:7b"
EXTRA = "deepseek-r1:1.5b"
POD = "deepseek-backend-server-7d9f8c6b5-x2kqp"
CHECKED = "2026-11-29T10:01:08Z"
ENDPOINTS = {"ollama": f"http://deepseek-backend-server-service.{NS}.svc:11434",
             "openai": f"http://deepseek-backend-server-service.{NS}.svc:11434/v1",
             "chat": None}


def text(en: str, zh: str) -> dict[str, str]:
    return {"en": en, "zh": zh}


def component(name: str, state: str, *findings: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "state": state, "findings": list(findings)}


def ready_components() -> list[dict[str, Any]]:
    return [component(n, "Ready") for n in ("storage", "ollama", "model", "nextchat", "api")] + [
        component("ingress", "Disabled")]


def report(phase: str, message: dict[str, str], components: list[dict[str, Any]],
           models: list[dict[str, Any]], progress: dict[str, Any] | None = None,
           **extra: Any) -> dict[str, Any]:
    return {"phase": phase, "message": message, "progress": progress, "components": components,
            "models": models, "endpoints": ENDPOINTS, "checkedAt": CHECKED, "language": "en", **extra}


def model_row(name: str, state: str, size: int = 0, vram: int = 0,
              progress: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"name": name, "state": state, "sizeBytes": size, "sizeVramBytes": vram, "progress": progress}


def record(name: str, state: str, *, phase: str | None, configured: bool = True, attempts: int = 0,
           next_retry: str | None = None, last_error: dict[str, str] | None = None,
           progress: dict[str, Any] | None = None, hint: dict[str, str] | None = None) -> dict[str, Any]:
    """GET models/{name} (ModelStateSchema)."""
    return {"name": name, "configured": configured, "default": configured and name == MODEL, "downloads": True,
            "state": state, "phase": phase, "progress": progress, "attempts": attempts, "lastError": last_error,
            "hint": hint, "started": "2026-11-29T10:00:00Z", "updated": CHECKED, "nextRetryAt": next_retry,
            "loadSeconds": None, "requested": False, "pods": [], "language": "en"}


PROGRESS = {"percent": 42.5, "completedBytes": 2_000_000_000, "totalBytes": 4_700_000_000,
            "bytesPerSecond": 12_300_000.0, "etaSeconds": 220}

POD_LINKS = [{"kind": "pod", "namespace": NS, "name": POD},
             {"kind": "events", "namespace": NS, "name": POD},
             {"kind": "logs", "namespace": NS, "name": POD, "container": "ollama"}]

DISK_FULL = {
    "code": "DiskFull", "severity": "error", "component": "storage",
    "message": text("Model deepseek-r1:7b cannot be downloaded: the models volume deepseek-models is full.",
                    "模型 deepseek-r1:7b 无法下载：模型存储卷 deepseek-models 已满。"),
    "fix": text("Grow the deepseek-models PVC (`backend.persistence.size`, if its StorageClass allows "
                f"expansion): `kubectl -n {NS} patch pvc deepseek-models -p "
                "'{\"spec\":{\"resources\":{\"requests\":{\"storage\":\"60Gi\"}}}}'`.",
                "扩容 deepseek-models PVC（`backend.persistence.size`，需其 StorageClass 支持扩容）："
                f"`kubectl -n {NS} patch pvc deepseek-models -p "
                "'{\"spec\":{\"resources\":{\"requests\":{\"storage\":\"60Gi\"}}}}'`。"),
    "path": "backend.persistence.size",
    "evidence": {"kind": "PersistentVolumeClaim", "name": "deepseek-models", "pod": POD},
    "links": POD_LINKS,
}

REGISTRY = {
    "code": "ModelPullFailed", "severity": "error", "component": "model",
    "message": text("Model deepseek-r1:7b cannot be downloaded: the registry registry.ollama.ai is unreachable "
                    "from the ollama pods.",
                    "模型 deepseek-r1:7b 无法下载：ollama Pod 访问不到模型仓库 registry.ollama.ai。"),
    "fix": text("Give the ollama pods access to the registry (proxy, firewall, DNS), or point "
                "`backend.model.registry` at a mirror.",
                "让 ollama Pod 能访问模型仓库（代理、防火墙、DNS），或将 `backend.model.registry` 指向镜像仓库。"),
    "evidence": {"pod": POD, "event": "read tcp 10.233.64.12:41424->104.21.75.227:443: read: connection reset by peer"},
    "links": POD_LINKS[2:],
}


def retry_at(seconds: int) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


def scenario(name: str) -> dict[tuple[str, str], tuple[int, Any]]:
    """Answers per (method, path) for one page state."""
    usage = {"items": [
        {"caller": "ci-bot", "kind": "key", "requests": 1280, "errors": 4, "promptTokens": 412_000,
         "completionTokens": 988_500, "models": {MODEL: {"requests": 1280, "promptTokens": 412_000,
                                                         "completionTokens": 988_500}}},
        {"caller": "user:alice", "kind": "user", "requests": 57, "errors": 0, "promptTokens": 9_120,
         "completionTokens": 40_233, "models": {MODEL: {"requests": 57, "promptTokens": 9_120,
                                                        "completionTokens": 40_233}}},
        {"caller": "nextchat", "kind": "key", "requests": 311, "errors": 2, "promptTokens": 60_010,
         "completionTokens": 150_700, "models": {MODEL: {"requests": 311, "promptTokens": 60_010,
                                                         "completionTokens": 150_700}}}],
        "podsReporting": 2, "podsTotal": 2, "since": "2026-11-29T08:00:00Z"}
    routes: dict[tuple[str, str], tuple[int, Any]] = {
        ("GET", f"{PREFIX}/usage"): (200, usage),
        ("GET", f"{PREFIX}/accesscode"): (200, {"secret": "deepseek-chat-access", "accessCode": "k7Qp-2vXr-9LmA"}),
        ("POST", f"{PREFIX}/models/{MODEL}/pull"): (202, {
            "name": MODEL, "requested": True, "requestedBy": "admin", "requestedAt": CHECKED,
            "message": text("Requested.", "已请求。"), "language": "en"}),
    }
    if name == "installing":
        status = report("Installing", text("The extension's objects are being created.", "正在创建扩展的对象。"), [
            component("storage", "Ready"), component("ollama", "Progressing"), component("model", "Progressing"),
            component("nextchat", "Progressing"), component("ingress", "Disabled"), component("api", "Ready")],
            [model_row(MODEL, "absent")])
        detail = record(MODEL, "absent", phase="Pending")
    elif name == "downloading":
        status = report("PullingModel", text("Downloading deepseek-r1:7b: 42.5% (2.0 GB of 4.7 GB).",
                                             "正在下载 deepseek-r1:7b：42.5%（已下载 2.0 GB，共 4.7 GB）。"),
                        [*ready_components()[:2], component("model", "Progressing"), *ready_components()[3:]],
                        [model_row(MODEL, "pulling", progress={"model": MODEL, **PROGRESS})],
                        progress={"model": MODEL, **PROGRESS})
        detail = record(MODEL, "pulling", phase="Pulling", attempts=1, progress=PROGRESS)
    elif name == "retrying":
        comps = ready_components()
        comps[2] = component("model", "Failed", REGISTRY)
        status = report("Failed", text("deepseek-r1:7b could not be downloaded; the model manager retries.",
                                       "deepseek-r1:7b 下载失败；模型管理器会重试。"),
                        comps, [model_row(MODEL, "failed")])
        detail = record(MODEL, "failed", phase="Failed", attempts=3, next_retry=retry_at(150),
                        last_error={"code": "RegistryUnreachable",
                                    "message": "pull model manifest: connection reset by peer"})
    elif name == "failed":
        # An older API's contradiction: storage "Ready" next to its own disk-full error, and the
        # model "Progressing" with nothing of its own. The page must not repeat either.
        comps = ready_components()
        comps[0] = component("storage", "Ready", DISK_FULL)
        comps[2] = component("model", "Progressing")
        status = report("Failed", text("Model storage is full: deepseek-r1:7b cannot be downloaded.",
                                       "模型存储已满：无法下载 deepseek-r1:7b。"), comps, [model_row(MODEL, "failed")])
        detail = record(MODEL, "failed", phase="Failed", attempts=2, next_retry=retry_at(600),
                        last_error={"code": "DiskFull",
                                    "message": "write /models/blobs/sha256-6e9f: no space left on device"})
    elif name == "ready":
        status = report("Ready", text("deepseek-r1:7b answers.", "deepseek-r1:7b 可以应答。"), ready_components(),
                        [model_row(MODEL, "loaded", 4_683_087_332, 5_200_000_000),
                         model_row(EXTRA, "present", 1_117_320_000)],
                        serving={"accelerator": "nvidia", "gpus": 1, "contextLength": 8192, "numParallel": 4,
                                 "maxLoadedModels": 1, "memoryRequest": "8Gi", "memoryLimit": "16Gi"})
        detail = record(MODEL, "loaded", phase="Ready", attempts=1)
        routes[("GET", f"{PREFIX}/models/{EXTRA}")] = (200, record(EXTRA, "present", phase=None, configured=False))
        routes[("DELETE", f"{PREFIX}/models/{EXTRA}")] = (200, {
            "name": EXTRA, "deleted": [POD], "absent": [], "errors": [], "language": "en"})
    else:
        raise ValueError(name)
    routes[("GET", f"{PREFIX}/status")] = (200, status)
    routes[("GET", f"{PREFIX}/models/{MODEL}")] = (200, detail)
    return routes


class FixtureApi(LoopbackServer):
    """A loopback stand-in for the extension API answering fixed bodies per (method, path);
    `routes` may be changed while it runs, `requests` records (method, path, X-Remote-User)."""

    def __init__(self, routes: dict[tuple[str, str], tuple[int, Any]]) -> None:
        self.routes = copy.deepcopy(routes)
        self.requests: list[tuple[str, str, str]] = []
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                return

            def _answer(self) -> None:
                path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
                api.requests.append((self.command, path, self.headers.get("X-Remote-User", "")))
                status, body = api.routes.get((self.command, path), (404, {
                    "status": 404, "code": "NotFound", "message": text("Not found.", "未找到。"), "language": "en"}))
                payload = b"" if body is None else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_DELETE = _answer

        super().__init__(Handler)

    def calls(self, method: str) -> list[str]:
        return [path for m, path, _user in self.requests if m == method]

