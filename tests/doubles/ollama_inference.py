"""Inference endpoints of the ollama double: chat, completions and embeddings, streamed at a set rate.

Mixed into ``tests.doubles.ollama.OllamaDouble``'s handler. Shapes follow ollama v0.32.15:

* ``POST /v1/chat/completions`` (``openai/openai.go``): SSE ``data: <chunk>`` events ending with
  ``data: [DONE]``; a thinking model's reasoning is ``delta.reasoning`` in a stream and
  ``message.reasoning`` in a whole answer (``openai/openai.go:46,335``); stream usage only with
  ``stream_options.include_usage``, as a last chunk with ``choices: []`` (``middleware/openai.go:
  144-157``); a whole answer always has ``usage``.
* ``POST /v1/completions``: the same with ``choices[].text``.
* ``POST /api/chat`` (``server/routes.go`` ChatHandler): NDJSON lines with ``message.thinking`` /
  ``message.content``, the last one ``done: true`` with ``prompt_eval_count``, ``eval_count`` and
  ``eval_duration`` (ns); ``stream: false`` gives that last object with the whole message.
* ``POST /v1/embeddings`` / ``POST /api/embed``: vectors with ``usage.prompt_tokens`` /
  ``prompt_eval_count``.

Knobs on the double: ``token_seconds`` (pause before each token), ``reasoning_words`` and
``answer_words`` (what the model "says"). ``stats.generations`` counts started / finished /
cancelled (the client went away mid-stream) per path, so a test sees a disconnect reach ollama.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import Any

DEFAULT_REASONING = ("Let", " me", " think", " about", " it", ".")
DEFAULT_ANSWER = ("Hello", " from", " deepseek", "-r1", ".")


def prompt_tokens(body: dict[str, Any]) -> int:
    """A stable token count for the prompt: words of every message / prompt / input."""
    texts: list[str] = []
    for msg in body.get("messages") or []:
        if isinstance(msg, dict):
            texts.append(str(msg.get("content") or ""))
    for key in ("prompt", "input"):
        value = body.get(key)
        texts.extend(value if isinstance(value, list) else [str(value)] if value else [])
    return max(1, sum(len(str(t).split()) for t in texts))


class InferenceHandlers:
    """Handler methods (``r_post_<path>``); ``self._double`` is the OllamaDouble."""

    _double: Any

    # -- helpers ---------------------------------------------------------------------------------
    def _tokens(self) -> list[tuple[str, str]]:
        d = self._double
        return [("reasoning", w) for w in d.reasoning_words] + [("content", w) for w in d.answer_words]

    def _count(self, path: str, what: str) -> None:
        with self._double._lock:
            self._double.stats.generations[f"{path} {what}"] += 1

    def _start_stream(self, content_type: str) -> None:
        self.send_response(200)  # type: ignore[attr-defined]
        self.send_header("Content-Type", content_type)  # type: ignore[attr-defined]
        self.send_header("Transfer-Encoding", "chunked")  # type: ignore[attr-defined]
        self.end_headers()  # type: ignore[attr-defined]

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))  # type: ignore[attr-defined]
        self.wfile.flush()  # type: ignore[attr-defined]

    def _known(self, body: dict[str, Any]) -> str | None:
        name = self._name(body)  # type: ignore[attr-defined]
        if name not in self._double.store.listed():
            self._send(404, {"error": f"model '{name}' not found"})  # type: ignore[attr-defined]
            return None
        return str(name)

    def _generate(self, path: str, emit: Any) -> bool:
        """Emit every token (pausing ``token_seconds`` before each); False when the client left."""
        self._count(path, "started")
        try:
            for kind, word in self._tokens():
                if self._double.token_seconds:
                    time.sleep(self._double.token_seconds)
                emit(kind, word)
        except (BrokenPipeError, ConnectionResetError):
            self._count(path, "cancelled")
            self.close_connection = True
            return False
        self._count(path, "finished")
        return True

    # -- /v1/chat/completions and /v1/completions -----------------------------------------------
    def _openai(self, body: dict[str, Any], *, path: str, chat: bool) -> None:
        name = self._known(body)
        if name is None:
            return
        prompt = prompt_tokens(body)
        created = int(time.time())
        obj = "chat.completion" if chat else "text_completion"
        base = {"id": "chatcmpl-742" if chat else "cmpl-742", "created": created, "model": name,
                "system_fingerprint": "fp_ollama"}
        tokens = self._tokens()
        usage = {"prompt_tokens": prompt, "completion_tokens": len(tokens),
                 "total_tokens": prompt + len(tokens)}
        if body.get("stream") is not True:
            if not self._generate(path, lambda kind, word: None):
                return
            reasoning = "".join(w for k, w in tokens if k == "reasoning")
            answer = "".join(w for k, w in tokens if k == "content")
            if chat:
                message: dict[str, Any] = {"role": "assistant", "content": answer}
                if reasoning:
                    message["reasoning"] = reasoning
                choice: dict[str, Any] = {"index": 0, "message": message, "finish_reason": "stop"}
            else:
                choice = {"index": 0, "text": answer, "finish_reason": "stop"}
                if reasoning:
                    choice["reasoning"] = reasoning
            self._send(200, {**base, "object": obj, "choices": [choice], "usage": usage})  # type: ignore[attr-defined]
            return
        self._start_stream("text/event-stream")

        def event(payload: Any) -> None:
            self._chunk(b"data: " + json.dumps(payload, separators=(",", ":")).encode() + b"\n\n")

        def emit(kind: str, word: str) -> None:
            if chat:
                delta: dict[str, Any] = {"role": "assistant", "content": word if kind == "content" else ""}
                if kind == "reasoning":
                    delta["reasoning"] = word
                choice = {"index": 0, "delta": delta, "finish_reason": None}
            else:
                choice = {"index": 0, "text": word if kind == "content" else "", "finish_reason": None}
                if kind == "reasoning":
                    choice["reasoning"] = word
            event({**base, "object": obj + ".chunk" if chat else obj, "choices": [choice]})

        if not self._generate(path, emit):
            return
        try:
            last = ({"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": "stop"} if chat
                    else {"index": 0, "text": "", "finish_reason": "stop"})
            event({**base, "object": obj + ".chunk" if chat else obj, "choices": [last]})
            options = body.get("stream_options")
            if isinstance(options, dict) and options.get("include_usage") is True:
                event({**base, "object": obj + ".chunk" if chat else obj, "choices": [], "usage": usage})
            self._chunk(b"data: [DONE]\n\n")
            self._chunk(b"")
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def r_post_v1_chat_completions(self, body: dict[str, Any]) -> None:
        self._openai(body, path="/v1/chat/completions", chat=True)

    def r_post_v1_completions(self, body: dict[str, Any]) -> None:
        self._openai(body, path="/v1/completions", chat=False)

    # -- /api/chat -------------------------------------------------------------------------------
    def r_post_api_chat(self, body: dict[str, Any]) -> None:
        name = self._known(body)
        if name is None:
            return
        path = "/api/chat"
        tokens = self._tokens()
        started = time.monotonic()

        def line(payload: Any) -> None:
            # Go's encoding/json: no spaces (ollama writes each line with json.Marshal).
            self._chunk(json.dumps(payload, separators=(",", ":")).encode() + b"\n")

        def now() -> str:
            return datetime.now(UTC).isoformat()

        def final(message: dict[str, Any]) -> dict[str, Any]:
            elapsed = max(1, int((time.monotonic() - started) * 1e9))
            return {"model": name, "created_at": now(), "message": message, "done": True, "done_reason": "stop",
                    "total_duration": elapsed, "load_duration": 1000, "prompt_eval_count": prompt_tokens(body),
                    "prompt_eval_duration": 1000, "eval_count": len(tokens), "eval_duration": elapsed}

        if body.get("stream") is False:
            if not self._generate(path, lambda kind, word: None):
                return
            message = {"role": "assistant", "content": "".join(w for k, w in tokens if k == "content")}
            thinking = "".join(w for k, w in tokens if k == "reasoning")
            if thinking:
                message["thinking"] = thinking
            self._send(200, final(message))  # type: ignore[attr-defined]
            return
        self._start_stream("application/x-ndjson")

        def emit(kind: str, word: str) -> None:
            message = {"role": "assistant", "content": word if kind == "content" else ""}
            if kind == "reasoning":
                message["thinking"] = word
            line({"model": name, "created_at": now(), "message": message, "done": False})

        if not self._generate(path, emit):
            return
        try:
            line(final({"role": "assistant", "content": ""}))
            self._chunk(b"")
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    # -- embeddings ------------------------------------------------------------------------------
    def r_post_v1_embeddings(self, body: dict[str, Any]) -> None:
        name = self._known(body)
        if name is None:
            return
        inputs = body.get("input")
        items = inputs if isinstance(inputs, list) else [inputs]
        data = [{"object": "embedding", "embedding": [0.1, 0.2, 0.3], "index": i} for i in range(len(items))]
        tokens = prompt_tokens(body)
        self._send(200, {"object": "list", "data": data, "model": name,  # type: ignore[attr-defined]
                         "usage": {"prompt_tokens": tokens, "total_tokens": tokens}})

    def r_post_api_embed(self, body: dict[str, Any]) -> None:
        name = self._known(body)
        if name is None:
            return
        inputs = body.get("input")
        items = inputs if isinstance(inputs, list) else [inputs]
        self._send(200, {"model": name, "embeddings": [[0.1, 0.2, 0.3] for _ in items],  # type: ignore[attr-defined]
                         "total_duration": 1000, "load_duration": 100, "prompt_eval_count": prompt_tokens(body)})
