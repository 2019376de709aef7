"""ChatApiDouble: a loopback stand-in for the extension API *as the chat page sees it*.

A double, not the product: the real ``POST P/chat/completions`` is the edge's (branch s2-edge,
``backend/deepseek_ext/edge/``), which forwards to the gateway. Until it is merged the browser tests
of the chat page run against this, and it follows ``/work/contracts.md`` §2 and docs/console.md
("Chat page") to the letter, so the page is built against the contract rather than against
whatever the edge happens to do:

* ``POST P/chat/completions`` with ``{"model", "messages", "stream": true}`` and the caller in
  ``X-Remote-User`` (ks-apiserver sets it, ``shared/reference/kubesphere.md`` §6; the console
  double does here). Answer: ``text/event-stream`` with OpenAI ``chat.completion.chunk`` events,
  ``delta.reasoning_content`` first, then ``delta.content``, then ``data: [DONE]``.
* Errors before the stream are the API's envelope ``{"status", "code", "message": {"en","zh"},
  ...}`` with the HTTP status: 401 ``Unauthenticated`` (no identity), 404 ``ModelNotServed``
  (``allowed`` = configured models), 409 ``ModelNotReady`` (``params.model``), 429
  ``TooManyRequests`` (+ ``Retry-After``), 503 ``OllamaUnavailable``. A 403 is not ours:
  ks-apiserver refuses before forwarding (RBAC on resource ``chat``, verb ``create``) with a
  Kubernetes ``Status``, so that is what this sends. An error after the stream began is an event
  ``data: {"error": {...}}`` as the gateway's OpenAI dialect writes it
  (``backend/deepseek_ext/gateway/errors.py``).
* ``GET P/status`` and ``GET P/models/{name}`` answer canned bodies that are validated against the
  real marshmallow schemas (``api/schemas.py``) at start, so the page reads the shapes it will get.

Tests choose the behaviour with ``double.mode`` (see ``MODES``); every chat request is recorded in
``double.requests`` and a stream the page abandoned counts in ``double.abandoned``; clearing
``double.answer_gate`` holds a stream between its thinking and its answer.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler
from typing import Any

from deepseek_ext.api.schemas import ModelStateSchema, StatusSchema

from tests.doubles.loopback import LoopbackServer

PREFIX = "/kapis/deepseek.kubesphere.io/v1alpha1"
READY_MODEL = "deepseek-r1:7b"
PULLING_MODEL = "deepseek-r1:14b"
CONFIGURED = [READY_MODEL, PULLING_MODEL]

THINKING = ["The user asks what a pod is. ", "I should answer briefly, ", "with a list and a command."]
# Markdown, plus what a hostile answer could carry: the page must render the first and neuter the rest.
ANSWER = ["**Pods** are the smallest ", "deployable units of Kubernetes.\n\n",
          "- one or more containers\n- one network namespace\n\n",
          "```bash\nkubectl get pods\n```\n\n",
          '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>',
          "[docs](javascript:window.__pwned=3) and [more](https://kubernetes.io/docs/concepts/workloads/pods/)"]
THINK_TAGS = ["<thi", "nk>\nOlder servers put the thinking ", "inside the content.\n</thi", "nk>\n\n",
              "Answer after tags."]

MODES = ("stream", "think-tags", "slow", "stream-error", "unauthenticated", "forbidden", "rate-limited",
         "unavailable", "not-ready", "not-served")


def _text(en: str, zh: str) -> dict[str, str]:
    return {"en": en, "zh": zh}


def _envelope(status: int, code: str, message: dict[str, str], **extra: Any) -> dict[str, Any]:
    return {"status": status, "code": code, "message": message, "language": "en", **extra}


ERRORS: dict[str, tuple[int, dict[str, Any], dict[str, str]]] = {
    "unauthenticated": (401, _envelope(401, "Unauthenticated", _text(
        "No user identity came with the request.", "请求没有携带用户身份。")), {}),
    # ks-apiserver's own refusal (Kubernetes Status), before the request reaches the extension.
    "forbidden": (403, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                        "message": 'chat.deepseek.kubesphere.io is forbidden: User "alice" cannot create resource '
                                   '"chat" in API group "deepseek.kubesphere.io" at the cluster scope',
                        "reason": "Forbidden", "details": {"group": "deepseek.kubesphere.io", "kind": "chat"},
                        "code": 403}, {}),
    "rate-limited": (429, _envelope(429, "TooManyRequests", _text(
        "user:admin already has 2 answers streaming; retry after 7 s.",
        "user:admin 已有 2 个回答在进行；请在 7 秒后重试。"), params={"retryAfter": 7}), {"Retry-After": "7"}),
    "unavailable": (503, _envelope(503, "OllamaUnavailable", _text(
        "No ollama pod is ready.", "没有就绪的 ollama Pod。")), {}),
}


def _status_report(chat_url: str | None) -> dict[str, Any]:
    progress = {"model": PULLING_MODEL, "percent": 42.5, "completedBytes": 3_825_000_000,
                "totalBytes": 9_000_000_000, "bytesPerSecond": 12_500_000.0, "etaSeconds": 414.0}
    return {
        "phase": "PullingModel", "message": _text("Downloading deepseek-r1:14b.", "正在下载 deepseek-r1:14b。"),
        "progress": progress, "components": [],
        "models": [{"name": READY_MODEL, "state": "loaded", "sizeBytes": 4_700_000_000,
                    "sizeVramBytes": 5_000_000_000, "progress": None},
                   {"name": PULLING_MODEL, "state": "pulling", "sizeBytes": 0, "sizeVramBytes": 0,
                    "progress": progress}],
        "endpoints": {"ollama": "http://deepseek-backend-server-service.extension-deepseek.svc:11434",
                      "openai": "http://deepseek-backend-server-service.extension-deepseek.svc:11434/v1",
                      "chat": chat_url},
        "checkedAt": "2026-12-01T10:00:00Z", "language": "en",
    }


def _model_record(name: str, percent: float) -> dict[str, Any]:
    total = 9_000_000_000
    done = percent >= 100
    return {
        "name": name, "configured": True, "default": False, "downloads": True,
        "state": "present" if done else "pulling", "phase": "Ready" if done else "Pulling",
        "progress": None if done else {"percent": percent, "completedBytes": int(total * percent / 100),
                                       "totalBytes": total, "bytesPerSecond": 12_500_000.0,
                                       "etaSeconds": round((100 - percent) * total / 100 / 12_500_000)},
        "attempts": 1, "lastError": None, "hint": None, "started": "2026-12-01T09:55:00Z",
        "updated": "2026-12-01T10:00:00Z", "nextRetryAt": None, "loadSeconds": None, "requested": False,
        "pods": [], "language": "en",
    }


class ChatApiDouble(LoopbackServer):
    def __init__(self, *, chat_url: str | None = None, delay: float = 0.12) -> None:
        self.mode = "stream"
        self.delay = delay  # seconds between two events of a stream
        self.chat_url = chat_url
        self.requests: list[dict[str, Any]] = []
        self.abandoned = 0
        self.pull_percent = 42.5
        # Cleared by a test that must see the thinking live: the stream then waits between the
        # thinking and the answer until the test sets it (no race with a slow machine).
        self.answer_gate = threading.Event()
        self.answer_gate.set()
        # Cleared by a test that must act before the page knows the models: the status report
        # (which names them) then waits until the test sets it.
        self.status_gate = threading.Event()
        self.status_gate.set()
        for schema, body in ((StatusSchema(), _status_report(chat_url)),
                             (ModelStateSchema(), _model_record(PULLING_MODEL, 42.5))):
            errors = schema.validate(body)
            assert not errors, f"the double's canned body does not match {type(schema).__name__}: {errors}"
        super().__init__(self._handler(), daemon_threads=True)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        double = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:
                return

            def _json(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
                payload = json.dumps(body, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            def do_GET(self) -> None:
                path = urllib.parse.urlsplit(self.path).path
                if path == PREFIX + "/status":
                    double.status_gate.wait(timeout=60)
                    self._json(200, _status_report(double.chat_url))
                elif path.startswith(PREFIX + "/models/"):
                    name = urllib.parse.unquote(path[len(PREFIX + "/models/"):])
                    if name not in CONFIGURED:
                        unknown = _text(f"{name} is unknown.", f"未知模型 {name}。")
                        self._json(404, _envelope(404, "ModelNotFound", unknown))
                        return
                    self._json(200, _model_record(name, 100.0 if name == READY_MODEL else double.pull_percent))
                else:
                    self._json(404, _envelope(404, "NotFound", _text("Not found.", "未找到。")))

            def do_POST(self) -> None:
                path = urllib.parse.urlsplit(self.path).path
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if path != PREFIX + "/chat/completions":
                    self._json(404, _envelope(404, "NotFound", _text("Not found.", "未找到。")))
                    return
                body = json.loads(raw or b"{}")
                user = self.headers.get("X-Remote-User")
                double.requests.append({"user": user, "body": body,
                                        "language": self.headers.get("Accept-Language"),
                                        "accept": self.headers.get("Accept")})
                mode = double.mode
                if not user:
                    mode = "unauthenticated"
                if mode in ERRORS:
                    status, error, headers = ERRORS[mode]
                    self._json(status, error, headers)
                    return
                model = str(body.get("model") or "")
                if mode == "not-served" or model not in CONFIGURED:
                    self._json(404, _envelope(404, "ModelNotServed", _text(
                        f"Model {model} is not served here; served models: {', '.join(CONFIGURED)}.",
                        f"此处不提供模型 {model}；可用的模型：{'、'.join(CONFIGURED)}。"),
                        given=model, allowed=CONFIGURED))
                    return
                if mode == "not-ready" or model == PULLING_MODEL:
                    self._json(409, _envelope(409, "ModelNotReady", _text(
                        f"{model} is still downloading.", f"{model} 仍在下载。"),
                        params={"model": model}))
                    return
                self._stream(mode)

            def _event(self, payload: Any) -> None:
                # Each event written in two pieces with a pause between, so the page's parser sees
                # events cut in the middle (proxies and TCP cut anywhere too).
                data = f"data: {payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)}\n\n"
                cut = len(data) // 2
                for piece in (data[:cut], data[cut:]):
                    self.wfile.write(piece.encode())
                    self.wfile.flush()
                    time.sleep(double.delay / 2)

            def _chunk(self, **delta: str) -> dict[str, Any]:
                return {"id": "chatcmpl-double", "object": "chat.completion.chunk", "created": 1764583200,
                        "model": READY_MODEL, "choices": [{"index": 0, "delta": delta, "finish_reason": None}]}

            def _stream(self, mode: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.end_headers()  # HTTP/1.0: the stream ends when the connection closes
                try:
                    if mode == "think-tags":
                        for piece in THINK_TAGS:
                            self._event(self._chunk(content=piece))
                    else:
                        self._event(self._chunk(role="assistant", content=""))
                        for piece in THINKING * (3 if mode == "slow" else 1):
                            self._event(self._chunk(reasoning_content=piece))
                        double.answer_gate.wait(timeout=60)
                        if mode == "stream-error":
                            self._event(self._chunk(content="Pods are "))
                            self._event({"error": {"message": "ollama stopped: signal: killed", "type": "api_error",
                                                   "code": "OllamaUnavailable", "param": None,
                                                   "messages": _text("ollama stopped: signal: killed",
                                                                     "ollama 已停止：signal: killed")}})
                            return
                        answer = ANSWER if mode != "slow" else [f"word {i} " for i in range(400)]
                        for piece in answer:
                            self._event(self._chunk(content=piece))
                    final = self._chunk()
                    final["choices"][0]["finish_reason"] = "stop"
                    self._event(final)
                    self._event("[DONE]")
                except (BrokenPipeError, ConnectionResetError):
                    double.abandoned += 1  # the page stopped: the edge cancels upstream the same way

        return Handler
